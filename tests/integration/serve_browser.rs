//! `folio serve` as an author sees it in a real browser: an edit shows up without a manual
//! reload and at the same scroll position, a broken edit shows its error over the page until it
//! is fixed, and a stylesheet edit is swapped in without reloading.

use crate::chromium::Browser;
use crate::serve::Server;
use crate::support::SiteTest;

/// A page long enough to scroll, ending with `ending`.
fn long_page(ending: &str) -> String {
    let mut text = String::from("---\ntitle: A long page\n---\n\n");
    for n in 1..=200 {
        text.push_str(&format!(
            "## Part {n}\n\nParagraph {n} of a page that goes on and on.\n\n"
        ));
    }
    text.push_str(ending);
    text.push('\n');
    text
}

#[test]
fn the_browser_reloads_in_place_after_an_edit() {
    let Some(mut browser) = Browser::launch("the_browser_reloads_in_place_after_an_edit") else {
        return;
    };
    let site = SiteTest::fixture("serve/site");
    site.write("content/guide/long.md", &long_page("The original ending."));
    let server = Server::start(&site, &[]);
    browser.viewport(1000, 700, false);
    browser.goto(&server.url("/guide/long/"));
    // The long page, loaded and laid out (not the blank page before it).
    browser.wait_for(
        "document.readyState === 'complete' && document.documentElement.scrollHeight > 5000",
    );
    // Instantly: the theme scrolls smoothly where the reader has not asked for reduced motion.
    browser.eval("scrollTo({ top: 2500, behavior: 'instant' })");
    let y = browser.eval("scrollY").as_f64().unwrap();
    assert!(y > 2000.0, "the page scrolls: {y}");
    browser.eval("window.__beforeEdit = true");
    site.write("content/guide/long.md", &long_page("The edited ending."));
    browser
        .wait_for("!window.__beforeEdit && document.body.innerText.includes('The edited ending.')");
    browser.wait_for(&format!(
        "document.readyState === 'complete' && Math.abs(scrollY - {y}) < 2"
    ));
    browser.screenshot("serve-reloaded-in-place");
}

#[test]
fn the_browser_shows_build_errors_over_the_page_until_they_are_fixed() {
    let Some(mut browser) =
        Browser::launch("the_browser_shows_build_errors_over_the_page_until_they_are_fixed")
    else {
        return;
    };
    let site = SiteTest::fixture("serve/site");
    let server = Server::start(&site, &[]);
    let good = site.read("content/guide/usage.md");
    browser.viewport(1000, 700, false);
    browser.goto(&server.url("/guide/usage/"));
    browser.eval("window.__beforeEdit = true");
    // Error text is shown as text: the markup in this line must not become an element.
    site.write(
        "content/guide/usage.md",
        "---\ntitle: [<b id=injected>broken</b>\n---\n",
    );
    let overlay = "document.getElementById('folio-error-overlay')";
    browser.wait_for(&format!(
        "{overlay} && {overlay}.textContent.includes('content/guide/usage.md:2:8')"
    ));
    assert_eq!(
        browser.eval("document.getElementById('injected') === null"),
        true
    );
    assert_eq!(
        browser.eval(&format!(
            "{overlay}.textContent.includes('<b id=injected>')"
        )),
        true
    );
    assert_eq!(
        browser.eval("window.__beforeEdit === true"),
        true,
        "an error does not reload"
    );
    browser.screenshot("serve-error-overlay");
    site.write("content/guide/usage.md", &good);
    browser.wait_for(&format!(
        "!window.__beforeEdit && document.readyState === 'complete' && !{overlay}"
    ));
}

#[test]
fn the_browser_swaps_an_edited_stylesheet_without_reloading() {
    let Some(mut browser) =
        Browser::launch("the_browser_swaps_an_edited_stylesheet_without_reloading")
    else {
        return;
    };
    let site = SiteTest::fixture("serve/site");
    site.write(
        "static/assets/folio.css",
        "body { background: rgb(10, 20, 30); }\n",
    );
    let server = Server::start(&site, &[]);
    browser.viewport(1000, 700, false);
    browser.goto(&server.url("/guide/usage/"));
    let background = "getComputedStyle(document.body).backgroundColor";
    assert_eq!(browser.eval(background), "rgb(10, 20, 30)");
    browser.eval("window.__beforeEdit = true");
    site.write(
        "static/assets/folio.css",
        "body { background: rgb(200, 100, 50); }\n",
    );
    browser.wait_for(&format!("{background} === 'rgb(200, 100, 50)'"));
    assert_eq!(
        browser.eval("window.__beforeEdit === true"),
        true,
        "no reload"
    );
    let sheets = browser.eval("document.querySelectorAll('link[href*=\"folio.css\"]').length");
    assert_eq!(sheets, 1, "the old stylesheet is removed");
}
