//! The tantivy index: one document per page and one per heading section.
//!
//! A page's document holds its title, description, every heading, and the text before its first
//! heading; each section's document holds its heading, its text and, as its headings field, its
//! page's title (a section is about what its page is about). Every document's headings field
//! also holds the titles of the sections above its page. So every word of a page's text is
//! indexed once, and a match deep in a long page links to the section that has it.
//!
//! tantivy analyzes the text with [`MultilingualTokenizer`], which stems each page in its own
//! language (named by a mark at the start of the text), so one index holds pages in many
//! languages. While it does, the tokenizer records every written form; `vocabulary.txt` beside
//! the index maps each form to its terms (`licensing` → `licens`): it is how the browser and
//! `folio search` turn a typed word, a prefix or a typo into indexed terms without a stemmer.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tantivy::directory::{Directory, MmapDirectory};
use tantivy::indexer::NoMergePolicy;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::analyzer::{FormRecorder, MultilingualTokenizer, TOKENIZER_NAME, mark_language};
use super::synonyms::{self, Compiled};
use crate::content::markdown::TextSection;
use crate::content::synonyms::Synonyms;

/// The scored text fields, in the order the export and the browser number them, with the boost
/// each gets: a match in a title outweighs many in bodies.
pub const SCORED_FIELDS: [(&str, f32); 4] = [
    ("title", 3.0),
    ("headings", 2.0),
    ("body", 1.0),
    ("description", 1.5),
];

/// The written forms and their terms, one form per line: `form\tterm[\tterm…]`.
const VOCABULARY_FILE: &str = "vocabulary.txt";

/// Every written form in the index, in byte order, with its terms.
pub type Vocabulary = BTreeMap<String, Vec<String>>;

/// Name of the file beside the index that records how it was built.
const SETTINGS_FILE: &str = "folio-search.json";

/// What search needs to know about one page.
#[derive(Debug, Clone, Default)]
pub struct SearchPage {
    /// Title.
    pub title: String,
    /// URL path from the site root, including the base path: `/handbook/policies/usage/`.
    pub url: String,
    /// Titles of the sections above the page, outermost first.
    pub breadcrumb: Vec<String>,
    /// policy, playbook, faq, page or section.
    pub kind: String,
    /// Tags.
    pub tags: Vec<String>,
    /// The top-level folder the page is in (`policies`), empty for pages at the root.
    pub section: String,
    /// A policy's status.
    pub status: Option<String>,
    /// Language tag.
    pub lang: String,
    /// One-sentence summary.
    pub description: String,
    /// The visible text, cut at headings (shared with the rendered page).
    pub sections: Arc<Vec<TextSection>>,
}

/// How the index was built, saved beside it so readers analyze queries the same way.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexSettings {
    /// The site's language: queries are analyzed in it.
    pub language: String,
    /// The synonym groups the index was built with, which queries apply too.
    #[serde(default)]
    pub synonyms: Synonyms,
}

impl IndexSettings {
    /// The synonyms compiled for the index's language.
    pub fn compiled_synonyms(&self) -> Arc<Compiled> {
        Arc::new(Compiled::new(&self.synonyms, &self.language))
    }
}

/// Handles to the schema's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The scored text fields, in [`SCORED_FIELDS`] order.
    pub scored: [Field; 4],
    /// Kind (filterable).
    pub kind: Field,
    /// Tags (filterable).
    pub tags: Field,
    /// Top-level section (filterable).
    pub section: Field,
    /// Policy status (filterable).
    pub status: Field,
    /// Language tag.
    pub lang: Field,
    /// URL, with `#anchor` for a section.
    pub url: Field,
    /// Title as written, for display.
    pub title_text: Field,
    /// For a section, the title of its page.
    pub page_title: Field,
    /// Text to cut snippets from.
    pub text: Field,
    /// Position in the export: page documents are followed by their sections.
    pub ord: Field,
    /// The `ord` of the page a section belongs to (its own for a page).
    pub page_ord: Field,
}

