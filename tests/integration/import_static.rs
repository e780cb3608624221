//! `static_dirs`: the folders Jekyll and Eleventy handbooks keep their images in, beside the
//! pages' folder, found by `folio import` and published by `folio build` at the same paths, so
//! that links such as `/assets/images/logo.png` work; and the checks site.toml's value gets.

use crate::import::{corpus_copy, written};
use crate::support::SiteTest;

/// The `static_dirs` of the site.toml `folio import` wrote.
fn static_dirs(site: &SiteTest) -> Vec<String> {
    written(site)
        .get("static_dirs")
        .and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// A Jekyll handbook whose pages are the `_articles` collection and whose images are in
/// `assets/` and `images/`, beside folders Jekyll does not copy.
fn jekyll_site() -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "_config.yml",
        "title: Team handbook\nexclude:\n  - scripts\n  - Gemfile*\ncollections:\n  articles:\n    output: true\n",
    )
    .write(
        "_articles/guide.md",
        "---\ntitle: Guide\n---\n\nSee [the logo](/assets/images/logo.png).\n\n![x](/assets/images/logo.png)\n\n![photo](/images/team.jpg)\n",
    )
    .write("assets/images/logo.png", "not really a PNG")
    .write("assets/css/site.css", "body { color: black }")
    .write("images/team.jpg", "not really a JPEG")
    .write("_layouts/default.html", "{{ content }}")
    .write("scripts/run.sh", "echo")
    .write("Gemfile.d/x.rb", "x")
    .write("notes/only-pages.md", "# Notes\n")
    .write("node_modules/x/index.js", "x")
    .write("_site/assets/old.png", "old")
    .write(".github/workflow.yml", "x");
    site
}

#[test]
fn a_jekyll_handbooks_assets_are_imported_published_and_linked() {
    let site = jekyll_site();
    let run = site.folio(&["import"]);
    run.assert_success().assert_stderr_contains(
        "  static_dirs  [\"assets\", \"images\"]  (the folders Jekyll copies into its site (not `_` folders, nor `exclude` in _config.yml))\n",
    );
    assert_eq!(static_dirs(&site), ["assets", "images"]);
    assert!(
        site.read("site.toml").contains(
            "# From: the folders Jekyll copies into its site (not `_` folders, nor `exclude` in _config.yml).\nstatic_dirs = [\"assets\", \"images\"]\n"
        ),
        "{}",
        site.read("site.toml")
    );
    let build = site.build(&[]);
    build
        .assert_success()
        .assert_stderr_lacks("warning")
        .assert_stderr_lacks("missing page or file");
    assert_eq!(
        site.read("public/assets/images/logo.png"),
        "not really a PNG"
    );
    assert_eq!(
        site.read("public/assets/css/site.css"),
        "body { color: black }"
    );
    assert_eq!(site.read("public/images/team.jpg"), "not really a JPEG");
    let page = site.read("public/guide/index.html");
    assert!(
        page.contains("<a href=\"/assets/images/logo.png\">the logo</a>"),
        "{page}"
    );
    assert!(page.contains("src=\"/assets/images/logo.png\""), "{page}");
    assert!(page.contains("src=\"/images/team.jpg\""), "{page}");
    for absent in [
        "scripts",
        "Gemfile.d",
        "notes",
        "node_modules",
        "_layouts",
        "_site",
    ] {
        assert!(
            !site.public().join(absent).exists(),
            "{absent} was published"
        );
    }
}

