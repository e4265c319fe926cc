//! Hazard: the sum is added up in i32 and widened only at the end. In a release build an i32
//! overflow wraps around silently, so large sums come out wrong.

#[no_mangle]
pub extern "C" fn rust_add(a: i32, b: i32) -> i32 {
    a + b
}

#[no_mangle]
pub extern "C" fn rust_sum(ptr: *const i32, len: usize) -> i64 {
    if ptr.is_null() {
        return 0;
    }
    let values = unsafe { std::slice::from_raw_parts(ptr, len) };
    values.iter().sum::<i32>() as i64
}
