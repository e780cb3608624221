//! The layers of `src/` import downward only (see `src/lib.rs`): a module may use its own layer
//! and the layers below it, never one above. These tests read every `.rs` file under `src/`,
//! find the paths into the crate (`crate::x`, `crate::{x, y}`, and `super::` however far it
//! climbs, in `use` lines and in code alike; comments and strings aside) and fail naming the
//! file, the line and both layers of every import from above.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The layers, lowest first: each may import itself and those before it.
const LAYERS: &[&str] = &[
    "base", "input", "content", "render", "search", "build", "serve", "cmd",
];

/// The command line's definitions: they may import `base` only, and only `cmd` imports them.
const CLI: &str = "cli";

/// The files at the root of `src/` besides the layers' folders: the crate and binary roots,
/// which declare the layers, and `cli.rs`.
const ROOT_FILES: &[&str] = &["lib.rs", "main.rs", "cli.rs"];

/// The most lines a file under `src/` may have.
const MAX_LINES: usize = 800;

/// True when a module of layer `from` may use a path into layer `to`.
fn may_import(from: &str, to: &str) -> bool {
    let level = |layer: &str| LAYERS.iter().position(|l| *l == layer);
    match (from, to) {
        (_, _) if from == to => true,
        (CLI, _) => to == "base",
        ("cmd", CLI) => true,
        (_, CLI) => false,
        _ => matches!((level(from), level(to)), (Some(a), Some(b)) if b <= a),
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("src/ reads") {
            let path = entry.expect("src/ reads").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The module path of a file: `src/build/live.rs` is `build::live`, `src/build/mod.rs` is
/// `build`, `src/cli.rs` is `cli`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).expect("a file under src/");
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    parts
}

/// `text` with comments, strings and character literals blanked out (line breaks kept, so
/// that line numbers stay right): what is left is code.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let end = match (chars[i], chars.get(i + 1)) {
            ('/', Some('/')) => (i..chars.len())
                .find(|&j| chars[j] == '\n')
                .unwrap_or(chars.len()),
            ('/', Some('*')) => block_comment_end(&chars, i),
            ('r', Some('"' | '#')) if !ident_char(i.checked_sub(1).map(|p| chars[p])) => {
                raw_string_end(&chars, i)
            }
            ('"', _) => string_end(&chars, i),
            // A character literal ('x', '\n', '\''), not a lifetime ('a).
            ('\'', Some(next)) if *next == '\\' || chars.get(i + 2) == Some(&'\'') => (i + 2
                ..chars.len())
                .find(|&j| chars[j] == '\'' && (chars[j - 1] != '\\' || chars[j - 2] == '\\'))
                .map_or(chars.len(), |j| j + 1),
            _ => i,
        };
        if end == i {
            out.push(chars[i]);
            i += 1;
        } else {
            out.extend(
                chars[i..end]
                    .iter()
                    .map(|&c| if c == '\n' { '\n' } else { ' ' }),
            );
            i = end;
        }
    }
    out
}

/// Where the block comment opening at `start` ends (comments nest in Rust).
fn block_comment_end(chars: &[char], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i + 1 < chars.len() {
        match (chars[i], chars[i + 1]) {
            ('/', '*') => depth += 1,
            ('*', '/') => depth -= 1,
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
        if depth == 0 {
            return i;
        }
    }
    chars.len()
}

/// Where the raw string `r"…"` or `r#"…"#` at `start` ends; `start` itself when it is a raw
/// identifier (`r#type`).
fn raw_string_end(chars: &[char], start: usize) -> usize {
    let hashes = chars[start + 1..].iter().take_while(|c| **c == '#').count();
    if chars.get(start + 1 + hashes) != Some(&'"') {
        return start;
    }
    let closes = |i: usize| {
        chars[i] == '"' && chars[i + 1..].iter().take_while(|c| **c == '#').count() >= hashes
    };
    (start + 2 + hashes..chars.len())
        .find(|&i| closes(i))
        .map_or(chars.len(), |i| i + 1 + hashes)
}

/// Where the string opening at `start` ends, escapes inside it skipped.
fn string_end(chars: &[char], start: usize) -> usize {
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

fn ident_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Open,
    Close,
    Other,
}

/// The tokens of code, each with its line.
fn tokens(code: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            found.push((Token::Ident(chars[start..i].iter().collect()), line));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            found.push((Token::PathSep, line));
            i += 2;
        } else {
            let token = match c {
                '{' => Token::Open,
                '}' => Token::Close,
                _ => Token::Other,
            };
            found.push((token, line));
            i += 1;
        }
    }
    found
}

