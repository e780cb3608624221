//! Folio: a static-site generator for policy handbooks and knowledge bases.
//!
//! The crate is built in layers, each a folder under `src/` whose `mod.rs` says what it owns
//! and what it may import. A module may use its own layer and the layers below it, never one
//! above (`tests/integration/layers.rs` fails on such an import), so each layer reads without
//! those above it and no two layers import each other:
//!
//! ```text
//! 7  cmd      one module per subcommand, run with the command line of cli.rs (which may use
//!             base only, and which only cmd uses)
//! 6  serve    the dev server: files, search API, live reload, watching, rebuilding
//! 5  build    the stages of a build, in order: load, render, write, index, incremental
//! 4  search   the tantivy index, queries, and the export the browser searches
//! 3  render   theme, templates, template contexts, page HTML, catalogue, feeds
//! 2  content  the handbook as a model: Markdown, links, pages, the site tree, the rules that
//!             tie pages together, glossary, licences, hygiene
//! 1  input    what the author wrote: site.toml, sources, front matter, data files, git
//!             history, other generators' conventions
//! 0  base     diagnostics, model types, fixed paths, URLs, output folders, YAML, progress
//! ```
//!
//! [`build`] lists the stages of a build, once. [`cmd`] runs them for `folio build` and
//! `folio check` (which writes nothing, then adds the hygiene rules), and [`serve`] runs them
//! again on every edit.

pub mod base;
pub mod build;
pub mod cli;
pub mod cmd;
pub mod content;
pub mod input;
pub mod render;
pub mod search;
pub mod serve;
