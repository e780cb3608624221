//! The **write** stage: every page and extra file (tags, aliases, 404, sitemap, feed,
//! catalogue, static files) through the templates into a [`Sink`], then the search export the
//! index stage made beside it.
//!
//! `folio build` writes into a staging folder that is swapped in on success; `folio check`
//! renders the same files into [`Discard`], so template errors are found without writing.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::base::diag::{Code, Diagnostic};
use crate::base::model::{IsoDate, Kind};
use crate::base::output::Staging;
use crate::base::paths::{
    CATALOG_PATH, FAQ_HUB_URL_PATH, FEED_PATH, GLOSSARY_URL_PATH, NOT_FOUND_PATH, ROBOTS_PATH,
    SEARCH_URL_PATH, SITEMAP_PATH, SYNTAX_CSS_PATH, TAGS_URL_PATH,
};
use crate::base::progress::Progress;
use crate::content::markdown::highlight;
use crate::content::site::Site;
use crate::input::config::Config;
use crate::input::history::History;
use crate::render::context::Contexts;
use crate::render::html::page_html;
use crate::render::templates::{self as template, Templates};
use crate::render::theme::{FileSource, Theme};
use crate::render::{catalog, feeds};
use crate::search;

use super::Prepared;
use super::index::{self, LiveSearch, Searched, VersionSearch, version_pages};

/// Where the write stage puts each file it renders.
pub(super) trait Sink: Sync {
    /// Stores `bytes` as `rel`, relative to the output root.
    fn put(&self, rel: &Path, bytes: &[u8]) -> io::Result<()>;
}

impl Sink for Staging {
    fn put(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        self.write(rel, bytes)
    }
}

/// A sink that keeps nothing: `folio check` renders every file to find errors, writes none.
pub(super) struct Discard;

impl Sink for Discard {
    fn put(&self, _rel: &Path, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }
}

/// A file that could not be written into the staging folder.
fn write_error(rel: &Path, e: &io::Error) -> Diagnostic {
    Diagnostic::error(format!(
        "cannot write `{}` into the output: {e}",
        rel.display()
    ))
    .with_code(Code::Write)
}

/// What to do when writing fails: the usual causes are a full disk and missing permissions.
fn write_help(output: &Path) -> String {
    format!(
        "free some disk space, or check that you may write to `{}` and the folder holding it, then build again",
        output.display()
    )
}

/// A full disk fails every file written after it fills: one error, with the count of the others,
/// says it better than hundreds.
fn summarize_write_errors(errors: Vec<Diagnostic>, output: &Path) -> Vec<Diagnostic> {
    let (writes, mut others): (Vec<Diagnostic>, Vec<Diagnostic>) = errors
        .into_iter()
        .partition(|d| d.code == Some(Code::Write));
    if let Some(first) = writes.first() {
        let mut message = first.message.clone();
        if writes.len() > 1 {
            message.push_str(&format!(
                " (and {} more)",
                crate::base::diag::plural(writes.len() - 1, "file")
            ));
        }
        others.push(
            Diagnostic::error(message)
                .with_help(write_help(output))
                .with_code(Code::Write),
        );
    }
    others
}

/// Renders the site through the templates; [`Writer::write`] stages it and swaps it in.
pub(super) struct Writer<'a> {
    pub(super) config: &'a Config,
    pub(super) site: &'a Site,
    pub(super) contexts: &'a Contexts<'a>,
    pub(super) templates: &'a Templates,
    pub(super) theme: &'a Theme,
    pub(super) aliases: &'a [(String, usize)],
    pub(super) files: &'a [PathBuf],
    /// Where pages written are counted.
    pub(super) progress: &'a Progress,
}

