// From tiny_http 0.12.0, `src/util/task_pool.rs` (MIT OR Apache-2.0: see ../LICENSE-MIT and
// ../LICENSE-APACHE).
//
// Folio: a burst of connections gets a thread each (see `spawn`); tasks run once (`FnOnce`);
// a thread that cannot be started is an error for the caller instead of a panic on the accept
// thread.

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

/// Manages a collection of threads.
///
/// A new thread is created every time all the existing threads are full.
/// Any idle thread will automatically die after a few seconds.
pub(crate) struct TaskPool {
    sharing: Arc<Sharing>,
}

struct Sharing {
    // list of the tasks to be done by worker threads
    todo: Mutex<VecDeque<Task>>,

    // condvar that will be notified whenever a task is added to `todo`
    condvar: Condvar,

    // number of total worker threads running
    active_tasks: AtomicUsize,

    // number of idle worker threads
    waiting_tasks: AtomicUsize,
}

/// A connection's work.
type Task = Box<dyn FnOnce() + Send>;

/// Minimum number of active threads.
static MIN_THREADS: usize = 4;

struct Registration<'a> {
    nb: &'a AtomicUsize,
}

impl Registration<'_> {
    fn new(nb: &AtomicUsize) -> Registration<'_> {
        nb.fetch_add(1, Ordering::Release);
        Registration { nb }
    }
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        self.nb.fetch_sub(1, Ordering::Release);
    }
}

impl TaskPool {
    pub(crate) fn new() -> TaskPool {
        let pool = TaskPool {
            sharing: Arc::new(Sharing {
                todo: Mutex::new(VecDeque::new()),
                condvar: Condvar::new(),
                active_tasks: AtomicUsize::new(0),
                waiting_tasks: AtomicUsize::new(0),
            }),
        };

        for _ in 0..MIN_THREADS {
            // Folio: the pool starts threads on demand when these fail too.
            let _ = pool.add_thread(None);
        }

        pool
    }

    /// Executes a function in a thread.
    /// If no thread is available, spawns a new one; fails when that cannot be done (the task is
    /// then dropped).
    pub(crate) fn spawn(&self, code: Task) -> io::Result<()> {
        // Folio: tasks run outside the lock, so a poisoned lock guards a consistent queue; the
        // accept thread must not panic on it.
        let mut queue = self.sharing.todo.lock().unwrap_or_else(|e| e.into_inner());

        // Folio: an idle thread still counts as waiting until it takes the lock back, so in a
        // burst of connections the tasks already queued have claimed the idle threads the count
        // shows. Upstream compared the count with 0, queuing every connection of a burst behind
        // the first few, which keep-alive connections then held for as long as they lived.
        if self.sharing.waiting_tasks.load(Ordering::Acquire) <= queue.len() {
            self.add_thread(Some(code))
        } else {
            queue.push_back(code);
            self.sharing.condvar.notify_one();
            Ok(())
        }
    }

    fn add_thread(&self, initial_fn: Option<Task>) -> io::Result<()> {
        let sharing = self.sharing.clone();

        let spawned = thread::Builder::new()
            .name("folio-connection".into())
            .spawn(move || {
                let sharing = sharing;
                let _active_guard = Registration::new(&sharing.active_tasks);

                if let Some(f) = initial_fn {
                    f();
                }

                loop {
                    let task: Task = {
                        let mut todo = sharing.todo.lock().unwrap();

                        let task;
                        loop {
                            if let Some(poped_task) = todo.pop_front() {
                                task = poped_task;
                                break;
                            }
                            let _waiting_guard = Registration::new(&sharing.waiting_tasks);

                            let received =
                                if sharing.active_tasks.load(Ordering::Acquire) <= MIN_THREADS {
                                    todo = sharing.condvar.wait(todo).unwrap();
                                    true
                                } else {
                                    let (new_lock, waitres) = sharing
                                        .condvar
                                        .wait_timeout(todo, Duration::from_millis(5000))
                                        .unwrap();
                                    todo = new_lock;
                                    !waitres.timed_out()
                                };

                            if !received && todo.is_empty() {
                                return;
                            }
                        }

                        task
                    };

                    task();
                }
            });
        spawned.map(|_| ())
    }
}

impl Drop for TaskPool {
    fn drop(&mut self) {
        self.sharing
            .active_tasks
            .store(999_999_999, Ordering::Release);
        self.sharing.condvar.notify_all();
    }
}
