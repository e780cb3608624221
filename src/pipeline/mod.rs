//! The build pipeline, and the only place that knows the order of its stages:
//!
//! 1. **load** site.toml and find the sources under content/;
//! 2. **parse** each page's front matter (in parallel) and give it a URL;
//! 3. **read** the data files under data/, and check the glossary and the licence list in them;
//! 4. **render** each page's Markdown (in parallel), rewriting links through the link map and
//!    `[[term]]`s through the glossary, then check every `#anchor` once all heading ids are known;
//! 5. **assemble** the section tree, sidebar order and previous/next;
//! 6. **write** every page through the templates (in parallel) into a staging folder, plus
//!    static files, tags, aliases, 404, the glossary, sitemap, Atom feed and robots.txt;
//! 7. **index** every page and section with tantivy (beside the output folder) and export
//!    the index into the staging folder for the browser; then swap output and index in.
//!
//! Each stage collects every problem it finds; the build stops before writing anything if there
//! are errors, and a failure while writing leaves the previous output untouched.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod live;

use rayon::prelude::*;

pub use live::LiveSite;

use crate::config::Config;
use crate::context::{Contexts, FAQ_HUB_URL_PATH, FEED_PATH};
use crate::data::Data;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::front_matter;
use crate::glossary::{GLOSSARY_URL_PATH, Glossary, NoGlossary};
use crate::licenses::{self, License};
use crate::links::{Exclusion, LinkMap, normalize};
use crate::markdown::{self, AnchorRef, TermResolver, highlight};
use crate::model::{Kind, Visibility};
use crate::output::{Staging, check_output_path};
use crate::search::{self, LiveIndex, Numbering, SearchPage};
use crate::site::{Page, Site, folder_url};
use crate::source;
use crate::templates::Templates;
use crate::theme::{FileSource, Theme};

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
        report.output = options
            .output
            .clone()
            .unwrap_or_else(|| config.output_dir.clone());
        live = build_site(config, options, &mut report, keep);
    }
    report.elapsed = started.elapsed();
    (report, live)
}

