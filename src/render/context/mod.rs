//! Template contexts: the typed data each template receives, as documented in
//! `docs/templates.md`. One module per kind of page (`page`, `section`, `taxonomy`, `faq_hub`,
//! `glossary`, `kind_index`); this one holds what they share: the site, the frame around every
//! page (navigation, breadcrumbs, translations), page summaries, and the 404, search and
//! redirect pages, which have no content of their own.
//!
//! Templates get a fixed context built here from the site tree, never a handle to query any page,
//! so that what a page's HTML depends on stays visible (and incremental rebuilds stay possible).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::base::model::{IsoDate, Kind, PolicyStatus};
use crate::base::paths::{FEED_PATH, GLOSSARY_URL_PATH, NOT_FOUND_PATH};
use crate::base::url::{folder_url, site_url};
use crate::content::glossary::Glossary;
use crate::content::licenses::License;
use crate::content::page::Page;
use crate::content::site::Site;
use crate::input::config::Config;
use crate::input::config::edit_link::EditLinks;
use crate::input::history::History;

mod faq_hub;
mod glossary;
mod kind_index;
mod nav;
mod page;
mod section;
mod taxonomy;

pub use faq_hub::{FaqCategory, FaqEntry, FaqHubContext, FaqHubTemplate};
pub use glossary::{
    GLOSSARY_TITLE, GlossaryContext, GlossaryLetter, GlossaryTemplate, GlossaryTermContext,
};
pub use kind_index::{KindIndexContext, KindIndexTemplate};
pub use nav::{NAV_DIR, NavFile, NavItem};
pub use page::{HistoryContext, PageContext, PageTemplate};
pub use section::{SectionContext, SectionTemplate, SubsectionSummary};
pub use taxonomy::{TaxonomyContext, TaxonomyTemplate, TermContext, tag_url_path};

/// `site` in every template.
#[derive(Debug, Serialize)]
pub struct SiteContext<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    repository: Option<&'a str>,
    branch: &'a str,
    /// The absolute URL of `feed.xml`, when the build writes one.
    feed_url: Option<String>,
    /// The URL of the glossary page, when the site has a glossary.
    glossary_url: Option<String>,
}

impl<'a> SiteContext<'a> {
    /// The site-wide values from the configuration.
    pub fn new(config: &'a Config) -> Self {
        SiteContext {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            base_url: &config.base_url,
            base_path: &config.base_path,
            repository: config.repository.as_deref(),
            branch: &config.branch,
            feed_url: None,
            glossary_url: None,
        }
    }
}

/// A title and a URL: breadcrumbs, previous and next.
#[derive(Debug, Clone, Serialize)]
pub struct LinkContext {
    title: String,
    url: String,
}

/// A tag with the URL of its page.
#[derive(Debug, Clone, Serialize)]
pub struct TagContext {
    name: String,
    url: String,
}

/// Policy fields, with the next review date worked out and compared with today.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyContext {
    status: Option<&'static str>,
    status_label: Option<&'static str>,
    /// 1 to 4 in lifecycle order (draft, in review, approved, retired), for sorting.
    status_order: Option<u8>,
    owner: Option<String>,
    approvers: Vec<String>,
    effective: Option<IsoDate>,
    last_reviewed: Option<IsoDate>,
    review_every: Option<String>,
    next_review: Option<IsoDate>,
    /// The next review is before today, and the policy is not retired (which ends reviews).
    review_overdue: bool,
    /// The effective date is after today: approved, but not in force yet.
    effective_in_future: bool,
    superseded_by: Option<LinkContext>,
}

/// Playbook fields.
#[derive(Debug, Clone, Serialize)]
pub struct PlaybookContext {
    audience: Option<String>,
    time_required: Option<String>,
    prerequisites: Vec<String>,
}

/// FAQ fields.
#[derive(Debug, Clone, Serialize)]
pub struct FaqContext {
    question: String,
    category: Option<String>,
}

