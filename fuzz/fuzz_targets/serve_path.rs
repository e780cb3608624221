//! The dev server's request path → file resolution; never outside the output folder.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

#[path = "../../tests/fuzz/harness.rs"]
mod harness;

static HARNESS: LazyLock<harness::Harness> =
    LazyLock::new(|| harness::Harness::new(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))));

libfuzzer_sys::fuzz_target!(|data: &[u8]| HARNESS.serve_path(data));
