//! Mapping a request path to a file of the served output, and a file to its content type.
//!
//! This is the dev server's security boundary: only files under the output folder are ever
//! returned. Every path segment is percent-decoded on its own, and a segment that decodes to
//! `.` or `..`, or holds a slash, a backslash or a NUL byte, refuses the whole request, so
//! neither `/../`, `/%2e%2e/`, `/a%2f..%2f..` nor `/..%5c` can climb out. What is found is then
//! canonicalized and must still lie under the canonical output folder, which refuses symlinks
//! that point out of it.

use std::fs;
use std::path::{Component, Path, PathBuf};

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file inside the output (canonical path).
    File(PathBuf),
    /// A folder with an `index.html`, asked for without the trailing slash: redirect to this
    /// path, which is the request's own path with a slash added.
    Redirect(String),
    /// Nothing there (or something outside the output, which is not told apart on purpose).
    NotFound,
    /// A malformed path or a traversal attempt.
    BadRequest,
}

/// Resolves `raw_path`, the path of a request target as sent (percent-encoded, without the
/// query), against the output folder `root`. Public so that the fuzz target and its CI replay can
/// check the boundary from outside the crate.
pub fn resolve(root: &Path, raw_path: &str) -> Resolved {
    let Some(segments) = segments(raw_path) else {
        return Resolved::BadRequest;
    };
    let Ok(root) = root.canonicalize() else {
        return Resolved::NotFound;
    };
    let mut path = root.clone();
    path.extend(segments.iter().map(|(_, decoded)| decoded));
    let Some(found) = inside(&root, &path) else {
        return Resolved::NotFound;
    };
    if found.is_file() {
        return Resolved::File(found);
    }
    let index = inside(&root, &found.join("index.html")).filter(|p| p.is_file());
    match index {
        Some(index) if raw_path.ends_with('/') => Resolved::File(index),
        Some(_) => {
            // Built from the checked segments, never from the raw path: a path like `//host`
            // must not become a protocol-relative redirect to another site.
            let raw: Vec<&str> = segments.iter().map(|(raw, _)| *raw).collect();
            Resolved::Redirect(format!("/{}/", raw.join("/")))
        }
        None => Resolved::NotFound,
    }
}

/// The non-empty segments of `raw_path`, each raw and decoded; `None` for a path that does not
/// start with `/` or has a segment that is not one plain file name once decoded.
fn segments(raw_path: &str) -> Option<Vec<(&str, String)>> {
    if !raw_path.starts_with('/') {
        return None;
    }
    raw_path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .map(|raw| Some((raw, plain_name(raw)?)))
        .collect()
}

/// `raw` decoded, when it is exactly one normal path component: not `.` or `..`, without `/`,
/// `\` or NUL, and without a Windows drive prefix.
fn plain_name(raw: &str) -> Option<String> {
    let decoded = String::from_utf8(percent_decode(raw)?).ok()?;
    if decoded.contains(['/', '\\', '\0']) {
        return None;
    }
    let mut components = Path::new(&decoded).components();
    match (components.next(), components.next()) {
        (Some(Component::Normal(name)), None) if name == decoded.as_str() => Some(decoded),
        _ => None,
    }
}

/// The canonical form of `path` when it exists and lies under `root` (already canonical).
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let canonical = fs::canonicalize(path).ok()?;
    canonical.starts_with(root).then_some(canonical)
}

/// Decodes `%XX` escapes; `None` when a `%` is not followed by two hex digits.
pub(crate) fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let (bytes, valid) = crate::base::url::percent_decode_bytes(text);
    valid.then_some(bytes)
}

/// The `Content-Type` of a file, from its extension. Text types say they are UTF-8, which is
/// what Folio writes; anything unknown (the search export's `.bin` files among them) is bytes.
pub(crate) fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

/// True for HTML, the only responses the live-reload script is injected into.
pub(crate) fn is_html(path: &Path) -> bool {
    content_type(path).starts_with("text/html")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir_all(out.join("a/b")).unwrap();
        fs::create_dir_all(out.join("empty")).unwrap();
        fs::write(out.join("index.html"), "home").unwrap();
        fs::write(out.join("a/b/index.html"), "b").unwrap();
        fs::write(out.join("a/file name.txt"), "spaced").unwrap();
        fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
        (tmp, out)
    }

    fn file(out: &Path, rel: &str) -> Resolved {
        Resolved::File(out.canonicalize().unwrap().join(rel))
    }

    #[test]
    fn pretty_urls_map_to_index_files() {
        let (_tmp, out) = site();
        assert_eq!(resolve(&out, "/"), file(&out, "index.html"));
        assert_eq!(resolve(&out, "/a/b/"), file(&out, "a/b/index.html"));
        assert_eq!(resolve(&out, "/a//b/"), file(&out, "a/b/index.html"));
        assert_eq!(resolve(&out, "/a/b"), Resolved::Redirect("/a/b/".into()));
        assert_eq!(resolve(&out, "//a/b"), Resolved::Redirect("/a/b/".into()));
        assert_eq!(
            resolve(&out, "/a/file%20name.txt"),
            file(&out, "a/file name.txt")
        );
        assert_eq!(resolve(&out, "/a/"), Resolved::NotFound);
        assert_eq!(resolve(&out, "/empty"), Resolved::NotFound);
        assert_eq!(resolve(&out, "/missing.css"), Resolved::NotFound);
    }

    #[test]
    fn traversal_is_refused() {
        let (_tmp, out) = site();
        for path in [
            "/../secret.txt",
            "/a/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/a%2f..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "/./index.html",
            "/a%00.txt",
            "/bad%zz",
            "/bad%2",
            "secret.txt",
            "http://host/secret.txt",
        ] {
            assert_eq!(resolve(&out, path), Resolved::BadRequest, "{path}");
        }
        let absolute = format!("/{}", out.parent().unwrap().join("secret.txt").display());
        assert_eq!(resolve(&out, &absolute), Resolved::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_output_are_refused() {
        let (tmp, out) = site();
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), out.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(tmp.path(), out.join("up")).unwrap();
        std::os::unix::fs::symlink(out.join("index.html"), out.join("home.html")).unwrap();
        assert_eq!(resolve(&out, "/link.txt"), Resolved::NotFound);
        assert_eq!(resolve(&out, "/up/secret.txt"), Resolved::NotFound);
        assert_eq!(resolve(&out, "/home.html"), file(&out, "index.html"));
    }

    #[test]
    fn content_types_follow_extensions() {
        for (name, expected) in [
            ("a.HTML", "text/html; charset=utf-8"),
            ("a.css", "text/css; charset=utf-8"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.svg", "image/svg+xml"),
            ("a.woff2", "font/woff2"),
            ("_search/meta.bin", "application/octet-stream"),
            ("noextension", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), expected, "{name}");
        }
    }
}
