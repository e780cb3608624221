//! Template contexts: the typed data each template receives, as documented in
//! `docs/templates.md`.
//!
//! Templates get a fixed context built here from the site tree, never a handle to query any page,
//! so that what a page's HTML depends on stays visible (and incremental rebuilds stay possible).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::base::model::{IsoDate, Kind, PolicyStatus};
use crate::base::paths::{
    FAQ_HUB_URL_PATH, FEED_PATH, FRAME_IDS, GLOSSARY_URL_PATH, NOT_FOUND_PATH, TAGS_URL_PATH,
};
use crate::base::url::{folder_url, site_url};
use crate::content::glossary::Glossary;
use crate::content::licenses::License;
use crate::content::markdown::{IdAllocator, TocEntry, github_slug};
use crate::content::site::{Page, Site};
use crate::input::config::Config;
use crate::input::config::edit_link::EditLinks;
use crate::input::history::{Commit, History};

mod kind_index;

pub use kind_index::{KIND_INDEX_TEMPLATE, KindIndexContext, KindIndexTemplate};

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

/// An entry of the sidebar.
#[derive(Debug, Serialize)]
pub struct NavItem {
    title: String,
    url: String,
    kind: &'static str,
    is_section: bool,
    active: bool,
    open: bool,
    children: Vec<NavItem>,
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

/// `page` in page templates.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    #[serde(flatten)]
    summary: &'a PageSummary,
    permalink: String,
    content: &'a str,
    toc: &'a [TocEntry],
    weight: Option<i64>,
    draft: bool,
    lang: &'a str,
    /// The pages its `related` front-matter field names.
    related: Vec<LinkContext>,
    extra: &'a BTreeMap<String, serde_json::Value>,
    source_path: String,
    word_count: usize,
    reading_minutes: usize,
    /// The page's changes from git; null outside git and for files never committed.
    history: Option<HistoryContext<'a>>,
    /// Where to edit the page's source on its git host; null without a repository or git.
    edit_url: Option<String>,
}

/// `page.history`: the changes git recorded to the page's source file.
#[derive(Debug, Serialize)]
pub struct HistoryContext<'a> {
    /// The newest change: what "Last updated" shows.
    last: &'a Commit,
    /// The newest changes, `last` first, at most [`crate::input::history::MAX_RECENT`].
    recent: Vec<&'a Commit>,
}

/// A child section in a section listing.
#[derive(Debug, Serialize)]
pub struct SubsectionSummary<'a> {
    title: &'a str,
    url: &'a str,
    description: Option<&'a str>,
    page_count: usize,
}

/// `section` in section templates.
#[derive(Debug, Serialize)]
pub struct SectionContext<'a> {
    #[serde(flatten)]
    page: PageContext<'a>,
    pages: Vec<&'a PageSummary>,
    subsections: Vec<SubsectionSummary<'a>>,
}

/// A tag and its pages, for `taxonomy.html`.
#[derive(Debug, Serialize)]
pub struct TermContext<'a> {
    name: &'a str,
    url: String,
    permalink: String,
    pages: Vec<&'a PageSummary>,
}

/// The tag index, for `taxonomy.html`.
#[derive(Debug, Serialize)]
pub struct TaxonomyContext<'a> {
    name: &'static str,
    url: String,
    permalink: String,
    terms: Vec<TermContext<'a>>,
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
    breadcrumbs: Vec<LinkContext>,
    current_url: String,
    folio_version: &'static str,
    /// Every data file, keyed by path without extension (`data.team.people`).
    data: &'a serde_json::Value,
    /// The licence list from `data/licenses.yaml`, checked.
    licenses: &'a [License],
}

/// The context of `page.html` and the kind templates.
#[derive(Debug, Serialize)]
pub struct PageTemplate<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    page: PageContext<'a>,
    prev: Option<LinkContext>,
    next: Option<LinkContext>,
}

/// The context of `index.html` and `section.html`.
#[derive(Debug, Serialize)]
pub struct SectionTemplate<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    section: SectionContext<'a>,
    prev: Option<LinkContext>,
    next: Option<LinkContext>,
}

/// The context of `taxonomy.html`.
#[derive(Debug, Serialize)]
pub struct TaxonomyTemplate<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    taxonomy: &'a TaxonomyContext<'a>,
    term: Option<&'a TermContext<'a>>,
}

