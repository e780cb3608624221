//! The static export: the tantivy index cut into small files a browser fetches as it needs them.
//!
//! Everything the browser scores with comes out of tantivy: the term dictionary, each term's
//! postings with their term frequencies, the field norms (as tantivy's one-byte codes), the
//! document frequencies and the token counts behind the average field length. The browser then
//! computes BM25 exactly as tantivy does.
//!
//! Every file but the entry is named by its content (`<h>` below: 16 hex digits of a 64-bit
//! hash of the uncompressed bytes; for shards and page data, of the contents of their group of
//! [`SHARD_GROUP`] shards or [`PAGE_GROUP`] pages), and each name is written in the file that
//! leads to it, so a browser or CDN that caches files never mixes two builds: it reaches the new
//! files only through the new entry, which the client revalidates on every query. Every hashed
//! file is in a folder (`m/`, `s/`, `p/`, `d/`, `f/`), so a host's cache rules can tell them
//! from the entry.
//! - `entry.json` (plain JSON, the only fixed name): the format, the build id and `meta`'s name.
//! - `m/meta.<h>.bin`: counts, BM25 parameters, field boosts, the norm table, the shard keys,
//!   the hashes of the shard and page groups and of the page table, filters with their hashes.
//! - `s/<n>.<h>.bin`: one shard of the vocabulary, a run of written forms in byte order (`meta`
//!   has each shard's first key), with each of their terms' first postings and the hashes of
//!   their further postings.
//! - `p/<list>-<n>.<h>.bin`: further postings of a frequent term, fetched only when needed.
//! - `d/<page>.<h>.bin`: what a result shows for one page and its sections.
//! - `m/pages.<h>.bin`: how many documents each page has, to find a document's page.
//! - `f/k-<hex>.<h>.bin`, `f/t-<hex>.<h>.bin`: the pages of a kind or with a tag, for filters.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, InvertedIndexReader, Score, Searcher, TERMINATED, Term};

use super::binary::{content_hash, gzip, string, varint};
use super::index::{self, Fields, Numbering, SCORED_FIELDS, SearchPage, Vocabulary};
use super::query::{MAX_EXPANSIONS, MIN_PREFIX_CHARS, MIN_TYPO_CHARS, TYPO_SHARED_PREFIX};
use super::synonyms::Phrase;

mod pages;
mod shards;

use pages::{page_data, page_path, page_table, write_filters};
use shards::{encode_shard, shard_members, shard_of, shard_path, write_shards};

/// Format version, checked by the client. 2: files named by their content, `entry.json`.
const FORMAT: u32 = 2;
/// The one file of the export with a fixed name: a host must have browsers revalidate it.
pub const ENTRY_FILE: &str = "entry.json";
/// Vocabulary shards named by one hash, of their contents together: `meta` lists a hash per
/// group, not per shard (the 10,000-page benchmark site has 1,596 shards, whose hashes alone
/// would add 12.8 kB to the first query). An edit renames the shards of its group.
const SHARD_GROUP: usize = 64;
/// Pages whose `d/` files are named by one hash, of their contents together, for the same reason.
const PAGE_GROUP: usize = 128;
/// Postings of a term kept in its shard: enough to answer most one-word queries alone. Only
/// terms in more documents get files of further postings: at 32, half the terms of the
/// 10,000-page benchmark site had such files, 73,800 of them averaging 170 bytes, and creating
/// them was most of the build's kernel time; at 512 there are 5,700, and shards still fetch small.
const FIRST_CHUNK_DOCS: usize = 512;
/// Each further chunk of postings holds this many times more documents than the one before.
const CHUNK_GROWTH: usize = 4;

/// One file of the export, relative to the export folder.
pub struct ExportFile {
    /// Path relative to the export folder, with `/` separators.
    pub path: String,
    /// Gzip-compressed content.
    pub bytes: Vec<u8>,
}

