//! Hidden driver for task 11 (rust track): calls the student's lib.rs and reports what C did.
//!
//!     driver each     for_each on several slices
//!     driver stored   register(), then fire()
//!     driver panic    callbacks that panic, through for_each and through fire()
//!
//! The cases arrive on stdin, one per line (check.py decides them and judges the answers):
//!
//!     each ID RAISE N V1 ... VN     upcall::for_each(&[V1..VN], f), f panics at RAISE ("-": never)
//!     register ID TAG RAISE         upcall::register(g), g tagged TAG, panics at RAISE
//!     fire ID X                     upcall::fire(X)
//!
//! Reports go, one JSON object per line, to the descriptor named by $FFILAB_CHANNEL_FD: a
//! "calling" line before each call into lib.rs (so a crash is pinned on the call that caused it),
//! then a "result" line with every (tag, value) that reached the checker's closures, how many
//! callbacks the C library itself counted, and how the call ended.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::os::raw::c_int;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

extern "C" {
    /// The C library's own count of the callbacks it has made (upcall.h).
    fn upcall_calls() -> c_int;
}

/// The payload of the panics the checker's own closures raise on purpose.
struct CheckerPanic(i32);

type Log = Arc<Mutex<Vec<(String, i32)>>>;

struct Channel(File);

impl Channel {
    fn open() -> Channel {
        let fd: i32 = std::env::var("FFILAB_CHANNEL_FD")
            .expect("FFILAB_CHANNEL_FD is not set: the driver runs under the checker only")
            .parse()
            .expect("FFILAB_CHANNEL_FD is a number");
        std::env::remove_var("FFILAB_CHANNEL_FD");
        // SAFETY: the harness opened this descriptor for this process, and nothing else owns it.
        Channel(unsafe { File::from_raw_fd(fd) })
    }

    fn send(&mut self, line: String) {
        let _ = self.0.write_all((line + "\n").as_bytes());
    }
}

fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for ch in text.chars().take(500) {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out + "\""
}

fn calls() -> i32 {
    // SAFETY: a plain C function with no arguments that reads a counter.
    unsafe { upcall_calls() }
}

fn recorder(log: &Log, tag: &str, raise_at: Option<i32>) -> impl FnMut(i32) + Send + 'static {
    let log = Arc::clone(log);
    let tag = tag.to_string();
    move |x| {
        log.lock().unwrap_or_else(|e| e.into_inner()).push((tag.clone(), x));
        if raise_at == Some(x) {
            panic::panic_any(CheckerPanic(x));
        }
    }
}

/// Runs one call into lib.rs and reports how it went. `outcome` maps its result to a word.
fn call(channel: &mut Channel, log: &Log, id: &str, run: impl FnOnce() -> &'static str) {
    let before = calls();
    channel.send(format!("{{\"kind\":\"calling\",\"id\":{id}}}"));
    let outcome = match panic::catch_unwind(AssertUnwindSafe(run)) {
        Ok(word) => json_string(word),
        Err(payload) => {
            let message = if let Some(p) = payload.downcast_ref::<CheckerPanic>() {
                format!("the checker's own panic (at {}) came out of the call", p.0)
            } else if let Some(s) = payload.downcast_ref::<&str>() {
                s.to_string()
            } else if let Some(s) = payload.downcast_ref::<String>() {
                s.clone()
            } else {
                "a panic".to_string()
            };
            format!("\"panic\",\"panic\":{}", json_string(&message))
        }
    };
    let made = calls() - before;
    let entries: Vec<String> = std::mem::take(&mut *log.lock().unwrap_or_else(|e| e.into_inner()))
        .into_iter()
        .map(|(tag, x)| format!("[{},{}]", json_string(&tag), x))
        .collect();
    channel.send(format!(
        "{{\"kind\":\"result\",\"id\":{id},\"outcome\":{outcome},\"calls\":{made},\"entries\":[{}]}}",
        entries.join(",")
    ));
}

fn word(result: Result<(), upcall::CallbackPanicked>) -> &'static str {
    match result {
        Ok(()) => "ok",
        Err(_) => "err",
    }
}

fn raise_at(field: Option<&str>) -> Option<i32> {
    field.and_then(|f| f.parse().ok())
}

fn main() {
    let mut channel = Channel::open();
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("reading the cases");

    // The checker's closures panic on purpose: say so in one quiet line instead of the usual
    // panic message. Every other panic (yours) is reported as usual.
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if let Some(p) = info.payload().downcast_ref::<CheckerPanic>() {
            eprintln!("(driver: the checker's callback panics on purpose at {})", p.0);
        } else {
            default_hook(info);
        }
    }));

    let log: Log = Arc::new(Mutex::new(Vec::new()));
    for line in input.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() < 2 {
            continue;
        }
        let id = fields[1];
        match fields[0] {
            "each" => {
                let values: Vec<i32> = fields[4..].iter().map(|v| v.parse().unwrap()).collect();
                let f = recorder(&log, "fn", raise_at(fields.get(2).copied()));
                call(&mut channel, &log, id, || word(upcall::for_each(&values, f)));
            }
            "register" => {
                let g = recorder(&log, fields[2], raise_at(fields.get(3).copied()));
                call(&mut channel, &log, id, || {
                    upcall::register(g);
                    "ok"
                });
            }
            "fire" => {
                let x: i32 = fields[2].parse().unwrap();
                call(&mut channel, &log, id, || word(upcall::fire(x)));
            }
            _ => {}
        }
    }
    channel.send("{\"kind\":\"done\"}".to_string());
}
