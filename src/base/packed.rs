//! Text held compressed: a one-off build keeps every page's HTML from rendering until the page
//! is written, and at 50,000 pages that would be over a gigabyte held at once. LZ4 halves it
//! for a small share of the time rendering takes, and unpacking is faster still.

use std::cell::RefCell;
use std::fmt;
use std::sync::{Mutex, PoisonError};

/// The `len` of text kept uncompressed: no compressed text is that long.
const STORED: usize = usize::MAX;

thread_local! {
    /// Where each thread compresses, so that only the packed bytes are allocated: a buffer
    /// per text, freed between the texts that are kept, would scatter them through memory.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A string compressed with LZ4 (block format), unpacked on demand.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PackedText {
    /// The compressed bytes.
    bytes: Box<[u8]>,
    /// The length of the text, in bytes.
    len: usize,
}

impl PackedText {
    /// Compresses `text`.
    pub fn pack(text: &str) -> Self {
        let input = text.as_bytes();
        SCRATCH.with_borrow_mut(|scratch| {
            scratch.resize(lz4_flex::block::get_maximum_output_size(input.len()), 0);
            // The buffer has the size the format's worst case needs, so compressing cannot
            // fail; should it, the text is kept as it is.
            match lz4_flex::block::compress_into(input, scratch) {
                Ok(written) => PackedText {
                    bytes: scratch[..written].into(),
                    len: input.len(),
                },
                Err(_) => PackedText {
                    bytes: input.into(),
                    len: STORED,
                },
            }
        })
    }

    /// The text, unpacked.
    pub fn unpack(&self) -> String {
        if self.len == STORED {
            return String::from_utf8_lossy(&self.bytes).into_owned();
        }
        let mut out = vec![0; self.len];
        match lz4_flex::block::decompress_into(&self.bytes, &mut out) {
            // What `pack` compressed from a `&str` unpacks to the same valid UTF-8.
            Ok(n) if n == self.len => String::from_utf8(out)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            _ => String::new(),
        }
    }

    /// True when the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0 || (self.len == STORED && self.bytes.is_empty())
    }

    /// The bytes held.
    pub fn packed_len(&self) -> usize {
        self.bytes.len()
    }
}

impl fmt::Debug for PackedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PackedText({} bytes in {})", self.len, self.bytes.len())
    }
}

/// Packed text that may be freed through a shared reference: a build writes its pages in
/// parallel from the shared site, and frees each page's HTML once it is written.
#[derive(Default)]
pub struct PackedCell(Mutex<Option<PackedText>>);

impl PackedCell {
    /// Holds `text` packed.
    pub fn pack(text: &str) -> Self {
        PackedCell(Mutex::new(Some(PackedText::pack(text))))
    }

    /// The text, unpacked; None once freed.
    pub fn unpack(&self) -> Option<String> {
        let held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        held.as_ref().map(PackedText::unpack)
    }

    /// Frees the text.
    pub fn free(&self) {
        let taken = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        drop(taken);
    }
}

impl Clone for PackedCell {
    fn clone(&self) -> Self {
        let held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        PackedCell(Mutex::new(held.clone()))
    }
}

impl fmt::Debug for PackedCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let held = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        write!(f, "PackedCell({held:?})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacks_what_was_packed() {
        let html = "<p>Caf\u{e9} \u{1f600}</p>\n".repeat(500);
        let packed = PackedText::pack(&html);
        assert!(packed.packed_len() < html.len() / 10);
        assert_eq!(packed.unpack(), html);
        assert_eq!(PackedText::pack("").unpack(), "");
        assert!(PackedText::pack("").is_empty());
        assert_eq!(PackedText::pack("x").unpack(), "x");
    }

    #[test]
    fn a_freed_cell_holds_nothing() {
        let cell = PackedCell::pack("<p>a</p>");
        assert_eq!(cell.clone().unpack().as_deref(), Some("<p>a</p>"));
        cell.free();
        assert_eq!(cell.unpack(), None);
        assert_eq!(PackedCell::default().unpack(), None);
    }
}
