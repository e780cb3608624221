//! The vocabulary cut into shards: runs of written forms in byte order, each with the first
//! postings of its terms, about [`SHARD_TARGET_BYTES`] each, and the keys that say which shard a
//! word is in.

use std::collections::HashMap;
use std::ops::Bound;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{ExportFile, TermList, file};
use crate::search::binary::{content_hash, string, varint};
use crate::search::index::Vocabulary;

/// A vocabulary shard holds about this many bytes of forms and first postings (before gzip):
/// the 10,000-page benchmark site gets 476 shards of about 7 kB gzipped, where 24 KiB gave
/// 1,602 (too many files for some hosts) and a longer key list in `meta`.
const SHARD_TARGET_BYTES: usize = 64 * 1024;

/// The shard a form belongs in: the last whose key is not after it.
pub(super) fn shard_of(keys: &[String], form: &str) -> usize {
    keys.partition_point(|key| key.as_str() <= form)
        .saturating_sub(1)
}

/// The forms of shard `n`, with their terms' ids.
pub(super) fn shard_members<'v>(
    vocab: &'v Vocabulary,
    keys: &[String],
    n: usize,
    term_ids: &HashMap<String, usize>,
) -> Vec<Form<'v>> {
    let from = Bound::Included(keys[n].as_str());
    let to = keys
        .get(n + 1)
        .map_or(Bound::Unbounded, |k| Bound::Excluded(k.as_str()));
    vocab
        .range::<str, _>((from, to))
        .map(|(form, terms)| {
            let ids = terms
                .iter()
                .filter_map(|t| term_ids.get(t).copied())
                .collect();
            (form.as_str(), ids, 0)
        })
        .collect()
}

/// The file of vocabulary shard `n`, in a group whose hash is `group` (hex).
pub(super) fn shard_path(n: usize, group: &str) -> String {
    super::hashed_name(&format!("s/{n}"), group)
}

/// Cuts the sorted vocabulary into shards of about [`SHARD_TARGET_BYTES`] each, and returns each
/// shard's key: the shortest prefix of its first form that sorts after the previous shard's last
/// form. A word's shard is the last one whose key is not after it; the forms starting with a
/// prefix lie in consecutive shards. Few shards means a short key list in `meta`.
pub(super) fn write_shards(
    vocab: &Vocabulary,
    term_ids: &FxHashMap<&str, usize>,
    lists: &[TermList],
    encoded: &[Vec<u8>],
    files: &mut Vec<ExportFile>,
) -> Vec<Shard> {
    let forms: Vec<Form> = vocab
        .par_iter()
        .map(|(surface, terms)| {
            let ids: Vec<usize> = terms.iter().map(|t| term_ids[t.as_str()]).collect();
            let size = surface.len()
                + ids
                    .iter()
                    .map(|&id| lists[id].encoded_size())
                    .sum::<usize>();
            (surface.as_str(), ids, size)
        })
        .collect();
    let members = pack(&forms);
    let encoded_shards: Vec<Vec<u8>> = members
        .par_iter()
        .map(|members| encode_shard(members, encoded))
        .collect();
    let hashes: Vec<u64> = encoded_shards.par_iter().map(|b| content_hash(b)).collect();
    let groups = super::group_hashes(&hashes, super::SHARD_GROUP);
    files.par_extend(encoded_shards.par_iter().enumerate().map(|(i, bytes)| {
        let group = super::hex64(groups[i / super::SHARD_GROUP]);
        file(shard_path(i, &group), bytes)
    }));
    members
        .iter()
        .enumerate()
        .map(|(i, shard)| Shard {
            hash: hashes[i],
            key: match i {
                0 => String::new(),
                _ => separator(members[i - 1].last().map_or("", |f| f.0), shard[0].0),
            },
            terms: shard.iter().flat_map(|f| f.1.iter().copied()).collect(),
        })
        .collect()
}

/// A vocabulary shard: its key, the terms of its forms, and the hash of its content.
pub(super) struct Shard {
    pub(super) key: String,
    pub(super) terms: Vec<usize>,
    pub(super) hash: u64,
}

/// A written form, its terms' ids, and the bytes it adds to a shard.
pub(super) type Form<'v> = (&'v str, Vec<usize>, usize);

/// Consecutive forms, about [`SHARD_TARGET_BYTES`] at a time.
fn pack<'f, 'v>(forms: &'f [Form<'v>]) -> Vec<&'f [Form<'v>]> {
    let mut shards = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, form) in forms.iter().enumerate() {
        if size > 0 && size + form.2 > SHARD_TARGET_BYTES {
            shards.push(&forms[start..i]);
            start = i;
            size = 0;
        }
        size += form.2;
    }
    if start < forms.len() || shards.is_empty() {
        shards.push(&forms[start..]);
    }
    shards
}

/// The shortest prefix of `next` that sorts after `previous` (byte order).
fn separator(previous: &str, next: &str) -> String {
    let mut end = 0;
    for (i, c) in next.char_indices() {
        end = i + c.len_utf8();
        if &next.as_bytes()[..end] > previous.as_bytes() {
            break;
        }
    }
    next[..end].to_string()
}

pub(super) fn encode_shard(members: &[Form], encoded: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut local: Vec<usize> = members.iter().flat_map(|f| f.1.iter().copied()).collect();
    local.sort_unstable();
    local.dedup();
    varint(&mut bytes, local.len() as u64);
    for &id in &local {
        bytes.extend(&encoded[id]);
    }
    varint(&mut bytes, members.len() as u64);
    for (surface, ids, _) in members {
        string(&mut bytes, surface);
        varint(&mut bytes, ids.len() as u64);
        for id in ids {
            let position = local.binary_search(id).unwrap_or_default();
            varint(&mut bytes, position as u64);
        }
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_keys_are_the_shortest_separating_prefixes() {
        assert_eq!(separator("licence", "license"), "licens");
        assert_eq!(separator("apple", "banana"), "b");
        assert_eq!(separator("", "a"), "a");
        assert_eq!(separator("zz", "開源"), "開");
    }
}
