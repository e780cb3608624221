//! What the benchmarks share: the 10,000-page site they run on, and where they keep their files.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Pages of the generated site.
const PAGES: usize = 10_000;

/// The site folder: `FOLIO_BENCH_SITE`, or the one generated once into `target/bench/c10k` by
/// `../shared/bench/make-corpus`; `None` when neither exists, said loudly as `*** SKIPPED`
/// followed by `skipped` (what goes without the site).
pub(crate) fn site(skipped: &str) -> Result<Option<PathBuf>> {
    if let Some(dir) = std::env::var_os("FOLIO_BENCH_SITE") {
        return Ok(Some(PathBuf::from(dir)));
    }
    let site = bench_dir().join("c10k");
    if site.join("site.toml").is_file() {
        return Ok(Some(site));
    }
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/make-corpus");
    if !generator.is_file() {
        println!(
            "\n*** SKIPPED {skipped}: no FOLIO_BENCH_SITE and no {} to generate a site ***\n",
            generator.display()
        );
        return Ok(None);
    }
    println!("Generating a {PAGES}-page site into {} ...", site.display());
    let status = Command::new("python3")
        .arg(&generator)
        .arg(&site)
        .args(["--pages", &PAGES.to_string()])
        .status()
        .context("run python3 make-corpus")?;
    if !status.success() {
        bail!("make-corpus failed: {status}");
    }
    // Written last: a generation cut short is redone on the next run. The copies make-corpus
    // makes link to images and pages it leaves out: warnings, or the build would refuse the site.
    std::fs::write(
        site.join("site.toml"),
        "title = \"Bench\"\nbase_url = \"https://bench.example.org/\"\nbroken_links = \"warn\"\n",
    )?;
    Ok(Some(site))
}

/// `target/bench/`.
pub(crate) fn bench_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("bench")
}