/// Writes the site and its search index into a staging folder beside `output`, then swaps
/// both in. Nothing changes in `output` when there is an error. Without `keep`, each page's
/// HTML is freed once every file is written, while the index may still be building.
pub(super) fn write_site(
    prepared: &mut Prepared,
    config: &Config,
    history: &History,
    theme: &Theme,
    templates: &Templates,
    output: &Path,
    keep: bool,
) -> Result<(search::SearchReport, Vec<LiveSearch>), Vec<Diagnostic>> {
    let shown = crate::base::output::shown(output);
    let io_error = |what: &str, e: std::io::Error| {
        vec![
            Diagnostic::error(format!("cannot write {what}: {e}"))
                .with_help(write_help(shown))
                .with_code(Code::Write),
        ]
    };
    let staging = Staging::create(output).map_err(|e| {
        io_error(
            &format!("a folder beside `{}` to build into", shown.display()),
            e,
        )
    })?;
    // A one-off build gives each page's search text to the index, which frees it once indexed.
    let sections = prepared
        .site
        .pages
        .iter_mut()
        .map(|page| match keep {
            true => Arc::clone(&page.rendered.sections),
            false => std::mem::take(&mut page.rendered.sections),
        })
        .collect();
    // The indexes need nothing the templates produce, and writing pages spends much of its
    // time waiting on the disk: indexing beside it keeps the cores busy meanwhile.
    let (rendered, searched) = std::thread::scope(|scope| {
        let (search, rendered) = {
            let contexts = Contexts::new(
                config,
                &prepared.site,
                &prepared.superseded_by,
                history,
                prepared.data.site_data(),
            );
            let versions = index::search_pages(config, &prepared.site, &contexts, sections);
            let synonyms = &prepared.data.synonyms;
            let search = scope.spawn(move || index::build_all(versions, synonyms, output, keep));
            let writer = prepared.writer(config, &contexts, theme, templates);
            (search, writer.render(&staging))
        };
        if !keep {
            // Written: on a large site the pages' HTML is a third of what the build holds.
            for page in &mut prepared.site.pages {
                page.rendered.free_html();
            }
            crate::base::memory::return_freed();
        }
        (rendered, search.join())
    });
    rendered.map_err(|errors| summarize_write_errors(errors, shown))?;
    prepared.progress.stage("Indexing", 0);
    let searched = searched.unwrap_or_else(|_| {
        Err(vec![Diagnostic::error(
            "cannot build the search index: its thread stopped unexpectedly",
        )])
    })?;
    let mut report = search::SearchReport::default();
    let mut indexes = Vec::new();
    let mut live = Vec::new();
    for searched in searched {
        let built = write_export(&staging, searched)
            .map_err(|errors| summarize_write_errors(errors, shown))?;
        report.add(&built.report);
        indexes.push(built.index);
        live.extend(built.live);
    }
    // The indexes first: should the output's swap then fail, the output is as it was, as
    // the failure message says (the other order could fail after the new output went live).
    for index in indexes {
        index
            .commit()
            .map_err(|e| io_error("the search index", e))?;
    }
    staging
        .commit()
        .map_err(|e| io_error(&format!("`{}`", shown.display()), e))?;
    Ok((report, live))
}

