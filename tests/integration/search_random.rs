//! The browser search client fed random queries in node (tests/node/search_random_queries.js):
//! regex metacharacters, 10,000-character input, characters from every Unicode plane. None may
//! throw, and none may take over 100 ms.

use std::path::Path;
use std::process::Command;

use crate::support::{REPO_ROOT, SiteTest};

/// How many random queries one run makes.
const QUERIES: &str = "3000";

/// node, or `None` (skipping loudly, or failing under FOLIO_REQUIRE_BROWSER=1 as in CI).
fn node(test: &str) -> Option<&'static str> {
    let found = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("node");
    }
    assert!(
        !std::env::var("FOLIO_REQUIRE_BROWSER").is_ok_and(|v| v == "1"),
        "FOLIO_REQUIRE_BROWSER=1 but node is not installed (apt-get install -y nodejs)"
    );
    eprintln!("\n*** SKIPPED `{test}`: node is not installed (apt-get install -y nodejs) ***\n");
    None
}

#[test]
fn random_queries_neither_throw_nor_take_over_100_ms_in_the_browser_client() {
    let Some(node) =
        node("random_queries_neither_throw_nor_take_over_100_ms_in_the_browser_client")
    else {
        return;
    };
    let site = SiteTest::fixture("search/browser");
    site.build(&[]).assert_success();
    // Words past the 32nd are ignored, here as in the browser client (checked by the script).
    let filler = vec!["zq"; 32].join(" ");
    let past = site.folio(&["search", &format!("{filler} licence"), "--json"]);
    // No result is exit code 1, as grep does.
    assert_eq!(past.assert_code(1).stdout.trim(), "[]");
    let within = site.folio(&["search", &format!("licence {filler}"), "--json"]);
    assert_ne!(within.assert_success().stdout.trim(), "[]");

    let script = Path::new(REPO_ROOT).join("tests/node/search_random_queries.js");
    let output = Command::new(node)
        .arg(&script)
        .arg(site.public())
        .arg(QUERIES)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The figures (max, p99) are worth seeing in the test log: `--nocapture`.
    eprintln!("{stdout}");
    assert!(
        output.status.success(),
        "random queries failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains(&format!("{QUERIES} random queries")) && stdout.contains(" 0 failures"),
        "unexpected output:\n{stdout}"
    );
}
