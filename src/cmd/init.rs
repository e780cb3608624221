//! `folio init DIR`: start a new handbook from a small part of Folio's own handbook.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::workflow::{self, Handbook};
use crate::base::diag::plural;
use crate::base::url::normalize;
use crate::cli::InitArgs;
use crate::input::config::CONFIG_FILE;

/// `(path, text)` of each listed file of this repository, embedded at compile time.
macro_rules! starter_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path)))),*]
    };
}

/// The starter site: one page of each kind from Folio's own handbook, enough to show how a
/// handbook hangs together without a hundred pages to delete. The data files feed the licence
/// table, the glossary and search's synonyms. Links from these pages to pages not listed here
/// become plain text (see [`unlink_outside`]), so the new site builds with no broken link.
const STARTER_FILES: &[(&str, &str)] = starter_files![
    "content/_index.md",
    "content/about/maintaining.md",
    "content/about/review-cycle.svg",
    "content/policies/contributing.md",
    "content/policies/licenses.md",
    "content/playbooks/open-sourcing-a-project.md",
    "content/faq/_index.md",
    "content/faq/agpl-in-products.md",
    "content/faq/what-is-a-cla.md",
    "content/faq/who-approves-contributions.md",
    "content/glossary.md",
    "data/glossary.yaml",
    "data/licenses.yaml",
    "data/synonyms.yaml",
];

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
# The repository holding this site (its web URL), and its branch, for "Edit this page" links.
# GitHub, Gitea, Forgejo, Codeberg and GitLab work as they are; other hosts need a pattern:
# edit_url = "https://git.example.org/ospo/handbook/src/{branch}/{path}?mode=edit"
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

/// Writes site.toml and the starter files into `args.dir`. It never replaces a file: when any
/// of them exists (or the folder holds content/), it writes nothing and names them, unless
/// `--skip-existing` asks for the missing ones only.
pub(super) fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.dir;
    let files = starter_site();
    let existing: Vec<&str> = files
        .iter()
        .map(|(path, _)| *path)
        .filter(|path| fs::symlink_metadata(dir.join(path)).is_ok())
        .collect();
    if !args.skip_existing {
        refuse_existing(dir, &existing)?;
    }
    fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let mut written = 0;
    for (path, text) in &files {
        if !existing.contains(path) {
            super::write_new(&dir.join(path), text)?;
            written += 1;
        }
    }
    if args.skip_existing {
        eprintln!(
            "Added {} to {}; kept {} as {}.",
            plural(written, "missing file"),
            dir.display(),
            plural(existing.len(), "file"),
            if existing.len() == 1 {
                "it was"
            } else {
                "they were"
            },
        );
    } else {
        eprintln!(
            "Created a handbook in {} with {} sample files.",
            dir.display(),
            STARTER_FILES.len(),
        );
    }
    let handbook = Handbook {
        dir,
        output_dir: "public",
        branch: None,
        strict: true,
    };
    if let Some(line) = workflow::write(args.ci, &handbook)? {
        eprintln!("{line}");
    }
    eprintln!("Next: folio build --root {}", dir.display());
    Ok(ExitCode::SUCCESS)
}

/// Every file `folio init` writes, by path in the new site: site.toml and the starter files,
/// their links to pages left out made plain text.
fn starter_site() -> Vec<(&'static str, String)> {
    let kept: Vec<&str> = STARTER_FILES.iter().map(|(path, _)| *path).collect();
    let starters = STARTER_FILES.iter().map(|(path, text)| {
        let text = if path.ends_with(".md") {
            unlink_outside(text, path, &kept)
        } else {
            text.to_string()
        };
        (*path, text)
    });
    std::iter::once((CONFIG_FILE, STARTER_CONFIG.to_string()))
        .chain(starters)
        .collect()
}

