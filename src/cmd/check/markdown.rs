//! `--format markdown`: a short report for a CI job summary (`$GITHUB_STEP_SUMMARY`) or a review
//! comment: the counts by level, each finding at its `path:line`, and the policies whose review
//! is overdue or due soon.

use std::fmt::Write as _;

use super::Findings;
use crate::base::diag::{Code, Severity, plural};

/// At most this many findings are listed: a job summary holds 1 MiB, and a long list is read by
/// nobody. The counts still count them all.
const MAX_LISTED: usize = 200;

/// Where a file of the commit being checked can be opened, so that findings link to their lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct LinkBase(Option<String>);

impl LinkBase {
    /// From the variables GitHub Actions and GitLab CI set (`GITHUB_SERVER_URL`,
    /// `GITHUB_REPOSITORY`, `GITHUB_SHA`; `CI_PROJECT_URL`, `CI_COMMIT_SHA`); none elsewhere.
    pub(super) fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let (Some(server), Some(repo), Some(sha)) = (
            var("GITHUB_SERVER_URL"),
            var("GITHUB_REPOSITORY"),
            var("GITHUB_SHA"),
        ) {
            return LinkBase(Some(format!(
                "{}/{repo}/blob/{sha}/",
                server.trim_end_matches('/')
            )));
        }
        if let (Some(project), Some(sha)) = (var("CI_PROJECT_URL"), var("CI_COMMIT_SHA")) {
            return LinkBase(Some(format!(
                "{}/-/blob/{sha}/",
                project.trim_end_matches('/')
            )));
        }
        LinkBase(None)
    }

    /// `path:line`, linked to the line when the host is known.
    fn link(&self, path: &str, line: Option<usize>) -> String {
        let shown = match line {
            Some(line) => format!("{path}:{line}"),
            None => path.to_string(),
        };
        match &self.0 {
            Some(base) => {
                let anchor = line.map(|l| format!("#L{l}")).unwrap_or_default();
                format!("[{}]({base}{}{anchor})", cell(&shown), url_path(path))
            }
            None => format!("`{}`", shown.replace('`', "'")),
        }
    }
}

/// The report.
pub(super) fn render(findings: &Findings<'_>, links: &LinkBase) -> String {
    let diagnostics = findings.diagnostics;
    let mut out = String::new();
    let verdict = if diagnostics.has_errors() {
        "failed"
    } else {
        "passed"
    };
    let _ = writeln!(out, "## Handbook check {verdict}\n");
    let _ = writeln!(
        out,
        "**{}**, **{}**, **{}** in {}.\n",
        plural(diagnostics.error_count(), "error"),
        plural(diagnostics.warning_count(), "warning"),
        plural(diagnostics.note_count(), "note"),
        plural(findings.pages, "page"),
    );
    let sorted = diagnostics.sorted();
    if !sorted.is_empty() {
        let _ = writeln!(out, "| Level | Finding | Where |\n|---|---|---|");
        for d in sorted.iter().take(MAX_LISTED) {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "note",
            };
            let code = d.code.unwrap_or(Code::Build);
            let place = match d.location.as_deref() {
                Some(l) => links.link(&findings.repo_path(&l.path), Some(l.line)),
                None => links.link(&findings.config_path(), None),
            };
            let _ = writeln!(
                out,
                "| {level} | {} (`{code}`) | {place} |",
                cell(&d.message)
            );
        }
        if sorted.len() > MAX_LISTED {
            let _ = writeln!(
                out,
                "\n… and {} more: run `folio check` to see them all.",
                sorted.len() - MAX_LISTED
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "### Policy reviews\n");
    if findings.reviews.is_empty() {
        let _ = writeln!(out, "No policy review is overdue or due soon.");
        return out;
    }
    let _ = writeln!(
        out,
        "| Policy | Owner | Review due | Status |\n|---|---|---|---|"
    );
    for review in findings.reviews {
        let status = match review.days {
            d if d < 0 => format!("**overdue** by {}", plural((-d) as usize, "day")),
            0 => "due today".to_string(),
            d => format!("due in {}", plural(d as usize, "day")),
        };
        let path = findings.repo_path(&review.path);
        let _ = writeln!(
            out,
            "| {} ({}) | {} | {} | {status} |",
            cell(&review.title),
            links.link(&path, None),
            review.owner.as_deref().map_or("—".to_string(), cell),
            review.due,
        );
    }
    out
}

/// Text made safe for a table cell: no line breaks, no `|` that would end the cell, no HTML.
fn cell(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A path as it goes into a URL: spaces and the characters that would end or change it
/// percent-encoded.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_point_at_the_line_on_the_host_when_known() {
        let github = LinkBase(Some("https://github.com/o/r/blob/abc/".into()));
        assert_eq!(
            github.link("content/a b.md", Some(3)),
            "[content/a b.md:3](https://github.com/o/r/blob/abc/content/a%20b.md#L3)"
        );
        assert_eq!(
            LinkBase(None).link("content/a.md", Some(3)),
            "`content/a.md:3`"
        );
        assert_eq!(cell("a | b\n<c>"), "a \\| b &lt;c&gt;");
    }
}
