//! "Edit this page" URLs: where a reader can propose a change to a page's source file on the
//! site's git host, from site.toml's `repository`, `branch` and `edit_url`.
//!
//! GitHub, Gitea, Forgejo and Codeberg share `REPOSITORY/edit/BRANCH/PATH`, GitLab uses
//! `REPOSITORY/-/edit/BRANCH/PATH`; any other host takes an `edit_url` pattern with `{branch}`
//! and `{path}` placeholders.

use crate::base::url::encode_path;

/// The placeholders an `edit_url` pattern may hold.
const PLACEHOLDERS: &[&str] = &["{branch}", "{path}"];

/// How a site's edit URLs are made, resolved once from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditLinks {
    /// No repository configured: no edit links.
    None,
    /// A repository URL without its trailing `/` or `.git`, and the route to its editor.
    Repository {
        /// The repository's web URL.
        url: String,
        /// `edit` (GitHub and alike) or `-/edit` (GitLab).
        route: &'static str,
    },
    /// An `edit_url` pattern from site.toml.
    Pattern(String),
}

impl EditLinks {
    /// Edit links from site.toml's `repository` and `edit_url` (which wins).
    pub fn new(repository: Option<&str>, pattern: Option<&str>) -> EditLinks {
        if let Some(pattern) = pattern {
            return EditLinks::Pattern(pattern.to_string());
        }
        let Some(url) = repository.map(str::trim).filter(|r| !r.is_empty()) else {
            return EditLinks::None;
        };
        let url = url.trim_end_matches('/');
        let url = url.strip_suffix(".git").unwrap_or(url).to_string();
        let route = if is_gitlab(&url) { "-/edit" } else { "edit" };
        EditLinks::Repository { url, route }
    }

    /// The edit URL of the file at `path` (from the top of the repository, `/`-separated) on
    /// `branch`; `None` without a repository. Path and branch are percent-encoded, keeping `/`.
    pub fn url(&self, branch: &str, path: &str) -> Option<String> {
        let branch = encode_path(branch);
        let path = encode_path(path);
        match self {
            EditLinks::None => None,
            EditLinks::Repository { url, route } => Some(format!("{url}/{route}/{branch}/{path}")),
            EditLinks::Pattern(pattern) => Some(fill(pattern, &branch, &path)),
        }
    }
}

/// Checks an `edit_url` pattern: it needs `{path}`, and knows no other placeholder than
/// `{branch}`. The error says what is wrong, for a diagnostic at the key.
pub fn check_pattern(pattern: &str) -> Result<(), String> {
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        let tail = &rest[start..];
        let known = PLACEHOLDERS.iter().find(|p| tail.starts_with(*p));
        let Some(known) = known else {
            let end = tail.find('}').map_or(tail.len(), |i| i + 1);
            return Err(format!(
                "unknown placeholder `{}` in edit_url: it may hold `{{branch}}` and `{{path}}`",
                &tail[..end]
            ));
        };
        rest = &tail[known.len()..];
    }
    if !pattern.contains("{path}") {
        return Err(
            "edit_url must contain `{path}`, where the page's path in the repository goes".into(),
        );
    }
    Ok(())
}

/// The pattern with its placeholders replaced, in one pass so that nothing substituted is read
/// again as a placeholder.
fn fill(pattern: &str, branch: &str, path: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + path.len());
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let (value, len) = if tail.starts_with("{branch}") {
            (branch, "{branch}".len())
        } else if tail.starts_with("{path}") {
            (path, "{path}".len())
        } else {
            ("{", 1)
        };
        out.push_str(value);
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

/// GitLab, on gitlab.com or a host named after it (`gitlab.example.org`); other self-hosted
/// GitLab instances need an `edit_url` pattern.
fn is_gitlab(url: &str) -> bool {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = after_scheme.split('/').next().unwrap_or("");
    host.to_ascii_lowercase().contains("gitlab")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(repository: &str, pattern: Option<&str>, path: &str) -> Option<String> {
        EditLinks::new(Some(repository), pattern).url("main", path)
    }

    #[test]
    fn github_and_gitlab_have_their_own_routes() {
        assert_eq!(
            url("https://github.com/o/r/", None, "content/a b/ü.md").as_deref(),
            Some("https://github.com/o/r/edit/main/content/a%20b/%C3%BC.md")
        );
        assert_eq!(
            url("https://gitlab.com/g/sub/r.git", None, "site/content/x.md").as_deref(),
            Some("https://gitlab.com/g/sub/r/-/edit/main/site/content/x.md")
        );
        assert_eq!(
            url("https://codeberg.org/o/r", None, "content/x.md").as_deref(),
            Some("https://codeberg.org/o/r/edit/main/content/x.md")
        );
        assert_eq!(EditLinks::new(None, None).url("main", "x"), None);
        assert_eq!(EditLinks::new(Some("  "), None), EditLinks::None);
    }

    #[test]
    fn a_pattern_wins_and_is_filled_once() {
        let links = EditLinks::new(
            Some("https://github.com/o/r"),
            Some("https://bb.example.org/r/src/{branch}/{path}?mode=edit&at={branch}"),
        );
        assert_eq!(
            links.url("release/1.0", "content/{path}.md").as_deref(),
            Some(
                "https://bb.example.org/r/src/release/1.0/content/%7Bpath%7D.md?mode=edit&at=release/1.0"
            )
        );
    }

    #[test]
    fn patterns_need_a_path_and_known_placeholders() {
        assert!(check_pattern("https://x.org/{branch}/{path}").is_ok());
        assert!(
            check_pattern("https://x.org/{branch}")
                .unwrap_err()
                .contains("{path}")
        );
        let error = check_pattern("https://x.org/{file}/{path}").unwrap_err();
        assert!(error.contains("`{file}`"), "{error}");
    }
}
