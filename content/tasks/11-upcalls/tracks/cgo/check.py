"""Check for task 11 (cgo track): C calls Go back through an //export function and a cgo.Handle.

Runs in the harness's trusted process (docs/writing-a-check.md). The student's package `upcall`
(upcall.go) is built together with two hidden parts: the C library libupcall (support/upcall.c),
which reports on the step's channel what it was given and whether each callback it made returned
to it, and a driver program (support/driver/main.go), which calls ForEach, Register, Fire and
Unregister and reports what it observed. Each scenario runs as its own process, so one crash
does not take the other results with it. The runtime's cgo pointer check (GODEBUG=cgocheck=1) and
the race detector judge from inside; their raw reports go to the server as "cgocheck" and
"gorace" reports. ffilab-goinspect (a parser built into the image) reads upcall.go for the
messages, never running it.
"""

import json
import re

SOURCE = "upcall.go"
DRIVER = "upcall-driver"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
RACE = "WARNING: DATA RACE"
CGO_PANICS = ("cgo argument has Go pointer", "cgo result is unpinned Go pointer",
              "cgo result has Go pointer", "Go pointer stored into non-Go memory")
PLANNED = "on purpose"  # the driver's own panics say this
# Where Go's heap (and goroutine stacks) live on linux/amd64: the runtime's first arena hint is
# 0xc000000000 and a small program never leaves the first few GiB above it. C's malloc and mmap
# memory, and a cgo.Handle (a small integer), are far from it.
GO_HEAP = (0xC000000000, 0x10000000000)

TEST_BUILD = "upcall.go builds"
TEST_ORDER = "the callback fires for every element, in order"
TEST_STORED = "the stored callback fires after Register returned"
TEST_HANDLES = "each handle resolves to its own callback"
TEST_PANIC = "a panic in the callback is recovered at the boundary"
TEST_CGOCHECK = "runs clean with cgocheck"
TEST_KEEPS = "C keeps a handle, not a Go pointer"
TEST_RELEASE = "handles are deleted when C is done"
TEST_RACE = "runs clean under the race detector"

SCENARIOS = ("order", "stored", "handles", "panic", "release")
RACE_SCENARIOS = ("order", "stored", "handles", "release")

NO_UNWIND = (
    "A Go panic must never unwind through C frames: C was in the middle of its loop, and it "
    "never got to finish it, release what it holds or return its status. Recover at the "
    "boundary, in the exported function itself: defer func() { if r := recover(); r != nil "
    "{ ...remember r...; status = C.UPCALL_FAILED } }(), then return the status to C and turn "
    "it back into an error on the Go side once C has returned."
)
HANDLE_RULE = (
    "C may keep an integer for as long as it likes, but never a Go pointer: the garbage "
    "collector cannot see pointers held in C memory, so it may free or move what they point to. "
    "Make a handle with h := cgo.NewHandle(cb), hand C the integer (C.uintptr_t(h), turned into "
    "void * in a C helper of the preamble), and look it up in the exported function with "
    "cgo.Handle(handle).Value()."
)


def run(c):
    c.step("go cache", ["ffilab-go-cache"], timeout=20, show=False, echo=False)
    source = inspect(c)

    build = c.step("build", ["go", "build", "-o", DRIVER, "./driver"], timeout=90)
    check_build(c, build)
    if not build.ok:
        for name, group in ((TEST_ORDER, "Tests"), (TEST_STORED, "Tests"), (TEST_HANDLES, "Tests"),
                            (TEST_PANIC, "Tests"), (TEST_CGOCHECK, "Memory"), (TEST_KEEPS, "Memory"),
                            (TEST_RELEASE, "Memory"), (TEST_RACE, "Threads")):
            c.skip(name, "upcall.go did not build.", group=group)
        return

    runs = {}
    for scenario in SCENARIOS:
        runs[scenario] = Run(c.step(
            scenario, ["./" + DRIVER, scenario], env={"GODEBUG": "cgocheck=1"}, timeout=20,
            channel=True, echo="GODEBUG=cgocheck=1 ./%s %s" % (DRIVER, scenario)))

    check_order(c, runs["order"])
    check_stored(c, runs["stored"])
    check_handles(c, runs["handles"])
    check_panic(c, runs["panic"], source)
    check_cgocheck(c, runs)
    check_keeps(c, runs)
    check_release(c, runs["release"])

    c.note("Now the same driver built with the race detector.", style="\x1b[2m")
    race_build = c.step("build -race", ["go", "build", "-race", "-o", DRIVER + "-race", "./driver"],
                        timeout=90)
    if race_build.ok:
        raced = c.step("run -race", ["./%s-race" % DRIVER, *RACE_SCENARIOS],
                       env={"GODEBUG": "cgocheck=1"}, timeout=40,
                       echo="GODEBUG=cgocheck=1 ./%s-race %s" % (DRIVER, " ".join(RACE_SCENARIOS)))
        check_race(c, raced)
    else:
        c.failed(TEST_RACE, "`go build -race` %s." % race_build.describe(),
                 output=race_build.output, group="Threads")


