//! `--format github`: one GitHub Actions workflow command a finding (`::error`, `::warning`,
//! `::notice`), which GitHub shows on the line of the pull request's diff and in the run's
//! summary:
//!
//! ```text
//! ::error file=content/a.md,line=3,endLine=3,col=9,endColumn=17,title=broken-link::link to a missing page `gone.md`%0A%0Ahelp: …
//! ```
//!
//! Escaping follows `@actions/core`: `%`, CR and LF in the message; those and `:` and `,` in
//! property values.

use std::fmt::Write as _;

use super::Findings;
use crate::base::diag::{Code, Severity};

/// Every finding as a workflow command, sorted by file and position.
pub(super) fn render(findings: &Findings<'_>) -> String {
    let mut out = String::new();
    for d in findings.diagnostics.sorted() {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut properties: Vec<(&str, String)> = Vec::new();
        if let Some(l) = d.location.as_deref() {
            properties.extend([
                ("file", findings.repo_path(&l.path)),
                ("line", l.line.to_string()),
                ("endLine", l.line.to_string()),
                ("col", l.column.to_string()),
                // Inclusive, as in the Checks API: one character is col = endColumn.
                (
                    "endColumn",
                    (l.column + l.width)
                        .saturating_sub(1)
                        .max(l.column)
                        .to_string(),
                ),
            ]);
        }
        properties.push(("title", d.code.unwrap_or(Code::Build).as_str().to_string()));
        let properties: Vec<String> = properties
            .iter()
            .map(|(key, value)| format!("{key}={}", escape_property(value)))
            .collect();
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            let _ = write!(message, "\n\nhelp: {help}");
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            escape_data(&message)
        );
    }
    out
}

/// A message as GitHub reads it back: `%`, CR and LF escaped.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: the message's escapes plus `:` and `,`, which end a value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_actions_toolkit() {
        assert_eq!(
            escape_data("50% done\r\nnext: a,b"),
            "50%25 done%0D%0Anext: a,b"
        );
        assert_eq!(escape_property("C:\\a,b%\n"), "C%3A\\a%2Cb%25%0A");
    }
}
