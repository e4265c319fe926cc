//! Hazard: extern "C" without #[no_mangle]. The crate builds, but the library exports nothing.

pub extern "C" fn rust_add(a: i32, b: i32) -> i32 {
    a + b
}

pub extern "C" fn rust_sum(ptr: *const i32, len: usize) -> i64 {
    if ptr.is_null() {
        return 0;
    }
    let values = unsafe { std::slice::from_raw_parts(ptr, len) };
    values.iter().map(|&x| i64::from(x)).sum()
}