# -- reading the results ----------------------------------------------------------------------


def inspect(c):
    step = c.step("inspect", ["ffilab-goinspect", SOURCE], timeout=20, show=False, echo=False)
    try:
        return json.loads(step.output)["files"][0]
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def clean(text):
    return ANSI.sub("", text or "")


def panic_of(output):
    """The panic or fatal error a Go program died of (from its first line on), or None."""
    text = clean(output)
    match = re.search(r"^(panic: |fatal error: )", text, re.MULTILINE)
    return text[match.start():] if match else None


def student_line(report):
    """The first upcall.go line in a Go traceback, as "upcall.go:22", or None."""
    match = re.search(r"^\s+\S*/upcall\.go:(\d+)", report or "", re.MULTILINE)
    return "upcall.go:%s" % match.group(1) if match else None


def is_cgo_panic(text):
    return any(p in (text or "") for p in CGO_PANICS)


def in_go_heap(value):
    return isinstance(value, int) and GO_HEAP[0] <= value < GO_HEAP[1]


class Run:
    """One scenario's process: the driver's observations, the C library's reports, how it died."""

    def __init__(self, step):
        self.step = step
        messages = [m for m in step.messages if isinstance(m, dict)]
        self.driver = [m for m in messages if "scenario" in m and "phase" not in m]
        self.markers = [m for m in messages if m.get("phase") == "calling" and "scenario" in m]
        self.done = any(m.get("phase") == "done" and "scenario" in m for m in messages)
        self.c = [m for m in messages if "c" in m]
        # Panics the driver caught (they reached it through ForEach, Register, ...), with stacks.
        self.caught = [m for m in messages if "panic" in m and "stack" in m]
        self.died = panic_of(step.output)

    def results(self, **match):
        return [m for m in self.driver if all(m.get(k) == v for k, v in match.items())]

    def c_events(self, name, phase=None):
        return [e for e in self.c if e.get("c") == name and (phase is None or e.get("phase") == phase)]

    def panics(self):
        """Every panic of this run, as report text: the one it died of, and the caught ones."""
        found = []
        if self.died:
            found.append(self.died)
        for m in self.caught:
            found.append("panic: %s [recovered]\n\n%s" % (m.get("panic"), m.get("stack", "")))
        return found

    def where(self):
        """Which call was running when the process ended, from the driver's last marker."""
        if not self.markers:
            return ""
        m = self.markers[-1]
        if "case" in m:
            return " during ForEach over %s" % elements(m.get("n") or 0)
        return " during %s%s" % (m.get("step"), " (x = %s)" % m["x"] if "x" in m else "")

    def death(self):
        """Why the process did not finish, in the student's terms (None when it finished)."""
        if self.done and self.step.ok:
            return None
        if self.died:
            return explain_panic(self.died) + ("" if self.where() == "" else " It happened%s." % self.where())
        if self.step.timed_out:
            return ("The driver %s%s: the program stopped making progress (a deadlock? a callback "
                    "that waits for something that never comes?)." % (self.step.describe(), self.where()))
        return "The driver %s%s." % (self.step.describe(), self.where())


