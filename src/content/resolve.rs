//! The rules that tie pages to URLs and to each other, once every page's front matter is read:
//! a page's URL path (from its file, `slug` or `permalink`) and the clashes between them, which
//! pages are internal, the pages `related` names, the page each `superseded_by` names (and the
//! circles they make), and the old URLs `aliases` redirect from.
//!
//! Each rule reports every problem it finds as a diagnostic at the field that causes it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::base::diag::{Diagnostic, Diagnostics, Location};
use crate::base::model::Visibility;
use crate::base::url::{folder_url, normalize};
use crate::content::links::{Exclusion, LinkMap, Unbuilt};
use crate::content::page::{Page, at_field, at_field_value};
use crate::content::site::Site;

/// The URL path of a source file: `policies/usage.md` → `policies/usage/`; a folder's own page
/// (`folder_page`: see [`crate::content::folders`]) is at its folder's URL.
///
/// A `slug` replaces the file's (or folder page's folder's) name. As in Docusaurus, a slug may
/// hold more segments (`guides/intro` is under the page's folder), and one starting with `/` is
/// a path from the language's root (`/` makes the page its home page, `/release` its
/// `release/`); `..`, `?`, `#` and `\` are refused.
pub(crate) fn page_url_path(
    rel: &Path,
    slug: Option<&str>,
    folder_page: bool,
) -> Result<String, String> {
    let dir = rel.parent().unwrap_or(Path::new(""));
    // Hugo's `_index.md` is its folder's list page, at the folder's URL whatever its slug.
    let is_index = rel
        .file_name()
        .is_some_and(|n| n.eq_ignore_ascii_case("_index.md"));
    if let Some(slug) = slug
        && !(folder_page && is_index)
    {
        return slug_url_path(rel, slug, folder_page);
    }
    if folder_page {
        return Ok(folder_url(dir));
    }
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    Ok(folder_url(&dir.join(&*stem)))
}

/// The URL path a `slug` gives the page at `rel` (see [`page_url_path`]).
fn slug_url_path(rel: &Path, slug: &str, folder_page: bool) -> Result<String, String> {
    let invalid = || {
        format!(
            "invalid slug `{slug}`: a slug is a URL path (`name`, `a/b`, or `/from/the/root`), \
             without `..`, `?`, `#` or `\\`"
        )
    };
    let trimmed = slug.trim();
    let segments: Vec<&str> = trimmed.split('/').filter(|s| !s.is_empty()).collect();
    if trimmed.contains(['\\', '?', '#'])
        || segments.iter().any(|s| *s == "." || *s == "..")
        || (segments.is_empty() && !trimmed.starts_with('/'))
    {
        return Err(invalid());
    }
    let dir = rel.parent().unwrap_or(Path::new(""));
    // A folder page's slug renames its folder, as a page's slug renames its file.
    let base = if trimmed.starts_with('/') {
        PathBuf::new()
    } else if folder_page {
        dir.parent().unwrap_or(Path::new("")).to_path_buf()
    } else {
        dir.to_path_buf()
    };
    Ok(folder_url(&segments.iter().fold(base, |p, s| p.join(s))))
}

/// The URL path a Jekyll `permalink` gives (`/es/guide/` → `es/guide/`); None for a pattern
/// with placeholders (`/:title/`), which Folio's own rule replaces.
pub(crate) fn permalink_url_path(permalink: &str) -> Option<String> {
    let path = normalize(Path::new(permalink.trim().trim_start_matches('/')))?;
    let text = path.to_string_lossy();
    if text.contains(':') || text.contains(['?', '#']) {
        return None;
    }
    let text = text.trim_end_matches(".html").trim_end_matches("/index");
    Some(folder_url(Path::new(text)))
}

/// For each page, whether it is internal: it says `visibility: internal`, or the `_index.md` of
/// a folder above it does. Under an internal section a page cannot be public: a page that says
/// `visibility: public` there stays internal, with a warning naming the section.
pub(crate) fn internal_pages(pages: &[Page], diagnostics: &mut Diagnostics) -> Vec<bool> {
    let internal_sections: HashMap<&Path, &Page> = pages
        .iter()
        .filter(|p| p.front_matter.visibility == Some(Visibility::Internal))
        .filter_map(|p| Some((p.section_dir.as_deref()?, p)))
        .collect();
    pages
        .iter()
        .map(|page| {
            let own = page.front_matter.visibility;
            let dir = page.tree_path.parent().unwrap_or(Path::new(""));
            let section = dir.ancestors().find_map(|d| internal_sections.get(d));
            if let (Some(section), Some(Visibility::Public)) = (section, own) {
                diagnostics.push(public_under_internal(page, section));
            }
            own == Some(Visibility::Internal) || section.is_some()
        })
        .collect()
}

