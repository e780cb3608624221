//! Folio: a static-site generator for policy handbooks and knowledge bases.
//!
//! The build is a straight pipeline, each stage in its own module:
//!
//! ```text
//! site.toml ─ config ─┐
//! content/ ── source ─┴─ front_matter ─ markdown (+ links) ─ site ─ context ─ templates ─ output
//!                         parse, in      render, in  │       tree    typed  │  Tera 2     staged,
//!                         parallel       parallel    │               contexts  (theme)    swapped
//! data/ ───── data ─ glossary, licenses ─────────────┴──────────────────────┘
//! ```
//!
//! [`pipeline`] runs the stages in order; [`cmd`] holds one module per subcommand; [`serve`] is the
//! dev server, which runs the pipeline again on every edit. `folio check` runs the same stages
//! without writing, then the [`hygiene`] rules; every build also writes a [`catalog`] of pages.

pub mod catalog;
pub mod cli;
pub mod cmd;
pub mod compat;
pub mod config;
pub mod context;
pub mod data;
pub mod diag;
pub mod edit_link;
pub mod front_matter;
pub mod glossary;
pub mod history;
pub mod hygiene;
// `input::import` once the layers of issue 16 are in place.
#[path = "input/import/mod.rs"]
pub mod import;
pub mod language_names;
pub mod licenses;
pub mod links;
pub mod markdown;
pub mod memory;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
pub mod templates;
pub mod theme;
pub mod yaml;
