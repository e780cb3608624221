//! `folio serve`: build, serve on this machine, rebuild and live-reload on every edit.

use std::process::ExitCode;

use crate::cli::ServeArgs;
use crate::serve::{self, Options};

/// Serves until stopped; returns only when the server cannot start.
pub(super) fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    serve::run(&Options {
        root: args.root.clone(),
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        audience: args.audience.map(Into::into),
        open: args.open,
    })?;
    Ok(ExitCode::SUCCESS)
}
