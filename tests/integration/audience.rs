//! Public and internal builds: pages with `visibility: internal`, or under a section whose
//! `_index.md` says so, leave no trace in a public build (HTML, file names, search index and
//! export, sitemap, tags, aliases), are all there in an internal one, and a public page may not
//! link to them.

use std::io::Read;
use std::path::Path;

use flate2::read::GzDecoder;
use folio::search::index_dir;
use serde_json::Value;

use crate::support::{SiteTest, location_of, select_attrs, select_texts, snapshot};

/// In every internal page's title, body, description, tags, aliases and file or folder name.
const MARKER: &str = "ZQXMARKER";

/// The lower-case hex of `text`, as the search export names tag filter files.
fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Every form of the marker a leak could take, lower-cased: as written (URLs and slugs
/// lower-case it; it needs no percent-encoding) and in hex, as in `_search/f/t-<hex>.bin`.
fn marker_forms() -> Vec<String> {
    vec![
        MARKER.to_lowercase(),
        hex(MARKER),
        hex(&MARKER.to_lowercase()),
    ]
}

/// Panics if the marker occurs in the name or the bytes of any file under `dir`, gunzipping
/// `.bin` files under `_search/` first. Returns how many files were gunzipped.
#[track_caller]
fn assert_no_marker(dir: &Path) -> usize {
    assert_absent(dir, &marker_forms())
}

/// The text of every gzip member in `bytes`: a search file is one gzip stream, and a pack
/// (`_search/d/`, `_search/p/`) a table of offsets then one member per page or chunk; a member is
/// tried at every gzip signature, so none is skipped whatever the table says.
fn gzip_members(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut members = Vec::new();
    for at in 0..bytes.len().saturating_sub(2) {
        if bytes[at..at + 3] != [0x1f, 0x8b, 0x08] {
            continue;
        }
        let mut plain = Vec::new();
        if GzDecoder::new(&bytes[at..]).read_to_end(&mut plain).is_ok() {
            members.push(plain);
        }
    }
    members
}

/// Panics if any of `forms` (lower-case) occurs in the name or the bytes of a file under `dir`,
/// gunzipping `.bin` files under `_search/` first. Returns how many files were gunzipped.
#[track_caller]
fn assert_absent(dir: &Path, forms: &[String]) -> usize {
    let mut gunzipped = 0;
    for (rel, bytes) in snapshot(dir) {
        let name = rel.to_string_lossy().to_lowercase();
        for form in forms {
            assert!(
                !name.contains(form.as_str()),
                "{form:?} in the file name {}",
                rel.display()
            );
        }
        let mut texts = vec![bytes.clone()];
        if rel.starts_with("_search") && name.ends_with(".bin") {
            let members = gzip_members(&bytes);
            assert!(!members.is_empty(), "{} holds no gzip data", rel.display());
            texts.extend(members);
            gunzipped += 1;
        }
        for text in texts {
            let text = String::from_utf8_lossy(&text).to_lowercase();
            for form in forms {
                assert!(
                    !text.contains(form.as_str()),
                    "{form:?} in {}",
                    rel.display()
                );
            }
        }
    }
    gunzipped
}

/// The titles `folio search QUERY --json` finds, or none when it finds nothing.
fn search_titles(site: &SiteTest, query: &str) -> Vec<String> {
    let run = site.folio(&["search", query, "--json"]);
    if run.code != 0 {
        return Vec::new();
    }
    let hits: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON results");
    hits.iter()
        .map(|h| h["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[track_caller]
/// True when the export in `filters` (`_search/f`) has the file of tag `tag`:
/// `t-<hex>.<content hash>.bin`.
fn has_filter(filters: &std::path::Path, tag: &str) -> bool {
    let prefix = format!("t-{}.", hex(tag));
    crate::support::list_dir(filters)
        .iter()
        .any(|name| name.starts_with(&prefix) && name.ends_with(".bin"))
}

/// The text of the navigation file the sidebar of `url_path` names (`_nav/<hash>.json`).
fn nav_file(site: &SiteTest, url_path: &str) -> String {
    let url = select_attrs(&site.html(url_path), "nav.sidebar", "data-nav")
        .pop()
        .expect("the sidebar names its navigation file");
    site.read(&format!("public{url}"))
}

fn assert_public_build(site: &SiteTest) {
    let gunzipped = assert_no_marker(&site.public());
    // The navigation file, among the files scanned above, has the public pages only.
    let nav = nav_file(site, "guides/welcome/");
    assert!(nav.contains("\"Welcome\""), "{nav}");
    assert!(!nav.to_lowercase().contains("zqxmarker"), "{nav}");
    assert!(gunzipped > 3, "the search export was checked");
    assert_no_marker(&index_dir(&site.public()));
    // The export names tag filters by the tag's hex: the internal tag has none.
    let filters = site.public().join("_search/f");
    assert!(has_filter(&filters, "onboarding"));
    assert!(!has_filter(&filters, "ZQXMARKER team"));

    // The public pages are all there, and lists show only them.
    for url in [
        "",
        "guides/",
        "guides/welcome/",
        "guides/contributing/",
        "old/welcome/",
    ] {
        assert!(site.output_file(url).is_file(), "no /{url}");
    }
    assert_eq!(
        select_texts(&site.main_html("tags/onboarding/"), ".page-card-title a"),
        ["Contributing", "Welcome"]
    );
    assert!(search_titles(site, MARKER).is_empty());
    assert_eq!(search_titles(site, "pull request"), ["Contributing"]);
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("https://handbook.example.org/guides/welcome/"));
    // The page catalogue is among the files scanned above: it lists the public pages only.
    let catalog = site.read("public/catalog.json");
    assert!(catalog.contains("\"source\":\"content/guides/welcome.md\""));
}

#[test]
fn a_public_build_leaves_no_trace_of_internal_pages() {
    let site = SiteTest::fixture("audience/site");
    let run = site.build(&[]);
    run.assert_success();
    assert_public_build(&site);

    // A page that says `visibility: public` under an internal section stays internal.
    let warning = run.diagnostic("`visibility: public` is ignored");
    assert!(
        warning.contains("under the internal section `content/zqxmarker-staff/_index.md`"),
        "{warning}"
    );
    let at = location_of(&site, "content/zqxmarker-staff/office-hours.md", "public");
    assert!(warning.contains(&format!("--> {at}")), "{warning}");
}

#[test]
fn an_internal_build_has_every_page_and_finds_them() {
    let site = SiteTest::fixture("audience/site");
    site.build(&["--audience", "internal"]).assert_success();
    for url in [
        "guides/zqxmarker-roadmap/",
        "zqxmarker-staff/",
        "zqxmarker-staff/pay/",
        "zqxmarker-staff/office-hours/",
        "zqxmarker-staff/rotas/oncall/",
        "tags/zqxmarker-team/",
        "old/zqxmarker-pay/",
        "old/zqxmarker-staff/",
    ] {
        assert!(site.output_file(url).is_file(), "no /{url}");
    }
    assert!(
        site.public()
            .join("zqxmarker-staff/rotas/zqxmarker-rota.txt")
            .is_file()
    );
    assert!(
        select_attrs(&site.main_html("zqxmarker-staff/pay/"), "h2[id]", "id")
            .contains(&"zqxmarker-grades".to_string())
    );
    let found = search_titles(&site, MARKER);
    for title in [
        "ZQXMARKER roadmap",
        "ZQXMARKER staff area",
        "ZQXMARKER pay bands",
        "ZQXMARKER office hours",
        "ZQXMARKER on-call rota",
        // The glossary's internal term, a result of its own.
        "ZQXMARKER grade",
    ] {
        assert!(found.contains(&title.to_string()), "{title}: {found:?}");
    }
    assert!(has_filter(
        &site.public().join("_search/f"),
        "ZQXMARKER team"
    ));

    // The navigation file lists the internal pages too.
    let nav = nav_file(&site, "guides/welcome/");
    for title in [
        "ZQXMARKER roadmap",
        "ZQXMARKER staff area",
        "ZQXMARKER on-call rota",
    ] {
        assert!(nav.contains(title), "{title} in {nav}");
    }

    // The leak check sees the marker where it is.
    let public = site.public();
    assert!(std::panic::catch_unwind(|| assert_no_marker(&public)).is_err());

    // Building for the public again takes all of it out, search index included.
    site.build(&["--audience", "public"]).assert_success();
    assert_public_build(&site);
}

#[test]
fn site_toml_sets_the_default_audience() {
    let site = SiteTest::fixture("audience/site");
    let config = site.read("site.toml");
    site.write("site.toml", &format!("{config}audience = \"internal\"\n"));
    site.build(&[]).assert_success();
    assert!(site.output_file("zqxmarker-staff/pay/").is_file());
    site.build(&["--audience", "public"]).assert_success();
    assert_public_build(&site);

    site.write("site.toml", &format!("{config}audience = \"staff\"\n"));
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic("invalid site.toml");
    assert!(
        error.contains("unknown variant `staff`, expected `public` or `internal`"),
        "{error}"
    );
    assert!(error.contains("--> site.toml:3:"), "{error}");

    let usage = site.build(&["--audience", "staff"]);
    usage.assert_code(2);
    usage.assert_stderr_contains("--audience");
}

#[test]
fn a_public_page_may_not_link_to_an_internal_one() {
    let site = SiteTest::fixture("audience/linked");
    let run = site.build(&[]);
    run.assert_code(1);
    let page = "content/guides/welcome.md";
    for (title, needle) in [
        ("link to internal page `roadmap.md`", "[roadmap]"),
        ("link to internal page `../staff/`", "[staff]"),
        ("link to internal page `../staff/pay.md`", "[pay bands]"),
        (
            "link to `../staff/rota.txt` in an internal section",
            "[rota]",
        ),
    ] {
        let error = run.diagnostic(&format!("{title}, which a public build leaves out"));
        let at = location_of(&site, page, needle);
        assert!(error.contains(&format!("--> {at}")), "{error}");
        assert!(
            error.contains("help: make the linking page internal too, or link to a public page"),
            "{error}"
        );
    }
    run.assert_stderr_lacks("draft");
    assert!(!site.public().exists());

    site.build(&["--audience", "internal"]).assert_clean();
    assert!(site.output_file("guides/roadmap/").is_file());
    assert!(site.output_file("staff/pay/").is_file());
}

#[test]
fn a_public_policy_superseded_by_an_internal_one_says_so() {
    let site = SiteTest::fixture("audience/linked");
    // Only the `superseded_by` under test: no links to internal pages.
    site.write(
        "content/guides/welcome.md",
        "---\ntitle: Welcome\n---\n\nHello.\n",
    );
    site.write(
        "content/guides/old-rules.md",
        "---\ntitle: Old rules\nstatus: retired\nsuperseded_by: ../staff/pay.md\n---\n\nGone.\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    // It said "names a missing page", though the page is there.
    run.assert_stderr_lacks("missing page");
    let error = run.diagnostic(
        "error: `superseded_by` names the internal page `../staff/pay.md`, which a public build leaves out",
    );
    let at = location_of(&site, "content/guides/old-rules.md", "superseded_by");
    assert!(error.contains(&format!("--> {at}")), "{error}");
    assert!(
        error.contains(
            "help: make this page internal too, make the replacing page public, or remove `superseded_by` from the public page"
        ),
        "{error}"
    );
    // The internal build has both, and links one to the other.
    site.build(&["--audience", "internal"]).assert_success();
    assert!(site.output_file("guides/old-rules/").is_file());
    // A draft gets its own reason.
    site.write(
        "content/guides/old-rules.md",
        "---\ntitle: Old rules\nstatus: retired\nsuperseded_by: new-rules.md\n---\n\nGone.\n",
    );
    site.write(
        "content/guides/new-rules.md",
        "---\ntitle: New rules\ndraft: true\n---\n\nSoon.\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    let error = run.diagnostic(
        "error: `superseded_by` names the draft page `new-rules.md`, which is left out of this build",
    );
    assert!(error.contains("--drafts"), "{error}");
    site.build(&["--drafts"]).assert_success();
}

/// The bundled handbook's internal pages (the licence exceptions register and the FAQ that
/// points to it) reach its internal build and leave no trace in its public one.
#[test]
fn the_handbooks_public_build_has_none_of_its_internal_pages() {
    let site = SiteTest::handbook();
    let internal = [
        "Licence exceptions register and legal contacts",
        "Has anyone already been granted an exception for this licence?",
        "license-exceptions",
        "existing-license-exceptions",
    ];
    let forms: Vec<String> = internal.iter().map(|t| t.to_lowercase()).collect();

    site.build(&["--audience", "internal", "--output", "staff"])
        .assert_clean();
    assert!(
        site.path("staff/policies/license-exceptions/index.html")
            .is_file()
    );
    assert!(
        site.path("staff/faq/existing-license-exceptions/index.html")
            .is_file()
    );

    site.build(&[]).assert_clean();
    assert!(site.public().join("policies/licenses/index.html").is_file());
    let gunzipped = assert_absent(&site.public(), &forms);
    assert!(gunzipped > 10, "the search export was scanned");
}
