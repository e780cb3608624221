//! Incremental rebuilds for `folio serve`: when an edit changes only a page's body, re-render
//! that page alone and update its search entries, instead of building the site again. The
//! pages are written first ([`LiveSite::update_page`]), so that open pages can reload at once;
//! the search index and export follow, from [`SiteSearch`], which the dev server updates on a
//! thread of its own ([`LiveSite::take_search`], [`LiveSite::take_search_edits`]). A browser
//! meanwhile searches the previous export, whole: it reaches new export files only through the
//! new `entry.json`, written last, and the files the previous one names stay until then.
//!
//! What other pages show of a page (sidebar, lists, breadcrumbs, previous and next, tags) comes
//! from its front matter and title alone (see `render::context`), so an edit that leaves both as
//! they were changes no other page's HTML, with one exception: the FAQ hub shows every FAQ's
//! answer, so an edit to an FAQ's body re-renders the hub too. Anything else (front matter, a
//! title taken from the first heading, a new, deleted or renamed file, templates, site.toml) is
//! a full build.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::base::diag::{Diagnostic, Diagnostics};
use crate::base::output;
use crate::base::paths::FAQ_HUB_URL_PATH;
use crate::content::folders::Role;
use crate::content::links::LinkMap;
use crate::content::page::Page;
use crate::content::site::Site;
use crate::input::config::Config;
use crate::input::history::History;
use crate::render::context::{Contexts, Kept};
use crate::render::html::page_html;
use crate::render::templates::{self as template, Templates};

use super::BuildReport;
use super::data::LoadedData;
use super::index::{self, LiveSearch, Updated};
use super::load::load_page;
use super::render::{
    AnchorCheck, check_anchor, meant_id, missing_anchor, render_page, replace_href,
    respelled_anchor_warnings, retarget_to_self, unlinked_terms_note,
};
use crate::search::SearchPage;
use crate::search::Version;

/// A successful build, kept so that an edit to one page can update the output in place.
pub struct LiveSite {
    pub(super) config: Config,
    pub(super) site: Site,
    pub(super) links: LinkMap,
    /// The data files, glossary and licence list of the build.
    pub(super) data: LoadedData,
    pub(super) superseded_by: Vec<Option<usize>>,
    pub(super) templates: Templates,
    /// The git history read by the full build: an edit to a page's body is not a commit, so it
    /// stays right until the next full build reads it again.
    pub(super) history: History,
    pub(super) output: PathBuf,
    /// The search index of each language version, until [`LiveSite::take_search`] takes it.
    pub(super) search: Vec<LiveSearch>,
    /// The language versions of `search`, kept when it is taken, to tell where a page's
    /// entries are.
    pub(super) versions: Vec<Version>,
    /// True when the FAQ hub at `/faq/` is one the build writes itself (see
    /// [`write::faq_hub_is_generated`](super::write::faq_hub_is_generated)).
    pub(super) standalone_faq_hub: bool,
    /// Pages written whose search entries are yet to be handed on
    /// ([`LiveSite::take_search_edits`]).
    pub(super) pending_search: Vec<(usize, SearchPage)>,
    /// What the contexts of the last edit worked out for every page: the next edit changes
    /// none of it either.
    pub(super) kept: Option<Kept>,
}

impl LiveSite {
    /// The content folder relative to the site root (`content`, `docs`, empty when it is the
    /// root), as the watcher's paths start.
    pub fn content_shown(&self) -> PathBuf {
        self.config.content_shown()
    }

