//! Unit tests of the rewrite: markers, positions mapped back, malformed input, deep nesting.

use std::path::Path;

use proptest::prelude::*;

use super::markers::Title;
use super::*;

fn source(text: &str) -> Source<'_> {
    Source {
        display_path: Path::new("content/p.md"),
        rel_path: Path::new("p.md"),
        text,
        body: text,
        body_offset: 0,
        title: None,
        cleaned: None,
    }
}

/// The rewritten body (the original when nothing was rewritten) and the warnings' messages
/// with their line and column.
fn rewrite(text: &str) -> (String, Vec<(String, usize, usize)>) {
    let (prepared, diagnostics) = prepare(&source(text));
    let warnings = diagnostics
        .into_iter()
        .map(|d| {
            let at = d.location.expect("a location");
            (d.message, at.line, at.column)
        })
        .collect();
    (
        prepared.map_or_else(|| text.to_string(), |p| p.body),
        warnings,
    )
}

/// Offsets map back in order and inside the original, and every copied byte maps to
/// the same byte of the original.
fn assert_maps_back(text: &str) {
    let (Some(prepared), _) = prepare(&source(text)) else {
        return;
    };
    let mut previous = 0;
    for at in 0..=prepared.body.len() {
        let original = prepared.original(at);
        assert!(original <= text.len(), "{at} → {original} in {text:?}");
        assert!(
            original >= previous,
            "{at} → {original} < {previous} in {text:?}"
        );
        previous = original;
    }
    let ends = prepared.pieces.iter().skip(1).map(|p| p.out);
    let ends = ends.chain([prepared.body.len()]);
    for (piece, end) in prepared.pieces.iter().zip(ends) {
        for at in (piece.out..end).filter(|_| piece.copied) {
            assert_eq!(
                prepared.body.as_bytes()[at],
                text.as_bytes()[prepared.original(at)],
                "byte {at} of {:?} from {text:?}",
                prepared.body
            );
        }
    }
}

#[test]
fn admonition_markers_are_read_as_python_markdown_reads_them() {
    let note = |title| Admonition {
        collapsible: false,
        open: false,
        kind: Some("note"),
        title,
    };
    assert_eq!(parse_admonition("!!! note"), Some(note(None)));
    assert_eq!(parse_admonition("!!!note"), Some(note(None)));
    assert_eq!(parse_admonition("!!! note inline end"), Some(note(None)));
    let titled = Title {
        text: "A \"quoted\" word",
        unclosed: false,
    };
    assert_eq!(
        parse_admonition("!!! note \"A \"quoted\" word\""),
        Some(note(Some(titled)))
    );
    let unclosed = Title {
        text: "Half",
        unclosed: true,
    };
    assert_eq!(
        parse_admonition("!!! note \"Half"),
        Some(note(Some(unclosed)))
    );
    let open = parse_admonition("???+ tip").unwrap();
    assert!(open.collapsible && open.open);
    assert_eq!(parse_admonition("??? \"Only a title\"").unwrap().kind, None);
    for text in [
        "!!!",
        "???",
        "!!!!",
        "!!! Wow!",
        "!!! note \"a\" b",
        "???? x",
    ] {
        assert_eq!(parse_admonition(text), None, "{text}");
    }
}

#[test]
fn tab_and_colon_markers() {
    let tab = parse_tab("===!+ \"Linux\"").unwrap();
    assert!(tab.new_set && tab.selected && !tab.unclosed);
    assert_eq!(tab.label, "Linux");
    assert!(parse_tab("=== \"Half").unwrap().unclosed);
    for text in ["===", "=== Linux", "====", "===x \"A\"", "===!!+ \"A\""] {
        assert_eq!(parse_tab(text), None, "{text}");
    }
    let colon = |text| parse_colon(text).map(|c| (c.colons, c.kind, c.title.text));
    assert_eq!(colon(":::tip"), Some((3, "tip", "")));
    assert_eq!(colon("::: tip Old title "), Some((3, "tip", "Old title")));
    assert_eq!(
        colon("::::tip[A [nested] \\] title]{#id}"),
        Some((4, "tip", "A [nested] \\] title"))
    );
    assert_eq!(colon(":::tip{.wide} After"), Some((3, "tip", "After")));
    for text in [":::", "::tip", ":::{.x}", ":::tip!", "::: [x]"] {
        assert_eq!(colon(text), None, "{text}");
    }
    assert_eq!(colon_closer("::::"), Some(4));
    assert_eq!(colon_closer(":: "), None);
}