def explain_panic(report, brief=False):
    first = report.splitlines()[0]
    where = student_line(report)
    at = " at %s" % where if where else ""
    if is_cgo_panic(report):
        return "The runtime's cgo pointer check stopped a call%s: \"%s\".%s" % (
            at, first, " See \"%s\"." % TEST_CGOCHECK if brief else " " + HANDLE_RULE)
    if "misuse of an invalid Handle" in report:
        return ("A callback panicked%s: \"%s\". cgo.Handle(h).Value() got a number that is not a "
                "live handle: one already deleted (C still had it: delete a handle only after C "
                "is done with it, which for Register means after C has been given the next one "
                "or has forgotten it), or one that was never made by cgo.NewHandle." % (at, first))
    if "index out of range" in report:
        return ("The program panicked%s: \"%s\". An empty slice has no element 0, so &xs[0] "
                "panics: return early when len(xs) == 0 (C has nothing to call back for)." % (at, first))
    if "interface conversion" in report:
        return ("The program panicked%s: \"%s\". Value() returns exactly what went into "
                "cgo.NewHandle: assert that same type." % (at, first))
    if "checkptr" in report:
        return ("The program stopped%s: \"%s\". The race detector turns on checkptr, which checks "
                "conversions between uintptr and unsafe.Pointer: a Go pointer kept as an integer "
                "is invisible to the garbage collector. %s" % (at, first, HANDLE_RULE))
    if PLANNED in report:
        return "The driver's callback panicked on purpose%s (\"%s\"), and nothing recovered it. %s" % (
            at, first, NO_UNWIND)
    return "The program panicked%s: \"%s\"." % (at, first)


def elements(n):
    return "%d element%s" % (n, "" if n == 1 else "s")


def not_through_c(run, what):
    """The message for a call that never reached the C library."""
    return ("%s never reached the C library (libupcall saw no call): the binding must go through "
            "C, with C calling your exported function back." % what)


# -- the tests ----------------------------------------------------------------------------------


def check_build(c, build):
    if build.ok:
        c.passed(TEST_BUILD, group="Build")
        return
    output = clean(build.output)
    if "multiple definition of" in output:
        message = ("The linker found a C function defined twice. In a file with //export, cgo "
                   "copies the preamble into two C files: define C helpers there as static "
                   "functions (static int f(...) { ... }), and only declare the exported Go "
                   "function (int goUpcall(uintptr_t handle, int value);).")
    elif re.search(r"undefined reference to [`']?upcall_trampoline|could not determine kind of name for C\.\w+", output):
        message = ("cgo cannot take the address of a static C function from Go (C.name for a "
                   "static function does not link). Call a static C helper in the preamble that "
                   "passes the trampoline to libupcall itself, as the starter's comments show.")
    elif "conflicting types for" in output:
        message = ("A C declaration in the preamble does not match the exported Go function. For "
                   "func goUpcall(handle C.uintptr_t, value C.int) C.int, cgo declares "
                   "int goUpcall(uintptr_t handle, int value); declare it the same way.")
    elif re.search(r"undefined: upcall\.\w+", output):
        message = ("The driver calls a function upcall.go does not define. upcall.go must keep the "
                   "starter's API: ForEach, Register, Fire and Unregister, with their signatures.")
    else:
        message = "`go build` %s. The compiler's messages are below." % build.describe()
    c.failed(TEST_BUILD, message, output=build.output, group="Build")


def check_order(c, run):
    with c.test(TEST_ORDER) as t:
        t.output = run.step.output
        entered = [e.get("n") for e in run.c_events("for_each", "enter")]
        results = run.results(scenario="order")
        for r in results:
            n, calls, mismatch = r.get("n"), r.get("calls"), r.get("mismatch")
            if r.get("panic") is not None:
                t.fail("ForEach over %s panicked: %s" % (elements(n), explain_panic(
                    "panic: %s" % r["panic"] + "\n" + stack_of(run, r["panic"]))))
            t.expect(r.get("err") is None, "ForEach over %s returned the error %r, although the "
                     "callback never panicked." % (elements(n), r.get("err")))
            t.expect(calls == n, "ForEach over %s called fn %d times: C must call it once for "
                     "every element." % (elements(n), calls))
            t.expect(mismatch == -1, "ForEach over %s called fn in the wrong order or with the "
                     "wrong values: around element %d it expected %s and fn got %s."
                     % (elements(n), mismatch, r.get("expected"), r.get("got")))
            if n:
                t.expect(n in entered, not_through_c(run, "ForEach over %s" % elements(n)))
        death = run.death()
        if death:
            t.fail(death)
        t.expect(len(results) == 4, "The driver did not get through its ForEach calls.")
        t.message = "C called fn for every element, in order, for 1, 6 and 1000 elements (and none for 0)."


def stack_of(run, panic_text):
    for m in run.caught:
        if m.get("panic") == panic_text:
            return m.get("stack", "")
    return ""


