//! Layer 3, **render**: the handbook as HTML and the files beside it. The theme and its
//! templates (`theme`, and `templates` with the table of the templates Folio renders), the
//! typed context each template gets (`context`, one module per kind of page), which template
//! and context each page renders with (`html`), the page catalogue, and the feed, sitemap and
//! robots.txt (`feeds`).
//!
//! May import: `base`, `input` and `content`.

pub mod catalog;
pub mod context;
pub mod feeds;
pub mod html;
pub mod templates;
pub mod theme;
