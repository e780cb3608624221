//! Layer 0, **base**: what every other layer shares: diagnostics and their codes, the plain
//! model types (kinds of page, policy status, dates), the site's fixed paths, URLs, writing
//! output folders safely, YAML, progress bars and memory. Nothing here reads a site.
//!
//! May import: the standard library and external crates only, never another layer of Folio.

pub mod diag;
pub mod language_names;
pub mod memory;
pub mod model;
pub mod output;
pub mod packed;
pub mod paths;
pub mod progress;
pub mod url;
pub mod yaml;
