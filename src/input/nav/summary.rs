//! mdBook's `SUMMARY.md`: the book's table of contents, read with pulldown-cmark as mdBook reads
//! it.
//!
//! ```text
//! # Summary                        an optional title, ignored
//! [Preface](preface.md)            prefix chapters: links before the first list
//! # Policies                       a part title: the numbered chapters after it, up to the
//! - [Using open source](use.md)    next part title, are its children
//!     - [Licences](licences.md)    numbered chapters nest
//!     - [Security review]()        a draft chapter: a title with no page yet
//! ---                              a separator
//! [Glossary](glossary.md)          suffix chapters: links after the numbered ones
//! ```
//!
//! Paths are relative to the folder holding SUMMARY.md (the book's `src`), which is the content
//! folder. mdBook's chapter numbers (`1.2.`) are not kept.

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::{NavEntry, NavResult, NavTarget, Parsed, is_url, resolve};
use crate::base::diag::{Diagnostic, Location};

/// Where the reading is in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Nothing read yet: a first `#` heading is the summary's title.
    Start,
    /// Links before the first list or part title.
    Prefix,
    /// The numbered chapters; `true` once a list was read in the current part.
    Numbered(bool),
    /// Links after the numbered chapters.
    Suffix,
}

/// Reads SUMMARY.md (`text`, shown as `display_path`) into the book's navigation.
pub fn mdbook_summary(display_path: &Path, text: &str) -> NavResult<Vec<NavEntry>> {
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new(text).into_offset_iter().collect();
    let mut reader = Reader {
        path: display_path,
        text,
        events,
        at: 0,
        errors: Vec::new(),
    };
    let entries = reader.summary();
    if reader.errors.is_empty() {
        Ok(Parsed {
            value: entries,
            warnings: Vec::new(),
        })
    } else {
        Err(reader.errors)
    }
}

struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    events: Vec<(Event<'a>, Range<usize>)>,
    at: usize,
    errors: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    /// The whole file: prefix chapters, parts of numbered chapters, suffix chapters.
    fn summary(&mut self) -> Vec<NavEntry> {
        let mut entries: Vec<NavEntry> = Vec::new();
        // The part being read: its numbered chapters go under it.
        let mut part: Option<NavEntry> = None;
        let mut stage = Stage::Start;
        while let Some((event, range)) = self.events.get(self.at).cloned() {
            self.at += 1;
            match event {
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }) => {
                    let title = self.text_until(|e| matches!(e, Event::End(TagEnd::Heading(_))));
                    match stage {
                        Stage::Start => stage = Stage::Prefix,
                        Stage::Suffix => self.error(
                            &range,
                            "a part title after the suffix chapters: part titles and numbered chapters come before them",
                        ),
                        Stage::Prefix | Stage::Numbered(_) => {
                            entries.extend(part.take());
                            part = Some(NavEntry {
                                title: Some(title),
                                target: NavTarget::Group,
                                children: Vec::new(),
                                location: Some(self.location(&range)),
                            });
                            stage = Stage::Numbered(false);
                        }
                    }
                }
                Event::Start(Tag::List(_)) => {
                    if stage == Stage::Suffix {
                        self.error(
                            &range,
                            "a list after the suffix chapters: numbered chapters come before them",
                        );
                        self.skip_block();
                        continue;
                    }
                    stage = Stage::Numbered(true);
                    let chapters = self.list();
                    match &mut part {
                        Some(part) => part.children.extend(chapters),
                        None => entries.extend(chapters),
                    }
                }
                Event::Start(Tag::Paragraph) => {
                    match stage {
                        Stage::Start => stage = Stage::Prefix,
                        Stage::Numbered(true) => {
                            entries.extend(part.take());
                            stage = Stage::Suffix;
                        }
                        // mdBook skips text between a part title and its first chapter.
                        Stage::Numbered(false) => {
                            self.skip_block();
                            continue;
                        }
                        Stage::Prefix | Stage::Suffix => {}
                    }
                    entries.extend(self.affix_links());
                }
                Event::Rule => {
                    if stage == Stage::Start {
                        stage = Stage::Prefix;
                    }
                    let separator = NavEntry {
                        title: None,
                        target: NavTarget::Separator,
                        children: Vec::new(),
                        location: Some(self.location(&range)),
                    };
                    match (&mut part, stage) {
                        (Some(part), Stage::Numbered(_)) => part.children.push(separator),
                        _ => entries.push(separator),
                    }
                }
                Event::Start(_) => self.skip_block(),
                _ => {}
            }
        }
        entries.extend(part);
        entries
    }

    /// The chapters of a list whose start was just read, with their nested lists.
    fn list(&mut self) -> Vec<NavEntry> {
        let mut chapters = Vec::new();
        while let Some((event, range)) = self.events.get(self.at).cloned() {
            self.at += 1;
            match event {
                Event::Start(Tag::Item) => {
                    if let Some(chapter) = self.item(&range) {
                        chapters.push(chapter);
                    }
                }
                Event::End(TagEnd::List(_)) => break,
                _ => {}
            }
        }
        chapters
    }

    /// One list item whose start was just read: a link, then perhaps a nested list.
    fn item(&mut self, item: &Range<usize>) -> Option<NavEntry> {
        let mut chapter: Option<NavEntry> = None;
        let mut depth = 0usize;
        while let Some((event, range)) = self.events.get(self.at).cloned() {
            self.at += 1;
            match event {
                Event::Start(Tag::Link { dest_url, .. }) if chapter.is_none() && depth == 0 => {
                    chapter = Some(self.chapter(&dest_url, &range));
                }
                Event::Start(Tag::List(_)) => {
                    let children = self.list();
                    match &mut chapter {
                        Some(chapter) => chapter.children.extend(children),
                        None => {
                            self.missing_link(item);
                            return None;
                        }
                    }
                }
                Event::Start(Tag::Paragraph) => {}
                Event::Start(_) => depth += 1,
                Event::End(TagEnd::Item) => break,
                Event::End(TagEnd::Paragraph) => {}
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        if chapter.is_none() {
            self.missing_link(item);
        }
        chapter
    }

    fn missing_link(&mut self, item: &Range<usize>) {
        let d = Diagnostic::error(
            "this chapter is not a link: each list item of SUMMARY.md is `- [Title](page.md)`, or `- [Title]()` for a chapter not written yet",
        )
        .at(self.location(item));
        self.errors.push(d);
    }

    /// The prefix or suffix chapters of a paragraph whose start was just read.
    fn affix_links(&mut self) -> Vec<NavEntry> {
        let mut chapters = Vec::new();
        while let Some((event, range)) = self.events.get(self.at).cloned() {
            self.at += 1;
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => {
                    chapters.push(self.chapter(&dest_url, &range));
                }
                Event::End(TagEnd::Paragraph) => break,
                _ => {}
            }
        }
        chapters
    }

    /// A chapter from a link whose start was just read (its text is read up to its end).
    fn chapter(&mut self, dest: &str, range: &Range<usize>) -> NavEntry {
        let title = self.text_until(|e| matches!(e, Event::End(TagEnd::Link)));
        let location = self.location(range);
        // mdBook reads `%20` in a link as the space of a file name.
        let dest = dest.replace("%20", " ");
        let target = if dest.trim().is_empty() {
            NavTarget::Group
        } else if is_url(&dest) {
            NavTarget::Url(dest)
        } else {
            match resolve("", &dest) {
                Ok(path) => NavTarget::Path(path),
                Err(message) => {
                    self.errors
                        .push(Diagnostic::error(message).at(location.clone()));
                    NavTarget::Group
                }
            }
        };
        NavEntry {
            title: Some(title),
            target,
            children: Vec::new(),
            location: Some(location),
        }
    }

    /// The plain text of the events up to the one `end` matches (consumed), as mdBook titles
    /// chapters: text and code kept, styling dropped, line breaks as spaces.
    fn text_until(&mut self, end: impl Fn(&Event<'_>) -> bool) -> String {
        let mut text = String::new();
        while let Some((event, _)) = self.events.get(self.at) {
            self.at += 1;
            if end(event) {
                break;
            }
            match event {
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                _ => {}
            }
        }
        text.trim().to_string()
    }

    /// Skips the rest of a block whose start was just read.
    fn skip_block(&mut self) {
        let mut depth = 1usize;
        while let Some((event, _)) = self.events.get(self.at) {
            self.at += 1;
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
    }

    fn location(&self, range: &Range<usize>) -> Location {
        let line_end = self.text[range.start..]
            .find('\n')
            .map_or(self.text.len(), |i| range.start + i);
        let end = range.end.min(line_end);
        Location::from_offset(self.path, self.text, range.start, end - range.start)
    }

    fn error(&mut self, range: &Range<usize>, message: &str) {
        let d = Diagnostic::error(message.to_string()).at(self.location(range));
        self.errors.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUMMARY: &str = "\
# Summary

[Welcome](README.md)
[About the *OSPO*](about.md)

---

# Policies

- [Using open source](policies/README.md)
    - [Licences we accept](policies/licences.md)
    - [Security review]()
        - [Scanners](policies/security%20scanners.md)
- [Contributing upstream](./contributing.md)

---

# Playbooks

- [Releasing a project](playbooks/releasing.md)
* [Chat with us](https://chat.example.org/ospo)

[Glossary](glossary.md)
[Credits](credits.md)
";

    fn read(text: &str) -> Vec<NavEntry> {
        mdbook_summary(Path::new("src/SUMMARY.md"), text)
            .unwrap()
            .value
    }

    fn titles(entries: &[NavEntry]) -> Vec<(String, NavTarget)> {
        entries
            .iter()
            .map(|e| (e.title.clone().unwrap_or_default(), e.target.clone()))
            .collect()
    }

    fn path(p: &str) -> NavTarget {
        NavTarget::Path(p.into())
    }

    #[test]
    fn prefix_parts_numbered_drafts_separators_and_suffix() {
        let nav = read(SUMMARY);
        assert_eq!(
            titles(&nav),
            [
                ("Welcome".into(), path("README.md")),
                ("About the OSPO".into(), path("about.md")),
                (String::new(), NavTarget::Separator),
                ("Policies".into(), NavTarget::Group),
                ("Playbooks".into(), NavTarget::Group),
                ("Glossary".into(), path("glossary.md")),
                ("Credits".into(), path("credits.md")),
            ]
        );
        let policies = &nav[3];
        assert_eq!(
            titles(&policies.children),
            [
                ("Using open source".into(), path("policies/README.md")),
                ("Contributing upstream".into(), path("contributing.md")),
                (String::new(), NavTarget::Separator),
            ]
        );
        let using = &policies.children[0];
        assert_eq!(
            titles(&using.children),
            [
                ("Licences we accept".into(), path("policies/licences.md")),
                ("Security review".into(), NavTarget::Group),
            ]
        );
        assert_eq!(
            titles(&using.children[1].children),
            [("Scanners".into(), path("policies/security scanners.md"))]
        );
        assert_eq!(
            titles(&nav[4].children),
            [
                ("Releasing a project".into(), path("playbooks/releasing.md")),
                (
                    "Chat with us".into(),
                    NavTarget::Url("https://chat.example.org/ospo".into())
                ),
            ]
        );
        let at = |e: &NavEntry| {
            let l = e.location.as_ref().unwrap();
            (l.line, l.column, l.width)
        };
        assert_eq!(at(&nav[1]), (4, 1, 28));
        assert_eq!(at(&using.children[1]), (12, 7, 19));
        assert_eq!(at(&nav[4]), (18, 1, 11));
        assert_eq!(super::super::count_entries(&nav), 13);
    }

    #[test]
    fn a_book_may_have_no_title_no_parts_and_no_affixes() {
        let nav = read("- [One](one.md)\n- [Two](two.md)\n  - [Three](two/three.md)\n");
        assert_eq!(
            titles(&nav),
            [
                ("One".into(), path("one.md")),
                ("Two".into(), path("two.md"))
            ]
        );
        assert_eq!(nav[1].children.len(), 1);
        // Text between a part title and its list is skipped, as mdBook does.
        let nav = read("# Summary\n\n# Part\n\nSome words.\n\n- [One](one.md)\n");
        assert_eq!(titles(&nav[0].children), [("One".into(), path("one.md"))]);
    }

    #[test]
    fn mistakes_are_errors_at_their_line() {
        let cases = [
            ("- [One](one.md)\n- Two\n", 2, "not a link"),
            (
                "- [One](one.md)\n\n[End](end.md)\n\n- [Late](late.md)\n",
                5,
                "a list after the suffix chapters",
            ),
            (
                "- [One](one.md)\n\n[End](end.md)\n\n# Part\n",
                5,
                "a part title after the suffix chapters",
            ),
            ("- [Up](../outside.md)\n", 1, "out of the content folder"),
        ];
        for (text, line, message) in cases {
            let errors = mdbook_summary(Path::new("src/SUMMARY.md"), text).unwrap_err();
            let e = &errors[0];
            assert!(e.message.contains(message), "{text}: {}", e.message);
            let l = e.location.as_ref().unwrap();
            assert_eq!(
                (l.path.as_path(), l.line),
                (Path::new("src/SUMMARY.md"), line)
            );
        }
    }
}
