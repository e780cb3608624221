//! Layer 0, **base**: what every other layer shares and nothing in it is about a handbook's
//! content: diagnostics, the plain model types, the site's fixed paths, URLs, writing output
//! folders safely, YAML, progress bars and memory.
//!
//! May import: the standard library and external crates only, never another layer of Folio.

pub mod diag;
pub mod language_names;
pub mod memory;
pub mod model;
pub mod output;
pub mod paths;
pub mod progress;
pub mod url;
pub mod yaml;
