//! `catalog.json`: every page of a build with its owner and review dates, for dashboards and
//! chat bots that remind owners of reviews. The format is documented in the README ("Page
//! catalogue") and versioned: fields are only ever added within a version.

use serde::Serialize;

use crate::base::model::{IsoDate, Kind, PolicyStatus};
use crate::content::site::Site;
use crate::input::config::Config;
use crate::render::context::Contexts;

/// The version of the catalogue's format.
const VERSION: u32 = 1;

/// The whole catalogue.
#[derive(Debug, Serialize)]
struct Catalog<'a> {
    version: u32,
    /// The day the build ran (the date `overdue` was computed for).
    generated: IsoDate,
    base_url: &'a str,
    pages: Vec<Entry<'a>>,
}

/// One page of the catalogue.
#[derive(Debug, Serialize)]
struct Entry<'a> {
    url: String,
    title: &'a str,
    /// `policy`, `playbook`, `faq`, `page`, or `section` for a section's own page.
    kind: &'static str,
    description: Option<&'a str>,
    status: Option<&'static str>,
    owner: Option<&'a str>,
    approvers: &'a [String],
    effective: Option<IsoDate>,
    last_reviewed: Option<IsoDate>,
    review_every: Option<String>,
    review_due: Option<IsoDate>,
    overdue: bool,
    tags: &'a [String],
    /// The source file, relative to the site root (`content/policies/usage.md`).
    source: String,
}

/// The catalogue of the site's pages in reading order, as compact JSON (one line: a fifth smaller
/// than indented on a large handbook; any JSON tool shows it indented). Sections Folio
/// made up for folders are left out: they have no file and nothing to review.
pub fn render(config: &Config, site: &Site, contexts: &Contexts<'_>, today: IsoDate) -> String {
    let pages = site
        .reading_order
        .iter()
        .filter(|&&index| !site.pages[index].generated)
        .map(|&index| entry(config, site, contexts, index, today))
        .collect();
    let catalog = Catalog {
        version: VERSION,
        generated: today,
        base_url: &config.base_url,
        pages,
    };
    let mut json = serde_json::to_string(&catalog).expect("the catalogue serializes");
    json.push('\n');
    json
}

fn entry<'a>(
    config: &Config,
    site: &'a Site,
    contexts: &Contexts<'_>,
    index: usize,
    today: IsoDate,
) -> Entry<'a> {
    let page = &site.pages[index];
    let fm = &page.front_matter;
    let policy = page.kind == Kind::Policy && page.section_dir.is_none();
    let review_due = fm.next_review().filter(|_| policy);
    Entry {
        // A dashboard or a bot links from elsewhere: give it the full URL when there is one.
        url: if config.has_absolute_base_url() {
            contexts.permalink(&page.url_path)
        } else {
            contexts.url(index)
        },
        title: &page.title,
        kind: if page.section_dir.is_some() {
            "section"
        } else {
            page.kind.as_str()
        },
        description: fm.description.as_deref(),
        status: fm.status.filter(|_| policy).map(|s| s.as_str()),
        owner: fm.owner.as_deref().filter(|_| policy),
        approvers: fm.approvers.as_deref().filter(|_| policy).unwrap_or(&[]),
        effective: fm.effective.filter(|_| policy),
        last_reviewed: fm.last_reviewed.filter(|_| policy),
        review_every: fm.review_every.filter(|_| policy).map(|p| p.to_string()),
        review_due,
        // A retired policy is no longer reviewed, so it is never overdue.
        overdue: review_due.is_some_and(|due| due < today)
            && fm.status != Some(PolicyStatus::Retired),
        tags: &fm.tags,
        source: page.display_path.to_string_lossy().replace('\\', "/"),
    }
}
