//! The default theme as a reader sees it, in real headless Chromium: no horizontal scroll on a
//! 360 px phone, a working menu button, dark mode that follows the system and a toggle that
//! persists, a skip link first in the tab order, and no request leaving the site.
//!
//! Screenshots land in target/screenshots/ for a person to look at.

use std::path::Path;
use std::process::Command;

use crate::chromium::{Browser, StaticServer};

/// Builds the repository's own handbook into a temporary folder and serves it.
fn serve_handbook() -> (tempfile::TempDir, StaticServer) {
    let out = tempfile::tempdir().expect("temp dir");
    let public = out.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(&public)
        .args(["--base-url", "/"])
        .status()
        .expect("run folio");
    assert!(status.success(), "the handbook must build");
    let server = StaticServer::start(&public);
    (out, server)
}

const PAGES: &[&str] = &[
    "/",
    "/policies/",
    "/policies/licenses/",
    "/policies/contributing/",
    "/playbooks/cve-response/",
    "/faq/agpl-in-products/",
    "/about/",
    "/tags/",
];

/// Relative luminance of a CSS `rgb(r, g, b)` colour, 0 (black) to 1 (white).
fn luminance(css: &str) -> f64 {
    let numbers: Vec<f64> = css
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    let channel = |c: f64| {
        let c = c / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(numbers[0]) + 0.7152 * channel(numbers[1]) + 0.0722 * channel(numbers[2])
}

fn body_background(browser: &mut Browser) -> f64 {
    let color = browser.eval("getComputedStyle(document.body).backgroundColor");
    luminance(color.as_str().expect("a colour"))
}

#[test]
fn no_page_scrolls_sideways_on_a_360_px_phone() {
    let Some(mut browser) = Browser::launch("no_page_scrolls_sideways_on_a_360_px_phone") else {
        return;
    };
    let (_out, server) = serve_handbook();
    browser.viewport(360, 800, true);
    for page in PAGES {
        browser.goto(&format!("{}{page}", server.origin));
        let widths = browser.eval("[document.documentElement.scrollWidth, window.innerWidth]");
        let (scroll, inner) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
        assert!(
            scroll <= inner,
            "{page} is {scroll} px wide in a {inner} px viewport"
        );
    }
    browser.goto(&format!("{}/policies/licenses/", server.origin));
    browser.screenshot("mobile-licenses");
}

#[test]
fn the_site_name_keeps_its_words_whole_in_a_phone_header() {
    let Some(mut browser) =
        Browser::launch("the_site_name_keeps_its_words_whole_in_a_phone_header")
    else {
        return;
    };
    let (_out, server) = serve_handbook();
    // Each word of the site's name on one line: a word broken across lines has two boxes.
    let broken_words = "(() => { const t = document.querySelector('.site-title'); const n = t.firstChild; \
        const broken = []; const re = /\\S+/g; let m; \
        while ((m = re.exec(n.data))) { const r = document.createRange(); r.setStart(n, m.index); \
        r.setEnd(n, m.index + m[0].length); if (r.getClientRects().length > 1) broken.push(m[0]); } \
        return broken.join(' '); })()";
    for width in [360, 390, 430] {
        browser.viewport(width, 800, true);
        browser.goto(&format!("{}/faq/", server.origin));
        assert_eq!(
            browser.eval("document.querySelector('.site-title').textContent.trim()"),
            "Folio OSPO Handbook"
        );
        assert_eq!(
            browser.eval(broken_words),
            "",
            "words of the site's name broken across lines at {width} px"
        );
        // The button may show its icon alone, but it is still the Menu button to a screen reader.
        assert_eq!(
            browser.eval("document.querySelector('.menu-toggle').textContent.trim()"),
            "Menu"
        );
        let shown = browser.eval(
            "(() => { const r = document.querySelector('.menu-toggle').getBoundingClientRect(); return r.width > 0 && r.right <= innerWidth; })()",
        );
        assert_eq!(shown, true, "the Menu button is on screen at {width} px");
    }
    browser.viewport(360, 800, true);
    browser.goto(&format!("{}/faq/", server.origin));
    browser.screenshot("mobile-header-360");
}

#[test]
fn menu_button_opens_the_sidebar_on_a_phone() {
    let Some(mut browser) = Browser::launch("menu_button_opens_the_sidebar_on_a_phone") else {
        return;
    };
    let (_out, server) = serve_handbook();
    browser.viewport(360, 800, true);
    browser.goto(&format!("{}/policies/licenses/", server.origin));
    let nav_visible = "(() => { const r = document.querySelector('#site-nav').getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.top < innerHeight; })()";
    assert_eq!(
        browser.eval(nav_visible),
        false,
        "sidebar hidden behind the menu at first"
    );
    browser.click(".menu-toggle");
    assert_eq!(
        browser.eval("document.querySelector('.menu-toggle').getAttribute('aria-expanded')"),
        "true"
    );
    assert_eq!(
        browser.eval(nav_visible),
        true,
        "sidebar shown after pressing Menu"
    );
    let current =
        browser.eval("document.querySelector('#site-nav [aria-current=page]').textContent.trim()");
    assert_eq!(current, "Open-source licences");
    browser.screenshot("mobile-menu-open");
}

#[test]
fn dark_mode_follows_the_system_and_the_toggle_persists() {
    let Some(mut browser) = Browser::launch("dark_mode_follows_the_system_and_the_toggle_persists")
    else {
        return;
    };
    let (_out, server) = serve_handbook();
    browser.viewport(1280, 900, false);
    let page = format!("{}/playbooks/cve-response/", server.origin);

    browser.color_scheme("dark");
    browser.goto(&page);
    assert!(
        body_background(&mut browser) < 0.1,
        "dark system → dark page"
    );
    browser.screenshot("desktop-dark-system");

    browser.color_scheme("light");
    browser.goto(&page);
    assert!(
        body_background(&mut browser) > 0.8,
        "light system → light page"
    );
    browser.screenshot("desktop-light");

    browser.click(".theme-toggle");
    assert_eq!(
        browser.eval("document.documentElement.dataset.theme"),
        "dark"
    );
    assert!(body_background(&mut browser) < 0.1, "toggle → dark page");
    browser.reload();
    assert_eq!(
        browser.eval("document.documentElement.dataset.theme"),
        "dark",
        "choice persists"
    );
    assert!(
        body_background(&mut browser) < 0.1,
        "still dark after reload"
    );
    let code = browser.eval("getComputedStyle(document.querySelector('pre.code')).backgroundColor");
    assert!(
        luminance(code.as_str().unwrap()) < 0.2,
        "code blocks follow dark mode"
    );
    browser.screenshot("desktop-dark-toggle");
}

#[test]
fn headings_get_a_link_to_themselves_that_keyboard_users_reach() {
    let Some(mut browser) =
        Browser::launch("headings_get_a_link_to_themselves_that_keyboard_users_reach")
    else {
        return;
    };
    let (_out, server) = serve_handbook();
    browser.viewport(1280, 900, false);
    browser.goto(&format!("{}/policies/dependencies/", server.origin));
    browser.wait_for("document.querySelector('.prose h2 > a.anchor') !== null");
    let every = browser.eval(
        "[...document.querySelectorAll('.prose :is(h2, h3)[id]')].every(h => { \
           const a = h.querySelector('a.anchor'); \
           return a && a.getAttribute('href') === '#' + h.id \
             && a.getAttribute('aria-label') === 'Link to this section'; })",
    );
    assert_eq!(every, true);
    // Hidden (or faint, on a screen without hover) until wanted; shown when focused.
    let anchor = "document.querySelector('.prose h2 > a.anchor')";
    let faint = browser.eval(&format!("Number(getComputedStyle({anchor}).opacity) < 1"));
    assert_eq!(faint, true);
    browser.eval(&format!("{anchor}.focus()"));
    assert_eq!(
        browser.eval(&format!("document.activeElement === {anchor}")),
        true
    );
    assert_eq!(
        browser.eval(&format!("getComputedStyle({anchor}).opacity")),
        "1"
    );
    browser.screenshot("heading-anchor-focused");
}

#[test]
fn keyboard_users_can_skip_to_the_content() {
    let Some(mut browser) = Browser::launch("keyboard_users_can_skip_to_the_content") else {
        return;
    };
    let (_out, server) = serve_handbook();
    browser.viewport(1280, 900, false);
    browser.goto(&format!("{}/policies/dependencies/", server.origin));
    browser.press("Tab", "Tab", 9);
    assert_eq!(
        browser.eval("document.activeElement.className"),
        "skip-link"
    );
    let outline = browser.eval("getComputedStyle(document.activeElement).outlineStyle");
    assert_ne!(outline, "none", "focus is visible");
    browser.press("Enter", "Enter", 13);
    browser.wait_for("document.activeElement.id === 'main'");
    let landmarks = browser.eval(
        "['header', 'nav', 'main', 'footer'].every(tag => document.querySelector(tag) !== null)",
    );
    assert_eq!(landmarks, true);
}

#[test]
fn pages_load_nothing_from_other_sites() {
    let Some(mut browser) = Browser::launch("pages_load_nothing_from_other_sites") else {
        return;
    };
    let (_out, server) = serve_handbook();
    browser.viewport(1280, 900, false);
    for page in PAGES {
        browser.goto(&format!("{}{page}", server.origin));
        let foreign = browser.eval(
            "performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin))",
        );
        assert_eq!(
            foreign,
            serde_json::json!([]),
            "{page} loads from elsewhere"
        );
        let css_loaded =
            browser.eval("getComputedStyle(document.querySelector('.skip-link')).position");
        assert_ne!(css_loaded, "static", "{page}: the theme stylesheet applies");
    }
    browser.goto(&format!("{}/", server.origin));
    browser.screenshot("desktop-home");
    assert!(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target/screenshots/desktop-home.png")
            .is_file()
    );
}

#[test]
fn the_licence_filter_counts_rows_and_term_tooltips_open_on_keyboard_focus() {
    let Some(mut browser) =
        Browser::launch("the_licence_filter_counts_rows_and_term_tooltips_open_on_keyboard_focus")
    else {
        return;
    };
    let (_out, server) = serve_handbook();
    browser.viewport(1280, 900, false);
    browser.goto(&format!("{}/policies/licenses/", server.origin));
    let visible_ids = "[...document.querySelectorAll('.license-table tbody tr')].filter(r => r.offsetParent !== null).map(r => r.id)";
    let count = "document.querySelector('.license-count').textContent";
    let total = browser.eval("document.querySelectorAll('.license-table tbody tr').length");
    let total = total.as_u64().expect("a row count");
    assert!(total >= 8, "the handbook lists its licences");
    assert_eq!(
        browser.eval("document.querySelector('.license-filter').hidden"),
        false,
        "JS shows the filter"
    );
    assert_eq!(browser.eval(count), format!("{total} licences"));

    browser.eval("document.querySelector('.license-filter-text').focus()");
    browser.call("Input.insertText", serde_json::json!({"text": "gnu"}));
    let typed = browser.eval("document.querySelector('.license-filter-text').value");
    assert_eq!(typed, "gnu", "typed into the filter");
    browser.wait_for("document.querySelector('.license-count').textContent.includes(' of ')");
    let shown = browser.eval(visible_ids);
    let shown: Vec<&str> = shown
        .as_array()
        .expect("ids")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    // Every GNU licence of the handbook's data/licenses.yaml, in the table's order.
    let gnu = [
        "LGPL-2.1-only",
        "LGPL-2.1-or-later",
        "LGPL-3.0-only",
        "LGPL-3.0-or-later",
        "GPL-2.0-only",
        "GPL-2.0-or-later",
        "GPL-3.0-only",
        "GPL-3.0-or-later",
        "AGPL-3.0-only",
        "AGPL-3.0-or-later",
    ];
    assert_eq!(shown, gnu);
    assert_eq!(browser.eval(count), format!("10 of {total} licences"));
    assert_eq!(
        browser.eval("document.querySelector('.license-count').getAttribute('aria-live')"),
        "polite"
    );
    // The category narrows the same rows further.
    browser.eval(
        "(() => { const s = document.querySelector('.license-filter-category'); s.value = 'needs-review'; s.dispatchEvent(new Event('change')); })()",
    );
    assert_eq!(browser.eval(visible_ids), serde_json::json!(gnu[..4]));
    assert_eq!(browser.eval(count), format!("4 of {total} licences"));
    browser.eval(
        "window.scrollTo({top: scrollY + document.querySelector('.license-table').getBoundingClientRect().top - 80, behavior: 'instant'})",
    );
    browser.screenshot("desktop-licence-filter");

    // A [[term]] link shows its definition on keyboard focus, without a mouse.
    browser.goto(&format!("{}/policies/dependencies/", server.origin));
    let tip_display = "getComputedStyle(document.querySelector('.term-tip')).display";
    assert_eq!(browser.eval(tip_display), "none", "hidden until wanted");
    browser.eval("document.getElementById('main').focus()");
    for _ in 0..60 {
        if browser.eval("document.activeElement.classList.contains('term-link')") == true {
            break;
        }
        browser.press("Tab", "Tab", 9);
    }
    assert_eq!(
        browser.eval("document.activeElement.textContent"),
        "SBOM",
        "Tab reaches the term link"
    );
    assert_eq!(
        browser.eval(tip_display),
        "block",
        "focus shows the tooltip"
    );
    assert_eq!(
        browser.eval(
            "document.getElementById(document.activeElement.getAttribute('aria-describedby')).textContent"
        )
        .as_str()
        .map(|t| t.starts_with("Software Bill of Materials: ")),
        Some(true)
    );
    browser.eval(
        "window.scrollTo({top: scrollY + document.activeElement.getBoundingClientRect().top - 300, behavior: 'instant'})",
    );
    browser.screenshot("desktop-term-tooltip");
    browser.press("Escape", "Escape", 27);
    assert_eq!(browser.eval(tip_display), "none", "Escape hides it");
}

#[test]
fn the_language_menu_names_languages_and_works_from_the_keyboard() {
    let Some(mut browser) =
        Browser::launch("the_language_menu_names_languages_and_works_from_the_keyboard")
    else {
        return;
    };
    let site = crate::support::SiteTest::fixture("compat/hugo");
    site.build(&[]).assert_success();
    let server = StaticServer::start(&site.public());
    let summary = ".language-switcher summary";
    for (width, height, mobile) in [(1280, 800, false), (360, 740, true)] {
        browser.viewport(width, height, mobile);
        for scheme in ["light", "dark"] {
            browser.color_scheme(scheme);
            browser.goto(&format!("{}/guide/", server.origin));
            browser.eval("document.querySelector('.language-switcher details').open = true");
            let fits = browser.eval(
                "(() => { const r = document.querySelector('.language-switcher ul').getBoundingClientRect();
                          return r.left >= 0 && r.right <= innerWidth && r.height > 0
                                 && document.documentElement.scrollWidth <= innerWidth; })()",
            );
            assert_eq!(fits, true, "the menu fits {width} px, {scheme}");
            browser.screenshot(&format!("language-menu-{width}-{scheme}"));
        }
    }
    // From the keyboard: Tab reaches the menu's button, Enter opens it, Tab reaches Español.
    browser.viewport(1280, 800, false);
    browser.color_scheme("light");
    browser.goto(&format!("{}/guide/", server.origin));
    browser.eval(&format!("document.querySelector({summary:?}).focus()"));
    let label = browser.eval(&format!("document.querySelector({summary:?}).textContent"));
    assert_eq!(label, "Language: Englishen");
    enter(&mut browser);
    browser.wait_for("document.querySelector('.language-switcher details').open");
    browser.press("Tab", "Tab", 9);
    let focused = browser.eval(
        "[document.activeElement.textContent, document.activeElement.getAttribute('hreflang'),
          getComputedStyle(document.activeElement).outlineStyle]",
    );
    assert_eq!(focused[0], "Español");
    assert_eq!(focused[1], "es");
    assert_ne!(focused[2], "none", "focus is visible");
    enter(&mut browser);
    browser.wait_for("location.pathname === '/es/guide/'");
}

/// Presses Enter with the text it types, which is what activates a `<summary>` or a link.
fn enter(browser: &mut Browser) {
    let key = serde_json::json!({"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13});
    let mut down = key.clone();
    down["type"] = "keyDown".into();
    down["text"] = "\r".into();
    let mut up = key;
    up["type"] = "keyUp".into();
    browser.call("Input.dispatchKeyEvent", down);
    browser.call("Input.dispatchKeyEvent", up);
}