def check_stored(c, run):
    with c.test(TEST_STORED) as t:
        t.output = run.step.output
        register = run.results(scenario="stored", step="register")
        if register and register[0].get("panic") is not None:
            p = register[0]["panic"]
            t.fail("Register panicked: " + explain_panic("panic: %s\n%s" % (p, stack_of(run, p))))
        registered = run.c_events("register")
        t.expect(registered or run.death(), "Register returned without calling register_cb_ud: C "
                 "must keep the callback, so that it can call it after Register has returned.")
        steps = {r.get("step"): r for r in run.results(scenario="stored") if "x" in r}
        expect_fire(t, run, steps.get("fire after GC"), [10], "after Register had returned and the "
                    "garbage collector had run")
        expect_fire(t, run, steps.get("fire again"), [20], "a second time")
        expect_fire(t, run, steps.get("fire the replacement (it adds 1000)"), [1030],
                    "after a second Register, which must replace the first callback (got [30]: "
                    "C still called the first one)")
        after = steps.get("fire after unregister")
        if after is not None:
            t.expect(after.get("got") == [], "After Unregister, Fire(40) still reached a callback "
                     "(it got %s): Unregister must make C forget it (register_cb_ud(NULL, NULL))."
                     % after.get("got"))
            t.expect(after.get("err") is not None, "After Unregister, Fire(40) returned no error: "
                     "with nothing registered, Fire must return one (libupcall's fire returns "
                     "UPCALL_NO_CALLBACK).")
        death = run.death()
        if death:
            t.fail(death)
        t.expect(after is not None, "The driver did not get through Register, Fire and Unregister.")
        t.message = ("C kept the callback and called it after Register had returned and the GC had "
                     "run; a second Register replaced it, and Unregister made C forget it.")


def expect_fire(t, run, result, want, when):
    if result is None:
        death = run.death()
        t.fail(death or "The driver never got to Fire %s." % when)
    x = result.get("x")
    if result.get("panic") is not None:
        p = result["panic"]
        t.fail("Fire(%s) %s panicked: %s" % (x, when, explain_panic("panic: %s\n%s" % (p, stack_of(run, p)))))
    fired = [e for e in run.c_events("fire", "enter") if e.get("x") == x]
    if result.get("err") is not None:
        returned = [e for e in run.c_events("fire", "return") if e.get("x") == x]
        hint = ""
        if returned and returned[0].get("status") not in (0, None) and not result.get("got"):
            hint = (" Your exported function returned a failure status to C without calling the "
                    "callback: did looking up the handle fail (cgo.Handle.Value panics on a handle "
                    "that was already deleted)? C keeps the handle after Register returns, so it "
                    "must stay alive until C has been given another one or has forgotten it.")
        t.fail("Fire(%s) %s returned the error %r.%s" % (x, when, result.get("err"), hint))
    t.expect(fired, not_through_c(run, "Fire(%s)" % x))
    t.expect(result.get("got") == want, "Fire(%s) %s: the callback got %s, expected %s."
             % (x, when, result.get("got"), want))


def check_handles(c, run):
    with c.test(TEST_HANDLES) as t:
        t.output = run.step.output
        results = run.results(scenario="handles")
        if not results:
            t.fail(run.death() or "The driver reported nothing.")
        r = results[0]
        calls = r.get("calls")
        if r.get("lockstep_wrong"):
            t.fail("Two ForEach calls ran at the same time ([1 2 3] and [101 102 103], each "
                   "callback waiting for the other call's), and %d callback(s) reached the other "
                   "call's fn. Each call needs its own handle, passed as C's userdata: a "
                   "package-level variable holding \"the current fn\" is shared by all calls."
                   % r["lockstep_wrong"])
        if r.get("wrong"):
            t.fail("%d of %d ForEach calls made at the same time from %d goroutines had a callback "
                   "reach another call's fn (%s). Each call needs its own handle, passed as C's "
                   "userdata: a package-level variable holding \"the current fn\" is shared by all "
                   "of them." % (r["wrong"], calls, r.get("goroutines"), r.get("problem")))
        t.expect(not r.get("panics"), "ForEach panicked in %d of %d concurrent calls: %s"
                 % (r.get("panics"), calls, r.get("problem")))
        t.expect(not r.get("errors"), "ForEach returned an error in %d of %d concurrent calls: %s"
                 % (r.get("errors"), calls, r.get("problem")))
        t.expect(not r.get("lockstep_missing"), "Two ForEach calls running at the same time "
                 "([1 2 3] and [101 102 103]) did not call their fns for %d of the 6 elements."
                 % r.get("lockstep_missing", 0))
        t.expect(not r.get("missing"), "%d of %d concurrent ForEach calls did not call fn for each "
                 "of their elements." % (r.get("missing"), calls))
        t.expect(r.get("nested_panic") is None, "A ForEach inside a callback of another ForEach "
                 "panicked: %s" % r.get("nested_panic"))
        t.expect(r.get("outer") == [1, 2] and r.get("inner") == [10, 11, 20, 21],
                 "A ForEach inside a callback of another ForEach mixed the two up: the outer fn "
                 "got %s (expected [1, 2]) and the inner fn got %s (expected [10, 11, 20, 21]). "
                 "Each call must resolve its own handle." % (r.get("outer"), r.get("inner")))
        t.expect(len(run.c_events("for_each", "enter")) >= calls + 3,
                 not_through_c(run, "Some of the concurrent ForEach calls"))
        death = run.death()
        if death:
            t.fail(death)
        t.message = ("%d ForEach calls from %d goroutines at once, and one ForEach inside another: "
                     "every callback found its own fn." % (calls, r.get("goroutines")))


