//! Layer 7, **cmd**: the subcommands, one module each; every one returns the process exit code.
//!
//! May import: every layer, and the command line's definitions in `cli`.

mod build;
mod check;
mod import;
mod init;
mod new;
mod search;
mod serve;
mod workflow;

use std::fs;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::Command;

/// Runs one subcommand.
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Build(args) => build::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Search(args) => search::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Import(args) => import::run(&args),
        Command::New(args) => new::run(&args),
    }
}

/// Writes a new file, creating its folder; fails rather than replace a file or follow a link
/// that appeared since the caller checked (`create_new`). What `init`, `import` and the CI
/// workflows write goes through it, so none of them ever overwrites an author's file.
fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .with_context(|| format!("cannot write `{}`", path.display()))
}