fn load_config(options: &BuildOptions, diagnostics: &mut Diagnostics) -> Option<Config> {
    let mut config = match Config::load(&options.root) {
        Ok(config) => config,
        Err(errors) => {
            diagnostics.extend(errors);
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
    let owned_config = config;
    let config = &owned_config;
    let diagnostics = &mut report.diagnostics;
    if let Err(d) = check_output_path(&config.root, &config.content_dir(), &report.output) {
        diagnostics.push(d);
        return None;
    }
    let (sources, walk_errors) = source::collect(&config.content_dir());
    diagnostics.extend(walk_errors);
    let (loaded, failed) = load_pages(config, &sources.markdown, diagnostics);
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
    for (index, page) in site.pages.iter().enumerate() {
        links.add_page(&page.source, index, &page.url_path);
    }
    check_url_collisions(&site, &files, diagnostics);
    let data = load_data(config, &links, public, diagnostics);
    render_markdown(&mut site, &links, &data, diagnostics);
    // Titles may come from headings, so order sections only now that every title is known.
    site.arrange();
    let superseded_by = resolve_superseded_by(&site, &links, diagnostics);
    let aliases = collect_aliases(&site, diagnostics);
    let templates = Theme::load(config).and_then(|theme| {
        let templates = Templates::compile(&theme)?;
        Ok((theme, templates))
    });
    let (theme, templates) = match templates {
        Ok(loaded) => loaded,
        Err(errors) => {
            diagnostics.extend(errors);
            return None;
        }
    };
    check_templates(&site, &templates, &data, diagnostics);
    if diagnostics.has_errors() {
        return None;
    }
    let contexts = Contexts::new(config, &site, &superseded_by, data.site_data());
    let writer = Writer {
        config,
        site: &site,
        contexts: &contexts,
        templates: &templates,
        theme: &theme,
        aliases: &aliases,
        files: &files,
        keep,
    };
    let search = match writer.write(&report.output) {
        Ok((search, live_index)) => {
            report.search = Some(search);
            report.pages = site.pages.len();
            report.sections = site.sections.len();
            live_index
        }
        Err(errors) => {
            diagnostics.extend(errors);
            return None;
        }
    };
    drop(contexts);
    Some(LiveSite {
        config: owned_config,
        site,
        links,
        data,
        superseded_by,
        templates,
        output: report.output.clone(),
        search: search?,
    })
}

/// The data files and what Folio reads from them, loaded once per build.
pub(super) struct LoadedData {
    /// Every data file, for templates.
    pub(super) files: Data,
    /// `data/glossary.yaml`, checked, when the site has one.
    pub(super) glossary: Option<Glossary>,
    /// `data/licenses.yaml`, checked (empty when the site has none).
    pub(super) licenses: Vec<License>,
}

impl LoadedData {
    /// What `[[term]]` links resolve against.
    pub(super) fn terms(&self) -> &dyn TermResolver {
        match &self.glossary {
            Some(glossary) => glossary,
            None => &NoGlossary,
        }
    }

    /// The ids the templates add to `page` beyond its Markdown's, so that links to them pass
    /// the anchor check: the licence table's rows (`#Apache-2.0`) on a page rendered with
    /// `licenses.html`, and the terms on the glossary page.
    fn template_anchors(&self, page: &Page) -> Vec<String> {
        let template = page.front_matter.template.as_deref().map(template_file);
        let mut anchors = Vec::new();
        if template.as_deref() == Some(LICENSES_TEMPLATE) {
            anchors.extend(self.licenses.iter().map(|l| l.id.clone()));
        }
        if let Some(glossary) = &self.glossary
            && page.url_path == GLOSSARY_URL_PATH
        {
            anchors.extend(glossary.terms().map(|t| t.id.clone()));
        }
        anchors
    }

    /// The data as the template contexts take it.
    pub(super) fn site_data(&self) -> crate::context::SiteData<'_> {
        crate::context::SiteData {
            data: self.files.tree(),
            glossary: self.glossary.as_ref(),
            licenses: &self.licenses,
        }
    }
}

/// Reads data/ and checks the glossary and licence list in it; links in definitions and notes
/// resolve through `links`.
fn load_data(
    config: &Config,
    links: &LinkMap,
    public: bool,
    diagnostics: &mut Diagnostics,
) -> LoadedData {
    let (files, found) = Data::load(&config.root);
    diagnostics.extend(found);
    let (glossary, found) = Glossary::load(&files, links, public, &config.base_path);
    diagnostics.extend(found);
    let (licenses, found) = licenses::load(&files, links);
    diagnostics.extend(found);
    LoadedData {
        files,
        glossary,
        licenses,
    }
}

/// The template each page's `template:` names must exist, as must `glossary.html` when the site
/// has a glossary.
fn check_templates(
    site: &Site,
    templates: &Templates,
    data: &LoadedData,
    diagnostics: &mut Diagnostics,
) {
    for page in &site.pages {
        let Some(name) = page.front_matter.template.as_deref() else {
            continue;
        };
        let file = template_file(name);
        if templates.has(&file) {
            continue;
        }
        let mut d =
            Diagnostic::error(format!("the theme has no template `{file}`")).with_help(format!(
                "add templates/{file} to the site, or use one of the theme's: {}",
                templates.page_templates().join(", ")
            ));
        let location = front_matter::split(&page.display_path, &page.text)
            .ok()
            .and_then(|split| {
                front_matter::field_value_location(
                    &page.display_path,
                    &page.text,
                    &split,
                    "template",
                )
            });
        if let Some(location) = location {
            d = d.at(location);
        }
        diagnostics.push(d);
    }
    if data.glossary.is_some() && !templates.has(GLOSSARY_TEMPLATE) {
        diagnostics.push(
            Diagnostic::error(format!(
                "the theme has no template `{GLOSSARY_TEMPLATE}`, which the glossary page needs"
            ))
            .with_help(format!(
                "add templates/{GLOSSARY_TEMPLATE} to the site or the theme"
            )),
        );
    }
}

/// The template that renders the glossary page.
const GLOSSARY_TEMPLATE: &str = "glossary.html";

/// The default theme's template for a licence policy with the licence table.
const LICENSES_TEMPLATE: &str = "licenses.html";

/// The file of the template a page's `template:` names: `licenses` → `licenses.html`.
fn template_file(name: &str) -> String {
    let name = name.trim();
    if name.ends_with(".html") {
        name.to_string()
    } else {
        format!("{name}.html")
    }
}

/// Reads and parses every Markdown file in parallel. Pages with errors are left out and returned
/// apart, so links to them do not repeat their errors.
fn load_pages<'m>(
    config: &Config,
    markdown: &'m [PathBuf],
    diagnostics: &mut Diagnostics,
) -> (Vec<Page>, Vec<&'m PathBuf>) {
    let results: Vec<(Option<Page>, Vec<Diagnostic>)> = markdown
        .par_iter()
        .map(|rel| load_page(config, rel))
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut failed = Vec::new();
    for ((page, found), rel) in results.into_iter().zip(markdown) {
        diagnostics.extend(found);
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
    let dir = rel.parent().unwrap_or(Path::new(""));
    let kind = fm.kind.unwrap_or_else(|| config.default_kind(dir));
    diagnostics.extend(front_matter::check_kind_fields(
        &display_path,
        &text,
        &split,
        &fm,
        kind,
    ));
    let url_path = match page_url_path(rel, fm.slug.as_deref()) {
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
        generated: false,
        url_path,
        title: String::new(),
        body_offset,
        rendered: markdown::Rendered::default(),
        text,
    };
    (Some(page), diagnostics)
}

/// For each page, whether it is internal: it says `visibility: internal`, or the `_index.md` of
/// a folder above it does. Under an internal section a page cannot be public: a page that says
/// `visibility: public` there stays internal, with a warning naming the section.
fn internal_pages(pages: &[Page], diagnostics: &mut Diagnostics) -> Vec<bool> {
    let internal_sections: HashMap<&Path, &Page> = pages
        .iter()
        .filter(|p| p.front_matter.visibility == Some(Visibility::Internal))
        .filter_map(|p| Some((p.section_dir.as_deref()?, p)))
        .collect();
    pages
        .iter()
        .map(|page| {
            let own = page.front_matter.visibility;
            let dir = page.source.parent().unwrap_or(Path::new(""));
            let section = dir.ancestors().find_map(|d| internal_sections.get(d));
            if let (Some(section), Some(Visibility::Public)) = (section, own) {
                diagnostics.push(public_under_internal(page, section));
            }
            own == Some(Visibility::Internal) || section.is_some()
        })
        .collect()
}

fn public_under_internal(page: &Page, section: &Page) -> Diagnostic {
    let section_dir = section.section_dir.as_deref().unwrap_or(Path::new(""));
    let mut d = Diagnostic::warning(format!(
        "`visibility: public` is ignored: this page is under the internal section `{}`, so it is internal too",
        section.display_path.display()
    ))
    .with_help(format!(
        "remove `visibility: public`, or move the page out of `{}/` to publish it",
        Path::new("content").join(section_dir).display()
    ));
    let location = front_matter::split(&page.display_path, &page.text)
        .ok()
        .and_then(|split| {
            front_matter::field_value_location(&page.display_path, &page.text, &split, "visibility")
        });
    if let Some(location) = location {
        d = d.at(location);
    }
    d
}

/// The folders of the internal sections and page bundles (`_index.md` or `index.md`), whose
/// other files a public build leaves out.
fn internal_dirs(pages: &[Page], internal: &[bool]) -> HashSet<PathBuf> {
    pages
        .iter()
        .zip(internal)
        .filter(|(page, internal)| {
            let name = page.source.file_name().and_then(|n| n.to_str());
            **internal && matches!(name, Some("_index.md" | "index.md"))
        })
        .map(|(page, _)| page.source.parent().unwrap_or(Path::new("")).to_path_buf())
        .collect()
}

/// The URL path of a source file: `policies/usage.md` → `policies/usage/`.
fn page_url_path(rel: &Path, slug: Option<&str>) -> Result<String, String> {
    if let Some(slug) = slug
        && (slug.is_empty() || slug.contains(['/', '\\', '?', '#']) || slug == "." || slug == "..")
    {
        return Err(format!(
            "invalid slug `{slug}`: a slug is one URL segment, without `/`, `?` or `#`"
        ));
    }
    let dir = rel.parent().unwrap_or(Path::new(""));
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let folder = match name.as_ref() {
        "_index.md" => return Ok(folder_url(dir)),
        "index.md" => {
            let parent = dir.parent().unwrap_or(Path::new(""));
            match (slug, dir.file_name()) {
                (Some(slug), Some(_)) => parent.join(slug),
                _ => dir.to_path_buf(),
            }
        }
        _ => {
            let stem = rel
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default();
            dir.join(slug.unwrap_or(&stem))
        }
    };
    Ok(folder_url(&folder))
}

/// Two sources that would be written to the same URL are an error at each later source.
fn check_url_collisions(site: &Site, files: &[PathBuf], diagnostics: &mut Diagnostics) {
    let mut seen: HashMap<String, &Path> = HashMap::new();
    for page in &site.pages {
        let key = format!("{}index.html", page.url_path);
        if let Some(first) = seen.get(&key) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` and `{}` would both be written to /{}",
                    first.display(),
                    page.display_path.display(),
                    page.url_path
                ))
                .at(Location::from_offset(&page.display_path, &page.text, 0, 1))
                .with_help("rename one of them or give one a different `slug`"),
            );
        } else {
            seen.insert(key, &page.display_path);
        }
    }
    for file in files {
        let key = file.to_string_lossy().replace('\\', "/");
        if let Some(first) = seen.get(&key) {
            diagnostics.push(Diagnostic::error(format!(
                "`content/{key}` would overwrite the page rendered from `{}`",
                first.display()
            )));
        }
    }
}

/// Renders every page's Markdown in parallel, sets titles, then checks anchors.
fn render_markdown(
    site: &mut Site,
    links: &LinkMap,
    data: &LoadedData,
    diagnostics: &mut Diagnostics,
) {
    let found: Vec<Vec<Diagnostic>> = site
        .pages
        .par_iter_mut()
        .map(|page| render_page(page, links, data))
        .collect();
    diagnostics.extend(found.into_iter().flatten());
    let refs: Vec<(usize, AnchorRef)> = site
        .pages
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.rendered.anchor_refs.iter().map(move |r| (i, r.clone())))
        .collect();
    for (from, anchor_ref) in refs {
        let target = anchor_ref.page.unwrap_or(from);
        let page = &site.pages[target];
        if !page.rendered.anchors.contains(&anchor_ref.anchor) {
            diagnostics.push(missing_anchor(page, &anchor_ref));
        }
    }
}

fn render_page(page: &mut Page, links: &LinkMap, data: &LoadedData) -> Vec<Diagnostic> {
    if page.generated {
        return Vec::new();
    }
    let body_offset = page.body_offset;
    let source = markdown::Source {
        display_path: &page.display_path,
        rel_path: &page.source,
        text: &page.text,
        body: &page.text[body_offset..],
        body_offset,
        title: page.front_matter.title.as_deref(),
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
            diagnostics.push(
                Diagnostic::error("the page has no title")
                    .at(Location::from_offset(&page.display_path, &page.text, 0, 1))
                    .with_help("add `title: ...` to the front matter, or start the page with a `# Heading`"),
            );
        }
    }
    page.rendered = rendered;
    diagnostics
}

