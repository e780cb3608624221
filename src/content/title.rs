//! Titles made from file and folder names, for pages that have neither a `title` nor a heading:
//! `code-reviews.md` → "Code reviews", `ci-cd/index.md` → "CI/CD".
//!
//! A name loses a leading number that orders it (`01-intro` → "Intro", the way Docusaurus and
//! many handbooks order their files; not `508-training`), its `-` and `_` become spaces, its first letter is upper-cased, and the
//! words of [`ACRONYMS`] are written as acronyms (`api-guidelines` → "API guidelines", `faqs` →
//! "FAQs"). A name written all in capitals (`CONTRIBUTING.md`) is written as a sentence.

use std::path::Path;

/// Acronyms written in capitals wherever they are a whole word of a file name, and with a
/// lower-case `s` for their plural. `ci` followed by `cd` is "CI/CD".
pub const ACRONYMS: &[&str] = &[
    "AI", "API", "CD", "CI", "CLA", "CLI", "CVE", "DCO", "FAQ", "FOSS", "HTML", "HTTP", "JSON",
    "ML", "OSI", "OSPO", "OSS", "PR", "SBOM", "SDK", "SPDX", "SSO", "UI", "URL", "UX", "YAML",
];

/// Where a page's title came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TitleFrom {
    /// Its front matter's `title`.
    #[default]
    FrontMatter,
    /// Its first heading: the first level-1 heading, else the first heading of any level.
    Heading,
    /// Its file's name, or its folder's for a folder's page (`index.md`, `README.md`,
    /// `_index.md`); the site's title for the home page.
    FileName,
}

/// The title of the page at `tree_path` (relative to content/) made from its name; None for the
/// page of the content folder itself (`_index.md`, `index.md`, `README.md` at the top).
pub fn from_file_name(tree_path: &Path) -> Option<String> {
    let stem = tree_path.file_stem()?.to_string_lossy();
    let is_folder_page = ["index", "_index", "readme"].contains(&stem.to_lowercase().as_str());
    if !is_folder_page {
        return Some(humanize(&stem));
    }
    let folder = tree_path.parent()?.file_name()?;
    Some(humanize(&folder.to_string_lossy()))
}

/// A file or folder name as a title (see the module's documentation).
pub fn humanize(name: &str) -> String {
    let without_number = strip_number(name);
    let all_capitals = without_number.chars().any(char::is_alphabetic)
        && !without_number.chars().any(char::is_lowercase);
    let words: Vec<String> = without_number
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            if all_capitals {
                w.to_lowercase()
            } else {
                w.to_string()
            }
        })
        .collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        if word.eq_ignore_ascii_case("ci")
            && words
                .get(i + 1)
                .is_some_and(|w| w.eq_ignore_ascii_case("cd"))
        {
            out.push("CI/CD".to_string());
            i += 2;
            continue;
        }
        out.push(acronym(word).unwrap_or_else(|| word.clone()));
        i += 1;
    }
    let text = out.join(" ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

/// `word` as an acronym of [`ACRONYMS`] (or its plural), if it is one.
fn acronym(word: &str) -> Option<String> {
    let upper = word.to_uppercase();
    if ACRONYMS.contains(&upper.as_str()) {
        return Some(upper);
    }
    let singular = upper.strip_suffix('S')?;
    ACRONYMS.contains(&singular).then(|| format!("{singular}s"))
}

/// `01-intro` → `intro`, `3_setup` → `setup`: a number of one or two digits, or starting with
/// 0, orders files; a longer one is part of the name (`508-training`, `2024-report`), and so is
/// a name that is only a number.
fn strip_number(name: &str) -> &str {
    let rest = name.trim_start_matches(|c: char| c.is_ascii_digit());
    let digits = name.len() - rest.len();
    if digits == 0 || (digits > 2 && !name.starts_with('0')) {
        return name;
    }
    match rest.strip_prefix(['-', '_', '.', ' ']) {
        Some(after) if after.chars().any(char::is_alphanumeric) => after,
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_become_sentences_with_their_acronyms() {
        for (name, title) in [
            ("code-reviews", "Code reviews"),
            ("ci-cd", "CI/CD"),
            ("CI-CD", "CI/CD"),
            ("api_guidelines", "API guidelines"),
            ("ospo-faqs", "OSPO FAQs"),
            ("ai-and-ml-at-work", "AI and ML at work"),
            ("gitHub-repo-template-guide", "GitHub repo template guide"),
            ("01-chapter", "Chapter"),
            ("3_setup", "Setup"),
            ("508-training", "508 training"),
            ("001-intro", "Intro"),
            ("2024", "2024"),
            ("CONTRIBUTING", "Contributing"),
            ("sbom", "SBOM"),
            ("uis-and-ux", "UIs and UX"),
            ("bus-factor", "Bus factor"),
        ] {
            assert_eq!(humanize(name), title, "{name}");
        }
    }

    #[test]
    fn folder_pages_take_their_folder_name() {
        for (path, title) in [
            ("guides/code-reviews.md", Some("Code reviews")),
            ("ci-cd/index.md", Some("CI/CD")),
            ("inner-source/README.md", Some("Inner source")),
            ("inner-source/readme.md", Some("Inner source")),
            ("ospo/_index.md", Some("OSPO")),
            ("_index.md", None),
            ("README.md", None),
        ] {
            assert_eq!(from_file_name(Path::new(path)).as_deref(), title, "{path}");
        }
    }
}
