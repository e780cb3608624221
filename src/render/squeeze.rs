//! Drops the whitespace templates leave between lines: their indentation and the blank lines of
//! `{% include %}` and `{% if %}` tags. Templates stay indented for the people who read and
//! override them, and pages are a few hundred bytes lighter each (a 10,000-page handbook carries
//! several megabytes of it otherwise).
//!
//! A run of spaces, tabs and line breaks that holds a line break becomes one line break; a run
//! without one is left as it is. Both are the same to a browser wherever whitespace collapses,
//! which is everywhere but `<pre>`, `<textarea>`, `<script>` and `<style>`: what those hold is
//! copied as it is. A run between two tags of block elements ([`BLOCK`]: `<ul>` and `<li>`,
//! `</li>` and `</ul>`, `<meta>` and `<link>`) goes altogether: a browser lays out no whitespace
//! between blocks, and a page has a hundred or more such line breaks. Between an end tag and a
//! start tag (`</p>` and `<p>`) it stays a line break, so the text of the two does not run
//! together in the DOM's text (`textContent`); next to an inline element (`<a>`, `<span>`,
//! `<img>`, `<button>`), or text, it stays too, as it may show as a space there.
//! Within a start tag, whitespace between attributes is one space.

/// The elements whose content keeps its whitespace.
const KEPT: [&str; 4] = ["pre", "textarea", "script", "style"];

/// The elements a browser lays out as blocks (or not at all), between which whitespace shows
/// nothing. None of them is made inline by the default theme's stylesheet; where one sits in a
/// flex or grid container, whitespace between items shows nothing either.
const BLOCK: [&str; 51] = [
    "!doctype",
    "html",
    "head",
    "body",
    "meta",
    "link",
    "title",
    "base",
    "script",
    "style",
    "header",
    "footer",
    "nav",
    "main",
    "article",
    "section",
    "aside",
    "div",
    "p",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "colgroup",
    "col",
    "form",
    "fieldset",
    "details",
    "summary",
    "figure",
    "figcaption",
    "blockquote",
    "hr",
    "pre",
    "address",
];

/// `html` with each run of whitespace that holds a line break made one line break, outside
/// `<pre>`, `<textarea>`, `<script>` and `<style>`.
pub(super) fn squeeze(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some((start, name)) = next_kept(rest) {
        squeeze_text(&rest[..start], &rest[start..], &mut out);
        let kept = &rest[start..];
        let end = close_of(kept, name).unwrap_or(kept.len());
        out.push_str(&kept[..end]);
        rest = &kept[end..];
    }
    squeeze_text(rest, "", &mut out);
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

/// Copies `text` into `out`, each run of whitespace that holds a line break made one `\n`, or
/// nothing when it sits between two tags of [`BLOCK`] elements but not between an end tag and a
/// start tag (the tag before is the end of `out`, the one after may open `next`, what follows
/// `text`). Within a start tag, each run of
/// whitespace between its name and attributes becomes one space (`<p      class="x">`, as raw
/// HTML copied from other generators' templates often has it); quoted values are kept whole.
fn squeeze_text(text: &str, next: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\n' => {
                let mut start = at;
                while start > copied && matches!(bytes[start - 1], b' ' | b'\t' | b'\r') {
                    start -= 1;
                }
                let mut end = at + 1;
                while end < bytes.len() && matches!(bytes[end], b' ' | b'\t' | b'\r' | b'\n') {
                    end += 1;
                }
                out.push_str(&text[copied..start]);
                let after = if end < text.len() { &text[end..] } else { next };
                let drop = match (last_block_tag(out), block_tag(after)) {
                    // `</p>` and `<p>`: text on either side would run together in the DOM's
                    // text (what `textContent` reads, and tools that copy it), so it stays.
                    (Some(before), Some(next)) => !(before == Tag::End && next == Tag::Start),
                    _ => false,
                };
                if !drop {
                    out.push('\n');
                }
                copied = end;
                at = end;
            }
            b'<' if bytes.get(at + 1).is_some_and(u8::is_ascii_alphabetic) => {
                at = squeeze_tag(text, at + 1, &mut copied, out);
            }
            _ => at += 1,
        }
    }
    out.push_str(&text[copied..]);
}

/// Walks the start tag whose name begins at `from` in `text` up to its `>`, making each run of
/// whitespace outside quotes one space (copying into `out` what comes before it, from
/// `copied`); returns where the tag ends.
fn squeeze_tag(text: &str, from: usize, copied: &mut usize, out: &mut String) -> usize {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        match bytes[at] {
            b'>' => return at + 1,
            quote @ (b'"' | b'\'') => {
                at = text[at + 1..]
                    .find(quote as char)
                    .map_or(bytes.len(), |end| at + 1 + end + 1);
            }
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {
                let mut end = at + 1;
                while end < bytes.len()
                    && matches!(bytes[end], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
                {
                    end += 1;
                }
                if end - at > 1 || bytes[at] != b' ' {
                    out.push_str(&text[*copied..at]);
                    out.push(' ');
                    *copied = end;
                }
                at = end;
            }
            _ => at += 1,
        }
    }
    at
}