/// One question on the FAQ hub.
#[derive(Debug, Serialize)]
pub struct FaqEntry<'a> {
    /// Unique on the hub page: the GitHub slug of the question, numbered on repeats.
    id: String,
    question: &'a str,
    title: &'a str,
    url: &'a str,
    category: Option<&'a str>,
    /// The FAQ page's rendered body (trusted HTML).
    answer: &'a str,
}

/// The FAQs of one category on the FAQ hub.
#[derive(Debug, Serialize)]
pub struct FaqCategory<'a> {
    /// The category as written in front matter, or `Other questions` for FAQs without one.
    name: &'a str,
    /// Unique on the hub page, prefixed so that it cannot take a question's id.
    id: String,
    questions: Vec<FaqEntry<'a>>,
}

/// `faq_hub` in `faq-hub.html`: every FAQ of the site, grouped by category.
#[derive(Debug, Serialize)]
pub struct FaqHubContext<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    count: usize,
    categories: Vec<FaqCategory<'a>>,
    /// schema.org `FAQPage` JSON-LD, escaped for a `<script>` element (trusted, use `| safe`).
    json_ld: String,
}

/// The context of `faq-hub.html`: the FAQ section's page, or the hub Folio writes at `/faq/`.
#[derive(Debug, Serialize)]
pub struct FaqHubTemplate<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    /// The `faq` section, when the hub is its page; null for the generated hub.
    section: Option<SectionContext<'a>>,
    faq_hub: FaqHubContext<'a>,
    prev: Option<LinkContext>,
    next: Option<LinkContext>,
}

/// One term on the glossary page.
#[derive(Debug, Serialize)]
pub struct GlossaryTermContext<'a> {
    term: &'a str,
    /// The term's anchor on the page.
    id: &'a str,
    /// The expansion, if any.
    name: Option<&'a str>,
    /// The definition as HTML (trusted).
    definition: &'a str,
    aliases: &'a [String],
    /// The related terms in this build, linked to their entries.
    see: Vec<LinkContext>,
}

/// The terms starting with one letter; letters without terms are listed too, for the A–Z list.
#[derive(Debug, Serialize)]
pub struct GlossaryLetter<'a> {
    /// `A` to `Z`, or `#` for terms that start otherwise (listed first).
    letter: String,
    /// The anchor of the letter's group; null when no term starts with it.
    id: Option<String>,
    terms: Vec<GlossaryTermContext<'a>>,
}

/// `glossary` in `glossary.html`: the terms of this build, grouped by first letter.
#[derive(Debug, Serialize)]
pub struct GlossaryContext<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    count: usize,
    letters: Vec<GlossaryLetter<'a>>,
}

/// The context of `glossary.html`: the page at `/glossary/` if the content has one (`page` or
/// `section` set as for its kind), or the page Folio generates (both null).
#[derive(Debug, Serialize)]
pub struct GlossaryTemplate<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    page: Option<PageContext<'a>>,
    section: Option<SectionContext<'a>>,
    glossary: GlossaryContext<'a>,
    prev: Option<LinkContext>,
    next: Option<LinkContext>,
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

/// The title of the glossary page Folio generates.
pub const GLOSSARY_TITLE: &str = "Glossary";

/// The most entries the Atom feed holds.
pub const FEED_LIMIT: usize = 50;

