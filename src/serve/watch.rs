//! Watching the site's sources with notify, and coalescing bursts of events into one batch of
//! changed paths per rebuild.
//!
//! notify's debouncers wait about 300 ms, which alone would miss the dev server's latency goal;
//! raw events are coalesced here instead: a batch closes [`QUIET`] after its last event (an
//! editor's save is a burst of a few events within a millisecond or two), or [`MAX_BATCH`] after
//! its first, so a long stream of events (a `git checkout`) still rebuilds now and then.
//!
//! Watched: content/, templates/, themes/, static/, data/ (recursively), site.toml, and what
//! site.toml adds: its `content_dir`, its `nav` file and its `static_dirs` (`.pages` files,
//! hidden as they are, and mkdocs.yml count too). The root itself is watched without
//! recursion, for site.toml (editors often save by renaming a new file over the old, which a
//! watch on the file itself would lose) and for watched folders that appear while serving.
//! Paths the build ignores (hidden files, editors' temporary and backup files: see
//! [`source::is_ignored`]) are ignored here too, so the serve output and Folio's own staging
//! folders, all hidden, never trigger a rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use anyhow::Context;
use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::input::config::CONFIG_FILE;
use crate::input::nav::site::is_nav_file_name;
use crate::input::source;

/// The folders of a site whose changes rebuild it.
pub(crate) const WATCHED_DIRS: &[&str] = &["content", "templates", "themes", "static", "data"];

/// A batch closes this long after its last event.
pub(crate) const QUIET: Duration = Duration::from_millis(10);

/// A batch closes this long after its first event, however busy the folder.
pub(crate) const MAX_BATCH: Duration = Duration::from_millis(500);

/// What changed since the last batch.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Changes {
    /// Changed, created, removed or renamed paths, relative to the site root
    /// (`content/policies/usage.md`, `site.toml`); both names of a rename are here.
    pub(crate) paths: BTreeSet<PathBuf>,
    /// notify lost events (its queue overflowed): anything may have changed.
    pub(crate) rescan: bool,
    /// The search entries of an edit could not be updated in place: only a full build puts the
    /// search index right.
    pub(crate) search_failed: bool,
}

/// What the watcher's channel carries: notify's events, and the search worker's requests.
pub(crate) enum Message {
    /// An event from notify.
    Event(notify::Result<Event>),
    /// The search worker could not update the index in place (see [`Changes::search_failed`]).
    SearchFailed,
}

impl Changes {
    /// True when nothing relevant happened.
    pub(crate) fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.needs_full_build()
    }

    /// True when only a full build will do, whatever the paths: events were lost, or the search
    /// index could not be updated in place.
    pub(crate) fn needs_full_build(&self) -> bool {
        self.rescan || self.search_failed
    }

    /// True when every change is to a stylesheet, which pages can swap without reloading.
    pub(crate) fn only_stylesheets(&self) -> bool {
        !self.needs_full_build()
            && !self.paths.is_empty()
            && self
                .paths
                .iter()
                .all(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("css")))
    }

    /// A short description for the terminal: `content/a.md`, `content/a.md and 2 more`.
    pub(crate) fn describe(&self) -> String {
        if self.rescan {
            return "many files (events were lost)".into();
        }
        first_and_more(self.paths.iter().map(|p| shown(p)))
    }
}

/// How the terminal names several files: `content/a.md`, `content/a.md and 2 more`.
pub(crate) fn first_and_more(mut names: impl ExactSizeIterator<Item = String>) -> String {
    let first = names.next().unwrap_or_default();
    match names.len() {
        0 => first,
        n => format!("{first} and {n} more"),
    }
}

/// A changed file as the terminal shows it, with `/` between its parts on every system.
pub(crate) fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The site's sources under watch.
pub(crate) struct Watch {
    watcher: RecommendedWatcher,
    events: Receiver<Message>,
    /// A sender on the channel of `events`, for the search worker.
    requests: Sender<Message>,
    root: PathBuf,
    /// What site.toml adds to watch (relative to the root): a content folder other than
    /// content/, the nav file and the `static_dirs` folders.
    extra: Vec<PathBuf>,
}

