"""Check for task 11 (rust track): C calls back into Rust through extern "C" fn pointers.

Runs in the harness's trusted process (docs/writing-a-check.md). The lab's C library (upcall.c,
hidden) is compiled here into libupcall.a; the lab's Cargo.toml and build.rs (hidden) make the
student's lib.rs the library of a package whose binary, driver.rs (hidden), calls it. lib.rs stays
where it is (Cargo.toml says `[lib] path = "lib.rs"`), so compiler messages and panics already
name it lib.rs:LINE.

The driver runs three times, one process per test, so an abort in the panic test cannot hide the
other results. It reports on its channel which values reached which of its closures, how each call
ended, and how many callbacks the C library itself counted; everything is judged here.
"""

import re

COMPILES = "lib.rs compiles"
API = "public API matches"
EACH = "for_each calls back for every element in order"
STORED = "stored callback fires after register returned"
PANIC = "panics are caught at the boundary"
TESTS = (EACH, STORED, PANIC)

DIM = "\x1b[2m"
CARGO_ENV = {"CARGO_TERM_PROGRESS_WHEN": "never", "CARGO_TERM_COLOR": "always"}
CANNOT_UNWIND = "panic in a function that cannot unwind"

EACH_LISTS = [
    [3, 1, 4, 1, 5, 9, 2, 6],
    [],
    [-5, 0, 2147483647, -2147483648],
    list(range(-5000, 5000)),
]

BOUNDARY_ADVICE = (
    "Run the closure inside std::panic::catch_unwind(AssertUnwindSafe(|| ...)) in the function C "
    "calls, and return UPCALL_FAILED (1) to C when it caught a panic: C then stops, and for_each "
    "and fire return Err(CallbackPanicked)."
)


def run(c):
    if not build_c_library(c):
        for name in (COMPILES, API):
            c.skip(name, "the lab's C library did not build. This is a fault of the task, not of "
                   "your code.", group="Build")
        for name in TESTS:
            c.skip(name, "the lab's C library did not build.")
        return
    if not build_crate(c):
        for name in TESTS:
            c.skip(name, "the crate did not build (see the Build tests).")
        return

    c.note("The checker's driver now passes slices to your for_each.", style=DIM)
    cases = [case("for_each(&%s, f)" % shown_list(v), op="each", values=v) for v in EACH_LISTS]
    check_each(c, drive(c, "for_each", "each", cases), cases)

    c.note("Now register(), and fire() once register() has returned.", style=DIM)
    cases = [case("register(first)", op="register", tag="first")]
    cases += [case("fire(%d)" % x, op="fire", x=x, tag="first") for x in (7, -3, 42)]
    cases += [case("register(second)", op="register", tag="second")]
    cases += [case("fire(%d)" % x, op="fire", x=x, tag="second") for x in (5, -8)]
    check_stored(c, drive(c, "register and fire", "stored", cases), cases)

    c.note("Now closures that panic, through for_each and through fire().", style=DIM)
    cases = [
        case("for_each(&[1, 2, 3, 4, 5], f) with f panicking at 3", op="each",
             values=[1, 2, 3, 4, 5], raise_at=3),
        case("for_each(&[7, 8, 9], f) after that", op="each", values=[7, 8, 9]),
        case("register(thrower), a closure that panics at 13", op="register", tag="thrower",
             raise_at=13),
        case("fire(1)", op="fire", x=1, tag="thrower"),
        case("fire(13)", op="fire", x=13, tag="thrower", raise_at=13),
        case("fire(2) after that", op="fire", x=2, tag="thrower"),
    ]
    check_panic(c, drive(c, "panicking closures", "panic", cases), cases)


# -- building -------------------------------------------------------------------------------


def build_c_library(c):
    compiled = c.step("compile upcall.c", ["cc", "-c", "-O2", "-g", "-fPIC", "-Wall", "-o",
                                           "upcall.o", "upcall.c"], timeout=30)
    if not compiled.ok:
        return False
    return c.step("archive", ["ar", "rcs", "libupcall.a", "upcall.o"], timeout=30).ok


def build_crate(c):
    lib = c.step("cargo build --lib", ["cargo", "build", "--lib"], timeout=60, env=CARGO_ENV)
    if not lib.ok:
        c.failed(COMPILES, cargo_message(lib, "lib.rs"), output=lib.output, group="Build")
        c.skip(API, "lib.rs did not compile.", group="Build")
        return False
    c.passed(COMPILES, group="Build")
    driver = c.step("cargo build --bin driver", ["cargo", "build", "--bin", "driver"], timeout=60,
                    env=CARGO_ENV)
    if not driver.ok:
        c.failed(API, api_message(driver), output=driver.output, group="Build")
        return False
    c.passed(API, group="Build")
    return True