/// Refuses a folder that holds any file `folio init` would write, naming them, or a content/
/// folder (a site whose pages the samples would be mixed into).
fn refuse_existing(dir: &Path, existing: &[&str]) -> anyhow::Result<()> {
    let skip = format!("folio init --skip-existing {}", dir.display());
    if !existing.is_empty() {
        let list: String = existing
            .iter()
            .map(|path| {
                format!(
                    "\n  {}",
                    crate::base::output::shown(&dir.join(path)).display()
                )
            })
            .collect();
        bail!(
            "`{}` already has {} that folio init writes, and it never replaces a file:{list}\n\
             Nothing was written. Move {} elsewhere, or add only the missing files with `{skip}`.",
            dir.display(),
            if existing.len() == 1 {
                "a file"
            } else {
                "files"
            },
            if existing.len() == 1 { "it" } else { "them" },
        );
    }
    if dir.join("content").exists() {
        bail!(
            "`{}` already holds a site: it has a content folder, which the sample pages would be mixed into.\n\
             Nothing was written. Choose an empty folder, or add the sample files it lacks with `{skip}`.",
            dir.display()
        );
    }
    Ok(())
}

/// `text` (the Markdown of the file at `path`) with every link to a page that is not in `kept`
/// replaced by the link's own text: "see the [SBOM policy](sbom.md)" becomes "see the SBOM
/// policy". Links to kept pages, headings, other files and other sites are left as written.
fn unlink_outside(text: &str, path: &str, kept: &[&str]) -> String {
    let mut unlinked: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    // The link being removed, and the span of its text so far.
    let mut current: Option<(Range<usize>, Option<Range<usize>>)> = None;
    // Only tables and footnotes change where links are found; Folio's other Markdown options
    // change how text renders.
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) if leaves(&dest_url, path, kept) => {
                current = Some((range, None));
            }
            Event::End(TagEnd::Link) => {
                if let Some((link, inner)) = current.take() {
                    let inner = inner.unwrap_or(link.start..link.start);
                    unlinked.push((link, inner));
                }
            }
            _ => {
                if let Some((_, inner)) = &mut current {
                    *inner = Some(match inner.take() {
                        Some(span) => span.start.min(range.start)..span.end.max(range.end),
                        None => range,
                    });
                }
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (link, inner) in unlinked {
        out.push_str(&text[copied..link.start]);
        out.push_str(&text[inner]);
        copied = link.end;
    }
    out.push_str(&text[copied..]);
    out
}

/// True when `dest`, a link in the file at `from` (`content/faq/x.md`), points to a Markdown page
/// that is not one of the `kept` files.
fn leaves(dest: &str, from: &str, kept: &[&str]) -> bool {
    let file = dest.split('#').next().unwrap_or_default();
    if !file.ends_with(".md") || file.contains("://") || file.starts_with("mailto:") {
        return false;
    }
    let target = match file.strip_prefix('/') {
        Some(from_root) => Path::new("content").join(from_root),
        None => Path::new(from)
            .parent()
            .map_or_else(PathBuf::new, Path::to_path_buf)
            .join(file),
    };
    normalize(&target).is_none_or(|target| !kept.iter().any(|k| Path::new(k) == target))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEPT: &[&str] = &["content/_index.md", "content/policies/licenses.md"];

    #[test]
    fn links_to_pages_left_out_become_their_text() {
        let text = "See the [SBOM policy](policies/sbom.md#formats), \
                    the [licence lists](policies/licenses.md#allowed) and *[the **FAQ**](faq/x.md)*.";
        assert_eq!(
            unlink_outside(text, "content/_index.md", KEPT),
            "See the SBOM policy, the [licence lists](policies/licenses.md#allowed) and *the **FAQ***."
        );
    }

    #[test]
    fn other_links_and_code_are_left_alone() {
        let text = "[up](../_index.md) [here](#scope) [site](https://example.org/a.md) \
                    ![diagram](cycle.svg) `[code](gone.md)`\n\n```\n[block](gone.md)\n```\n";
        assert_eq!(
            unlink_outside(text, "content/policies/licenses.md", KEPT),
            text
        );
        assert_eq!(
            unlink_outside(
                "[gone](../faq/gone.md)",
                "content/policies/licenses.md",
                KEPT
            ),
            "gone"
        );
        assert_eq!(
            unlink_outside("[root](/policies/licenses.md)", "content/faq/a.md", KEPT),
            "[root](/policies/licenses.md)"
        );
    }
}
