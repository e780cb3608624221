//! Writing the site: into a staging folder beside the output, swapped in only when the build
//! succeeded; replacing single files whole; and removing what killed builds left behind.
//!
//! A failed build therefore leaves the previous output exactly as it was. Folio marks every
//! output folder it writes with [`MARKER`], and the output folder check (in the configuration)
//! refuses to replace a folder without it, so it never deletes anything it did not write.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file that marks a folder as written by Folio.
pub const MARKER: &str = ".folio-output";
const MARKER_TEXT: &str = "This folder was written by Folio. `folio build` replaces it whole: do not keep your own files here.\n";

/// The file that marks a search index folder (kept beside the output) as written by Folio.
pub const INDEX_MARKER: &str = ".folio-index";
const INDEX_MARKER_TEXT: &str =
    "This search index was written by Folio. Each build replaces it whole.\n";

/// A staging folder being filled; dropped without [`Staging::commit`], it is removed.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    committed: bool,
}

/// `path` with `.`, `..`, repeated and trailing separators resolved by reading it, not the disk:
/// `public/../content` is `content`, `./static//` is `static`, `a/..` is `.`. A relative path
/// stays relative (`..` that climbs above its start is kept); `..` above `/` is `/`.
///
/// Output paths are normalised this way before any check and used normalised, so the folder
/// checked is the folder written. Like a shell's `cd`, `link/..` is the folder holding `link`,
/// wherever `link` points.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                Some(Component::ParentDir | Component::CurDir) | None => out.push(".."),
            },
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// `path` as messages show it: `public`, not `./public` (but `.` stays `.`).
pub fn shown(path: &Path) -> &Path {
    match path.strip_prefix(".") {
        Ok(rest) if !rest.as_os_str().is_empty() => rest,
        _ => path,
    }
}

/// Makes a path absolute and lexically clean, without requiring it to exist; the part that
/// exists has its symbolic links resolved, so that two names of one folder compare equal.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        normalize(path)
    } else {
        normalize(&std::env::current_dir().unwrap_or_default().join(path))
    };
    // Canonicalize the longest existing prefix; what is left has no `..` to undo it.
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
        out.push(name);
    }
    out
}

/// True for a folder that holds nothing.
pub fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

