//! The CI workflow `folio init` and `folio import` write beside a handbook, unless one exists:
//! GitHub Actions (`.github/workflows/handbook.yml`: check pull requests, publish with GitHub
//! Pages) or GitLab CI (`.gitlab-ci.yml`: Code Quality on merge requests, GitLab Pages). The
//! templates are the YAML files beside this module; `__ROOT__`, `__OUTPUT__` and `__BRANCH__`
//! are filled in for the site.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::base::output::{absolute, shown};
use crate::cli::Ci;

/// The GitHub Actions workflow.
pub(crate) const GITHUB: &str = include_str!("github.yml");
/// The GitLab CI configuration.
pub(crate) const GITLAB: &str = include_str!("gitlab.yml");

/// Where the workflow of `ci` goes, from the top of the repository.
pub(crate) fn file_name(ci: Ci) -> Option<&'static str> {
    match ci {
        Ci::Github => Some(".github/workflows/handbook.yml"),
        Ci::Gitlab => Some(".gitlab-ci.yml"),
        Ci::None => None,
    }
}

/// The handbook a workflow is written for.
#[derive(Debug, Clone)]
pub(crate) struct Handbook<'a> {
    /// The site folder (holding site.toml), as given on the command line.
    pub(crate) dir: &'a Path,
    /// `output_dir` of its site.toml, relative to the site folder.
    pub(crate) output_dir: &'a str,
    /// The branch the site is published from, when the handbook's settings say.
    pub(crate) branch: Option<&'a str>,
    /// Whether pull requests fail on warnings (`folio check --strict`): true for a new
    /// handbook, false for an imported one, whose warnings were there before Folio (as
    /// `broken_links = "warn"`) and would otherwise fail its first pull request.
    pub(crate) strict: bool,
}

/// Writes the workflow for `ci` at the top of the repository holding the handbook (the nearest
/// folder up from it with a `.git`, else the handbook's own folder), unless a file is there
/// already. Returns the line to show the author: what was written, or what was kept.
pub(crate) fn write(ci: Ci, handbook: &Handbook<'_>) -> anyhow::Result<Option<String>> {
    let Some(name) = file_name(ci) else {
        return Ok(None);
    };
    let site = absolute(handbook.dir);
    let top = repository_top(&site).unwrap_or_else(|| site.clone());
    let base = shown_from(handbook.dir, &site, &top);
    let path = if base == Path::new(".") {
        PathBuf::from(name)
    } else {
        base.join(name)
    };
    if fs::symlink_metadata(&path).is_ok() {
        return Ok(Some(format!(
            "Kept {}: it exists, and Folio never replaces a workflow.",
            path.display()
        )));
    }
    let root = relative(&site, &top);
    let output = clean(&root.join(handbook.output_dir));
    let branch = handbook
        .branch
        .map(str::to_string)
        .or_else(|| head_branch(&top))
        .unwrap_or_else(|| "main".to_string());
    let text = fill(ci, &root, &output, &branch, handbook.strict);
    super::write_new(&path, &text)?;
    let mut line = match ci {
        Ci::Github => format!(
            "Wrote {}: it checks pull requests and publishes the site with GitHub Pages \
             (Settings → Pages → Source: GitHub Actions).",
            path.display()
        ),
        _ => format!(
            "Wrote {}: it checks merge requests (Code Quality) and publishes the site with \
             GitLab Pages.",
            path.display()
        ),
    };
    if !handbook.strict {
        line.push_str(
            " Warnings do not fail the check until you set FOLIO_CHECK_FLAGS to --strict in it.",
        );
    }
    Ok(Some(line))
}

/// The template of `ci` filled in: the site folder and its output from the top of the
/// repository, the branch to publish from, and whether the check fails on warnings.
pub(crate) fn fill(ci: Ci, root: &Path, output: &Path, branch: &str, strict: bool) -> String {
    let template = match ci {
        Ci::Gitlab => GITLAB,
        _ => GITHUB,
    };
    template
        .replace("__ROOT__", &quoted(root))
        .replace("__OUTPUT__", &quoted(output))
        .replace("__BRANCH__", &quoted(Path::new(branch)))
        .replace(
            "__CHECK_FLAGS__",
            if strict {
                "--strict"
            } else {
                "\"\"  # imported: set it to --strict once `folio check` shows no warning"
            },
        )
}

/// A YAML double-quoted string (JSON's string syntax is YAML's), with `/` separators.
fn quoted(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    serde_json::Value::String(text).to_string()
}

/// The nearest folder from `dir` up that holds `.git` (a folder, or a file in a worktree).
fn repository_top(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The branch checked out at `top`, from `.git/HEAD`.
fn head_branch(top: &Path) -> Option<String> {
    let head = fs::read_to_string(top.join(".git").join("HEAD")).ok()?;
    head.trim()
        .strip_prefix("ref: refs/heads/")
        .filter(|b| !b.is_empty())
        .map(str::to_string)
}

/// `path` from `base` (both absolute, `base` above it); `.` when they are the same.
fn relative(path: &Path, base: &Path) -> PathBuf {
    match path.strip_prefix(base) {
        Ok(rest) if !rest.as_os_str().is_empty() => rest.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The repository's top as the author would name it: `dir` (as given) climbed up as many
/// folders as the top is above the site.
fn shown_from(dir: &Path, site: &Path, top: &Path) -> PathBuf {
    let depth = site
        .strip_prefix(top)
        .map_or(0, |rest| rest.components().count());
    let mut path = dir.to_path_buf();
    for _ in 0..depth {
        path.push("..");
    }
    shown(&clean(&path)).to_path_buf()
}

/// `.` components dropped and `a/..` folded, lexically; an empty path is `.`.
fn clean(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if out
                    .components()
                    .next_back()
                    .is_some_and(|c| matches!(c, Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_folded_lexically() {
        assert_eq!(clean(Path::new("./a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(clean(Path::new("a/..")), PathBuf::from("."));
        assert_eq!(clean(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(
            shown_from(
                Path::new("hb/docs"),
                Path::new("/r/hb/docs"),
                Path::new("/r/hb")
            ),
            PathBuf::from("hb")
        );
        assert_eq!(
            shown_from(Path::new("docs"), Path::new("/r/docs"), Path::new("/r")),
            PathBuf::from(".")
        );
    }
}