/// Sizes of the export, for the build report and the benchmark.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportStats {
    /// Documents (pages and sections).
    pub documents: u64,
    /// Distinct terms.
    pub terms: usize,
    /// Written forms.
    pub forms: usize,
    /// Vocabulary shards.
    pub shards: usize,
    /// Files written.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
}

impl ExportStats {
    /// Adds another export's sizes to these.
    pub fn add(&mut self, other: &ExportStats) {
        self.documents += other.documents;
        self.terms += other.terms;
        self.forms += other.forms;
        self.shards += other.shards;
        self.files += other.files;
        self.bytes += other.bytes;
    }
}

/// Exports the index in `index_dir`, built from `pages` numbered by `numbering`; with `keep`,
/// also returns what [`update`] needs to bring the export up to date after an edit.
pub fn export(
    index_dir: &Path,
    pages: &[SearchPage],
    numbering: Numbering,
    keep: bool,
) -> Result<(Vec<ExportFile>, ExportStats, Option<ExportState>)> {
    let (index, fields, settings) = index::open(index_dir)?;
    let searcher = index.reader()?.searcher();
    let source = Source::new(&searcher, &fields)?;
    let vocab = index::read_vocabulary(index_dir)?;
    let mut terms: Vec<&str> = vocab.values().flatten().map(String::as_str).collect();
    terms.sort_unstable();
    terms.dedup();
    let term_ids: HashMap<&str, usize> = terms.iter().enumerate().map(|(i, t)| (*t, i)).collect();

    let lists: Vec<TermList> = terms
        .par_iter()
        .enumerate()
        .map(|(id, term)| source.term_list(id, term))
        .collect::<Result<_>>()?;
    let encoded: Vec<Vec<u8>> = lists.par_iter().map(encode_term).collect();

    let mut files = Vec::new();
    let shards = write_shards(&vocab, &term_ids, &lists, &encoded, &mut files);
    let shard_hashes: Vec<u64> = shards.iter().map(|s| s.hash).collect();
    for list in &lists {
        files.extend(later_chunks(list));
    }
    let data: Vec<Vec<u8>> = pages.par_iter().map(page_data).collect();
    let page_hashes: Vec<u64> = data.par_iter().map(|d| content_hash(d)).collect();
    let page_groups = group_hashes(&page_hashes, PAGE_GROUP);
    files.par_extend(
        data.par_iter()
            .enumerate()
            .map(|(i, d)| file(page_path(i, page_groups[i / PAGE_GROUP]), d)),
    );
    let page_counts: Vec<u64> = pages.iter().map(|page| numbering.block(page)).collect();
    let (table, table_hash) = page_table(&page_counts);
    files.push(table);
    let filters = write_filters(pages, &mut files);

    let meta = Meta {
        format: FORMAT,
        docs: source.total_docs,
        pages: pages.len(),
        k1: 1.2,
        b: 0.75,
        fields: SCORED_FIELDS
            .iter()
            .zip(&source.total_tokens)
            .map(|((name, boost), tokens)| (name.to_string(), *boost, *tokens))
            .collect(),
        norms: (0..=255u8).map(FieldNormReader::id_to_fieldnorm).collect(),
        shards: shards.iter().map(|s| s.key.clone()).collect(),
        shard_group: SHARD_GROUP,
        shard_groups: hex_all(&group_hashes(&shard_hashes, SHARD_GROUP)),
        page_group: PAGE_GROUP,
        page_groups: hex_all(&page_groups),
        page_table: hex64(table_hash),
        kinds: filters.0,
        tags: filters.1,
        min_prefix: MIN_PREFIX_CHARS,
        min_typo: MIN_TYPO_CHARS,
        typo_shared: TYPO_SHARED_PREFIX,
        expansions: MAX_EXPANSIONS,
        stop_words: super::stopwords::for_language(&settings.language)
            .into_iter()
            .map(str::to_string)
            .collect(),
        synonyms: settings.compiled_synonyms().phrases().to_vec(),
    };
    files.extend(meta_and_entry(&meta)?);

    let stats = ExportStats {
        documents: source.total_docs,
        terms: terms.len(),
        forms: vocab.len(),
        shards: shards.len(),
        files: files.len(),
        bytes: files.iter().map(|f| f.bytes.len() as u64).sum(),
    };
    let state = keep.then(|| {
        let mut term_shards = vec![Vec::new(); terms.len()];
        for (n, shard) in shards.iter().enumerate() {
            for &id in &shard.terms {
                term_shards[id].push(n);
            }
        }
        ExportState {
            term_ids: terms.iter().map(|t| t.to_string()).zip(0..).collect(),
            chunks: lists.iter().map(chunk_hashes).collect(),
            shards: shard_hashes,
            page_hashes,
            vocab: vocab.clone(),
            encoded,
            term_shards,
            meta,
        }
    });
    Ok((files, stats, state))
}

