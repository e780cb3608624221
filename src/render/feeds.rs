//! The files for machines that a build with an absolute `base_url` writes beside the pages: the
//! Atom feed of policies and playbooks, the sitemap, and robots.txt (written by every build,
//! naming the sitemap when there is one).

use crate::base::model::{IsoDate, Kind};
use crate::base::paths::{FEED_PATH, SITEMAP_PATH};
use crate::base::url::{escape_html, site_url};
use crate::content::site::Site;
use crate::input::config::Config;

/// The most entries the Atom feed holds.
pub const FEED_LIMIT: usize = 50;

/// The Atom feed's pages with their dates: policies and playbooks that have an `updated` or a
/// `date`, newest first (ties by URL), at most [`FEED_LIMIT`].
pub fn feed_pages(site: &Site) -> Vec<(usize, IsoDate)> {
    let mut pages: Vec<(usize, IsoDate)> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, page)| matches!(page.kind, Kind::Policy | Kind::Playbook))
        .filter_map(|(i, page)| {
            let fm = &page.front_matter;
            Some((i, fm.updated.or(fm.date)?))
        })
        .collect();
    pages.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| site.pages[a.0].url_path.cmp(&site.pages[b.0].url_path))
    });
    pages.truncate(FEED_LIMIT);
    pages
}

/// robots.txt: everything allowed, and the sitemap's URL when the build writes one.
pub fn robots(config: &Config) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if config.has_absolute_base_url() {
        text.push_str(&format!("Sitemap: {}{SITEMAP_PATH}\n", config.base_url));
    }
    text
}

/// The Atom feed of `pages` (see [`feed_pages`]), newest first; None when there are none. Only
/// called with an absolute `base_url`.
pub fn atom(config: &Config, site: &Site, pages: &[(usize, IsoDate)]) -> Option<String> {
    let newest = pages.first()?.1;
    let esc = escape_html;
    let permalink = |url_path: &str| site_url(&config.base_url, url_path);
    let self_url = esc(&permalink(FEED_PATH));
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    xml.push_str(&format!("  <id>{self_url}</id>\n"));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n"
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        esc(&config.base_url)
    ));
    xml.push_str(&format!("  <title>{}</title>\n", esc(&config.title)));
    xml.push_str(&format!("  <updated>{newest}T00:00:00Z</updated>\n"));
    // Atom wants an author; the handbook as a whole is the honest one.
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        esc(&config.title)
    ));
    for &(index, date) in pages {
        let page = &site.pages[index];
        let url = esc(&permalink(&page.url_path));
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <title>{}</title>\n", esc(&page.title)));
        xml.push_str(&format!("    <link href=\"{url}\"/>\n"));
        xml.push_str(&format!("    <id>{url}</id>\n"));
        xml.push_str(&format!("    <updated>{date}T00:00:00Z</updated>\n"));
        if let Some(description) = page.front_matter.description.as_deref() {
            xml.push_str(&format!("    <summary>{}</summary>\n", esc(description)));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    Some(xml)
}

/// The sitemap: every page in reading order (with its date, when it has one), then the pages
/// Folio generates at `generated` (URL paths: the FAQ hub, kind indexes, the glossary).
pub fn sitemap(config: &Config, site: &Site, generated: &[String]) -> String {
    let permalink = |url_path: &str| site_url(&config.base_url, url_path);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for &index in &site.reading_order {
        let page = &site.pages[index];
        let loc = escape_html(&permalink(&page.url_path));
        xml.push_str(&format!("  <url><loc>{loc}</loc>"));
        if let Some(date) = page.front_matter.updated.or(page.front_matter.date) {
            xml.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    for url_path in generated {
        let loc = escape_html(&permalink(url_path));
        xml.push_str(&format!("  <url><loc>{loc}</loc></url>\n"));
    }
    xml.push_str("</urlset>\n");
    xml
}
