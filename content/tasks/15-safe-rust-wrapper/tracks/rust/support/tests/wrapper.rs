//! The checker's hidden tests for task 15. They use the wrapper the way any caller would, and
//! `#![forbid(unsafe_code)]` proves that a caller never needs `unsafe` to do so.
//!
//! The checker runs each test in a process of its own (`wrapper --exact NAME`), in a normal build
//! and again under AddressSanitizer. A test tells the checker, on the descriptor named by
//! $FFILAB_CHANNEL_FD, what it is about to call, why it failed, and that it finished; the checker
//! judges those reports and how the process ended, never what the process printed.
#![forbid(unsafe_code)]
#![allow(unused_mut)] // `run` may take `&self` or `&mut self`
#![allow(dead_code)] // CloneProbe's Clone path exists only when Ctx is Clone

use ctxwrap::Ctx;
use std::fmt::Debug;
use std::fs::OpenOptions;
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::sync::OnceLock;

/// ctx.h: CTX_MAX_LIVE, CTX_EINVAL and CTX_ERANGE.
const MAX_LIVE: usize = 16;
const EINVAL: i32 = -22;
const ERANGE: i32 = -34;

// -- reporting to the checker ----------------------------------------------------------------

/// The channel, reopened through /proc (no `unsafe` from_raw_fd in this crate).
static CHANNEL: OnceLock<Option<String>> = OnceLock::new();

fn start() {
    CHANNEL.get_or_init(|| {
        let fd = std::env::var("FFILAB_CHANNEL_FD").ok();
        std::env::remove_var("FFILAB_CHANNEL_FD");
        fd.map(|fd| format!("/proc/self/fd/{fd}"))
    });
}

fn json(text: &str) -> String {
    let mut out = String::from("\"");
    for ch in text.chars().take(2000) {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out + "\""
}

fn send(line: String) {
    if let Some(Some(path)) = CHANNEL.get() {
        if let Ok(mut channel) = OpenOptions::new().write(true).open(path) {
            let _ = channel.write_all((line + "\n").as_bytes());
        }
    }
}

/// What the test is about to do: the checker names it when the process dies there.
fn calling(what: &str) {
    send(format!("{{\"kind\":\"calling\",\"what\":{}}}", json(what)));
}

fn fail(message: String) -> ! {
    send(format!("{{\"kind\":\"fail\",\"message\":{}}}", json(&message)));
    panic!("{message}");
}

fn done() {
    send("{\"kind\":\"done\"}".to_string());
}

// -- using the wrapper -----------------------------------------------------------------------

/// `Ctx::new()` may return `Result<Ctx, E>` or `Option<Ctx>`; both mean the same here.
trait Made {
    fn made(self) -> Result<Ctx, String>;
}

impl Made for Option<Ctx> {
    fn made(self) -> Result<Ctx, String> {
        self.ok_or_else(|| "None".to_string())
    }
}

impl<E: Debug> Made for Result<Ctx, E> {
    fn made(self) -> Result<Ctx, String> {
        self.map_err(|e| format!("Err({e:?})"))
    }
}

fn new_ctx(when: &str) -> Ctx {
    calling("Ctx::new()");
    match Ctx::new().made() {
        Ok(ctx) => ctx,
        Err(got) => fail(format!("Ctx::new() returned {got} {when}.")),
    }
}

fn expect_run(ctx: &mut Ctx, x: i32, want: Result<i32, i32>, context: &str) {
    calling(&format!("ctx.run({x})"));
    let got = ctx.run(x);
    if got != want {
        fail(format!("ctx.run({x}) returned {got:?}{context}; expected {want:?}."));
    }
}

fn new_ctx_in_round(round: usize, how: &str) -> Ctx {
    calling("Ctx::new()");
    match Ctx::new().made() {
        Ok(ctx) => ctx,
        Err(got) => fail(format!(
            "Ctx::new() returned {got} in round {round} of a loop that keeps one context alive at \
             a time ({how}). libctx hands out {MAX_LIVE} contexts at once and takes them back in \
             ctx_free: the contexts of the earlier rounds were never freed. Implement Drop for \
             Ctx and call ctx_free there."
        )),
    }
}

/// The payload of the panics this file raises on purpose.
struct Planned;

fn quiet_planned_panics() {
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if info.payload().downcast_ref::<Planned>().is_none() {
            default_hook(info);
        }
    }));
}

/// Clones `T` when it implements Clone, else gives None (method resolution prefers the impl on
/// the extra reference when its bound holds), so that this file compiles either way.
struct CloneProbe<'a, T>(&'a T);

trait CloneIfPossible<T> {
    fn maybe_clone(&self) -> Option<T>;
}

impl<T: Clone> CloneIfPossible<T> for &CloneProbe<'_, T> {
    fn maybe_clone(&self) -> Option<T> {
        Some(self.0.clone())
    }
}