/// What [`update`] needs of the export it updates.
pub struct ExportState {
    vocab: Vocabulary,
    term_ids: HashMap<String, usize>,
    /// Each term's entry in the shards that hold it, by id.
    encoded: Vec<Vec<u8>>,
    /// The content hash of each chunk of each term's postings, by id: the files to rewrite
    /// after an edit are those whose hash changed.
    chunks: Vec<Vec<u64>>,
    /// The content hash of each shard.
    shards: Vec<u64>,
    /// The content hash of each page's `d/` file.
    page_hashes: Vec<u64>,
    /// The shards each term is in, by id.
    term_shards: Vec<Vec<usize>>,
    meta: Meta,
}

impl ExportState {
    /// Every written form in the export, with its terms.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }
}

/// What changed in the index when one page's documents were replaced.
pub struct Edit<'a> {
    /// Forms the page brought into the vocabulary, with their terms.
    pub new_forms: Vocabulary,
    /// Terms whose postings changed.
    pub changed_terms: Vec<String>,
    /// The page's number in reading order.
    pub number: usize,
    /// Every page, the edited one as it is now: the other pages of its group are renamed.
    pub pages: &'a [SearchPage],
}

/// The files an edit rewrites, and the files it leaves without a use.
pub struct Update {
    /// Files to write.
    pub files: Vec<ExportFile>,
    /// Paths to remove, relative to the export folder.
    pub removed: Vec<String>,
}

