//! The build pipeline, and the only place that knows the order of its stages:
//!
//! 1. **load** site.toml and find the sources under content/;
//! 2. **parse** each page's front matter (in parallel) and give it a URL;
//! 3. **read** the data files under data/, and check the glossary and the licence list in them
//!    (module `data`);
//! 4. **render** each page's Markdown (in parallel), rewriting links through the link map and
//!    `[[term]]`s through the glossary, then check every `#anchor` once all heading ids are known;
//! 5. **assemble** the section tree, sidebar order and previous/next;
//! 6. **write** every page through the templates (in parallel) into a staging folder, plus
//!    static files, tags, aliases, 404, the glossary, sitemap, Atom feed, catalog.json and
//!    robots.txt (module `write`);
//! 7. **index** every page and section with tantivy (beside the output folder) and export
//!    the index into the staging folder for the browser; then swap output and index in.
//!
//! Each stage collects every problem it finds; the build stops before writing anything if there
//! are errors, and a failure while writing leaves the previous output untouched.
//!
//! [`build`] runs them all. [`check`] (`folio check`) shares stages 1 to 5 ([`prepare`]), renders
//! stage 6 into a sink that keeps nothing, skips stage 7, and adds the [`hygiene`] rules.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod data;
mod live;
mod outputs;
mod write;

use rayon::prelude::*;

pub use live::LiveSite;

use crate::base::diag::{Diagnostic, Diagnostics, Location};
use crate::base::model::{IsoDate, Visibility};
use crate::base::output::normalize as normalize_path;
use crate::base::progress::Progress;
use crate::content::glossary::GLOSSARY_KEY;
use crate::content::hygiene;
use crate::content::links::{Exclusion, LinkMap};
use crate::content::markdown::{self, AnchorRef};
use crate::content::resolve::{
    add_unbuilt_urls, check_url_collisions, collect_aliases, internal_dirs, internal_pages,
    page_url_path, permalink_url_path, resolve_related, resolve_superseded_by,
};
use crate::content::site::{Page, Site};
use crate::input::compat;
use crate::input::config::Config;
use crate::input::config::output_dir::check_output_path;
use crate::input::data::Data;
use crate::input::front_matter;
use crate::input::history::History;
use crate::input::source;
use crate::render::context::Contexts;
use crate::render::templates::Templates;
use crate::render::theme::Theme;
use crate::search;
use data::LoadedData;
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

fn load_config(options: &BuildOptions, diagnostics: &mut Diagnostics) -> Option<Config> {
    let mut config = match Config::load(&options.root) {
        Ok(config) => config,
        Err(errors) => {
            diagnostics.extend(errors.into_iter().map(|d| d.with_code("config")));
            return None;
        }
    };
    if let Some(url) = &options.base_url
        && let Err(message) = config.set_base_url(url)
    {
        diagnostics.push(Diagnostic::error(format!("--base-url: {message}")));
        return None;
    }
    Some(config)
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
    let history = History::read_in_background(&config.root);
    let theme = Theme::load(&config);
    let mut prepared = prepare(&config, options, theme.as_ref().ok(), diagnostics);
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
    let contexts = Contexts::new(
        &config,
        &prepared.site,
        &prepared.superseded_by,
        &history,
        prepared.data.site_data(),
    );
    let writer = prepared.writer(&config, &contexts, &theme, &templates, keep);
    let search = match writer.write(&report.output) {
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
    drop(contexts);
    Some(LiveSite {
        config,
        site: prepared.site,
        links: prepared.links,
        data: prepared.data,
        superseded_by: prepared.superseded_by,
        templates,
        history,
        output: report.output.clone(),
        search: Some(search).filter(|_| keep)?,
    })
}

/// What `folio check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Every error, warning and note: what a build reports, then the hygiene findings.
    pub diagnostics: Diagnostics,
    /// The site-relative URL of each page, by the path diagnostics show (`content/a.md`).
    pub urls: HashMap<PathBuf, String>,
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
    let prepared = prepare(&config, options, theme.as_ref().ok(), diagnostics);
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
        let writer = prepared.writer(&config, &contexts, theme, templates, false);
        if let Err(errors) = writer.render(&Discard) {
            diagnostics.extend(errors);
        }
    }
    let settings = hygiene::Settings {
        today: IsoDate::today(),
        due_soon_days: config.review_due_soon_days,
    };
    diagnostics.extend(hygiene::check(&prepared.site, &settings));
    report.urls = (0..prepared.site.pages.len())
        .filter(|&i| !prepared.site.pages[i].generated)
        .map(|i| (prepared.site.pages[i].display_path.clone(), contexts.url(i)))
        .collect();
    report
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
        keep: bool,
    ) -> Writer<'a> {
        Writer {
            config,
            site: &self.site,
            contexts,
            templates,
            theme,
            aliases: &self.aliases,
            files: &self.files,
            keep,
            progress: &self.progress,
        }
    }
}

