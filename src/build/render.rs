//! The **render** stage: every page's Markdown to HTML in parallel, links rewritten through the
//! link map and `[[terms]]` through the glossary, titles taken from the first heading (else the
//! file's name) where front matter has none; then every `#anchor` checked, once all heading ids
//! are known.

use rayon::prelude::*;

use super::data::LoadedData;
use super::untitled;
use crate::base::diag::{Code, Diagnostic, Diagnostics};
use crate::base::progress::Progress;
use crate::content::links::LinkMap;
use crate::content::markdown::{self, AnchorRef};
use crate::content::page::Page;
use crate::content::site::Site;
use crate::content::title::TitleFrom;
use crate::input::compat;

/// Renders every page's Markdown in parallel, sets titles, then checks anchors.
pub(super) fn render_markdown(
    site: &mut Site,
    links: &LinkMap,
    data: &LoadedData,
    progress: &Progress,
    diagnostics: &mut Diagnostics,
) {
    progress.stage("Rendering", site.pages.len());
    let found: Vec<Vec<Diagnostic>> = site
        .pages
        .par_iter_mut()
        .map(|page| {
            let found = render_page(page, links, data);
            progress.advance();
            found
        })
        .collect();
    diagnostics.extend(found.into_iter().flatten());
    let foreign_tags = site
        .pages
        .iter()
        .flat_map(|p| p.foreign_tags.iter().cloned());
    diagnostics.extend(compat::report(foreign_tags.collect()));
    diagnostics.extend(untitled::report(&site.pages));
    let refs: Vec<(usize, AnchorRef)> = site
        .pages
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.rendered.anchor_refs.iter().map(move |r| (i, r.clone())))
        .collect();
    let mut retargeted = Vec::new();
    for (from, anchor_ref) in refs {
        let target = &site.pages[anchor_ref.page.unwrap_or(from)];
        match check_anchor(target, &site.pages[from], &anchor_ref) {
            AnchorCheck::Found => {}
            AnchorCheck::InThisPage(href) => retargeted.push((from, href)),
            AnchorCheck::Missing => diagnostics.push(missing_anchor(target, &anchor_ref)),
        }
    }
    for (from, href) in retargeted {
        retarget_to_self(&mut site.pages[from], &href);
    }
}

/// Where the anchor of a `#fragment` link is.
pub(super) enum AnchorCheck {
    /// In the page linked to.
    Found,
    /// Not there, but the link is `./#x` and the linking page has it: the link, written into
    /// the page as this href, is to the linking page (see [`AnchorRef::self_href`]).
    InThisPage(String),
    /// Nowhere it could be meant.
    Missing,
}

/// Checks the anchor of `anchor_ref`, written in `this` and pointing into `target`.
pub(super) fn check_anchor(target: &Page, this: &Page, anchor_ref: &AnchorRef) -> AnchorCheck {
    if target.rendered.anchors.contains(&anchor_ref.anchor) {
        return AnchorCheck::Found;
    }
    match &anchor_ref.self_href {
        Some(href) if this.rendered.anchors.contains(&anchor_ref.anchor) => {
            AnchorCheck::InThisPage(href.clone())
        }
        _ => AnchorCheck::Missing,
    }
}

/// Points the `./#x` links that were written into `page` as `href` at the page's own `#x`.
pub(super) fn retarget_to_self(page: &mut Page, href: &str) {
    let Some(hash) = href.find('#') else {
        return;
    };
    // The HTML holds the href as pulldown-cmark escaped it.
    let attribute = |href: &str| {
        let mut escaped = String::from("href=\"");
        let _ = pulldown_cmark_escape::escape_href(&mut escaped, href);
        escaped.push('"');
        escaped
    };
    let html = &mut page.rendered.html;
    *html = html.replace(&attribute(href), &attribute(&href[hash..]));
}

pub(super) fn render_page(page: &mut Page, links: &LinkMap, data: &LoadedData) -> Vec<Diagnostic> {
    if page.generated {
        return Vec::new();
    }
    let body_offset = page.body_offset;
    let mut cleaned = compat::clean(
        &page.display_path,
        &page.text,
        body_offset,
        &page.text[body_offset..],
    );
    page.foreign_tags = std::mem::take(&mut cleaned.uses);
    let source = markdown::Source {
        display_path: &page.display_path,
        rel_path: &page.source,
        text: &page.text,
        body: &cleaned.body,
        body_offset,
        title: page.front_matter.title.as_deref(),
        cleaned: Some(&cleaned),
    };
    let mut rendered = markdown::render(&source, links, data.terms());
    rendered.anchors.extend(data.template_anchors(page));
    let diagnostics = std::mem::take(&mut rendered.diagnostics);
    let non_blank = |t: &Option<String>| t.clone().filter(|t| !t.trim().is_empty());
    if let Some(title) = non_blank(&page.front_matter.title) {
        page.title = title;
        page.title_from = TitleFrom::FrontMatter;
    } else if let Some(title) =
        non_blank(&rendered.h1).or_else(|| non_blank(&rendered.first_heading))
    {
        page.title = title;
        page.title_from = TitleFrom::Heading;
    } else {
        // The title load_page made from the file's name stays.
        page.title_from = TitleFrom::FileName;
    }
    page.rendered = rendered;
    diagnostics
}

pub(super) fn missing_anchor(target: &Page, anchor_ref: &AnchorRef) -> Diagnostic {
    let mut known: Vec<&str> = target.rendered.anchors.iter().map(String::as_str).collect();
    known.sort_unstable();
    let help = match crate::base::diag::did_you_mean(&anchor_ref.anchor, &known) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if known.is_empty() => format!("`{}` has no headings", target.display_path.display()),
        None => format!(
            "headings in `{}`: {}",
            target.display_path.display(),
            known
                .iter()
                .take(8)
                .map(|a| format!("#{a}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::error(format!(
        "link to a missing heading `#{}` in `{}`",
        anchor_ref.anchor,
        target.display_path.display()
    ))
    .at(anchor_ref.location.clone())
    .with_help(help)
    .with_code(Code::BrokenAnchor)
}
