//! `folio check`: everything a build checks plus handbook hygiene, printed as text or as one
//! JSON document for CI. Writes nothing.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use crate::base::diag::{Code, Diagnostic, Diagnostics, Severity, plural};
use crate::build::{self, BuildOptions};
use crate::cli::{CheckArgs, CheckFormat};

/// The version of the JSON document; fields are only ever added within a version.
const JSON_VERSION: u32 = 1;

/// Checks the site; exit code 1 on an error (or, with `--strict`, a warning).
pub(super) fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let options = BuildOptions {
        root: args.root.clone(),
        drafts: args.drafts,
        audience: args.audience.map(Into::into),
        ..BuildOptions::default()
    };
    let report = build::check(&options);
    let diagnostics = if args.strict {
        strict(report.diagnostics)
    } else {
        report.diagnostics
    };
    match args.format {
        CheckFormat::Text => print_text(&diagnostics, report.urls.len())?,
        CheckFormat::Json => print_json(&diagnostics, &report.urls)?,
    }
    Ok(if diagnostics.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--strict`: every warning becomes an error; notes stay notes, since nothing is wrong yet.
fn strict(diagnostics: Diagnostics) -> Diagnostics {
    let mut promoted = Diagnostics::new();
    promoted.extend(diagnostics.into_iter().map(|mut d| {
        if d.severity == Severity::Warning {
            d.severity = Severity::Error;
        }
        d
    }));
    promoted
}

/// "2 errors, 1 warning, 0 notes".
fn summary(diagnostics: &Diagnostics) -> String {
    format!(
        "{}, {}",
        diagnostics.summary(),
        plural(diagnostics.note_count(), "note")
    )
}

/// The diagnostics on stderr as `folio build` prints them, then one summary line.
fn print_text(diagnostics: &Diagnostics, pages: usize) -> std::io::Result<()> {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    write!(err, "{}", diagnostics.render(stderr.is_terminal()))?;
    if diagnostics.has_errors() {
        writeln!(err, "error: check failed: {}", summary(diagnostics))
    } else {
        writeln!(
            err,
            "Checked {}: {}",
            plural(pages, "page"),
            summary(diagnostics)
        )
    }
}

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
    /// The other places the same problem is found at (a link to a missing page from many
    /// pages is one finding), each `{"file", "line", "column"}`; empty for most.
    also_at: Vec<Place>,
}

/// One of the other places of a finding.
#[derive(Debug, Serialize)]
struct Place {
    file: String,
    line: usize,
    column: usize,
}

fn print_json(diagnostics: &Diagnostics, urls: &HashMap<PathBuf, String>) -> std::io::Result<()> {
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
            .map(|d| finding(d, urls))
            .collect(),
    };
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &report)?;
    writeln!(out)
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
        also_at: d
            .more_places
            .iter()
            .map(|l| Place {
                file: slashed(&l.path),
                line: l.line,
                column: l.column,
            })
            .collect(),
    }
}

/// A path with `/` separators on every platform, so the JSON is the same everywhere.
fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
