//! `folio init DIR`: start a new handbook from the sample pages built into the binary.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use include_dir::{Dir, include_dir};

use crate::cli::InitArgs;
use crate::config::CONFIG_FILE;

/// The starter content: the sample pages of Folio's own handbook.
static STARTER_CONTENT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");

/// The starter data files (glossary, licence list), which the sample pages use.
static STARTER_DATA: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/data");

/// The starter site.toml, with every key explained.
const STARTER_CONFIG: &str = r#"# Folio site configuration. Every key is optional except title.

# The site's name, shown in the header and in page titles.
title = "Open Source Handbook"
# One sentence about the site, used in meta tags.
description = "Policies, playbooks and answers from our Open Source Program Office."
# Where the site will be served from; links and the sitemap use it.
base_url = "https://handbook.example.org/"
# Default language of pages (each page may set `lang`).
language = "en"
# "default" is the theme built into Folio; any other name is a folder under themes/.
theme = "default"
# Where `folio build` writes the site. Folio replaces this folder whole.
output_dir = "public"
# The repository holding this site, and its branch, for "edit this page" links.
# repository = "https://git.example.org/ospo/handbook"
branch = "main"

# The default kind of the pages in each folder of content/ (subfolders inherit it).
[sections.policies]
kind = "policy"

[sections.playbooks]
kind = "playbook"

[sections.faq]
kind = "faq"
"#;

/// Writes site.toml, the sample content and its data files into `args.dir`.
pub(super) fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.dir;
    if dir.join(CONFIG_FILE).exists() || dir.join("content").exists() {
        bail!(
            "`{}` already holds a site (it has {CONFIG_FILE} or content/); choose an empty folder",
            dir.display()
        );
    }
    fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    write(&dir.join(CONFIG_FILE), STARTER_CONFIG.as_bytes())?;
    let mut count = 0;
    write_dir(&STARTER_CONTENT, &dir.join("content"), &mut count)?;
    write_dir(&STARTER_DATA, &dir.join(crate::data::DATA_DIR), &mut count)?;
    eprintln!(
        "Created a handbook in {} with {count} sample files.\nNext: folio build --root {}",
        dir.display(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn write_dir(source: &Dir<'_>, target: &Path, count: &mut usize) -> anyhow::Result<()> {
    for file in source.files() {
        write(
            &target.join(file.path().file_name().unwrap_or_default()),
            file.contents(),
        )?;
        *count += 1;
    }
    for sub in source.dirs() {
        let name = sub.path().file_name().unwrap_or_default();
        write_dir(sub, &target.join(name), count)?;
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    fs::write(path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
}
