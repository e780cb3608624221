//! `folio check`: everything a build checks plus handbook hygiene, writing nothing. The findings
//! are printed in one of five formats, one module each: `text` (as `folio build` prints), `json`
//! (for scripts), and for CI `github` (workflow commands that annotate a pull request's lines),
//! `gitlab` (a Code Quality report) and `markdown` (a job summary or review comment).

mod github;
mod gitlab;
mod json;
mod markdown;
mod text;

use std::collections::HashMap;
use std::fs;
use std::io::{IsTerminal, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::base::diag::{Diagnostics, Severity, plural};
use crate::build::{self, BuildOptions};
use crate::cli::{CheckArgs, CheckFormat};
use crate::content::hygiene::Review;
use crate::input::config::CONFIG_FILE;

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
    let findings = Findings {
        diagnostics: &diagnostics,
        urls: &report.urls,
        reviews: &report.reviews,
        root: &args.root,
        pages: report.urls.len(),
    };
    let styled = args.output_file.is_none() && std::io::stderr().is_terminal();
    let text = match args.format {
        CheckFormat::Text => text::render(&findings, styled),
        CheckFormat::Json => json::render(&findings)?,
        CheckFormat::Github => github::render(&findings),
        CheckFormat::Gitlab => gitlab::render(&findings)?,
        CheckFormat::Markdown => markdown::render(&findings, &markdown::LinkBase::from_env()),
    };
    match &args.output_file {
        Some(path) => fs::write(path, &text)
            .with_context(|| format!("cannot write the report to `{}`", path.display()))?,
        None if args.format == CheckFormat::Text => {
            std::io::stderr().lock().write_all(text.as_bytes())?
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    // A CI log shows how the check went, whatever the format; JSON on stdout stays alone.
    let quiet = args.format == CheckFormat::Json || args.format == CheckFormat::Text;
    if !quiet || args.output_file.is_some() {
        let mut line = findings.summary_line();
        if let Some(path) = &args.output_file {
            line.push_str(&format!(" (report in {})", path.display()));
        }
        writeln!(std::io::stderr().lock(), "{line}")?;
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

/// What every format prints from.
struct Findings<'a> {
    /// Every finding, after `--strict`.
    diagnostics: &'a Diagnostics,
    /// The site-relative URL of each page, by the path diagnostics show.
    urls: &'a HashMap<PathBuf, String>,
    /// The policies whose review is overdue or due soon.
    reviews: &'a [Review],
    /// The site folder as given with `--root`.
    root: &'a Path,
    /// Pages checked.
    pages: usize,
}

impl Findings<'_> {
    /// "2 errors, 1 warning, 0 notes".
    fn summary(&self) -> String {
        format!(
            "{}, {}",
            self.diagnostics.summary(),
            plural(self.diagnostics.note_count(), "note")
        )
    }

    /// "Checked 14 pages: 0 errors, 1 warning, 1 note", or "error: check failed: …".
    fn summary_line(&self) -> String {
        if self.diagnostics.has_errors() {
            format!("error: check failed: {}", self.summary())
        } else {
            format!("Checked {}: {}", plural(self.pages, "page"), self.summary())
        }
    }

    /// The path of a finding's file as GitHub and GitLab want it: from the folder the check runs
    /// in (the repository's top folder, in CI), so `--root` comes first (`handbook/content/a.md`).
    /// A path outside that folder stays absolute.
    fn repo_path(&self, path: &Path) -> String {
        // `site/../docs/a.md` (a content_dir outside the site's folder) is `docs/a.md` to a
        // tool that matches files by their path in the repository.
        let full = crate::base::output::normalize(&self.root.join(path));
        let shown = match std::env::current_dir() {
            Ok(here) if full.is_absolute() => full
                .strip_prefix(here)
                .map_or_else(|_| full.clone(), Path::to_path_buf),
            _ => full,
        };
        let clean: PathBuf = shown
            .components()
            .filter(|c| *c != Component::CurDir)
            .collect();
        slashed(&clean)
    }

    /// Where a finding without a position is reported to tools that need a file: site.toml.
    fn config_path(&self) -> String {
        self.repo_path(Path::new(CONFIG_FILE))
    }
}

/// A path with `/` separators on every platform, so the reports are the same everywhere.
fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
