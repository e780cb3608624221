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

use std::process::ExitCode;

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
