//! Hazard panic-across-ffi: the trampolines let a panic unwind towards C (no catch_unwind).

use std::cell::RefCell;
use std::os::raw::c_int;
use std::thread::LocalKey;

/// libupcall's functions, declared exactly as upcall.h has them.
mod ffi {
    use std::os::raw::c_int;

    /// `typedef int (*upcall_fn)(int value);`
    pub type UpcallFn = extern "C" fn(value: c_int) -> c_int;

    pub const UPCALL_OK: c_int = 0;
    pub const UPCALL_FAILED: c_int = 1;
    pub const UPCALL_NO_CALLBACK: c_int = -1;

    extern "C" {
        pub fn for_each(xs: *const c_int, n: c_int, cb: UpcallFn) -> c_int;
        /// C's NULL is `None`: an `Option` of a function pointer has the pointer's layout.
        pub fn register_cb(cb: Option<UpcallFn>);
        pub fn fire(x: c_int) -> c_int;
    }
}

/// The callback panicked. The panic was stopped before it reached C, and C was told to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallbackPanicked;

type Slot = RefCell<Option<Box<dyn FnMut(i32)>>>;

thread_local! {
    /// The closure of the for_each call in progress.
    static EACH: Slot = const { RefCell::new(None) };
    /// The closure C calls on fire(). 'static: it must outlive every call that registered it.
    static REGISTERED: Slot = const { RefCell::new(None) };
}

/// Runs the closure in `slot` with `x` and turns the way it ended into a status for C.
fn call_slot(slot: &'static LocalKey<Slot>, x: c_int) -> c_int {
    // Hazard: no catch_unwind. A panic in the closure unwinds towards the extern "C" trampoline,
    // and Rust aborts the process there rather than unwind into C.
    slot.with(|cell| match cell.borrow_mut().as_mut() {
        Some(f) => f(x),
        None => panic!("libupcall called back, but no closure is set"),
    });
    ffi::UPCALL_OK
}

extern "C" fn each_trampoline(x: c_int) -> c_int {
    call_slot(&EACH, x)
}

extern "C" fn registered_trampoline(x: c_int) -> c_int {
    call_slot(&REGISTERED, x)
}

/// Has C call `f(x)` for every `x` in `xs`, in order. If `f` panics, C stops at that element and
/// the result is `Err(CallbackPanicked)`.
pub fn for_each<F: FnMut(i32) + 'static>(xs: &[i32], f: F) -> Result<(), CallbackPanicked> {
    let n = c_int::try_from(xs.len()).expect("for_each: more elements than a C int can count");
    EACH.with(|cell| *cell.borrow_mut() = Some(Box::new(f)));
    // SAFETY: `xs` points at `n` valid, initialised ints that stay borrowed for the whole call;
    // each_trampoline is an extern "C" fn with exactly upcall_fn's signature.
    let status = unsafe { ffi::for_each(xs.as_ptr(), n, each_trampoline) };
    EACH.with(|cell| *cell.borrow_mut() = None);
    if status == ffi::UPCALL_OK {
        Ok(())
    } else {
        Err(CallbackPanicked)
    }
}

/// Registers `f` with C, which calls it on every later `fire()`.
pub fn register<F: FnMut(i32) + 'static>(f: F) {
    REGISTERED.with(|cell| *cell.borrow_mut() = Some(Box::new(f)));
    // SAFETY: registered_trampoline is a plain function: its code exists for the whole life of
    // the program, so C may keep and call its address at any time.
    unsafe { ffi::register_cb(Some(registered_trampoline)) }
}

/// Has C call the registered closure with `x`. `Err(CallbackPanicked)` when it panicked.
pub fn fire(x: i32) -> Result<(), CallbackPanicked> {
    // SAFETY: fire takes a plain int; the callback it may call is registered_trampoline.
    let status = unsafe { ffi::fire(x) };
    match status {
        ffi::UPCALL_OK => Ok(()),
        ffi::UPCALL_NO_CALLBACK => panic!("fire({x}) before register(): nothing to call"),
        _ => Err(CallbackPanicked),
    }
}