impl Writer<'_> {
    /// Renders every page and extra file into `sink`; template errors are reported once each.
    pub(super) fn render(&self, sink: &dyn Sink) -> Result<(), Vec<Diagnostic>> {
        let mut errors = self.write_pages(sink);
        errors.extend(self.write_extras(sink));
        if errors.is_empty() {
            Ok(())
        } else {
            Err(dedupe_template_errors(errors))
        }
    }

    fn write_pages(&self, sink: &dyn Sink) -> Vec<Diagnostic> {
        self.progress.stage("Writing", self.site.pages.len());
        (0..self.site.pages.len())
            .into_par_iter()
            .filter_map(|index| {
                self.progress.advance();
                // A made-up section that a page landed on is that page's alias instead.
                if self.site.landing.contains_key(&index) {
                    return None;
                }
                let page = &self.site.pages[index];
                let result = page_html(self.templates, self.contexts, self.site, index);
                let html = match result {
                    Ok(html) => html,
                    Err(d) => return Some(d),
                };
                let rel = PathBuf::from(&page.url_path).join("index.html");
                let written = sink.put(&rel, html.as_bytes());
                // Written: a one-off build holds no page's HTML longer than it must. The FAQ
                // hub shows the FAQs' answers, and may be written after them.
                if page.kind != Kind::Faq {
                    page.rendered.free_packed_html();
                }
                written.err().map(|e| write_error(&rel, &e))
            })
            .collect()
    }

    fn write_extras(&self, sink: &dyn Sink) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let mut write = |rel: &str, bytes: Result<Vec<u8>, Diagnostic>| match bytes {
            Ok(bytes) => {
                if let Err(e) = sink.put(Path::new(rel), &bytes) {
                    errors.push(write_error(Path::new(rel), &e));
                }
            }
            Err(d) => errors.push(d),
        };
        let render = |name: &str, context: &dyn erased::Context| {
            context.render(self.templates, name).map(String::into_bytes)
        };
        write(
            NOT_FOUND_PATH,
            render(template::NOT_FOUND, &self.contexts.not_found()),
        );
        // Each language version has its results page, searching its own export.
        for version in search::Version::all(self.config) {
            if !version.prefix.is_empty() && version_pages(self.site, &version).is_empty() {
                continue;
            }
            let context = self.contexts.search_page(&version.language);
            write(
                &format!("{}{SEARCH_URL_PATH}index.html", version.prefix),
                render(template::SEARCH, &context),
            );
        }
        let taxonomy = self.contexts.taxonomy();
        write(
            &format!("{TAGS_URL_PATH}index.html"),
            render(
                template::TAXONOMY,
                &self.contexts.taxonomy_page(&taxonomy, None),
            ),
        );
        for term in taxonomy.terms() {
            let rel = format!("{}index.html", term.url_path());
            let context = self.contexts.taxonomy_page(&taxonomy, Some(term));
            write(&rel, render(template::TAXONOMY, &context));
        }
        for (url_path, page) in self.aliases {
            let context = self.contexts.redirect(*page);
            write(
                &format!("{url_path}index.html"),
                render(template::REDIRECT, &context),
            );
        }
        if let Some(rel) = self.standalone_faq_hub() {
            write(
                &rel,
                render(template::FAQ_HUB, &self.contexts.faq_hub_page()),
            );
        }
        for (kind, url_path) in self.standalone_kind_indexes() {
            let context = self.contexts.kind_index_page(kind, &url_path);
            write(
                &format!("{url_path}index.html"),
                render(template::KIND_INDEX, &context),
            );
        }
        if self.standalone_glossary() {
            write(
                &format!("{GLOSSARY_URL_PATH}index.html"),
                render(template::GLOSSARY, &self.contexts.glossary_page(None)),
            );
        }
        // The whole sidebar tree of each language version, which folio.js reads.
        for nav_file in self.contexts.nav_files() {
            write(&nav_file.rel, Ok(nav_file.bytes.clone()));
        }
        write(SYNTAX_CSS_PATH, Ok(highlight::stylesheet().into_bytes()));
        write(ROBOTS_PATH, Ok(feeds::robots(self.config).into_bytes()));
        let catalog = catalog::render(self.config, self.site, self.contexts, IsoDate::today());
        write(CATALOG_PATH, Ok(catalog.into_bytes()));
        if self.config.has_absolute_base_url() {
            let sitemap = feeds::sitemap(self.config, self.site, &self.generated_pages());
            write(SITEMAP_PATH, Ok(sitemap.into_bytes()));
            if let Some(feed) = feeds::atom(self.config, self.site, self.contexts.feed_pages()) {
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
        (!self.contexts.faq_pages().is_empty() && faq_hub_is_generated(self.site, self.aliases))
            .then(|| format!("{FAQ_HUB_URL_PATH}index.html"))
    }

    /// True when Folio writes the glossary page itself: the site has a glossary, and no page
    /// or alias has `/glossary/`.
    fn standalone_glossary(&self) -> bool {
        self.contexts.has_glossary() && !self.url_taken(GLOSSARY_URL_PATH)
    }

    /// The kind indexes Folio writes itself, with their URL paths (`policies/`): for each kind
    /// that has pages but no section at its index URL, unless a page or an alias has that URL
    /// or the theme has no `kind-index.html`.
    fn standalone_kind_indexes(&self) -> Vec<(Kind, String)> {
        if !self.templates.has(template::KIND_INDEX) {
            return Vec::new();
        }
        Kind::INDEXED
            .into_iter()
            .filter(|&kind| self.site.kind_index_section(kind).is_none())
            .filter(|&kind| !self.contexts.pages_of_kind(kind).is_empty())
            .filter_map(|kind| Some((kind, format!("{}/", kind.index_dir()?))))
            .filter(|(_, url_path)| !self.url_taken(url_path))
            .collect()
    }

    /// The URL paths of the pages Folio writes itself besides tags, aliases, 404 and search:
    /// the FAQ hub, kind indexes and the glossary, when it writes them.
    fn generated_pages(&self) -> Vec<String> {
        self.standalone_faq_hub()
            .map(|_| FAQ_HUB_URL_PATH.to_string())
            .into_iter()
            .chain(
                self.standalone_kind_indexes()
                    .into_iter()
                    .map(|(_, url)| url),
            )
            .chain(
                self.standalone_glossary()
                    .then(|| GLOSSARY_URL_PATH.to_string()),
            )
            .collect()
    }

    /// True when a page or an alias is written at `url_path`.
    fn url_taken(&self, url_path: &str) -> bool {
        url_taken(self.site, self.aliases, url_path)
    }
}

/// True when the FAQ hub at `/faq/`, if the site has FAQs, is one Folio writes itself: the site
/// has no `faq` section to show them, and no page or alias has `/faq/`.
pub(super) fn faq_hub_is_generated(site: &Site, aliases: &[(String, usize)]) -> bool {
    site.faq_hub_section().is_none() && !url_taken(site, aliases, FAQ_HUB_URL_PATH)
}

/// True when a page or an alias (`aliases`' URL paths) is written at `url_path`.
fn url_taken(site: &Site, aliases: &[(String, usize)], url_path: &str) -> bool {
    site.pages
        .iter()
        .map(|p| p.url_path.as_str())
        .chain(aliases.iter().map(|(url, _)| url.as_str()))
        .any(|url| url == url_path)
}

/// Writes one language version's search export into the staging folder.
fn write_export(staging: &Staging, searched: Searched) -> Result<VersionSearch, Vec<Diagnostic>> {
    let (export_dir, files) = searched.export();
    let errors: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|file| {
            let rel = export_dir.join(&file.path);
            staging
                .write(&rel, &file.bytes)
                .err()
                .map(|e| write_error(&rel, &e))
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(searched.finish())
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

    use crate::base::diag::Diagnostic;
    use crate::render::templates::Templates;

    pub(super) trait Context {
        fn render(&self, templates: &Templates, name: &str) -> Result<String, Diagnostic>;
    }

    impl<T: Serialize> Context for T {
        fn render(&self, templates: &Templates, name: &str) -> Result<String, Diagnostic> {
            templates.render(name, self)
        }
    }
}
