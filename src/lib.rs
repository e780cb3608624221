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

pub mod base;
pub mod build;
pub mod cli;
pub mod cmd;
pub mod content;
pub mod input;

pub mod render;
pub mod search;
pub mod serve;