/// A path into the crate found in a file: its line, the module path it names from the crate's
/// root (`["render", "context"]` for `crate::render::context::Contexts`), and how it is
/// written.
type Use = (usize, Vec<String>, String);

/// The identifier at `i`, if that is one.
fn ident(tokens: &[(Token, usize)], i: usize) -> Option<&str> {
    match tokens.get(i) {
        Some((Token::Ident(name), _)) => Some(name),
        _ => None,
    }
}

fn is(tokens: &[(Token, usize)], i: usize, token: &Token) -> bool {
    tokens.get(i).is_some_and(|(t, _)| t == token)
}

/// Each path that starts with `crate::` or `super::` in `tokens`, resolved from `module` (the
/// file's module path), with the modules declared inline (`mod tests { … }`) counted for
/// `super`. Grouped paths (`crate::{a::x, b}`) give each item.
fn crate_paths(module: &[String], tokens: &[(Token, usize)]) -> Vec<Use> {
    let mut found = Vec::new();
    // The inline modules open at this point, with the brace depth inside each.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        let word = ident(tokens, i);
        match &tokens[i].0 {
            Token::Open => depth += 1,
            Token::Close => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth -= 1;
            }
            Token::Ident(_) if word == Some("mod") && is(tokens, i + 2, &Token::Open) => {
                if let Some(name) = ident(tokens, i + 1) {
                    inline.push((name.to_string(), depth + 1));
                }
            }
            Token::Ident(_)
                if matches!(word, Some("crate" | "super"))
                    && is(tokens, i + 1, &Token::PathSep) =>
            {
                let here: Vec<String> = module
                    .iter()
                    .cloned()
                    .chain(inline.iter().map(|(name, _)| name.clone()))
                    .collect();
                let (uses, end) = read_path(tokens, i, here);
                found.extend(uses);
                i = end + 1;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The path starting at `tokens[i]` (`crate` or `super`), written in the module `here`: each
/// item it names, and the index of its last token.
fn read_path(tokens: &[(Token, usize)], i: usize, here: Vec<String>) -> (Vec<Use>, usize) {
    let line = tokens[i].1;
    let mut base = here;
    let mut prefix = String::new();
    let mut j = i;
    if ident(tokens, i) == Some("crate") {
        base.clear();
        prefix.push_str("crate::");
        j += 2;
    } else {
        while ident(tokens, j) == Some("super") && is(tokens, j + 1, &Token::PathSep) {
            base.pop();
            prefix.push_str("super::");
            j += 2;
        }
    }
    let (items, end) = if is(tokens, j, &Token::Open) {
        group_items(tokens, j)
    } else {
        let (segments, end) = segments(tokens, j);
        (vec![segments], end)
    };
    let uses = items
        .into_iter()
        .filter(|segments| segments.first().is_some_and(|s| s != "self"))
        .map(|segments| {
            let mut path = base.clone();
            path.push(segments[0].clone());
            (line, path, format!("{prefix}{}", segments.join("::")))
        })
        .collect();
    (uses, end)
}

/// The segments of `a::b::c` from `tokens[j]` on, and the index of the last.
fn segments(tokens: &[(Token, usize)], mut j: usize) -> (Vec<String>, usize) {
    let mut found = Vec::new();
    while let Some(name) = ident(tokens, j) {
        found.push(name.to_string());
        if !is(tokens, j + 1, &Token::PathSep) || ident(tokens, j + 2).is_none() {
            break;
        }
        j += 2;
    }
    (found, j)
}

/// The items of the group `{a::x, b}` opening at `tokens[j]` (the head of each, nested groups
/// aside), and the index of its closing brace.
fn group_items(tokens: &[(Token, usize)], mut j: usize) -> (Vec<Vec<String>>, usize) {
    let mut items = Vec::new();
    let mut level = 0;
    let mut item_start = true;
    while j < tokens.len() {
        match &tokens[j].0 {
            Token::Open => {
                level += 1;
                item_start = level == 1;
            }
            Token::Close => {
                level -= 1;
                if level == 0 {
                    break;
                }
            }
            Token::Ident(_) if level == 1 && item_start => {
                let (found, end) = segments(tokens, j);
                items.push(found);
                item_start = false;
                j = end;
            }
            Token::Other if level == 1 => item_start = true,
            _ => {}
        }
        j += 1;
    }
    (items, j)
}

/// Every import from a layer above, as `file:line: from (layer n) imports to (layer m)`.
fn violations(files: &[PathBuf]) -> Vec<String> {
    let describe = |layer: &str| match LAYERS.iter().position(|l| *l == layer) {
        Some(level) => format!("{layer} (layer {level})"),
        None => layer.to_string(),
    };
    let mut found = Vec::new();
    for file in files {
        let module = module_path(file);
        let Some(from) = module.first() else { continue };
        let text = std::fs::read_to_string(file).expect("a source file reads");
        let shown = file
            .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")))
            .unwrap_or(file);
        for (line, path, written) in crate_paths(&module, &tokens(&code_only(&text))) {
            let Some(to) = path.first() else { continue };
            let known = LAYERS.contains(&to.as_str()) || to == CLI;
            if known && !may_import(from, to) {
                found.push(format!(
                    "{}:{line}: {} uses `{written}`, in {}, which it may not import",
                    shown.display(),
                    describe(from),
                    describe(to),
                ));
            }
        }
    }
    found
}

#[test]
fn modules_import_only_their_own_layer_and_those_below() {
    let files = rust_files(&src());
    let problems = violations(&files);
    assert!(
        problems.is_empty(),
        "imports from a higher layer (the order is in src/lib.rs):\n{}",
        problems.join("\n")
    );
    // Enough paths were read for the check to mean something.
    let paths: usize = files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).unwrap();
            crate_paths(&module_path(file), &tokens(&code_only(&text))).len()
        })
        .sum();
    assert!(paths > 200, "only {paths} paths into the crate found");
}

