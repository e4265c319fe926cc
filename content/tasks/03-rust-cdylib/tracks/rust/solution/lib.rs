//! A tiny library with a C interface, callable from C, Python (ctypes) or anything else that
//! can call C functions.

/// Returns `a + b`.
#[no_mangle]
pub extern "C" fn rust_add(a: i32, b: i32) -> i32 {
    a + b
}

/// Returns the sum of the `len` integers at `ptr`, added up as 64-bit integers so that the sum
/// of many large `i32` values does not overflow. A null `ptr` gives 0.
#[no_mangle]
pub extern "C" fn rust_sum(ptr: *const i32, len: usize) -> i64 {
    if ptr.is_null() {
        return 0;
    }
    // SAFETY: the caller promises that `ptr` points to `len` initialised i32 values that stay
    // valid and unchanged for the duration of this call; null was ruled out above.
    let values = unsafe { std::slice::from_raw_parts(ptr, len) };
    values.iter().map(|&x| i64::from(x)).sum()
}