/// Whether a tag opens (or is void) or closes an element.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    Start,
    End,
}

/// The kind of the tag that ends `html`, when it is one of a [`BLOCK`] element. It is the
/// last `<` of the last line up to the final `>`, with no other `>` between: a squeezed start
/// tag holds no line break, and text that ends with `>` (`x -> y>`) is no tag. Looking further
/// back, at every line break of a long text whose lines end with `>`, made squeezing quadratic.
fn last_block_tag(html: &str) -> Option<Tag> {
    let body = html.strip_suffix('>')?;
    let start = body.rfind(['<', '\n'])?;
    if body[start..].contains('>') {
        return None;
    }
    block_tag(&html[start..])
}

/// The kind of the tag that starts `html`, when it is one of a [`BLOCK`] element.
fn block_tag(html: &str) -> Option<Tag> {
    let tag = html.strip_prefix('<')?;
    let (kind, name) = match tag.strip_prefix('/') {
        Some(name) => (Tag::End, name),
        None => (Tag::Start, tag),
    };
    BLOCK
        .iter()
        .any(|block| starts_with_tag(name.as_bytes(), block))
        .then_some(kind)
}

#[cfg(test)]
mod tests {
    use super::squeeze;

    #[test]
    fn indentation_and_blank_lines_go() {
        assert_eq!(
            squeeze("<ul>\n  <li>a</li>  \n\n    <li>b c</li>\n</ul>\n"),
            "<ul><li>a</li>\n<li>b c</li></ul>\n"
        );
    }

    #[test]
    fn text_that_ends_with_a_closing_bracket_is_no_tag() {
        // Raw HTML may hold `>` as it is: the line break after such text stays, as after any.
        assert_eq!(squeeze("<div>x -> y>\n  </div>"), "<div>x -> y>\n</div>");
        let long = format!("<div>{}</div>", "x -> y>\n".repeat(3));
        assert_eq!(squeeze(&long), long);
    }

    #[test]
    fn a_line_break_next_to_inline_elements_or_text_stays() {
        assert_eq!(
            squeeze("<p>\n  <a href=\"/\">a</a>\n  <a href=\"/b\">b</a>\n</p>\n<div>x\n</div>"),
            "<p>\n<a href=\"/\">a</a>\n<a href=\"/b\">b</a>\n</p>\n<div>x\n</div>"
        );
        assert_eq!(
            squeeze("<button>\n  <span class=\"icon\"></span>\n  <span>Menu</span>\n</button>"),
            "<button>\n<span class=\"icon\"></span>\n<span>Menu</span>\n</button>"
        );
    }

    #[test]
    fn whitespace_between_a_tag_s_attributes_becomes_one_space() {
        assert_eq!(
            squeeze(
                "<aside              class=\"q\">x  y</aside>\n<p\n   class=\"a  b\"\ttitle='c   d' >z</p>"
            ),
            "<aside class=\"q\">x  y</aside>\n<p class=\"a  b\" title='c   d' >z</p>"
        );
        // Not a tag: `<` without a name after it; an unclosed tag or quote runs to the end.
        assert_eq!(
            squeeze("a <  b <!--  c  --> <p  x=\"  "),
            "a <  b <!--  c  --> <p x=\"  "
        );
    }

    #[test]
    fn only_whole_tag_names_of_blocks_count() {
        // `<pa-x>` and `<header-x>` are custom (inline) elements, `<b>` is not `<body>`.
        assert_eq!(
            squeeze("<p>a</p>\n<pa-x>b</pa-x>\n<header-x></header-x>\n<B>c</B>\n<P>d</P>\n</DIV>"),
            "<p>a</p>\n<pa-x>b</pa-x>\n<header-x></header-x>\n<B>c</B>\n<P>d</P></DIV>"
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
            "<div><PRE class=\"code\">a\n    b\n\n</PRE>\n<textarea>\n  x</textarea>\n\
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
        assert_eq!(squeeze("<div>\n<pre>\n  b"), "<div><pre>\n  b");
    }

    #[test]
    fn text_without_line_breaks_and_non_ascii_text_are_unchanged() {
        assert_eq!(squeeze("é  ü <b>ß</b>"), "é  ü <b>ß</b>");
        assert_eq!(squeeze("é\n   ü"), "é\nü");
    }
}