#[test]
fn every_module_belongs_to_a_layer_and_no_file_is_too_long() {
    let mut problems = Vec::new();
    let mut root_files = Vec::new();
    for file in rust_files(&src()) {
        let module = module_path(&file);
        let rel = file
            .strip_prefix(src())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if module.len() <= 1 && !rel.contains('/') {
            root_files.push(rel.clone());
            if !ROOT_FILES.contains(&rel.as_str()) {
                problems.push(format!(
                    "src/{rel}: a module at the root of src/ belongs in a layer's folder"
                ));
            }
        } else if !LAYERS.contains(&module[0].as_str()) {
            problems.push(format!(
                "src/{rel}: `{}` is not a layer of src/lib.rs",
                module[0]
            ));
        }
        let lines = std::fs::read_to_string(&file).unwrap().lines().count();
        if lines > MAX_LINES {
            problems.push(format!(
                "src/{rel}: {lines} lines, over {MAX_LINES}: split it by job"
            ));
        }
    }
    assert!(root_files.len() <= 4, "src/ holds {root_files:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_finds_imports_from_above_however_written() {
    let file = src().join("content/example.rs");
    let module = module_path(&file);
    let text = r##"
use crate::base::url;
use crate::{input::config::Config, render::context};
/// [`crate::build`] in a comment is no import.
fn f() -> usize {
    let s = ("crate::serve::x\"", r#"crate::build::"x""#); /* crate::cmd /* */ */
    let c = '"';
    crate::search::index::f() + super::super::cmd::run()
}
mod tests {
    use super::super::page::Page;
}
"##;
    let paths = crate_paths(&module, &tokens(&code_only(text)));
    let mut named: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (line, path, written) in paths {
        let resolved = path.join("::");
        named
            .entry(line)
            .or_default()
            .push(format!("{resolved} {written}"));
    }
    let expected: BTreeMap<usize, Vec<String>> = [
        (2, vec!["base crate::base::url"]),
        (
            3,
            vec![
                "input crate::input::config::Config",
                "render crate::render::context",
            ],
        ),
        (
            8,
            vec![
                "search crate::search::index::f",
                "cmd super::super::cmd::run",
            ],
        ),
        (11, vec!["content::page super::super::page::Page"]),
    ]
    .into_iter()
    .map(|(line, paths)| (line, paths.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(named, expected);
    assert!(may_import("content", "base") && may_import("cmd", CLI) && may_import(CLI, "base"));
    assert!(
        !may_import("content", "render") && !may_import("build", CLI) && !may_import(CLI, "input")
    );
}
