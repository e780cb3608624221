//! The output folder: what is written where, and that a failed or unsafe build never damages
//! anything.

use std::fs;

use crate::support::{SiteTest, list_dir, select_attrs, select_texts, snapshot};

#[test]
fn pages_are_written_to_pretty_urls() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    for file in [
        "index.html",
        "policies/index.html",
        "policies/usage/index.html",
        "playbooks/index.html",
        "playbooks/release/index.html",
    ] {
        assert!(site.public().join(file).is_file(), "missing {file}");
    }
    assert!(!site.public().join("policies/usage.html").exists());
    assert!(!site.public().join("policies/usage.md").exists());
    assert_eq!(
        select_texts(&site.main_html("policies/usage/"), "h1"),
        ["Acceptable use"]
    );
    assert_eq!(
        crate::support::href_of(&site.main_html("policies/usage/"), "release playbook"),
        "/playbooks/release/"
    );
}

#[test]
fn page_bundle_files_are_copied_beside_the_page() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    assert_eq!(
        fs::read(site.public().join("playbooks/release/checklist.txt")).unwrap(),
        fs::read(site.path("content/playbooks/release/checklist.txt")).unwrap()
    );
    assert_eq!(
        crate::support::href_of(&site.main_html("playbooks/release/"), "the checklist"),
        "/playbooks/release/checklist.txt"
    );
}

#[test]
fn the_sitemap_lists_absolute_urls_of_every_page() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    let xml = site.read("public/sitemap.xml");
    assert!(xml.starts_with("<?xml"), "{xml}");
    let locs: Vec<&str> = xml
        .split("<loc>")
        .skip(1)
        .map(|rest| rest.split("</loc>").next().unwrap())
        .collect();
    let mut sorted = locs.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "https://handbook.example.org/",
            "https://handbook.example.org/playbooks/",
            "https://handbook.example.org/playbooks/release/",
            "https://handbook.example.org/policies/",
            "https://handbook.example.org/policies/usage/",
        ]
    );
    assert!(
        xml.contains(
            "<loc>https://handbook.example.org/policies/usage/</loc><lastmod>2026-05-01</lastmod>"
        ),
        "{xml}"
    );
}

#[test]
fn robots_txt_names_the_sitemap() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    let robots = site.read("public/robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l == "Sitemap: https://handbook.example.org/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn the_sitemap_follows_base_url_from_the_command_line() {
    let site = SiteTest::fixture("output/site");
    site.build(&["--base-url", "https://ospo.example.com/handbook/"])
        .assert_clean();
    let xml = site.read("public/sitemap.xml");
    assert!(
        xml.contains("<loc>https://ospo.example.com/handbook/policies/usage/</loc>"),
        "{xml}"
    );
    assert!(!xml.contains("handbook.example.org"), "{xml}");
    assert!(
        site.read("public/robots.txt")
            .contains("Sitemap: https://ospo.example.com/handbook/sitemap.xml")
    );
}

#[test]
fn a_not_found_page_is_written() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    let page = site.html("404.html");
    assert_eq!(select_texts(&page, "main h1"), ["Page not found"]);
    assert_eq!(
        select_attrs(&page, "meta[name=robots]", "content"),
        ["noindex"]
    );
}

#[test]
fn an_alias_redirects_to_the_page() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    let page = site.html("old/usage/");
    let refresh = select_attrs(&page, "meta[http-equiv=refresh]", "content");
    assert_eq!(
        refresh,
        ["0; url=https://handbook.example.org/policies/usage/"]
    );
    assert_eq!(
        select_attrs(&page, "link[rel=canonical]", "href"),
        ["https://handbook.example.org/policies/usage/"]
    );
}