/// The heading of the group of FAQs that have no category.
const UNCATEGORISED: &str = "Other questions";

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
            feed: feed_pages(site),
            today: IsoDate::today(),
            history,
            edit_links: EditLinks::new(config.repository.as_deref(), config.edit_url.as_deref()),
            data,
            glossary_page,
            translations: translations(site),
        };
        contexts.site_context.glossary_url = data.glossary.map(|g| g.url().to_string());
        contexts.summaries = (0..site.pages.len())
            .map(|i| contexts.summary(i, superseded_by[i]))
            .collect();
        if config.has_absolute_base_url() && !contexts.feed.is_empty() {
            contexts.site_context.feed_url = Some(contexts.permalink(FEED_PATH));
        }
        contexts
    }

    /// The pages of the Atom feed with their dates (see [`feed_pages`]).
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
            url: self.url(page),
        }
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

    fn page_context(&self, index: usize) -> PageContext<'_> {
        let page = &self.site.pages[index];
        let words = page.rendered.word_count;
        PageContext {
            summary: &self.summaries[index],
            permalink: self.permalink(&page.url_path),
            content: &page.rendered.html,
            toc: &page.rendered.toc,
            weight: page.front_matter.weight,
            draft: page.front_matter.draft,
            lang: self.language(page),
            related: page.related.iter().map(|&i| self.link(i)).collect(),
            extra: &page.front_matter.extra,
            source_path: page.display_path.to_string_lossy().replace('\\', "/"),
            word_count: words,
            reading_minutes: words.div_ceil(220).max(1),
            history: self.history_context(index),
            edit_url: self.edit_url(index),
        }
    }

    /// The git history of page `index`'s source; none for a section Folio made up.
    fn history_context(&self, index: usize) -> Option<HistoryContext<'_>> {
        let page = &self.site.pages[index];
        if page.generated {
            return None;
        }
        let recent = self.history.of(&page.source);
        Some(HistoryContext {
            last: *recent.first()?,
            recent,
        })
    }

    /// Where to edit page `index`'s source: needs a repository (or `edit_url`) in site.toml and
    /// the site in a git repository, to know the file's path in it.
    fn edit_url(&self, index: usize) -> Option<String> {
        let page = &self.site.pages[index];
        if page.generated {
            return None;
        }
        let path = self.history.repository_path(&page.source)?;
        self.edit_links.url(&self.config.branch, &path)
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
        let (nav, breadcrumbs) = match current {
            Some(page) => {
                let ancestors = self.site.ancestors(page);
                let mut open: HashSet<&Path> = ancestors.iter().map(PathBuf::as_path).collect();
                if let Some(dir) = &self.site.pages[page].section_dir {
                    open.insert(dir);
                }
                let crumbs = ancestors
                    .iter()
                    .map(|dir| self.link(self.site.sections[dir].page))
                    .collect();
                (self.nav(root, Some(page), &open), crumbs)
            }
            None => (self.nav(root, None, &HashSet::new()), Vec::new()),
        };
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
            nav,
            breadcrumbs,
            current_url: self.url_of(url_path),
            folio_version: env!("CARGO_PKG_VERSION"),
            data: self.data.data,
            licenses: self.data.licenses,
        }
    }

    fn nav(&self, dir: &Path, current: Option<usize>, open: &HashSet<&Path>) -> Vec<NavItem> {
        let Some(section) = self.site.sections.get(dir) else {
            return Vec::new();
        };
        section
            .children
            .iter()
            .map(|&child| {
                let page = &self.site.pages[child];
                let is_open = Some(child) == current
                    || page
                        .section_dir
                        .as_deref()
                        .is_some_and(|d| open.contains(d));
                let children = match &page.section_dir {
                    Some(sub) if is_open => self.nav(sub, current, open),
                    _ => Vec::new(),
                };
                NavItem {
                    title: page
                        .front_matter
                        .link_title
                        .clone()
                        .unwrap_or_else(|| page.title.clone()),
                    url: self.url(child),
                    kind: page.kind.as_str(),
                    is_section: page.section_dir.is_some(),
                    active: Some(child) == current,
                    open: is_open,
                    children,
                }
            })
            .collect()
    }

    fn neighbours(&self, index: usize) -> (Option<LinkContext>, Option<LinkContext>) {
        let (prev, next) = self.site.neighbours(index);
        (prev.map(|i| self.link(i)), next.map(|i| self.link(i)))
    }

    /// The context of a page (not a section).
    pub fn page(&self, index: usize) -> PageTemplate<'_> {
        let (prev, next) = self.neighbours(index);
        PageTemplate {
            frame: self.frame(Some(index), &self.site.pages[index].url_path),
            page: self.page_context(index),
            prev,
            next,
        }
    }

    /// The context of a section page.
    pub fn section(&self, index: usize) -> SectionTemplate<'_> {
        let page = &self.site.pages[index];
        let dir = page.section_dir.as_deref().unwrap_or(Path::new(""));
        let children = self
            .site
            .sections
            .get(dir)
            .map(|s| s.children.as_slice())
            .unwrap_or_default();
        let pages = children
            .iter()
            .filter(|&&i| self.site.pages[i].section_dir.is_none())
            .map(|&i| &self.summaries[i])
            .collect();
        let subsections = children
            .iter()
            .filter_map(|&i| {
                let sub = self.site.pages[i].section_dir.as_ref()?;
                Some(SubsectionSummary {
                    title: &self.site.pages[i].title,
                    url: &self.summaries[i].url,
                    description: self.site.pages[i].front_matter.description.as_deref(),
                    page_count: self.site.sections.get(sub).map_or(0, |s| s.children.len()),
                })
            })
            .collect();
        let (prev, next) = self.neighbours(index);
        SectionTemplate {
            frame: self.frame(Some(index), &page.url_path),
            section: SectionContext {
                page: self.page_context(index),
                pages,
                subsections,
            },
            prev,
            next,
        }
    }

    /// The tag index with every tag's pages.
    pub fn taxonomy(&self) -> TaxonomyContext<'_> {
        let mut by_tag: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for index in &self.site.reading_order {
            for tag in &self.site.pages[*index].front_matter.tags {
                by_tag.entry(tag.as_str()).or_default().push(*index);
            }
        }
        // Readers expect "licensing" before "Supply chain": sort tags ignoring case.
        let mut by_tag: Vec<(&str, Vec<usize>)> = by_tag.into_iter().collect();
        by_tag.sort_by_key(|(name, _)| name.to_lowercase());
        TaxonomyContext {
            name: "tags",
            url: self.url_of(TAGS_URL_PATH),
            permalink: self.permalink(TAGS_URL_PATH),
            terms: by_tag
                .into_iter()
                .map(|(name, pages)| TermContext {
                    name,
                    url: self.url_of(&tag_url_path(name)),
                    permalink: self.permalink(&tag_url_path(name)),
                    pages: pages.iter().map(|&i| &self.summaries[i]).collect(),
                })
                .collect(),
        }
    }

    /// The context of `taxonomy.html` for the index (`term` = None) or one tag.
    pub fn taxonomy_page<'t>(
        &'t self,
        taxonomy: &'t TaxonomyContext<'t>,
        term: Option<&'t TermContext<'t>>,
    ) -> TaxonomyTemplate<'t> {
        let url_path = match term {
            Some(t) => tag_url_path(t.name),
            None => TAGS_URL_PATH.to_string(),
        };
        let mut frame = self.frame(None, &url_path);
        frame.breadcrumbs = vec![self.link(self.site.sections[Path::new("")].page)];
        TaxonomyTemplate {
            frame,
            taxonomy,
            term,
        }
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
            frame.nav = self.nav(root, None, &HashSet::new());
        }
        NotFoundTemplate { frame }
    }

    /// Indexes of the FAQ pages, in reading order.
    pub fn faq_pages(&self) -> Vec<usize> {
        self.site
            .reading_order
            .iter()
            .copied()
            .filter(|&i| {
                self.site.pages[i].kind == Kind::Faq && self.site.pages[i].section_dir.is_none()
            })
            .collect()
    }

    /// Every FAQ grouped by category, with ids that do not clash with `taken`.
    fn faq_hub_context(
        &self,
        url_path: &str,
        title: &'a str,
        taken: &HashSet<String>,
    ) -> FaqHubContext<'_> {
        let mut ids = IdAllocator::default();
        // Ids the frame and the section's own text already use.
        for id in FRAME_IDS
            .iter()
            .copied()
            .chain(taken.iter().map(String::as_str))
        {
            ids.reserve(id);
        }
        // Named categories first, alphabetically ignoring case (which also merges `Licensing`
        // and `licensing`, under the spelling met first); then the uncategorised.
        let mut groups: BTreeMap<(bool, String), (&str, Vec<usize>)> = BTreeMap::new();
        for index in self.faq_pages() {
            let category = self.summaries[index]
                .faq
                .as_ref()
                .and_then(|faq| faq.category.as_deref())
                .map(str::trim)
                .filter(|c| !c.is_empty());
            let (key, name) = match category {
                Some(name) => ((false, name.to_lowercase()), name),
                None => ((true, String::new()), UNCATEGORISED),
            };
            groups
                .entry(key)
                .or_insert((name, Vec::new()))
                .1
                .push(index);
        }
        let mut ld_entities = Vec::new();
        let mut categories = Vec::new();
        for ((uncategorised, _), (name, pages)) in groups {
            let mut questions = Vec::new();
            for index in pages {
                let summary = &self.summaries[index];
                let Some(faq) = &summary.faq else { continue };
                let page = &self.site.pages[index];
                let id = ids.allocate(&faq.question);
                ld_entities.push(serde_json::json!({
                    "@type": "Question",
                    "name": faq.question,
                    "url": format!("{}#{id}", self.permalink(url_path)),
                    "acceptedAnswer": {"@type": "Answer", "text": page.rendered.html},
                }));
                questions.push(FaqEntry {
                    id,
                    question: &faq.question,
                    title: &page.title,
                    url: &summary.url,
                    category: (!uncategorised).then_some(name),
                    answer: &page.rendered.html,
                });
            }
            categories.push((name, questions));
        }
        // Category ids come after every question's, so a question keeps its plain slug.
        let categories: Vec<FaqCategory<'_>> = categories
            .into_iter()
            .map(|(name, questions)| FaqCategory {
                name,
                id: ids.allocate(&format!("category {name}")),
                questions,
            })
            .collect();
        let count = ld_entities.len();
        let json_ld = script_safe_json(&serde_json::json!({
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": ld_entities,
        }));
        FaqHubContext {
            title,
            url: self.url_of(url_path),
            permalink: self.permalink(url_path),
            count,
            categories,
            json_ld,
        }
    }

    /// The context of `faq-hub.html` as the page of the `faq` section (page `index`).
    pub fn faq_hub_section(&self, index: usize) -> FaqHubTemplate<'_> {
        let SectionTemplate {
            frame,
            section,
            prev,
            next,
        } = self.section(index);
        let page = &self.site.pages[index];
        let faq_hub = self.faq_hub_context(&page.url_path, &page.title, &page.rendered.anchors);
        FaqHubTemplate {
            frame,
            section: Some(section),
            faq_hub,
            prev,
            next,
        }
    }

    /// The context of the FAQ hub Folio writes at `/faq/` when the site has no `faq` section.
    pub fn faq_hub_page(&self) -> FaqHubTemplate<'_> {
        let mut frame = self.frame(None, FAQ_HUB_URL_PATH);
        frame.breadcrumbs = vec![self.link(self.site.sections[Path::new("")].page)];
        FaqHubTemplate {
            frame,
            section: None,
            faq_hub: self.faq_hub_context(
                FAQ_HUB_URL_PATH,
                Kind::Faq.index_title(),
                &HashSet::new(),
            ),
            prev: None,
            next: None,
        }
    }

    /// The site's glossary, if it has one.
    pub fn glossary(&self) -> Option<&'a Glossary> {
        self.data.glossary
    }

    /// True when the site has a glossary.
    pub fn has_glossary(&self) -> bool {
        self.data.glossary.is_some()
    }

    /// True when page `index` is the glossary page; for `None` (the page Folio generates), true
    /// when the site has a glossary and no page of its own at `/glossary/`.
    pub fn is_glossary_page(&self, index: Option<usize>) -> bool {
        match index {
            Some(_) => index == self.glossary_page,
            None => self.has_glossary() && self.glossary_page.is_none(),
        }
    }

    /// The context of `glossary.html`, for page `index` (the content's page at `/glossary/`)
    /// or, with `None`, for the page Folio generates there.
    pub fn glossary_page(&self, index: Option<usize>) -> GlossaryTemplate<'_> {
        let Some(index) = index else {
            let mut frame = self.frame(None, GLOSSARY_URL_PATH);
            frame.breadcrumbs = vec![self.link(self.site.sections[Path::new("")].page)];
            return GlossaryTemplate {
                frame,
                page: None,
                section: None,
                glossary: self.glossary_context(GLOSSARY_TITLE, &HashSet::new()),
                prev: None,
                next: None,
            };
        };
        let page = &self.site.pages[index];
        let glossary = self.glossary_context(&page.title, &page.rendered.anchors);
        if page.section_dir.is_some() {
            let SectionTemplate {
                frame,
                section,
                prev,
                next,
            } = self.section(index);
            GlossaryTemplate {
                frame,
                page: None,
                section: Some(section),
                glossary,
                prev,
                next,
            }
        } else {
            let PageTemplate {
                frame,
                page,
                prev,
                next,
            } = self.page(index);
            GlossaryTemplate {
                frame,
                page: Some(page),
                section: None,
                glossary,
                prev,
                next,
            }
        }
    }

    /// The terms of this build grouped by letter, `#` (when needed) and then A to Z; letter ids do not clash
    /// with the terms' or with `taken` (the page's own anchors).
    fn glossary_context(&self, title: &'a str, taken: &HashSet<String>) -> GlossaryContext<'_> {
        let glossary = self.data.glossary;
        let terms: Vec<_> = glossary.iter().flat_map(|g| g.terms()).collect();
        let mut ids = IdAllocator::default();
        for id in FRAME_IDS
            .iter()
            .copied()
            .chain(terms.iter().map(|t| t.id.as_str()))
            .chain(taken.iter().map(String::as_str))
        {
            ids.reserve(id);
        }
        let letter_of = |term: &str| {
            let first = term.chars().next().unwrap_or('#').to_ascii_uppercase();
            if first.is_ascii_uppercase() {
                first
            } else {
                '#'
            }
        };
        // `#` (terms starting with a digit or symbol) first, as they sort first.
        let mut letters: Vec<GlossaryLetter<'_>> = std::iter::once('#')
            .chain('A'..='Z')
            .map(|letter| GlossaryLetter {
                letter: letter.to_string(),
                id: None,
                terms: Vec::new(),
            })
            .collect();
        for term in &terms {
            let letter = letter_of(&term.term);
            let slot = if letter == '#' {
                0
            } else {
                (letter as u8 - b'A') as usize + 1
            };
            letters[slot].terms.push(GlossaryTermContext {
                term: &term.term,
                id: &term.id,
                name: term.name.as_deref(),
                definition: &term.definition_html,
                aliases: &term.aliases,
                see: glossary
                    .iter()
                    .flat_map(|g| {
                        term.see
                            .iter()
                            .filter_map(move |s| g.find(s))
                            .map(move |t| (g, t))
                    })
                    .map(|(g, t)| LinkContext {
                        title: t.term.clone(),
                        url: g.term_url(t),
                    })
                    .collect(),
            });
        }
        // `#` is listed only when some term needs it.
        if letters[0].terms.is_empty() {
            letters.remove(0);
        }
        for letter in &mut letters {
            if !letter.terms.is_empty() {
                let name = if letter.letter == "#" {
                    "other"
                } else {
                    &letter.letter
                };
                letter.id = Some(ids.allocate(&format!("letter {name}")));
            }
        }
        GlossaryContext {
            title,
            url: self.url_of(GLOSSARY_URL_PATH),
            permalink: self.permalink(GLOSSARY_URL_PATH),
            count: terms.len(),
            letters,
        }
    }

    /// The context of an alias page that redirects to `page`.
    pub fn redirect(&self, page: usize) -> RedirectTemplate<'_> {
        RedirectTemplate {
            site: &self.site_context,
            redirect_to: self.permalink(&self.site.pages[page].url_path),
        }
    }
}

