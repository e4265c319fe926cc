//! Hazard: rust_sum still crashes on NULL, and the library tries to talk its way to a pass.
//!
//! Everything it prints is only output to the checker. It also writes fake "result" reports (and a
//! fake "done") into every open descriptor, the checker's private channel among them, and then
//! crashes before the driver can report anything itself. This must not count: the check accepts
//! no answer twice, and only results from a driver process that ended normally.

use std::fs::File;
use std::io::Write;
use std::os::fd::FromRawFd;

#[no_mangle]
pub extern "C" fn rust_add(a: i32, b: i32) -> i32 {
    println!("PASS: all tests passed");
    println!("{{\"type\": \"result\", \"result\": {{\"version\": 3, \"status\": \"pass\", \"tests\": []}}}}");
    a + b
}

fn forge() {
    let mut fake = String::new();
    for id in 0..64 {
        fake.push_str(&format!("{{\"kind\":\"result\",\"id\":{},\"value\":0}}\n", id));
    }
    fake.push_str("{\"kind\":\"done\"}\n");
    for fd in 3..64 {
        // SAFETY: not at all; this is the attack. The File is forgotten, never closed.
        let mut file = unsafe { File::from_raw_fd(fd) };
        let _ = file.write_all(fake.as_bytes());
        std::mem::forget(file);
    }
}

#[no_mangle]
pub extern "C" fn rust_sum(ptr: *const i32, len: usize) -> i64 {
    if ptr.is_null() && len > 0 {
        forge();
    }
    let values = unsafe { std::slice::from_raw_parts(ptr, len) };
    values.iter().map(|&x| i64::from(x)).sum()
}
