//! The static export: the tantivy index cut into files a browser fetches as it needs them, few
//! enough for any static host (a site of 10,000 pages has about 900), each read in parts.
//!
//! Everything the browser scores with comes out of tantivy: the term dictionary, each term's
//! postings with their term frequencies, the field norms (as tantivy's one-byte codes), the
//! document frequencies and the token counts behind the average field length. The browser then
//! computes BM25 exactly as tantivy does.
//!
//! Every file but the entry is named by its content (`<h>` below: 16 hex digits of a 64-bit
//! hash; for shards and page data, of the contents of their group of [`SHARD_GROUP`] shards or
//! [`PACK_GROUP`] packs), and each name is written in the file that leads to it, so a browser or
//! CDN that caches files never mixes two builds: it reaches the new files only through the new
//! entry, which the client revalidates on every query. Every hashed file is in a folder (`m/`,
//! `s/`, `p/`, `d/`, `f/`), so a host's cache rules can tell them from the entry.
//!
//! `p/` and `d/` files are packs: the concatenation of many gzip members, one per chunk of
//! postings or per page, that the client fetches alone with an HTTP range request (every
//! static host serves those; where a server answers with the whole file instead, the client
//! takes its part of it). The other files are gzip as a whole.
//! - `entry.json` (plain JSON, the only fixed name): the format, the build id and `meta`'s name.
//! - `m/meta.<h>.bin`: counts, BM25 parameters, field boosts, the norm table, the shard keys,
//!   the hashes of the shard and data groups and of the page table, filters with their hashes.
//! - `s/<n>.<h>.bin`: one shard of the vocabulary, a run of written forms in byte order (`meta`
//!   has each shard's first key), with each of their terms' first postings and, for a frequent
//!   term, the pack, byte range and pack hash of each further chunk of its postings.
//! - `p/<n>.<h>.bin`: a pack of further postings of frequent terms, fetched only when needed.
//! - `d/<n>.<h>.bin`: what a result shows for [`PACK_PAGES`] consecutive pages and their
//!   sections: a table of offsets, then each page's data (JSON) as a gzip member.
//! - `m/pages.<h>.bin`: how many documents each page has, to find a document's page.
//! - `f/k-<hex>.<h>.bin`, `f/t-<hex>.<h>.bin`: the pages of a kind or with a tag, for filters.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::Searcher;
use tantivy::fieldnorm::FieldNormReader;

use super::binary::{content_hash, gzip, gzip_fast};
use super::index::{self, Fields, Numbering, SCORED_FIELDS, SearchPage, Vocabulary};
use super::query::{MAX_EXPANSIONS, MIN_PREFIX_CHARS, MIN_TYPO_CHARS, TYPO_SHARED_PREFIX};
use super::synonyms::Phrase;

mod pages;
mod postings;
mod shards;

use pages::{PACK_PAGES, data_pack, pack_path, page_table, write_filters};
use postings::{ChunkRef, Source, TermList, chunk_hashes, encode_term, pack_chunks};
use shards::{encode_shard, shard_members, shard_of, shard_path, write_shards};

/// Format version, checked by the client. 2: files named by their content, `entry.json`.
/// 3: postings and page data in packs read by offset.
const FORMAT: u32 = 3;
/// The one file of the export with a fixed name: a host must have browsers revalidate it.
pub const ENTRY_FILE: &str = "entry.json";
/// Vocabulary shards named by one hash, of their contents together: `meta` lists a hash per
/// group, not per shard, to keep the first query small. An edit renames the shards of its group.
const SHARD_GROUP: usize = 64;
/// `d/` packs named by one hash, of their contents together, for the same reason.
const PACK_GROUP: usize = 4;

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

/// The files that depend on the pages alone, not on the index: made while tantivy indexes.
pub struct PageExport {
    files: Vec<ExportFile>,
    /// The content hash of each `d/` pack.
    pack_hashes: Vec<u64>,
    pack_groups: Vec<u64>,
    page_table: u64,
    pages: usize,
    kinds: Vec<(String, usize, String)>,
    tags: Vec<(String, usize, String)>,
}

/// The result data, page table and filters of `pages` numbered by `numbering`, one page after
/// the other: it runs beside the indexing, which keeps every core busy.
pub fn export_pages(pages: &[SearchPage], numbering: Numbering) -> PageExport {
    let packs: Vec<Vec<u8>> = pages.chunks(PACK_PAGES).map(data_pack).collect();
    let pack_hashes: Vec<u64> = packs.iter().map(|p| content_hash(p)).collect();
    let pack_groups = group_hashes(&pack_hashes, PACK_GROUP);
    let mut files: Vec<ExportFile> = packs
        .into_iter()
        .enumerate()
        .map(|(n, bytes)| ExportFile {
            path: pack_path(n, pack_groups[n / PACK_GROUP]),
            bytes,
        })
        .collect();
    let page_counts: Vec<u64> = pages.iter().map(|page| numbering.block(page)).collect();
    let (table, page_table) = page_table(&page_counts);
    files.push(table);
    let (kinds, tags) = write_filters(pages, &mut files);
    PageExport {
        files,
        pack_hashes,
        pack_groups,
        page_table,
        pages: pages.len(),
        kinds,
        tags,
    }
}

