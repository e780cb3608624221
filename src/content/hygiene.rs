//! Handbook hygiene: what `folio check` finds beyond what a build checks. One function per rule,
//! each returning diagnostics with a stable code:
//!
//! | code | level | rule |
//! |---|---|---|
//! | `policy-without-owner` | error | an approved policy names no `owner` |
//! | `policy-review-overdue` | warning | a policy's next review date is before today |
//! | `policy-review-due` | note | a policy's next review is due within `review_due_soon_days` |
//! | `orphan-page` | warning | no other page's text links to the page |
//! | `duplicate-title` | warning | another page has the same title (ignoring case) |
//! | `faq-without-category` | warning | an FAQ has no `category`, so the hub files it last |
//!
//! Rules see only the pages of the build being checked: a public check leaves internal pages
//! out, as a public build does.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use crate::base::diag::{Code, Diagnostic, Location};
use crate::base::model::{IsoDate, Kind, PolicyStatus};
use crate::content::page::{Page, at_field, at_field_value};
use crate::content::site::Site;

/// What the rules measure against.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// The day to compare review dates with ([`IsoDate::today`]).
    pub today: IsoDate,
    /// A review due within this many days gets a note.
    pub due_soon_days: u32,
}

/// Runs every rule on the site's pages (sections Folio made up for folders are skipped: they
/// have no file to fix).
pub fn check(site: &Site, settings: &Settings) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for page in site.pages.iter().filter(|p| !p.generated) {
        found.extend(policy_without_owner(page));
        found.extend(review_due(page, settings));
        found.extend(faq_without_category(page));
    }
    found.extend(orphan_pages(site));
    found.extend(duplicate_titles(site));
    found
}

/// True for a policy's own page (a section's `_index.md` may inherit the kind `policy` from
/// site.toml, but it is a list of policies, not one).
fn is_policy(page: &Page) -> bool {
    page.kind == Kind::Policy && page.section_dir.is_none()
}

/// An approved policy is in force: someone must own it.
fn policy_without_owner(page: &Page) -> Option<Diagnostic> {
    let fm = &page.front_matter;
    if !is_policy(page) || fm.status != Some(PolicyStatus::Approved) {
        return None;
    }
    if fm.owner.as_deref().is_some_and(|o| !o.trim().is_empty()) {
        return None;
    }
    let d = Diagnostic::error("approved policy without an owner")
        .with_code(Code::PolicyWithoutOwner)
        .with_help(
            "add `owner: TEAM OR PERSON` to the front matter: who keeps this policy current",
        );
    Some(at(d, at_field_value(page, "status")))
}

/// A policy whose review is overdue or due soon, as reports list them
/// (`folio check --format markdown`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// The policy's file, as diagnostics show it (`content/policies/x.md`).
    pub path: PathBuf,
    /// The policy's title.
    pub title: String,
    /// Who keeps the policy current, when the front matter says.
    pub owner: Option<String>,
    /// The day the next review is due.
    pub due: IsoDate,
    /// Days from today to `due`: negative when the review is overdue.
    pub days: i64,
}

/// Every policy whose review is overdue or due within `due_soon_days`, soonest first: the same
/// policies [`check`] reports as `policy-review-overdue` and `policy-review-due`.
pub fn reviews(site: &Site, settings: &Settings) -> Vec<Review> {
    let mut reviews: Vec<Review> = site
        .pages
        .iter()
        .filter(|p| !p.generated)
        .filter_map(|page| {
            let (due, days) = next_review(page, settings)?;
            Some(Review {
                path: page.display_path.clone(),
                title: page.title.clone(),
                owner: page.front_matter.owner.clone(),
                due,
                days,
            })
        })
        .collect();
    reviews.sort_by(|a, b| (a.days, &a.path).cmp(&(b.days, &b.path)));
    reviews
}

/// The next review date of a policy that is reviewed, and the days from today to it, when it is
/// overdue or due within the configured number of days. Retired policies are no longer
/// reviewed.
fn next_review(page: &Page, settings: &Settings) -> Option<(IsoDate, i64)> {
    let fm = &page.front_matter;
    if !is_policy(page) || fm.status == Some(PolicyStatus::Retired) {
        return None;
    }
    let next = fm.next_review()?;
    let days = (next.0 - settings.today.0).whole_days();
    (days <= i64::from(settings.due_soon_days)).then_some((next, days))
}

