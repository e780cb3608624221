//! Tags: the context of `taxonomy.html`, for the tag index and each tag's page, and the URL
//! path of a tag.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::{Contexts, Frame, PageSummary};
use crate::base::paths::TAGS_URL_PATH;
use crate::content::markdown::github_slug;

/// A tag and its pages, for `taxonomy.html`.
#[derive(Debug, Serialize)]
pub struct TermContext<'a> {
    name: &'a str,
    url: String,
    permalink: String,
    pages: Vec<&'a PageSummary>,
}

/// The tag index, for `taxonomy.html`.
#[derive(Debug, Serialize)]
pub struct TaxonomyContext<'a> {
    name: &'static str,
    url: String,
    permalink: String,
    terms: Vec<TermContext<'a>>,
}

/// The context of `taxonomy.html`.
#[derive(Debug, Serialize)]
pub struct TaxonomyTemplate<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    taxonomy: &'a TaxonomyContext<'a>,
    term: Option<&'a TermContext<'a>>,
}

impl<'a> Contexts<'a> {
    /// The tag index with every tag's pages.
    pub fn taxonomy(&self) -> TaxonomyContext<'_> {
        let mut by_tag: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for index in &self.site.reading_order {
            for tag in &self.site.pages[*index].front_matter.tags {
                by_tag.entry(tag.as_str()).or_default().push(*index);
            }
        }
        // Readers expect "licensing" before "Supply chain": sort tags ignoring case.
        let mut by_tag: Vec<(&str, Vec<usize>)> = by_tag.into_iter().collect();
        by_tag.sort_by_key(|(name, _)| name.to_lowercase());
        TaxonomyContext {
            name: "tags",
            url: self.url_of(TAGS_URL_PATH),
            permalink: self.permalink(TAGS_URL_PATH),
            terms: by_tag
                .into_iter()
                .map(|(name, pages)| TermContext {
                    name,
                    url: self.url_of(&tag_url_path(name)),
                    permalink: self.permalink(&tag_url_path(name)),
                    pages: pages.iter().map(|&i| &self.summaries[i]).collect(),
                })
                .collect(),
        }
    }

    /// The context of `taxonomy.html` for the index (`term` = None) or one tag.
    pub fn taxonomy_page<'t>(
        &'t self,
        taxonomy: &'t TaxonomyContext<'t>,
        term: Option<&'t TermContext<'t>>,
    ) -> TaxonomyTemplate<'t> {
        let url_path = match term {
            Some(t) => tag_url_path(t.name),
            None => TAGS_URL_PATH.to_string(),
        };
        let mut frame = self.frame(None, &url_path);
        frame.breadcrumbs = vec![self.link(self.site.sections[Path::new("")].page)];
        TaxonomyTemplate {
            frame,
            taxonomy,
            term,
        }
    }
}

impl TermContext<'_> {
    /// The tag's URL path, without the base path.
    pub fn url_path(&self) -> String {
        tag_url_path(self.name)
    }
}

impl TaxonomyContext<'_> {
    /// The tags, in name order.
    pub fn terms(&self) -> &[TermContext<'_>] {
        &self.terms
    }
}

/// `tags/NAME/`, with the tag name made URL-safe the way heading ids are.
pub fn tag_url_path(tag: &str) -> String {
    let slug = github_slug(tag);
    let slug = if slug.is_empty() {
        "tag".to_string()
    } else {
        slug
    };
    format!("{TAGS_URL_PATH}{slug}/")
}