/// What site.toml in `root` adds to the watched paths: `content_dir` when it is a folder of the
/// site other than content/ (not the site's own folder), the file `nav` names, and the folders
/// of `static_dirs`.
fn configured_paths(root: &Path) -> Vec<PathBuf> {
    let Ok(config) = crate::input::config::Config::load(root) else {
        return Vec::new();
    };
    let mut extra = Vec::new();
    let content = config.content_dir();
    if let Ok(rel) = content.strip_prefix(root)
        && !rel.as_os_str().is_empty()
        && rel != Path::new(".")
        && rel != Path::new("content")
    {
        extra.push(rel.to_path_buf());
    }
    if let Some(nav) = config.nav
        && let Ok(rel) = nav.path.strip_prefix(root)
    {
        extra.push(rel.to_path_buf());
    }
    extra.extend(config.static_dirs);
    extra
}

impl Watch {
    /// Starts watching the site in `root` (canonical).
    pub(crate) fn start(root: &Path) -> anyhow::Result<Watch> {
        let (sender, events) = channel();
        let requests = sender.clone();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = sender.send(Message::Event(event));
        })
        .context("cannot watch the site for changes")?;
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch `{}`", root.display()))?;
        let mut watch = Watch {
            watcher,
            events,
            requests,
            root: root.to_path_buf(),
            extra: configured_paths(root),
        };
        for dir in WATCHED_DIRS {
            watch.watch_dir(dir)?;
        }
        for path in watch.extra.clone() {
            if root.join(&path).is_dir() {
                watch.watch_dir(&path.to_string_lossy())?;
            }
        }
        Ok(watch)
    }

    /// A sender whose messages end up in the batches [`Watch::next_batch`] returns.
    pub(crate) fn requests(&self) -> Sender<Message> {
        self.requests.clone()
    }

    fn watch_dir(&mut self, name: &str) -> anyhow::Result<()> {
        let dir = self.root.join(name);
        if dir.is_dir() {
            self.watcher
                .watch(&dir, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch `{}`", dir.display()))?;
        }
        Ok(())
    }

    /// Waits for the next relevant change and returns it with everything that follows it
    /// closely; `None` when the watcher has stopped.
    pub(crate) fn next_batch(&mut self) -> Option<Changes> {
        let mut changes = Changes::default();
        while changes.is_empty() {
            let first = self.events.recv().ok()?;
            self.add(first, &mut changes);
        }
        for event in coalesce(&self.events, QUIET, MAX_BATCH) {
            self.add(event, &mut changes);
        }
        Some(changes)
    }

    fn add(&mut self, message: Message, changes: &mut Changes) {
        let event = match message {
            Message::SearchFailed => {
                changes.search_failed = true;
                return;
            }
            Message::Event(Ok(event)) => event,
            Message::Event(Err(error)) => {
                eprintln!("warning: watching for changes: {error}");
                changes.rescan = true;
                return;
            }
        };
        if event.need_rescan() {
            changes.rescan = true;
        }
        if !is_change(&event.kind) {
            return;
        }
        for path in &event.paths {
            let Ok(rel) = path.strip_prefix(&self.root) else {
                continue;
            };
            if !is_relevant(rel) && !is_configured(rel, &self.extra) {
                continue;
            }
            if matches!(event.kind, EventKind::Create(_)) && is_watched_dir(rel) {
                // A watched folder created (or put back) while serving: watch what is in it.
                let name = rel.to_string_lossy().into_owned();
                if let Err(error) = self.watch_dir(&name) {
                    eprintln!("warning: {error:#}");
                }
            }
            changes.paths.insert(rel.to_path_buf());
        }
    }
}

/// Receives from `events` until none has come for `quiet`, or `max` has passed.
fn coalesce<T>(events: &Receiver<T>, quiet: Duration, max: Duration) -> Vec<T> {
    let deadline = Instant::now() + max;
    let mut batch = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return batch;
        }
        match events.recv_timeout(quiet.min(left)) {
            Ok(event) => batch.push(event),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return batch,
        }
    }
}

/// True for events that may change what the build reads. Opening and reading files is not a
/// change: the build itself reads every source, and counting that would rebuild forever.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
    }
}

/// True for a path (relative to the site root) whose change the build would see: the
/// navigation files included (a `.pages` file, hidden as it is, and `mkdocs.yml` at the top).
pub(crate) fn is_relevant(rel: &Path) -> bool {
    let names: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    match names.first().map(String::as_str) {
        Some(CONFIG_FILE | "mkdocs.yml" | "mkdocs.yaml") => names.len() == 1,
        Some(first) if WATCHED_DIRS.contains(&first) => is_source(&names),
        _ => false,
    }
}