impl Staging {
    /// Creates a fresh staging folder beside `output`, first removing what killed builds left
    /// there (see [`remove_leftovers`]).
    pub fn create(output: &Path) -> io::Result<Staging> {
        let parent = parent_of(output);
        fs::create_dir_all(&parent)?;
        remove_leftovers(output);
        let dir = beside(output, &format!("staging-{}", std::process::id()));
        if dir.exists() {
            remove_own_dir(&dir)?;
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

    /// Replaces the output with the staging folder (see [`swap_in`]).
    pub fn commit(mut self) -> io::Result<()> {
        let old = beside(&self.output, &format!("old-{}", std::process::id()));
        swap_in(&self.dir, &self.output, &old)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_own_dir(&self.dir);
        }
    }
}

/// Puts the folder `new` in the place of `target`, so that `target` holds the previous folder
/// or the new one, whole, at every moment, even when the process is killed: on Linux the two
/// are exchanged in one step (`renameat2` with `RENAME_EXCHANGE`) and the previous one, now at
/// `new`, is removed. Elsewhere, or on a file system that cannot exchange, the previous folder
/// is moved to `old` first; a build killed between the two moves leaves no `target` but a
/// whole `old`, which [`remove_leftovers`] puts back. On an error `target` is as it was.
pub fn swap_in(new: &Path, target: &Path, old: &Path) -> io::Result<()> {
    if !target.exists() {
        return fs::rename(new, target);
    }
    match exchange(new, target) {
        Ok(()) => {
            // The new folder is in place: failing to delete the previous one must not fail
            // the build. The next build removes it, as a leftover.
            let _ = remove_own_dir(new);
            return Ok(());
        }
        Err(e) if !cannot_exchange(&e) => return Err(e),
        Err(_) => {}
    }
    fs::rename(target, old)?;
    if let Err(e) = fs::rename(new, target) {
        let _ = fs::rename(old, target);
        return Err(e);
    }
    let _ = remove_own_dir(old);
    Ok(())
}

/// Exchanges two folders' names at once.
#[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are NUL-terminated strings that live across the call, which only reads them.
    let result = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Exchanging names at once is a Linux system call; elsewhere the caller moves twice.
#[cfg(not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// True when `error` says the system or the file system cannot exchange names (an old kernel,
/// a network file system), rather than that something is wrong with the folders.
fn cannot_exchange(error: &io::Error) -> bool {
    #[cfg(unix)]
    if matches!(
        error.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
    ) {
        return true;
    }
    error.kind() == io::ErrorKind::Unsupported
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

/// A folder only this process uses while it replaces `dir`, one of the folders [`beside`] an
/// output: `.public.folio-index` gets `.public.folio-index-ROLE-PID`, the Spanish index
/// `.public.folio-index-es-ROLE-PID`, so no two folders' temporaries share a name.
/// [`remove_leftovers`] knows these names: change both together.
pub fn temporary(dir: &Path, role: &str) -> PathBuf {
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push(format!("-{role}-{}", std::process::id()));
    dir.with_file_name(name)
}

/// Marks `dir`, a search index being built, as Folio's, so that [`remove_leftovers`] may
/// remove it should the build be killed.
pub fn mark_index(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(dir.join(INDEX_MARKER), INDEX_MARKER_TEXT)
}

fn output_name(output: &Path) -> String {
    output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into())
}

/// The files that mark a folder as Folio's: an output's, an index's, and tantivy's own.
const MARKS: [&str; 3] = [MARKER, INDEX_MARKER, "meta.json"];

/// Removes a folder Folio wrote, its marks last: a removal cut short (the process killed) leaves
/// a folder that still holds its mark, or an empty one, which the next build knows for Folio's
/// and removes (see [`remove_leftovers`]). Works even where something made folders in it
/// read-only (a deploy step, say): Folio wrote every file in it, and the folder holding it is
/// writable.
pub fn remove_own_dir(dir: &Path) -> io::Result<()> {
    if remove_marks_last(dir).is_ok() {
        return Ok(());
    }
    make_all_writable(dir)?;
    remove_marks_last(dir)
}

fn remove_marks_last(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if MARKS.iter().any(|mark| entry.file_name() == *mark) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    for mark in MARKS {
        match fs::remove_file(dir.join(mark)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    fs::remove_dir(dir)
}

/// Makes `dir` and every folder in it writable, so that what they hold can be removed.
fn make_all_writable(dir: &Path) -> io::Result<()> {
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        make_writable(&folder);
        for entry in fs::read_dir(&folder)?.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                pending.push(entry.path());
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn make_writable(folder: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::set_permissions(folder, fs::Permissions::from_mode(0o755));
}

/// Elsewhere a folder's read-only flag does not stop deleting what it holds.
#[cfg(not(unix))]
fn make_writable(_folder: &Path) {}

/// What a build writes beside the output while it runs, by what marks it as Folio's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A staging folder or a previous output: it holds [`MARKER`].
    Output,
    /// A search index being built or replaced: it holds [`INDEX_MARKER`], or tantivy's
    /// `meta.json` when an older Folio wrote it.
    Index,
}

/// A folder a build left beside the output: what it is, the process that made it, and the
/// folder it was moved away from when it is a previous one (put back if that is missing).
#[derive(Debug, PartialEq, Eq)]
struct Leftover {
    kind: Kind,
    pid: u32,
    restores: Option<String>,
}

/// Reads a name found beside the output `name` as one of the temporaries builds make:
/// `.public.folio-staging-PID`, `.public.folio-old-PID`, `.public.folio-index-building-PID`,
/// `.public.folio-index-es-building-PID`, `.public.folio-index-old-PID`,
/// `.public.folio-index-es-old-PID`, and `.public.old-PID` (where Folio 0.1 put the previous
/// index of every language).
fn leftover(name: &str, output_name: &str) -> Option<Leftover> {
    let (head, pid) = name.rsplit_once('-')?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let pid: u32 = pid.parse().ok()?;
    let found = |kind, restores| {
        Some(Leftover {
            kind,
            pid,
            restores,
        })
    };
    if head == format!(".{output_name}.old") {
        return found(Kind::Index, None);
    }
    let what = head.strip_prefix(&format!(".{output_name}.folio-"))?;
    let is_index = |what: &str| what == "index" || what.starts_with("index-");
    match what {
        "staging" => found(Kind::Output, None),
        "old" => found(Kind::Output, Some(output_name.to_string())),
        _ if what.strip_suffix("-building").is_some_and(is_index) => found(Kind::Index, None),
        _ => {
            let index = what.strip_suffix("-old").filter(|w| is_index(w))?;
            found(Kind::Index, Some(format!(".{output_name}.folio-{index}")))
        }
    }
}

/// Removes the temporary folders that builds into `output` were killed before removing: their
/// staging folders, previous outputs, and search indexes being built or replaced. Only folders
/// with one of the names Folio gives them (see [`leftover`]) and holding its mark (or empty),
/// made by a process that is no longer running, are touched; a previous output or index whose
/// folder is missing (killed between two moves, see [`swap_in`]) is put back instead.
pub fn remove_leftovers(output: &Path) {
    let parent = parent_of(output);
    let name = output_name(output);
    let Ok(entries) = fs::read_dir(&parent) else {
        return;
    };
    for entry in entries.flatten() {
        let found = entry.file_name();
        let Some(leftover) = leftover(&found.to_string_lossy(), &name) else {
            continue;
        };
        let path = entry.path();
        // Never through a symbolic link, and never what Folio did not mark.
        let is_folder = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_folder || !marked(&path, leftover.kind) || still_running(leftover.pid) {
            continue;
        }
        if let Some(live) = &leftover.restores {
            let live = parent.join(live);
            let whole = !is_empty_dir(&path);
            if whole && fs::symlink_metadata(&live).is_err() && fs::rename(&path, &live).is_ok() {
                continue;
            }
        }
        let _ = remove_own_dir(&path);
    }
}

/// True when `dir` holds the mark of its kind, or nothing (a build killed right after making it).
fn marked(dir: &Path, kind: Kind) -> bool {
    let has = |name: &str| fs::symlink_metadata(dir.join(name)).is_ok_and(|m| m.is_file());
    is_empty_dir(dir)
        || match kind {
            Kind::Output => has(MARKER),
            Kind::Index => has(INDEX_MARKER) || has("meta.json"),
        }
}

/// True when the process `pid` still runs, so that its folders are in use (another build
/// into the same output). This process's own earlier folders are leftovers: a process made
/// none before it cleans up. Where Folio cannot tell, it takes the process to be gone.
fn still_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        if pid <= 0 {
            return false;
        }
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let result = unsafe { libc::kill(pid, 0) };
        result == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_by_reading_them() {
        for (path, clean) in [
            ("public/../content", "content"),
            ("a/b/../../content", "content"),
            ("./static//", "static"),
            ("templates/", "templates"),
            ("content/sub/..", "content"),
            (".", "."),
            ("a/..", "."),
            ("..", ".."),
            ("../x/../..", "../.."),
            ("/..", "/"),
            ("/srv/site/./public/", "/srv/site/public"),
        ] {
            assert_eq!(normalize(Path::new(path)), Path::new(clean), "{path}");
        }
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

        let again = Staging::create(&out).unwrap();
        again.write(Path::new("a/index.html"), b"two").unwrap();
        again.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");

        let abandoned = Staging::create(&out).unwrap();
        abandoned
            .write(Path::new("a/index.html"), b"three")
            .unwrap();
        let dir = abandoned.dir().to_path_buf();
        drop(abandoned);
        assert!(!dir.exists());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        let mut names: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["public"]);
    }

    #[test]
    fn temporary_names_are_recognised_and_others_are_not() {
        let index = |restores: Option<&str>| {
            Some(Leftover {
                kind: Kind::Index,
                pid: 42,
                restores: restores.map(String::from),
            })
        };
        let output = |restores: Option<&str>| {
            Some(Leftover {
                kind: Kind::Output,
                pid: 42,
                restores: restores.map(String::from),
            })
        };
        for (name, expected) in [
            (".public.folio-staging-42", output(None)),
            (".public.folio-old-42", output(Some("public"))),
            (".public.folio-index-building-42", index(None)),
            (".public.folio-index-es-building-42", index(None)),
            (
                ".public.folio-index-old-42",
                index(Some(".public.folio-index")),
            ),
            (
                ".public.folio-index-es-old-42",
                index(Some(".public.folio-index-es")),
            ),
            (".public.old-42", index(None)),
            (".public.folio-index", None),
            (".public.folio-index-es", None),
            (".public.folio-index-419", None),
            (".public.folio-serve", None),
            ("..public.folio-serve.folio-staging-42", None),
            (".public.folio-staging-", None),
            (".public.folio-staging-4x", None),
            (".public.folio-notes-42", None),
            (".other.folio-staging-42", None),
            ("public", None),
        ] {
            assert_eq!(leftover(name, "public"), expected, "{name}");
        }
        assert_eq!(
            leftover(
                "..public.folio-serve.folio-staging-42",
                ".public.folio-serve"
            ),
            output(None)
        );
    }

    /// A process that has ended: its id cannot belong to a running one until it is reused.
    fn ended_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn leftovers_of_ended_builds_go_and_nothing_else_does() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let dead = ended_pid();
        let make = |name: &str, mark: Option<&str>| {
            let dir = tmp.path().join(name);
            fs::create_dir_all(dir.join("sub")).unwrap();
            fs::write(dir.join("sub/page.html"), "x").unwrap();
            if let Some(mark) = mark {
                fs::write(dir.join(mark), "").unwrap();
            }
            dir
        };
        let gone = [
            make(&format!(".public.folio-staging-{dead}"), Some(MARKER)),
            make(
                &format!(".public.folio-index-es-building-{dead}"),
                Some(INDEX_MARKER),
            ),
            make(
                &format!(".public.folio-index-building-{dead}"),
                Some("meta.json"),
            ),
            make(&format!(".public.old-{dead}"), Some("meta.json")),
        ];
        let empty = tmp
            .path()
            .join(format!(".public.folio-index-fr-building-{dead}"));
        fs::create_dir(&empty).unwrap();
        let kept = [
            // Not marked: someone else's, whatever its name.
            make(&format!(".public.folio-old-{dead}"), None),
            // A running process's (this test's parent, say).
            make(
                &format!(
                    ".public.folio-staging-{}",
                    std::os::unix::process::parent_id()
                ),
                Some(MARKER),
            ),
            make(&format!(".public.folio-index-{dead}"), Some(INDEX_MARKER)),
            make("public", Some(MARKER)),
        ];
        remove_leftovers(&out);
        assert!(!empty.exists());
        for dir in &gone {
            assert!(!dir.exists(), "{} is still there", dir.display());
        }
        for dir in &kept {
            assert!(
                dir.join("sub/page.html").is_file(),
                "{} was touched",
                dir.display()
            );
        }
    }

    #[test]
    fn a_previous_output_whose_place_is_empty_is_put_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let dead = ended_pid();
        let old = tmp.path().join(format!(".public.folio-old-{dead}"));
        fs::create_dir_all(&old).unwrap();
        fs::write(old.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(old.join("index.html"), "previous").unwrap();
        remove_leftovers(&out);
        assert!(!old.exists());
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
    }
}
