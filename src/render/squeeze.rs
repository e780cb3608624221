//! Drops the whitespace templates leave between lines: their indentation and the blank lines of
//! `{% include %}` and `{% if %}` tags. Templates stay indented for the people who read and
//! override them, and pages are a few hundred bytes lighter each (a 10,000-page handbook carries
//! several megabytes of it otherwise).
//!
//! A run of spaces, tabs and line breaks that holds a line break becomes one line break; a run
//! without one is left as it is. Both are the same to a browser wherever whitespace collapses,
//! which is everywhere but `<pre>`, `<textarea>`, `<script>` and `<style>`: what those hold is
//! copied as it is.

/// The elements whose content keeps its whitespace.
const KEPT: [&str; 4] = ["pre", "textarea", "script", "style"];

/// `html` with each run of whitespace that holds a line break made one line break, outside
/// `<pre>`, `<textarea>`, `<script>` and `<style>`.
pub(super) fn squeeze(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some((start, name)) = next_kept(rest) {
        squeeze_text(&rest[..start], &mut out);
        let kept = &rest[start..];
        let end = close_of(kept, name).unwrap_or(kept.len());
        out.push_str(&kept[..end]);
        rest = &kept[end..];
    }
    squeeze_text(rest, &mut out);
    out
}

/// Where the next element of [`KEPT`] opens in `html`, and its name.
fn next_kept(html: &str) -> Option<(usize, &'static str)> {
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(at) = html[from..].find('<') {
        let start = from + at;
        let after = &bytes[start + 1..];
        for name in KEPT {
            if starts_with_tag(after, name) {
                return Some((start, name));
            }
        }
        from = start + 1;
    }
    None
}

/// True when `bytes` start with the tag name `name` (any case), followed by the end of the
/// name: `>`, `/`, whitespace or the end of the text.
fn starts_with_tag(bytes: &[u8], name: &str) -> bool {
    bytes.len() >= name.len()
        && bytes[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        && bytes
            .get(name.len())
            .is_none_or(|b| matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
}

/// The end of the closing tag of `name` in `html` (which opens with that element), just past
/// its `>`.
fn close_of(html: &str, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut from = 1;
    while let Some(at) = html[from..].find("</") {
        let start = from + at;
        if starts_with_tag(&bytes[start + 2..], name) {
            let end = html[start..]
                .find('>')
                .map_or(html.len(), |e| start + e + 1);
            return Some(end);
        }
        from = start + 2;
    }
    None
}

/// Copies `text` into `out`, each run of whitespace that holds a line break made one `\n`.
fn squeeze_text(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut from = 0;
    while let Some(at) = text[from..].find('\n') {
        let newline = from + at;
        let mut start = newline;
        while start > copied && matches!(bytes[start - 1], b' ' | b'\t' | b'\r') {
            start -= 1;
        }
        let mut end = newline + 1;
        while end < bytes.len() && matches!(bytes[end], b' ' | b'\t' | b'\r' | b'\n') {
            end += 1;
        }
        out.push_str(&text[copied..start]);
        out.push('\n');
        copied = end;
        from = end;
    }
    out.push_str(&text[copied..]);
}

#[cfg(test)]
mod tests {
    use super::squeeze;

    #[test]
    fn indentation_and_blank_lines_go() {
        assert_eq!(
            squeeze("<ul>\n  <li>a</li>  \n\n    <li>b c</li>\n</ul>\n"),
            "<ul>\n<li>a</li>\n<li>b c</li>\n</ul>\n"
        );
    }

    #[test]
    fn spaces_within_a_line_stay() {
        assert_eq!(squeeze("<p>a  b\tc</p>"), "<p>a  b\tc</p>");
    }

    #[test]
    fn preformatted_text_scripts_and_styles_keep_their_whitespace() {
        let html = "<div>\n  <PRE class=\"code\">a\n    b\n\n</PRE>\n  <textarea>\n  x</textarea>\n  \
                    <script>\n  var s = `\n    y`;\n</script>\n  <style>\n  p {}\n</style>\n  <p>\n  z</p>";
        assert_eq!(
            squeeze(html),
            "<div>\n<PRE class=\"code\">a\n    b\n\n</PRE>\n<textarea>\n  x</textarea>\n\
             <script>\n  var s = `\n    y`;\n</script>\n<style>\n  p {}\n</style>\n<p>\nz</p>"
        );
    }

    #[test]
    fn names_that_only_start_like_a_kept_element_are_squeezed() {
        assert_eq!(
            squeeze("<press>\n  a</press><prefix/>\n  b"),
            "<press>\na</press><prefix/>\nb"
        );
    }

    #[test]
    fn an_unclosed_pre_keeps_the_rest() {
        assert_eq!(squeeze("<p>\n  a</p><pre>\n  b"), "<p>\na</p><pre>\n  b");
    }

    #[test]
    fn text_without_line_breaks_and_non_ascii_text_are_unchanged() {
        assert_eq!(squeeze("é  ü <b>ß</b>"), "é  ü <b>ß</b>");
        assert_eq!(squeeze("é\n   ü"), "é\nü");
    }
}