/// Brings the export up to date after `edit`: re-exports the changed terms, re-encodes the
/// shards that hold them, and rewrites the page's data, the page table, `meta` and the entry.
/// The other postings and shards keep their files; a file replaced by one of a new name is
/// listed in `removed`. The entry comes last in `files`, so a reader finds every file it names.
pub fn update(
    state: &mut ExportState,
    searcher: &Searcher,
    fields: &Fields,
    edit: Edit,
) -> Result<Update> {
    let old_meta = meta_name(&state.meta)?;
    let source = Source::new(searcher, fields)?;
    let mut changed: Vec<String> = edit.changed_terms;
    let mut dirty_shards = BTreeSet::new();
    for (form, terms) in edit.new_forms {
        let shard = shard_of(&state.meta.shards, &form);
        let known = state.vocab.entry(form).or_default();
        for term in terms {
            if known.contains(&term) {
                continue;
            }
            dirty_shards.insert(shard);
            let id = match state.term_ids.get(&term) {
                Some(&id) => id,
                None => {
                    let id = state.encoded.len();
                    state.term_ids.insert(term.clone(), id);
                    state.encoded.push(Vec::new());
                    state.chunks.push(Vec::new());
                    state.term_shards.push(Vec::new());
                    changed.push(term.clone());
                    id
                }
            };
            if !state.term_shards[id].contains(&shard) {
                state.term_shards[id].push(shard);
            }
            known.push(term);
        }
        known.sort_unstable();
    }
    changed.sort_unstable();
    changed.dedup();
    let mut update = Update {
        files: Vec::new(),
        removed: Vec::new(),
    };
    let lists: Vec<TermList> = changed
        .par_iter()
        .filter_map(|term| Some((*state.term_ids.get(term)?, term)))
        .map(|(id, term)| source.term_list(id, term))
        .collect::<Result<_>>()?;
    for list in &lists {
        let id = list.id;
        let hashes = chunk_hashes(list);
        let old = std::mem::replace(&mut state.chunks[id], hashes);
        let new = &state.chunks[id];
        for (n, chunk) in list.chunks.iter().enumerate().skip(1) {
            if old.get(n) != Some(&new[n]) {
                update
                    .files
                    .push(file(chunk_path(id, n, new[n]), &chunk.bytes));
                if let Some(&previous) = old.get(n) {
                    update.removed.push(chunk_path(id, n, previous));
                }
            }
        }
        for (n, &previous) in old.iter().enumerate().skip(new.len().max(1)) {
            update.removed.push(chunk_path(id, n, previous));
        }
        let encoded = encode_term(list);
        if encoded != state.encoded[id] {
            state.encoded[id] = encoded;
            dirty_shards.extend(state.term_shards[id].iter().copied());
        }
    }
    let mut dirty_groups = BTreeSet::new();
    let mut fresh: HashMap<usize, Vec<u8>> = HashMap::new();
    for shard in dirty_shards {
        let members = shard_members(&state.vocab, &state.meta.shards, shard, &state.term_ids);
        let bytes = encode_shard(&members, &state.encoded);
        let hash = content_hash(&bytes);
        if state.shards[shard] != hash {
            state.shards[shard] = hash;
            dirty_groups.insert(shard / SHARD_GROUP);
            fresh.insert(shard, bytes);
        }
    }
    for group in dirty_groups {
        let range = group_range(group, SHARD_GROUP, state.shards.len());
        let old = state.meta.shard_groups[group].clone();
        let new = hex64(content_hash_of_all(&state.shards[range.clone()]));
        for n in range {
            let bytes = match fresh.remove(&n) {
                Some(bytes) => bytes,
                None => {
                    let members =
                        shard_members(&state.vocab, &state.meta.shards, n, &state.term_ids);
                    encode_shard(&members, &state.encoded)
                }
            };
            update.removed.push(shard_path(n, &old));
            update.files.push(file(shard_path(n, &new), &bytes));
        }
        state.meta.shard_groups[group] = new;
    }
    let number = edit.number;
    let hash = content_hash(&page_data(&edit.pages[number]));
    if let Some(previous) = state.page_hashes.get_mut(number)
        && *previous != hash
    {
        *previous = hash;
        let group = number / PAGE_GROUP;
        let range = group_range(group, PAGE_GROUP, state.page_hashes.len());
        let old = u64::from_str_radix(&state.meta.page_groups[group], 16).unwrap_or_default();
        let new = content_hash_of_all(&state.page_hashes[range.clone()]);
        for n in range {
            update.removed.push(page_path(n, old));
            update
                .files
                .push(file(page_path(n, new), &page_data(&edit.pages[n])));
        }
        state.meta.page_groups[group] = hex64(new);
    }
    state.meta.docs = source.total_docs;
    for (field, tokens) in state.meta.fields.iter_mut().zip(&source.total_tokens) {
        field.2 = *tokens;
    }
    let written = meta_and_entry(&state.meta)?;
    if written[0].path != old_meta {
        update.removed.push(old_meta);
    }
    update.files.extend(written);
    let rewritten: std::collections::HashSet<&str> =
        update.files.iter().map(|f| f.path.as_str()).collect();
    update
        .removed
        .retain(|path| !rewritten.contains(path.as_str()));
    Ok(update)
}