/// What lists of pages show about each page.
#[derive(Debug, Clone, Serialize)]
pub struct PageSummary {
    title: String,
    url: String,
    kind: Kind,
    description: Option<String>,
    date: Option<IsoDate>,
    updated: Option<IsoDate>,
    tags: Vec<TagContext>,
    policy: Option<PolicyContext>,
    playbook: Option<PlaybookContext>,
    faq: Option<FaqContext>,
}

/// A link to the same page in another language, for the language switcher.
#[derive(Debug, Clone, Serialize)]
pub struct TranslationLink {
    /// The language code (`es`, `pt-br`).
    language: String,
    /// The language's name in itself (`Español`), or its code when Folio does not know it.
    name: String,
    url: String,
    /// The absolute URL, for `<link rel="alternate" hreflang>`.
    permalink: String,
    /// True for the page being shown.
    current: bool,
}

/// What every template shares: site, navigation and the current URL.
#[derive(Debug, Serialize)]
pub struct Frame<'a> {
    site: &'a SiteContext<'a>,
    /// The language of the page shown (`<html lang>`).
    language: String,
    /// `rtl` for right-to-left languages, else `ltr` (`<html dir>`).
    dir: &'static str,
    /// The URL of the home page of this language version.
    home_url: String,
    /// The page in every language it exists in, the current one included; empty when the page
    /// has no translation.
    translations: Vec<TranslationLink>,
    nav: Vec<NavItem>,
    /// Whether the top level of `nav` is all sections.
    nav_sections: bool,
    /// The URL of the language version's navigation file (`/_nav/<hash>.json`), which holds the
    /// whole tree the sidebar shows part of.
    nav_file: String,
    breadcrumbs: Vec<LinkContext>,
    current_url: String,
    folio_version: &'static str,
    /// Every data file, keyed by path without extension (`data.team.people`).
    data: &'a serde_json::Value,
    /// The licence list from `data/licenses.yaml`, checked.
    licenses: &'a [License],
}

/// What templates get from data/: every file, and the glossary and licence list checked.
#[derive(Debug, Clone, Copy)]
pub struct SiteData<'a> {
    /// Every data file, nested by key.
    pub data: &'a serde_json::Value,
    /// The glossary, when the site has one.
    pub glossary: Option<&'a Glossary>,
    /// The licence list (empty without data/licenses.yaml).
    pub licenses: &'a [License],
}

/// The context of `404.html` and `search.html`: pages with no content of their own.
#[derive(Debug, Serialize)]
pub struct NotFoundTemplate<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
}

/// The context of `redirect.html`.
#[derive(Debug, Serialize)]
pub struct RedirectTemplate<'a> {
    site: &'a SiteContext<'a>,
    redirect_to: String,
}

/// A page's path within its language version, which its translations share: `es/a/b.md` and
/// `a/b.md` are both `a/b.md`.
fn translation_key(site: &Site, page: usize) -> PathBuf {
    let root = site.language_root(page);
    let path = &site.pages[page].tree_path;
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Groups the pages of a site in several languages by their path within their language.
fn translations(site: &Site) -> HashMap<PathBuf, Vec<usize>> {
    let mut found: HashMap<PathBuf, Vec<usize>> = HashMap::new();
    if site.language_roots.is_empty() {
        return found;
    }
    for index in 0..site.pages.len() {
        found
            .entry(translation_key(site, index))
            .or_default()
            .push(index);
    }
    found
}

/// What [`Contexts::new`] works out for every page of a site (summaries, the sidebar's files),
/// kept by `folio serve` between edits to pages' bodies, which change none of it (see
/// `build::live`): on a large site, most of the time it takes.
pub struct Kept {
    today: IsoDate,
    summaries: Vec<PageSummary>,
    nav_files: Vec<NavFile>,
}

/// Builds template contexts for one site; summaries are computed once and shared.
pub struct Contexts<'a> {
    config: &'a Config,
    site: &'a Site,
    site_context: SiteContext<'a>,
    summaries: Vec<PageSummary>,
    /// The pages of the Atom feed with their dates, newest first.
    feed: Vec<(usize, IsoDate)>,
    /// The date reviews are compared with ([`IsoDate::today`]).
    today: IsoDate,
    history: &'a History,
    edit_links: EditLinks,
    data: SiteData<'a>,
    /// The page at `/glossary/`, when the site has a glossary and a page there.
    glossary_page: Option<usize>,
    /// The versions of each page in every language, keyed by its path within its language.
    translations: HashMap<PathBuf, Vec<usize>>,
    /// The navigation file of each language version, the main one first.
    nav_files: Vec<NavFile>,
}

