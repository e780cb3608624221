//! The `folio` binary: parse the command line, run the command, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use folio::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match folio::cmd::run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}
