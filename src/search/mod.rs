//! Layer 4, **search**: a tantivy index built with the site, and a static export of it for
//! browsers. May import: `base`, `input` and `content`.
//!
//! - [`analyzer`]: text to words and terms, the same for pages and queries.
//! - [`index`]: the tantivy index, one document per page and one per heading section.
//! - [`query`]: plain and tantivy-syntax queries against the index (`folio search`).
//! - `forms`: the analyzer's tables of word forms and terms.
//! - [`found`]: a query matching what an earlier search found, to exclude phrases safely.
//! - [`ranking`]: results ordered by matched words then BM25, and grouped by page.
//! - [`stopwords`]: the question and function words a query leaves out of its score.
//! - [`export`]: the index cut into small files the browser client fetches as it needs them,
//!   encoded by [`binary`].
//! - [`live`]: the index and its export brought up to date after an edit to one page.
//! - [`synonyms`]: the groups of `data/synonyms.yaml` matching each other in every search.

pub mod analyzer;
pub mod binary;
pub mod export;
mod forms;
pub mod found;
pub mod index;
pub mod live;
pub mod query;
pub mod ranking;
pub mod stopwords;
pub mod synonyms;

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::base::paths::EXPORT_DIR;
use crate::input::config::Config;
pub use export::{ExportFile, ExportState, ExportStats};
pub use index::{Numbering, SearchPage};
pub use live::LiveIndex;

/// Where the index of a build into `output` lives: beside the output folder, never in it (so it
/// is not deployed), where `folio search` and `folio serve` find it without rebuilding:
/// `public/` gets `.public.folio-index/`.
pub fn index_dir(output: &Path) -> PathBuf {
    crate::base::output::beside(output, "index")
}

/// One language version of the site as search sees it: its pages get an index and an export of
/// their own, analyzed in its language, so that a reader searches the pages of the language
/// they read. A site without `languages` is one version, the default language's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The language its pages are analyzed in.
    pub language: String,
    /// The URL path of its home, relative to the site root: empty for the default language,
    /// `es/` for another.
    pub prefix: String,
}

impl Version {
    /// The site's versions: the default language first, then the others in site.toml's order.
    pub fn all(config: &Config) -> Vec<Version> {
        let others = config.languages.iter().filter(|l| **l != config.language);
        std::iter::once(Version::default_of(config))
            .chain(others.map(|language| Version {
                language: language.clone(),
                prefix: format!("{language}/"),
            }))
            .collect()
    }

    /// The default language's version.
    pub fn default_of(config: &Config) -> Version {
        Version {
            language: config.language.clone(),
            prefix: String::new(),
        }
    }

    /// The version of `language`, when the site has it.
    pub fn of(config: &Config, language: &str) -> Option<Version> {
        Version::all(config)
            .into_iter()
            .find(|v| v.language == language)
    }

    /// Its export, relative to the output folder: `_search`, or `es/_search`.
    pub fn export_dir(&self) -> PathBuf {
        Path::new(&self.prefix).join(EXPORT_DIR)
    }

    /// Where its index lives: the default language's at [`index_dir`], another's beside it
    /// (`.public.folio-index-es/`), so that each is replaced on its own.
    pub fn index_dir(&self, output: &Path) -> PathBuf {
        language_index_dir(output, (!self.prefix.is_empty()).then_some(&self.language))
    }
}

/// The index folder of a language other than the default (`Some("es")`), or of the default.
pub fn language_index_dir(output: &Path, other_language: Option<&str>) -> PathBuf {
    match other_language {
        Some(code) => crate::base::output::beside(output, &format!("index-{}", file_safe(code))),
        None => index_dir(output),
    }
}

/// A language code as part of a folder name: letters, digits and `-` as they are, any other
/// byte as `_` and two hex digits, so that a code such as `x/../..` names no other folder.
fn file_safe(code: &str) -> String {
    code.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' => char::from(b).to_string(),
            _ => format!("_{b:02x}"),
        })
        .collect()
}

