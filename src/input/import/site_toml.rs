//! The site.toml `folio import` writes: each key with a comment saying where its value came
//! from, then `nav` and `exclude` with a comment saying what they do.

use std::fmt::Write as _;

use super::{Choice, Import};

/// The key of the file holding the whole navigation the author wrote (`mkdocs.yml`,
/// `src/SUMMARY.md`), relative to the site root; the format follows from the file's name. The
/// per-folder files (`.pages`, `_category_.json`) and `eleventyNavigation` need no key: they are
/// found where they are.
pub const NAV_KEY: &str = "nav";

/// The key of the files and folders of the content folder (relative to it) that are not pages,
/// such as `node_modules` or a generator's `_site`, for the build to leave out.
pub const EXCLUDE_KEY: &str = "exclude";

/// Whether site.toml reads the proposed keys ([`NAV_KEY`], [`EXCLUDE_KEY`]). While it does not,
/// they are written as comments, since an unknown key is an error; once config.rs reads them,
/// set this to true and they are written as settings.
pub const PROPOSED_KEYS_ARE_READ: bool = true;

/// `text` on one line, with no control character: what settings files hold (a key, a folder's
/// name) is shown in comments and on the terminal, where a line break would end the comment and
/// start a setting, and an escape sequence would drive the terminal.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The text of `import`'s site.toml.
pub(super) fn render(import: &Import) -> String {
    let mut out = String::new();
    let source = match &import.settings_file {
        Some(file) => format!("{} ({file})", import.generator.name()),
        None => import.generator.name().to_string(),
    };
    let _ = writeln!(
        out,
        "# Written by `folio import` from a handbook for {source}."
    );
    let _ = writeln!(
        out,
        "# Every key is explained in Folio's README, under \"Configuration: site.toml\".\n"
    );
    let string = |v: &String| toml::Value::String(v.clone());
    key(&mut out, "title", Some(&import.title), string);
    key(&mut out, "description", import.description.as_ref(), string);
    key(&mut out, "base_url", import.base_url.as_ref(), string);
    key(&mut out, "language", import.language.as_ref(), string);
    let strings = |items: &Vec<String>| {
        toml::Value::Array(items.iter().cloned().map(toml::Value::String).collect())
    };
    key(&mut out, "languages", import.languages.as_ref(), strings);
    key(&mut out, "content_dir", Some(&import.content_dir), string);
    key(&mut out, "output_dir", Some(&import.output_dir), string);
    key(&mut out, "repository", import.repository.as_ref(), string);
    key(&mut out, "branch", import.branch.as_ref(), string);
    key(&mut out, "edit_url", import.edit_url.as_ref(), string);
    key(
        &mut out,
        "static_dirs",
        import.static_dirs.as_ref(),
        strings,
    );
    out.push_str(
        "# Links that were already broken are listed as warnings instead of stopping the build;\n\
         # set \"error\" once they are fixed.\nbroken_links = \"warn\"\n",
    );
    if !import.proposed.is_empty() {
        out.push('\n');
        if !PROPOSED_KEYS_ARE_READ {
            out.push_str("# Not read by this version of Folio yet:\n");
        }
        for proposed in &import.proposed {
            let _ = writeln!(out, "# {}: {}.", proposed.key, one_line(&proposed.why));
            let line = format!("{} = {}", proposed.key, proposed.value);
            if PROPOSED_KEYS_ARE_READ {
                let _ = writeln!(out, "{line}");
            } else {
                let _ = writeln!(out, "# {line}");
            }
        }
    }
    out
}

/// `# From <where>.` and `key = value`, when there is a value.
fn key<T>(
    out: &mut String,
    name: &str,
    choice: Option<&Choice<T>>,
    to_toml: impl Fn(&T) -> toml::Value,
) {
    let Some(choice) = choice else {
        return;
    };
    let _ = writeln!(out, "# From: {}.", one_line(&choice.from));
    let _ = writeln!(out, "{name} = {}", to_toml(&choice.value));
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::{Generator, Proposed};
    use super::*;

    fn import() -> Import {
        Import {
            root: PathBuf::from("/site"),
            generator: Generator::Jekyll,
            settings_file: Some("_config.yml".into()),
            title: Choice::new("Team \"handbook\"\n".into(), "title in _config.yml"),
            description: None,
            base_url: None,
            language: None,
            languages: Some(Choice::new(
                vec!["en".into(), "es".into()],
                "the language folders",
            )),
            // A collection named with a line break must not start a setting of its own.
            content_dir: Choice::new("_x".into(), "the x\ntheme = \"evil\" collection"),
            output_dir: Choice::new("public".into(), "a new folder"),
            repository: None,
            branch: None,
            edit_url: None,
            static_dirs: None,
            nav: Vec::new(),
            proposed: vec![Proposed {
                key: NAV_KEY,
                value: toml::Value::String("src/SUMMARY.md".into()),
                why: "where\nthe nav is".into(),
            }],
            notes: Vec::new(),
            pages: 1,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn values_are_quoted_and_comments_stay_comments() {
        let text = render(&import());
        let table: toml::Table = text.parse().unwrap();
        let keys: Vec<&String> = table.keys().collect();
        assert_eq!(
            keys,
            [
                "broken_links",
                "content_dir",
                "languages",
                "nav",
                "output_dir",
                "title"
            ]
        );
        assert_eq!(table["title"].as_str(), Some("Team \"handbook\"\n"));
        assert!(
            text.contains("# From: the x theme = \"evil\" collection.\n"),
            "{text}"
        );
        assert!(
            text.contains("\n# nav: where the nav is.\nnav = \"src/SUMMARY.md\"\n"),
            "{text}"
        );
        assert_eq!(one_line("a\u{1b}[31mb\r\n"), "a [31mb  ");
    }
}
