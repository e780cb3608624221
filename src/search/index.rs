//! The tantivy index: one document per page and one per heading section.
//!
//! A page's document holds its title, description, every heading, and the text before its first
//! heading; each section's document holds its heading and its text. So every word of a page is
//! indexed once, and a match deep in a long page links to the section that has it.
//!
//! tantivy analyzes the text with [`MultilingualTokenizer`], which stems each page in its own
//! language (named by a mark at the start of the text), so one index holds pages in many
//! languages. While it does, the tokenizer records every written form; `vocabulary.txt` beside
//! the index maps each form to its terms (`licensing` → `licens`): it is how the browser and
//! `folio search` turn a typed word, a prefix or a typo into indexed terms without a stemmer.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::indexer::NoMergePolicy;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::analyzer::{FormRecorder, MultilingualTokenizer, TOKENIZER_NAME, mark_language};
use crate::markdown::TextSection;

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
    /// The visible text, cut at headings.
    pub sections: Vec<TextSection>,
}

/// How the index was built, saved beside it so readers analyze queries the same way.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexSettings {
    /// The site's language: queries are analyzed in it.
    pub language: String,
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
            page_ord: builder.add_u64_field("page_ord", STORED),
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
    let index = Index::open_in_dir(dir)
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
const WRITER_MEMORY: usize = 768 << 20;

/// Pages analyzed at a time: enough to keep every core busy, few enough to bound memory.
const BATCH: usize = 256;

/// Builds the index of `pages` in `dir`, which must be empty or absent.
pub fn build(dir: &Path, pages: &[SearchPage], language: &str) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the search index folder {}", dir.display()))?;
    let (schema, fields) = Fields::schema();
    let index = Index::create_in_dir(dir, schema)
        .with_context(|| format!("cannot create the search index in {}", dir.display()))?;
    let recorder = Arc::new(FormRecorder::default());
    index.tokenizers().register(
        TOKENIZER_NAME,
        MultilingualTokenizer::recording(language, recorder.clone()),
    );
    let mut writer: IndexWriter<TantivyDocument> = index.writer(WRITER_MEMORY)?;
    // The index is written once per build: merging segments would only cost time.
    writer.set_merge_policy(Box::new(NoMergePolicy));
    let first_ords = first_ords(pages);
    let t0 = std::time::Instant::now();
    let bytes: usize = pages
        .iter()
        .map(|p| p.sections.iter().map(|s| s.text.len()).sum::<usize>())
        .sum();
    eprintln!("TMP text bytes {bytes}");
    for (batch, ords) in pages.chunks(BATCH).zip(first_ords.chunks(BATCH)) {
        let documents: Vec<Vec<TantivyDocument>> = batch
            .par_iter()
            .zip(ords)
            .map(|(page, &ord)| page_documents(&fields, page, ord, language))
            .collect();
        for document in documents.into_iter().flatten() {
            writer.add_document(document)?;
        }
    }
    eprintln!("TMP add loop {:?}", t0.elapsed());
    writer.commit()?;
    eprintln!("TMP commit {:?}", t0.elapsed());
    writer.wait_merging_threads()?;
    write_vocabulary(dir, recorder.take())?;
    eprintln!("TMP vocab {:?}", t0.elapsed());
    let settings = IndexSettings {
        language: language.to_string(),
    };
    std::fs::write(dir.join(SETTINGS_FILE), serde_json::to_vec(&settings)?)?;
    Ok(())
}

/// The `ord` of each page's own document: pages are numbered first, then their sections.
fn first_ords(pages: &[SearchPage]) -> Vec<u64> {
    let mut next = 0;
    pages
        .iter()
        .map(|page| {
            let ord = next;
            next += document_count(page);
            ord
        })
        .collect()
}

/// How many documents a page has in the index: its own and one per section.
pub fn document_count(page: &SearchPage) -> u64 {
    1 + indexed_sections(page).count() as u64
}

/// The sections that get a document of their own: those under a heading.
pub fn indexed_sections(page: &SearchPage) -> impl Iterator<Item = &TextSection> {
    page.sections.iter().filter(|s| s.anchor.is_some())
}

/// The page's document followed by one per section. tantivy analyzes the text fields itself
/// (with the language mark); only the vocabulary is analyzed here.
fn page_documents(
    fields: &Fields,
    page: &SearchPage,
    ord: u64,
    site_language: &str,
) -> Vec<TantivyDocument> {
    let lang = if page.lang.is_empty() {
        site_language
    } else {
        &page.lang
    };
    let marked = |text: &str| mark_language(text, lang, site_language);

    let common = |document: &mut TantivyDocument| {
        document.add_text(fields.kind, &page.kind);
        for tag in &page.tags {
            document.add_text(fields.tags, tag);
        }
        document.add_text(fields.section, &page.section);
        if let Some(status) = &page.status {
            document.add_text(fields.status, status);
        }
        document.add_text(fields.lang, lang);
        document.add_u64(fields.page_ord, ord);
    };

    let [title_field, headings_field, body_field, description_field] = fields.scored;
    let mut page_doc = TantivyDocument::default();
    page_doc.add_text(title_field, marked(&page.title));
    let headings: Vec<&str> = page.sections.iter().map(|s| s.heading.as_str()).collect();
    page_doc.add_text(headings_field, marked(&headings.join("\n")));
    // Each word of the body is indexed once: under its heading's section document, or here
    // when it comes before the first heading. Indexing the whole body again in the page's own
    // document would double the indexing work for no better answer: a match deep in a page is
    // best answered by the section it is in.
    let intro = page.sections.first().filter(|s| s.anchor.is_none());
    page_doc.add_text(body_field, marked(intro.map_or("", |s| s.text.as_str())));
    page_doc.add_text(description_field, marked(&page.description));
    page_doc.add_text(fields.url, &page.url);
    page_doc.add_text(fields.title_text, &page.title);
    page_doc.add_text(fields.text, page_snippet_text(page));
    page_doc.add_u64(fields.ord, ord);
    common(&mut page_doc);

    let mut documents = vec![page_doc];
    for (n, section) in indexed_sections(page).enumerate() {
        let mut doc = TantivyDocument::default();
        doc.add_text(title_field, marked(&section.heading));
        doc.add_text(body_field, marked(&section.text));
        let anchor = section.anchor.as_deref().unwrap_or_default();
        doc.add_text(fields.url, format!("{}#{anchor}", page.url));
        doc.add_text(fields.title_text, &section.heading);
        doc.add_text(fields.page_title, &page.title);
        doc.add_text(fields.text, &section.text);
        doc.add_u64(fields.ord, ord + 1 + n as u64);
        common(&mut doc);
        documents.push(doc);
    }
    documents
}

/// Writes the vocabulary file: each recorded form, in byte order, with its terms.
fn write_vocabulary(dir: &Path, forms: HashMap<String, Vec<String>>) -> Result<()> {
    let mut vocabulary: Vec<(String, Vec<String>)> = forms.into_iter().collect();
    vocabulary.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut text = String::new();
    for (form, terms) in &mut vocabulary {
        terms.sort_unstable();
        text.push_str(form);
        for term in terms.iter() {
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
