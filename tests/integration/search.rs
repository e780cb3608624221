//! Search from the command line and in the browser client: the index is found without
//! rebuilding, kept out of the deployed output, ranks titles first, understands other languages,
//! and the browser client ranks exactly as tantivy does.

use std::path::Path;

use folio::search::index_dir;
use folio::search::query::{Request, SearchIndex};
use serde_json::{Value, json};

use crate::chromium::{Browser, StaticServer};
use crate::serve::{SERVE_OUTPUT, Server};
use crate::support::{REPO_ROOT, SiteTest, copy_dir};

/// The multilingual fixture plus the repository's own handbook under `handbook/`.
fn search_site() -> SiteTest {
    let site = SiteTest::fixture("search/languages");
    copy_dir(
        &Path::new(REPO_ROOT).join("content"),
        &site.path("content/handbook"),
    );
    // The handbook's pages link glossary terms.
    copy_dir(&Path::new(REPO_ROOT).join("data"), &site.path("data"));
    site
}

fn titles(run_stdout: &str) -> Vec<String> {
    let hits: Vec<Value> = serde_json::from_str(run_stdout).expect("JSON results");
    hits.iter()
        .map(|h| h["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn folio_search_uses_the_last_builds_index_and_ranks_the_title_first() {
    let site = SiteTest::fixture("search/languages");
    site.build(&[]).assert_success();
    // Every policy says "retention"; the one titled so comes first.
    let run = site.folio(&["search", "retention", "--json"]);
    run.assert_success();
    assert_eq!(titles(&run.stdout)[0], "Retention");

    let run = site.folio(&["search", "retention"]);
    run.assert_success();
    assert!(
        run.stdout
            .starts_with("1. Retention  [policy]\n   /policies/retention/\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("**Retention**") || run.stdout.contains("**retention**"),
        "matches are highlighted: {}",
        run.stdout
    );
}

/// Pages about merging: one whose sections each answer part of "squash or rebase when merging",
/// one that asks the whole question in its opening, one that only repeats "merging", and one
/// that never says it.
pub(crate) fn merging_site() -> SiteTest {
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"Merging\"\n");
    site.write(
        "content/source/strategies.md",
        "---\ntitle: Merge strategies\n---\nHow a branch gets into main.\n\n\
         ## Squash merges\n\nA squash folds every commit of a branch into one.\n\n\
         ## Rebase before merging\n\nRebase the branch on main before merging it.\n\n\
         ## Rebase and squash\n\nSquash fixups with an interactive rebase, then do the merging.\n\n\
         ## Merge commits\n\nA merge commit keeps every commit of the branch.\n",
    );
    site.write(
        "content/source/history.md",
        "---\ntitle: Clean history\n---\nWhen to squash commits and when to rebase them before \
         merging a pull request.\n",
    );
    site.write(
        "content/source/branches.md",
        "---\ntitle: Branches\n---\nMerging, merging, merging: branches are for merging, and \
         merging often keeps merging easy.\n",
    );
    site.write(
        "content/source/tags.md",
        "---\ntitle: Tags\n---\nA tag names a commit for a release.\n",
    );
    site
}

/// The page a result URL belongs to.
fn page_of(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

#[test]
fn results_are_one_per_page_with_its_matching_sections_beneath() {
    let site = merging_site();
    site.build(&[]).assert_success();
    let query = "squash or rebase when merging";
    let run = site.folio(&["search", query, "--json"]);
    run.assert_success();
    let hits: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON results");
    let pages: Vec<&str> = hits
        .iter()
        .map(|h| page_of(h["url"].as_str().unwrap()))
        .collect();
    // Each page once; those that only say "merging" after those with all three words: the
    // page that repeats it, then the home page, whose title is "Merging" (a title with one word
    // of three counts for a ninth of its score) and whose list of pages has two of them.
    assert_eq!(
        pages,
        [
            "/source/strategies/",
            "/source/history/",
            "/source/branches/",
            "/"
        ],
        "{hits:#?}"
    );
    // The page's own text is its best match: its headings have all three words.
    assert_eq!(hits[0]["title"], "Merge strategies", "{hits:#?}");
    assert_eq!(hits[0]["url"], "/source/strategies/");
    assert_eq!(hits[0]["words"], 3);
    assert_eq!(hits[3]["words"], 1);
    // Beneath it, three more of the page's matches, best first: the section with the three
    // words, then sections with two; "Merge commits" matches too ("merge" and "merging" share a
    // stem) but is one too many.
    let beneath: Vec<(&str, u64)> = hits[0]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["url"].as_str().unwrap(), s["words"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        beneath,
        [
            ("/source/strategies/#rebase-and-squash", 3),
            ("/source/strategies/#rebase-before-merging", 2),
            ("/source/strategies/#squash-merges", 2),
        ],
        "{hits:#?}"
    );
    assert!(hits[1]["sections"].as_array().unwrap().is_empty());
    // Question and function words are neither scored nor marked.
    for hit in hits
        .iter()
        .chain(hits.iter().flat_map(|h| h["sections"].as_array().unwrap()))
    {
        let snippet = hit["snippet"].as_str().unwrap();
        for range in hit["highlights"].as_array().unwrap() {
            let (start, end) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
            let marked = snippet[start as usize..end as usize].to_lowercase();
            assert!(!["or", "when", "to"].contains(&marked.as_str()), "{hit}");
        }
    }
    let history_score = hits[1]["score"].as_f64().unwrap();
    let repeats_score = hits[3]["score"].as_f64().unwrap();
    assert!(history_score > repeats_score, "{hits:#?}");

    // The text output lists the sections indented beneath their page's entry.
    let run = site.folio(&["search", query]);
    run.assert_success();
    assert!(
        run.stdout
            .starts_with("1. Merge strategies  [page]\n   /source/strategies/\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "\n   - Rebase before merging  /source/strategies/#rebase-before-merging\n     **Rebase** the branch"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\n\n2. Clean history  [page]\n"),
        "{}",
        run.stdout
    );

    // With room for one page, only its best section: nothing ranks above the last page's best.
    let run = site.folio(&["search", query, "--json", "--limit", "1"]);
    let hits: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON results");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["sections"], json!([]));

    // A query made only of question and function words still finds what has them.
    let run = site.folio(&["search", "when to", "--json"]);
    run.assert_success();
    assert_eq!(titles(&run.stdout), ["Clean history"]);
}

#[test]
fn the_search_api_groups_results_as_folio_search_does() {
    let site = merging_site();
    let server = Server::start(&site, &[]);
    let output = site.path(SERVE_OUTPUT);
    let reply = server.get("/api/search?q=squash+or+rebase+when+merging&limit=2");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let got: Value = serde_json::from_slice(&reply.body).expect("API JSON");
    let run = site.folio(&[
        "search",
        "squash or rebase when merging",
        "--json",
        "--limit",
        "2",
        "--output",
        output.to_str().unwrap(),
    ]);
    let expected: Value = serde_json::from_str(&run.stdout).expect("folio search JSON");
    assert_eq!(got, expected);
    assert_eq!(got.as_array().unwrap().len(), 2);
    assert!(
        !got[0]["sections"].as_array().unwrap().is_empty(),
        "{got:#}"
    );
}

#[test]
fn the_index_lives_beside_the_output_not_in_it() {
    let site = SiteTest::fixture("search/languages");
    site.build(&[]).assert_success();
    let index = index_dir(&site.public());
    assert_eq!(index, site.path(".public.folio-index"));
    assert!(index.join("meta.json").is_file(), "tantivy's meta.json");
    assert!(!site.public().join("meta.json").exists());
    // The export is split: meta, shards, per-page data; no file is the whole index.
    for dir in ["s", "d"] {
        assert!(site.public().join("_search").join(dir).is_dir());
    }
    assert!(site.public().join("_search/entry.json").is_file());
    assert!(site.public().join("search/index.html").is_file());
}

#[test]
fn a_failed_build_keeps_the_previous_index() {
    let site = SiteTest::fixture("search/languages");
    site.build(&[]).assert_success();
    site.write(
        "content/policies/retention.md",
        "---\ntitle: [broken\n---\nA different body about archives.\n",
    );
    site.build(&[]).assert_code(1);
    let run = site.folio(&["search", "retention", "--json"]);
    run.assert_success();
    assert_eq!(titles(&run.stdout)[0], "Retention");
    assert!(!site.root().read_dir().expect("list").any(|e| {
        let name = e.expect("entry").file_name();
        name.to_string_lossy().contains("-building-")
    }));
}

#[test]
fn kind_and_tag_filters_and_query_syntax() {
    let site = search_site();
    site.build(&[]).assert_success();
    let run = site.folio(&["search", "licence", "--kind", "faq", "--json"]);
    run.assert_success();
    let hits: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON");
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["kind"] == "faq"), "{hits:?}");

    let run = site.folio(&["search", "lizenz", "--tag", "licensing", "--json"]);
    assert_eq!(titles(&run.stdout), ["Lizenzen prüfen"]);

    // A phrase, a required and an excluded word, a field.
    let run = site.folio(&["search", "\"seven years\"", "--json"]);
    assert_eq!(titles(&run.stdout), ["Retention"]);
    let run = site.folio(&["search", "+retention -audits", "--json"]);
    assert!(!titles(&run.stdout).contains(&"Records of approvals".to_string()));
    // An excluded phrase, at the top level and inside a group.
    for query in [
        "retention -\"seven years\"",
        "+retention +(approval -\"seven years\")",
    ] {
        let run = site.folio(&["search", query, "--json"]);
        run.assert_success();
        let found = titles(&run.stdout);
        assert!(
            found.contains(&"Records of approvals".to_string()),
            "{query}: {found:?}"
        );
        assert!(
            !found.contains(&"Retention".to_string()),
            "{query}: {found:?}"
        );
    }
    let run = site.folio(&["search", "title:records", "--json"]);
    assert!(
        titles(&run.stdout)
            .iter()
            .all(|t| t.to_lowercase().contains("record"))
    );

    let run = site.folio(&["search", "retent*", "--json"]);
    assert_eq!(titles(&run.stdout)[0], "Retention");

    let run = site.folio(&["search", "title:(unclosed", "--json"]);
    run.assert_code(1);
    run.assert_stderr_contains("cannot read the query");
}

#[test]
fn other_languages_are_stemmed_or_split_into_bigrams() {
    let site = SiteTest::fixture("search/languages");
    site.build(&[]).assert_success();
    let first = |query: &str| {
        let run = site.folio(&["search", query, "--json", "--limit", "1"]);
        titles(&run.stdout).into_iter().next().unwrap_or_default()
    };
    // German stemming joins Lizenz, Lizenzen and Lizenzierung.
    assert_eq!(first("Lizenz"), "Lizenzen prüfen");
    // Chinese and Japanese have no spaces: bigrams find words inside sentences.
    assert_eq!(first("许可证"), "开源许可证政策");
    assert_eq!(first("ライセンス"), "オープンソースのライセンス");
    assert_eq!(first("código"), "Contribuir al código abierto");
}

#[test]
fn searching_without_an_index_says_to_build_first() {
    let site = SiteTest::fixture("search/languages");
    let run = site.folio(&["search", "retention"]);
    run.assert_code(1);
    run.assert_stderr_contains("run `folio build` first");
    site.build(&[]).assert_success();
    let run = site.folio(&["search", "zzzzqqq"]);
    run.assert_code(1);
    run.assert_stderr_contains("No results");
}

#[test]
fn a_query_nested_too_deep_is_refused_by_folio_search_with_the_limit() {
    let site = SiteTest::fixture("search/languages");
    site.build(&[]).assert_success();
    let message = "error: the query nests groups 20000 levels deep, and at most 32 are allowed: \
                   remove some parentheses or `NOT`s";
    // 20,000 `(` aborted the process with a stack overflow.
    let run = site.folio(&["search", &"(".repeat(20_000)]);
    run.assert_code(1);
    assert_eq!(run.stderr.trim_end(), message);
    let run = site.folio(&["search", "--", &"-(".repeat(20_000)]);
    run.assert_code(1);
    assert_eq!(run.stderr.trim_end(), message);
    let run = site.folio(&["search", &"(a) ".repeat(65)]);
    run.assert_code(1);
    run.assert_stderr_contains("the query has 65 groups (`(` and `NOT`), and at most 64");
    // At the limit, the query is searched as usual.
    let at_limit = format!("{}retention{}", "(".repeat(32), ")".repeat(32));
    let run = site.folio(&["search", &at_limit, "--json"]);
    run.assert_success();
    assert_eq!(titles(&run.stdout)[0], "Retention");
}

#[test]
fn the_search_api_answers_a_query_nested_too_deep_with_400_and_keeps_serving() {
    let site = SiteTest::fixture("serve/site");
    let server = Server::start(&site, &[]);
    // 3,000 nested `(` aborted `folio serve`: any page the author visited could send it. (Sent
    // as they are, not as `%28`, to stay well within any limit on the request line's length.)
    let reply = server.get(&format!("/api/search?q={}", "(".repeat(3000)));
    assert_eq!(reply.status, 400, "{}", reply.text());
    let body: Value = serde_json::from_slice(&reply.body).expect("a JSON error");
    assert_eq!(
        body,
        json!({"error": "the query nests groups 3000 levels deep, and at most 32 are allowed: remove some parentheses or `NOT`s"})
    );
    let reply = server.get(&format!("/api/search?q={}marmalade", "NOT+".repeat(500)));
    assert_eq!(reply.status, 400, "{}", reply.text());
    // The server is still there, and answers as before.
    let reply = server.get("/api/search?q=marmalade");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let hits: Value = serde_json::from_slice(&reply.body).unwrap();
    assert!(!hits.as_array().unwrap().is_empty(), "{hits}");
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_limit_of_zero_is_refused_by_folio_search_and_the_api_alike() {
    let site = SiteTest::fixture("serve/site");
    let server = Server::start(&site, &[]);
    // It returned one result.
    let reply = server.get("/api/search?q=marmalade&limit=0");
    assert_eq!(reply.status, 400, "{}", reply.text());
    let body: Value = serde_json::from_slice(&reply.body).unwrap();
    assert_eq!(
        body,
        json!({"error": "`limit=0` leaves room for no results: give 1 or more"})
    );
    let output = site.path(SERVE_OUTPUT);
    let run = site.folio(&[
        "search",
        "marmalade",
        "--limit",
        "0",
        "--output",
        output.to_str().unwrap(),
    ]);
    run.assert_code(2);
    assert_eq!(run.stdout, "", "no results are printed for a refused limit");
    assert_eq!(
        run.stderr.trim_end(),
        "error: `--limit 0` leaves room for no results: give 1 or more"
    );
    // A limit past the number of documents is no longer an overflow or a huge allocation.
    let run = site.folio(&[
        "search",
        "marmalade",
        "--json",
        "--limit",
        "18446744073709551615",
        "--output",
        output.to_str().unwrap(),
    ]);
    run.assert_success();
    assert!(!titles(&run.stdout).is_empty());
}

#[test]
fn queries_at_the_limits_run_on_half_the_stack_of_a_serve_request() {
    let site = SiteTest::fixture("search/languages");
    site.build(&[]).assert_success();
    let index = SearchIndex::open(&index_dir(&site.public())).expect("open the index");
    let nest =
        |unit: &str, times: usize| format!("{}retention{}", unit.repeat(times), ")".repeat(times));
    let queries = [
        // The costliest accepted nesting: an excluded phrase, searched apart, at each level.
        nest("+(retention -\"seven years\" ", 32),
        nest("(NOT (retention ", 16),
        nest("title:(", 32),
        // Quotes inside regexes hide every other group from the nesting count; the number of
        // groups still bounds how deep tantivy's grammar goes.
        nest("(/'/ ", 64),
    ];
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            for query in &queries {
                let request = Request {
                    query: query.clone(),
                    limit: 5,
                    ..Request::default()
                };
                // An overflow would abort the whole test run here.
                let _ = index.search(&request);
            }
            let first = Request {
                query: queries[0].clone(),
                limit: 5,
                ..Request::default()
            };
            assert!(!index.search(&first).expect("searched").is_empty());
        })
        .expect("a thread")
        .join()
        .expect("no panic");
}

/// Queries for the parity test: `(query, prefix, kind)`.
const PARITY_QUERIES: &[(&str, bool, Option<&str>)] = &[
    // single words
    ("agpl", false, None),
    ("licence", false, None),
    ("policy", false, None),
    ("security", false, None),
    ("vulnerability", false, None),
    ("cla", false, None),
    ("approval", false, None),
    ("release", false, None),
    ("ospo", false, None),
    ("retention", false, None),
    // several words
    ("open source", false, None),
    ("can I use AGPL code?", false, None),
    ("contributing to external projects", false, None),
    ("report a vulnerability", false, None),
    ("who approves contributions", false, None),
    ("licence review before release", false, None),
    // stemmed variants
    ("contributions", false, None),
    ("contributing", false, None),
    ("licences", false, None),
    ("releases", false, None),
    ("approved", false, None),
    ("dependencies", false, None),
    ("vulnerabilities", false, None),
    // acronyms' plurals ("CVEs" is "CVE"), and one no page writes ("SDKs": pages say "SDK")
    ("cves", false, None),
    ("clas", false, None),
    ("sdks", false, None),
    // prefixes, as while typing
    ("lic", true, None),
    ("contr", true, None),
    ("vuln", true, None),
    ("depend", true, None),
    ("open sou", true, None),
    ("secur", true, None),
    ("can i use ag", true, None),
    // typos
    ("licnese", false, None),
    ("vulnerabilty", false, None),
    ("contributer", false, None),
    // other languages
    ("Lizenz", false, None),
    ("Lizenzen Beiträge", false, None),
    ("logiciels libres", false, None),
    ("contribuciones", false, None),
    ("开源", false, None),
    ("许可证", false, None),
    ("ライセンス", false, None),
    ("脆弱性の報告", false, None),
    // question and function words: left out of the score, unless there is nothing else
    ("how do I get approval for a release", false, None),
    (
        "what is the policy on the retention of records",
        false,
        None,
    ),
    ("the", false, None),
    ("what is it", false, None),
    ("is there a", true, None),
    // many words, matched by few documents each: coordination decides
    (
        "security vulnerability retention licence approval",
        false,
        None,
    ),
    ("records release contributions", false, None),
    // synonyms (the handbook's data/synonyms.yaml) and glossary terms
    ("sbom", false, None),
    ("software bill of materials", false, None),
    ("contributor license agreement", false, None),
    ("what is a CLA", false, None),
    ("developer certificate of origin", false, None),
    ("oss", false, None),
    ("inner source", false, None),
    ("open source program office", false, None),
    ("software bill of mat", true, None),
    ("screen reader a11y", false, None),
    ("bill of materials and a CLA", false, None),
    ("cla", false, Some("glossary")),
    // filters
    ("licence", false, Some("faq")),
    ("retention records", false, Some("policy")),
];

/// The browser client, run in Chromium on the export, returns the same 5 pages as tantivy, in
/// the same order, with the same sections beneath each.
#[test]
fn the_browser_client_ranks_exactly_as_tantivy() {
    let Some(mut browser) = Browser::launch("the_browser_client_ranks_exactly_as_tantivy") else {
        return;
    };
    let site = search_site();
    site.build(&[]).assert_success();
    let (index, _server) = open_search(&mut browser, &site);

    let (mut compared, mut exact, mut beneath) = (0, 0, 0);
    for &(query, prefix, kind) in PARITY_QUERIES {
        let request = Request {
            query: query.to_string(),
            kind: kind.map(str::to_string),
            tag: None,
            limit: 5,
            prefix,
        };
        let expected = index.rank_plain(&request).expect("tantivy ranks");
        assert!(!expected.is_empty(), "`{query}` must find something");
        let got = browser_ranking(&mut browser, &request);
        exact += assert_same_ranking(query, &expected, &got);
        compared += 1;
        beneath += expected.iter().filter(|page| page.len() > 1).count();
    }
    assert!(compared >= 40);
    // The grouping is exercised: some pages list sections beneath their best match.
    assert!(beneath >= 10, "only {beneath} pages with sections beneath");
    // Most scores are final: a client that never finished a score would not pass for exact.
    assert!(exact * 2 > compared * 5, "only {exact} exact scores");
}

/// A term in hundreds of documents has postings beyond those in its vocabulary shard, in packs
/// (`p/`) that the client reads by parts while it ranks: it still ranks as tantivy does. The
/// pages' result data is packed too, 32 pages a file: a few files, not one per page.
#[test]
fn the_browser_client_ranks_as_tantivy_when_postings_span_several_files() {
    let Some(mut browser) =
        Browser::launch("the_browser_client_ranks_as_tantivy_when_postings_span_several_files")
    else {
        return;
    };
    let site = SiteTest::empty();
    site.write("site.toml", "title = \"Approvals\"\n");
    write_approval_notes(&site, 250, |i| {
        if i % 5 == 0 {
            "records are kept"
        } else {
            "nothing kept"
        }
    });
    site.build(&[]).assert_success();
    let chunks = crate::support::list_dir(&site.public().join("_search/p"));
    assert_eq!(chunks.len(), 1, "one pack of further postings: {chunks:?}");
    // 250 notes, their section page and the home page.
    let data = crate::support::list_dir(&site.public().join("_search/d"));
    assert_eq!(data.len(), 252usize.div_ceil(32), "{data:?}");
    let (index, _server) = open_search(&mut browser, &site);
    for (query, prefix) in [
        ("approval", false),
        ("approval records", false),
        ("appro", true),
    ] {
        let request = Request {
            query: query.to_string(),
            limit: 10,
            prefix,
            ..Request::default()
        };
        let expected = index.rank_plain(&request).expect("tantivy ranks");
        assert_eq!(expected.len(), 10, "`{query}`");
        let got = browser_ranking(&mut browser, &request);
        assert_same_ranking(query, &expected, &got);
    }
}

/// Writes `count` notes of three documents each (`content/notes/note-NNN.md`), every one with
/// "approval" a different number of times; note `i`'s "Steps" section ends with `records(i)`.
pub(crate) fn write_approval_notes(
    site: &SiteTest,
    count: usize,
    records: impl Fn(usize) -> &'static str,
) {
    for i in 0..count {
        let approvals = |n: usize| "approval ".repeat(1 + (i * n) % 9);
        site.write(
            &format!("content/notes/note-{i:03}.md"),
            &format!(
                "---\ntitle: Note {i}\n---\n{} before.\n\n## Steps\n\n{} {}.\n\n## Owners\n\n{} after.\n",
                approvals(1),
                approvals(3),
                records(i),
                approvals(7)
            ),
        );
    }
}

/// Opens the built site's index for tantivy, and its home page in `browser` until the search
/// client has loaded; the server lives as long as the returned handle.
fn open_search(browser: &mut Browser, site: &SiteTest) -> (SearchIndex, StaticServer) {
    let index = SearchIndex::open(&index_dir(&site.public())).expect("open the index");
    let server = StaticServer::start(&site.public());
    browser.goto(&format!("{}/", server.origin));
    browser.wait_for("window.FolioSearch && window.FolioSearch.engine");
    (index, server)
}

/// One ranked document: export position, score, whether the score is final, matched words.
type Doc = (u64, f64, bool, usize);

/// The browser client's ranking for `request`: pages, each as its listed documents.
pub(crate) fn browser_ranking(browser: &mut Browser, request: &Request) -> Vec<Vec<Doc>> {
    let options = json!({
        "k": request.limit,
        "prefix": request.prefix,
        "kind": request.kind.as_deref().unwrap_or(""),
    });
    let script = format!(
        "window.FolioSearch.engine.rank({}, {options}).then(r => r.map(p => p.docs.map(h => [h.doc, h.score, h.exact, h.words])))",
        json!(request.query)
    );
    serde_json::from_value(browser.eval(&script)).expect("pages of documents")
}

/// Same pages in the same order, each with the same documents beneath it in the same order. A
/// score the browser reports as exact equals tantivy's to float32 precision, and two such
/// documents (or pages) may only swap places when tantivy gave them the same score. The client
/// stops fetching postings once the listing is settled, so a score it does not call exact is a
/// lower bound of tantivy's, and its document must be tantivy's. Returns how many scores were
/// exact.
pub(crate) fn assert_same_ranking(
    query: &str,
    expected: &[Vec<(u64, f32, usize)>],
    got: &[Vec<Doc>],
) -> usize {
    assert_eq!(
        expected.len(),
        got.len(),
        "`{query}`: tantivy {expected:?}, browser {got:?}"
    );
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-5 * a.abs().max(1.0);
    let tantivy: Vec<(u64, f64, usize)> = expected
        .iter()
        .flatten()
        .map(|&(doc, score, words)| (doc, f64::from(score), words))
        .collect();
    let score_of = |doc: u64| tantivy.iter().find(|d| d.0 == doc).map(|d| d.1);
    let mut exact = 0;
    for (p, (want_page, got_page)) in expected.iter().zip(got).enumerate() {
        let want_docs: Vec<u64> = want_page.iter().map(|d| d.0).collect();
        let got_docs: Vec<u64> = got_page.iter().map(|d| d.0).collect();
        if want_docs != got_docs {
            // Only a tie moves a document: each the browser lists has tantivy's score there.
            let tied = want_page
                .iter()
                .zip(got_page)
                .all(|(w, g)| score_of(g.0).is_some_and(|s| close(s, f64::from(w.1))));
            assert!(
                tied && want_page.len() == got_page.len(),
                "`{query}` page {p}: tantivy lists {want_docs:?}, the browser {got_docs:?}\n tantivy {expected:?}\n browser {got:?}"
            );
        }
        for (
            i,
            (&(want_doc, want_score, want_words), &(got_doc, got_score, got_exact, got_words)),
        ) in want_page.iter().zip(got_page).enumerate()
        {
            let want_score = f64::from(want_score);
            if !got_exact {
                assert!(
                    want_doc == got_doc && got_score <= want_score * (1.0 + 1e-5),
                    "`{query}` page {p} #{i}: tantivy ranks doc {want_doc} at {want_score}, the browser doc {got_doc} at {got_score} or more\n tantivy {expected:?}\n browser {got:?}"
                );
                continue;
            }
            exact += 1;
            assert!(
                close(want_score, got_score),
                "`{query}` page {p} #{i}: tantivy scored {want_score}, the browser {got_score}"
            );
            if want_doc == got_doc {
                assert_eq!(
                    want_words, got_words,
                    "`{query}` page {p} #{i}: words matched by doc {got_doc}"
                );
            }
        }
    }
    exact
}
