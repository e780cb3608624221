//! Unit tests of Markdown rendering: heading ids, links, terms, alerts, code, positions.

use super::*;

pub(super) struct NoLinks;
impl LinkResolver for NoLinks {
    fn content_shown(&self) -> &Path {
        Path::new("content")
    }

    fn resolve(&self, _from: &Path, dest: &str) -> Link {
        if dest.starts_with("missing") {
            Link::Broken {
                message: format!("link to a missing page `{dest}`"),
                help: None,
            }
        } else if let Some(rest) = dest.strip_prefix("other.md") {
            Link::Internal {
                href: "/other/".to_string() + rest,
                page: Some(7),
                anchor: rest.strip_prefix('#').map(str::to_string),
            }
        } else {
            Link::Unchanged
        }
    }
}

/// A glossary of one term, `SBOM`.
struct OneTerm;
impl TermResolver for OneTerm {
    fn resolve_term(&self, term: &str) -> TermLink {
        if term.eq_ignore_ascii_case("sbom") {
            TermLink::Found {
                href: "/glossary/#sbom".into(),
                tip: "A list of <components>.".into(),
            }
        } else {
            TermLink::Broken {
                message: format!("unknown glossary term `{term}`"),
                help: None,
            }
        }
    }
}

fn render_md(text: &str, title: Option<&str>) -> Rendered {
    let source = Source {
        display_path: Path::new("content/p.md"),
        rel_path: Path::new("p.md"),
        text,
        body: text,
        body_offset: 0,
        cleaned: None,
        title,
    };
    render(&source, &NoLinks, &OneTerm)
}

#[test]
fn terms_link_to_the_glossary_with_their_definition_as_tooltip() {
    let r = render_md(
        "An [[SBOM]], [[sbom|the list]] and `[[SBOM]]` or \\[[SBOM]].\n",
        None,
    );
    assert!(
        r.html.contains(
            "<span class=\"term\"><a class=\"term-link\" href=\"/glossary/#sbom\" aria-describedby=\"folio-term-1\">SBOM</a><span class=\"term-tip\" role=\"tooltip\" id=\"folio-term-1\">A list of &lt;components&gt;.</span></span>"
        ),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("aria-describedby=\"folio-term-2\">the list</a>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<code>[[SBOM]]</code>"), "{}", r.html);
    assert_eq!(r.html.matches("term-link").count(), 2, "{}", r.html);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    // Search indexes the visible text, not the tooltip.
    assert_eq!(
        r.sections[0].text.trim(),
        "An SBOM, the list and [[SBOM]] or [[SBOM]]."
    );
}

#[test]
fn unknown_terms_are_errors_at_their_brackets() {
    let r = render_md("Intro\n\nSee [[SBON]] here.\n", None);
    let error = &r.diagnostics[0];
    assert_eq!(error.message, "unknown glossary term `SBON`");
    let loc = error.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column, loc.width), (3, 5, 8));
}

#[test]
fn headings_get_unique_ids_and_anchor_links() {
    let r = render_md("## Usage\n\n## Usage\n\n### Who approves?\n", Some("T"));
    // The link beside the heading is folio.js's: the HTML has only the id.
    assert!(r.html.contains("<h2 id=\"usage\">Usage</h2>"));
    assert!(r.html.contains("<h2 id=\"usage-1\">"));
    assert!(r.html.contains("<h3 id=\"who-approves\">"));
    assert_eq!(r.toc.len(), 2);
    assert_eq!(r.toc[1].children[0].id, "who-approves");
}

#[test]
fn custom_heading_ids_win() {
    let r = render_md("## Intro {#start .lead}\n", None);
    assert!(
        r.html.contains("<h2 id=\"start\" class=\"lead\">Intro"),
        "{}",
        r.html
    );
}

#[test]
fn leading_h1_becomes_the_title_and_is_not_repeated() {
    let r = render_md("# My page\n\nText\n", None);
    assert_eq!(r.h1.as_deref(), Some("My page"));
    assert!(!r.html.contains("<h1"), "{}", r.html);
    let kept = render_md("# Other heading\n\nText\n", Some("Front title"));
    assert!(
        kept.html.contains("<h1 id=\"other-heading\">"),
        "{}",
        kept.html
    );
}

#[test]
fn alerts_become_callouts() {
    let r = render_md("> [!WARNING]\n> Mind the gap.\n", None);
    assert!(
        r.html.contains(
            "<div class=\"callout callout-warning\" role=\"note\" aria-label=\"Warning\">"
        ),
        "{}",
        r.html
    );
    assert!(r.html.contains("Mind the gap."));
    assert!(!r.html.contains("blockquote"));
}

#[test]
fn links_are_rewritten_and_broken_ones_reported() {
    let r = render_md("See [x](other.md#part) and\n[y](missing.md).\n", None);
    assert!(r.html.contains("href=\"/other/#part\""), "{}", r.html);
    assert_eq!(r.anchor_refs[0].anchor, "part");
    assert_eq!(r.anchor_refs[0].page, Some(7));
    assert_eq!(r.linked_pages, [7]);
    let error = &r.diagnostics[0];
    assert_eq!(error.message, "link to a missing page `missing.md`");
    assert_eq!(error.code, Some(Code::BrokenLink));
    let loc = error.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (2, 1));
}

#[test]
fn empty_links_warn_and_raw_html_passes_through() {
    let r = render_md("[text]() then <span id=\"raw\">x</span> and </p>\n", None);
    assert!(r.diagnostics[0].message.contains("empty link"));
    assert!(!r.diagnostics[0].is_error());
    assert!(r.html.contains("<span id=\"raw\">x</span>"));
    assert!(r.anchors.contains("raw"));
}

#[test]
fn tables_are_wrapped_and_tasks_rendered() {
    let r = render_md("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n", None);
    assert!(
        r.html.contains("<div class=\"table-wrap\">\n<table>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("type=\"checkbox\""));
}

#[test]
fn text_is_cut_into_sections_at_headings_for_search() {
    let out = render_md(
        "Intro with `code`.\n\n## First part\n\nOne\ntwo.\n\n##### Deep\n\n- a\n- b\n\n## Second\n\n| x | y |\n|---|---|\n| 1 | 2 |\n",
        None,
    );
    let sections: Vec<(Option<&str>, &str, &str)> = out
        .sections
        .iter()
        .map(|s| (s.anchor.as_deref(), s.heading.as_str(), s.text.trim_end()))
        .collect();
    assert_eq!(
        sections,
        [
            (None, "", "Intro with code."),
            (Some("first-part"), "First part", "One two.\nDeep\na\nb"),
            (Some("second"), "Second", "x\ny\n1\n2"),
        ]
    );
}
