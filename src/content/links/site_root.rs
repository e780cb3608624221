//! Links from the site's root that name no source under content/ (`/tags/`, `/old/x/`,
//! `/assets/logo.svg`): checked against the URLs the build makes, pages, aliases, generated pages
//! and files alike, with or without the base path.

use std::collections::HashSet;
use std::path::Path;

use super::{Dest, LinkMap, join_url_path};
use crate::base::url::normalize;
use crate::content::markdown::Link;

impl LinkMap {
    /// A link from the site's root that names no source under content/: a page's URL
    /// (`/guides/setup/`), an alias, a generated page (`/tags/`) or a file the build writes
    /// (`/assets/logo.svg`), written from the content root as source paths are, or with the
    /// base path (`/handbook/tags/` for a site under `/handbook/`). `None` when the files the
    /// build writes are not known (see [`LinkMap::set_outputs`]).
    pub(super) fn resolve_site_path(&self, dest: &Dest<'_>) -> Option<Link> {
        let outputs = self.outputs.as_ref()?;
        // `/handbook/x/` and `/handbook` on a site under `/handbook/`, not `/handbooks/`.
        let base = self.base_path.trim_end_matches('/');
        let under_base = (!base.is_empty())
            .then(|| dest.path.strip_prefix(base))
            .flatten()
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))
            .map(|rest| rest.trim_start_matches('/'));
        // With the base path, a source path means what it means without.
        if let Some(target) = under_base.and_then(|rest| normalize(Path::new(rest)))
            && let Some(link) = self.resolve_source(&target, dest)
        {
            return Some(link);
        }
        let from_content_root = dest.path.trim_start_matches('/');
        [Some(from_content_root), under_base]
            .into_iter()
            .flatten()
            .find_map(|url_path| self.resolve_url_path(url_path, dest, outputs))
            .or_else(|| Some(self.missing_url(dest, under_base, from_content_root)))
    }

    /// What `url_path` (from the site's root, without the base path) is in this build: a page,
    /// a page left out (with the reason as an error), or a file written. `None` when nothing.
    fn resolve_url_path(
        &self,
        url_path: &str,
        dest: &Dest<'_>,
        outputs: &HashSet<String>,
    ) -> Option<Link> {
        let joined = join_url_path("", url_path)?;
        // `/guides/index.html` is the page at `/guides/`.
        let (joined, is_folder) = match joined.strip_suffix("index.html") {
            Some(parent) if parent.is_empty() || parent.ends_with('/') => {
                (parent.trim_end_matches('/').to_string(), true)
            }
            _ => (joined, dest.path.ends_with('/')),
        };
        let folder = if joined.is_empty() {
            String::new()
        } else {
            format!("{joined}/")
        };
        if let Some((page, url)) = self.by_url_path.get(&folder) {
            return Some(Link::Internal {
                href: dest.href(url),
                page: Some(*page),
                anchor: dest.anchor(),
            });
        }
        if let Some(source) = self.unbuilt_url_paths.get(&folder) {
            return Some(self.missing_page(dest.written, source));
        }
        // A file, or a folder's `index.html` (servers answer `/tags` with `/tags/`).
        let file = (!is_folder && outputs.contains(&joined)).then_some(&joined);
        let index = format!("{folder}index.html");
        let url = file.or(outputs.contains(&index).then_some(&folder))?;
        Some(Link::Internal {
            href: dest.href(&self.url(url)),
            page: None,
            anchor: None,
        })
    }

    /// The error for a link from the site's root that names nothing the build has: its path
    /// under the base path when it has it (`under_base`), else from the content root.
    fn missing_url(&self, dest: &Dest<'_>, under_base: Option<&str>, from_root: &str) -> Link {
        let url_path = under_base.unwrap_or(from_root);
        let shown = self.url(url_path.trim_start_matches('/'));
        let looks_like_file = !dest.path.ends_with('/')
            && Path::new(&dest.path)
                .extension()
                .is_some_and(|e| !e.eq_ignore_ascii_case("html"));
        let mut help = if looks_like_file {
            format!(
                "no page or file of this site has the URL `{shown}`; to publish a file there, put it at `static/{}` (or list its folder in site.toml's `static_dirs`)",
                url_path.trim_start_matches('/')
            )
        } else {
            format!("no page or alias of this site has the URL `{shown}`")
        };
        let close = (!looks_like_file)
            .then(|| join_url_path("", url_path))
            .flatten()
            .and_then(|p| self.closest_sibling_url(&p));
        if let Some(close) = close {
            help.push_str(&format!("; did you mean `{close}`?"));
        }
        if self.base_path != "/" && under_base.is_none() {
            help.push_str(&format!(
                " (the site is served under `{}`: a URL outside it belongs to another site, so write it in full)",
                self.base_path
            ));
        }
        Link::Broken {
            message: format!("link to a missing page or file `{}`", dest.written),
            help: Some(help),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::map;
    use crate::content::markdown::LinkResolver;

    use super::*;

    #[test]
    fn links_from_the_root_find_pages_and_outputs_with_or_without_the_base_path() {
        let mut m = map();
        m.set_outputs(
            [
                "tags/index.html",
                "assets/folio.css",
                "old/usage/index.html",
            ]
            .into_iter()
            .map(str::to_string)
            .collect(),
        );
        m.add_page(Path::new("_index.md"), 0, "", true);
        let from = Path::new("policies/usage.md");
        let href = |dest: &str| match m.resolve(from, dest) {
            Link::Internal { href, .. } => href,
            other => panic!("{dest}: expected a link, got {other:?}"),
        };
        for (dest, expected) in [
            ("/hb", "/hb/"),
            ("/hb/", "/hb/"),
            ("/", "/hb/"),
            ("/hb/tags", "/hb/tags/"),
            ("/tags/", "/hb/tags/"),
            ("/hb/assets/folio.css", "/hb/assets/folio.css"),
            ("/old/usage/#x", "/hb/old/usage/#x"),
            ("/hb/policies/usage/#scope", "/hb/policies/usage/#scope"),
            ("/hb/policies/index.html", "/hb/policies/"),
            ("/hb/policies/chart.png", "/hb/policies/chart.png"),
        ] {
            assert_eq!(href(dest), expected, "{dest}");
        }
        let Link::Broken { message, help } = m.resolve(from, "/hbx/tags/") else {
            panic!("expected a broken link");
        };
        assert_eq!(message, "link to a missing page or file `/hbx/tags/`");
        assert!(help.unwrap().contains("served under `/hb/`"));
        assert!(matches!(
            m.resolve(from, "/hb/policies/wip/"),
            Link::Broken { message, .. } if message.contains("draft")
        ));
    }
}
