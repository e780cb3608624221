//! Layer 1, **input**: what the author wrote, read and typed. The configuration (site.toml,
//! with edit links and the output folder check), the sources under content/, front matter, the
//! data files under data/, the git history of the sources, and the conventions of the
//! generators handbooks come from (Hugo's and Jekyll's tags and fields, in `compat`).
//!
//! May import: `base` only.

pub mod compat;
pub mod config;
pub mod data;
pub mod front_matter;
pub mod history;
pub mod source;