/// `meta` as a file named by its content, then the entry that names it.
fn meta_and_entry(meta: &Meta) -> Result<[ExportFile; 2]> {
    let json = serde_json::to_vec(meta)?;
    let hash = content_hash(&json);
    let entry = Entry {
        format: FORMAT,
        build: hex64(hash),
        meta: hashed_name("m/meta", &hex64(hash)),
    };
    Ok([
        file(entry.meta.clone(), &json),
        ExportFile {
            path: ENTRY_FILE.into(),
            bytes: serde_json::to_vec(&entry)?,
        },
    ])
}

/// The name `meta` is written under.
fn meta_name(meta: &Meta) -> Result<String> {
    let json = serde_json::to_vec(meta)?;
    Ok(hashed_name("m/meta", &hex64(content_hash(&json))))
}

/// What the client fetches first, revalidating it each time: which `meta` to read.
#[derive(Serialize)]
struct Entry {
    format: u32,
    /// Changes with every build whose export differs: the hash of `meta`, which names every
    /// other file directly or through the files it names.
    build: String,
    meta: String,
}

/// `<stem>.<hash>.bin`, the name of a file of the export.
fn hashed_name(stem: &str, hash: &str) -> String {
    format!("{stem}.{hash}.bin")
}

/// A content hash as written in names: 16 lowercase hex digits.
fn hex64(hash: u64) -> String {
    format!("{hash:016x}")
}

fn hex_all(hashes: &[u64]) -> Vec<String> {
    hashes.iter().map(|h| hex64(*h)).collect()
}

/// One hash of several files' content hashes: it changes when any of them does.
fn content_hash_of_all(hashes: &[u64]) -> u64 {
    let bytes: Vec<u8> = hashes.iter().flat_map(|h| h.to_be_bytes()).collect();
    content_hash(&bytes)
}

/// The hash of each group of `size` consecutive files, from their content hashes.
fn group_hashes(hashes: &[u64], size: usize) -> Vec<u64> {
    hashes.chunks(size).map(content_hash_of_all).collect()
}

/// The members of group `group` among `count` files in groups of `size`.
fn group_range(group: usize, size: usize, count: usize) -> std::ops::Range<usize> {
    group * size..((group + 1) * size).min(count)
}

/// The files of a term's postings beyond the first chunk, which its shard holds.
fn later_chunks(list: &TermList) -> impl Iterator<Item = ExportFile> + '_ {
    list.chunks
        .iter()
        .enumerate()
        .skip(1)
        .map(|(n, chunk)| file(chunk_path(list.id, n, chunk.hash), &chunk.bytes))
}

/// The file of chunk `n` (from 1) of term `id`'s postings; the client builds the same name from
/// the hashes in the term's shard.
fn chunk_path(id: usize, n: usize, hash: u64) -> String {
    hashed_name(&format!("p/{id}-{n}"), &hex64(hash))
}

/// What the client reads first.
#[derive(Serialize)]
struct Meta {
    format: u32,
    docs: u64,
    pages: usize,
    k1: f32,
    b: f32,
    /// Name, boost and total tokens of each scored field.
    fields: Vec<(String, f32, u64)>,
    /// Field length for each one-byte field-norm code.
    norms: Vec<u32>,
    shards: Vec<String>,
    /// Shards per group, and the hash of each group, in its shards' file names.
    shard_group: usize,
    shard_groups: Vec<String>,
    /// Pages per group, and the hash of each group, in its pages' `d/` file names.
    page_group: usize,
    page_groups: Vec<String>,
    /// The content hash of the page table, `pages.<hash>.bin`.
    page_table: String,
    /// Name, page count and file hash of each kind and tag.
    kinds: Vec<(String, usize, String)>,
    tags: Vec<(String, usize, String)>,
    min_prefix: usize,
    min_typo: usize,
    typo_shared: usize,
    expansions: usize,
    /// The question and function words of the index's language, left out of a query's score.
    stop_words: Vec<String>,
    /// The synonym entries of several words, which the client matches in queries (see
    /// [`super::synonyms`]).
    synonyms: Vec<Phrase>,
}

