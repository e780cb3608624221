//! Layer 3, **render**: the handbook as HTML and the files beside it. The theme and its
//! templates (`theme`, and `templates` with the table of the templates Folio renders), the
//! typed context each template gets (`context`, one module per kind of page), which template
//! and context each page renders with (`html`), the page catalogue, the feed, sitemap and
//! robots.txt (`feeds`), and the whitespace templates leave, dropped (`squeeze`).
//!
//! May import: `base`, `input` and `content`.

pub mod catalog;
pub mod context;
pub mod feeds;
pub mod html;
mod squeeze;
pub mod templates;
pub mod theme;
