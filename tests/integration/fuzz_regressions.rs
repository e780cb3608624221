//! The inputs that crashed a fuzz target, replayed through the same function as the target (see
//! tests/fuzz/harness.rs), so a fixed crash stays fixed. Each lives in
//! `tests/fuzz_regressions/<target>/`; a target with no saved input is still run on a few seeds
//! so its harness cannot rot.

use std::fs;
use std::path::Path;
use std::sync::LazyLock;

use crate::support::REPO_ROOT;

#[path = "../fuzz/harness.rs"]
pub(crate) mod harness;

/// One harness for the whole test binary: building its search index takes a moment.
pub(crate) static HARNESS: LazyLock<harness::Harness> =
    LazyLock::new(|| harness::Harness::new(Path::new(REPO_ROOT)));

/// Inputs every target must get through whatever was saved: empty, odd bytes, a real page.
const SEEDS: [&[u8]; 4] = [
    b"",
    b"\xff\xfe\x00",
    b"---\ntitle: A\n---\n# A [b](../usage.md#x) [[SBOM]]\n",
    b"/policies/%2e%2e/../index.html",
];

#[test]
fn every_saved_fuzz_input_still_passes_its_target() {
    let dir = Path::new(REPO_ROOT).join("tests/fuzz_regressions");
    let mut replayed = 0;
    for target in harness::TARGETS {
        for seed in SEEDS {
            HARNESS.run(target, seed);
        }
        let Ok(entries) = fs::read_dir(dir.join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("read the folder").path();
            let data = fs::read(&path).expect("read the saved input");
            // A panic names the input that brought it back.
            let outcome = std::panic::catch_unwind(|| HARNESS.run(target, &data));
            assert!(outcome.is_ok(), "{} fails again", path.display());
            replayed += 1;
        }
    }
    // Every folder under tests/fuzz_regressions must be a target's, or its inputs never run.
    for entry in fs::read_dir(&dir).expect("tests/fuzz_regressions exists") {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        assert!(
            !entry.path().is_dir() || harness::TARGETS.contains(&name.as_ref()),
            "tests/fuzz_regressions/{name} is not a fuzz target"
        );
    }
    eprintln!("replayed {replayed} saved fuzz inputs");
}
