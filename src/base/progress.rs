//! Build progress for a person watching a terminal: the stage and how many pages it has done.
//!
//! Nothing is drawn for a build that ends within a second, when standard error is not a
//! terminal (CI logs, pipes), or when the build was asked to be quiet; the bar is cleared when
//! the build ends, so the summary line is all that stays.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before its progress is shown, unless `FOLIO_PROGRESS_DELAY_MS` says.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// A handle a build reports its stages and pages through; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    bar: Option<Arc<Bar>>,
}

#[derive(Debug)]
struct Bar {
    bar: ProgressBar,
    started: Instant,
    show_after: Duration,
    shown: AtomicBool,
}

impl Progress {
    /// Progress that is never drawn.
    pub fn hidden() -> Progress {
        Progress::default()
    }

    /// Progress drawn on standard error once the build has run for a second (or the
    /// milliseconds in `FOLIO_PROGRESS_DELAY_MS`), if standard error is a terminal and `quiet`
    /// is false.
    pub fn on_terminal(quiet: bool) -> Progress {
        use std::io::IsTerminal;
        if quiet || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar = ProgressBar::hidden();
        Progress {
            bar: Some(Arc::new(Bar {
                bar,
                started: Instant::now(),
                show_after: std::env::var("FOLIO_PROGRESS_DELAY_MS")
                    .ok()
                    .and_then(|ms| ms.parse().ok())
                    .map_or(SHOW_AFTER, Duration::from_millis),
                shown: AtomicBool::new(false),
            })),
        }
    }

    /// Starts a stage of `total` pages, named as a person would say it ("Rendering").
    /// A stage of unknown length (`total` 0) shows a spinner alone.
    pub fn stage(&self, name: &'static str, total: usize) {
        if let Some(bar) = &self.bar {
            let template = if total == 0 {
                "{spinner} {msg}"
            } else {
                "{spinner} {msg:<10} {wide_bar} {pos}/{len} pages"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.bar.set_style(style);
            }
            bar.bar.set_message(name);
            bar.bar.set_length(total as u64);
            bar.bar.set_position(0);
            bar.show_when_due();
        }
    }

    /// One more item of the current stage is done.
    pub fn advance(&self) {
        if let Some(bar) = &self.bar {
            bar.bar.inc(1);
            bar.show_when_due();
        }
    }

    /// Clears the bar: the build is over and its summary line follows.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.bar.finish_and_clear();
        }
    }
}

impl Bar {
    /// Starts drawing once the build has taken longer than `show_after`.
    fn show_when_due(&self) {
        if self.started.elapsed() >= self.show_after && !self.shown.swap(true, Ordering::Relaxed) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(120));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_progress_accepts_every_call() {
        let progress = Progress::hidden();
        progress.stage("Rendering", 3);
        progress.advance();
        progress.finish();
        assert!(progress.bar.is_none());
    }

    #[test]
    fn quiet_progress_is_never_drawn() {
        assert!(Progress::on_terminal(true).bar.is_none());
    }
}
