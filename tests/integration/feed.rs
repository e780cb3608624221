//! The Atom feed (`feed.xml`) of policies and playbooks, and the meta tags in every `<head>`:
//! description, canonical URL and Open Graph.

use scraper::Html;

use crate::support::{SiteTest, select_attrs};

/// The text of every `<TAG>…</TAG>` in `xml`, in order.
fn texts<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    xml.split(open.as_str())
        .skip(1)
        .map(|rest| rest.split(close.as_str()).next().unwrap())
        .collect()
}

/// The `<entry>` elements of a feed.
fn entries(xml: &str) -> Vec<&str> {
    texts(xml, "entry")
}

fn meta(html: &Html, css: &str) -> String {
    let values = select_attrs(html, css, "content");
    assert_eq!(values.len(), 1, "{css}: {values:?}");
    values.into_iter().next().unwrap()
}

#[test]
fn the_feed_lists_dated_policies_and_playbooks_newest_first() {
    let site = SiteTest::fixture("feed/site");
    site.build(&[]).assert_clean();
    let xml = site.read("public/feed.xml");
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
        "{xml}"
    );
    let entries = entries(&xml);
    let ids: Vec<&str> = entries.iter().map(|e| texts(e, "id")[0]).collect();
    // `updated` wins over `date`; the plain page and the undated policy are left out.
    assert_eq!(
        ids,
        [
            "https://handbook.example.org/docs/policies/usage/",
            "https://handbook.example.org/docs/policies/contrib/",
            "https://handbook.example.org/docs/playbooks/release/",
        ]
    );
    let updated: Vec<&str> = entries.iter().map(|e| texts(e, "updated")[0]).collect();
    assert_eq!(
        updated,
        [
            "2026-03-05T00:00:00Z",
            "2026-02-01T00:00:00Z",
            "2025-12-24T00:00:00Z"
        ]
    );
    for entry in &entries {
        let id = texts(entry, "id")[0];
        assert!(entry.contains(&format!("<link href=\"{id}\"/>")), "{entry}");
    }
    assert!(!xml.contains("about"), "{xml}");
    assert!(!xml.contains("Undated"), "{xml}");
}

#[test]
fn the_feed_head_names_the_site_and_its_newest_date() {
    let site = SiteTest::fixture("feed/site");
    site.build(&[]).assert_clean();
    let xml = site.read("public/feed.xml");
    let head = xml.split("<entry>").next().unwrap();
    assert_eq!(
        texts(head, "id"),
        ["https://handbook.example.org/docs/feed.xml"]
    );
    assert!(
        head.contains(
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://handbook.example.org/docs/feed.xml\"/>"
        ),
        "{head}"
    );
    assert_eq!(texts(head, "title"), ["Feed &amp; Co"]);
    assert_eq!(texts(head, "updated"), ["2026-03-05T00:00:00Z"]);
}

