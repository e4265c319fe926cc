//! Safe Rust functions over libupcall, a C library that calls back into its caller (task 11).
//! upcall.h is shown in the task text; keep the three public signatures as they are.

use std::os::raw::c_int;

/// libupcall's functions, declared as upcall.h has them.
mod ffi {
    #[allow(unused_imports)]
    use std::os::raw::c_int;

    // TODO: the C type `typedef int (*upcall_fn)(int value);` as a Rust function-pointer type:
    //       pub type UpcallFn = ...;

    pub const UPCALL_OK: c_int = 0;
    pub const UPCALL_FAILED: c_int = 1;
    pub const UPCALL_NO_CALLBACK: c_int = -1;

    extern "C" {
        // TODO: declare for_each, register_cb and fire exactly as upcall.h has them.
        //       (For register_cb, C's NULL is `None` of an `Option<UpcallFn>`.)
    }
}

/// The callback panicked. The panic was stopped before it reached C, and C was told to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallbackPanicked;

// TODO: C passes no "user data" pointer to the callback, so the function C calls must find the
//       closure somewhere else: for example in a thread-local slot,
//       thread_local! { static EACH: RefCell<Option<Box<dyn FnMut(i32)>>> = ... }
//       and the function C calls is an `extern "C" fn(c_int) -> c_int` that runs the closure in
//       that slot. A panic must not unwind out of it into C: catch it (std::panic::catch_unwind)
//       and return UPCALL_FAILED instead.

/// Has C call `f(x)` for every `x` in `xs`, in order. If `f` panics, C stops at that element and
/// the result is `Err(CallbackPanicked)`.
pub fn for_each<F: FnMut(i32) + 'static>(xs: &[i32], f: F) -> Result<(), CallbackPanicked> {
    // TODO: put f where the callback finds it, call ffi::for_each, turn the status into a Result.
    let _ = (xs, f, ffi::UPCALL_OK as c_int);
    todo!("for_each")
}

/// Registers `f` with C, which calls it on every later `fire()`.
pub fn register<F: FnMut(i32) + 'static>(f: F) {
    // TODO: keep f where the registered callback finds it, then ffi::register_cb.
    let _ = f;
    todo!("register")
}

/// Has C call the registered closure with `x`. `Err(CallbackPanicked)` when it panicked.
pub fn fire(x: i32) -> Result<(), CallbackPanicked> {
    // TODO: ffi::fire(x), and its status as a Result.
    let _ = x;
    todo!("fire")
}