#[test]
fn tags_get_an_index_and_a_page_each() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    let index = site.main_html("tags/");
    let mut tags = select_attrs(&index, "a.tag", "href");
    tags.sort();
    assert_eq!(tags, ["/tags/licensing/", "/tags/supply-chain/"]);

    let licensing = site.main_html("tags/licensing/");
    assert_eq!(select_texts(&licensing, "h1"), ["licensing"]);
    let mut pages = select_texts(&licensing, ".page-card-title a");
    pages.sort();
    assert_eq!(pages, ["Acceptable use", "Releasing a project"]);

    let supply = site.main_html("tags/supply-chain/");
    assert_eq!(select_texts(&supply, "h1"), ["Supply chain"]);
    assert_eq!(
        select_texts(&supply, ".page-card-title a"),
        ["Acceptable use"]
    );
    // Pages link to their tags.
    let usage = site.main_html("policies/usage/");
    assert_eq!(
        select_attrs(&usage, ".tag-list a.tag", "href"),
        ["/tags/licensing/", "/tags/supply-chain/"]
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_for_byte() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    let before = site.output_snapshot();
    assert!(before.len() > 10, "{:?}", before.keys());

    site.write(
        "content/policies/usage.md",
        "---\ntitle: Acceptable use\n---\n\nSee [nothing](nowhere.md).\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_contains("link to a missing page `nowhere.md`");
    run.assert_stderr_contains("the previous output was left as it was");
    let after = site.output_snapshot();
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &before {
        assert!(after[path] == *bytes, "{} changed", path.display());
    }
}

#[test]
fn no_staging_folder_is_left_next_to_the_output() {
    let site = SiteTest::fixture("output/site");
    let root_before = list_dir(site.root());
    site.build(&[]).assert_clean();
    site.build(&[]).assert_clean();
    site.write("content/broken.md", "# Broken\n\n[x](nowhere.md)\n");
    site.build(&[]).assert_code(1);
    let mut expected = root_before;
    // The output and, beside it, its search index: nothing half-built.
    expected.push("public".into());
    expected.push(".public.folio-index".into());
    expected.sort();
    assert_eq!(list_dir(site.root()), expected);
}

#[test]
fn a_successful_rebuild_removes_pages_that_no_longer_exist() {
    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    assert!(site.output_file("policies/usage/").is_file());
    fs::remove_file(site.path("content/policies/usage.md")).unwrap();
    site.build(&[]).assert_clean();
    assert!(!site.output_file("policies/usage/").exists());
    assert!(!site.output_file("old/usage/").exists());
}

#[test]
fn a_folder_not_written_by_folio_is_never_replaced() {
    let site = SiteTest::fixture("output/site");
    site.write("public/notes.txt", "my own notes");
    site.write("public/drafts/plan.md", "keep me");
    let before = snapshot(&site.public());
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_contains("refusing to replace `");
    run.assert_stderr_contains(
        "it exists and was not written by Folio (it has no .folio-output file)",
    );
    assert_eq!(snapshot(&site.public()), before);
}

#[test]
fn an_empty_existing_folder_is_used() {
    let site = SiteTest::fixture("output/site");
    fs::create_dir(site.public()).unwrap();
    site.build(&[]).assert_clean();
    assert!(site.output_file("").is_file());
}

#[test]
fn the_site_root_is_refused_as_output() {
    let site = SiteTest::fixture("output/site");
    let before = snapshot(site.root());
    let root = site.root().to_str().unwrap().to_string();
    let run = site.build(&["--output", &root]);
    run.assert_code(1);
    run.assert_stderr_contains("refusing to use `");
    run.assert_stderr_contains("it is the site root, the folder holding site.toml");
    assert_eq!(snapshot(site.root()), before);
}

#[test]
fn the_content_folder_is_refused_as_output() {
    let site = SiteTest::fixture("output/site");
    let before = snapshot(site.root());
    for (output, why) in [
        ("content", "it is the site's content folder, `content`"),
        (
            "content/out",
            "it is inside the site's content folder, `content`",
        ),
    ] {
        let target = site.path(output);
        let run = site.build(&["--output", target.to_str().unwrap()]);
        run.assert_code(1);
        run.assert_stderr_contains(why);
        assert_eq!(snapshot(site.root()), before, "{output}");
    }
}

#[test]
fn a_relative_output_is_taken_from_the_working_folder() {
    let site = SiteTest::fixture("output/site");
    let run = site.folio(&["build", "--root", ".", "--output", "out"]);
    run.assert_clean();
    assert!(site.path("out/policies/usage/index.html").is_file());
    assert!(!site.public().exists());
}

/// A site of `english` pages and `spanish` more under content/es/, each a few paragraphs long:
/// enough that a debug build takes a good part of a second, and two search indexes.
fn large_site(english: usize, spanish: usize) -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "site.toml",
        "title = \"Large\"\nlanguages = [\"en\", \"es\"]\n",
    );
    let body =
        "Open source licences, contribution rules and the review of every release. ".repeat(12);
    for i in 0..english {
        site.write(&format!("content/p{i}.md"), &large_page(i, &body));
    }
    site.write("content/es/_index.md", "---\ntitle: Inicio\n---\n");
    for i in 0..spanish {
        let text = format!(
            "---\ntitle: Página {i}\n---\n\n## Parte {i}\n\nLicencias de código abierto {i}.\n"
        );
        site.write(&format!("content/es/p{i}.md"), &text);
    }
    site
}

