//! A counting global allocator: while switched on, it tracks the live heap bytes allocated since
//! it was switched on and their peak, for the pagination memory benchmark. Switched off (the
//! default) it costs one relaxed atomic load per call on top of the allocator underneath.
//!
//! Underneath is mimalloc, the allocator the generator's binaries (`xtask`, `openapi-codegen`)
//! ship with, so in-process generation is timed as those commands run it. The client rows
//! compare our client with the hand-written one on the same allocator.
//!
//! This module is the bench crate's only unsafe code: `GlobalAlloc` is an unsafe trait.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};

use mimalloc::MiMalloc as Under;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};

/// The allocator underneath (mimalloc), observed.
pub struct Counting;

static ON: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

/// Heap use since [`start`]: live bytes now and the most that were live at once. Blocks freed
/// while counting that were allocated before it started make `live` smaller, never larger.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    /// Bytes allocated and not yet freed since counting started.
    pub live: isize,
    /// The highest `live` reached.
    pub peak: isize,
}

/// Starts counting from zero.
pub fn start() {
    ON.store(false, Relaxed);
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    ON.store(true, Relaxed);
}

/// The usage so far, counting on.
pub fn usage() -> Usage {
    Usage {
        live: LIVE.load(Relaxed),
        peak: PEAK.load(Relaxed),
    }
}

/// Stops counting and returns the usage.
pub fn stop() -> Usage {
    ON.store(false, Relaxed);
    usage()
}

fn grew(bytes: usize) {
    if ON.load(Relaxed) {
        // `Layout` sizes never exceed `isize::MAX`.
        let bytes = bytes as isize;
        let now = LIVE.fetch_add(bytes, Relaxed) + bytes;
        PEAK.fetch_max(now, Relaxed);
    }
}

fn shrank(bytes: usize) {
    if ON.load(Relaxed) {
        LIVE.fetch_sub(bytes as isize, Relaxed);
    }
}

// SAFETY: every method forwards its arguments unchanged to the allocator underneath and returns what
// it returned; the counters only look at sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which mimalloc's shares.
        let ptr = unsafe { Under.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { Under.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, that is from mimalloc, with this layout.
        unsafe { Under.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from mimalloc with `layout`; the caller upholds the size contract.
        let new = unsafe { Under.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        new
    }
}
