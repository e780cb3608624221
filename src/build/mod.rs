//! Layer 5, **build**: the build, and the only place that knows the order of its stages. Each
//! stage has its module:
//!
//! 1. **load** (`load`): site.toml, the theme's templates, and every page's source and front
//!    matter, in parallel, each page with its kind and URL path; then, by the rules of
//!    [`crate::content::resolve`], which pages are internal, the link map (with the files the
//!    build will write, `outputs`), the section tree, URL clashes and aliases; and the data
//!    files under data/, with the glossary and the licence list checked (`data`).
//! 2. **render** (`render`): each page's Markdown, in parallel, links rewritten through the
//!    link map and `[[term]]`s through the glossary; every `#anchor` checked once all heading
//!    ids are known; the tree ordered by the titles found; `related` and `superseded_by`
//!    resolved.
//! 3. **write** (`write`): every page and extra file (tags, aliases, 404, search pages, the FAQ
//!    hub, kind indexes, the glossary, sitemap, Atom feed, catalog.json, robots.txt, static
//!    files) through the templates, in parallel, into a staging folder beside the output.
//! 4. **index** (`index`): beside the writing, every language version's pages indexed with
//!    tantivy (beside the output folder) and exported for the browser; the export goes into the
//!    staging folder, then the indexes and the output are swapped in.
//! 5. **incremental** (`live`): for `folio serve`, an edit to one page's body runs render,
//!    write and index again for that page alone, in place.
//!
//! Each stage collects every problem it finds; the build stops before writing anything if there
//! are errors, and a failure while writing leaves the previous output untouched.
//!
//! [`build`] runs stages 1 to 4. [`check`] (`folio check`) shares stages 1 and 2 (`prepare`),
//! renders stage 3 into a sink that keeps nothing, skips stage 4, and adds the
//! [`hygiene`] rules.
//!
//! May import: every layer below, `base` to `search`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod data;
mod index;
mod live;
mod load;
mod outputs;
mod render;
mod untitled;
mod write;

pub use live::{LiveSite, SearchEdit, SiteSearch};

use crate::base::diag::Diagnostics;
use crate::base::model::{IsoDate, Visibility};
use crate::base::output::normalize as normalize_path;
use crate::base::progress::Progress;
use crate::content::glossary::{GLOSSARY_KEY, is_glossary};
use crate::content::hygiene;
use crate::content::links::{Exclusion, LinkMap};
use crate::content::nav::SiteNav;
use crate::content::resolve::{
    add_unbuilt_urls, check_url_collisions, collect_aliases, internal_dirs, internal_pages,
    resolve_related, resolve_superseded_by,
};
use crate::content::site::Site;
use crate::input::config::Config;
use crate::input::config::output_dir::check_output_path;
use crate::input::data::Data;
use crate::input::history::History;
use crate::input::source;
use crate::render::context::Contexts;
use crate::render::templates::Templates;
use crate::render::theme::Theme;
use crate::search;
use data::LoadedData;
use load::{compile_templates, load_config, load_pages};
use render::render_markdown;
use write::{Discard, Writer};

/// What to build, from the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root (the folder holding site.toml).
    pub root: PathBuf,
    /// Output folder, overriding site.toml.
    pub output: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Who the site is for, overriding site.toml: a public build leaves out internal pages.
    pub audience: Option<Visibility>,
    /// Base URL, overriding site.toml.
    pub base_url: Option<String>,
    /// Where to report the stages and pages done (hidden unless set).
    pub progress: Progress,
}

/// The outcome of a build.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Every error and warning found.
    pub diagnostics: Diagnostics,
    /// Pages written (sections included).
    pub pages: usize,
    /// Sections among them.
    pub sections: usize,
    /// Where the site was written.
    pub output: PathBuf,
    /// Wall time.
    pub elapsed: Duration,
    /// What indexing and exporting took, when the build got that far.
    pub search: Option<search::SearchReport>,
    /// True when only the pages counted in `pages` were updated, in place.
    pub incremental: bool,
    /// What reading the git history took, when the build got that far.
    pub history: Option<HistoryTiming>,
}

