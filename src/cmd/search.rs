//! `folio search`: query the index of the last build, without rebuilding.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::SearchArgs;
use crate::input::config::Config;
use crate::search::query::{Hit, Request, SearchIndex, check_nesting};
use crate::search::{self};

/// Prints the best pages for the query, each with its best match and up to three more matching
/// sections beneath; exit code 1 when nothing matched or the query cannot
/// be read (one nested too deeply among them), 2 for `--limit 0`.
pub(super) fn run(args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let stderr = std::io::stderr();
    if args.limit == 0 {
        // Room for no results is a slip, not a search: a usage error, as `limit=0` is a 400
        // from the API.
        writeln!(
            stderr.lock(),
            "error: `--limit 0` leaves room for no results: give 1 or more"
        )?;
        return Ok(ExitCode::from(2));
    }
    // Before anything else, as the API does: a query too deeply nested is never read.
    check_nesting(&args.query)?;
    let config = match Config::load(&args.root) {
        Ok(config) => config,
        Err(errors) => {
            let mut diagnostics = crate::base::diag::Diagnostics::default();
            diagnostics.extend(errors);
            write!(
                stderr.lock(),
                "{}",
                diagnostics.render(stderr.is_terminal())
            )?;
            return Ok(ExitCode::from(1));
        }
    };
    let output = args.output.clone().unwrap_or(config.output_dir.clone());
    let version = match &args.lang {
        None => search::Version::default_of(&config),
        Some(code) => match search::Version::of(&config, code) {
            Some(version) => version,
            None => {
                writeln!(stderr.lock(), "error: {}", unknown_language(&config, code))?;
                return Ok(ExitCode::from(2));
            }
        },
    };
    let index = SearchIndex::open(&version.index_dir(&output))?;
    let hits = index.search(&Request {
        query: args.query.clone(),
        kind: args.kind.clone(),
        tag: args.tag.clone(),
        limit: args.limit,
        prefix: false,
    })?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&hits)?)?;
    } else if hits.is_empty() {
        writeln!(stderr.lock(), "No results for `{}`.", args.query)?;
    } else {
        let marks = if stdout.is_terminal() {
            ("\x1b[1;33m", "\x1b[0m")
        } else {
            ("**", "**")
        };
        for (n, hit) in hits.iter().enumerate() {
            print_hit(&mut out, n + 1, hit, marks)?;
        }
    }
    Ok(if hits.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The message for a `--lang` the site does not have.
fn unknown_language(config: &Config, code: &str) -> String {
    let known: Vec<String> = search::Version::all(config)
        .into_iter()
        .map(|v| format!("`{}`", v.language))
        .collect();
    format!(
        "the site has no language `{code}`; its languages: {}",
        known.join(", ")
    )
}

/// One page's result: its best match as a numbered entry, then the page's other matching
/// sections indented beneath it, each with its URL and snippet.
fn print_hit(
    out: &mut impl Write,
    n: usize,
    hit: &Hit,
    marks: (&str, &str),
) -> std::io::Result<()> {
    let title = match &hit.page_title {
        Some(page) => format!("{page} › {}", hit.title),
        None => hit.title.clone(),
    };
    writeln!(out, "{n}. {title}  [{}]", hit.kind)?;
    writeln!(out, "   {}", hit.url)?;
    let snippet = one_line(&highlight(&hit.snippet, &hit.highlights, marks));
    if !snippet.is_empty() {
        writeln!(out, "   {snippet}")?;
    }
    for section in &hit.sections {
        writeln!(out, "   - {}  {}", section.title, section.url)?;
        let snippet = one_line(&highlight(&section.snippet, &section.highlights, marks));
        if !snippet.is_empty() {
            writeln!(out, "     {snippet}")?;
        }
    }
    writeln!(out)
}

/// `text` on one line, its runs of white space made single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` with each highlighted byte range wrapped in `marks`.
fn highlight(text: &str, ranges: &[(usize, usize)], (open, close): (&str, &str)) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut at = 0;
    for &(start, end) in ranges {
        if start < at || end > text.len() {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(open);
        out.push_str(&text[start..end]);
        out.push_str(close);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}
