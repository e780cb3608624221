//! The **index** stage, shared by full and incremental builds: a full build indexes every
//! language version's pages with tantivy beside the output and exports each index for the
//! browser, in memory, for the write stage to put into the staging folder; an incremental build
//! replaces one page's entries in its version's index and rewrites the export files that change.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::base::diag::Diagnostic;
use crate::base::model::Kind;
use crate::base::output;
use crate::content::markdown::TextSection;
use crate::content::site::Site;
use crate::content::synonyms::Synonyms;
use crate::input::config::Config;
use crate::render::context::{Contexts, GLOSSARY_TITLE};
use crate::search::{self, ExportFile, LiveIndex, Numbering, SearchPage};

/// Numbers set aside in each page's block of search documents, so that an edit can add this
/// many sections to a page before its documents need renumbering (a full build).
const SPARE_SECTIONS: u64 = 8;

/// One language version's search index, kept up to date page by page.
pub(super) struct LiveSearch {
    /// The version: where its export is.
    version: search::Version,
    /// Its index and export.
    index: LiveIndex,
}

/// One language version's search index, built and exported in memory, waiting for the export
/// to be written.
pub(super) struct Searched {
    version: search::Version,
    /// The pages, kept for incremental rebuilds (empty without `keep`).
    pages: Vec<SearchPage>,
    target: PathBuf,
    numbering: Numbering,
    built: search::Built,
}

/// What the index stage made of one language version once its export is written.
pub(super) struct VersionSearch {
    /// The index, to put in place once the site's output is.
    pub(super) index: search::PendingIndex,
    /// Timings and sizes.
    pub(super) report: search::SearchReport,
    /// What incremental rebuilds update, when the build keeps it.
    pub(super) live: Option<LiveSearch>,
}

/// The pages of each language version as search sees them, in reading order; a language
/// other than the default without pages is left out. Made before indexing, so that indexing
/// borrows nothing from the site, whose pages' HTML is freed once written. `sections` holds each
/// page's search text, by page: taken from the site for a one-off build, so that the index's
/// copy is the only one and is freed once indexed.
pub(super) fn search_pages(
    config: &Config,
    site: &Site,
    contexts: &Contexts,
    mut sections: Vec<Arc<Vec<TextSection>>>,
) -> Vec<(search::Version, Vec<SearchPage>)> {
    search::Version::all(config)
        .into_iter()
        .filter_map(|version| {
            let numbers = version_pages(site, &version);
            if numbers.is_empty() && !version.prefix.is_empty() {
                return None;
            }
            let mut pages: Vec<SearchPage> = numbers
                .iter()
                .map(|&index| {
                    let text = std::mem::take(&mut sections[index]);
                    search_page(site, contexts, index, text)
                })
                .collect();
            if version.prefix.is_empty() {
                // The default language's index also holds the glossary's terms, after the pages.
                pages.extend(glossary_pages(site, contexts));
            }
            Some((version, pages))
        })
        .collect()
}

/// Indexes every language version's pages (see [`search_pages`]) beside `output` and exports
/// each index, in memory; with `keep`, numbers the documents and keeps what incremental
/// rebuilds need.
pub(super) fn build_all(
    versions: Vec<(search::Version, Vec<SearchPage>)>,
    synonyms: &Synonyms,
    output: &Path,
    keep: bool,
) -> Result<Vec<Searched>, Vec<Diagnostic>> {
    versions
        .into_iter()
        .map(|(version, pages)| build_version(pages, synonyms, output, version, keep))
        .collect()
}

/// Indexes the pages of one language version and exports the index, in memory.
fn build_version(
    pages: Vec<SearchPage>,
    synonyms: &Synonyms,
    output: &Path,
    version: search::Version,
    keep: bool,
) -> Result<Searched, Vec<Diagnostic>> {
    let target = version.index_dir(output);
    let numbering = Numbering {
        spare: if keep { SPARE_SECTIONS } else { 0 },
    };
    let language = &version.language;
    let (built, pages) = search::build(pages, language, synonyms, &target, numbering, keep)
        .map_err(|e| {
            vec![Diagnostic::error(format!(
                "cannot build the search index: {e:#}"
            ))]
        })?;
    Ok(Searched {
        version,
        pages,
        target,
        numbering,
        built,
    })
}

impl LiveSearch {
    /// The language version this index is of.
    pub(super) fn version(&self) -> &search::Version {
        &self.version
    }
}

impl Searched {
    /// The folder of the export, relative to the output, and the files to write into it.
    pub(super) fn export(&self) -> (PathBuf, &[ExportFile]) {
        (self.version.export_dir(), &self.built.files)
    }