fn large_page(i: usize, body: &str) -> String {
    format!(
        "---\ntitle: Page {i}\ntags: [t{}]\n---\n\n## Part {i}\n\n{body}\n\n## More\n\n{body}\n",
        i % 7
    )
}

/// The folders beside the output that are not the output or one of its two search indexes.
fn temporaries(site: &SiteTest) -> Vec<String> {
    list_dir(site.root())
        .into_iter()
        .filter(|name| name.starts_with(".public."))
        .filter(|name| name != ".public.folio-index" && name != ".public.folio-index-es")
        .collect()
}

/// A small random number generator (xorshift), seeded so that a failing run can be replayed.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound.max(1)
    }
}

/// Builds are killed (SIGKILL) at random moments, three rounds of four. After each kill the
/// output must be a whole build, byte for byte: the last one that finished, or, when the kill
/// came after the swap, the new one (compared with the same sources built elsewhere), and both
/// search indexes must be there. After each round's next build nothing may be left beside the
/// output. `FOLIO_KILL_SEED=N` replays a run.
#[test]
fn builds_killed_at_any_moment_leave_a_whole_output_and_the_next_build_cleans_up() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let site = large_site(300, 60);
    let started = Instant::now();
    site.build(&["--quiet"]).assert_success();
    let build_time = started.elapsed();
    let mut whole = site.output_snapshot();
    assert!(whole.len() > 400, "{} files", whole.len());
    let seed = std::env::var("FOLIO_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            now.map_or(1, |d| d.as_nanos() as u64) | 1
        });
    eprintln!(
        "FOLIO_KILL_SEED={seed}; a whole build takes {} ms",
        build_time.as_millis()
    );
    let mut random = Random(seed);
    let body = "A sentence that changes with every build. ".repeat(5);
    let mut kills = 0;
    let mut left = 0;
    let mut swapped = 0;
    for round in 0..3 {
        for kill in 0..4 {
            // Each build has something new to write, so that a new output differs from the last.
            site.write(
                "content/p0.md",
                &large_page(0, &format!("{body} Round {round}, kill {kill}.")),
            );
            // Anywhere in the build, or near its end, where the swaps are.
            let span = build_time.as_millis() as u64;
            let delay = if random.below(2) == 0 {
                random.below(span)
            } else {
                span * 3 / 4 + random.below(span / 2)
            };
            let mut child = Command::new(crate::support::FOLIO)
                .args(["build", "--quiet"])
                .current_dir(site.root())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start folio build");
            std::thread::sleep(Duration::from_millis(delay));
            // SIGKILL: no destructor, no clean-up of any kind runs.
            child.kill().expect("kill the build");
            child.wait().expect("wait for the killed build");
            kills += 1;
            let now = site.output_snapshot();
            let found = temporaries(&site);
            eprintln!("killed after {delay} ms: left {found:?}");
            left += usize::from(!found.is_empty());
            if now != whole {
                // The build got as far as swapping in its output: it must be the whole new one.
                let elsewhere = site.path("elsewhere");
                let run = site.build(&["--quiet", "--output", elsewhere.to_str().unwrap()]);
                run.assert_success();
                assert!(
                    now == snapshot(&elsewhere),
                    "after a kill at {delay} ms, the output is neither the previous build nor the new one"
                );
                fs::remove_dir_all(&elsewhere).unwrap();
                fs::remove_dir_all(site.path(".elsewhere.folio-index")).unwrap();
                fs::remove_dir_all(site.path(".elsewhere.folio-index-es")).unwrap();
                swapped += 1;
                whole = now;
            }
            for index in [".public.folio-index", ".public.folio-index-es"] {
                assert!(
                    site.path(index).join("meta.json").is_file(),
                    "after a kill at {delay} ms, {index} is missing or not whole"
                );
            }
        }
        site.build(&["--quiet"]).assert_success();
        whole = site.output_snapshot();
        assert_eq!(
            temporaries(&site),
            Vec::<String>::new(),
            "after round {round}"
        );
    }
    eprintln!(
        "{kills} kills: {left} left temporary folders, {swapped} found the new build in place"
    );
}

