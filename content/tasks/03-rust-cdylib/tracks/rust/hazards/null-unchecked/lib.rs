//! Hazard: rust_sum hands a null pointer to from_raw_parts.

#[no_mangle]
pub extern "C" fn rust_add(a: i32, b: i32) -> i32 {
    a + b
}

#[no_mangle]
pub extern "C" fn rust_sum(ptr: *const i32, len: usize) -> i64 {
    let values = unsafe { std::slice::from_raw_parts(ptr, len) };
    values.iter().map(|&x| i64::from(x)).sum()
}