impl<'a> Contexts<'a> {
    /// Prepares contexts; `superseded_by` gives, per page, the page its policy is replaced by,
    /// `history` the git history of the sources and `data` the data files.
    pub fn new(
        config: &'a Config,
        site: &'a Site,
        superseded_by: &[Option<usize>],
        history: &'a History,
        data: SiteData<'a>,
    ) -> Self {
        Self::reusing(config, site, superseded_by, history, data, None)
    }

    /// Like [`Contexts::new`], taking the summaries and sidebar files from `kept` (made for
    /// the same site on the same day) instead of working them out again.
    pub fn reusing(
        config: &'a Config,
        site: &'a Site,
        superseded_by: &[Option<usize>],
        history: &'a History,
        data: SiteData<'a>,
        kept: Option<Kept>,
    ) -> Self {
        let glossary_page = data.glossary.and_then(|_| {
            site.pages
                .iter()
                .position(|p| p.url_path == GLOSSARY_URL_PATH)
        });
        let mut contexts = Contexts {
            config,
            site,
            site_context: SiteContext::new(config),
            summaries: Vec::new(),
            feed: crate::render::feeds::feed_pages(site),
            today: IsoDate::today(),
            history,
            edit_links: EditLinks::new(config.repository.as_deref(), config.edit_url.as_deref()),
            data,
            glossary_page,
            translations: translations(site),
            nav_files: Vec::new(),
        };
        contexts.site_context.glossary_url = data.glossary.map(|g| g.url().to_string());
        if let Some(kept) = kept.filter(|kept| kept.today == contexts.today) {
            contexts.nav_files = kept.nav_files;
            contexts.summaries = kept.summaries;
        } else {
            contexts.nav_files = std::iter::once(Path::new(""))
                .chain(site.language_roots.iter().map(PathBuf::as_path))
                .map(|root| contexts.nav_file(root))
                .collect();
            contexts.summaries = (0..site.pages.len())
                .map(|i| contexts.summary(i, superseded_by[i]))
                .collect();
        }
        if config.has_absolute_base_url() && !contexts.feed.is_empty() {
            contexts.site_context.feed_url = Some(contexts.permalink(FEED_PATH));
        }
        contexts
    }

    /// The summaries and sidebar files, for [`Contexts::reusing`].
    pub fn into_kept(self) -> Kept {
        Kept {
            today: self.today,
            summaries: self.summaries,
            nav_files: self.nav_files,
        }
    }

    /// The navigation file of each language version (see [`NavFile`]).
    pub fn nav_files(&self) -> &[NavFile] {
        &self.nav_files
    }

    /// The URL of the navigation file of the language version in `root`.
    fn nav_file_url(&self, root: &Path) -> String {
        self.nav_files
            .iter()
            .find(|f| f.root == root)
            .map(|f| f.url.clone())
            .unwrap_or_default()
    }

    /// The pages of the Atom feed with their dates (see [`crate::render::feeds::feed_pages`]).
    pub fn feed_pages(&self) -> &[(usize, IsoDate)] {
        &self.feed
    }

