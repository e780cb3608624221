//! Layer 2, **content**: the handbook as a model. Markdown rendered to HTML with its links and
//! `[[terms]]` resolved (`markdown`, `links`), each page with where its front-matter fields are
//! (`page`), which file is a folder's page (`folders`), the pages arranged as a tree (`site`)
//! in the order of the author's navigation files (`nav`), the rules that tie pages to URLs and
//! to each other (`resolve`), the glossary, licence list and synonyms read from data files,
//! titles made from file names (`title`), and the hygiene rules of `folio check`.
//!
//! May import: `base` and `input`.

pub mod builtin_synonyms;
pub mod folders;
pub mod glossary;
pub mod hygiene;
pub mod licenses;
pub mod links;
pub mod markdown;
pub mod nav;
pub mod page;
pub mod resolve;
pub mod site;
pub mod synonyms;
pub mod title;
