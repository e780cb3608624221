//! `--format text`: the diagnostics as `folio build` prints them, then one summary line.

use super::Findings;

/// The diagnostics (in colour when `styled`) and the summary line.
pub(super) fn render(findings: &Findings<'_>, styled: bool) -> String {
    let mut out = findings.diagnostics.render(styled);
    out.push_str(&findings.summary_line());
    out.push('\n');
    out
}