    /// The site-relative URL of a page.
    pub fn url(&self, page: usize) -> String {
        self.url_of(&self.site.pages[page].url_path)
    }

    /// The site-relative URL of a URL path.
    pub fn url_of(&self, url_path: &str) -> String {
        site_url(&self.config.base_path, url_path)
    }

    /// The absolute URL of a URL path.
    pub fn permalink(&self, url_path: &str) -> String {
        site_url(&self.config.base_url, url_path)
    }

    fn link(&self, page: usize) -> LinkContext {
        LinkContext {
            title: self.site.pages[page].title.clone(),
            url: self.entry_url(page),
        }
    }

    /// The URL the sidebar and breadcrumbs give a page: for a section Folio made up that a
    /// page landed on (by an alias), that page's.
    fn entry_url(&self, page: usize) -> String {
        self.url(*self.site.landing.get(&page).unwrap_or(&page))
    }

    fn tag(&self, name: &str) -> TagContext {
        TagContext {
            name: name.to_string(),
            url: self.url_of(&tag_url_path(name)),
        }
    }

    fn summary(&self, index: usize, superseded_by: Option<usize>) -> PageSummary {
        let page = &self.site.pages[index];
        let fm = &page.front_matter;
        let policy = (page.kind == Kind::Policy).then(|| {
            let next_review = fm.next_review();
            let retired = fm.status == Some(PolicyStatus::Retired);
            PolicyContext {
                status: fm.status.map(|s| s.as_str()),
                status_label: fm.status.map(|s| s.label()),
                status_order: fm.status.map(|s| s.lifecycle_order()),
                owner: fm.owner.clone(),
                approvers: fm.approvers.clone().unwrap_or_default(),
                effective: fm.effective,
                last_reviewed: fm.last_reviewed,
                review_every: fm.review_every.map(|p| p.to_string()),
                next_review,
                review_overdue: !retired && next_review.is_some_and(|d| d < self.today),
                effective_in_future: fm.effective.is_some_and(|d| d > self.today),
                superseded_by: superseded_by.map(|i| self.link(i)),
            }
        });
        let playbook = (page.kind == Kind::Playbook).then(|| PlaybookContext {
            audience: fm.audience.clone(),
            time_required: fm.time_required.clone(),
            prerequisites: fm.prerequisites.clone().unwrap_or_default(),
        });
        let faq = (page.kind == Kind::Faq).then(|| FaqContext {
            question: fm.question.clone().unwrap_or_else(|| page.title.clone()),
            category: fm.category.clone(),
        });
        PageSummary {
            title: page.title.clone(),
            url: self.url(index),
            kind: page.kind,
            description: fm.description.clone(),
            date: fm.date,
            updated: fm.updated,
            tags: fm.tags.iter().map(|t| self.tag(t)).collect(),
            policy,
            playbook,
            faq,
        }
    }