impl Fields {
    /// The schema, and handles to its fields.
    pub fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let scored = SCORED_FIELDS.map(|(name, _)| builder.add_text_field(name, text.clone()));
        let fields = Fields {
            scored,
            kind: builder.add_text_field("kind", STRING | STORED),
            tags: builder.add_text_field("tags", STRING | STORED),
            section: builder.add_text_field("section", STRING | STORED),
            status: builder.add_text_field("status", STRING | STORED),
            lang: builder.add_text_field("lang", STRING | STORED),
            // Read back, never searched: indexing 140,000 distinct URLs would only slow the build.
            url: builder.add_text_field("url", STORED),
            title_text: builder.add_text_field("title_text", STORED),
            page_title: builder.add_text_field("page_title", STORED),
            text: builder.add_text_field("text", STORED),
            ord: builder.add_u64_field("ord", INDEXED | FAST | STORED),
            page_ord: builder.add_u64_field("page_ord", FAST | STORED),
        };
        (builder.build(), fields)
    }

    /// Handles to the fields of an index built by [`build`].
    pub fn of(schema: &Schema) -> Result<Fields> {
        let get = |name: &str| {
            schema.get_field(name).with_context(|| {
                format!("the search index has no field `{name}`: rebuild the site")
            })
        };
        let mut scored = Vec::new();
        for (name, _) in SCORED_FIELDS {
            scored.push(get(name)?);
        }
        Ok(Fields {
            scored: scored.try_into().expect("four scored fields"),
            kind: get("kind")?,
            tags: get("tags")?,
            section: get("section")?,
            status: get("status")?,
            lang: get("lang")?,
            url: get("url")?,
            title_text: get("title_text")?,
            page_title: get("page_title")?,
            text: get("text")?,
            ord: get("ord")?,
            page_ord: get("page_ord")?,
        })
    }
}

/// Opens the index in `dir`, with Folio's analyzer registered for its language.
pub fn open(dir: &Path) -> Result<(Index, Fields, IndexSettings)> {
    open_in(dir, |dir| Ok(MmapDirectory::open(dir)?))
}

/// The same, reading and writing the index through the directory `directory` opens on `dir`.
pub(super) fn open_in<D: Directory>(
    dir: &Path,
    directory: impl FnOnce(&Path) -> Result<D>,
) -> Result<(Index, Fields, IndexSettings)> {
    let settings_path = dir.join(SETTINGS_FILE);
    let settings: IndexSettings = std::fs::read(&settings_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .with_context(|| {
            format!(
                "no search index in {}: run `folio build` first",
                dir.display()
            )
        })?;
    let index = directory(dir)
        .and_then(|directory| Ok(Index::open(directory)?))
        .with_context(|| format!("cannot open the search index in {}", dir.display()))?;
    register_tokenizer(&index, &settings.language);
    let fields = Fields::of(&index.schema())?;
    Ok((index, fields, settings))
}

fn register_tokenizer(index: &Index, language: &str) {
    index
        .tokenizers()
        .register(TOKENIZER_NAME, MultilingualTokenizer::new(language));
}

/// Memory tantivy may use while indexing, shared by its threads.
const WRITER_MEMORY: usize = 128 << 20;

/// How documents are numbered (their `ord`): each page gets a block, its own document then its
/// sections', in reading order. A deployed build packs the blocks tight; `folio serve` leaves
/// spare numbers in each, so that a page can gain sections without renumbering the pages after
/// it. Ties in ranking go to the lower number, so either way they go to reading order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Numbering {
    /// Unused numbers at the end of each page's block.
    pub spare: u64,
}

impl Numbering {
    /// The size of `page`'s block.
    pub fn block(&self, page: &SearchPage) -> u64 {
        document_count(page) + self.spare
    }

    /// The first number of each page's block.
    pub fn first_ords(&self, pages: &[SearchPage]) -> Vec<u64> {
        let mut next = 0;
        pages
            .iter()
            .map(|page| {
                let ord = next;
                next += self.block(page);
                ord
            })
            .collect()
    }
}