def check_panic(c, run, source):
    recovers = any("recover" in f.get("calls", []) for f in (source or {}).get("funcs", [])
                   if any(d.startswith("//export") for d in f.get("directives", [])))
    with c.test(TEST_PANIC) as t:
        t.output = run.step.output
        if run.died and PLANNED in run.died:
            c.report("go", run.died, test=TEST_PANIC)
            message = explain_panic(run.died)
            unfinished = len(run.c_events("for_each", "enter")) - len(run.c_events("for_each", "return"))
            if unfinished > 0:
                message += (" libupcall's for_each_ud never returned: the panic went straight "
                            "through its frames.")
            if source and not recovers:
                message += " (Your exported function never calls recover().)"
            t.fail(message)
        steps = run.results(scenario="panic")
        by_step = {}
        for r in steps:
            by_step.setdefault(r.get("step"), []).append(r)
        first = (by_step.get("for_each") or [None])[0]
        if first is None:
            t.fail(run.death() or "The driver never got through ForEach with a panicking callback.")
        t.expect([e for e in run.c_events("for_each", "enter") if e.get("n") == 5],
                 not_through_c(run, "ForEach([1 2 3 4 5])"))
        t.expect(first.get("err") is not None,
                 "The callback panicked at 3, and ForEach returned no error. Recover the panic in "
                 "the exported function, keep it (in the value the handle stands for), return "
                 "C.UPCALL_FAILED to C, and return the panic as an error from ForEach.")
        t.expect(first.get("got") == [1, 2, 3],
                 "The callback panics at 3, so fn should get [1, 2, 3] and no more; it got %s. The "
                 "status your exported function returns after recovering must tell C to stop (any "
                 "nonzero status does)." % first.get("got"))
        stopped = [e for e in run.c_events("for_each", "return") if e.get("n") == 5]
        t.expect(stopped and stopped[0].get("status") != 0,
                 "libupcall's for_each never saw a nonzero status from the callback that panicked: "
                 "return C.UPCALL_FAILED from the exported function when it recovers a panic.")
        after = (by_step.get("for_each after") or [None])[0]
        t.expect(after is not None and after.get("got") == [6, 7] and after.get("err") is None,
                 "After the panic, the next ForEach([6 7]) did not work normally (fn got %s, "
                 "error %r)." % ((after or {}).get("got"), (after or {}).get("err")))
        fires = {r.get("x"): r for r in by_step.get("fire", [])}
        for x, fails in ((12, False), (13, True), (14, False)):
            r = fires.get(x)
            if r is None:
                t.fail(run.death() or "The driver never got to Fire(%d) with a stored callback that "
                       "panics at 13." % x)
            if fails:
                t.expect(r.get("err") is not None, "The stored callback panicked at Fire(13), and "
                         "Fire returned no error: a panic in the stored callback must come back "
                         "as an error from Fire, like one in ForEach.")
            else:
                t.expect(r.get("err") is None and r.get("got") == [x],
                         "Fire(%d), %s the stored callback's panic at 13, returned %r (the callback "
                         "got %s)." % (x, "before" if x == 12 else "after", r.get("err"), r.get("got")))
        death = run.death()
        if death:
            t.fail(death)
        t.message = ("The callback's panics stayed in Go: C got a status and stopped, ForEach and "
                     "Fire returned errors, and the next calls worked.")