/// A policy whose next review date has passed (a warning), or comes within the configured
/// number of days (a note).
fn review_due(page: &Page, settings: &Settings) -> Option<Diagnostic> {
    let fm = &page.front_matter;
    let (next, days) = next_review(page, settings)?;
    let d = if days < 0 {
        Diagnostic::warning(format!(
            "policy review overdue: it was due on {next}, {} ago",
            days_text(-days)
        ))
        .with_code(Code::PolicyReviewOverdue)
    } else {
        let when = match days {
            0 => "today".to_string(),
            n => format!("in {}", days_text(n)),
        };
        Diagnostic::note(format!("policy review due on {next}, {when}"))
            .with_code(Code::PolicyReviewDue)
    };
    let d = d.with_help(format!(
        "review the policy with its owner{}, then set `last_reviewed` to the day of the review",
        fm.owner
            .as_deref()
            .map(|o| format!(" ({o})"))
            .unwrap_or_default()
    ));
    let field = ["last_reviewed", "effective", "review_every"]
        .into_iter()
        .find_map(|f| at_field(page, f));
    Some(at(d, field))
}

fn days_text(n: i64) -> String {
    format!("{n} day{}", if n == 1 { "" } else { "s" })
}

/// The FAQ hub files an FAQ without a category under "Other questions", where readers look last.
fn faq_without_category(page: &Page) -> Option<Diagnostic> {
    let fm = &page.front_matter;
    if page.kind != Kind::Faq || page.section_dir.is_some() {
        return None;
    }
    if fm.category.as_deref().is_some_and(|c| !c.trim().is_empty()) {
        return None;
    }
    let d = Diagnostic::warning("FAQ without a category")
        .with_code(Code::FaqWithoutCategory)
        .with_help(
            "add `category: …` to the front matter, so the FAQ hub groups it with its peers",
        );
    Some(at(d, Some(title_location(page))))
}

/// Pages that no other page's text links to. The sidebar lists every page, but a reader who
/// follows the handbook's text never meets these. Not counted: the home page and section pages
/// (navigation leads there), and FAQs (the FAQ hub links every one).
fn orphan_pages(site: &Site) -> Vec<Diagnostic> {
    let linked: HashSet<usize> = site
        .pages
        .iter()
        .enumerate()
        .flat_map(|(from, page)| {
            page.rendered
                .linked_pages
                .iter()
                .copied()
                .filter(move |&to| to != from)
        })
        .collect();
    site.pages
        .iter()
        .enumerate()
        .filter(|(_, page)| !page.generated && page.section_dir.is_none() && page.kind != Kind::Faq)
        .filter(|(index, _)| !linked.contains(index))
        .map(|(_, page)| {
            let d = Diagnostic::warning(format!("no other page links to `{}`", page.title))
                .with_code(Code::OrphanPage)
                .with_help(format!(
                    "link to `{}` from a related page, so that readers of the text find it",
                    page.display_path.display()
                ));
            at(d, Some(title_location(page)))
        })
        .collect()
}

/// Pages sharing a title (ignoring case and surrounding spaces): one warning at each, naming
/// the others, since readers cannot tell them apart in lists and search results.
fn duplicate_titles(site: &Site) -> Vec<Diagnostic> {
    let mut by_title: BTreeMap<String, Vec<&Page>> = BTreeMap::new();
    for page in site.pages.iter().filter(|p| !p.generated) {
        by_title
            .entry(page.title.trim().to_lowercase())
            .or_default()
            .push(page);
    }
    let mut found = Vec::new();
    for pages in by_title.values().filter(|pages| pages.len() > 1) {
        for page in pages {
            let others: Vec<String> = pages
                .iter()
                .filter(|other| other.source != page.source)
                .map(|other| format!("`{}`", other.display_path.display()))
                .collect();
            let d = Diagnostic::warning(format!(
                "duplicate title `{}`: {} {} it too",
                page.title,
                others.join(", "),
                if others.len() == 1 { "has" } else { "have" }
            ))
            .with_code(Code::DuplicateTitle)
            .with_help("give each page a title that says how it differs");
            found.push(at(d, Some(title_location(page))));
        }
    }
    found
}

/// Where the page's title is written: its `title` field, else its `# Heading`, else line 1.
fn title_location(page: &Page) -> Location {
    if let Some(location) = at_field(page, "title") {
        return location;
    }
    let body = &page.text[page.body_offset..];
    let mut offset = page.body_offset;
    for line in body.split_inclusive('\n') {
        if line.starts_with("# ") {
            return Location::from_offset(
                &page.display_path,
                &page.text,
                offset,
                line.trim_end().len(),
            );
        }
        offset += line.len();
    }
    Location::from_offset(&page.display_path, &page.text, 0, 1)
}

