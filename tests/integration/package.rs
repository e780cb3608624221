//! The crate as `cargo package` makes it (what a registry would publish and `cargo install`
//! would build): everything the binary embeds, and none of the tests, benchmarks or fuzz
//! targets.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::support::REPO_ROOT;

/// `cargo`, as the one running the tests.
fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// The files of the package, from `cargo package --list`.
fn package_list() -> BTreeSet<String> {
    let output = cargo()
        .args(["package", "--locked", "--list", "--allow-dirty"])
        .current_dir(REPO_ROOT)
        .output()
        .expect("run cargo package --list");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "cargo package --list failed:\n{stderr}"
    );
    // Cargo drops the test and bench targets, whose files are left out on purpose; any other
    // warning (a missing field, a file it cannot read) is a failure.
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| {
            l.starts_with("warning")
                && !l.starts_with("warning: ignoring benchmark")
                && !l.starts_with("warning: ignoring test")
        })
        .collect();
    assert!(warnings.is_empty(), "cargo package --list warns:\n{stderr}");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The paths `folio init` embeds, read from `starter_files![…]` in src/cmd/init.rs.
fn starter_files() -> Vec<String> {
    let init = std::fs::read_to_string(Path::new(REPO_ROOT).join("src/cmd/init.rs")).unwrap();
    let start = init
        .find("starter_files![")
        .expect("the list of starter files");
    let end = start + init[start..].find("];").unwrap();
    let files: Vec<String> = init[start..end]
        .lines()
        .filter_map(|line| line.trim().strip_prefix('"'))
        .filter_map(|line| line.split('"').next())
        .map(str::to_string)
        .collect();
    assert!(files.len() > 10, "{files:?}");
    files
}

/// Files git tracks under `dir`.
fn tracked(dir: &str) -> Vec<String> {
    let output = Command::new("git")
        .args(["ls-files", dir])
        .current_dir(REPO_ROOT)
        .output()
        .expect("run git ls-files");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_package_holds_what_the_binary_embeds_and_no_tests() {
    let list = package_list();
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "LICENSE",
        "src/main.rs",
        "src/lib.rs",
    ] {
        assert!(list.contains(file), "{file} is not packaged");
    }
    // include_str! and include_dir! read these when the package builds.
    for file in [
        "src/cmd/workflow/github.yml",
        "src/cmd/workflow/gitlab.yml",
        "src/serve/live-reload.js",
    ]
    .into_iter()
    .map(str::to_string)
    .chain(starter_files())
    {
        assert!(list.contains(&file), "{file} is not packaged");
    }
    // Every tracked file of the sources and of the theme built into the binary (a git checkout
    // may have none of them, as in a package; then the list is checked as it is).
    for file in tracked("src").into_iter().chain(tracked("themes/default")) {
        assert!(list.contains(&file), "{file} is not packaged");
    }
    assert!(
        list.iter()
            .any(|f| f.starts_with("themes/default/templates/")),
        "no theme templates in {list:?}"
    );
    let unwanted: Vec<&String> = list
        .iter()
        .filter(|f| {
            [
                "tests/", "benches/", "bench/", "fuzz/", ".ci/", "target/", "docs/",
            ]
            .iter()
            .any(|dir| f.starts_with(dir))
        })
        .collect();
    assert!(unwanted.is_empty(), "packaged: {unwanted:?}");
    // Of the bundled handbook, only what `folio init` copies.
    let starters: BTreeSet<String> = starter_files().into_iter().collect();
    for file in list
        .iter()
        .filter(|f| f.starts_with("content/") || f.starts_with("data/"))
    {
        assert!(
            starters.contains(file),
            "{file} is packaged but folio init does not use it"
        );
    }
}

/// `cargo package --locked` builds the packaged crate on its own, as `cargo install` from a
/// registry would: it compiles the crate again from target/package/ (and every dependency too
/// when target/ has none built), so run it by name:
/// `cargo test --locked --test integration package:: -- --ignored`.
#[test]
#[ignore = "builds the whole crate again from its package (minutes)"]
fn the_package_builds_on_its_own() {
    let output = cargo()
        .args(["package", "--locked", "--allow-dirty"])
        .current_dir(REPO_ROOT)
        .output()
        .expect("run cargo package");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo package failed:\n{stderr}");
    assert!(stderr.contains("Verifying folio v"), "{stderr}");
}
