//! A safe Rust wrapper over libctx (task 15). Code that uses this crate must never need `unsafe`:
//! every raw call stays inside this file.

use std::os::raw::c_int;

/// libctx's context. Opaque: Rust never looks inside, and cannot make one by itself.
#[repr(C)]
pub struct RawCtx {
    _private: [u8; 0],
}

extern "C" {
    // TODO: declare ctx_new, ctx_do and ctx_free exactly as ctx.h has them.
}

/// ctx_new returned NULL: libctx could not make a context (all of its contexts are in use).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewError;

/// One libctx context, owned by this value and freed when it is dropped.
pub struct Ctx {
    // TODO: the pointer ctx_new returned.
}

impl Ctx {
    /// A new context with a total of 0, or `Err(NewError)` when libctx has none left.
    pub fn new() -> Result<Ctx, NewError> {
        // TODO: call ctx_new; a null pointer is an error, not a Ctx.
        todo!("Ctx::new")
    }

    /// Adds `x` to the total: `Ok(new total)`, or `Err(code)` with ctx_do's negative error code.
    pub fn run(&mut self, x: i32) -> Result<i32, i32> {
        // TODO: call ctx_do and turn its result into a Result.
        let _ = x as c_int;
        todo!("Ctx::run")
    }
}

// TODO: give the context back to libctx exactly once, when a Ctx goes away (impl Drop).
