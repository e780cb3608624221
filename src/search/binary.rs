//! The byte-level encoding of the export: LEB128 integers, length-prefixed strings, gzip, and
//! hex file names. `themes/default/static/assets/search.js` reads what these write.

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;

/// Gzip at level 4: on the export's text 13 % fewer bytes than the fast level (1) for 40 % more
/// time, where the default (6) would take 3.7 times as long for 7 % fewer still (measured on the
/// result data of the 10,000-page benchmark site: 55 MB, 0.8 s at level 1).
pub(super) fn gzip(bytes: &[u8]) -> Vec<u8> {
    gzip_at(bytes, Compression::new(4))
}

/// Gzip at the fast level (1), for the files `folio serve` rewrites on each edit, where time
/// counts more than bytes.
pub(super) fn gzip_fast(bytes: &[u8]) -> Vec<u8> {
    gzip_at(bytes, Compression::fast())
}

fn gzip_at(bytes: &[u8], level: Compression) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), level);
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// A 64-bit hash of a file's content (SipHash-1-3 with zero keys): the export names each file by
/// it, so a browser or CDN that cached a file under its name holds exactly that content.
pub(super) fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = siphasher::sip::SipHasher13::new();
    hasher.write(bytes);
    hasher.finish()
}

/// Lowercase hex of the UTF-8 bytes: a file name any host serves, for any prefix or tag.
pub fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

/// LEB128: seven bits a byte, low bits first.
pub(super) fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A string as its UTF-8 length (LEB128) and bytes.
pub(super) fn string(out: &mut Vec<u8>, text: &str) {
    varint(out, text.len() as u64);
    out.extend(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_use_seven_bits_a_byte() {
        let mut out = Vec::new();
        varint(&mut out, 5);
        varint(&mut out, 300);
        assert_eq!(out, [5, 0xac, 0x02]);
    }
}
