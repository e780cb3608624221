//! The fixed places of every site Folio builds: the URL paths and files it writes besides the
//! pages (the FAQ hub, the glossary, the tag pages, the feed, the catalogue, the search export),
//! the folder whose section is the FAQ hub, and the ids the frame around every page uses.
//!
//! The write stage, the list of files a link from the site's root may name, the template
//! contexts and the dev server all read these, so that they agree without knowing each other.
//! URL paths are relative to the base path and end with `/` (`faq/`); file paths are relative
//! to the output folder (`feed.xml`).

/// The folder of the section whose page is the FAQ hub.
pub const FAQ_SECTION_DIR: &str = "faq";

/// Where Folio writes the FAQ hub when the site has no `faq` section.
pub const FAQ_HUB_URL_PATH: &str = "faq/";

/// The URL path of the glossary page.
pub const GLOSSARY_URL_PATH: &str = "glossary/";

/// The URL path of the tag index; each tag's page is below it (see the taxonomy context).
pub const TAGS_URL_PATH: &str = "tags/";

/// The URL path, under a language version's home, of its search results page.
pub const SEARCH_URL_PATH: &str = "search/";

/// The page a server shows for a URL the site does not have.
pub const NOT_FOUND_PATH: &str = "404.html";

/// Where the Atom feed is written.
pub const FEED_PATH: &str = "feed.xml";

/// Where the sitemap is written.
pub const SITEMAP_PATH: &str = "sitemap.xml";

/// Where robots.txt is written.
pub const ROBOTS_PATH: &str = "robots.txt";

/// Where the page catalogue is written.
pub const CATALOG_PATH: &str = "catalog.json";

/// Where the stylesheet of highlighted code is written.
pub const SYNTAX_CSS_PATH: &str = "assets/syntax.css";

/// The folder, inside the output (or a language version's folder in it), that holds the search
/// export.
pub const EXPORT_DIR: &str = "_search";

/// The ids the frame around every page gives its own elements (the default theme's `base.html`):
/// ids Folio makes up on a page (glossary terms, FAQ questions, letters) must not take them.
pub const FRAME_IDS: &[&str] = &["main", "site-nav", "site-search-input"];