/// Attaches `location` when there is one.
fn at(d: Diagnostic, location: Option<Location>) -> Diagnostic {
    match location {
        Some(location) => d.at(location),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::base::diag::Severity;
    use crate::input::front_matter;

    /// A page of `kind` read from `text` as a build would, titled from front matter.
    fn page(source: &str, kind: Kind, text: &str) -> Page {
        let display_path = Path::new("content").join(source);
        let split = front_matter::split(&display_path, text).unwrap();
        let fm = front_matter::parse(&display_path, text, &split)
            .unwrap()
            .front_matter;
        Page {
            source: PathBuf::from(source),
            display_path,
            title: fm.title.clone().unwrap_or_default(),
            front_matter: fm,
            kind,
            front_matter_span: split.span(),
            body_offset: split.body_offset,
            text: text.to_string(),
            ..Page::default()
        }
    }

    fn settings(today: &str) -> Settings {
        Settings {
            today: IsoDate::parse(today).unwrap(),
            due_soon_days: 30,
        }
    }

    const REVIEWED: &str = "---\ntitle: P\nstatus: approved\nowner: OSPO\nlast_reviewed: 2026-01-10\nreview_every: 6 months\n---\n";

    #[test]
    fn an_approved_policy_needs_an_owner() {
        let text = "---\ntitle: P\nstatus: approved\nowner: \"  \"\n---\nBody\n";
        let d = policy_without_owner(&page("p.md", Kind::Policy, text)).unwrap();
        assert!(d.is_error());
        assert_eq!(d.code, Some(Code::PolicyWithoutOwner));
        let loc = d.location.unwrap();
        assert_eq!((loc.line, loc.column), (3, 9));
        let draft = "---\ntitle: P\nstatus: draft\n---\n";
        assert!(policy_without_owner(&page("p.md", Kind::Policy, draft)).is_none());
        assert!(policy_without_owner(&page("p.md", Kind::Policy, REVIEWED)).is_none());
    }

    #[test]
    fn reviews_are_overdue_after_the_date_and_due_soon_before_it() {
        let policy = page("p.md", Kind::Policy, REVIEWED);
        // Next review: 2026-07-10.
        let overdue = review_due(&policy, &settings("2026-07-11")).unwrap();
        assert_eq!(overdue.severity, Severity::Warning);
        assert_eq!(
            overdue.message,
            "policy review overdue: it was due on 2026-07-10, 1 day ago"
        );
        assert_eq!(overdue.location.unwrap().line, 5);
        let today = review_due(&policy, &settings("2026-07-10")).unwrap();
        assert_eq!(today.severity, Severity::Note);
        assert_eq!(today.message, "policy review due on 2026-07-10, today");
        let soon = review_due(&policy, &settings("2026-06-10")).unwrap();
        assert_eq!(soon.message, "policy review due on 2026-07-10, in 30 days");
        assert!(review_due(&policy, &settings("2026-06-09")).is_none());
        let retired = REVIEWED.replace("approved", "retired");
        assert!(
            review_due(
                &page("p.md", Kind::Policy, &retired),
                &settings("2030-01-01")
            )
            .is_none()
        );
    }

    #[test]
    fn orphans_are_pages_no_other_page_links_to() {
        let mut home = page("_index.md", Kind::Page, "---\ntitle: Home\n---\n");
        home.section_dir = Some(PathBuf::new());
        let mut linked = page("a.md", Kind::Page, "---\ntitle: A\n---\n");
        let mut alone = page("b.md", Kind::Page, "# B\n\nText\n");
        alone.title = "B".into();
        let faq = page("q.md", Kind::Faq, "---\ntitle: Q\n---\n");
        // Page 1 links to itself and page 2 links to page 1: only page 1 is linked from elsewhere.
        linked.rendered.linked_pages = vec![1];
        alone.rendered.linked_pages = vec![1];
        let site = Site::assemble(vec![home, linked, alone, faq], "Site", Path::new("content"));
        let found = orphan_pages(&site);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].message, "no other page links to `B`");
        let loc = found[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.source_line.as_str()), (1, "# B"));
    }

    #[test]
    fn duplicate_titles_name_every_other_page() {
        let pages = vec![
            page("a.md", Kind::Page, "---\ntitle: Licences\n---\n"),
            page("b.md", Kind::Page, "---\ntitle: licences \n---\n"),
            page("c.md", Kind::Page, "---\ntitle: Other\n---\n"),
        ];
        let site = Site::assemble(pages, "Site", Path::new("content"));
        let found = duplicate_titles(&site);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0].message,
            "duplicate title `Licences`: `content/b.md` has it too"
        );
        assert_eq!(found[0].location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn faqs_need_a_category() {
        let without = page("q.md", Kind::Faq, "---\ntitle: Q?\n---\n");
        assert_eq!(
            faq_without_category(&without).unwrap().code,
            Some(Code::FaqWithoutCategory)
        );
        let with = page("q.md", Kind::Faq, "---\ntitle: Q?\ncategory: Legal\n---\n");
        assert!(faq_without_category(&with).is_none());
    }
}