fn missing_anchor(target: &Page, anchor_ref: &AnchorRef) -> Diagnostic {
    let mut known: Vec<&str> = target.rendered.anchors.iter().map(String::as_str).collect();
    known.sort_unstable();
    let help = match crate::diag::did_you_mean(&anchor_ref.anchor, &known) {
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
}

/// Resolves each policy's `superseded_by` to a page; a missing page is an error.
fn resolve_superseded_by(
    site: &Site,
    links: &LinkMap,
    diagnostics: &mut Diagnostics,
) -> Vec<Option<usize>> {
    site.pages
        .iter()
        .map(|page| {
            let target = page.front_matter.superseded_by.as_deref()?;
            let joined = if let Some(from_root) = target.strip_prefix('/') {
                PathBuf::from(from_root)
            } else {
                page.source.parent().unwrap_or(Path::new("")).join(target)
            };
            let found = normalize(&joined)
                .and_then(|p| links.page(&p))
                .map(|(i, _)| i);
            if found.is_none() {
                let split = front_matter::split(&page.display_path, &page.text).ok();
                let location = split.and_then(|s| {
                    front_matter::field_location(
                        &page.display_path,
                        &page.text,
                        &s,
                        "superseded_by",
                    )
                });
                let mut d =
                    Diagnostic::error(format!("`superseded_by` names a missing page `{target}`"))
                        .with_help(
                            "give the path of the replacing page's .md file, relative to this file",
                        );
                if let Some(loc) = location {
                    d = d.at(loc);
                }
                diagnostics.push(d);
            }
            found
        })
        .collect()
}

/// Alias URL paths and the page each redirects to; clashes with pages are errors.
fn collect_aliases(site: &Site, diagnostics: &mut Diagnostics) -> Vec<(String, usize)> {
    let page_urls: HashSet<&str> = site.pages.iter().map(|p| p.url_path.as_str()).collect();
    let mut aliases: Vec<(String, usize)> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (index, page) in site.pages.iter().enumerate() {
        for alias in &page.front_matter.aliases {
            let Some(path) = normalize(Path::new(alias.trim_start_matches('/'))) else {
                diagnostics.push(Diagnostic::error(format!(
                    "alias `{alias}` in `{}` points outside the site",
                    page.display_path.display()
                )));
                continue;
            };
            let url_path = folder_url(&path);
            if page_urls.contains(url_path.as_str()) || !seen.insert(url_path.clone()) {
                diagnostics.push(Diagnostic::error(format!(
                    "alias `{alias}` in `{}` collides with another page or alias",
                    page.display_path.display()
                )));
                continue;
            }
            aliases.push((url_path, index));
        }
    }
    aliases
}

/// Writes the rendered site into a staging folder and swaps it in.
struct Writer<'a> {
    config: &'a Config,
    site: &'a Site,
    contexts: &'a Contexts<'a>,
    templates: &'a Templates,
    theme: &'a Theme,
    aliases: &'a [(String, usize)],
    files: &'a [PathBuf],
    /// Keep the search index's state for incremental rebuilds.
    keep: bool,
}

