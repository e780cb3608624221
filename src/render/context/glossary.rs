//! The glossary page: the terms of this build grouped by first letter, for `glossary.html`.
//!
//! The page is the content's page at `/glossary/` when there is one (a page or a section, with
//! its own context as well), and otherwise a page Folio writes there.

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;

use super::{
    Contexts, Frame, LinkContext, PageContext, PageTemplate, SectionContext, SectionTemplate,
};
use crate::base::paths::{FRAME_IDS, GLOSSARY_URL_PATH};
use crate::content::glossary::Glossary;
use crate::content::markdown::IdAllocator;

/// One term on the glossary page.
#[derive(Debug, Serialize)]
pub struct GlossaryTermContext<'a> {
    term: &'a str,
    /// The term's anchor on the page.
    id: &'a str,
    /// The expansion, if any.
    name: Option<&'a str>,
    /// The definition as HTML (trusted).
    definition: &'a str,
    aliases: &'a [String],
    /// The related terms in this build, linked to their entries.
    see: Vec<LinkContext>,
}

/// The terms starting with one letter; letters without terms are listed too, for the A–Z list.
#[derive(Debug, Serialize)]
pub struct GlossaryLetter<'a> {
    /// `A` to `Z`, or `#` for terms that start otherwise (listed first).
    letter: String,
    /// The anchor of the letter's group; null when no term starts with it.
    id: Option<String>,
    terms: Vec<GlossaryTermContext<'a>>,
}

/// `glossary` in `glossary.html`: the terms of this build, grouped by first letter.
#[derive(Debug, Serialize)]
pub struct GlossaryContext<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    count: usize,
    letters: Vec<GlossaryLetter<'a>>,
}

/// The context of `glossary.html`: the page at `/glossary/` if the content has one (`page` or
/// `section` set as for its kind), or the page Folio generates (both null).
#[derive(Debug, Serialize)]
pub struct GlossaryTemplate<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    page: Option<PageContext<'a>>,
    section: Option<SectionContext<'a>>,
    glossary: GlossaryContext<'a>,
    prev: Option<LinkContext>,
    next: Option<LinkContext>,
}

/// The title of the glossary page Folio generates.
pub const GLOSSARY_TITLE: &str = "Glossary";

impl<'a> Contexts<'a> {
    /// The site's glossary, if it has one.
    pub fn glossary(&self) -> Option<&'a Glossary> {
        self.data.glossary
    }

    /// True when the site has a glossary.
    pub fn has_glossary(&self) -> bool {
        self.data.glossary.is_some()
    }

    /// True when page `index` is the glossary page; for `None` (the page Folio generates), true
    /// when the site has a glossary and no page of its own at `/glossary/`.
    pub fn is_glossary_page(&self, index: Option<usize>) -> bool {
        match index {
            Some(_) => index == self.glossary_page,
            None => self.has_glossary() && self.glossary_page.is_none(),
        }
    }

    /// The context of `glossary.html`, for page `index` (the content's page at `/glossary/`)
    /// or, with `None`, for the page Folio generates there.
    pub fn glossary_page(&self, index: Option<usize>) -> GlossaryTemplate<'_> {
        let Some(index) = index else {
            let mut frame = self.frame(None, GLOSSARY_URL_PATH);
            frame.breadcrumbs = vec![self.link(self.site.sections[Path::new("")].page)];
            return GlossaryTemplate {
                frame,
                page: None,
                section: None,
                glossary: self.glossary_context(GLOSSARY_TITLE, &HashSet::new()),
                prev: None,
                next: None,
            };
        };
        let page = &self.site.pages[index];
        let glossary = self.glossary_context(&page.title, &page.rendered.anchors);
        if page.section_dir.is_some() {
            let SectionTemplate {
                frame,
                section,
                prev,
                next,
            } = self.section(index);
            GlossaryTemplate {
                frame,
                page: None,
                section: Some(section),
                glossary,
                prev,
                next,
            }
        } else {
            let PageTemplate {
                frame,
                page,
                prev,
                next,
            } = self.page(index);
            GlossaryTemplate {
                frame,
                page: Some(page),
                section: None,
                glossary,
                prev,
                next,
            }
        }
    }

    /// The terms of this build grouped by letter, `#` (when needed) and then A to Z; letter ids do not clash
    /// with the terms' or with `taken` (the page's own anchors).
    fn glossary_context(&self, title: &'a str, taken: &HashSet<String>) -> GlossaryContext<'_> {
        let glossary = self.data.glossary;
        let terms: Vec<_> = glossary.iter().flat_map(|g| g.terms()).collect();
        let mut ids = IdAllocator::default();
        for id in FRAME_IDS
            .iter()
            .copied()
            .chain(terms.iter().map(|t| t.id.as_str()))
            .chain(taken.iter().map(String::as_str))
        {
            ids.reserve(id);
        }
        let letter_of = |term: &str| {
            let first = term.chars().next().unwrap_or('#').to_ascii_uppercase();
            if first.is_ascii_uppercase() {
                first
            } else {
                '#'
            }
        };
        // `#` (terms starting with a digit or symbol) first, as they sort first.
        let mut letters: Vec<GlossaryLetter<'_>> = std::iter::once('#')
            .chain('A'..='Z')
            .map(|letter| GlossaryLetter {
                letter: letter.to_string(),
                id: None,
                terms: Vec::new(),
            })
            .collect();
        for term in &terms {
            let letter = letter_of(&term.term);
            let slot = if letter == '#' {
                0
            } else {
                (letter as u8 - b'A') as usize + 1
            };
            letters[slot].terms.push(GlossaryTermContext {
                term: &term.term,
                id: &term.id,
                name: term.name.as_deref(),
                definition: &term.definition_html,
                aliases: &term.aliases,
                see: glossary
                    .iter()
                    .flat_map(|g| {
                        term.see
                            .iter()
                            .filter_map(move |s| g.find(s))
                            .map(move |t| (g, t))
                    })
                    .map(|(g, t)| LinkContext {
                        title: t.term.clone(),
                        url: g.term_url(t),
                    })
                    .collect(),
            });
        }
        // `#` is listed only when some term needs it.
        if letters[0].terms.is_empty() {
            letters.remove(0);
        }
        for letter in &mut letters {
            if !letter.terms.is_empty() {
                let name = if letter.letter == "#" {
                    "other"
                } else {
                    &letter.letter
                };
                letter.id = Some(ids.allocate(&format!("letter {name}")));
            }
        }
        GlossaryContext {
            title,
            url: self.url_of(GLOSSARY_URL_PATH),
            permalink: self.permalink(GLOSSARY_URL_PATH),
            count: terms.len(),
            letters,
        }
    }
}
