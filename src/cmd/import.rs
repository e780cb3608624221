//! `folio import [DIR]`: write the site.toml that builds a handbook written for another generator
//! (see [`crate::input::import`]), and say what was found, what was set and what to run next.

use std::fmt::Write as _;
use std::fs;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;

use super::workflow::{self, Handbook};
use crate::base::diag::{Diagnostics, plural};
use crate::cli::ImportArgs;
use crate::input::config::CONFIG_FILE;
use crate::input::import::{Choice, Import, PROPOSED_KEYS_ARE_READ, inspect, one_line};

/// Reads the handbook in `args.dir` and writes its site.toml, never replacing one; with
/// `--dry-run`, prints the site.toml on standard output instead. Exit code 1 when the handbook's
/// files are in error (nothing is written then).
pub(super) fn run(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.dir;
    if !dir.is_dir() {
        bail!(
            "there is no folder at `{}`: pass the folder of the handbook to import",
            dir.display()
        );
    }
    let target = dir.join(CONFIG_FILE);
    let exists = fs::symlink_metadata(&target).is_ok();
    if exists && !args.dry_run {
        bail!(
            "`{}` already exists, and folio import never replaces it: the site is already set up for Folio.\n\
             Nothing was written. To see what folio import would write, run `folio import --dry-run {}`.",
            target.display(),
            dir.display()
        );
    }
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let import = match inspect(dir) {
        Ok(import) => import,
        Err(errors) => {
            let mut diagnostics = Diagnostics::new();
            diagnostics.extend(errors);
            write!(err, "{}", diagnostics.render(stderr.is_terminal()))?;
            writeln!(
                err,
                "Nothing was written: fix {} and run folio import again.",
                if diagnostics.error_count() == 1 {
                    "this error"
                } else {
                    "these errors"
                }
            )?;
            return Ok(ExitCode::from(1));
        }
    };
    let text = import.site_toml();
    if !import.warnings.is_empty() {
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(import.warnings.iter().cloned());
        write!(err, "{}", diagnostics.render(stderr.is_terminal()))?;
    }
    write!(err, "{}", report(&import))?;
    if args.dry_run {
        std::io::stdout().lock().write_all(text.as_bytes())?;
        if exists {
            writeln!(
                err,
                "Dry run: printed the site.toml above; `{}` exists and was left as it is.",
                target.display()
            )?;
        } else {
            writeln!(
                err,
                "Dry run: printed the site.toml above; nothing was written."
            )?;
            writeln!(err, "Next: {}", command("import", dir))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    super::write_new(&target, &text)?;
    let handbook = Handbook {
        dir,
        output_dir: &import.output_dir.value,
        branch: import.branch.as_ref().map(|b| b.value.as_str()),
        strict: false,
    };
    if let Some(line) = workflow::write(args.ci, &handbook)? {
        writeln!(err, "{line}")?;
    }
    writeln!(err, "Wrote {}.", target.display())?;
    writeln!(err, "Next: {}", command("serve", dir))?;
    Ok(ExitCode::SUCCESS)
}

/// What was found and what was set, for the author.
fn report(import: &Import) -> String {
    let mut out = String::new();
    let found = match &import.settings_file {
        Some(file) => format!(
            "Found {} handbook ({file})",
            import.generator.with_article()
        ),
        None => {
            "Found no generator's settings, so the handbook is read as GitHub-style Markdown".into()
        }
    };
    let _ = writeln!(
        out,
        "{found}: {} in {}.",
        plural(import.pages, "page"),
        if import.content_dir.value == "." {
            "the site's folder".to_string()
        } else {
            format!("{}/", import.content_dir.value)
        }
    );
    let _ = writeln!(out, "Set in site.toml:");
    let string = |v: &String| toml::Value::String(v.clone()).to_string();
    setting(&mut out, "title", Some(&import.title), string);
    setting(&mut out, "description", import.description.as_ref(), string);
    setting(&mut out, "base_url", import.base_url.as_ref(), string);
    setting(&mut out, "language", import.language.as_ref(), string);
    let strings = |items: &Vec<String>| {
        toml::Value::Array(items.iter().cloned().map(toml::Value::String).collect()).to_string()
    };
    setting(&mut out, "languages", import.languages.as_ref(), strings);
    setting(&mut out, "content_dir", Some(&import.content_dir), string);
    setting(&mut out, "output_dir", Some(&import.output_dir), string);
    setting(&mut out, "repository", import.repository.as_ref(), string);
    setting(&mut out, "branch", import.branch.as_ref(), string);
    setting(&mut out, "edit_url", import.edit_url.as_ref(), string);
    setting(
        &mut out,
        "static_dirs",
        import.static_dirs.as_ref(),
        strings,
    );
    let _ = writeln!(
        out,
        "  {:<13}\"warn\"  (links that were already broken are warnings, not errors)",
        "broken_links"
    );
    if PROPOSED_KEYS_ARE_READ {
        for proposed in &import.proposed {
            let _ = writeln!(
                out,
                "  {:<13}{}  ({})",
                proposed.key,
                proposed.value,
                one_line(&proposed.why)
            );
        }
    }
    if !import.nav.is_empty() {
        let _ = writeln!(
            out,
            "Navigation (orders and titles the sidebar; pages left out of it are still built):"
        );
        for nav in &import.nav {
            let _ = writeln!(out, "  {}", one_line(nav));
        }
    }
    if !PROPOSED_KEYS_ARE_READ && !import.proposed.is_empty() {
        let _ = writeln!(
            out,
            "Proposed, written as comments (site.toml does not read them yet):"
        );
        for proposed in &import.proposed {
            let _ = writeln!(out, "  {} = {}", proposed.key, proposed.value);
        }
    }
    if !import.notes.is_empty() {
        let _ = writeln!(out, "Not read, or left out:");
        for note in &import.notes {
            let _ = writeln!(out, "  - {}", one_line(note));
        }
    }
    out
}

/// One line of the report: the key, its value as site.toml writes it, and where it came from.
fn setting<T>(
    out: &mut String,
    key: &str,
    choice: Option<&Choice<T>>,
    show: impl Fn(&T) -> String,
) {
    if let Some(choice) = choice {
        let _ = writeln!(
            out,
            "  {key:<13}{}  ({})",
            show(&choice.value),
            one_line(&choice.from)
        );
    }
}

/// `folio COMMAND`, with `--root DIR` unless DIR is the current folder.
fn command(name: &str, dir: &Path) -> String {
    let here = dir == Path::new(".") || dir.as_os_str().is_empty();
    match (name, here) {
        ("import", true) => "folio import".into(),
        ("import", false) => format!("folio import {}", dir.display()),
        (name, true) => format!("folio {name}"),
        (name, false) => format!("folio {name} --root {}", dir.display()),
    }
}