impl Writer<'_> {
    fn write(
        &self,
        output: &Path,
    ) -> Result<(search::SearchReport, Option<LiveIndex>), Vec<Diagnostic>> {
        let io_error = |what: &str, e: std::io::Error| {
            vec![Diagnostic::error(format!("cannot write {what}: {e}"))]
        };
        let staging = Staging::create(output).map_err(|e| io_error("the output folder", e))?;
        let mut errors = self.write_pages(&staging);
        errors.extend(self.write_extras(&staging));
        if !errors.is_empty() {
            return Err(dedupe_template_errors(errors));
        }
        let (index, report, live) = self.write_search(&staging, output)?;
        staging
            .commit()
            .map_err(|e| io_error(&format!("`{}`", output.display()), e))?;
        index
            .commit()
            .map_err(|e| io_error("the search index", e))?;
        Ok((report, live))
    }

    /// Indexes the site and writes the export for browsers into the staging folder.
    fn write_search(
        &self,
        staging: &Staging,
        output: &Path,
    ) -> Result<
        (
            search::PendingIndex,
            search::SearchReport,
            Option<LiveIndex>,
        ),
        Vec<Diagnostic>,
    > {
        let pages: Vec<SearchPage> = self
            .site
            .reading_order
            .iter()
            .map(|&index| search_page(self.site, self.contexts, index))
            .collect();
        let target = search::index_dir(output);
        let numbering = Numbering {
            spare: if self.keep { live::SPARE_SECTIONS } else { 0 },
        };
        let language = &self.config.language;
        let built =
            search::build(&pages, language, &target, numbering, self.keep).map_err(|e| {
                vec![Diagnostic::error(format!(
                    "cannot build the search index: {e:#}"
                ))]
            })?;
        let errors: Vec<Diagnostic> = built
            .files
            .par_iter()
            .filter_map(|file| {
                let rel = Path::new(search::EXPORT_DIR).join(&file.path);
                staging
                    .write(&rel, &file.bytes)
                    .err()
                    .map(|e| Diagnostic::error(format!("cannot write `{}`: {e}", rel.display())))
            })
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let live = built
            .export
            .map(|export| LiveIndex::new(&target, language, numbering, pages, export));
        Ok((built.index, built.report, live))
    }

    fn write_pages(&self, staging: &Staging) -> Vec<Diagnostic> {
        (0..self.site.pages.len())
            .into_par_iter()
            .filter_map(|index| {
                let page = &self.site.pages[index];
                let result = render_page_html(self.templates, self.contexts, self.site, index);
                let html = match result {
                    Ok(html) => html,
                    Err(d) => return Some(d),
                };
                let rel = PathBuf::from(&page.url_path).join("index.html");
                staging
                    .write(&rel, html.as_bytes())
                    .err()
                    .map(|e| Diagnostic::error(format!("cannot write `{}`: {e}", rel.display())))
            })
            .collect()
    }

    fn write_extras(&self, staging: &Staging) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let mut write = |rel: &str, bytes: Result<Vec<u8>, Diagnostic>| match bytes {
            Ok(bytes) => {
                if let Err(e) = staging.write(Path::new(rel), &bytes) {
                    errors.push(Diagnostic::error(format!("cannot write `{rel}`: {e}")));
                }
            }
            Err(d) => errors.push(d),
        };
        let render = |name: &str, context: &dyn erased::Context| {
            context.render(self.templates, name).map(String::into_bytes)
        };
        write("404.html", render("404.html", &self.contexts.not_found()));
        write(
            "search/index.html",
            render("search.html", &self.contexts.search_page()),
        );
        let taxonomy = self.contexts.taxonomy();
        write(
            "tags/index.html",
            render(
                "taxonomy.html",
                &self.contexts.taxonomy_page(&taxonomy, None),
            ),
        );
        for term in taxonomy.terms() {
            let rel = format!("{}index.html", term.url_path());
            let context = self.contexts.taxonomy_page(&taxonomy, Some(term));
            write(&rel, render("taxonomy.html", &context));
        }
        for (url_path, page) in self.aliases {
            let context = self.contexts.redirect(*page);
            write(
                &format!("{url_path}index.html"),
                render("redirect.html", &context),
            );
        }
        if let Some(rel) = self.standalone_faq_hub() {
            write(&rel, render("faq-hub.html", &self.contexts.faq_hub_page()));
        }
        if self.standalone_glossary() {
            write(
                &format!("{GLOSSARY_URL_PATH}index.html"),
                render(GLOSSARY_TEMPLATE, &self.contexts.glossary_page(None)),
            );
        }
        write(
            "assets/syntax.css",
            Ok(highlight::stylesheet().into_bytes()),
        );
        write("robots.txt", Ok(self.robots().into_bytes()));
        if self.config.has_absolute_base_url() {
            write("sitemap.xml", Ok(self.sitemap().into_bytes()));
            if let Some(feed) = self.feed() {
                write(FEED_PATH, Ok(feed.into_bytes()));
            }
        }
        for (rel, source) in &self.theme.static_files {
            let bytes = source.read().map_err(|e| {
                Diagnostic::error(format!("cannot read static file `{}`: {e}", rel.display()))
            });
            write(&rel.to_string_lossy(), bytes);
        }
        for rel in self.files {
            let source = FileSource::Disk(self.config.content_dir().join(rel));
            let bytes = source.read().map_err(|e| {
                Diagnostic::error(format!("cannot read `content/{}`: {e}", rel.display()))
            });
            write(&rel.to_string_lossy(), bytes);
        }
        errors
    }

    /// Where the generated FAQ hub goes (`faq/index.html`), when the site has FAQs but no `faq`
    /// section to show them. None when another page or an alias already has `/faq/`.
    fn standalone_faq_hub(&self) -> Option<String> {
        if self.site.faq_hub_section().is_some() || self.contexts.faq_pages().is_empty() {
            return None;
        }
        let taken = self
            .site
            .pages
            .iter()
            .map(|p| p.url_path.as_str())
            .chain(self.aliases.iter().map(|(url, _)| url.as_str()))
            .any(|url| url == FAQ_HUB_URL_PATH);
        (!taken).then(|| format!("{FAQ_HUB_URL_PATH}index.html"))
    }

    /// True when Folio writes the glossary page itself: the site has a glossary, and no page
    /// or alias has `/glossary/`.
    fn standalone_glossary(&self) -> bool {
        self.contexts.has_glossary()
            && !self
                .site
                .pages
                .iter()
                .map(|p| p.url_path.as_str())
                .chain(self.aliases.iter().map(|(url, _)| url.as_str()))
                .any(|url| url == GLOSSARY_URL_PATH)
    }

    fn robots(&self) -> String {
        let mut text = String::from("User-agent: *\nAllow: /\n");
        if self.config.has_absolute_base_url() {
            text.push_str(&format!("Sitemap: {}sitemap.xml\n", self.config.base_url));
        }
        text
    }

    /// The Atom feed of policies and playbooks, newest first; None when no page has a date.
    /// Only called with an absolute `base_url`.
    fn feed(&self) -> Option<String> {
        let pages = self.contexts.feed_pages();
        let newest = pages.first()?.1;
        let esc = markdown::escape_html;
        let self_url = esc(&self.contexts.permalink(FEED_PATH));
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
        );
        xml.push_str(&format!("  <id>{self_url}</id>\n"));
        xml.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n"
        ));
        xml.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            esc(&self.config.base_url)
        ));
        xml.push_str(&format!("  <title>{}</title>\n", esc(&self.config.title)));
        xml.push_str(&format!("  <updated>{newest}T00:00:00Z</updated>\n"));
        // Atom wants an author; the handbook as a whole is the honest one.
        xml.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            esc(&self.config.title)
        ));
        for &(index, date) in pages {
            let page = &self.site.pages[index];
            let url = esc(&self.contexts.permalink(&page.url_path));
            xml.push_str("  <entry>\n");
            xml.push_str(&format!("    <title>{}</title>\n", esc(&page.title)));
            xml.push_str(&format!("    <link href=\"{url}\"/>\n"));
            xml.push_str(&format!("    <id>{url}</id>\n"));
            xml.push_str(&format!("    <updated>{date}T00:00:00Z</updated>\n"));
            if let Some(description) = page.front_matter.description.as_deref() {
                xml.push_str(&format!("    <summary>{}</summary>\n", esc(description)));
            }
            xml.push_str("  </entry>\n");
        }
        xml.push_str("</feed>\n");
        Some(xml)
    }

    fn sitemap(&self) -> String {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for &index in &self.site.reading_order {
            let page = &self.site.pages[index];
            let loc = markdown::escape_html(&self.contexts.permalink(&page.url_path));
            xml.push_str(&format!("  <url><loc>{loc}</loc>"));
            if let Some(date) = page.front_matter.updated.or(page.front_matter.date) {
                xml.push_str(&format!("<lastmod>{date}</lastmod>"));
            }
            xml.push_str("</url>\n");
        }
        if self.standalone_faq_hub().is_some() {
            let loc = markdown::escape_html(&self.contexts.permalink(FAQ_HUB_URL_PATH));
            xml.push_str(&format!("  <url><loc>{loc}</loc></url>\n"));
        }
        if self.standalone_glossary() {
            let loc = markdown::escape_html(&self.contexts.permalink(GLOSSARY_URL_PATH));
            xml.push_str(&format!("  <url><loc>{loc}</loc></url>\n"));
        }
        xml.push_str("</urlset>\n");
        xml
    }
}