trait NoClone<T> {
    fn maybe_clone(&self) -> Option<T>;
}

impl<T> NoClone<T> for CloneProbe<'_, T> {
    fn maybe_clone(&self) -> Option<T> {
        None
    }
}

// -- the tests -------------------------------------------------------------------------------

#[test]
fn values() {
    start();
    let mut a = new_ctx("for a first context, with all 16 of libctx's contexts free");
    expect_run(&mut a, 5, Ok(5), " on a new context");
    expect_run(&mut a, 7, Ok(12), " after run(5)");
    expect_run(&mut a, 0, Ok(12), " after run(5) and run(7)");
    let mut b = new_ctx("for a second context");
    expect_run(&mut b, 1, Ok(1), " on a second, new context (each context has its own total)");
    expect_run(&mut a, 1_000_000, Ok(1_000_012), " on the first context, whose total was 12");
    done();
}

#[test]
fn errors() {
    start();
    let mut c = new_ctx("for a first context");
    expect_run(&mut c, -1, Err(EINVAL), " (ctx_do returns CTX_EINVAL, -22, for a negative x)");
    expect_run(&mut c, 2, Ok(2), " after run(-1), which must leave the total at 0");
    expect_run(&mut c, i32::MIN, Err(EINVAL), " (a negative x)");
    expect_run(&mut c, i32::MAX, Err(ERANGE),
               " with a total of 2 (2 + 2147483647 does not fit in an int: CTX_ERANGE, -34)");
    expect_run(&mut c, 3, Ok(5), " after two failed calls, which must leave the total at 2");
    done();
}

#[test]
fn null() {
    start();
    let mut held = Vec::new();
    for i in 1..=MAX_LIVE {
        held.push(new_ctx(&format!("for context {i} of the {MAX_LIVE} libctx can hand out")));
    }
    calling("Ctx::new() with all 16 contexts in use, where ctx_new returns NULL");
    if let Ok(_ctx) = Ctx::new().made() {
        fail(format!(
            "Ctx::new() returned a context while all {MAX_LIVE} were in use, where ctx_new \
             returns NULL: the wrapper wrapped a null pointer, which crashes (or worse) on first \
             use. Check the pointer before you wrap it and return an error."
        ));
    }
    expect_run(&mut held[0], 4, Ok(4), " on a context made before the failed Ctx::new()");
    done();
}

#[test]
fn drop_frees() {
    start();
    quiet_planned_panics();
    for round in 1..=3 * MAX_LIVE {
        let mut c = new_ctx_in_round(round, "each one dropped at the end of a block");
        expect_run(&mut c, 1, Ok(1), " on a new context");
    }
    for round in 1..=2 * MAX_LIVE {
        calling("a function that makes a Ctx and returns early with ?");
        if let Ok(total) = make_then_return_early(round) {
            fail(format!("ctx.run(-1) returned Ok({total}); expected Err({EINVAL})."));
        }
    }
    for round in 1..=2 * MAX_LIVE {
        calling("a closure that makes a Ctx and panics, run in catch_unwind");
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            let mut c = new_ctx_in_round(round, "each one dropped while a panic unwinds");
            let _ = c.run(1);
            panic::panic_any(Planned);
        }));
        if let Err(payload) = outcome {
            if payload.downcast_ref::<Planned>().is_none() {
                panic::resume_unwind(payload);
            }
        }
    }
    for round in 1..=2 * MAX_LIVE {
        let boxed = Box::new(new_ctx_in_round(round, "each one moved into a Box, then a Vec"));
        let list = vec![*boxed];
        drop(list);
    }
    done();
}

fn make_then_return_early(round: usize) -> Result<i32, i32> {
    let mut c = new_ctx_in_round(round, "each one dropped by an early return through ?");
    let total = c.run(-1)?; // Err(-22): the function returns here, and c is dropped on the way
    Ok(total)
}

#[test]
fn copies() {
    start();
    let mut c = new_ctx("for a first context");
    expect_run(&mut c, 5, Ok(5), " on a new context");
    // A move hands the one owner on: the moved-from place is never dropped.
    let boxed = Box::new(c);
    let mut list = vec![*boxed];
    let mut c = list.pop().expect("one element");
    let mut slot = Some(c);
    let mut c = slot.take().expect("a context");
    expect_run(&mut c, 1, Ok(6), " after moving the Ctx into a Box, a Vec and an Option");
    // If Ctx implements Clone, both values are used and both dropped, as any caller may do.
    calling("ctx.clone(), as Ctx implements Clone");
    if let Some(mut copy) = (&&CloneProbe(&c)).maybe_clone() {
        calling("ctx.run(1) on the clone");
        let _ = copy.run(1);
        calling("ctx.run(1) on the original, while the clone is alive");
        let _ = c.run(1);
        calling("dropping the clone");
        drop(copy);
    }
    calling("dropping the original");
    drop(c);
    done();
}
