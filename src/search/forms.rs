//! The analyzer's tables of written forms and terms: strings kept one after the other in one
//! buffer, and a hash table of their numbers, so that the indexer's look-up of each word reads
//! little memory and a new form allocates nothing of its own.

use hashbrown::HashTable;

/// Strings numbered from 0, one after the other in one buffer: no allocation per string, and
/// nothing to free one by one when a thread's analyzers go.
#[derive(Clone, Default)]
pub(super) struct Strings {
    text: String,
    /// Where each string ends in `text`; it starts where the one before ends.
    ends: Vec<u32>,
}

impl Strings {
    pub(super) fn push(&mut self, s: &str) -> u32 {
        let id = u32::try_from(self.ends.len()).expect("fewer than 2^32 word forms");
        self.text.push_str(s);
        self.ends
            .push(u32::try_from(self.text.len()).expect("less than 4 GiB of word forms"));
        id
    }

    pub(super) fn get(&self, id: u32) -> &str {
        let id = id as usize;
        let from = if id == 0 {
            0
        } else {
            self.ends[id - 1] as usize
        };
        &self.text[from..self.ends[id] as usize]
    }
}

/// The written forms met, numbered in order of meeting, found through a table of their numbers
/// (hashbrown's `HashTable`, keyed by the hashes kept beside the forms): a lookup reads one slot
/// and, when the hash matches, the form's bytes, where a hash map of boxed strings reads three
/// places and allocates twice per form.
#[derive(Clone, Default)]
pub(super) struct FormTable {
    forms: Strings,
    /// The hash of each form, by number: the table grows without hashing the forms again.
    hashes: Vec<u64>,
    numbers: HashTable<u32>,
}

pub(super) fn form_hash(form: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(form.as_bytes());
    hasher.finish()
}

impl FormTable {
    /// The number of `form`, whose [`form_hash`] is `hash`, if it was met.
    pub(super) fn get(&self, form: &str, hash: u64) -> Option<u32> {
        self.numbers
            .find(hash, |&id| self.forms.get(id) == form)
            .copied()
    }

    /// Numbers `form`, which must not be in the table yet.
    pub(super) fn insert(&mut self, form: &str, hash: u64) -> u32 {
        let id = self.forms.push(form);
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.numbers
            .insert_unique(hash, id, |&id| hashes[id as usize]);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_table_finds_every_form_it_numbered_and_no_other() {
        let mut table = FormTable::default();
        let forms: Vec<String> = (0..5000).map(|n| format!("w{n}")).collect();
        for (n, form) in forms.iter().enumerate() {
            assert_eq!(table.get(form, form_hash(form)), None);
            assert_eq!(table.insert(form, form_hash(form)), n as u32);
        }
        for (n, form) in forms.iter().enumerate() {
            assert_eq!(table.get(form, form_hash(form)), Some(n as u32));
            assert_eq!(table.forms.get(n as u32), form);
        }
        assert_eq!(table.get("w5000", form_hash("w5000")), None);
        assert_eq!(table.get("", form_hash("")), None);
    }
}
