//! The **render** stage: every page's Markdown to HTML in parallel, links rewritten through the
//! link map and `[[terms]]` through the glossary, titles taken from the first heading (else the
//! file's name) where front matter has none; then every `#anchor` checked, once all heading ids
//! are known.

use rayon::prelude::*;

use super::Sources;
use super::data::LoadedData;
use super::untitled;
use crate::base::diag::{Code, Diagnostic, Diagnostics, Location, plural};
use crate::base::progress::Progress;
use crate::content::links::LinkMap;
use crate::content::markdown::{self, AnchorRef, IdStyle};
use crate::content::page::Page;
use crate::content::site::Site;
use crate::content::title::TitleFrom;
use crate::input::compat;

/// Renders every page's Markdown in parallel, sets titles, then checks anchors. With
/// [`Sources::Forget`], each page's source is cut down to its front matter once rendered, and
/// its HTML is held packed until written.
pub(super) fn render_markdown(
    site: &mut Site,
    links: &LinkMap,
    data: &LoadedData,
    progress: &Progress,
    after_render: Sources,
    diagnostics: &mut Diagnostics,
) {
    progress.stage("Rendering", site.pages.len());
    let found: Vec<Vec<Diagnostic>> = site
        .pages
        .par_iter_mut()
        .map(|page| {
            let found = render_page(page, links, data);
            if after_render == Sources::Forget {
                forget_body(page);
                page.rendered.pack_html();
            }
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
    let mut respelled = Vec::new();
    for (from, anchor_ref) in refs {
        let target = &site.pages[anchor_ref.page.unwrap_or(from)];
        match check_anchor(target, &site.pages[from], &anchor_ref) {
            AnchorCheck::Found => {}
            AnchorCheck::InThisPage(href) => retargeted.push((from, href)),
            AnchorCheck::Respelled { to, id, how } => {
                replace_href(&mut site.pages[from], &anchor_ref.href, &to);
                respelled.push((anchor_ref, id, how));
            }
            AnchorCheck::Missing => diagnostics.push(missing_anchor(target, &anchor_ref)),
        }
    }
    for (from, href) in retargeted {
        retarget_to_self(&mut site.pages[from], &href);
    }
    diagnostics.extend(respelled_anchor_warnings(respelled));
    let unlinked = site
        .pages
        .iter()
        .flat_map(|p| p.rendered.unlinked_terms.iter().cloned());
    diagnostics.extend(unlinked_terms_note(unlinked.collect()));
}

/// Where the anchor of a `#fragment` link is.
pub(super) enum AnchorCheck {
    /// In the page linked to.
    Found,
    /// Not there, but the link is `./#x` and the linking page has it: the link, written into
    /// the page as this href, is to the linking page (see [`AnchorRef::self_href`]).
    InThisPage(String),
    /// Not there, but it names a heading in the page linked to (or, for `./#x`, the linking
    /// page) spelled otherwise (see [`meant_id`]): the link, written into the page as
    /// `AnchorRef::href`, goes there as `to`.
    Respelled {
        /// The href that points at the heading.
        to: String,
        /// The heading's id.
        id: String,
        /// How the link spells it.
        how: Respelling,
    },
    /// Nowhere it could be meant.
    Missing,
}

/// Checks the anchor of `anchor_ref`, written in `this` and pointing into `target`.
pub(super) fn check_anchor(target: &Page, this: &Page, anchor_ref: &AnchorRef) -> AnchorCheck {
    if target.rendered.anchors.contains(&anchor_ref.anchor) {
        return AnchorCheck::Found;
    }
    if let Some(href) = &anchor_ref.self_href
        && this.rendered.anchors.contains(&anchor_ref.anchor)
    {
        return AnchorCheck::InThisPage(href.clone());
    }
    let href = &anchor_ref.href;
    let path = &href[..href.find('#').unwrap_or(href.len())];
    if let Some((id, how)) = meant_id(target, &anchor_ref.anchor) {
        return AnchorCheck::Respelled {
            to: format!("{path}#{id}"),
            id,
            how,
        };
    }
    match meant_id(this, &anchor_ref.anchor) {
        Some((id, how)) if anchor_ref.self_href.is_some() => AnchorCheck::Respelled {
            to: format!("#{id}"),
            id,
            how,
        },
        _ => AnchorCheck::Missing,
    }
}

/// How a link's `#fragment` spells the id of the heading it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Respelling {
    /// In other capitals (`#Scope` for `#scope`), as generators that keep a heading's case
    /// write it.
    Capitals,
    /// As another generator makes heading ids (`#a-and-b` for "A & B", whose id is `#a--b`).
    Style(IdStyle),
}

/// The id in `page` that `anchor`, which no id of it is, means, and how it spells it: the same
/// id but for case (the first in order when several are), else the id another generator gives
/// one of its headings.
pub(super) fn meant_id(page: &Page, anchor: &str) -> Option<(String, Respelling)> {
    let lower = anchor.to_lowercase();
    let same_but_case = page
        .rendered
        .anchors
        .iter()
        .filter(|id| id.to_lowercase() == lower)
        .min();
    if let Some(id) = same_but_case {
        return Some((id.clone(), Respelling::Capitals));
    }
    page.rendered
        .other_ids
        .find(&lower)
        .map(|(id, style)| (id.to_string(), Respelling::Style(style)))
}

/// One warning for each way links spell the ids of the headings they name otherwise
/// ([`Respelling`]): how many, the first, and how to fix the source. The links were pointed at
/// the headings, so they work, but the source should say what it means.
pub(super) fn respelled_anchor_warnings(
    mut found: Vec<(AnchorRef, String, Respelling)>,
) -> Vec<Diagnostic> {
    let place = |l: &Location| (l.path.clone(), l.line, l.column);
    found.sort_by(|(a, _, how_a), (b, _, how_b)| {
        how_a
            .cmp(how_b)
            .then_with(|| place(&a.location).cmp(&place(&b.location)))
    });
    found
        .chunk_by(|(_, _, a), (_, _, b)| a == b)
        .map(respelled_anchor_warning)
        .collect()
}

/// The warning for links that all spell their headings' ids one way, in source order.
fn respelled_anchor_warning(found: &[(AnchorRef, String, Respelling)]) -> Diagnostic {
    let (first, id, how) = &found[0];
    let more: Vec<Location> = found[1..]
        .iter()
        .map(|(r, _, _)| r.location.clone())
        .collect();
    let location = &first.location;
    let at = format!(
        "{}:{}:{}: `#{}` for `#{id}`",
        location.path.display(),
        location.line,
        location.column,
        first.anchor
    );
    let (one, many, code) = match how {
        Respelling::Capitals => (
            "a link names a heading in other capitals than its id".to_string(),
            "links name headings in other capitals than their ids".to_string(),
            Code::AnchorCase,
        ),
        Respelling::Style(style) => (
            format!("a link names a heading by the id {} gives it", style.name()),
            format!("links name headings by the ids {} gives them", style.name()),
            Code::AnchorStyle,
        ),
    };
    let (message, others) = if more.is_empty() {
        (
            format!("{one}; Folio pointed it at the heading (at {at})"),
            "",
        )
    } else {
        (
            format!(
                "{} {many}; Folio pointed them at the headings (first at {at})",
                more.len() + 1
            ),
            ", and likewise for the others",
        )
    };
    let why = match how {
        Respelling::Capitals => "a heading's id is its text in lower case, as on GitHub",
        Respelling::Style(_) => {
            "Folio gives a heading GitHub's id: its text in lower case, punctuation dropped, \
             each space a `-`"
        }
    };
    let mut d = Diagnostic::warning(message)
        .with_help(format!("write `#{id}` in the source{others}: {why}"))
        .at(first.location.clone())
        .with_code(code);
    d.more_places = more;
    d
}

/// One note for every `[[x]]` of a site without a glossary, which are shown as written.
pub(super) fn unlinked_terms_note(mut places: Vec<Location>) -> Option<Diagnostic> {
    let place = |l: &Location| (l.path.clone(), l.line, l.column);
    places.sort_by_key(place);
    let first = places.first()?;
    Some(
        Diagnostic::note(format!(
            "`[[...]]` is written in {}, but the site has no glossary, so it is shown as \
             written (first at {}:{}:{})",
            plural(places.len(), "place"),
            first.path.display(),
            first.line,
            first.column
        ))
        .with_help(
            "to link glossary terms, define them in data/glossary.yaml; to keep the brackets \
             without this note, write `\\[[`",
        )
        .at(first.clone())
        .with_code(Code::NoGlossary),
    )
}

/// Points the `./#x` links that were written into `page` as `href` at the page's own `#x`.
pub(super) fn retarget_to_self(page: &mut Page, href: &str) {
    if let Some(hash) = href.find('#') {
        replace_href(page, href, &href[hash..]);
    }
}

/// Points the links written into `page` as `href` at `to`.
pub(super) fn replace_href(page: &mut Page, href: &str, to: &str) {
    // The HTML holds the href as pulldown-cmark escaped it.
    let attribute = |href: &str| {
        let mut escaped = String::from("href=\"");
        let _ = pulldown_cmark_escape::escape_href(&mut escaped, href);
        escaped.push('"');
        escaped
    };
    let html = page
        .rendered
        .body_html()
        .replace(&attribute(href), &attribute(to));
    page.rendered.set_html(html);
}

/// Frees the body of a rendered page's source, keeping the front matter that diagnostics of
/// `related`, `superseded_by` and the like point into. A page titled after its file name keeps
/// its body: [`untitled::report`] tells an empty one from one without a heading.
fn forget_body(page: &mut Page) {
    if page.title_from != TitleFrom::FileName
        && page.body_offset < page.text.len()
        && page.text.is_char_boundary(page.body_offset)
    {
        page.text.truncate(page.body_offset);
        page.text.shrink_to_fit();
    }
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

/// The ids among `known` (at most [`MAX_WORD_MATCHES`]) that hold every word of `anchor`, its
/// `-`-separated parts less the number GitHub gives a repeated heading: a table of contents
/// left behind by a rename names `#resources-1`, and `#documentation--recommended-resources`
/// is the heading it meant.
fn ids_with_words<'a>(anchor: &str, known: &[&'a str]) -> Vec<&'a str> {
    let anchor = anchor.to_lowercase();
    let words: Vec<&str> = anchor
        .split('-')
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    let found: Vec<&'a str> = known
        .iter()
        .copied()
        .filter(|id| words.iter().all(|w| id.split('-').any(|part| part == *w)))
        .collect();
    // Many ids holding the words say little about which one was meant.
    if found.len() > MAX_WORD_MATCHES {
        return Vec::new();
    }
    found
}

/// The most ids [`ids_with_words`] suggests.
const MAX_WORD_MATCHES: usize = 3;

pub(super) fn missing_anchor(target: &Page, anchor_ref: &AnchorRef) -> Diagnostic {
    let mut known: Vec<&str> = target.rendered.anchors.iter().map(String::as_str).collect();
    known.sort_unstable();
    let with_words = ids_with_words(&anchor_ref.anchor, &known);
    let help = match crate::base::diag::did_you_mean(&anchor_ref.anchor, &known) {
        Some(s) => format!("did you mean `#{s}`?"),
        None if known.is_empty() => format!("`{}` has no headings", target.display_path.display()),
        None if with_words.len() == 1 => format!("did you mean `#{}`?", with_words[0]),
        None if !with_words.is_empty() => format!(
            "did you mean one of {}?",
            with_words
                .iter()
                .map(|a| format!("`#{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
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
    .about(format!(
        "`#{}` in `{}`",
        anchor_ref.anchor,
        target.display_path.display()
    ))
}