fn public_under_internal(page: &Page, section: &Page) -> Diagnostic {
    let mut d = Diagnostic::warning(format!(
        "`visibility: public` is ignored: this page is under the internal section `{}`, so it is internal too",
        section.display_path.display()
    ))
    .with_help(format!(
        "remove `visibility: public`, or move the page out of `{}/` to publish it",
        section.display_path.parent().unwrap_or(Path::new("")).display()
    ));
    if let Some(location) = at_field_value(page, "visibility") {
        d = d.at(location);
    }
    d
}

/// The folders of the internal folder pages (`_index.md`, `index.md` or `README.md`), whose
/// other files a public build leaves out.
pub(crate) fn internal_dirs(pages: &[Page], internal: &[bool]) -> HashSet<PathBuf> {
    pages
        .iter()
        .zip(internal)
        .filter(|(page, internal)| **internal && page.folder_page)
        .map(|(page, _)| page.source.parent().unwrap_or(Path::new("")).to_path_buf())
        .collect()
}

/// Two sources that would be written to the same URL are an error at each later source. A page
/// whose `slug` or `permalink` is the URL of a folder with no page of its own is that folder's
/// page (see [`collect_aliases`]), not a collision.
///
/// `content_shown` is the content folder as messages name it (see
/// [`crate::input::config::Config::content_shown`]).
pub(crate) fn check_url_collisions(
    site: &Site,
    files: &[PathBuf],
    content_shown: &Path,
    diagnostics: &mut Diagnostics,
) {
    let mut seen: HashMap<String, &Path> = HashMap::new();
    let claimed = claimed_sections(site);
    for (index, page) in site.pages.iter().enumerate() {
        if claimed.contains_key(&index) {
            continue;
        }
        let key = format!("{}index.html", page.url_path);
        if let Some(first) = seen.get(&key) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` and `{}` would both be written to /{}",
                    first.display(),
                    page.display_path.display(),
                    page.url_path
                ))
                .at(Location::from_offset(&page.display_path, &page.text, 0, 1))
                .with_help("rename one of them or give one a different `slug`"),
            );
        } else {
            seen.insert(key, &page.display_path);
        }
    }
    for file in files {
        let key = file.to_string_lossy().replace('\\', "/");
        if let Some(first) = seen.get(&key) {
            diagnostics.push(Diagnostic::error(format!(
                "`{}` would overwrite the page rendered from `{}`",
                content_shown.join(file).display(),
                first.display()
            )));
        }
    }
}

/// Sections Folio made up whose URL one page's own URL takes (Docusaurus' `slug: /`, a
/// `permalink` naming a folder): section page → that page, which is then the folder's page.
/// Two pages on one such URL stay a collision, so neither claims it.
fn claimed_sections(site: &Site) -> HashMap<usize, usize> {
    let mut authored: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, page) in site.pages.iter().enumerate() {
        if !page.generated {
            authored
                .entry(page.url_path.as_str())
                .or_default()
                .push(index);
        }
    }
    site.pages
        .iter()
        .enumerate()
        .filter(|(_, page)| page.generated)
        .filter_map(
            |(section, page)| match authored.get(page.url_path.as_str())?.as_slice() {
                [one] => Some((section, *one)),
                _ => None,
            },
        )
        .collect()
}

/// Resolves each page's `related` names to pages of its language: a name is a page's file
/// name without `.md`, or its `class`. A name that matches none is a warning.
pub(crate) fn resolve_related(site: &mut Site, diagnostics: &mut Diagnostics) {
    let mut by_name: HashMap<(&str, String), usize> = HashMap::new();
    for (index, page) in site.pages.iter().enumerate() {
        let language = page.language.as_str();
        if let Some(class) = &page.front_matter.class {
            by_name.entry((language, class.clone())).or_insert(index);
        }
        if let Some(stem) = page.source.file_stem() {
            let stem = stem.to_string_lossy().into_owned();
            by_name.insert((language, stem), index);
        }
    }
    let mut resolved = Vec::with_capacity(site.pages.len());
    for page in &site.pages {
        let mut found = Vec::new();
        for name in &page.front_matter.related {
            match by_name.get(&(page.language.as_str(), name.clone())) {
                Some(&index) => found.push(index),
                None => diagnostics.push(unresolved_related(page, name)),
            }
        }
        resolved.push(found);
    }
    for (page, related) in site.pages.iter_mut().zip(resolved) {
        page.related = related;
    }
}

fn unresolved_related(page: &Page, name: &str) -> Diagnostic {
    let mut d = Diagnostic::warning(format!(
        "`related` names `{name}`, which is no page of this language"
    ))
    .with_help("give a page's file name without `.md`, or its `class`");
    if let Some(location) = at_field(page, "related") {
        d = d.at(location);
    }
    d
}

/// Resolves each policy's `superseded_by` to a page; a missing page is an error.
pub(crate) fn resolve_superseded_by(
    site: &Site,
    links: &LinkMap,
    diagnostics: &mut Diagnostics,
) -> Vec<Option<usize>> {
    let superseded_by: Vec<Option<usize>> = site
        .pages
        .iter()
        .map(|page| {
            let target = page.front_matter.superseded_by.as_deref()?;
            let joined = if let Some(from_root) = target.strip_prefix('/') {
                PathBuf::from(from_root)
            } else {
                page.source.parent().unwrap_or(Path::new("")).join(target)
            };
            let source = normalize(&joined);
            let found = source.as_ref().and_then(|p| links.page(p)).map(|(i, _)| i);
            let unbuilt = source.as_ref().and_then(|p| links.unbuilt(p));
            // A page whose front matter failed has its own error already.
            if found.is_none() && unbuilt != Some(Unbuilt::Failed) {
                let mut d = superseded_by_unbuilt(target, unbuilt);
                if let Some(loc) = at_field(page, "superseded_by") {
                    d = d.at(loc);
                }
                diagnostics.push(d);
            }
            found
        })
        .collect();
    for cycle in superseded_cycles(&superseded_by) {
        diagnostics.push(superseded_cycle_error(site, &cycle));
    }
    superseded_by
}

/// The error for a `superseded_by` naming a page that is not in this build: left out (`why`),
/// or missing.
fn superseded_by_unbuilt(target: &str, why: Option<Unbuilt>) -> Diagnostic {
    match why {
        Some(Unbuilt::Excluded(Exclusion::Internal)) => Diagnostic::error(format!(
            "`superseded_by` names the internal page `{target}`, which a public build leaves out"
        ))
        .with_help(
            "make this page internal too, make the replacing page public, or remove \
             `superseded_by` from the public page",
        ),
        Some(Unbuilt::Excluded(Exclusion::Draft)) => Diagnostic::error(format!(
            "`superseded_by` names the draft page `{target}`, which is left out of this build"
        ))
        .with_help("build with --drafts, or remove `draft: true` from that page"),
        _ => Diagnostic::error(format!("`superseded_by` names a missing page `{target}`"))
            .with_help("give the path of the replacing page's .md file, relative to this file"),
    }
}

/// The `superseded_by` chains that come back to where they started, each as its pages in order
/// from its first in the site. Each page has one successor, so one walk per page finds them all.
fn superseded_cycles(superseded_by: &[Option<usize>]) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; superseded_by.len()];
    let mut cycles = Vec::new();
    for start in 0..superseded_by.len() {
        let mut path = Vec::new();
        let mut next = Some(start);
        while let Some(page) = next.filter(|&p| state[p] == State::New) {
            state[page] = State::OnPath;
            path.push(page);
            next = superseded_by[page];
        }
        if let Some(page) = next.filter(|&p| state[p] == State::OnPath)
            && let Some(at) = path.iter().position(|&p| p == page)
        {
            let mut cycle = path[at..].to_vec();
            let first = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
            cycle.rotate_left(first);
            cycles.push(cycle);
        }
        for page in path {
            state[page] = State::Done;
        }
    }
    cycles
}

/// A cycle of `superseded_by`, shown at the field in its first page.
fn superseded_cycle_error(site: &Site, cycle: &[usize]) -> Diagnostic {
    let first = &site.pages[cycle[0]];
    let chain: Vec<String> = cycle
        .iter()
        .chain(&cycle[..1])
        .map(|&i| format!("`{}`", site.pages[i].display_path.display()))
        .collect();
    let mut d = Diagnostic::error(format!(
        "`superseded_by` goes round in a circle: {}",
        chain.join(" → ")
    ))
    .with_help("the newest policy in the chain must not have `superseded_by`");
    if let Some(location) = at_field_value(first, "superseded_by") {
        d = d.at(location);
    }
    d
}

/// Alias URL paths and the page each redirects to; clashes with pages are errors. An alias
/// equal to the page's own URL is left out. An alias on the URL of a folder without a page of
/// its own makes the page that folder's landing page ([`Site::landing`]): the folder's entry
/// in the sidebar opens it, and the folder's URL redirects to it.
pub(crate) fn collect_aliases(
    site: &mut Site,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, usize)> {
    let page_urls: HashMap<&str, (usize, &Page)> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.url_path.as_str(), (i, p)))
        .collect();
    let mut aliases: Vec<(String, usize)> = Vec::new();
    let mut landing = claimed_sections(site);
    let mut seen: HashMap<String, &Page> = HashMap::new();
    for (index, page) in site.pages.iter().enumerate() {
        for alias in &page.front_matter.aliases {
            let Some(url_path) = alias_url_path(alias) else {
                diagnostics.push(alias_error(
                    page,
                    alias,
                    format!("alias `{alias}` points outside the site"),
                ));
                continue;
            };
            if url_path == page.url_path {
                continue;
            }
            let on_page = page_urls.get(url_path.as_str());
            let generated = on_page.filter(|(_, other)| other.generated);
            let taken = match (on_page.filter(|_| generated.is_none()), seen.get(&url_path)) {
                (Some((_, other)), _) => {
                    Some(format!("the URL of `{}`", other.display_path.display()))
                }
                (None, Some(other)) => Some(format!(
                    "an alias of `{}` too",
                    other.display_path.display()
                )),
                (None, None) => None,
            };
            if let Some(taken) = taken {
                diagnostics.push(alias_error(
                    page,
                    alias,
                    format!("alias `{alias}` collides with another page: /{url_path} is {taken}"),
                ));
                continue;
            }
            if let Some((section, _)) = generated {
                landing.insert(*section, index);
            }
            seen.insert(url_path.clone(), page);
            aliases.push((url_path, index));
        }
    }
    site.landing = landing;
    aliases
}

/// The URL path (`old/x/`) of an alias as written (`/old/x`); None when it climbs out of the
/// site.
fn alias_url_path(alias: &str) -> Option<String> {
    normalize(Path::new(alias.trim_start_matches('/'))).map(|path| folder_url(&path))
}

/// An error about `alias`, shown where the front matter lists it.
fn alias_error(page: &Page, alias: &str, message: String) -> Diagnostic {
    let mut d = Diagnostic::error(message)
        .with_help("remove the alias, or change it to an old URL that no page uses");
    let location = page.front_matter_span.and_then(|span| {
        let offset = span.start + span.text(&page.text)?.find(alias)?;
        Some(Location::from_offset(
            &page.display_path,
            &page.text,
            offset,
            alias.len(),
        ))
    });
    if let Some(location) = location {
        d = d.at(location);
    }
    d
}

/// Registers the URL and the aliases each page left out would have had, so that a link from
/// the site's root to one of them says why it is not there.
pub(crate) fn add_unbuilt_urls(links: &mut LinkMap, excluded: &[(Page, Exclusion)]) {
    for (page, _) in excluded {
        links.add_unbuilt_url(&page.url_path, &page.source);
        let aliases = page.front_matter.aliases.iter();
        for alias in aliases.filter_map(|a| alias_url_path(a)) {
            links.add_unbuilt_url(&alias, &page.source);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_content_tree() {
        let url = |p: &str, slug: Option<&str>| {
            let folder_page = crate::content::folders::is_folder_page_name(Path::new(p));
            page_url_path(Path::new(p), slug, folder_page).unwrap()
        };
        assert_eq!(url("_index.md", None), "");
        assert_eq!(url("policies/_index.md", None), "policies/");
        assert_eq!(url("policies/usage.md", None), "policies/usage/");
        assert_eq!(url("policies/usage.md", Some("use")), "policies/use/");
        assert_eq!(url("about/index.md", None), "about/");
        assert_eq!(url("about/index.md", Some("team")), "team/");
        assert_eq!(url("code-reviews/README.md", None), "code-reviews/");
        assert_eq!(url("README.md", None), "");
        // A file with a folder page's name that another one wins over is a page of its own.
        let shadowed = page_url_path(Path::new("about/README.md"), None, false).unwrap();
        assert_eq!(shadowed, "about/README/");
        assert!(page_url_path(Path::new("a.md"), Some("../x"), false).is_err());
        assert!(page_url_path(Path::new("a.md"), Some("x?y"), false).is_err());
        assert!(page_url_path(Path::new("a.md"), Some(""), false).is_err());
        // Docusaurus: more segments, and paths from the root.
        assert_eq!(url("docs/intro.md", Some("start/here")), "docs/start/here/");
        assert_eq!(url("docs/intro.md", Some("/")), "");
        assert_eq!(url("docs/release.md", Some("/release")), "release/");
        assert_eq!(url("guides/index.md", Some("/all-guides/")), "all-guides/");
        // Hugo: a section's `_index.md` stays at its folder's URL.
        assert_eq!(url("policies/_index.md", Some("rules")), "policies/");
    }

    #[test]
    fn superseded_by_cycles_are_found_once_each() {
        // 0 → 1 → 2 → 1 and 3 → 3; 4 → 0 leads into a cycle without being in it.
        let cycles = superseded_cycles(&[Some(1), Some(2), Some(1), Some(3), Some(0), None]);
        assert_eq!(cycles, vec![vec![1, 2], vec![3]]);
        assert!(superseded_cycles(&[Some(1), None]).is_empty());
    }
}