/// `folio serve` removes, as it starts, what killed builds left beside the output and beside
/// its own folder, and nothing that Folio did not mark as its own.
#[test]
fn serve_removes_what_killed_builds_left_at_start() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let site = SiteTest::fixture("output/site");
    site.build(&[]).assert_clean();
    // A process that has ended, as a killed build has.
    let mut ended = Command::new("true").spawn().expect("run true");
    let pid = ended.id();
    ended.wait().unwrap();
    let leftovers = [
        (format!(".public.folio-staging-{pid}"), ".folio-output"),
        (
            format!(".public.folio-index-building-{pid}"),
            ".folio-index",
        ),
        (format!(".public.folio-index-old-{pid}"), ".folio-index"),
        (format!(".public.old-{pid}"), "meta.json"),
        (
            format!("..public.folio-serve.folio-staging-{pid}"),
            ".folio-output",
        ),
        (
            format!("..public.folio-serve.folio-index-building-{pid}"),
            ".folio-index",
        ),
    ];
    for (name, mark) in &leftovers {
        site.write(&format!("{name}/{mark}"), "");
        site.write(&format!("{name}/index.html"), "half a build");
    }
    // Named like a leftover, but without Folio's mark: someone else's.
    site.write(&format!(".public.folio-old-{pid}/notes.txt"), "mine");
    let mut server = Command::new(crate::support::FOLIO)
        .args(["serve", "--port", "0"])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start folio serve");
    let stderr = server.stderr.take().expect("stderr");
    let mut log = Vec::new();
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        let serving = line.starts_with("Serving ");
        log.push(line);
        if serving {
            break;
        }
    }
    server.kill().expect("stop folio serve");
    server.wait().unwrap();
    assert!(log.iter().any(|l| l.starts_with("Serving ")), "{log:?}");
    for (name, _) in &leftovers {
        assert!(!site.path(name).exists(), "{name} is still there: {log:?}");
    }
    assert_eq!(
        site.read(&format!(".public.folio-old-{pid}/notes.txt")),
        "mine"
    );
}

/// With output_dir naming a source folder, `folio serve` does not start (its own folder would
/// sit beside it), and says why, pointing at site.toml.
#[test]
fn serve_refuses_an_output_dir_inside_the_sources() {
    let site = SiteTest::fixture("output/site");
    site.write(
        "site.toml",
        "title = \"Output\"\noutput_dir = \"build/../content/site\"\n",
    );
    let before = snapshot(site.root());
    let mut server = std::process::Command::new(crate::support::FOLIO)
        .args(["serve", "--port", "0"])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start folio serve");
    // A server that starts anyway would never end: give it a minute, then fail.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while server.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = server.kill();
    let output = server.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for line in [
        "error: refusing to use `content/site` as the output folder: it is inside the site's content folder, `content`",
        "--> site.toml:2:14",
        "error: not serving: choose another output_dir in site.toml",
    ] {
        assert!(stderr.contains(line), "{line:?} is not in:\n{stderr}");
    }
    assert_eq!(snapshot(site.root()), before);
}

/// `folio check` writes nothing, but reports the output folder a build would refuse.
#[test]
fn check_reports_an_output_dir_that_climbs_into_the_sources() {
    let site = SiteTest::fixture("output/site");
    site.write(
        "site.toml",
        "title = \"Output\"\noutput_dir = \"build/../content\"\n",
    );
    let before = snapshot(site.root());
    let run = site.folio(&["check"]);
    run.assert_code(1);
    run.assert_stderr_contains(
        "error: refusing to use `content` as the output folder: it is the site's content folder, `content`\n --> site.toml:2:14",
    );
    assert_eq!(snapshot(site.root()), before);
}