    /// Once the export is written: the index to put in place, and what incremental rebuilds
    /// update.
    pub(super) fn finish(self) -> VersionSearch {
        let Searched {
            version,
            pages,
            target,
            numbering,
            built,
        } = self;
        let live = built.export.map(|export| LiveSearch {
            index: LiveIndex::new(&target, &version.language, numbering, pages, export),
            version,
        });
        VersionSearch {
            index: built.index,
            report: built.report,
            live,
        }
    }
}

/// What updating a page's search entries came to.
pub(super) enum Updated {
    /// The page's search entries are up to date.
    Done,
    /// The page outgrew the search numbers set aside for it: only a full build can renumber.
    NeedsFullBuild,
}

/// Where page `index`'s search entries are: its language version's place in `versions`, and the
/// page's number in that version. `None` when it has none (only a full build can give it some).
pub(super) fn locate(
    versions: &[search::Version],
    site: &Site,
    index: usize,
) -> Option<(usize, usize)> {
    let language = &site.pages[index].language;
    let version = versions
        .iter()
        .position(|version| site.language_roots.is_empty() || version.language == *language)?;
    let pages = version_pages(site, &versions[version]);
    let number = pages.iter().position(|&page| page == index)?;
    Some((version, number))
}

/// Replaces the entries of page `number` of `live`'s language version with `entry`, and
/// rewrites the export files that change in `output`.
pub(super) fn update_page(
    live: &mut LiveSearch,
    number: usize,
    entry: SearchPage,
    output: &Path,
) -> Result<Updated, Diagnostic> {
    let update = live
        .index
        .replace_page(number, entry)
        .map_err(|e| Diagnostic::error(format!("cannot update the search index: {e:#}")))?;
    let Some(update) = update else {
        return Ok(Updated::NeedsFullBuild);
    };
    let export = output.join(live.version.export_dir());
    for (from, to) in &update.linked {
        let (from, to) = (export.join(from), export.join(to));
        let _ = std::fs::remove_file(&to);
        std::fs::hard_link(&from, &to)
            .or_else(|_| std::fs::copy(&from, &to).map(|_| ()))
            .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", to.display())))?;
    }
    for file in &update.files {
        let path = export.join(&file.path);
        output::replace_file(&path, &file.bytes)
            .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", path.display())))?;
    }
    for rel in &update.removed {
        // Files this export wrote; one already gone is no loss.
        let _ = std::fs::remove_file(export.join(rel));
    }
    Ok(Updated::Done)
}

/// The pages of a language version, in reading order: its search documents are numbered so.
pub(super) fn version_pages(site: &Site, version: &search::Version) -> Vec<usize> {
    if site.language_roots.is_empty() {
        return site.reading_order.clone();
    }
    site.reading_order
        .iter()
        .copied()
        .filter(|&index| site.pages[index].language == version.language)
        .collect()
}

/// The glossary's terms in this build (a public build leaves internal ones out), each a
/// result of its own that links to its entry on the glossary page: its term as the title,
/// what it stands for as the summary, and the definition followed by its other spellings as
/// the text. The spellings weigh as text, not as headings: a short entry whose every field
/// repeats the query's words would otherwise outrank the pages that answer it.
fn glossary_pages(site: &Site, contexts: &Contexts) -> Vec<SearchPage> {
    let Some(glossary) = contexts.glossary() else {
        return Vec::new();
    };
    let page = (0..site.pages.len()).find(|&i| contexts.is_glossary_page(Some(i)));
    let title = page.map_or(GLOSSARY_TITLE, |i| site.pages[i].title.as_str());
    glossary
        .terms()
        .map(|term| SearchPage {
            title: term.term.clone(),
            url: glossary.term_url(term),
            breadcrumb: vec![title.to_string()],
            kind: GLOSSARY_KIND.to_string(),
            description: term.name.clone().unwrap_or_default(),
            sections: Arc::new(vec![TextSection {
                anchor: None,
                heading: String::new(),
                text: format!("{}\n{}", term.definition_text, term.aliases.join("\n")),
            }]),
            ..SearchPage::default()
        })
        .collect()
}

/// The kind of a glossary term's result.
const GLOSSARY_KIND: &str = "glossary";

/// What search needs of page `index`, whose search text is `sections`.
pub(super) fn search_page(
    site: &Site,
    contexts: &Contexts,
    index: usize,
    sections: Arc<Vec<TextSection>>,
) -> SearchPage {
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
        sections,
    }
}
