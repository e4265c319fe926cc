//! A safe Rust wrapper over libctx (reference solution of task 15).
//!
//! All `unsafe` lives in this file. What makes the wrapper sound: a `Ctx` only ever holds a
//! pointer that ctx_new returned and that is not null; it is the only owner of that pointer (no
//! Clone, no Copy); and it frees the pointer exactly once, in Drop.

use std::os::raw::c_int;
use std::ptr::NonNull;

/// libctx's context. Opaque: Rust never looks inside, and cannot make one by itself.
#[repr(C)]
pub struct RawCtx {
    _private: [u8; 0],
}

extern "C" {
    fn ctx_new() -> *mut RawCtx;
    fn ctx_do(c: *mut RawCtx, x: c_int) -> c_int;
    fn ctx_free(c: *mut RawCtx);
}

/// ctx_new returned NULL: libctx could not make a context (all of its contexts are in use).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewError;

/// One libctx context, owned by this value and freed when it is dropped.
///
/// Neither Clone nor Copy: two values holding the same pointer would both free it. The raw
/// pointer inside also makes `Ctx` neither Send nor Sync, which is right for a C object whose
/// thread-safety nobody has promised.
#[derive(Debug)]
pub struct Ctx {
    raw: NonNull<RawCtx>,
}

impl Ctx {
    /// A new context with a total of 0, or `Err(NewError)` when libctx has none left.
    pub fn new() -> Result<Ctx, NewError> {
        // SAFETY: ctx_new takes no arguments; the pointer it returns is checked right here.
        let raw = unsafe { ctx_new() };
        NonNull::new(raw).map(|raw| Ctx { raw }).ok_or(NewError)
    }

    /// Adds `x` to the total: `Ok(new total)`, or `Err(code)` with ctx_do's negative error code
    /// (-22 for a negative `x`, -34 when the total would overflow).
    pub fn run(&mut self, x: i32) -> Result<i32, i32> {
        // SAFETY: self.raw came from ctx_new, is not null, and is freed only when self is
        // dropped, so it is live here; &mut self means no other call uses it at the same time.
        let rc = unsafe { ctx_do(self.raw.as_ptr(), x) };
        if rc < 0 {
            Err(rc)
        } else {
            Ok(rc)
        }
    }
}

impl Drop for Ctx {
    fn drop(&mut self) {
        // SAFETY: self.raw came from ctx_new and has not been freed: Drop runs once per value,
        // and no other value holds the same pointer.
        unsafe { ctx_free(self.raw.as_ptr()) }
    }
}