/// Readers over every segment of the index, and the statistics BM25 needs.
struct Source<'s> {
    searcher: &'s Searcher,
    fields: &'s Fields,
    /// For each segment, each document's `ord`.
    ords: Vec<Vec<u32>>,
    /// For each segment and scored field: postings and field norms.
    readers: Vec<Vec<(Arc<InvertedIndexReader>, FieldNormReader)>>,
    total_docs: u64,
    total_tokens: Vec<u64>,
}

impl<'s> Source<'s> {
    fn new(searcher: &'s Searcher, fields: &'s Fields) -> Result<Source<'s>> {
        let mut ords = Vec::new();
        let mut readers = Vec::new();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64("ord")?;
            ords.push(
                (0..segment.max_doc())
                    .map(|doc| column.first(doc).unwrap_or_default() as u32)
                    .collect(),
            );
            let mut per_field = Vec::new();
            for field in fields.scored {
                per_field.push((
                    segment.inverted_index(field)?,
                    segment.get_fieldnorms_reader(field)?,
                ));
            }
            readers.push(per_field);
        }
        let mut total_tokens = Vec::new();
        for field in fields.scored {
            total_tokens.push(searcher.total_num_tokens(field)?);
        }
        Ok(Source {
            searcher,
            fields,
            ords,
            readers,
            total_docs: Bm25StatisticsProvider::total_num_docs(searcher)?,
            total_tokens,
        })
    }

    /// A term's postings in every scored field, grouped by impact and cut into chunks.
    fn term_list(&self, id: usize, term: &str) -> Result<TermList> {
        let mut by_doc: FxHashMap<u32, Occurrence> = FxHashMap::default();
        let mut field_mask = 0u8;
        let mut doc_freqs = Vec::new();
        let mut weights = Vec::new();
        for (f, field) in self.fields.scored.iter().enumerate() {
            let term = Term::from_field_text(*field, term);
            let doc_freq = self.searcher.doc_freq(&term)?;
            if doc_freq == 0 {
                continue;
            }
            field_mask |= 1 << f;
            doc_freqs.push(doc_freq);
            let average = self.total_tokens[f] as Score / self.total_docs as Score;
            weights.push((
                f,
                Bm25Weight::for_one_term_without_explain(doc_freq, self.total_docs, average),
            ));
            for (segment, readers) in self.readers.iter().enumerate() {
                let (inverted, norms) = &readers[f];
                let Some(mut postings) =
                    inverted.read_postings(&term, IndexRecordOption::WithFreqs)?
                else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    let ord = self.ords[segment][doc as usize];
                    by_doc.entry(ord).or_default()[f] =
                        Some((postings.term_freq(), norms.fieldnorm_id(doc)));
                    doc = postings.advance();
                }
            }
        }
        // Documents with the same frequencies and norms score the same: one group, one header.
        let mut groups: FxHashMap<Occurrence, Vec<u32>> = FxHashMap::default();
        for (ord, key) in by_doc {
            groups.entry(key).or_default().push(ord);
        }
        let mut groups: Vec<Group> = groups
            .into_iter()
            .map(|(key, mut docs)| {
                docs.sort_unstable();
                Group {
                    score: score(&weights, &key),
                    key,
                    docs,
                }
            })
            .collect();
        groups.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.key.cmp(&b.key)));
        Ok(TermList {
            id,
            term: term.to_string(),
            field_mask,
            doc_freqs,
            chunks: chunk_groups(&groups),
        })
    }
}

/// A document's score for one term: tantivy's BM25 in each field, times the field's boost, summed.
fn score(weights: &[(usize, Bm25Weight)], key: &Occurrence) -> Score {
    let mut total: Score = 0.0;
    for (f, weight) in weights {
        if let Some((tf, norm)) = key[*f] {
            total += weight.score(norm, tf) * SCORED_FIELDS[*f].1;
        }
    }
    total
}

/// A term's frequency and norm code in each scored field of one document.
type Occurrence = [Option<(u32, u8)>; 4];

