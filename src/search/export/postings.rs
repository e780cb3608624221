//! Each term's postings read from the index, grouped by impact and cut into chunks: the first
//! goes in the term's vocabulary shard, the further ones into packs (`p/`), files that hold the
//! chunks of many terms, each chunk its own gzip member that the client fetches by offset.

use std::sync::Arc;

use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::Postings;
use tantivy::postings::TermInfo;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, InvertedIndexReader, Score, Searcher, TERMINATED, Term};

use super::{ExportFile, hashed_name, hex64};
use crate::search::binary::{content_hash, gzip, string, varint};
use crate::search::index::{Fields, SCORED_FIELDS};

/// Postings of a term kept in its shard: enough to answer most one-word queries alone. Only
/// terms in more documents have further chunks, in packs. Fewer than the 512 of format 2 now
/// that further chunks cost no file of their own: shards are smaller, so fewer of them.
const FIRST_CHUNK_DOCS: usize = 256;
/// Each further chunk of postings holds this many times more documents than the one before.
const CHUNK_GROWTH: usize = 4;
/// A pack of further postings holds about this many bytes (gzip members): the 10,000-page
/// benchmark site has 1.7 MB of them, so a handful of files instead of one per chunk (5,710).
const PACK_BYTES: usize = 256 * 1024;

/// Readers over every segment of the index, and the statistics BM25 needs.
pub(super) struct Source<'s> {
    fields: &'s Fields,
    /// For each segment, each document's `ord`.
    ords: Vec<Vec<u32>>,
    /// For each segment and scored field: postings and field norms.
    readers: Vec<Vec<(Arc<InvertedIndexReader>, FieldNormReader)>>,
    pub(super) total_docs: u64,
    pub(super) total_tokens: Vec<u64>,
    /// For each scored field, the length part of BM25 for each norm code.
    norm_factors: Vec<[Score; 256]>,
}

