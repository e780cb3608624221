//! Tuning glibc's allocator, which keeps what a program frees unless told otherwise. Other
//! allocators (musl's, the BSDs', macOS's) return freed memory to the system on their own, so
//! there these functions do nothing.

/// Caps glibc's malloc at two arenas. glibc gives threads that allocate at once arenas of their
/// own, up to eight per core, and keeps what they free: each request of `folio serve` runs on a
/// thread of its own, so after a burst of 100 connections the server on a small site stayed at
/// 125 MiB instead of 22 MiB, for good. With two it settles about 35 MiB above where it started
/// (tests/integration/serve_load.rs), serving as fast.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of the allocator, before the server's threads start;
    // M_ARENA_MAX accepts any positive count. Its result (1 on success) needs no handling: on
    // failure glibc keeps its default.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Gives the pages of freed memory back to the system. A build frees every page's source
/// before it writes (about a fifth of what it holds); glibc would keep those pages, scattered
/// between live allocations, so the indexing that follows would raise the peak instead of
/// reusing them.
pub fn return_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of glibc's own heaps; its result says
    // whether any was released, which needs no handling.
    unsafe {
        libc::malloc_trim(0);
    }
}