/// What search needs of page `index`.
fn search_page(site: &Site, contexts: &Contexts, index: usize) -> SearchPage {
    let page = &site.pages[index];
    let breadcrumb = site
        .ancestors(index)
        .iter()
        .filter(|dir| !dir.as_os_str().is_empty())
        .filter_map(|dir| site.sections.get(dir))
        .map(|section| site.pages[section.page].title.clone())
        .collect();
    let fm = &page.front_matter;
    SearchPage {
        title: page.title.clone(),
        url: contexts.url(index),
        breadcrumb,
        kind: page.kind.as_str().to_string(),
        tags: fm.tags.clone(),
        section: page
            .source
            .components()
            .next()
            .filter(|_| page.source.components().count() > 1)
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default(),
        status: fm
            .status
            .filter(|_| page.kind == Kind::Policy)
            .map(|s| s.as_str().to_string()),
        lang: fm.lang.clone().unwrap_or_default(),
        description: fm.description.clone().unwrap_or_default(),
        sections: page.rendered.sections.clone(),
    }
}

/// The HTML of page `index`, through the template for its kind.
fn render_page_html(
    templates: &Templates,
    contexts: &Contexts,
    site: &Site,
    index: usize,
) -> Result<String, Diagnostic> {
    let page = &site.pages[index];
    // `template:` in front matter replaces the template, never the context.
    let custom = page.front_matter.template.as_deref().map(template_file);
    let name = |default: &str| custom.clone().unwrap_or_else(|| default.to_string());
    let rendered = if contexts.is_glossary_page(Some(index)) {
        templates.render(
            &name(GLOSSARY_TEMPLATE),
            &contexts.glossary_page(Some(index)),
        )
    } else if page.section_dir.is_some() {
        if page.url_path.is_empty() {
            templates.render(&name("index.html"), &contexts.section(index))
        } else if site.is_faq_hub(index) {
            templates.render(&name("faq-hub.html"), &contexts.faq_hub_section(index))
        } else {
            templates.render(&name("section.html"), &contexts.section(index))
        }
    } else {
        templates.render(&name(page.kind.template()), &contexts.page(index))
    };
    rendered.map_err(|d| d.with_help(format!("while rendering `{}`", page.display_path.display())))
}

