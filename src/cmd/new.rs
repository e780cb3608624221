//! `folio new KIND PATH --title T`: create a page with its kind's front matter filled in.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::base::model::{IsoDate, Kind};
use crate::base::output;
use crate::cli::NewArgs;
use crate::input::config::Config;

/// Creates the file; refuses to overwrite one that exists, and to write anywhere but inside
/// the real content folder (see [`check_inside`]).
pub(super) fn run(args: &NewArgs) -> anyhow::Result<ExitCode> {
    let content = Config::load(&args.root)
        .map_or_else(|_| args.root.join("content"), |config| config.content_dir());
    let rel = content_path(&args.path, &content)?;
    let path = content.join(&rel);
    if fs::symlink_metadata(&content).is_err() {
        fs::create_dir_all(&content)
            .with_context(|| format!("cannot create `{}`", content.display()))?;
    }
    let real_content = fs::canonicalize(&content)
        .with_context(|| format!("cannot find `{}`", content.display()))?;
    check_inside(&content, &real_content, &rel)?;
    if fs::symlink_metadata(&path).is_ok() {
        bail!(
            "`{}` already exists; choose another path",
            output::shown(&path).display()
        );
    }
    let text = front_matter(args.kind.into(), &args.title, IsoDate::today());
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
        // Checked again now that the folders exist, in case one was swapped for a link since.
        check_inside(&content, &real_content, &rel)?;
    }
    // create_new: never replaces a file, nor follows a link, that appeared in the meantime.
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// Refuses `rel` (a path under `content`, whose real path is `real_content`) when a folder on
/// the way, or the file itself, is a symbolic link that leads out of the real content folder:
/// the page would be written somewhere else than the site. Links that stay inside are fine, as
/// is a content folder that is itself a link.
fn check_inside(content: &Path, real_content: &Path, rel: &Path) -> anyhow::Result<()> {
    let mut shown = content.to_path_buf();
    let mut real = real_content.to_path_buf();
    for component in rel.components() {
        shown.push(component);
        let Ok(metadata) = fs::symlink_metadata(&shown) else {
            // Missing from here on: what `folio new` creates is real folders under `real`.
            return Ok(());
        };
        if !metadata.is_symlink() {
            real.push(component);
            continue;
        }
        let target = fs::read_link(&shown).unwrap_or_default();
        // Where the link leads, resolved as far as it exists (a dangling link leads somewhere too).
        let leads_to = output::normalize(&real.join(&target));
        let leads_to = fs::canonicalize(&leads_to).unwrap_or(leads_to);
        if !leads_to.starts_with(real_content) {
            bail!(
                "refusing to write `{}`: `{}` is a symbolic link to `{}`, outside the content folder `{}`; \
                 folio new writes only inside it",
                output::shown(&content.join(rel)).display(),
                output::shown(&shown).display(),
                target.display(),
                output::shown(content).display()
            );
        }
        real = leads_to;
    }
    Ok(())
}

/// The path under the content folder, with `.md` added; paths that climb out are refused. A
/// leading `content/` (or the configured content folder's name) is the folder itself.
fn content_path(path: &Path, content: &Path) -> anyhow::Result<PathBuf> {
    let configured = content.file_name().map(Path::new);
    let path = [Some(Path::new("content")), configured]
        .into_iter()
        .flatten()
        .find_map(|prefix| path.strip_prefix(prefix).ok())
        .unwrap_or(path);
    if path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
        || path.as_os_str().is_empty()
    {
        bail!(
            "`{}` must be a relative path inside content/, such as policies/ai-tools",
            path.display()
        );
    }
    let mut path = path.to_path_buf();
    if path.extension().is_none_or(|e| e != "md") {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".md");
        path.set_file_name(name);
    }
    Ok(path)
}

/// A YAML string, quoted so that any title survives.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The new file's text: front matter for `kind`, then a short outline to write over.
fn front_matter(kind: Kind, title: &str, today: IsoDate) -> String {
    let mut fm = format!(
        "---\ntitle: {}\ndescription: \"\"\nkind: {kind}\ndate: {today}\ntags: []\n",
        quoted(title)
    );
    let (fields, body) = match kind {
        Kind::Policy => (
            format!(
                "status: draft\nowner: \"\"\napprovers: []\neffective: {today}\nlast_reviewed: {today}\nreview_every: 12 months\n"
            ),
            "## Purpose\n\n## Scope\n\n## Policy\n\n## Exceptions\n",
        ),
        Kind::Playbook => (
            "audience: \"\"\ntime_required: \"\"\nprerequisites: []\n".to_string(),
            "## Before you start\n\n## Steps\n\n1. [ ] First step\n2. [ ] Second step\n",
        ),
        Kind::Faq => (
            format!("question: {}\ncategory: \"\"\n", quoted(title)),
            "Answer in one or two sentences, then link to the policy behind it.\n",
        ),
        Kind::Page => (String::new(), ""),
    };
    fm.push_str(&fields);
    fm.push_str("---\n\n");
    fm.push_str(body);
    fm
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::front_matter;

    #[test]
    fn generated_front_matter_parses_for_every_kind() {
        let today = IsoDate::parse("2026-11-23").unwrap();
        for kind in [Kind::Policy, Kind::Playbook, Kind::Faq, Kind::Page] {
            let text = front_matter(kind, "Say \"hi\": now", today);
            let path = Path::new("content/x.md");
            let split = front_matter::split(path, &text).unwrap();
            let parsed = front_matter::parse(path, &text, &split).unwrap();
            assert!(parsed.unknown.is_empty(), "{kind}: {:?}", parsed.unknown);
            assert_eq!(
                parsed.front_matter.title.as_deref(),
                Some("Say \"hi\": now")
            );
            assert_eq!(parsed.front_matter.kind, Some(kind));
        }
    }

    #[test]
    fn paths_stay_inside_content() {
        assert_eq!(
            content_path(Path::new("policies/ai"), Path::new("content")).unwrap(),
            Path::new("policies/ai.md")
        );
        assert_eq!(
            content_path(Path::new("content/faq/q.md"), Path::new("content")).unwrap(),
            Path::new("faq/q.md")
        );
        assert_eq!(
            content_path(Path::new("docs/faq/q.md"), Path::new("site/docs")).unwrap(),
            Path::new("faq/q.md")
        );
        assert!(content_path(Path::new("../x"), Path::new("content")).is_err());
        assert!(content_path(Path::new("/etc/x"), Path::new("content")).is_err());
    }
}
