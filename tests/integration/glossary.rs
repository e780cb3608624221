//! The glossary: data/glossary.yaml as a page at /glossary/ with an anchor per term, and
//! `[[term]]` links with the definition as a tooltip, checked like links.

use crate::support::{SiteTest, href_of, location_of, select_attrs, select_texts};

#[test]
fn the_glossary_page_lists_every_term_alphabetically_with_an_anchor_each() {
    let site = SiteTest::fixture("glossary/site");
    site.build(&[]).assert_clean();
    let main = site.main_html("glossary/");
    assert_eq!(select_texts(&main, "h1.doc-title"), ["Glossary"]);
    // Sorted ignoring case; the internal term is left out of a public build.
    assert_eq!(
        select_texts(&main, "dl.glossary-list > dt"),
        ["2FA", "Copyleft", "SBOM", "SPDX"]
    );
    assert_eq!(
        select_attrs(&main, "dl.glossary-list > dt", "id"),
        ["2fa", "copyleft", "sbom", "spdx"]
    );
    // The A–Z list links the letters that have terms, and `#` for the others.
    assert_eq!(
        select_attrs(&main, ".glossary-jump a", "href"),
        ["#letter-other", "#letter-c", "#letter-s"]
    );
    assert_eq!(select_texts(&main, ".glossary-jump li").len(), 27);
    // The expansion, the definition (inline Markdown, raw HTML escaped), and related terms.
    assert_eq!(
        select_texts(&main, "#sbom + dd .glossary-name"),
        ["Software Bill of Materials"]
    );
    let definition = main
        .select(&crate::support::selector("#sbom + dd .glossary-definition"))
        .next()
        .expect("a definition")
        .inner_html();
    assert_eq!(
        definition,
        "A machine-readable <em>inventory</em> of the components in a piece of software, as &lt;b&gt;SPDX&lt;/b&gt; or <a href=\"https://cyclonedx.org/\">CycloneDX</a>."
    );
    assert_eq!(
        select_attrs(&main, "#sbom + dd .glossary-see a", "href"),
        ["/handbook/glossary/#spdx", "/handbook/glossary/#copyleft"]
    );
    assert_eq!(
        select_texts(&main, "#sbom + dd .glossary-see a"),
        ["SPDX", "Copyleft"]
    );
    // The footer of every page links the glossary.
    let home = site.html("");
    assert!(select_attrs(&home, "footer a", "href").contains(&"/handbook/glossary/".to_string()));
}

#[test]
fn term_links_carry_their_definition_in_a_tooltip() {
    let site = SiteTest::fixture("glossary/site");
    site.build(&[]).assert_clean();
    let main = site.main_html("guides/sbom/");
    assert_eq!(
        select_attrs(&main, "a.term-link", "href"),
        [
            "/handbook/glossary/#sbom",
            "/handbook/glossary/#sbom",
            "/handbook/glossary/#copyleft"
        ]
    );
    assert_eq!(
        select_texts(&main, "a.term-link"),
        ["SBOM", "the inventories", "copyleft"]
    );
    // Each link is described by its tooltip: the expansion, then the definition as plain text.
    let described = select_attrs(&main, "a.term-link", "aria-describedby");
    let tip = select_texts(&main, &format!("#{}", described[0]));
    assert_eq!(
        tip,
        [
            "Software Bill of Materials: A machine-readable inventory of the components in a piece of software, as <b>SPDX</b> or CycloneDX."
        ]
    );
    assert_eq!(
        select_attrs(&main, ".term-tip", "role"),
        ["tooltip", "tooltip", "tooltip"]
    );
    // Inside code, and after a backslash, `[[` stays as written.
    assert_eq!(select_texts(&main, "p code"), ["[[SBOM]]"]);
    assert!(
        select_texts(&main, "pre")
            .concat()
            .contains("[[SBOM]] in a code block")
    );
    assert!(
        select_texts(&main, ".prose p")[1].ends_with("[[SBOM]] stays as written."),
        "{:?}",
        select_texts(&main, ".prose p")
    );
}