/// True for a path under one of `extra` (site.toml's content folder and nav file).
fn is_configured(rel: &Path, extra: &[PathBuf]) -> bool {
    let names: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    extra.iter().any(|path| rel.starts_with(path)) && is_source(&names)
}

/// True when no part of a path is hidden or an editor's file, but for a `.pages` file.
fn is_source(names: &[String]) -> bool {
    let last = names.len().saturating_sub(1);
    !names
        .iter()
        .enumerate()
        .any(|(i, name)| source::is_ignored(name) && !(i == last && is_nav_file_name(name)))
}

fn is_watched_dir(rel: &Path) -> bool {
    rel.components().count() == 1 && WATCHED_DIRS.iter().any(|d| rel == Path::new(d))
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::Sender;
    use std::thread;

    use super::*;

    #[test]
    fn sources_are_relevant_and_editor_files_are_not() {
        for path in [
            "site.toml",
            "content/policies/usage.md",
            "content/about/team.png",
            "templates/page.html",
            "themes/default/static/assets/folio.css",
            "static/logo.svg",
            "data/owners.toml",
            "content",
            "content/guides/.pages",
            "content/guides/_category_.json",
            "mkdocs.yml",
        ] {
            assert!(is_relevant(Path::new(path)), "{path}");
        }
        for path in [
            "content/.usage.md.swp",
            "content/.usage.md.swx",
            "content/usage.md~",
            "content/.#usage.md",
            "content/4913",
            "templates/page.html.tmp",
            ".public.folio-serve/index.html",
            "..public.folio-serve.folio-index/meta.json",
            ".public.folio-staging-12/index.html",
            "public/index.html",
            "target/debug/folio",
            "README.md",
            "site.toml~",
            ".site.toml.swp",
            "content/.git/config",
        ] {
            assert!(!is_relevant(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn opening_and_reading_files_is_not_a_change() {
        use notify::event::{CreateKind, DataChange, RemoveKind};
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!is_change(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Remove(RemoveKind::Any)));
    }

    #[test]
    fn static_dirs_are_watched_with_the_content_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("_articles")).unwrap();
        std::fs::create_dir_all(root.join("assets/images")).unwrap();
        let toml = "title = \"T\"\ncontent_dir = \"_articles\"\nstatic_dirs = [\"assets\"]\n";
        std::fs::write(root.join(CONFIG_FILE), toml).unwrap();
        let extra = configured_paths(root);
        assert_eq!(extra, [PathBuf::from("_articles"), PathBuf::from("assets")]);
        assert!(is_configured(Path::new("assets/images/x.png"), &extra));
        assert!(!is_configured(Path::new("assets/.x.png.swp"), &extra));
        assert!(!is_configured(Path::new("vendor/x.png"), &extra));
    }

    #[test]
    fn stylesheet_only_batches_are_told_apart() {
        let changes = |paths: &[&str]| Changes {
            paths: paths.iter().map(PathBuf::from).collect(),
            ..Changes::default()
        };
        assert!(changes(&["static/a.css", "themes/x/static/b.CSS"]).only_stylesheets());
        assert!(!changes(&["static/a.css", "content/a.md"]).only_stylesheets());
        assert!(!changes(&[]).only_stylesheets());
        assert_eq!(
            changes(&["content/a.md", "content/b.md"]).describe(),
            "content/a.md and 1 more"
        );
    }

    #[test]
    fn a_burst_becomes_one_batch_and_a_pause_ends_it() {
        let (sender, receiver): (Sender<u32>, _) = channel();
        let writer = thread::spawn(move || {
            for n in 0..5 {
                sender.send(n).unwrap();
                thread::sleep(Duration::from_millis(2));
            }
            thread::sleep(Duration::from_millis(300));
            sender.send(99).unwrap();
        });
        let batch = coalesce(
            &receiver,
            Duration::from_millis(100),
            Duration::from_secs(5),
        );
        assert_eq!(batch, vec![0, 1, 2, 3, 4]);
        assert_eq!(receiver.recv().unwrap(), 99);
        writer.join().unwrap();
    }

    #[test]
    fn a_stream_that_never_pauses_is_cut_at_the_maximum() {
        let (sender, receiver) = channel();
        for n in 0..1000 {
            sender.send(n).unwrap();
        }
        let started = Instant::now();
        let batch = coalesce(
            &receiver,
            Duration::from_secs(10),
            Duration::from_millis(50),
        );
        assert_eq!(batch.len(), 1000);
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
