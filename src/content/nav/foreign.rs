//! The page's own fields other generators build their sidebars from. Docusaurus'
//! `sidebar_position` and `sidebar_label` need nothing here: the front matter folds them into
//! `weight` and `nav_title`. Eleventy's `eleventyNavigation` makes a whole tree, read here.

use crate::content::page::{Page, at_field};
use crate::input::nav::EleventyPage;

/// `page`'s entry in the tree of `eleventyNavigation` keys, when it has a key.
pub(super) fn eleventy_page(page: &Page) -> Option<EleventyPage> {
    let navigation = page.front_matter.eleventy_navigation.as_ref()?;
    let path = page.source.to_string_lossy().replace('\\', "/");
    navigation.page(path, at_field(page, "eleventyNavigation"))
}