/// Stages 1 to 5, shared by `folio build` and `folio check`: load, parse, read data, render and
/// assemble. `theme`, when it loaded, gives the static files links from the site's root may
/// name; without it such links are left unchecked (the theme's own error says why).
/// Every problem goes into `diagnostics`; the site holds the pages that loaded.
fn prepare(
    config: &Config,
    options: &BuildOptions,
    theme: Option<&Theme>,
    diagnostics: &mut Diagnostics,
) -> Prepared {
    let (sources, walk_errors) = source::collect(&config.content_dir());
    diagnostics.extend(walk_errors);
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
    let mut links = LinkMap::new(&config.base_path);
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
    let mut site = Site::assemble(pages, &config.title);
    site.language_roots = config
        .languages
        .iter()
        .filter(|l| **l != config.language)
        .map(PathBuf::from)
        .collect();
    for page in site.pages.iter_mut().filter(|p| p.generated) {
        page.language = config.language_of(&page.source).0;
    }
    for (index, page) in site.pages.iter().enumerate() {
        links.add_page(&page.source, index, &page.url_path);
    }
    check_url_collisions(&site, &files, diagnostics);
    let aliases = collect_aliases(&site, diagnostics);
    add_unbuilt_urls(&mut links, &excluded);
    let (data_files, found) = Data::load(&config.root);
    diagnostics.extend(found);
    if let Some(theme) = theme {
        let has_glossary = data_files.file(GLOSSARY_KEY).is_some();
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
    render_markdown(&mut site, &links, &data, progress, &mut rendering);
    let broken_links = config.broken_links;
    diagnostics.extend(
        rendering
            .items()
            .iter()
            .cloned()
            .map(|d| broken_links.apply(d)),
    );
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

/// Compiles the loaded theme's templates; None (with the errors reported) when loading or
/// compiling failed.
fn compile_templates(
    loaded: Result<Theme, Vec<Diagnostic>>,
    diagnostics: &mut Diagnostics,
) -> Option<(Theme, Templates)> {
    let compiled = loaded.and_then(|mut theme| {
        diagnostics.extend(std::mem::take(&mut theme.warnings));
        let templates = Templates::compile(&theme)?;
        Ok((theme, templates))
    });
    match compiled {
        Ok(compiled) => Some(compiled),
        Err(errors) => {
            diagnostics.extend(errors.into_iter().map(|d| d.with_code("template")));
            None
        }
    }
}

/// Reads and parses every Markdown file in parallel. Pages with errors are left out and returned
/// apart, so links to them do not repeat their errors.
fn load_pages<'m>(
    config: &Config,
    markdown: &'m [PathBuf],
    progress: &Progress,
    diagnostics: &mut Diagnostics,
) -> (Vec<Page>, Vec<&'m PathBuf>) {
    progress.stage("Reading", markdown.len());
    let results: Vec<(Option<Page>, Vec<Diagnostic>)> = markdown
        .par_iter()
        .map(|rel| {
            let loaded = load_page(config, rel);
            progress.advance();
            loaded
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    for ((page, found), rel) in results.into_iter().zip(markdown) {
        diagnostics.extend(found.into_iter().map(|d| d.with_code("front-matter")));
        match page {
            Some(page) => pages.push(page),
            None => failed.push(rel),
        }
    }
    (pages, failed)
}

fn load_page(config: &Config, rel: &Path) -> (Option<Page>, Vec<Diagnostic>) {
    let display_path = Path::new("content").join(rel);
    let text = match source::read_text(&config.content_dir().join(rel), &display_path) {
        Ok(text) => text,
        Err(d) => return (None, vec![d]),
    };
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        let empty = Diagnostic::error("the page is empty")
            .at(Location::from_offset(&display_path, &text, 0, 1))
            .with_help("give it a title (`title: ...` between `---` lines, or a `# Heading`) and some text, or delete it");
        return (None, vec![empty]);
    }
    let split = match front_matter::split(&display_path, &text) {
        Ok(split) => split,
        Err(d) => return (None, vec![d]),
    };
    let parsed = match front_matter::parse(&display_path, &text, &split) {
        Ok(parsed) => parsed,
        Err(d) => return (None, vec![d]),
    };
    let mut diagnostics = parsed.warnings;
    let fm = parsed.front_matter;
    let is_section = rel.file_name().is_some_and(|n| n == "_index.md");
    let (language, tree_path) = config.language_of(rel);
    let dir = tree_path.parent().unwrap_or(Path::new(""));
    let kind = fm.kind.unwrap_or_else(|| config.default_kind(dir));
    diagnostics.extend(front_matter::check_kind_fields(
        &display_path,
        &text,
        &split,
        &fm,
        kind,
    ));
    let from_permalink = fm.permalink.as_deref().and_then(permalink_url_path);
    let url_path = match from_permalink
        .map_or_else(|| page_url_path(&tree_path, fm.slug.as_deref()), Ok)
    {
        Ok(url) => url,
        Err(message) => {
            let mut d = Diagnostic::error(message);
            if let Some(loc) = front_matter::field_location(&display_path, &text, &split, "slug") {
                d = d.at(loc);
            }
            diagnostics.push(d);
            return (None, diagnostics);
        }
    };
    let body_offset = split.body_offset;
    let page = Page {
        source: rel.to_path_buf(),
        display_path,
        front_matter: fm,
        kind,
        section_dir: is_section.then(|| dir.to_path_buf()),
        tree_path: tree_path.clone(),
        language,
        foreign_tags: Vec::new(),
        related: Vec::new(),
        generated: false,
        url_path,
        title: String::new(),
        body_offset,
        rendered: markdown::Rendered::default(),
        text,
    };
    (Some(page), diagnostics)
}

/// Renders every page's Markdown in parallel, sets titles, then checks anchors.
fn render_markdown(
    site: &mut Site,
    links: &LinkMap,
    data: &LoadedData,
    progress: &Progress,
    diagnostics: &mut Diagnostics,
) {
    progress.stage("Rendering", site.pages.len());
    let found: Vec<Vec<Diagnostic>> = site
        .pages
        .par_iter_mut()
        .map(|page| {
            let found = render_page(page, links, data);
            progress.advance();
            found
        })
        .collect();
    diagnostics.extend(found.into_iter().flatten());
    let foreign_tags = site
        .pages
        .iter()
        .flat_map(|p| p.foreign_tags.iter().cloned());
    diagnostics.extend(compat::report(foreign_tags.collect()));
    let refs: Vec<(usize, AnchorRef)> = site
        .pages
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.rendered.anchor_refs.iter().map(move |r| (i, r.clone())))
        .collect();
    let mut retargeted = Vec::new();
    for (from, anchor_ref) in refs {
        let target = &site.pages[anchor_ref.page.unwrap_or(from)];
        match check_anchor(target, &site.pages[from], &anchor_ref) {
            AnchorCheck::Found => {}
            AnchorCheck::InThisPage(href) => retargeted.push((from, href)),
            AnchorCheck::Missing => diagnostics.push(missing_anchor(target, &anchor_ref)),
        }
    }
    for (from, href) in retargeted {
        retarget_to_self(&mut site.pages[from], &href);
    }
}

/// Where the anchor of a `#fragment` link is.
enum AnchorCheck {
    /// In the page linked to.
    Found,
    /// Not there, but the link is `./#x` and the linking page has it: the link, written into
    /// the page as this href, is to the linking page (see [`AnchorRef::self_href`]).
    InThisPage(String),
    /// Nowhere it could be meant.
    Missing,
}

/// Checks the anchor of `anchor_ref`, written in `this` and pointing into `target`.
fn check_anchor(target: &Page, this: &Page, anchor_ref: &AnchorRef) -> AnchorCheck {
    if target.rendered.anchors.contains(&anchor_ref.anchor) {
        return AnchorCheck::Found;
    }
    match &anchor_ref.self_href {
        Some(href) if this.rendered.anchors.contains(&anchor_ref.anchor) => {
            AnchorCheck::InThisPage(href.clone())
        }
        _ => AnchorCheck::Missing,
    }
}

/// Points the `./#x` links that were written into `page` as `href` at the page's own `#x`.
fn retarget_to_self(page: &mut Page, href: &str) {
    let Some(hash) = href.find('#') else {
        return;
    };
    // The HTML holds the href as pulldown-cmark escaped it.
    let attribute = |href: &str| {
        let mut escaped = String::from("href=\"");
        let _ = pulldown_cmark_escape::escape_href(&mut escaped, href);
        escaped.push('"');
        escaped
    };
    let html = &mut page.rendered.html;
    *html = html.replace(&attribute(href), &attribute(&href[hash..]));
}

fn render_page(page: &mut Page, links: &LinkMap, data: &LoadedData) -> Vec<Diagnostic> {
    if page.generated {
        return Vec::new();
    }
    let body_offset = page.body_offset;
    let mut cleaned = compat::clean(
        &page.display_path,
        &page.text,
        body_offset,
        &page.text[body_offset..],
    );
    page.foreign_tags = std::mem::take(&mut cleaned.uses);
    let source = markdown::Source {
        display_path: &page.display_path,
        rel_path: &page.source,
        text: &page.text,
        body: &cleaned.body,
        body_offset,
        title: page.front_matter.title.as_deref(),
        cleaned: Some(&cleaned),
    };
    let mut rendered = markdown::render(&source, links, data.terms());
    rendered.anchors.extend(data.template_anchors(page));
    let mut diagnostics = std::mem::take(&mut rendered.diagnostics);
    match page
        .front_matter
        .title
        .clone()
        .or_else(|| rendered.h1.clone())
    {
        Some(title) => page.title = title,
        None => {
            // An empty `title:` is shown where it is; no title at all, at the top of the file.
            let location = front_matter::split(&page.display_path, &page.text)
                .ok()
                .and_then(|split| {
                    front_matter::field_location(&page.display_path, &page.text, &split, "title")
                })
                .unwrap_or_else(|| Location::from_offset(&page.display_path, &page.text, 0, 1));
            diagnostics.push(
                Diagnostic::error("the page has no title")
                    .with_code("front-matter")
                    .at(location)
                    .with_help(
                        "add `title: ...` to the front matter, or start the page with a `# Heading`",
                    ),
            );
        }
    }
    page.rendered = rendered;
    diagnostics
}

fn missing_anchor(target: &Page, anchor_ref: &AnchorRef) -> Diagnostic {
    let mut known: Vec<&str> = target.rendered.anchors.iter().map(String::as_str).collect();
    known.sort_unstable();
    let help = match crate::base::diag::did_you_mean(&anchor_ref.anchor, &known) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if known.is_empty() => format!("`{}` has no headings", target.display_path.display()),
        None => format!(
            "headings in `{}`: {}",
            target.display_path.display(),
            known
                .iter()
                .take(8)
                .map(|a| format!("#{a}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::error(format!(
        "link to a missing heading `#{}` in `{}`",
        anchor_ref.anchor,
        target.display_path.display()
    ))
    .at(anchor_ref.location.clone())
    .with_help(help)
    .with_code("broken-anchor")
}