impl<'s> Source<'s> {
    pub(super) fn new(searcher: &'s Searcher, fields: &'s Fields) -> Result<Source<'s>> {
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
        let total_docs = Bm25StatisticsProvider::total_num_docs(searcher)?;
        let norm_factors = total_tokens
            .iter()
            .map(|&tokens| norm_factors(tokens as Score / total_docs as Score))
            .collect();
        Ok(Source {
            fields,
            ords,
            readers,
            total_docs,
            total_tokens,
            norm_factors,
        })
    }

    /// A term's postings in every scored field, grouped by impact and cut into chunks.
    pub(super) fn term_list(&self, id: usize, term: &str) -> Result<TermList> {
        let mut gathered = Gathered::default();
        for (f, field) in self.fields.scored.iter().enumerate() {
            let term = Term::from_field_text(*field, term);
            for (segment, readers) in self.readers.iter().enumerate() {
                if let Some(info) = readers[f].0.get_term_info(&term)? {
                    gathered.add(segment, f, info);
                }
            }
        }
        self.finish(id, term, gathered, &mut Vec::new())
    }

    /// The lists of all `terms` (in byte order, as tantivy's dictionaries are), by id: each run
    /// of [`RUN_TERMS`] on a rayon task of its own, which walks every dictionary over the run's
    /// range in order instead of looking each term up (a lookup per term, field and segment
    /// cost more than reading the postings).
    pub(super) fn term_lists(&self, terms: &[&str]) -> Result<Vec<TermList>> {
        let runs: Vec<Vec<TermList>> = (0..terms.len())
            .step_by(RUN_TERMS)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|start| self.run(terms, start..(start + RUN_TERMS).min(terms.len())))
            .collect::<Result<_>>()?;
        Ok(runs.into_iter().flatten().collect())
    }

    /// The lists of `terms[range]`.
    fn run(&self, terms: &[&str], range: std::ops::Range<usize>) -> Result<Vec<TermList>> {
        let run = &terms[range.clone()];
        let mut gathered: Vec<Gathered> = run.iter().map(|_| Gathered::default()).collect();
        for f in 0..self.fields.scored.len() {
            for (segment, readers) in self.readers.iter().enumerate() {
                let mut range_of = readers[f].0.terms().range().ge(run[0]);
                if let Some(next) = terms.get(range.end) {
                    range_of = range_of.lt(next);
                }
                let mut stream = range_of.into_stream()?;
                let mut i = 0;
                while stream.advance() {
                    let key = stream.key();
                    while i < run.len() && run[i].as_bytes() < key {
                        i += 1;
                    }
                    if i == run.len() {
                        break;
                    }
                    if run[i].as_bytes() == key {
                        gathered[i].add(segment, f, stream.value().clone());
                    }
                }
            }
        }
        // One buffer of postings for the whole run: a frequent term's would otherwise be
        // allocated, grown and freed on its own.
        let mut rows = Vec::new();
        gathered
            .into_iter()
            .zip(run)
            .enumerate()
            .map(|(i, (gathered, term))| self.finish(range.start + i, term, gathered, &mut rows))
            .collect()
    }

    /// Reads the postings `gathered` locates into `rows`, in document order.
    fn read(&self, gathered: &Gathered, rows: &mut Vec<Row>) -> Result<()> {
        rows.clear();
        rows.reserve(gathered.doc_freqs.iter().sum::<u64>() as usize);
        for (segment, f, info) in &gathered.at {
            let (inverted, norms) = &self.readers[*segment][*f];
            let mut postings =
                inverted.read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
            let ords = &self.ords[*segment];
            let mut doc = postings.doc();
            while doc != TERMINATED {
                rows.push(Row {
                    ord: ords[doc as usize],
                    field: *f as u8,
                    tf: postings.term_freq(),
                    norm: norms.fieldnorm_id(doc),
                });
                doc = postings.advance();
            }
        }
        // Sorted, no two rows share a document and a field.
        rows.sort_unstable_by_key(|row| (row.ord, row.field));
        Ok(())
    }

    /// A term's gathered postings, grouped by impact and cut into chunks.
    fn finish(
        &self,
        id: usize,
        term: &str,
        gathered: Gathered,
        rows: &mut Vec<Row>,
    ) -> Result<TermList> {
        let mut field_mask = 0u8;
        let mut doc_freqs = Vec::new();
        let mut weights = Vec::new();
        for (f, &doc_freq) in gathered.doc_freqs.iter().enumerate() {
            if doc_freq == 0 {
                continue;
            }
            field_mask |= 1 << f;
            doc_freqs.push(doc_freq);
            weights.push((
                f,
                Bm25 {
                    weight: idf_weight(doc_freq, self.total_docs),
                    norm_factors: &self.norm_factors[f],
                },
            ));
        }
        self.read(&gathered, rows)?;
        // Documents with the same frequencies and norms score the same: one group, one header,
        // its documents in order (they come in order, each document's rows folded into one
        // key). Most terms are in a few documents: their groups are found along the list.
        let mut groups: Vec<Group> = Vec::new();
        let mut group_of: FxHashMap<Occurrence, usize> = FxHashMap::default();
        let mut next = 0;
        while next < rows.len() {
            let ord = rows[next].ord;
            let mut key: Occurrence = [None; 4];
            while let Some(row) = rows.get(next).filter(|row| row.ord == ord) {
                key[row.field as usize] = Some((row.tf, row.norm));
                next += 1;
            }
            let found = if groups.len() < FEW_GROUPS {
                groups.iter().position(|g| g.key == key)
            } else {
                if group_of.is_empty() {
                    group_of.extend(groups.iter().enumerate().map(|(n, g)| (g.key, n)));
                }
                group_of.get(&key).copied()
            };
            match found {
                Some(n) => groups[n].docs.push(ord),
                None => {
                    if !group_of.is_empty() || groups.len() >= FEW_GROUPS {
                        group_of.insert(key, groups.len());
                    }
                    groups.push(Group {
                        score: score(&weights, &key),
                        key,
                        docs: vec![ord],
                    });
                }
            }
        }
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

/// Up to this many groups, a document's group is looked for along the list, not hashed.
const FEW_GROUPS: usize = 8;

/// Terms whose postings one rayon task reads: about a hundred tasks for the 1,000-page benchmark
/// site, enough to keep every core busy to the end.
const RUN_TERMS: usize = 1024;

/// A term's postings as read from the segments: by document, and its document frequency in
/// each scored field.
#[derive(Default)]
struct Gathered {
    /// Where its postings are: segment, field and the dictionary's entry.
    at: Vec<(usize, usize, TermInfo)>,
    doc_freqs: [u64; 4],
}

impl Gathered {
    /// Notes the term's postings in field `f` of `segment`, which `info` locates.
    fn add(&mut self, segment: usize, f: usize, info: TermInfo) {
        // The document frequency is the sum of the segments', as `Searcher::doc_freq` counts it.
        self.doc_freqs[f] += u64::from(info.doc_freq);
        self.at.push((segment, f, info));
    }
}

/// A term's frequency and norm code in one field of one document.
struct Row {
    ord: u32,
    field: u8,
    tf: u32,
    norm: u8,
}

/// A document's score for one term: tantivy's BM25 in each field, times the field's boost, summed.
fn score(weights: &[(usize, Bm25)], key: &Occurrence) -> Score {
    let mut total: Score = 0.0;
    for (f, weight) in weights {
        if let Some((tf, norm)) = key[*f] {
            total += weight.score(norm, tf) * SCORED_FIELDS[*f].1;
        }
    }
    total
}

/// BM25's parameters, as tantivy's.
const K1: Score = 1.2;
const B: Score = 0.75;

/// tantivy's [`Bm25Weight`](tantivy::query::Bm25Weight) for one term in one field, with its part that depends on the field
/// alone ([`norm_factors`]) made once per field rather than once per term: the same
/// arithmetic in the same order, so the same scores to the bit (a test holds them equal).
struct Bm25<'a> {
    weight: Score,
    norm_factors: &'a [Score; 256],
}