/// The cost of reading the git history, which runs beside parsing and rendering.
#[derive(Debug, Clone, Copy, Default)]
pub struct HistoryTiming {
    /// From starting git to having the history parsed.
    pub read: Duration,
    /// How long the build stood waiting for it: what it added to the build.
    pub waited: Duration,
}

impl BuildReport {
    /// True when the output was written.
    pub fn succeeded(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// Builds the site described by `options`.
pub fn build(options: &BuildOptions) -> BuildReport {
    build_site_keeping(options, false).0
}

/// Builds the site and, when the build succeeds, keeps what [`LiveSite::update_page`] needs to
/// bring the output up to date after an edit without building everything again.
pub fn build_live(options: &BuildOptions) -> (BuildReport, Option<LiveSite>) {
    build_site_keeping(options, true)
}

fn build_site_keeping(options: &BuildOptions, keep: bool) -> (BuildReport, Option<LiveSite>) {
    let started = Instant::now();
    let mut report = BuildReport::default();
    let mut live = None;
    if let Some(config) = load_config(options, &mut report.diagnostics) {
        // Normalised, as the check sees it: `public/../content` is written as `content`.
        report.output = normalize_path(options.output.as_deref().unwrap_or(&config.output_dir));
        live = build_site(config, options, &mut report, keep);
    }
    report.elapsed = started.elapsed();
    (report, live)
}

/// Builds the site; with `keep`, returns the built state for incremental rebuilds.
fn build_site(
    config: Config,
    options: &BuildOptions,
    report: &mut BuildReport,
    keep: bool,
) -> Option<LiveSite> {
    let diagnostics = &mut report.diagnostics;
    if let Err(d) = check_output_path(&config, options.output.as_deref()) {
        diagnostics.push(d);
        return None;
    }
    // Git runs beside the parsing and rendering, which need nothing from it.
    let history = History::read_in_background(&config.content_dir());
    let theme = Theme::load(&config);
    let sources = if keep { Sources::Keep } else { Sources::Forget };
    let mut prepared = prepare(&config, options, theme.as_ref().ok(), sources, diagnostics);
    let (theme, templates) = compile_templates(theme, diagnostics)?;
    data::check_templates(&prepared.site, &templates, &prepared.data, diagnostics);
    if diagnostics.has_errors() {
        return None;
    }
    if !keep {
        prepared.site.forget_sources();
        crate::base::memory::return_freed();
    }
    let waiting = Instant::now();
    // A history thread cannot panic short of a bug; a build without history is still correct.
    let (history, read) = history.join().unwrap_or_default();
    report.history = Some(HistoryTiming {
        read,
        waited: waiting.elapsed(),
    });
    let written = write::write_site(
        &mut prepared,
        &config,
        &history,
        &theme,
        &templates,
        &report.output,
        keep,
    );
    let search = match written {
        Ok((search, live_index)) => {
            report.search = Some(search);
            report.pages = prepared.site.pages.len();
            report.sections = prepared.site.sections.len();
            live_index
        }
        Err(errors) => {
            diagnostics.extend(errors);
            return None;
        }
    };
    let standalone_faq_hub = write::faq_hub_is_generated(&prepared.site, &prepared.aliases);
    Some(LiveSite {
        standalone_faq_hub,
        pending_search: Vec::new(),
        kept: None,
        config,
        site: prepared.site,
        links: prepared.links,
        data: prepared.data,
        superseded_by: prepared.superseded_by,
        templates,
        history,
        output: report.output.clone(),
        search: Some(search).filter(|_| keep)?,
        versions: Vec::new(),
    })
}

/// What `folio check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Every error, warning and note: what a build reports, then the hygiene findings.
    pub diagnostics: Diagnostics,
    /// The site-relative URL of each page, by the path diagnostics show (`content/a.md`).
    pub urls: HashMap<PathBuf, String>,
    /// The policies whose review is overdue or due soon, soonest first.
    pub reviews: Vec<hygiene::Review>,
}

/// Runs every stage of a build but the writing: pages are rendered through the templates in
/// memory, so that template errors are found too. Then adds the handbook hygiene findings (see
/// [`hygiene`]). Writes nothing: no output folder, no staging folder, no search index.
pub fn check(options: &BuildOptions) -> CheckReport {
    let mut report = CheckReport::default();
    let diagnostics = &mut report.diagnostics;
    let Some(config) = load_config(options, diagnostics) else {
        return report;
    };
    // A build would refuse this output folder: say so, though check writes nothing there.
    if let Err(d) = check_output_path(&config, options.output.as_deref()) {
        diagnostics.push(d);
    }
    let theme = Theme::load(&config);
    let prepared = prepare(
        &config,
        options,
        theme.as_ref().ok(),
        Sources::Keep,
        diagnostics,
    );
    let templates = compile_templates(theme, diagnostics);
    if let Some((_, templates)) = &templates {
        data::check_templates(&prepared.site, templates, &prepared.data, diagnostics);
    }
    // Check reads no git history: what it validates does not depend on it.
    let history = History::default();
    let contexts = Contexts::new(
        &config,
        &prepared.site,
        &prepared.superseded_by,
        &history,
        prepared.data.site_data(),
    );
    // As in a build, pages are rendered through the templates only when the content is sound.
    if let Some((theme, templates)) = &templates
        && !diagnostics.has_errors()
    {
        let writer = prepared.writer(&config, &contexts, theme, templates);
        if let Err(errors) = writer.render(&Discard) {
            diagnostics.extend(errors);
        }
    }
    let settings = hygiene::Settings {
        today: IsoDate::today(),
        due_soon_days: config.review_due_soon_days,
    };
    diagnostics.extend(hygiene::check(&prepared.site, &settings));
    report.reviews = hygiene::reviews(&prepared.site, &settings);
    report.urls = (0..prepared.site.pages.len())
        .filter(|&i| !prepared.site.pages[i].generated)
        .map(|i| (prepared.site.pages[i].display_path.clone(), contexts.url(i)))
        .collect();
    report
}

/// The diagnostics of rendering with broken links as site.toml's `broken_links` wants them, and
/// each missing target shown once with the places that link to it.
fn links_as_configured(config: &Config, rendering: Diagnostics) -> Diagnostics {
    let mut applied = Diagnostics::new();
    applied.extend(rendering.into_iter().map(|d| config.broken_links.apply(d)));
    applied.group_repeats();
    applied
}

/// What the stages before writing produce, and all the write stage needs besides templates.
struct Prepared {
    site: Site,
    links: LinkMap,
    data: LoadedData,
    superseded_by: Vec<Option<usize>>,
    aliases: Vec<(String, usize)>,
    /// Files under content/ other than pages, copied as they are.
    files: Vec<PathBuf>,
    progress: Progress,
}

impl Prepared {
    fn writer<'a>(
        &'a self,
        config: &'a Config,
        contexts: &'a Contexts<'a>,
        theme: &'a Theme,
        templates: &'a Templates,
    ) -> Writer<'a> {
        Writer {
            config,
            site: &self.site,
            contexts,
            templates,
            theme,
            aliases: &self.aliases,
            files: &self.files,
            progress: &self.progress,
        }
    }
}