/// Builds the index of `pages` in `dir`, which must be empty or absent, with `synonyms`. Each
/// page is dropped once its documents are handed to tantivy, so that its text is freed as soon
/// as nothing else holds it.
pub fn build(
    dir: &Path,
    pages: Vec<SearchPage>,
    language: &str,
    synonyms: &Synonyms,
    numbering: Numbering,
) -> Result<Vocabulary> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the search index folder {}", dir.display()))?;
    let (schema, fields) = Fields::schema();
    // Not synced to disk: the build swaps the index in once it is whole, as it writes the site.
    let directory = super::live::UnsyncedDirectory::open(dir)?;
    let index = Index::create(directory, schema, tantivy::IndexSettings::default())
        .with_context(|| format!("cannot create the search index in {}", dir.display()))?;
    let recorder = Arc::new(FormRecorder::default());
    let settings = IndexSettings {
        language: language.to_string(),
        synonyms: synonyms.clone(),
    };
    let compiled = settings.compiled_synonyms();
    index.tokenizers().register(
        TOKENIZER_NAME,
        synonyms::analyzer(
            MultilingualTokenizer::recording(language, recorder.clone()),
            &compiled,
        ),
    );
    let mut writer: IndexWriter<TantivyDocument> = index.writer(WRITER_MEMORY)?;
    // The index is written once per build: merging segments would only cost time.
    writer.set_merge_policy(Box::new(NoMergePolicy));
    let first_ords = numbering.first_ords(&pages);
    // Made here, one page at a time, not on rayon's threads: the build writes pages on those
    // meanwhile, and the documents would wait for the writing to end. Making them costs a
    // tenth of what tantivy's threads spend analyzing them.
    for (page, ord) in pages.into_iter().zip(first_ords) {
        for document in page_documents(&fields, &page, ord, language) {
            writer.add_document(document)?;
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let mut vocabulary = vocabulary_of(recorder.take());
    let searcher = index.reader()?.searcher();
    compiled.extend_vocabulary(&mut vocabulary, Compiled::indexed_in(&searcher, &fields));
    write_vocabulary(dir, &vocabulary)?;
    std::fs::write(dir.join(SETTINGS_FILE), serde_json::to_vec(&settings)?)?;
    Ok(vocabulary)
}

/// How many documents a page has in the index: its own and one per section.
pub fn document_count(page: &SearchPage) -> u64 {
    1 + indexed_sections(page).count() as u64
}

/// The sections that get a document of their own: those under a heading.
pub fn indexed_sections(page: &SearchPage) -> impl Iterator<Item = &TextSection> {
    page.sections.iter().filter(|s| s.anchor.is_some())
}

/// The language a page is analyzed in.
pub(super) fn page_language<'a>(page: &'a SearchPage, site_language: &'a str) -> &'a str {
    if page.lang.is_empty() {
        site_language
    } else {
        &page.lang
    }
}

/// The text of each scored field ([`SCORED_FIELDS`] order) of the page's documents: its own,
/// then one per section.
pub(super) fn scored_texts(page: &SearchPage) -> Vec<[Cow<'_, str>; 4]> {
    let headings: Vec<&str> = page.sections.iter().map(|s| s.heading.as_str()).collect();
    // Each word of the body is indexed once: under its heading's section document, or here
    // when it comes before the first heading. Indexing the whole body again in the page's own
    // document would double the indexing work for no better answer: a match deep in a page is
    // best answered by the section it is in.
    let intro = page.sections.first().filter(|s| s.anchor.is_none());
    let path = page.breadcrumb.join("\n");
    let mut documents = vec![[
        Cow::Borrowed(page.title.as_str()),
        Cow::Owned(format!("{path}\n{}", headings.join("\n"))),
        Cow::Borrowed(intro.map_or("", |s| s.text.as_str())),
        Cow::Borrowed(page.description.as_str()),
    ]];
    // A section's headings field holds its page's title, and every document's the titles of
    // the sections above its page, as the hierarchy of a DocSearch record does: a section is
    // found by what its page is about, and where it is, as well as by its own words.
    for section in indexed_sections(page) {
        documents.push([
            Cow::Borrowed(section.heading.as_str()),
            Cow::Owned(format!("{path}\n{}", page.title)),
            Cow::Borrowed(section.text.as_str()),
            Cow::Borrowed(""),
        ]);
    }
    documents
}

/// The page's document followed by one per section, numbered from `ord`. tantivy analyzes the
/// text fields itself, picking the language from the mark [`mark_language`] puts on them.
pub(super) fn page_documents(
    fields: &Fields,
    page: &SearchPage,
    ord: u64,
    site_language: &str,
) -> Vec<TantivyDocument> {
    let lang = page_language(page, site_language);
    let snippets = std::iter::once(Cow::Owned(page_snippet_text(page)))
        .chain(indexed_sections(page).map(|s| Cow::Borrowed(s.text.as_str())));
    let sections = std::iter::once(None).chain(indexed_sections(page).map(Some));
    scored_texts(page)
        .into_iter()
        .zip(snippets)
        .zip(sections)
        .enumerate()
        .map(|(n, ((texts, snippet), section))| {
            let mut doc = TantivyDocument::default();
            for (field, text) in fields.scored.iter().zip(&texts) {
                // A section has no headings or description of its own: leave them out, as
                // tantivy would for a missing value.
                if section.is_none() || !text.is_empty() {
                    doc.add_text(*field, mark_language(text, lang, site_language));
                }
            }
            match section {
                None => {
                    doc.add_text(fields.url, &page.url);
                    doc.add_text(fields.title_text, &page.title);
                }
                Some(section) => {
                    let anchor = section.anchor.as_deref().unwrap_or_default();
                    doc.add_text(fields.url, format!("{}#{anchor}", page.url));
                    doc.add_text(fields.title_text, &section.heading);
                    doc.add_text(fields.page_title, &page.title);
                }
            }
            doc.add_text(fields.text, snippet);
            doc.add_u64(fields.ord, ord + n as u64);
            doc.add_text(fields.kind, &page.kind);
            for tag in &page.tags {
                doc.add_text(fields.tags, tag);
            }
            doc.add_text(fields.section, &page.section);
            if let Some(status) = &page.status {
                doc.add_text(fields.status, status);
            }
            doc.add_text(fields.lang, lang);
            doc.add_u64(fields.page_ord, ord);
            doc
        })
        .collect()
}

/// The vocabulary of recorded forms: in byte order, each form's terms sorted.
pub(super) fn vocabulary_of(forms: FxHashMap<String, Vec<String>>) -> Vocabulary {
    let mut forms: Vec<(String, Vec<String>)> = forms.into_iter().collect();
    // Sorted without keeping equal keys in order (there are none): the map is then built from
    // the sorted run, which its own stable sort only checks.
    forms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    forms
        .into_iter()
        .map(|(form, mut terms)| {
            terms.sort_unstable();
            (form, terms)
        })
        .collect()
}

/// Writes the vocabulary file: each form, in byte order, with its terms.
pub(super) fn write_vocabulary(dir: &Path, vocabulary: &Vocabulary) -> Result<()> {
    let mut text = String::new();
    for (form, terms) in vocabulary {
        text.push_str(form);
        for term in terms {
            text.push('\t');
            text.push_str(term);
        }
        text.push('\n');
    }
    std::fs::write(dir.join(VOCABULARY_FILE), text)
        .with_context(|| format!("cannot write the vocabulary in {}", dir.display()))
}

/// Reads the vocabulary of the index in `dir`.
pub fn read_vocabulary(dir: &Path) -> Result<Vocabulary> {
    let text = std::fs::read_to_string(dir.join(VOCABULARY_FILE)).with_context(|| {
        format!(
            "no search vocabulary in {}: rebuild the site",
            dir.display()
        )
    })?;
    Ok(text
        .lines()
        .filter_map(|line| {
            let mut parts = line.split('\t');
            let form = parts.next()?.to_string();
            Some((form, parts.map(str::to_string).collect()))
        })
        .collect())
}

/// What a page's own result shows as its snippet: its summary and the text before any heading.
pub fn page_snippet_text(page: &SearchPage) -> String {
    let intro = page
        .sections
        .first()
        .filter(|s| s.anchor.is_none())
        .map_or("", |s| s.text.as_str());
    match (page.description.is_empty(), intro.is_empty()) {
        (false, false) => format!("{}\n{intro}", page.description),
        (false, true) => page.description.clone(),
        _ => intro.to_string(),
    }
}