#[test]
fn feed_text_is_xml_escaped() {
    let site = SiteTest::fixture("feed/site");
    site.build(&[]).assert_clean();
    let xml = site.read("public/feed.xml");
    let entries = entries(&xml);
    assert_eq!(
        texts(entries[1], "title"),
        ["Contributing &amp; &lt;upstream&gt; work"]
    );
    assert!(texts(entries[1], "summary").is_empty(), "{}", entries[1]);
    assert_eq!(
        texts(entries[0], "summary"),
        ["How to use open source &amp; why it &quot;matters&quot;."]
    );
    assert!(!xml.contains("<upstream>"), "{xml}");
    // Parsed loosely, the escaped text reads back as written.
    let parsed = Html::parse_fragment(&xml);
    let titles: Vec<String> = parsed
        .select(&crate::support::selector("entry > title"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(titles[1], "Contributing & <upstream> work");
}

#[test]
fn pages_link_to_the_feed() {
    let site = SiteTest::fixture("feed/site");
    site.build(&[]).assert_clean();
    for url in ["", "policies/usage/", "about/", "tags/"] {
        let html = site.html(url);
        assert_eq!(
            select_attrs(
                &html,
                "head link[rel=alternate][type='application/atom+xml']",
                "href"
            ),
            ["https://handbook.example.org/docs/feed.xml"],
            "{url}"
        );
    }
}

#[test]
fn a_relative_base_url_writes_no_feed() {
    let site = SiteTest::fixture("feed/site");
    let toml = site
        .read("site.toml")
        .replace("https://handbook.example.org/docs/", "/docs/");
    site.write("site.toml", &toml);
    site.build(&[]).assert_clean();
    assert!(!site.public().join("feed.xml").exists());
    assert!(!site.public().join("sitemap.xml").exists());
    let html = site.html("policies/usage/");
    assert!(
        select_attrs(&html, "link[rel=alternate]", "href").is_empty(),
        "a page links to a feed that was not written"
    );
}

#[test]
fn a_site_without_dated_policies_writes_no_feed() {
    let site = SiteTest::fixture("feed/site");
    for rel in [
        "content/policies/usage.md",
        "content/policies/contrib.md",
        "content/playbooks/release.md",
    ] {
        std::fs::remove_file(site.path(rel)).unwrap();
    }
    site.build(&[]).assert_clean();
    assert!(site.public().join("sitemap.xml").exists());
    assert!(!site.public().join("feed.xml").exists());
    assert!(select_attrs(&site.html(""), "link[rel=alternate]", "href").is_empty());
}

#[test]
fn a_page_has_description_canonical_and_open_graph_tags() {
    let site = SiteTest::fixture("feed/site");
    site.build(&[]).assert_clean();
    let html = site.html("policies/usage/");
    let url = "https://handbook.example.org/docs/policies/usage/";
    assert_eq!(
        select_attrs(&html, "head link[rel=canonical]", "href"),
        [url]
    );
    let description = "How to use open source & why it \"matters\".";
    assert_eq!(meta(&html, "head meta[name=description]"), description);
    // Link previews fall back to the description; an `og:description` would repeat it.
    assert!(select_attrs(&html, "head meta[property='og:description']", "content").is_empty());
    assert_eq!(
        meta(&html, "head meta[property='og:title']"),
        "Acceptable use"
    );
    assert_eq!(meta(&html, "head meta[property='og:url']"), url);
    assert_eq!(meta(&html, "head meta[property='og:type']"), "article");
    assert_eq!(
        meta(&html, "head meta[property='og:site_name']"),
        "Feed & Co"
    );
    // Autoescaped, not written raw.
    let text = site.read("public/policies/usage/index.html");
    assert!(
        text.contains("content=\"How to use open source &amp; why it &quot;matters&quot;.\""),
        "{text}"
    );
}

#[test]
fn escaped_titles_and_the_site_description_fill_in() {
    let site = SiteTest::fixture("feed/site");
    site.build(&[]).assert_clean();
    let html = site.html("policies/contrib/");
    assert_eq!(
        meta(&html, "head meta[property='og:title']"),
        "Contributing & <upstream> work"
    );
    let fallback = "The handbook's <default> description";
    assert_eq!(meta(&html, "head meta[name=description]"), fallback);
    let text = site.read("public/policies/contrib/index.html");
    assert!(!text.contains("<upstream>"), "{text}");
}

#[test]
fn the_home_page_is_a_website_and_other_pages_articles() {
    let site = SiteTest::fixture("feed/site");
    site.build(&[]).assert_clean();
    let home = site.html("");
    assert_eq!(meta(&home, "head meta[property='og:type']"), "website");
    assert_eq!(
        meta(&home, "head meta[property='og:url']"),
        "https://handbook.example.org/docs/"
    );
    assert_eq!(meta(&home, "head meta[property='og:title']"), "Home");
    for url in ["policies/", "about/", "tags/"] {
        let html = site.html(url);
        assert_eq!(
            meta(&html, "head meta[property='og:type']"),
            "article",
            "{url}"
        );
        assert_eq!(
            meta(&html, "head meta[property='og:site_name']"),
            "Feed & Co"
        );
    }
    assert_eq!(
        meta(&site.html("tags/"), "head meta[property='og:title']"),
        "Tags"
    );
}

#[test]
fn the_feed_keeps_the_fifty_newest_entries() {
    let site = SiteTest::fixture("feed/site");
    for day in 1..=60 {
        site.write(
            &format!("content/policies/p{day:02}.md"),
            &format!(
                "---\ntitle: Policy {day}\ndate: 2027-{:02}-{:02}\n---\n\nText.\n",
                (day - 1) / 28 + 1,
                (day - 1) % 28 + 1
            ),
        );
    }
    site.build(&[]).assert_clean();
    let xml = site.read("public/feed.xml");
    let entries = entries(&xml);
    assert_eq!(entries.len(), 50);
    assert_eq!(texts(entries[0], "title"), ["Policy 60"]);
    assert_eq!(texts(entries[49], "title"), ["Policy 11"]);
}