/// What the render stage does with each page's source once the page is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sources {
    /// Keeps it: `folio check`'s hygiene rules read it, and `folio serve` compares an edit
    /// with it.
    Keep,
    /// Keeps only its front matter, which later diagnostics point into: a one-off build
    /// needs no body once its HTML and search text are made, and on a large site the
    /// sources would otherwise be held beside all of the HTML.
    Forget,
}

/// Stages 1 and 2 (load and render), shared by `folio build` and `folio check`. `theme`, when
/// it loaded, gives the static files links from the site's root may name; without it such
/// links are left unchecked (the theme's own error says why). Every problem goes into
/// `diagnostics`; the site holds the pages that loaded.
fn prepare(
    config: &Config,
    options: &BuildOptions,
    theme: Option<&Theme>,
    after_render: Sources,
    diagnostics: &mut Diagnostics,
) -> Prepared {
    let excluded = config.excluded_from_content();
    let content_shown = config.content_shown();
    let (sources, walk_errors) = source::collect(&config.content_dir(), &content_shown, &excluded);
    diagnostics.extend(walk_errors);
    let nav_files = crate::input::nav::site::read(config, &excluded);
    let progress = &options.progress;
    let (loaded, failed) = load_pages(config, &sources.markdown, progress, diagnostics);
    let public = options.audience.unwrap_or(config.audience) == Visibility::Public;
    let internal = internal_pages(&loaded, diagnostics);
    let internal_dirs = internal_dirs(&loaded, &internal);
    let mut pages = Vec::with_capacity(loaded.len());
    let mut excluded = Vec::new();
    for (page, internal) in loaded.into_iter().zip(internal) {
        if public && internal {
            excluded.push((page, Exclusion::Internal));
        } else if page.front_matter.draft && !options.drafts {
            excluded.push((page, Exclusion::Draft));
        } else {
            pages.push(page);
        }
    }
    let mut links = LinkMap::new(&config.base_path, &content_shown);
    for (page, why) in &excluded {
        links.add_excluded(&page.source, *why);
    }
    for source in failed {
        links.add_failed(source);
    }
    // Files in an internal section are left out of a public build with its pages.
    let (files, excluded_files): (Vec<PathBuf>, Vec<PathBuf>) =
        sources.files.iter().cloned().partition(|file| {
            let dir = file.parent().unwrap_or(Path::new(""));
            !public || !dir.ancestors().any(|d| internal_dirs.contains(d))
        });
    for file in &files {
        links.add_file(file);
    }
    for file in &excluded_files {
        links.add_excluded_file(file);
    }
    let mut site = Site::assemble(pages, &config.title, &content_shown);
    site.language_roots = config
        .languages
        .iter()
        .filter(|l| **l != config.language)
        .map(PathBuf::from)
        .collect();
    for page in site.pages.iter_mut().filter(|p| p.generated) {
        page.language = config.language_of(&page.source).0;
    }
    let mut nav_warnings = Vec::new();
    site.nav = SiteNav::new(nav_files, &site.pages, &mut nav_warnings);
    diagnostics.extend(nav_warnings);
    for (index, page) in site.pages.iter().enumerate() {
        links.add_page(&page.source, index, &page.url_path, page.folder_page);
    }
    check_url_collisions(&site, &files, &content_shown, diagnostics);
    let aliases = collect_aliases(&mut site, diagnostics);
    add_unbuilt_urls(&mut links, &excluded);
    let (data_files, found) = Data::load(&config.root);
    diagnostics.extend(found);
    if let Some(theme) = theme {
        let has_glossary = data_files.file(GLOSSARY_KEY).is_some_and(is_glossary);
        let static_files = theme.static_files.keys().map(PathBuf::as_path);
        links.set_outputs(outputs::extra_outputs(
            config,
            &site,
            has_glossary,
            static_files,
            &aliases,
        ));
    }
    let data = data::load_data(config, data_files, &links, public, diagnostics);
    let mut rendering = Diagnostics::new();
    render_markdown(
        &mut site,
        &links,
        &data,
        progress,
        after_render,
        &mut rendering,
    );
    diagnostics.extend(links_as_configured(config, rendering));
    // Titles may come from headings, so order sections only now that every title is known.
    site.arrange();
    resolve_related(&mut site, diagnostics);
    let superseded_by = resolve_superseded_by(&site, &links, diagnostics);
    Prepared {
        site,
        links,
        data,
        superseded_by,
        aliases,
        files,
        progress: progress.clone(),
    }
}