/// Documents in which a term occurs alike, so they score alike.
struct Group {
    score: Score,
    key: Occurrence,
    docs: Vec<u32>,
}

/// A term's postings, exported.
struct TermList {
    id: usize,
    term: String,
    field_mask: u8,
    doc_freqs: Vec<u64>,
    chunks: Vec<Chunk>,
}

/// Consecutive groups of postings, best scores first.
struct Chunk {
    /// The header of the first group: the best score any document in this chunk can have.
    first_header: Vec<u8>,
    bytes: Vec<u8>,
    /// The content hash of `bytes`, in the chunk's file name.
    hash: u64,
}

/// Cuts groups into chunks of growing size; a large group may span chunks.
fn chunk_groups(groups: &[Group]) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut capacity = FIRST_CHUNK_DOCS;
    let mut pending: Vec<(&Occurrence, &[u32])> = Vec::new();
    let mut filled = 0;
    for Group { key, docs, .. } in groups {
        let mut docs = docs.as_slice();
        while !docs.is_empty() {
            let take = docs.len().min(capacity - filled);
            pending.push((key, &docs[..take]));
            filled += take;
            docs = &docs[take..];
            if filled == capacity {
                chunks.push(encode_chunk(&pending));
                pending.clear();
                filled = 0;
                capacity *= CHUNK_GROWTH;
            }
        }
    }
    if !pending.is_empty() {
        chunks.push(encode_chunk(&pending));
    }
    chunks
}

fn encode_chunk(groups: &[(&Occurrence, &[u32])]) -> Chunk {
    let mut bytes = Vec::new();
    varint(&mut bytes, groups.len() as u64);
    let mut first_header = Vec::new();
    for (i, (key, docs)) in groups.iter().enumerate() {
        let mut header = Vec::new();
        encode_header(&mut header, key);
        if i == 0 {
            first_header = header.clone();
        }
        bytes.extend(header);
        varint(&mut bytes, docs.len() as u64);
        let mut previous = 0;
        for &doc in *docs {
            varint(&mut bytes, u64::from(doc - previous));
            previous = doc;
        }
    }
    Chunk {
        first_header,
        hash: content_hash(&bytes),
        bytes,
    }
}

/// Which fields a group is in, and its term frequency and norm code in each.
fn encode_header(out: &mut Vec<u8>, key: &Occurrence) {
    let mask = key
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_some())
        .fold(0u8, |mask, (f, _)| mask | 1 << f);
    out.push(mask);
    for (tf, norm) in key.iter().flatten() {
        varint(out, u64::from(*tf));
        out.push(*norm);
    }
}

/// A term as stored in a shard: its postings' first chunk and how to find the rest.
fn encode_term(list: &TermList) -> Vec<u8> {
    let mut out = Vec::new();
    let out = &mut out;
    string(out, &list.term);
    varint(out, list.id as u64);
    out.push(list.field_mask);
    for df in &list.doc_freqs {
        varint(out, *df);
    }
    varint(out, list.chunks.len() as u64);
    if let Some(first) = list.chunks.first() {
        out.extend(&first.bytes);
    }
    for chunk in list.chunks.iter().skip(1) {
        out.extend(&chunk.first_header);
    }
    for chunk in list.chunks.iter().skip(1) {
        out.extend(chunk.hash.to_be_bytes());
    }
    std::mem::take(out)
}

/// The content hash of each chunk of a term's postings.
fn chunk_hashes(list: &TermList) -> Vec<u64> {
    list.chunks.iter().map(|c| c.hash).collect()
}

impl TermList {
    fn encoded_size(&self) -> usize {
        8 + self.chunks.first().map_or(0, |c| c.bytes.len())
            + self
                .chunks
                .iter()
                .skip(1)
                .map(|c| c.first_header.len() + 8)
                .sum::<usize>()
    }
}

fn file(path: String, bytes: &[u8]) -> ExportFile {
    ExportFile {
        path,
        bytes: gzip(bytes),
    }
}
