//! Integration tests: each test copies a small fixture site from `tests/fixtures/<feature>/<case>/`
//! into a temporary folder, runs the real `folio` binary on it, and checks what a reader or an
//! author would see: the HTML written, the files in the output folder, the exit code and stderr.

mod chromium;
mod support;

mod audience;
mod bad_inputs;
mod blocks;
mod browser;
mod build;
mod check;
mod ci_formats;
mod cli;
mod compat;
mod config;
mod data;
mod deploy_cache;
mod faq;
mod feed;
mod folder_pages;
mod front_matter;
mod fuzz_properties;
mod fuzz_regressions;
mod glossary;
mod history;
mod import;
mod import_corpora;
mod import_static;
mod layers;
mod links;
mod markdown;
mod nav;
mod nginx;
mod output;
mod package;
mod policies;
mod relevance;
mod search;
mod search_browser;
mod search_random;
mod search_rules;
mod serve;
mod serve_browser;
mod serve_incremental;
mod serve_load;
mod sidebar;
mod synonyms;
mod theme;
mod workflows;