#[test]
fn without_static_dirs_the_same_links_are_reported_broken() {
    let site = jekyll_site();
    site.folio(&["import"]).assert_success();
    let text = site.read("site.toml");
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("static_dirs"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("site.toml", &without);
    let build = site.build(&[]);
    build.assert_success().assert_stderr_contains(
        "warning: link to a missing page or file `/assets/images/logo.png`",
    );
    assert!(!site.path("public/assets/images/logo.png").exists());
}

#[test]
fn an_eleventy_handbooks_passthrough_folders_are_imported_and_published() {
    let site = SiteTest::empty();
    site.write(
        ".eleventy.js",
        "module.exports = function (config) {\n  config.addPassthroughCopy(\"images\");\n  config.addPassthroughCopy({ \"x/favicon.ico\": \"favicon.ico\" });\n  config.addPassthroughCopy(\"css/*.css\");\n  config.addPassthroughCopy(\"./content/files/\");\n  config.addPassthroughCopy(\"robots.txt\");\n  // config.addPassthroughCopy(\"old\");\n  return { dir: { input: \"content\" } };\n};\n",
    )
    .write(
        "content/index.md",
        "---\ntitle: Home\n---\n\n![diagram](/images/diagram.svg)\n\n[the form](/files/form.pdf)\n",
    )
    .write("content/files/form.pdf", "pdf")
    .write("images/diagram.svg", "<svg/>")
    .write("css/a.css", "a {}")
    .write("old/x.png", "x")
    .write("robots.txt", "x");
    let run = site.folio(&["import"]);
    run.assert_success()
        .assert_stderr_contains("  static_dirs  [\"images\"]  (addPassthroughCopy in .eleventy.js)\n")
        .assert_stderr_contains(
            "  - addPassthroughCopy in .eleventy.js given an object (line 3), the glob `css/*.css` (line 4): not read, copy what it names into static/ or list its folder in static_dirs\n",
        );
    // content/files is published with the content folder already; `old` is commented out.
    assert_eq!(static_dirs(&site), ["images"]);
    site.build(&[])
        .assert_success()
        .assert_stderr_lacks("missing page or file");
    assert_eq!(site.read("public/images/diagram.svg"), "<svg/>");
    assert_eq!(site.read("public/files/form.pdf"), "pdf");
    assert!(!site.path("public/old").exists());
    assert!(!site.path("public/css").exists());
}

#[test]
fn the_cms_guides_assets_are_published() {
    let Some(site) = corpus_copy("cms-ospo-guide") else {
        return;
    };
    site.folio(&["import"])
        .assert_success()
        .assert_stderr_contains(
            "  static_dirs  [\"assets\"]  (addPassthroughCopy in .eleventy.js)\n",
        );
    site.build(&[]).assert_success();
    let copied = walkdir::WalkDir::new(site.path("assets"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .count();
    let published = walkdir::WalkDir::new(site.path("public/assets"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count();
    assert!(
        copied > 0 && published >= copied,
        "{copied} files, {published} published"
    );
}

/// A site with `static_dirs` set to `value` (and `extra` lines), a page and an `assets/` folder.
fn site_with(value: &str, extra: &str) -> SiteTest {
    let site = SiteTest::empty();
    site.write(
        "site.toml",
        &format!("title = \"T\"\nstatic_dirs = {value}\n{extra}"),
    )
    .write("content/index.md", "---\ntitle: Home\n---\n\nHello.\n")
    .write("assets/logo.png", "png");
    site
}

#[test]
fn bad_static_dirs_are_errors_at_their_place_in_site_toml() {
    let site = site_with(
        "[\"../x\", \"missing\", \"/etc\", \"content\", \"public\"]",
        "",
    );
    std::fs::create_dir(site.public()).unwrap();
    let run = site.build(&[]);
    run.assert_code(1);
    for (title, at) in [
        (
            "static_dirs `../x` leads out of its folder with `..`",
            "site.toml:2:16",
        ),
        (
            "static_dirs `missing` names no folder of the site (there is no `missing`)",
            "site.toml:2:24",
        ),
        ("static_dirs `/etc` is an absolute path", "site.toml:2:35"),
        (
            "static_dirs `content` is the content folder",
            "site.toml:2:43",
        ),
        (
            "static_dirs `public` is the output folder",
            "site.toml:2:54",
        ),
    ] {
        let block = run.diagnostic(title);
        assert!(
            block.contains(&format!("--> {at}")),
            "{at} missing from\n{block}"
        );
    }
    assert_eq!(std::fs::read_dir(site.public()).unwrap().count(), 0);
    site.folio(&["check"])
        .assert_code(1)
        .assert_stderr_contains("static_dirs `../x`");
}

#[test]
fn the_output_may_not_lie_in_a_static_dir() {
    let site = site_with("[\"assets\"]", "output_dir = \"assets/public\"\n");
    let run = site.build(&[]);
    run.assert_code(1);
    let block = run.diagnostic("assets/public` as the output folder");
    assert!(
        block.contains("it is inside the site's static_dirs folder, `assets`"),
        "{block}"
    );
    assert!(block.contains("--> site.toml:3:14"), "{block}");
    let site = site_with("[\"assets\"]", "");
    let inside = site.path("assets/out");
    site.build(&["--output", inside.to_str().unwrap()])
        .assert_code(1)
        .assert_stderr_contains("it is inside the site's static_dirs folder, `assets`");
    assert!(!inside.exists());
    site.build(&[]).assert_success();
    assert_eq!(site.read("public/assets/logo.png"), "png");
}

#[cfg(unix)]
#[test]
fn symbolic_links_in_a_static_dir_are_skipped_with_a_warning() {
    let site = site_with("[\"assets\"]", "");
    std::os::unix::fs::symlink(site.path("site.toml"), site.path("assets/config.png")).unwrap();
    let run = site.build(&[]);
    run.assert_success().assert_stderr_contains(
        "warning: skipped `assets/config.png`: it is a symbolic link, and Folio does not follow links",
    );
    assert!(!site.path("public/assets/config.png").exists());
    assert_eq!(site.read("public/assets/logo.png"), "png");
}