def plain(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def cargo_message(step, what):
    message = "`%s` %s." % (step.command, step.describe())
    output = plain(step.output)
    if step.exit_code == 101:
        message += " The first `error` line in the output says what is wrong and where (%s:LINE)." % what
    if re.search(r'expected "C" fn, found "Rust" fn', output):
        message += (" A function you pass to C must use C's calling convention: declare it "
                    "`extern \"C\" fn name(value: c_int) -> c_int`. A plain Rust `fn` has Rust's "
                    "calling convention, which C knows nothing about, so the compiler refuses to "
                    "let it stand in for the `extern \"C\" fn` pointer type of your extern block.")
    elif "mismatched types" in output and "extern \"C\" fn" in output:
        message += (" The function you pass does not have the type your extern block gives the "
                    "callback parameter. Both must say what upcall.h says: `extern \"C\" fn(c_int) "
                    "-> c_int` (an int in, an int status out).")
    if "no matching package named" in output:
        message += (" Runs have no network: only the crates installed in the lab's image are "
                    "available, and this task needs none.")
    return message


def api_message(step):
    output = plain(step.output)
    missing = sorted(set(re.findall(r"undefined reference to `([A-Za-z_][A-Za-z0-9_]*)'", output)))
    if missing:
        return ("The linker found no C function named %s in libupcall: every name in your "
                "`extern \"C\"` block must be spelled exactly as in upcall.h (for_each, "
                "register_cb, fire)." % ", ".join(missing))
    return ("lib.rs compiles, but the checker's driver, which calls it, does not (`%s` %s). The "
            "driver calls upcall::for_each(&[i32], f) -> Result<(), CallbackPanicked>, "
            "upcall::register(f) and upcall::fire(i32) -> Result<(), CallbackPanicked>, where f is "
            "a `FnMut(i32) + 'static` closure: keep the starter's public signatures. The first "
            "`error` in the output says what did not fit." % (step.command, step.describe()))


# -- cases and the driver -------------------------------------------------------------------


def case(shown, **fields):
    fields["shown"] = shown
    return fields


def shown_list(values):
    if len(values) <= 8:
        return "[%s]" % ", ".join(str(v) for v in values)
    return "<%d values from %d to %d>" % (len(values), values[0], values[-1])


def driver_input(cases):
    lines = []
    for n, item in enumerate(cases):
        item["id"] = n
        raise_at = "-" if item.get("raise_at") is None else str(item["raise_at"])
        if item["op"] == "each":
            values = item["values"]
            lines.append("each %d %s %d %s" % (n, raise_at, len(values),
                                               " ".join(str(v) for v in values)))
        elif item["op"] == "register":
            lines.append("register %d %s %s" % (n, item["tag"], raise_at))
        else:
            lines.append("fire %d %d" % (n, item["x"]))
    return "\n".join(lines) + "\n"


def drive(c, name, mode, cases):
    stdin = driver_input(cases)
    return Driver(c.step(name, ["./target/debug/driver", mode], timeout=20, channel=True,
                         stdin=stdin), cases)


class Driver:
    """What one run of the hidden driver reported on its channel."""

    def __init__(self, step, cases):
        self.step = step
        self.cases = {item["id"]: item for item in cases}
        self.results = {}
        self.duplicates = set()
        self.last_call = None
        self.done = False
        for message in step.messages:
            if not isinstance(message, dict):
                continue
            kind = message.get("kind")
            if kind == "calling":
                self.last_call = message.get("id")
            elif kind == "result":
                # The driver reports each call once; a second report can only come from code
                # that wrote into the checker's channel.
                if message.get("id") in self.results:
                    self.duplicates.add(message.get("id"))
                self.results[message.get("id")] = message
            elif kind == "done":
                self.done = True

    def result(self, t, item):
        got = self.results.get(item["id"])
        if got is None:
            self.ended_early(t)
        t.expect(item["id"] not in self.duplicates,
                 "The checker received two reports for %s: something inside the process wrote "
                 "into the checker's private channel." % item["shown"])
        return got

    def finished(self, t):
        if not (self.step.ok and self.done):
            self.ended_early(t)

    def ended_early(self, t):
        t.output = self.step.output
        item = self.cases.get(self.last_call)
        where = " during %s" % item["shown"] if item else ""
        if self.step.ok:
            t.fail("The checker's driver stopped early%s, although its process exited with code "
                   "0: something in lib.rs ended the process (std::process::exit, for example)."
                   % where)
        hint = ""
        aborted = self.step.signal_name == "SIGABRT" or self.step.exit_code == 134
        if aborted and CANNOT_UNWIND in plain(self.step.output):
            hint = (" Rust printed \"%s\": a panic reached the end of an extern \"C\" function, "
                    "where unwinding would continue into C's frames. Since Rust 1.81 that is not "
                    "undefined behaviour any more but a guaranteed abort of the whole process. %s"
                    % (CANNOT_UNWIND, BOUNDARY_ADVICE))
        elif "not yet implemented" in plain(self.step.output):
            hint = " A todo!() in lib.rs panicked: the starter's functions are still to be written."
        t.fail("The checker's driver could not finish%s: its process %s.%s"
               % (where, self.step.describe(), hint))


def entries_shown(entries, limit=12):
    shown = ["%s(%s)" % (tag, x) for tag, x in entries[:limit]]
    if len(entries) > limit:
        shown.append("... %d more" % (len(entries) - limit))
    return "[%s]" % ", ".join(shown) if shown else "nothing"


def outcome_problem(call, got, wanted):
    """A message when the call did not end as `wanted` ("ok" or "err"), else None."""
    outcome = got.get("outcome")
    if outcome == wanted:
        return None
    if outcome == "panic":
        return ("%s panicked (%s) instead of returning %s." % (
            call, got.get("panic"), "Ok(())" if wanted == "ok" else "Err(CallbackPanicked)"))
    if wanted == "ok":
        return "%s returned Err(CallbackPanicked), although no closure panicked." % call
    return ("%s returned Ok(()), although the closure panicked: the caller never learned. C "
            "reports a failed callback through the status it returns." % call)


# -- the tests ------------------------------------------------------------------------------


def check_each(c, driver, cases):
    with c.test(EACH) as t:
        for item in cases:
            got = driver.result(t, item)
            call = "upcall::" + item["shown"]
            problem = outcome_problem(call, got, "ok")
            t.expect(problem is None, problem)
            seen = [x for _, x in got.get("entries") or []]
            wanted = item["values"]
            if seen != wanted:
                t.fail("%s: f received %s; expected one call per element, in order: %s."
                       % (call, shown_list(seen) if len(seen) > 8 else seen,
                          shown_list(wanted) if len(wanted) > 8 else wanted))
            if got.get("calls") != len(wanted):
                t.fail("%s: f received the right values, but the C library made %s callback calls "
                       "instead of %d: for_each must pass an extern \"C\" fn to the C for_each and "
                       "let C call it, not loop in Rust." % (call, got.get("calls"), len(wanted)))
        driver.finished(t)


def check_stored(c, driver, cases):
    with c.test(STORED) as t:
        for item in cases:
            got = driver.result(t, item)
            call = "upcall::" + item["shown"]
            if item["op"] == "register":
                if got.get("outcome") == "panic":
                    t.fail("%s panicked: %s" % (call, got.get("panic")))
                continue
            problem = outcome_problem(call, got, "ok")
            t.expect(problem is None, problem)
            entries = got.get("entries") or []
            if entries != [[item["tag"], item["x"]]]:
                if entries and entries[0][0] != item["tag"]:
                    t.fail("%s called the closure registered as %r, but register(%s) came after "
                           "it: register() must replace the stored closure."
                           % (call, entries[0][0], item["tag"]))
                t.fail("%s: the registered closure received %s; expected %s(%d)."
                       % (call, entries_shown(entries), item["tag"], item["x"]))
            if got.get("calls") != 1:
                t.fail("%s: the registered closure got %d, but not through C (the library counted "
                       "%s callback calls): fire() must call the C fire and let C call the "
                       "registered callback." % (call, item["x"], got.get("calls")))
        driver.finished(t)


def check_panic(c, driver, cases):
    with c.test(PANIC) as t:
        for item in cases:
            got = driver.result(t, item)
            call = "upcall::" + item["shown"]
            entries = got.get("entries") or []
            if item["op"] == "register":
                if got.get("outcome") == "panic":
                    t.fail("%s panicked: %s" % (call, got.get("panic")))
                continue
            if item.get("raise_at") is None:
                problem = outcome_problem(call, got, "ok")
                if problem and got.get("outcome") == "err":
                    problem += (" An Err from an earlier call seems to have been kept: the status "
                                "belongs to one call only.")
                t.expect(problem is None, problem)
                wanted = ([["fn", v] for v in item["values"]] if item["op"] == "each"
                          else [[item["tag"], item["x"]]])
                t.expect(entries == wanted, "%s: the checker's closures received %s; expected %s."
                         % (call, entries_shown(entries), entries_shown(wanted)))
                continue
            if got.get("outcome") == "panic" and not entries:
                t.fail("%s panicked: %s" % (call, got.get("panic")))
            if item["op"] == "each":
                seen = [x for _, x in entries]
                wanted = [v for v in item["values"] if v <= item["raise_at"]]
                if seen[len(wanted):]:
                    t.fail("%s: C went on and called f with %s after f had panicked at %d: the "
                           "function C calls returned UPCALL_OK (0) after the panic. %s"
                           % (call, seen[len(wanted):], item["raise_at"], BOUNDARY_ADVICE))
                t.expect(seen == wanted, "%s: f received %s; expected %s (C stops at the element "
                         "whose callback failed)." % (call, seen, wanted))
                t.expect(got.get("calls") == len(wanted), "%s: the C library made %s callback "
                         "calls instead of %d." % (call, got.get("calls"), len(wanted)))
            else:
                t.expect(entries == [[item["tag"], item["x"]]],
                         "%s: the registered closure received %s; expected %s(%d)."
                         % (call, entries_shown(entries), item["tag"], item["x"]))
            problem = outcome_problem(call, got, "err")
            if problem and got.get("outcome") == "panic":
                problem += (" Resuming the caught panic once C has returned "
                            "(std::panic::resume_unwind) is sound too, but this task's functions "
                            "report it as Err(CallbackPanicked).")
            t.expect(problem is None, problem)
        driver.finished(t)
