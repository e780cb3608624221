//! Layer 1, **input**: what the author wrote, read and typed. The configuration (site.toml,
//! with edit links and the output folder check), the sources under content/, front matter, the
//! data files under data/, the git history of the sources, and the conventions of the
//! generators handbooks come from (Hugo's and Jekyll's tags in page bodies, in `compat`; their
//! front-matter fields are read with Folio's own, in `front_matter`; their navigation files, in
//! `nav`, which `folio import` and the build both read).
//!
//! May import: `base` only.

pub mod compat;
pub mod config;
pub mod data;
pub mod front_matter;
pub mod history;
pub mod import;
pub mod nav;
pub mod source;