    /// Brings the pages of the output up to date after the Markdown file `rel` (relative to
    /// content/) changed; its search entries wait for [`LiveSite::take_search_edits`]. `None` when
    /// the change is not to the body of an existing page alone: then only a full build will do.
    /// A report with errors leaves the output and this state as they were.
    pub fn update_page(&mut self, rel: &Path) -> Option<BuildReport> {
        let started = Instant::now();
        let (index, _) = self.links.page(rel)?;
        let old = &self.site.pages[index];
        if old.generated || !self.config.content_dir().join(rel).is_file() {
            return None;
        }
        let mut report = BuildReport {
            output: self.output.clone(),
            incremental: true,
            ..BuildReport::default()
        };
        // The page keeps its part in its folder: a new folder page would be a new file.
        let role = match (&old.section_dir, old.folder_page) {
            (Some(_), _) => Role::Section,
            (None, true) => Role::Bundle,
            (None, false) => Role::Page,
        };
        let (loaded, found) = load_page(&self.config, rel, &role);
        report.diagnostics.extend(found);
        let Some(mut page) = loaded else {
            report.elapsed = started.elapsed();
            return Some(report);
        };
        let same_front_matter = page.text[..page.body_offset] == old.text[..old.body_offset];
        if !same_front_matter || page.url_path != old.url_path || page.kind != old.kind {
            return None;
        }
        let mut rendering = Diagnostics::new();
        rendering.extend(render_page(&mut page, &self.links, &self.data));
        if page.title != old.title {
            return None;
        }
        page.section_dir.clone_from(&old.section_dir);
        if !check_anchors(&self.site, index, &mut page, &mut rendering) {
            return None;
        }
        rendering.extend(unlinked_terms_note(page.rendered.unlinked_terms.clone()));
        // As in a full build: under `broken_links = "warn"` a broken link does not keep the
        // edit from being shown.
        report
            .diagnostics
            .extend(super::links_as_configured(&self.config, rendering));
        if report.diagnostics.has_errors() {
            report.elapsed = started.elapsed();
            return Some(report);
        }
        let previous = std::mem::replace(&mut self.site.pages[index], page);
        match self.write(index) {
            Ok(entry) => {
                self.pending_search.retain(|(pending, _)| *pending != index);
                self.pending_search.push((index, entry));
            }
            Err(d) => {
                self.site.pages[index] = previous;
                report.diagnostics.push(d);
            }
        }
        report.pages = 1;
        report.elapsed = started.elapsed();
        Some(report)
    }

    /// The search index and export of the build, to update as pages change
    /// ([`SiteSearch::update`]), on another thread if need be. Taken once: the edits that follow
    /// are handed on by [`LiveSite::take_search_edits`].
    pub fn take_search(&mut self) -> SiteSearch {
        let search = std::mem::take(&mut self.search);
        self.versions = search.iter().map(|live| live.version().clone()).collect();
        SiteSearch {
            search,
            output: self.output.clone(),
        }
    }

    /// What the search index is to hold of the pages written since the last call, one edit a
    /// page (the latest). `None` when a page has no place in the index: only a full build can
    /// give it one.
    pub fn take_search_edits(&mut self) -> Option<Vec<SearchEdit>> {
        let mut edits = Vec::new();
        for (index, page) in std::mem::take(&mut self.pending_search) {
            let (version, number) = index::locate(&self.versions, &self.site, index)?;
            edits.push(SearchEdit {
                version,
                number,
                page,
            });
        }
        Some(edits)
    }

    /// Writes page `index`'s HTML and that of the pages that show its body, and returns what
    /// search is to hold of it. Every page is rendered before any is written, so that a
    /// template error leaves the output as it was.
    fn write(&mut self, index: usize) -> Result<SearchPage, Diagnostic> {
        let contexts = Contexts::reusing(
            &self.config,
            &self.site,
            &self.superseded_by,
            &self.history,
            self.data.site_data(),
            self.kept.take(),
        );
        let written = self.render_and_write(&contexts, index);
        self.kept = Some(contexts.into_kept());
        written
    }

    fn render_and_write(
        &self,
        contexts: &Contexts,
        index: usize,
    ) -> Result<SearchPage, Diagnostic> {
        let page = &self.site.pages[index];
        let mut pages = vec![(
            page.url_path.clone(),
            page_html(&self.templates, contexts, &self.site, index)?,
        )];
        // The FAQ hub shows every FAQ's answer (see `render::context::faq_hub`).
        if contexts.faq_pages().contains(&index) {
            if let Some(hub) = self.site.faq_hub_section() {
                let html = page_html(&self.templates, contexts, &self.site, hub)?;
                pages.push((self.site.pages[hub].url_path.clone(), html));
            } else if self.standalone_faq_hub {
                let html = self
                    .templates
                    .render(template::FAQ_HUB, &contexts.faq_hub_page())?;
                pages.push((FAQ_HUB_URL_PATH.to_string(), html));
            }
        }
        for (url_path, html) in &pages {
            let path = self.output.join(url_path).join("index.html");
            output::replace_file(&path, html.as_bytes()).map_err(|e| {
                Diagnostic::error(format!("cannot write `{}`: {e}", path.display()))
            })?;
        }
        let sections = std::sync::Arc::clone(&self.site.pages[index].rendered.sections);
        Ok(index::search_page(&self.site, contexts, index, sections))
    }
}