    /// The language a page is written in: its `lang` field, else its language version's.
    fn language(&self, page: &'a Page) -> &'a str {
        let version = Some(page.language.as_str()).filter(|l| !l.is_empty());
        page.front_matter
            .lang
            .as_deref()
            .or(version)
            .unwrap_or(&self.config.language)
    }

    /// The page in every language it is translated into, in site.toml's order.
    fn translation_links(&self, page: usize) -> Vec<TranslationLink> {
        let key = translation_key(self.site, page);
        let Some(versions) = self.translations.get(&key).filter(|v| v.len() > 1) else {
            return Vec::new();
        };
        let mut links: Vec<(usize, TranslationLink)> = versions
            .iter()
            .map(|&i| {
                let language = &self.site.pages[i].language;
                let order = self.config.languages.iter().position(|l| l == language);
                let link = TranslationLink {
                    language: language.clone(),
                    name: crate::base::language_names::endonym(language),
                    url: self.url(i),
                    permalink: self.permalink(&self.site.pages[i].url_path),
                    current: i == page,
                };
                (order.unwrap_or(usize::MAX), link)
            })
            .collect();
        links.sort_by_key(|(order, _)| *order);
        links.into_iter().map(|(_, link)| link).collect()
    }

    fn frame(&self, current: Option<usize>, url_path: &str) -> Frame<'_> {
        let language = match current {
            Some(page) => self.language(&self.site.pages[page]),
            None => &self.config.language,
        };
        let root = current.map_or(Path::new(""), |page| self.site.language_root(page));
        let home_url = self.url_of(&folder_url(root));
        let translations = current
            .map(|p| self.translation_links(p))
            .unwrap_or_default();
        let breadcrumbs = current.map_or_else(Vec::new, |page| {
            let ancestors = self.site.ancestors(page);
            ancestors
                .iter()
                .map(|dir| self.link(self.site.sections[dir].page))
                .collect()
        });
        let nav = self.nav(root, current);
        let nav_file = self.nav_file_url(root);
        Frame {
            site: &self.site_context,
            language: language.to_string(),
            dir: if Config::is_rtl(language) {
                "rtl"
            } else {
                "ltr"
            },
            home_url,
            translations,
            nav_sections: nav::all_sections(&nav),
            nav,
            nav_file,
            breadcrumbs,
            current_url: self.url_of(url_path),
            folio_version: env!("CARGO_PKG_VERSION"),
            data: self.data.data,
            licenses: self.data.licenses,
        }
    }

    fn neighbours(&self, index: usize) -> (Option<LinkContext>, Option<LinkContext>) {
        let (prev, next) = self.site.neighbours(index);
        (prev.map(|i| self.link(i)), next.map(|i| self.link(i)))
    }

    /// The context of `404.html`.
    pub fn not_found(&self) -> NotFoundTemplate<'_> {
        NotFoundTemplate {
            frame: self.frame(None, NOT_FOUND_PATH),
        }
    }

    /// The context of the search results page of the language version of `language`: its
    /// sidebar, its `<html lang>`, and its search export.
    pub fn search_page(&self, language: &str) -> NotFoundTemplate<'_> {
        let root = self
            .site
            .language_roots
            .iter()
            .find(|root| root.as_path() == Path::new(language))
            .map_or(Path::new(""), PathBuf::as_path);
        let url_path = format!("{}search.html", folder_url(root));
        let mut frame = self.frame(None, &url_path);
        if !root.as_os_str().is_empty() {
            frame.language = language.to_string();
            frame.dir = if Config::is_rtl(language) {
                "rtl"
            } else {
                "ltr"
            };
            frame.home_url = self.url_of(&folder_url(root));
            frame.nav = self.nav(root, None);
            frame.nav_sections = nav::all_sections(&frame.nav);
            frame.nav_file = self.nav_file_url(root);
        }
        NotFoundTemplate { frame }
    }

    /// The context of an alias page that redirects to `page`.
    pub fn redirect(&self, page: usize) -> RedirectTemplate<'_> {
        RedirectTemplate {
            site: &self.site_context,
            redirect_to: self.permalink(&self.site.pages[page].url_path),
        }
    }
}

/// JSON that is safe inside a `<script>` element: `<`, `>` and `&` become `\u003c`, `\u003e`
/// and `\u0026`, so no string in it can close the element or open a comment.
pub fn script_safe_json(value: &serde_json::Value) -> String {
    let json = serde_json::to_string(value).expect("JSON values serialize");
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_for_a_script_element_cannot_close_it() {
        let value = serde_json::json!({"text": "</script><b>x</b> & <!-- y -->"});
        let json = script_safe_json(&value);
        assert!(
            !json.contains('<') && !json.contains('>') && !json.contains('&'),
            "{json}"
        );
        assert_eq!(
            json,
            r#"{"text":"\u003c/script\u003e\u003cb\u003ex\u003c/b\u003e \u0026 \u003c!-- y --\u003e"}"#
        );
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back, value);
    }
}
