//! The fuzz targets' functions (tests/fuzz/harness.rs) on random inputs from proptest, so CI
//! runs them on stable for a few seconds each: random text, and text built from the pieces that
//! matter to each parser (fences, YAML and TOML punctuation, Markdown links and `[[terms]]`,
//! query syntax, percent escapes and dot segments). A failure prints the shrunk input: save it
//! under tests/fuzz_regressions/<target>/ with the fix.

use folio::search::query::MAX_QUERY_GROUPS;
use proptest::prelude::*;

use super::fuzz_regressions::{HARNESS, harness};

/// Text made of `pieces` and arbitrary characters, in any order.
fn text_of(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(pieces).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => any::<String>(),
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|parts| parts.concat())
}

const FRONT_MATTER: &[&str] = &[
    "---\n",
    "+++\n",
    "...\n",
    "\u{feff}",
    "title: ",
    "tags: [",
    "]",
    "\n",
    "\r\n",
    "- ",
    "  ",
    ": ",
    "\"",
    "'",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "|\n",
    ">\n",
    "{",
    "}",
    "=",
    "[a]\n",
    "[[a]]\n",
    "review_by: 2024-02-30",
    "status: ",
    "visibility: internal",
    "draft: true",
    "weight: 1e309",
];

const MARKDOWN: &[&str] = &[
    "# ",
    "## ",
    "\n",
    "\n\n",
    "[a](",
    ")",
    "](",
    "../usage.md",
    "./",
    "#x",
    "/guides/",
    "/old/pay/",
    "/tags/",
    "/assets/folio.css",
    "index.html",
    "javascript:",
    "java&#x09;script:",
    "data:text/html,",
    "[[",
    "]]",
    "|",
    "SBOM",
    "`",
    "```rust\n",
    "```\n",
    "> [!NOTE]\n",
    "<div>",
    "</div>",
    "<a id=x>",
    "![i](diagram.png)",
    "[^1]",
    "[^1]: n\n",
    "| a | b |\n|---|---|\n",
    "- [ ] ",
    "*",
    "_",
    "~~",
    "{#id}",
    "%",
    "%2e%2e/",
    "\\",
    "&amp;",
    "\u{0}",
    "<!--",
    "-->",
    "http://x.org/",
    "mailto:a",
    "!!! note \"T\"\n",
    "??? tip\n",
    "???+ ",
    "=== \"A\"\n",
    "===! \"",
    ":::tip[",
    ":::\n",
    "::::",
    "    ",
    "\t",
    "1. ",
    "~~~\n",
];

const QUERY: &[&str] = &[
    "licence",
    "open",
    "source",
    " ",
    "\"",
    ":",
    "kind:",
    "title:",
    "(",
    ")",
    "*",
    "^2",
    "[",
    "]",
    "{",
    "}",
    " TO ",
    "AND ",
    "OR ",
    "NOT ",
    "+",
    "-",
    "~",
    "\\",
    "/",
    "脆弱性",
    "e\u{301}",
    "\u{0}",
    "😀",
    "\u{202e}",
];

const CONFIG: &[&str] = &[
    "title = ",
    "base_url = ",
    "\"",
    "'",
    "\n",
    "[sections.",
    "]",
    "[[",
    "]]",
    "kind = \"policy\"",
    "languages = [",
    "\"en\"",
    ",",
    "output_dir = ",
    "content_dir = ",
    "../",
    "edit_url = ",
    "{path}",
    "{branch}",
    "{",
    "}",
    "audience = ",
    "broken_links = ",
    "\"warn\"",
    "#",
    "=",
    "1e9",
    "http://",
    "https://x.org/a b",
    "\\u0000",
    "\u{feff}",
];

const SERVE_PATH: &[&str] = &[
    "/",
    "//",
    ".",
    "..",
    "%2e",
    "%2E",
    "%2f",
    "%5c",
    "%00",
    "%",
    "%zz",
    "%25",
    "\\",
    "policies",
    "index.html",
    "up",
    "secret.txt",
    "secret-link.txt",
    "home.html",
    "_search",
    "?",
    "#",
    "%ff",
    "%c3%a9",
    "C:",
    " ",
    "\u{0}",
];

/// A nested query: any shape, at depths around the limits more often than not, up to the
/// fuzz target's deepest, around a random query.
fn nested() -> impl Strategy<Value = harness::Nested> {
    let depth = prop_oneof![
        3 => 0..4 * MAX_QUERY_GROUPS,
        1 => 0..=harness::MAX_FUZZ_DEPTH,
    ];
    (
        proptest::sample::select(&harness::Shape::ALL[..]),
        depth,
        text_of(QUERY, 6),
    )
        .prop_map(|(shape, depth, inner)| harness::Nested {
            shape,
            depth,
            inner,
        })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 3000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn front_matter_survives_random_text(text in text_of(FRONT_MATTER, 40)) {
        harness::front_matter(text.as_bytes());
    }

    #[test]
    fn markdown_survives_random_text(text in text_of(MARKDOWN, 40)) {
        HARNESS.markdown(text.as_bytes());
    }

    #[test]
    fn the_query_parser_survives_random_queries(text in text_of(QUERY, 12)) {
        HARNESS.query(text.as_bytes());
    }

    #[test]
    fn deeply_nested_queries_are_refused_and_never_overflow(nested in nested()) {
        HARNESS.nested_query(&nested);
    }

    #[test]
    fn config_survives_random_text(text in text_of(CONFIG, 40)) {
        harness::config(text.as_bytes());
    }

    #[test]
    fn no_request_path_resolves_outside_the_output(text in text_of(SERVE_PATH, 16)) {
        HARNESS.serve_path(text.as_bytes());
        HARNESS.serve_path(format!("/{text}").as_bytes());
    }
}