/// A template error repeats once per page that uses the template: report it once, with a count.
fn dedupe_template_errors(errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    type Key = (String, Option<(PathBuf, usize, usize)>);
    let mut counts: HashMap<Key, (Diagnostic, usize)> = HashMap::new();
    let mut order = Vec::new();
    for d in errors {
        let key = (
            d.message.clone(),
            d.location
                .as_ref()
                .map(|l| (l.path.clone(), l.line, l.column)),
        );
        match counts.get_mut(&key) {
            Some((_, n)) => *n += 1,
            None => {
                order.push(key.clone());
                counts.insert(key, (d, 1));
            }
        }
    }
    order
        .into_iter()
        .filter_map(|key| counts.remove(&key))
        .map(|(d, n)| match (n, &d.help) {
            (1, _) => d,
            (n, Some(help)) => {
                let help = format!("{help} (and {} other pages)", n - 1);
                d.with_help(help)
            }
            (_, None) => d,
        })
        .collect()
}

/// Lets `write_extras` render different context types through one closure.
mod erased {
    use serde::Serialize;

    use crate::diag::Diagnostic;
    use crate::templates::Templates;

    pub(super) trait Context {
        fn render(&self, templates: &Templates, name: &str) -> Result<String, Diagnostic>;
    }

    impl<T: Serialize> Context for T {
        fn render(&self, templates: &Templates, name: &str) -> Result<String, Diagnostic> {
            templates.render(name, self)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_content_tree() {
        let url = |p: &str, slug: Option<&str>| page_url_path(Path::new(p), slug).unwrap();
        assert_eq!(url("_index.md", None), "");
        assert_eq!(url("policies/_index.md", None), "policies/");
        assert_eq!(url("policies/usage.md", None), "policies/usage/");
        assert_eq!(url("policies/usage.md", Some("use")), "policies/use/");
        assert_eq!(url("about/index.md", None), "about/");
        assert_eq!(url("about/index.md", Some("team")), "team/");
        assert!(page_url_path(Path::new("a.md"), Some("../x")).is_err());
    }
}