impl TermContext<'_> {
    /// The tag's URL path, without the base path.
    pub fn url_path(&self) -> String {
        tag_url_path(self.name)
    }
}

impl TaxonomyContext<'_> {
    /// The tags, in name order.
    pub fn terms(&self) -> &[TermContext<'_>] {
        &self.terms
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

/// The Atom feed's pages with their dates: policies and playbooks that have an `updated` or a
/// `date`, newest first (ties by URL), at most [`FEED_LIMIT`].
fn feed_pages(site: &Site) -> Vec<(usize, IsoDate)> {
    let mut pages: Vec<(usize, IsoDate)> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, page)| matches!(page.kind, Kind::Policy | Kind::Playbook))
        .filter_map(|(i, page)| {
            let fm = &page.front_matter;
            Some((i, fm.updated.or(fm.date)?))
        })
        .collect();
    pages.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| site.pages[a.0].url_path.cmp(&site.pages[b.0].url_path))
    });
    pages.truncate(FEED_LIMIT);
    pages
}

/// `tags/NAME/`, with the tag name made URL-safe the way heading ids are.
pub fn tag_url_path(tag: &str) -> String {
    let slug = github_slug(tag);
    let slug = if slug.is_empty() {
        "tag".to_string()
    } else {
        slug
    };
    format!("{TAGS_URL_PATH}{slug}/")
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