/// An index built beside the current one, put in its place by [`PendingIndex::commit`] once the
/// site's output is: a failed build leaves the previous index as it was.
pub struct PendingIndex {
    building: PathBuf,
    target: PathBuf,
}

/// What building the index and its export took.
#[derive(Debug, Clone, Default)]
pub struct SearchReport {
    /// Time to analyze and index every page.
    pub index_time: Duration,
    /// Time to export the index.
    pub export_time: Duration,
    /// Size of the tantivy index on disk.
    pub index_bytes: u64,
    /// What the export holds.
    pub export: ExportStats,
}

impl SearchReport {
    /// Adds the work of another language version's index to this report.
    pub fn add(&mut self, other: &SearchReport) {
        self.index_time += other.index_time;
        self.export_time += other.export_time;
        self.index_bytes += other.index_bytes;
        self.export.add(&other.export);
    }
}

/// What [`build`] made.
pub struct Built {
    /// The index, to put in place once the site's output is.
    pub index: PendingIndex,
    /// The export's files.
    pub files: Vec<ExportFile>,
    /// Timings and sizes.
    pub report: SearchReport,
    /// With `keep`, what [`LiveIndex`] needs to update the export.
    pub export: Option<ExportState>,
}

/// Indexes `pages` into a fresh folder beside `target`, with `synonyms`, and exports the
/// result; with `keep`, also keeps what updating the export after an edit needs, and gives the
/// pages back. Without it the pages, whose text is most of what a build holds by then, are
/// freed before the postings are exported.
pub fn build(
    pages: Vec<SearchPage>,
    language: &str,
    synonyms: &crate::content::synonyms::Synonyms,
    target: &Path,
    numbering: Numbering,
    keep: bool,
) -> Result<(Built, Vec<SearchPage>)> {
    let building = crate::base::output::temporary(target, "building");
    if building.exists() {
        crate::base::output::remove_own_dir(&building)?;
    }
    let pending = PendingIndex {
        building,
        target: target.to_path_buf(),
    };
    // Marked first, so that the next build knows it for Folio's should this one be killed.
    crate::base::output::mark_index(&pending.building)?;
    let started = Instant::now();
    // What the export takes from the pages alone (result data, page table, filters) is made
    // while tantivy indexes; only the postings wait for the index.
    // On a thread of its own, one page at a time: on rayon's pool it would hold up the pages
    // tantivy is waiting for.
    // Each takes its own list of the pages, which share their text: a page's text is freed
    // once both are done with it (with `keep`, the list given back holds it too).
    let kept = if keep { pages.clone() } else { Vec::new() };
    let for_export = pages.clone();
    let (indexed, page_export) = std::thread::scope(|scope| {
        let page_export = scope.spawn(move || export::export_pages(&for_export, numbering));
        let indexed = index::build(&pending.building, pages, language, synonyms, numbering);
        (indexed, page_export.join())
    });
    let vocabulary = indexed?;
    // The pages' text is indexed and freed: give it back before the export reads the index.
    crate::base::memory::return_freed();
    let page_export = page_export.map_err(|_| anyhow::anyhow!("the search export failed"))?;
    let index_time = started.elapsed();
    let started = Instant::now();
    let (files, stats, export) = export::export(&pending.building, vocabulary, page_export, keep)?;
    let report = SearchReport {
        index_time,
        export_time: started.elapsed(),
        index_bytes: folder_size(&pending.building),
        export: stats,
    };
    let built = Built {
        index: pending,
        files,
        report,
        export,
    };
    Ok((built, kept))
}

impl PendingIndex {
    /// Replaces the previous index with this one, so that the index is whole at every moment
    /// (see [`crate::base::output::swap_in`]).
    pub fn commit(self) -> io::Result<()> {
        let old = crate::base::output::temporary(&self.target, "old");
        crate::base::output::swap_in(&self.building, &self.target, &old)
    }
}

impl Drop for PendingIndex {
    fn drop(&mut self) {
        // Only reached with the folder still there when the build failed or commit did.
        if self.building.exists() {
            let _ = crate::base::output::remove_own_dir(&self.building);
        }
    }
}

fn folder_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
