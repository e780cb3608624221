//! `folio new KIND PATH --title T`: create a page with its kind's front matter filled in.

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::cli::NewArgs;
use crate::model::{IsoDate, Kind};

/// Creates the file; refuses to overwrite one that exists.
pub(super) fn run(args: &NewArgs) -> anyhow::Result<ExitCode> {
    let rel = content_path(&args.path)?;
    let path = args.root.join("content").join(&rel);
    if path.exists() {
        bail!("`{}` already exists; choose another path", path.display());
    }
    let text = front_matter(args.kind.into(), &args.title, IsoDate::today());
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    fs::write(&path, text).with_context(|| format!("cannot write `{}`", path.display()))?;
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// The path under content/, with `.md` added; paths that climb out are refused.
fn content_path(path: &Path) -> anyhow::Result<PathBuf> {
    let path = path.strip_prefix("content").unwrap_or(path);
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
    use crate::front_matter;

    #[test]
    fn generated_front_matter_parses_for_every_kind() {
        let today = IsoDate::parse("2026-11-23").unwrap();
        for kind in [Kind::Policy, Kind::Playbook, Kind::Faq, Kind::Page] {
            let text = front_matter(kind, "Say \"hi\": now", today);
            let path = Path::new("content/x.md");
            let split = front_matter::split(path, &text).unwrap();
            let parsed = front_matter::parse(path, &text, &split).unwrap();
            assert!(parsed.warnings.is_empty(), "{kind}: {:?}", parsed.warnings);
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
            content_path(Path::new("policies/ai")).unwrap(),
            Path::new("policies/ai.md")
        );
        assert_eq!(
            content_path(Path::new("content/faq/q.md")).unwrap(),
            Path::new("faq/q.md")
        );
        assert!(content_path(Path::new("../x")).is_err());
        assert!(content_path(Path::new("/etc/x")).is_err());
    }
}
