//! The `folio` binary: parse the command line, run the command, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use folio::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match folio::cmd::run(cli.command) {
        Ok(code) => code,
        // `folio search … | head` closes the pipe early: not an error worth a message.
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}