#[test]
fn an_unknown_term_is_an_error_at_its_brackets_with_a_suggestion() {
    let site = SiteTest::fixture("glossary/site");
    site.write(
        "content/guides/typo.md",
        "---\ntitle: Typo\n---\n\nShip an [[SBON]] with it.\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let block = run.diagnostic("unknown glossary term `SBON`");
    assert!(
        block.contains(&location_of(&site, "content/guides/typo.md", "[[SBON]]")),
        "{block}"
    );
    assert!(block.contains("Ship an [[SBON]] with it."), "{block}");
    assert!(block.contains("did you mean `[[SBOM]]`?"), "{block}");
    assert!(!site.public().exists(), "nothing is written");
}

#[test]
fn internal_terms_stay_out_of_public_builds() {
    let site = SiteTest::fixture("glossary/site");
    // The internal section may use the internal term: it is not in a public build at all.
    site.build(&[]).assert_clean();
    let html = site.read("public/glossary/index.html");
    assert!(!html.contains("Vault"), "internal term on the public page");
    assert!(!html.contains("credentials"));

    // A public page linking it is an error, as a link to an internal page is.
    site.write(
        "content/guides/vault.md",
        "---\ntitle: Secrets\n---\n\nAsk for the [[vault]].\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let block =
        run.diagnostic("link to internal glossary term `vault`, which a public build leaves out");
    assert!(
        block.contains(&location_of(&site, "content/guides/vault.md", "[[vault]]")),
        "{block}"
    );

    // An internal build has it, and the internal page links it.
    site.build(&["--audience", "internal"]).assert_clean();
    let main = site.main_html("glossary/");
    assert!(select_texts(&main, "dt").contains(&"Vault".to_string()));
    assert_eq!(
        select_attrs(&site.main_html("staff/"), "a.term-link", "href"),
        ["/handbook/glossary/#vault"]
    );
}

#[test]
fn a_glossary_page_in_the_content_comes_first_then_the_terms() {
    let site = SiteTest::fixture("glossary/site");
    site.write(
        "content/glossary.md",
        "---\ntitle: Words we use\n---\n\nTerms of the trade.\n",
    );
    site.build(&[]).assert_clean();
    let main = site.main_html("glossary/");
    assert_eq!(select_texts(&main, "h1.doc-title"), ["Words we use"]);
    assert_eq!(
        select_texts(&main, ".doc-body > .prose"),
        ["Terms of the trade."]
    );
    assert_eq!(select_texts(&main, "dt").len(), 4);
    // Links to a term's anchor pass the anchor check.
    site.write(
        "content/guides/more.md",
        "---\ntitle: More\n---\n\nSee [the entry](../glossary.md#sbom).\n",
    );
    site.build(&[]).assert_clean();
}

#[test]
fn terms_without_a_glossary_file_stay_as_written_with_one_note() {
    let site = SiteTest::fixture("glossary/site");
    std::fs::remove_file(site.path("data/glossary.yaml")).unwrap();
    site.write(
        "content/guides/wiki.md",
        "---\ntitle: Wiki\n---\n\nSee [[Home]] and [[Setup|the setup page]].\n",
    );
    let run = site.build(&[]);
    run.assert_clean();
    let main = site.main_html("guides/sbom/");
    assert!(select_attrs(&main, "a.term-link", "href").is_empty());
    assert_eq!(
        select_texts(&main, ".prose p")[0],
        "Every release ships an [[SBOM]], and [[sboms|the inventories]] list every \
         [[copyleft]] component."
    );
    let wiki = site.main_html("guides/wiki/");
    assert_eq!(
        select_texts(&wiki, ".prose p"),
        ["See [[Home]] and [[Setup|the setup page]]."]
    );
    // One note for the build, at the first place, not one per use.
    let first = location_of(&site, "content/guides/sbom.md", "[[SBOM]]");
    let note = run.diagnostic(&format!(
        "note: `[[...]]` is written in 5 places, but the site has no glossary, so it is shown as \
         written (first at {first})"
    ));
    assert!(note.contains("data/glossary.yaml"), "{note}");
    assert_eq!(run.stderr.matches("note:").count(), 1, "{}", run.stderr);
    // The footer links no glossary page, and none is written.
    assert!(!site.public().join("glossary/index.html").exists());
}

#[test]
fn a_link_whose_text_is_in_brackets_is_a_link_not_a_term() {
    let site = SiteTest::fixture("glossary/site");
    site.write(
        "content/guides/refs.md",
        "---\ntitle: References\n---\n\nAs shown before [[1]](#resources), an [[SBOM]] helps \
         ([[2]](sbom.md), [[3|x]][ref]).\n\n## Resources\n\nThe list.\n\n[ref]: https://spdx.dev/\n",
    );
    let run = site.build(&[]);
    run.assert_clean();
    let main = site.main_html("guides/refs/");
    assert_eq!(href_of(&main, "[1]"), "#resources");
    assert_eq!(href_of(&main, "[2]"), "/handbook/guides/sbom/");
    assert_eq!(href_of(&main, "[3|x]"), "https://spdx.dev/");
    // A bare `[[term]]` beside them is still a glossary link.
    assert_eq!(
        select_attrs(&main, "a.term-link", "href"),
        ["/handbook/glossary/#sbom"]
    );
    // And a broken one is reported where it is written.
    site.write(
        "content/guides/refs.md",
        "---\ntitle: References\n---\n\nAs shown before [[1]](#resourses).\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("link to a missing heading `#resourses`");
    assert!(
        error.contains(&location_of(&site, "content/guides/refs.md", "[[1]]")),
        "{error}"
    );
}

#[test]
fn a_glossary_file_of_another_shape_stays_a_data_file_with_one_note() {
    let site = SiteTest::fixture("glossary/site");
    // Another generator's glossary: a mapping of words to definitions.
    site.write(
        "data/glossary.yaml",
        "SBOM: A list of components.\nSPDX: A licence standard.\n",
    );
    site.write(
        "templates/words.html",
        "{%- extends \"layouts/article.html\" -%}{% block doc_body %}<ul class=\"words\">\
         {% for word, text in data.glossary %}<li>{{ word }}: {{ text }}</li>{% endfor %}</ul>\
         {% endblock doc_body %}",
    );
    site.write(
        "content/guides/words.md",
        "---\ntitle: Words\ntemplate: words\n---\n\nWords.\n",
    );
    let run = site.build(&[]);
    run.assert_success();
    let note = run.diagnostic(
        "note: `data/glossary.yaml` is not in the shape of Folio's glossary (a list of entries \
         with `term`), so Folio leaves it to the templates as `data.glossary`",
    );
    assert!(note.contains("--> data/glossary.yaml:1:1"), "{note}");
    run.assert_stderr_lacks("error");
    let words = site.main_html("guides/words/");
    // Tera iterates a mapping in no fixed order.
    let mut items = select_texts(&words, ".words li");
    items.sort();
    assert_eq!(
        items,
        ["SBOM: A list of components.", "SPDX: A licence standard."]
    );
    assert!(!site.public().join("glossary/index.html").exists());
    // A list of entries of its own (no `term`, fields Folio does not know) is another shape too.
    std::fs::remove_file(site.path("content/guides/words.md")).unwrap();
    site.write(
        "data/glossary.yaml",
        "- word: SBOM\n  meaning: A list of components.\n",
    );
    site.build(&[])
        .assert_success()
        .assert_stderr_contains("note: `data/glossary.yaml` is not in the shape");
    // A Folio glossary with a misspelt field is still checked: its mistakes are errors.
    site.write(
        "data/glossary.yaml",
        "- trem: SBOM\n  definition: A list of components.\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("error: this entry has no `term`");
    assert!(error.contains("data/glossary.yaml:1:1"), "{error}");
    run.diagnostic("warning: unknown field `trem` is ignored");
}

#[test]
fn glossary_mistakes_are_errors_at_their_line() {
    let site = SiteTest::fixture("glossary/site");
    site.write(
        "data/glossary.yaml",
        "- term: SBOM\n  definition: An inventory.\n  see: [SPDXX]\n- term: SPDX\n  aliases: [sbom]\n  definition: Ids.\n- term: CLA\n- defintion: No term.\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let see = run.diagnostic("`see` names an unknown term `SPDXX`");
    assert!(see.contains("data/glossary.yaml:3:9"), "{see}");
    assert!(see.contains("did you mean `[[SPDX]]`?"), "{see}");
    let twice = run.diagnostic("`sbom` is already in the glossary, under the term `SBOM`");
    assert!(twice.contains("data/glossary.yaml:5:13"), "{twice}");
    let missing = run.diagnostic("this entry has no `definition`");
    assert!(missing.contains("data/glossary.yaml:7:1"), "{missing}");
    let no_term = run.diagnostic("this entry has no `term`");
    assert!(no_term.contains("data/glossary.yaml:8:1"), "{no_term}");
    run.assert_stderr_contains("unknown field `defintion` is ignored");
}

#[test]
fn links_in_definitions_that_would_run_script_are_text_with_a_warning_at_the_term() {
    let site = SiteTest::fixture("glossary/site");
    let yaml = site.read("data/glossary.yaml");
    site.write(
        "data/glossary.yaml",
        &format!(
            "{yaml}- term: XSS\n  definition: \"[Click](JaVaScRiPt:alert(1)), [or](java&#x09;script:alert(2)), \
             <vbscript:msgbox(3)>, [page](data:text/html,<script>alert(4)</script>), \
             ![logo](data:image/png;base64,AA) or [safe](https://owasp.org/).\"\n"
        ),
    );
    let run = site.build(&[]);
    run.assert_success();
    // Four warnings, each at the definition, naming the term and the URL as written.
    for url in [
        "JaVaScRiPt:alert(1)",
        "java\\tscript:alert(2)",
        "vbscript:msgbox(3)",
        "data:text/html,<script>alert(4)</script>",
    ] {
        let block = run.diagnostic(&format!(
            "warning: a link to `{url}` in the definition of `XSS` would run script"
        ));
        assert!(block.contains("data/glossary.yaml:20:15"), "{block}");
    }
    let main = site.main_html("glossary/");
    let definition = main
        .select(&crate::support::selector("#xss + dd .glossary-definition"))
        .next()
        .expect("a definition")
        .inner_html();
    assert_eq!(
        definition,
        "Click, or, vbscript:msgbox(3), page, <img alt=\"logo\" src=\"data:image/png;base64,AA\"> or <a href=\"https://owasp.org/\">safe</a>."
    );
    let hrefs = select_attrs(&main, "a", "href").join(" ").to_lowercase();
    assert!(!hrefs.contains("script:"), "{hrefs}");
    assert!(!hrefs.contains("data:"), "{hrefs}");
}