def check_cgocheck(c, runs):
    reports = [p for r in runs.values() for p in r.panics() if is_cgo_panic(p)]
    if reports:
        c.report("cgocheck", reports[0], test=TEST_CGOCHECK)
    with c.test(TEST_CGOCHECK, group="Memory") as t:
        if reports:
            t.output = reports[0]
            t.fail(explain_panic(reports[0]))
        t.message = "The cgo pointer check (GODEBUG=cgocheck=1) had nothing to report in any scenario."


def check_keeps(c, runs):
    kept = [e for r in runs.values() for e in r.c_events("register") if e.get("callback")]
    run = runs["stored"]
    with c.test(TEST_KEEPS, group="Memory") as t:
        for r in runs.values():
            for p in r.panics():
                if is_cgo_panic(p) and "Register" in p:
                    t.fail("Register handed C a Go pointer, and the cgo pointer check stopped it. "
                           + HANDLE_RULE)
        register = run.results(scenario="stored", step="register")
        if register and register[0].get("panic") is not None and is_cgo_panic(register[0]["panic"]):
            t.fail("Register handed C a Go pointer, and the cgo pointer check stopped it. " + HANDLE_RULE)
        if not kept:
            t.fail(run.death() or "C was never given a callback to keep (register_cb_ud was not called).")
        pointers = [e["userdata"] for e in kept if in_go_heap(e.get("userdata"))]
        t.expect(not pointers,
                 "Register gave C the userdata %s, an address in Go's heap: C keeps it after "
                 "Register returns, so C holds a Go pointer. The cgo pointer check cannot see this "
                 "when the memory holds no further pointers (the address of a cgo.Handle variable, "
                 "say: passing &h is allowed only for a call that does not keep it). %s"
                 % (hex(pointers[0]) if pointers else "", HANDLE_RULE))
        values = sorted({e.get("userdata") for e in kept})
        t.message = "C kept the userdata %s: %s." % (
            ", ".join(str(v) for v in values[:5]) + (" ..." if len(values) > 5 else ""),
            "integers, not Go addresses" if all(isinstance(v, int) and v > 0 for v in values)
            else "no Go address among them")


def check_release(c, run):
    with c.test(TEST_RELEASE, group="Memory") as t:
        t.output = run.step.output
        results = run.results(scenario="release")
        if not results:
            t.fail(run.death() or "The driver reported nothing.")
        r = results[0]
        if r.get("panic") is not None:
            t.fail("The driver's calls panicked: %s" % r["panic"])
        t.expect(len(run.c_events("for_each", "enter")) >= r.get("for_each_calls", 0),
                 not_through_c(run, "ForEach"))
        t.expect(len(run.c_events("register")) >= r.get("registrations", 0),
                 not_through_c(run, "Register"))
        n, freed = r.get("for_each_calls", 0), r.get("for_each_freed", 0)
        t.expect(freed >= n * 0.9,
                 "Only %d of %d callbacks passed to ForEach could be collected after ForEach had "
                 "returned: the rest are still reachable. Every cgo.NewHandle needs a Delete once C "
                 "is done with the handle; for ForEach, that is when for_each_ud returns (defer "
                 "h.Delete() right after NewHandle)." % (freed, n))
        n, freed = r.get("registrations", 0), r.get("register_freed", 0)
        t.expect(freed >= n * 0.9,
                 "Only %d of %d callbacks registered, then replaced by the next Register or "
                 "unregistered, could be collected: the rest are still reachable. Register must "
                 "delete the previous handle once C holds the new one, and Unregister must delete "
                 "the current one after C has forgotten it." % (freed, n))
        death = run.death()
        if death:
            t.fail(death)
        t.message = "Every callback was released once C was done with it."


def check_race(c, raced):
    output = clean(raced.output)
    if RACE in output:
        c.report("gorace", raced.output, test=TEST_RACE)
    report = panic_of(raced.output)
    with c.test(TEST_RACE, group="Threads") as t:
        t.output = raced.output
        t.expect(RACE not in output,
                 "The race detector found a data race (its report is below): memory that two "
                 "goroutines touch without synchronisation, such as a package-level variable that "
                 "every ForEach call writes. Keep each call's state behind its own handle, and "
                 "guard what is shared (the registered handle) with a mutex.")
        if report is not None:
            t.fail("Under the race detector: " + explain_panic(report, brief=True))
        t.expect(raced.ok, "Under the race detector the driver %s." % raced.describe())
        t.message = "Built with -race, every scenario ran without a race report."
