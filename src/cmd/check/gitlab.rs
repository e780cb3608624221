//! `--format gitlab`: a GitLab Code Quality report, the JSON array that
//! `artifacts:reports:codequality` uploads and merge requests show. GitLab reads `description`,
//! `check_name`, `fingerprint`, `severity` and `location.path` with `location.lines.begin`;
//! `type` and `categories` complete the Code Climate format it comes from.

use std::collections::HashMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::Findings;
use crate::base::diag::{Code, Severity};

/// One finding as GitLab reads it.
#[derive(Debug, Serialize)]
struct Issue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
    #[serde(rename = "type")]
    kind: &'static str,
    categories: [&'static str; 1],
}

#[derive(Debug, Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Debug, Serialize)]
struct Lines {
    begin: usize,
}

/// The report, pretty-printed. A finding without a position is put on line 1 of site.toml, since
/// GitLab needs a file.
pub(super) fn render(findings: &Findings<'_>) -> serde_json::Result<String> {
    // How many times each (code, path, message) came before, so that the same finding twice in a
    // file gets two fingerprints, and each stays the same when lines above it move.
    let mut seen: HashMap<(&'static str, String, String), usize> = HashMap::new();
    let issues: Vec<Issue> = findings
        .diagnostics
        .sorted()
        .into_iter()
        .map(|d| {
            let code = d.code.unwrap_or(Code::Build).as_str();
            let (path, line) = match d.location.as_deref() {
                Some(l) => (findings.repo_path(&l.path), l.line),
                None => (findings.config_path(), 1),
            };
            let occurrence = seen
                .entry((code, path.clone(), d.message.clone()))
                .or_default();
            *occurrence += 1;
            let fingerprint = fingerprint(&[code, &path, &d.message, &occurrence.to_string()]);
            let description = match &d.help {
                Some(help) => format!("{} (help: {help})", d.message),
                None => d.message.clone(),
            };
            Issue {
                description,
                check_name: code,
                fingerprint,
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Note => "info",
                },
                location: IssueLocation {
                    path,
                    lines: Lines { begin: line },
                },
                kind: "issue",
                categories: [category(d.code.unwrap_or(Code::Build))],
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues)?;
    out.push('\n');
    Ok(out)
}

/// The Code Climate category (GitLab shows none, other readers of the format do).
fn category(code: Code) -> &'static str {
    match code {
        Code::DuplicateTitle => "Duplication",
        Code::OrphanPage
        | Code::FaqWithoutCategory
        | Code::PolicyWithoutOwner
        | Code::PolicyReviewOverdue
        | Code::PolicyReviewDue => "Clarity",
        Code::Compat => "Compatibility",
        _ => "Bug Risk",
    }
}

/// The SHA-256 of the parts, each ended by a NUL byte, in hex.
fn fingerprint(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