/// The search index and export of a build, taken from its [`LiveSite`]: what updating the
/// search entries of edited pages needs, and nothing of the site.
pub struct SiteSearch {
    /// The index of each language version.
    search: Vec<LiveSearch>,
    /// The output folder the exports are in.
    output: PathBuf,
}

/// What the search index is to hold of one edited page.
pub struct SearchEdit {
    /// The language version's place in the site's search.
    version: usize,
    /// The page's number in its language version.
    number: usize,
    /// Its search entries.
    page: SearchPage,
}

impl SearchEdit {
    /// Which page this is an edit of: a later edit with the same key replaces it.
    pub fn key(&self) -> (usize, usize) {
        (self.version, self.number)
    }
}

impl SiteSearch {
    /// Replaces the search entries of `edit`'s page, in the index and in the export.
    /// `Ok(false)` when the page outgrew the search numbers set aside for it: only a full build
    /// can renumber. After an error, the index may hold part of the edit: only a full build
    /// puts it right.
    pub fn update(&mut self, edit: SearchEdit) -> Result<bool, Diagnostic> {
        let Some(live) = self.search.get_mut(edit.version) else {
            return Ok(false);
        };
        let updated = index::update_page(live, edit.number, edit.page, &self.output)?;
        Ok(matches!(updated, Updated::Done))
    }
}

/// Checks the `#anchor` links of the edited page, and those of other pages into it. False when
/// another page links into it with `./#x`, which may have to change to the other page's own
/// `#x` (or back): only a full build rewrites other pages.
fn check_anchors(
    site: &Site,
    index: usize,
    page: &mut Page,
    diagnostics: &mut Diagnostics,
) -> bool {
    let mut retargeted = Vec::new();
    let mut respelled = Vec::new();
    for anchor_ref in &page.rendered.anchor_refs {
        let target = match anchor_ref.page {
            Some(target) if target != index => &site.pages[target],
            _ => &*page,
        };
        match check_anchor(target, page, anchor_ref) {
            AnchorCheck::Found => {}
            AnchorCheck::InThisPage(href) => retargeted.push(href),
            AnchorCheck::Respelled { to, id, how } => {
                respelled.push((anchor_ref.clone(), to, id, how));
            }
            AnchorCheck::Missing => diagnostics.push(missing_anchor(target, anchor_ref)),
        }
    }
    for href in retargeted {
        retarget_to_self(page, &href);
    }
    for (anchor_ref, to, _, _) in &respelled {
        replace_href(page, &anchor_ref.href, to);
    }
    let respelled = respelled.into_iter().map(|(r, _, id, how)| (r, id, how));
    diagnostics.extend(respelled_anchor_warnings(respelled.collect()));
    for (from, other) in site.pages.iter().enumerate() {
        if from == index {
            continue;
        }
        for anchor_ref in &other.rendered.anchor_refs {
            if anchor_ref.page != Some(index) {
                continue;
            }
            if anchor_ref.self_href.is_some() {
                return false;
            }
            if page.rendered.anchors.contains(&anchor_ref.anchor) {
                continue;
            }
            // The full build pointed a link that spells an id otherwise at the heading's id:
            // while the id is the same, the other page is right as it is.
            match meant_id(page, &anchor_ref.anchor) {
                Some((id, _))
                    if meant_id(&site.pages[index], &anchor_ref.anchor)
                        .is_some_and(|(before, _)| before == id) => {}
                Some(_) => return false,
                None => diagnostics.push(missing_anchor(page, anchor_ref)),
            }
        }
    }
    true
}