impl Bm25<'_> {
    fn score(&self, norm: u8, tf: u32) -> Score {
        let tf = tf as Score;
        self.weight * (tf / (tf + self.norm_factors[norm as usize]))
    }
}

/// The inverse document frequency times `K1 + 1`.
fn idf_weight(doc_freq: u64, total_docs: u64) -> Score {
    let x = ((total_docs - doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5);
    (1.0 + x).ln() * (1.0 + K1)
}

/// The length part of BM25 for each norm code, in a field whose average length is `average`.
fn norm_factors(average: Score) -> [Score; 256] {
    std::array::from_fn(|id| {
        let length = FieldNormReader::id_to_fieldnorm(id as u8);
        K1 * (1.0 - B + B * length as Score / average)
    })
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
pub(super) struct TermList {
    pub(super) id: usize,
    term: String,
    field_mask: u8,
    doc_freqs: Vec<u64>,
    pub(super) chunks: Vec<Chunk>,
}

/// Consecutive groups of postings, best scores first.
pub(super) struct Chunk {
    /// The header of the first group: the best score any document in this chunk can have.
    first_header: Vec<u8>,
    bytes: Vec<u8>,
    /// The content hash of `bytes`: a term whose chunks keep their hashes keeps its packs.
    pub(super) hash: u64,
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

/// A term as stored in a shard: its postings' first chunk and where the further ones are.
pub(super) fn encode_term(list: &TermList, refs: &[ChunkRef]) -> Vec<u8> {
    let mut out = Vec::new();
    let out = &mut out;
    string(out, &list.term);
    out.push(list.field_mask);
    for df in &list.doc_freqs {
        varint(out, *df);
    }
    varint(out, list.chunks.len() as u64);
    if let Some(first) = list.chunks.first() {
        out.extend(&first.bytes);
    }
    for (chunk, at) in list.chunks.iter().skip(1).zip(refs) {
        out.extend(&chunk.first_header);
        varint(out, at.pack as u64);
        varint(out, at.offset);
        varint(out, at.len);
        out.extend(at.hash.to_be_bytes());
    }
    std::mem::take(out)
}

/// Where a further chunk of postings is: its pack, the pack's content hash (in its name), and
/// the byte range of the chunk's gzip member in it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct ChunkRef {
    pub(super) pack: usize,
    hash: u64,
    offset: u64,
    len: u64,
}

impl ChunkRef {
    /// The name of the pack the chunk is in.
    pub(super) fn path(&self) -> String {
        pack_path(self.pack, self.hash)
    }
}

/// Packs the further chunks of `lists` (each gzipped on its own) into files of about
/// [`PACK_BYTES`], numbered from `first`; returns the files and, by list, where its chunks are.
pub(super) fn pack_chunks(
    lists: &[&TermList],
    first: usize,
) -> (Vec<ExportFile>, Vec<Vec<ChunkRef>>) {
    let members: Vec<Vec<Vec<u8>>> = lists
        .par_iter()
        .map(|list| list.chunks.iter().skip(1).map(|c| gzip(&c.bytes)).collect())
        .collect();
    let mut refs: Vec<Vec<ChunkRef>> = vec![Vec::new(); lists.len()];
    let mut packs: Vec<Vec<u8>> = vec![Vec::new()];
    for (list, chunks) in members.into_iter().enumerate() {
        for member in chunks {
            if packs
                .last()
                .is_some_and(|p| !p.is_empty() && p.len() + member.len() > PACK_BYTES)
            {
                packs.push(Vec::new());
            }
            let n = packs.len() - 1;
            refs[list].push(ChunkRef {
                pack: first + n,
                hash: 0,
                offset: packs[n].len() as u64,
                len: member.len() as u64,
            });
            packs[n].extend(member);
        }
    }
    if packs.last().is_some_and(Vec::is_empty) {
        packs.pop();
    }
    let hashes: Vec<u64> = packs.par_iter().map(|p| content_hash(p)).collect();
    for at in refs.iter_mut().flatten() {
        at.hash = hashes[at.pack - first];
    }
    let files = packs
        .into_iter()
        .zip(&hashes)
        .enumerate()
        .map(|(i, (bytes, &hash))| ExportFile {
            path: pack_path(first + i, hash),
            bytes,
        })
        .collect();
    (files, refs)
}

/// The file of pack `n` of further postings; the client builds the same name from a chunk's
/// reference in its shard.
pub(super) fn pack_path(n: usize, hash: u64) -> String {
    hashed_name(&format!("p/{n}"), &hex64(hash))
}

/// The content hash of each chunk of a term's postings.
pub(super) fn chunk_hashes(list: &TermList) -> Vec<u64> {
    list.chunks.iter().map(|c| c.hash).collect()
}

impl TermList {
    /// About the bytes [`encode_term`] writes for it.
    pub(super) fn encoded_size(&self) -> usize {
        8 + self.term.len()
            + self.chunks.first().map_or(0, |c| c.bytes.len())
            + self
                .chunks
                .iter()
                .skip(1)
                .map(|c| c.first_header.len() + 16)
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::Bm25Weight;

    #[test]
    fn scores_are_tantivys_to_the_bit() {
        for total_docs in [1u64, 7, 13_936, 140_000] {
            for average in [0.5 as Score, 3.0, 17.25, 480.0] {
                let factors = norm_factors(average);
                for doc_freq in [1, total_docs / 3 + 1, total_docs] {
                    let theirs =
                        Bm25Weight::for_one_term_without_explain(doc_freq, total_docs, average);
                    let ours = Bm25 {
                        weight: idf_weight(doc_freq, total_docs),
                        norm_factors: &factors,
                    };
                    for norm in 0..=255u8 {
                        for tf in [1, 2, 5, 40, 1000] {
                            assert_eq!(
                                ours.score(norm, tf).to_bits(),
                                theirs.score(norm, tf).to_bits(),
                                "{total_docs} {average} {doc_freq} {norm} {tf}"
                            );
                        }
                    }
                }
            }
        }
    }
}
