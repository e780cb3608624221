//! URLs and URL paths: a folder's URL path, a page's URL under the base path or base URL,
//! percent-encoding and decoding, resolving `.` and `..`, escaping text for HTML, and telling
//! the URLs that would run script.
//!
//! Every layer builds URLs the same way through these functions, so that a link written by the
//! link map, a template context and the dev server agree on what a path looks like.

use std::path::{Component, Path, PathBuf};

/// The URL path of a folder: `policies/legal/`, or `` for content/ itself.
pub fn folder_url(dir: &Path) -> String {
    let text = dir.to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        String::new()
    } else {
        format!("{text}/")
    }
}

/// The URL of `url_path` (`policies/usage/`) under `base`: a base path (`/handbook/`) gives a
/// site-relative URL, a base URL (`https://x.org/handbook/`) an absolute one.
pub fn site_url(base: &str, url_path: &str) -> String {
    format!("{base}{}", encode_path(url_path))
}

/// Percent-encodes a URL path, keeping `/` and the characters URLs allow unescaped.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b':'
            | b'@' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Resolves `.` and `..` without touching the file system; `None` when the path climbs out.
pub fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Some(out)
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Decodes `%XX` escapes (as in `#caf%C3%A9`); invalid escapes are kept as written.
pub fn percent_decode(text: &str) -> String {
    let (bytes, _) = percent_decode_bytes(text);
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// Decodes `%XX` escapes into bytes, keeping a `%` not followed by two hex digits as written;
/// the flag is false when there was such a `%`. Links are decoded leniently; the dev server
/// refuses request paths with a bad escape.
pub fn percent_decode_bytes(text: &str) -> (Vec<u8>, bool) {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut valid = true;
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' {
            if i + 3 <= bytes.len()
                && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
            {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            valid = false;
        }
        out.push(bytes[i]);
        i += 1;
    }
    (out, valid)
}

/// True for `https:`, `mailto:`, `tel:` and other URL schemes (but not a Windows drive letter).
pub fn has_scheme(dest: &str) -> bool {
    match dest.split_once(':') {
        Some((scheme, _)) => {
            scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// True for a URL that a browser would run as script, or open as a document of the writer's
/// choosing, when a reader follows it: `javascript:`, `vbscript:`, and `data:` other than an
/// image (nor an SVG image outside `<img>`, where its script would run). The scheme is read as
/// browsers read it: case aside, after dropping tabs and line breaks anywhere and control
/// characters and spaces around it (`java&#x09;script:` is `javascript:` once Markdown has
/// decoded the entity).
pub fn is_unsafe_url(url: &str, in_img: bool) -> bool {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if !has_scheme(&cleaned) {
        return false;
    }
    let (scheme, rest) = cleaned.split_once(':').unwrap_or_default();
    match scheme.to_ascii_lowercase().as_str() {
        "javascript" | "vbscript" => true,
        "data" => {
            let media_type = rest.trim_start().to_ascii_lowercase();
            let image = media_type.starts_with("image/");
            !image || (!in_img && media_type.starts_with("image/svg"))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_that_run_script_are_found_however_written() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:x",
            "\u{1}javascript:x",
            "java\tscript:x",
            "java\nscript:x",
            "vbscript:msgbox(1)",
            "data:text/html,<script>x</script>",
            "DATA:text/html;base64,PHNjcmlwdD4=",
            "data:,x",
            "data:image/svg+xml,<svg onload=x>",
        ] {
            assert!(is_unsafe_url(url, false), "{url:?}");
        }
        assert!(is_unsafe_url("javascript:x", true));
        for url in [
            "https://example.org/javascript:x",
            "/javascript:x",
            "javascript%3Ax",
            "%6Aavascript:x",
            "java script:x",
            "mailto:ospo@example.org",
            "data:image/png;base64,AA",
            "../policies/usage.md",
        ] {
            assert!(!is_unsafe_url(url, false), "{url:?}");
        }
        assert!(!is_unsafe_url("data:image/svg+xml,<svg/>", true));
    }

    #[test]
    fn paths_are_encoded() {
        assert_eq!(encode_path("a b/ü?#"), "a%20b/%C3%BC%3F%23");
    }

    #[test]
    fn percent_decoding_handles_utf8_and_bad_escapes() {
        assert_eq!(percent_decode("caf%C3%A9"), "café");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("end%20"), "end ");
        assert_eq!(percent_decode("%2"), "%2");
    }
}
