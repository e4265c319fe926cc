//! A tiny library with a C interface. The checker puts this file at src/lib.rs.

/// Returns `a + b`.
// TODO: export this function under its plain name, so that C and ctypes can find `rust_add`.
pub extern "C" fn rust_add(a: i32, b: i32) -> i32 {
    // TODO
    let _ = (a, b);
    0
}

/// Returns the sum of the `len` integers at `ptr` as a 64-bit integer; 0 when `ptr` is null.
// TODO: export this function under its plain name too.
pub extern "C" fn rust_sum(ptr: *const i32, len: usize) -> i64 {
    // TODO: rule out a null pointer, then view the memory as a slice with
    //       std::slice::from_raw_parts (an unsafe call: say why it is sound) and add it up.
    let _ = (ptr, len);
    0
}