#[test]
fn content_loses_its_indentation_and_html_stands_between_blank_lines() {
    let (body, warnings) = rewrite("!!! tip\n    Text\n\n        code\nAfter\n");
    assert_eq!(
        body,
        "<div class=\"callout callout-tip\" role=\"note\" aria-label=\"Tip\">\n\
         <p class=\"callout-title\">Tip</p>\n\nText\n\n    code\n\n</div>\n\nAfter\n"
    );
    assert!(warnings.is_empty());
}

#[test]
fn tabs_windows_line_ends_and_a_missing_last_line_break() {
    let (body, _) = rewrite("!!! note\r\n\tTabbed\r\n  \t  x");
    assert!(body.contains("\nTabbed\r\n"), "{body:?}");
    // Two spaces and a tab are 4 columns, as the tab stops at 4.
    assert!(body.contains("\n  x\n\n</div>\n"), "{body:?}");
    assert_maps_back("!!! note\r\n\tTabbed\r\n  \t  x");
    let (body, _) = rewrite("=== \"A\"\n    last");
    assert!(body.ends_with("last\n\n</div>\n\n</div>\n\n"), "{body:?}");
}

#[test]
fn a_fence_open_when_its_block_ends_is_closed_with_it() {
    let (body, _) = rewrite("!!! note\n    ~~~~\n    code\nAfter\n");
    assert!(
        body.contains("~~~~\ncode\n~~~~\n\n</div>\n\nAfter"),
        "{body:?}"
    );
}

#[test]
fn deep_nesting_is_one_warning_and_no_recursion() {
    let text = ":::note\n".repeat(10_000);
    let (body, warnings) = rewrite(&text);
    assert_eq!(body.matches("</div>").count(), 10_000);
    assert_eq!(
        warnings,
        [(
            "`:::note` is not closed: it runs to the end of the page".to_string(),
            1,
            1
        )]
    );
    let mut text = String::new();
    for depth in 0..300 {
        text.push_str(&" ".repeat(depth * 4));
        text.push_str("!!! note\n");
    }
    let (body, warnings) = rewrite(&text);
    assert_eq!(body.matches("</div>").count(), 300);
    assert_eq!(
        warnings[0].0,
        "`!!! note` has nothing in it: its content must be indented by 4 spaces under it"
    );
    assert_eq!((warnings[0].1, warnings[0].2), (300, 1197));
}

#[test]
fn a_docusaurus_block_left_open_ends_with_the_block_around_it() {
    let (body, warnings) = rewrite("!!! note\n    :::tip\n    Text\nAfter\n");
    assert!(
        body.contains("Text\n\n</div>\n\n</div>\n\nAfter\n"),
        "{body:?}"
    );
    assert_eq!(
        warnings,
        [(
            "`:::tip` is not closed: it ends where the block around it ends".to_string(),
            2,
            5
        )]
    );
}

#[test]
fn pages_without_markers_are_not_copied() {
    let (prepared, warnings) = prepare(&source("Title\n===\n\nA !!! in text, ::: too.\n"));
    assert!(prepared.is_none());
    assert!(warnings.is_empty());
}

const PIECES: &[&str] = &[
    "!!! note \"T\"\n",
    "!!! tip\n",
    "??? x\n",
    "???+ ",
    "=== \"A\"\n",
    "===! \"B\"\n",
    ":::tip[",
    "]",
    ":::\n",
    "::::",
    "```\n",
    "~~~~\n",
    "- ",
    "1. ",
    "    ",
    "\t",
    "\n",
    "\r\n",
    "# ",
    "\"",
    "é",
    "text ",
];

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_offset_maps_back_to_the_original(
        parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)
    ) {
        assert_maps_back(&parts.concat());
    }
}
