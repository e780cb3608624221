//! Front matter: `front_matter::split` then `front_matter::parse` on arbitrary text.
#![no_main]

#[path = "../../tests/fuzz/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::front_matter(data));