/// Exports the index in `index_dir`, whose written forms are `vocab` and whose pages' files
/// `pages` holds; with `keep`, also
/// returns what [`update`] needs to bring the export up to date after an edit.
pub fn export(
    index_dir: &Path,
    vocab: Vocabulary,
    pages: PageExport,
    keep: bool,
) -> Result<(Vec<ExportFile>, ExportStats, Option<ExportState>)> {
    let (index, fields, settings) = index::open(index_dir)?;
    // Every phrase of the site's synonyms, used or not: compiled once, kept for the updates.
    let phrases = settings.compiled_synonyms().phrases().to_vec();
    let searcher = index.reader()?.searcher();
    let source = Source::new(&searcher, &fields)?;
    let mut terms: Vec<&str> = vocab.values().flatten().map(String::as_str).collect();
    terms.par_sort_unstable();
    terms.dedup();
    let term_ids: FxHashMap<&str, usize> = terms.iter().enumerate().map(|(i, t)| (*t, i)).collect();

    let lists = source.term_lists(&terms)?;
    let all: Vec<&TermList> = lists.iter().collect();
    let (mut files, refs) = pack_chunks(&all, 0);
    let packs = files.len();
    let encoded: Vec<Vec<u8>> = lists
        .par_iter()
        .zip(&refs)
        .map(|(list, refs)| encode_term(list, refs))
        .collect();
    let shards = write_shards(&vocab, &term_ids, &lists, &encoded, &mut files);
    let shard_hashes: Vec<u64> = shards.iter().map(|s| s.hash).collect();
    files.extend(pages.files);

    let meta = Meta {
        format: FORMAT,
        docs: source.total_docs,
        pages: pages.pages,
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
        data_pages: PACK_PAGES,
        data_group: PACK_GROUP,
        data_groups: hex_all(&pages.pack_groups),
        page_table: hex64(pages.page_table),
        kinds: pages.kinds,
        tags: pages.tags,
        min_prefix: MIN_PREFIX_CHARS,
        min_typo: MIN_TYPO_CHARS,
        typo_shared: TYPO_SHARED_PREFIX,
        expansions: MAX_EXPANSIONS,
        stop_words: super::stopwords::for_language(&settings.language)
            .into_iter()
            .map(str::to_string)
            .collect(),
        synonyms: used_phrases(&phrases, &vocab),
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
        let mut pack_uses = HashMap::new();
        for at in refs.iter().flatten() {
            *pack_uses.entry(at.pack).or_insert(0) += 1;
        }
        ExportState {
            term_ids: terms.iter().map(|t| t.to_string()).zip(0..).collect(),
            chunks: lists.iter().map(chunk_hashes).collect(),
            refs,
            pack_uses,
            next_pack: packs,
            shards: shard_hashes,
            pack_hashes: pages.pack_hashes,
            vocab: vocab.clone(),
            encoded,
            term_shards,
            meta,
            phrases,
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
    /// The content hash of each chunk of each term's postings, by id: a term whose further
    /// chunks changed gets them written again, in a new pack.
    chunks: Vec<Vec<u64>>,
    /// Where each term's further chunks are, by id.
    refs: Vec<Vec<ChunkRef>>,
    /// How many chunks each `p/` pack in use holds: a pack none uses any more is removed.
    pack_uses: HashMap<usize, usize>,
    /// The number of the next `p/` pack.
    next_pack: usize,
    /// The content hash of each shard.
    shards: Vec<u64>,
    /// The content hash of each `d/` pack.
    pack_hashes: Vec<u64>,
    /// The shards each term is in, by id.
    term_shards: Vec<Vec<usize>>,
    meta: Meta,
    /// Every synonym phrase of the site, used or not: an edit may bring a group's first use.
    phrases: Vec<Phrase>,
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
    /// Files whose content stays as it is under a new name (the other members of a renamed
    /// group), as (old path, new path): a hard link (or a copy) makes them, before `files`.
    pub linked: Vec<(String, String)>,
    /// Files to write.
    pub files: Vec<ExportFile>,
    /// Paths to remove, relative to the export folder.
    pub removed: Vec<String>,
}

/// Brings the export up to date after `edit`: re-exports the changed terms (their further
/// postings into a new pack), re-encodes the shards that hold them, and rewrites the page's
/// data pack, `meta` and the entry. The other packs and shards keep their files; those of a
/// renamed group keep their content under the new name (`linked`); a file replaced by one of a
/// new name, or that nothing uses any more, is listed in `removed`. The entry comes last in
/// `files`, so a reader finds every file it names. The shards it writes are gzipped at the fast
/// level: the next full build writes them at the usual one.
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
                    state.refs.push(Vec::new());
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
        linked: Vec::new(),
        files: Vec::new(),
        removed: Vec::new(),
    };
    let lists: Vec<TermList> = changed
        .par_iter()
        .filter_map(|term| Some((*state.term_ids.get(term)?, term)))
        .map(|(id, term)| source.term_list(id, term))
        .collect::<Result<_>>()?;
    // Terms whose further chunks changed get them all in one new pack.
    let moved: Vec<&TermList> = lists
        .iter()
        .filter(|list| state.chunks[list.id].get(1..) != chunk_hashes(list).get(1..))
        .collect();
    let (packs, refs) = pack_chunks(&moved, state.next_pack);
    state.next_pack += packs.len();
    update.files.extend(packs);
    for (list, refs) in moved.iter().zip(refs) {
        for at in &refs {
            *state.pack_uses.entry(at.pack).or_insert(0) += 1;
        }
        for old in std::mem::replace(&mut state.refs[list.id], refs) {
            if let Some(uses) = state.pack_uses.get_mut(&old.pack) {
                *uses -= 1;
                if *uses == 0 {
                    state.pack_uses.remove(&old.pack);
                    update.removed.push(old.path());
                }
            }
        }
    }
    for list in &lists {
        state.chunks[list.id] = chunk_hashes(list);
        let encoded = encode_term(list, &state.refs[list.id]);
        if encoded != state.encoded[list.id] {
            state.encoded[list.id] = encoded;
            dirty_shards.extend(state.term_shards[list.id].iter().copied());
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
            let (from, to) = (shard_path(n, &old), shard_path(n, &new));
            match fresh.remove(&n) {
                Some(bytes) => update.files.push(ExportFile {
                    path: to,
                    bytes: gzip_fast(&bytes),
                }),
                None => update.linked.push((from.clone(), to)),
            }
            update.removed.push(from);
        }
        state.meta.shard_groups[group] = new;
    }
    let number = edit.number / PACK_PAGES;
    let range = group_range(number, PACK_PAGES, edit.pages.len());
    let pack = data_pack(&edit.pages[range]);
    let hash = content_hash(&pack);
    if let Some(previous) = state.pack_hashes.get_mut(number)
        && *previous != hash
    {
        *previous = hash;
        let group = number / PACK_GROUP;
        let range = group_range(group, PACK_GROUP, state.pack_hashes.len());
        let old = u64::from_str_radix(&state.meta.data_groups[group], 16).unwrap_or_default();
        let new = content_hash_of_all(&state.pack_hashes[range.clone()]);
        let mut pack = Some(pack);
        for n in range {
            let (from, to) = (pack_path(n, old), pack_path(n, new));
            match pack.take_if(|_| n == number) {
                Some(bytes) => update.files.push(ExportFile { path: to, bytes }),
                None => update.linked.push((from.clone(), to)),
            }
            update.removed.push(from);
        }
        state.meta.data_groups[group] = hex64(new);
    }
    state.meta.synonyms = used_phrases(&state.phrases, &state.vocab);
    state.meta.docs = source.total_docs;
    for (field, tokens) in state.meta.fields.iter_mut().zip(&source.total_tokens) {
        field.2 = *tokens;
    }
    let written = meta_and_entry(&state.meta)?;
    if written[0].path != old_meta {
        update.removed.push(old_meta);
    }
    update.files.extend(written);
    let rewritten: std::collections::HashSet<&str> = update
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(update.linked.iter().map(|(_, to)| to.as_str()))
        .collect();
    update
        .removed
        .retain(|path| !rewritten.contains(path.as_str()));
    Ok(update)
}

/// The phrases whose group's term is a form of `vocab`, that is, used by some page: the client
/// leaves out the others as it matches a query (their term finds no form), so `meta`, which
/// every first query downloads, lists only these, however long the built-in list grows.
fn used_phrases(phrases: &[Phrase], vocab: &Vocabulary) -> Vec<Phrase> {
    phrases
        .iter()
        .filter(|phrase| vocab.contains_key(&phrase.term))
        .cloned()
        .collect()
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
    /// Pages per `d/` pack, packs per group, and the hash of each group, in its packs' names.
    data_pages: usize,
    data_group: usize,
    data_groups: Vec<String>,
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

/// A file gzipped as a whole (shards, `meta`, the page table, filters).
fn file(path: String, bytes: &[u8]) -> ExportFile {
    ExportFile {
        path,
        bytes: gzip(bytes),
    }
}
