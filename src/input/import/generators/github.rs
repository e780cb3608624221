//! No generator: Markdown as GitHub shows it. The pages are the repository's own folder (or the
//! one folder that holds them all, such as docs/), titled by the README's first heading.

use std::path::Path;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::super::Choice;
use super::Found;

pub(super) fn read(_root: &Path) -> Found {
    Found {
        content_dir: Some(Choice::new(
            ".".to_string(),
            "the repository's own folder, as GitHub shows it",
        )),
        excluded: [
            "node_modules",
            "vendor",
            "_site",
            "public",
            "build",
            "dist",
            "target",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        nav: vec!["none written: the sidebar follows the folders".into()],
        ..Found::default()
    }
}

/// The first `# ` heading of the README at the top of `root` (any case of `README.md`), and the
/// file's name.
pub(in super::super) fn readme_title(root: &Path) -> Option<Choice<String>> {
    let entries = std::fs::read_dir(root).ok()?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.eq_ignore_ascii_case("readme.md"))
        .collect();
    names.sort();
    let name = names.into_iter().next()?;
    let text = std::fs::read_to_string(root.join(&name)).ok()?;
    let title = first_h1(&text)?;
    Some(Choice::new(title, format!("the first heading of {name}")))
}

/// The text of the first level-1 heading of `markdown`.
fn first_h1(markdown: &str) -> Option<String> {
    let mut in_heading = false;
    let mut title = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => in_heading = true,
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
                return Some(title).filter(|t| !t.is_empty());
            }
            Event::Text(t) | Event::Code(t) if in_heading => title.push_str(&t),
            Event::SoftBreak if in_heading => title.push(' '),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_level_one_heading_is_the_title() {
        assert_eq!(
            first_h1("[![badge](x.svg)](y)\n\n## Not this\n\n# The *OSPO* `handbook`\n").as_deref(),
            Some("The OSPO handbook")
        );
        assert_eq!(
            first_h1("OSPO handbook\n=============\n").as_deref(),
            Some("OSPO handbook")
        );
        assert_eq!(first_h1("## Only second level\n"), None);
    }
}
