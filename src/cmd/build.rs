//! `folio build`: build the site once and report what was found.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use crate::base::diag::{Severity, plural};
use crate::base::progress::Progress;
use crate::build::{self, BuildOptions};
use crate::cli::BuildArgs;
use crate::search::SearchReport;

/// Builds the site; exit code 1 when there were errors (the previous output is then untouched).
pub(super) fn run(args: &BuildArgs) -> anyhow::Result<ExitCode> {
    let options = BuildOptions {
        root: args.root.clone(),
        output: args.output.clone(),
        drafts: args.drafts,
        audience: args.audience.map(Into::into),
        base_url: args.base_url.clone(),
        progress: Progress::on_terminal(args.quiet),
    };
    let report = build::build(&options);
    options.progress.finish();
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let diagnostics = &report.diagnostics;
    write!(err, "{}", diagnostics.render(stderr.is_terminal()))?;
    if report.succeeded() {
        if args.quiet {
            return Ok(ExitCode::SUCCESS);
        }
        let warnings = match diagnostics.warning_count() {
            0 => String::new(),
            _ => format!(" with {}", diagnostics.counted(Severity::Warning)),
        };
        let documents = report.search.as_ref().map_or(0, |s| s.export.documents);
        writeln!(
            err,
            "Built {} ({}) and {} into {} in {} ms{warnings}",
            plural(report.pages, "page"),
            plural(report.sections, "section"),
            plural(documents as usize, "search document"),
            report
                .output
                .strip_prefix(".")
                .unwrap_or(&report.output)
                .display(),
            report.elapsed.as_millis()
        )?;
        if args.timings
            && let Some(search) = &report.search
        {
            print_search_timings(&mut err, report.elapsed, search)?;
        }
        if args.timings
            && let Some(history) = &report.history
        {
            writeln!(
                err,
                "  git history: {} ms, of which the build waited {} ms",
                history.read.as_millis(),
                history.waited.as_millis()
            )?;
        }
        Ok(ExitCode::SUCCESS)
    } else {
        writeln!(
            err,
            "error: build failed: {}; the previous output was left as it was",
            diagnostics.summary()
        )?;
        Ok(ExitCode::from(1))
    }
}

/// The search part of the build, in milliseconds and bytes, one `key: value` per line.
fn print_search_timings(
    err: &mut impl Write,
    total: std::time::Duration,
    search: &SearchReport,
) -> std::io::Result<()> {
    let export = &search.export;
    writeln!(err, "  total build: {} ms", total.as_millis())?;
    writeln!(err, "  search index: {} ms", search.index_time.as_millis())?;
    writeln!(
        err,
        "  search export: {} ms",
        search.export_time.as_millis()
    )?;
    writeln!(err, "  index size: {} bytes", search.index_bytes)?;
    writeln!(
        err,
        "  export size: {} bytes in {} files ({} documents, {} terms, {} word forms, {} shards)",
        export.bytes, export.files, export.documents, export.terms, export.forms, export.shards
    )
}
