//! `--format json`: one JSON document for scripts (its fields are in the README).

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;

use super::{Findings, slashed};
use crate::base::diag::{Code, Diagnostic};

/// The version of the JSON document; fields are only ever added within a version.
const JSON_VERSION: u32 = 1;

/// The JSON document `folio check --format json` prints.
#[derive(Debug, Serialize)]
struct Report<'a> {
    version: u32,
    ok: bool,
    summary: Summary,
    findings: Vec<Finding<'a>>,
}

#[derive(Debug, Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    notes: usize,
}

/// One diagnostic; `file`, `line`, `column` and `url` are null when it has no position or is
/// not about a page.
#[derive(Debug, Serialize)]
struct Finding<'a> {
    level: &'static str,
    code: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    url: Option<&'a str>,
}

/// The document, pretty-printed, with a final line break.
pub(super) fn render(findings: &Findings<'_>) -> serde_json::Result<String> {
    let diagnostics = findings.diagnostics;
    let report = Report {
        version: JSON_VERSION,
        ok: !diagnostics.has_errors(),
        summary: Summary {
            errors: diagnostics.error_count(),
            warnings: diagnostics.warning_count(),
            notes: diagnostics.note_count(),
        },
        findings: diagnostics
            .sorted()
            .into_iter()
            .map(|d| finding(d, findings.urls))
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&report)?;
    out.push('\n');
    Ok(out)
}

fn finding<'a>(d: &'a Diagnostic, urls: &'a HashMap<PathBuf, String>) -> Finding<'a> {
    let location = d.location.as_deref();
    Finding {
        level: d.severity.as_str(),
        code: d.code.unwrap_or(Code::Build).as_str(),
        message: &d.message,
        help: d.help.as_deref(),
        file: location.map(|l| slashed(&l.path)),
        line: location.map(|l| l.line),
        column: location.map(|l| l.column),
        url: location.and_then(|l| urls.get(&l.path)).map(String::as_str),
    }
}
