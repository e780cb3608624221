//! The files a build writes besides its pages and the files copied from content/: generated
//! pages, aliases, static files and the rest of [`write`](super::write)'s extras, known before
//! any page is rendered, so that links from the site's root (`/tags/licensing/`,
//! `/assets/logo.svg`) are checked as relative links are.
//!
//! This list follows `Writer::write_extras`; where that writes a file only in some cases (the
//! FAQ hub, a kind's index), the file is listed whenever it may be written: a link to it is
//! never reported broken when the build has it. `links_from_the_root_reach_every_file_a_build_writes`
//! (tests/integration/links.rs) links every file of a built handbook to keep the two in step.

use std::collections::HashSet;
use std::path::Path;

use crate::base::model::Kind;
use crate::base::paths::{
    CATALOG_PATH, FAQ_HUB_URL_PATH, FEED_PATH, GLOSSARY_URL_PATH, NOT_FOUND_PATH, ROBOTS_PATH,
    SEARCH_URL_PATH, SITEMAP_PATH, SYNTAX_CSS_PATH, TAGS_URL_PATH,
};
use crate::content::site::Site;
use crate::input::config::Config;
use crate::render::context::tag_url_path;
use crate::search;

/// Every file the write stage may make besides pages and content/'s files, relative to the
/// output folder, `/`-separated: `404.html`, `tags/licensing/index.html`, `old/x/index.html`
/// for the alias `/old/x/`, `assets/folio.css`. `static_files` are the theme's and the site's;
/// `aliases` are the URL paths of the built pages' aliases.
pub(super) fn extra_outputs<'a>(
    config: &Config,
    site: &Site,
    has_glossary: bool,
    static_files: impl Iterator<Item = &'a Path>,
    aliases: &[(String, usize)],
) -> HashSet<String> {
    let page = |url_path: &str| format!("{url_path}index.html");
    let mut outputs: HashSet<String> = [
        NOT_FOUND_PATH.to_string(),
        page(TAGS_URL_PATH),
        SYNTAX_CSS_PATH.to_string(),
        ROBOTS_PATH.to_string(),
        CATALOG_PATH.to_string(),
    ]
    .into_iter()
    .collect();
    for version in search::Version::all(config) {
        let has_pages = site.pages.iter().any(|p| p.language == version.language);
        if version.prefix.is_empty() || has_pages {
            outputs.insert(format!("{}{SEARCH_URL_PATH}index.html", version.prefix));
        }
    }
    for tag in site.pages.iter().flat_map(|p| &p.front_matter.tags) {
        outputs.insert(page(&tag_url_path(tag)));
    }
    outputs.extend(aliases.iter().map(|(url_path, _)| page(url_path)));
    if site.pages.iter().any(|p| p.kind == Kind::Faq) {
        outputs.insert(page(FAQ_HUB_URL_PATH));
    }
    for kind in Kind::INDEXED {
        if let Some(dir) = kind.index_dir()
            && site.pages.iter().any(|p| p.kind == kind)
        {
            outputs.insert(format!("{dir}/index.html"));
        }
    }
    if has_glossary {
        outputs.insert(page(GLOSSARY_URL_PATH));
    }
    if config.has_absolute_base_url() {
        outputs.insert(SITEMAP_PATH.to_string());
        outputs.insert(FEED_PATH.to_string());
    }
    outputs.extend(static_files.map(|rel| rel.to_string_lossy().replace('\\', "/")));
    outputs
}
