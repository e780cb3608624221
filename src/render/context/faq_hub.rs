//! The FAQ hub: every FAQ of the site on one page, grouped by category, for `faq-hub.html`.
//!
//! The hub is the page of the `faq` section when the site has one (its own text first), and
//! otherwise a page Folio writes at `/faq/`.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::Serialize;

use super::{Contexts, Frame, LinkContext, SectionContext, SectionTemplate, script_safe_json};
use crate::base::model::Kind;
use crate::base::paths::{FAQ_HUB_URL_PATH, FRAME_IDS};
use crate::content::markdown::IdAllocator;

/// One question on the FAQ hub.
#[derive(Debug, Serialize)]
pub struct FaqEntry<'a> {
    /// Unique on the hub page: the GitHub slug of the question, numbered on repeats.
    id: String,
    question: &'a str,
    title: &'a str,
    url: &'a str,
    category: Option<&'a str>,
    /// The FAQ page's rendered body (trusted HTML).
    answer: Cow<'a, str>,
}

/// The FAQs of one category on the FAQ hub.
#[derive(Debug, Serialize)]
pub struct FaqCategory<'a> {
    /// The category as written in front matter, or `Other questions` for FAQs without one.
    name: &'a str,
    /// Unique on the hub page, prefixed so that it cannot take a question's id.
    id: String,
    questions: Vec<FaqEntry<'a>>,
}

/// `faq_hub` in `faq-hub.html`: every FAQ of the site, grouped by category.
#[derive(Debug, Serialize)]
pub struct FaqHubContext<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    count: usize,
    categories: Vec<FaqCategory<'a>>,
    /// schema.org `FAQPage` JSON-LD, escaped for a `<script>` element (trusted, use `| safe`).
    json_ld: String,
}

/// The context of `faq-hub.html`: the FAQ section's page, or the hub Folio writes at `/faq/`.
#[derive(Debug, Serialize)]
pub struct FaqHubTemplate<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    /// The `faq` section, when the hub is its page; null for the generated hub.
    section: Option<SectionContext<'a>>,
    faq_hub: FaqHubContext<'a>,
    prev: Option<LinkContext>,
    next: Option<LinkContext>,
}

/// The heading of the group of FAQs that have no category.
const UNCATEGORISED: &str = "Other questions";

impl<'a> Contexts<'a> {
    /// Indexes of the FAQ pages, in reading order.
    pub fn faq_pages(&self) -> Vec<usize> {
        self.site
            .reading_order
            .iter()
            .copied()
            .filter(|&i| {
                self.site.pages[i].kind == Kind::Faq && self.site.pages[i].section_dir.is_none()
            })
            .collect()
    }

    /// Every FAQ grouped by category, with ids that do not clash with `taken`.
    fn faq_hub_context(
        &self,
        url_path: &str,
        title: &'a str,
        taken: &HashSet<String>,
    ) -> FaqHubContext<'_> {
        let mut ids = IdAllocator::default();
        // Ids the frame and the section's own text already use.
        for id in FRAME_IDS
            .iter()
            .copied()
            .chain(taken.iter().map(String::as_str))
        {
            ids.reserve(id);
        }
        // Named categories first, alphabetically ignoring case (which also merges `Licensing`
        // and `licensing`, under the spelling met first); then the uncategorised.
        let mut groups: BTreeMap<(bool, String), (&str, Vec<usize>)> = BTreeMap::new();
        for index in self.faq_pages() {
            let category = self.summaries[index]
                .faq
                .as_ref()
                .and_then(|faq| faq.category.as_deref())
                .map(str::trim)
                .filter(|c| !c.is_empty());
            let (key, name) = match category {
                Some(name) => ((false, name.to_lowercase()), name),
                None => ((true, String::new()), UNCATEGORISED),
            };
            groups
                .entry(key)
                .or_insert((name, Vec::new()))
                .1
                .push(index);
        }
        let mut ld_entities = Vec::new();
        let mut categories = Vec::new();
        for ((uncategorised, _), (name, pages)) in groups {
            let mut questions = Vec::new();
            for index in pages {
                let summary = &self.summaries[index];
                let Some(faq) = &summary.faq else { continue };
                let page = &self.site.pages[index];
                let answer = page.rendered.body_html();
                let id = ids.allocate(&faq.question);
                ld_entities.push(serde_json::json!({
                    "@type": "Question",
                    "name": faq.question,
                    "url": format!("{}#{id}", self.permalink(url_path)),
                    "acceptedAnswer": {"@type": "Answer", "text": answer},
                }));
                questions.push(FaqEntry {
                    id,
                    question: &faq.question,
                    title: &page.title,
                    url: &summary.url,
                    category: (!uncategorised).then_some(name),
                    answer,
                });
            }
            categories.push((name, questions));
        }
        // Category ids come after every question's, so a question keeps its plain slug.
        let categories: Vec<FaqCategory<'_>> = categories
            .into_iter()
            .map(|(name, questions)| FaqCategory {
                name,
                id: ids.allocate(&format!("category {name}")),
                questions,
            })
            .collect();
        let count = ld_entities.len();
        let json_ld = script_safe_json(&serde_json::json!({
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": ld_entities,
        }));
        FaqHubContext {
            title,
            url: self.url_of(url_path),
            permalink: self.permalink(url_path),
            count,
            categories,
            json_ld,
        }
    }

    /// The context of `faq-hub.html` as the page of the `faq` section (page `index`).
    pub fn faq_hub_section(&self, index: usize) -> FaqHubTemplate<'_> {
        let SectionTemplate {
            frame,
            section,
            prev,
            next,
        } = self.section(index);
        let page = &self.site.pages[index];
        let faq_hub = self.faq_hub_context(&page.url_path, &page.title, &page.rendered.anchors);
        FaqHubTemplate {
            frame,
            section: Some(section),
            faq_hub,
            prev,
            next,
        }
    }

    /// The context of the FAQ hub Folio writes at `/faq/` when the site has no `faq` section.
    pub fn faq_hub_page(&self) -> FaqHubTemplate<'_> {
        let mut frame = self.frame(None, FAQ_HUB_URL_PATH);
        frame.breadcrumbs = vec![self.link(self.site.sections[Path::new("")].page)];
        FaqHubTemplate {
            frame,
            section: None,
            faq_hub: self.faq_hub_context(
                FAQ_HUB_URL_PATH,
                Kind::Faq.index_title(),
                &HashSet::new(),
            ),
            prev: None,
            next: None,
        }
    }
}
