//! Writing the site: into a staging folder beside the output, swapped in only when the build
//! succeeded.
//!
//! A failed build therefore leaves the previous output exactly as it was. Folio marks every
//! output folder it writes with [`MARKER`] and refuses to replace a folder without it, so it never
//! deletes anything it did not write.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// The file that marks a folder as written by Folio.
pub const MARKER: &str = ".folio-output";
const MARKER_TEXT: &str = "This folder was written by Folio. `folio build` replaces it whole: do not keep your own files here.\n";

/// A staging folder being filled; dropped without [`Staging::commit`], it is removed.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    committed: bool,
}

/// Checks that `output` is a safe place to write: not the site root, not content/ or inside it,
/// not above either, and not a folder Folio did not create.
pub fn check_output_path(root: &Path, content: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let content = absolute(content);
    let output_abs = absolute(output);
    let shown = shown(output).display();
    let refuse = |why: &str| {
        Err(Diagnostic::error(format!(
            "refusing to use `{shown}` as the output folder: {why}"
        ))
        .with_help(
            "set output_dir in site.toml or pass --output to a folder of its own, such as public",
        ))
    };
    if output_abs == root || root.starts_with(&output_abs) {
        return refuse("it is the site root or contains it");
    }
    if content.starts_with(&output_abs) || output_abs.starts_with(&content) {
        return refuse("it is the content folder, inside it, or contains it");
    }
    if output_abs.is_dir() && !output_abs.join(MARKER).is_file() && !is_empty_dir(&output_abs) {
        return Err(Diagnostic::error(format!(
            "refusing to replace `{shown}`: it exists and was not written by Folio (it has no {MARKER} file)"
        ))
        .with_help("move its files elsewhere, or choose another output folder with --output"));
    }
    if output_abs.exists() && !output_abs.is_dir() {
        return refuse("it is a file");
    }
    // Folio could replace it anyway (that needs only the folder above), but someone made it
    // read-only on purpose: say so rather than override them.
    if fs::metadata(&output_abs).is_ok_and(|m| m.permissions().readonly()) {
        return Err(Diagnostic::error(format!(
            "refusing to replace `{shown}`: it is read-only"
        ))
        .with_help(format!(
            "make it writable (`chmod u+w {shown}`), or choose another output folder with --output"
        )));
    }
    Ok(())
}

/// `path` as messages show it: `public`, not `./public` (but `.` stays `.`).
pub fn shown(path: &Path) -> &Path {
    match path.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest,
        _ => path,
    }
}

/// Makes a path absolute and lexically clean, without requiring it to exist.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Canonicalize the longest existing prefix, so symlinked folders compare correctly.
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        if name == ".." {
            out.pop();
        } else if name != "." {
            out.push(name);
        }
    }
    out
}

fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

impl Staging {
    /// Creates a fresh staging folder beside `output`, removing stale ones left by killed builds.
    pub fn create(output: &Path) -> io::Result<Staging> {
        let parent = parent_of(output);
        fs::create_dir_all(&parent)?;
        let name = output_name(output);
        remove_stale(&parent, &name);
        let dir = beside(output, &format!("staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir(&dir)?;
        fs::write(dir.join(MARKER), MARKER_TEXT)?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            committed: false,
        })
    }

    /// The folder to write into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` to `rel` inside the staging folder, creating parent folders.
    pub fn write(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, bytes)
    }

    /// Replaces the output with the staging folder.
    pub fn commit(mut self) -> io::Result<()> {
        let old = beside(&self.output, &format!("old-{}", std::process::id()));
        let had_output = self.output.exists();
        if had_output {
            fs::rename(&self.output, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            if had_output {
                let _ = fs::rename(&old, &self.output);
            }
            return Err(e);
        }
        self.committed = true;
        if had_output {
            // The new output is in place: failing to delete the old one must not fail the build.
            // The next build tries again, as for a stale folder.
            let _ = remove_own_dir(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn parent_of(output: &Path) -> PathBuf {
    match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Replaces the file at `path` (creating its folder) so that a reader sees the old content or
/// the new, never half of it: the bytes go to a temporary file beside it, renamed over it.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let parent = parent_of(path);
    fs::create_dir_all(&parent)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = parent.join(format!(".{name}.folio-{}", std::process::id()));
    fs::write(&temporary, bytes)?;
    fs::rename(&temporary, path).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}

/// A folder Folio keeps next to `output` for its own use, named after it: `public/` gets
/// `.public.folio-WHAT/` (the staging folder, the search index, the dev server's build). Hidden,
/// and matched by the `.*.folio-*` line of a site's .gitignore.
pub fn beside(output: &Path, what: &str) -> PathBuf {
    parent_of(output).join(format!(".{}.folio-{what}", output_name(output)))
}

fn output_name(output: &Path) -> String {
    output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into())
}

/// Removes a folder Folio wrote, even where something made folders in it read-only (a deploy
/// step, say): Folio wrote every file in it, and the folder holding it is writable.
fn remove_own_dir(dir: &Path) -> io::Result<()> {
    if fs::remove_dir_all(dir).is_ok() {
        return Ok(());
    }
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        make_writable(&folder);
        for entry in fs::read_dir(&folder)?.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                pending.push(entry.path());
            }
        }
    }
    fs::remove_dir_all(dir)
}

#[cfg(unix)]
fn make_writable(folder: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::set_permissions(folder, fs::Permissions::from_mode(0o755));
}

/// Elsewhere a folder's read-only flag does not stop deleting what it holds.
#[cfg(not(unix))]
fn make_writable(_folder: &Path) {}

/// Removes staging and old folders of earlier builds that were killed, if Folio marked them.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [
        format!(".{name}.folio-staging-"),
        format!(".{name}.folio-old-"),
    ];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let ours = prefixes.iter().any(|p| file_name.starts_with(p.as_str()));
        if ours && entry.path().join(MARKER).is_file() {
            let _ = remove_own_dir(&entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_must_not_be_the_root_or_content() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let content = root.join("content");
        fs::create_dir_all(&content).unwrap();
        assert!(check_output_path(root, &content, root).is_err());
        assert!(check_output_path(root, &content, &content).is_err());
        assert!(check_output_path(root, &content, &content.join("out")).is_err());
        assert!(check_output_path(root, &content, root.parent().unwrap()).is_err());
        assert!(check_output_path(root, &content, &root.join("public")).is_ok());
    }

    #[test]
    fn foreign_folders_are_never_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let out = root.join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("mine.txt"), "keep").unwrap();
        let err = check_output_path(root, &root.join("content"), &out).unwrap_err();
        assert!(
            err.message.contains("was not written by Folio"),
            "{}",
            err.message
        );
    }

    #[test]
    fn commit_swaps_and_drop_cleans_up() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::create(&out).unwrap();
        staging.write(Path::new("a/index.html"), b"one").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");
        assert!(out.join(MARKER).is_file());

        let abandoned = Staging::create(&out).unwrap();
        abandoned.write(Path::new("a/index.html"), b"two").unwrap();
        let dir = abandoned.dir().to_path_buf();
        drop(abandoned);
        assert!(!dir.exists());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");
    }
}
