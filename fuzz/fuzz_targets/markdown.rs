//! Markdown rendering with links rewritten through a link map and `[[terms]]` through the glossary.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

#[path = "../../tests/fuzz/harness.rs"]
mod harness;

static HARNESS: LazyLock<harness::Harness> =
    LazyLock::new(|| harness::Harness::new(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))));

libfuzzer_sys::fuzz_target!(|data: &[u8]| HARNESS.markdown(data));
