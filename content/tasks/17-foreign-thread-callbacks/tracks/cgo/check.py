"""Check for task 17 (cgo track): a callback binding that survives the C library's own threads.

Runs in the harness's trusted process (docs/writing-a-check.md). The student's package `events`
(events.go) is built together with two hidden parts: the lab's event library (support/events.c,
the same library as the other tracks', plus reports on the step's channel), which starts threads
of its own, calls back while holding its internal lock, and reports what it was given, what it
counted and any call that re-entered it from a callback; and a driver program (support/driver/main.go), which starts streams with handlers of
its own and reports what they saw. Each scenario runs as its own process with a timeout of its
own: a callback that re-enters the library deadlocks it, and Go's deadlock detector stays silent
while threads are stuck in C, so only the timeout ends such a run. The runtime's cgo pointer
check (GODEBUG=cgocheck=1) and the race detector judge from inside; their raw reports go to the
server as "cgocheck" and "gorace" reports.
"""

import re

DRIVER = "events-driver"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
RACE = "WARNING: DATA RACE"
CGO_PANICS = ("cgo argument has Go pointer", "cgo result is unpinned Go pointer",
              "cgo result has Go pointer", "Go pointer stored into non-Go memory")
PLANNED = "on purpose"  # the driver's own panics say this
# Where Go's heap (and goroutine stacks) live on linux/amd64: the runtime's first arena hint is
# 0xc000000000 and a small program never leaves the first few GiB above it. C's malloc and mmap
# memory, and a cgo.Handle (a small integer), are far from it.
GO_HEAP = (0xC000000000, 0x10000000000)

TEST_BUILD = "events.go builds"
TEST_THREADS = "callbacks from the library's own threads reach Go"
TEST_STRESS = "thousands of callbacks from several threads, count exact"
TEST_PANIC = "a panic in the handler is recovered at the boundary"
TEST_REENTRY = "the callback does not re-enter the library"
TEST_RACE = "no data race"
TEST_KEEPS = "C keeps a handle, not a Go pointer"
TEST_RELEASE = "the handle is released after Stop"

# scenario -> (test it decides, step timeout in seconds). The order matters: the first one is
# small, so that a deadlock costs its short timeout, and the rest are skipped after a hang.
SCENARIOS = (("threads", 10), ("stress", 30), ("panic", 15), ("release", 20))
RACE_SCENARIOS = ("threads", "stress-race", "release")

NO_UNWIND = (
    "A Go panic must never unwind through C frames: the library was in the middle of delivering "
    "an event, holding its lock. Recover in the exported function itself: defer func() { if r := "
    "recover(); r != nil { ...keep r for Stop...; status = C.EVENTS_STOP } }(). The library then "
    "delivers no more events, events_stop returns 1, and Stop returns the panic as an error."
)
HANDLE_RULE = (
    "The events library keeps its userdata until events_stop and hands it to callbacks on its own threads, "
    "so it must never be a Go pointer: the garbage collector cannot see pointers held in C memory. "
    "Make a handle with h := cgo.NewHandle(s), hand C the integer (C.uintptr_t(h), turned into "
    "void * in a C helper of the preamble), resolve it in the callback with "
    "cgo.Handle(handle).Value().(*Stream), and delete it after events_stop has returned."
)
REENTRY_RULE = (
    "The events library holds its lock while it calls you, and the lock is not recursive: any "
    "events_* call from inside the callback waits for a lock its own thread holds, forever. Go's deadlock detector cannot see threads stuck in C, so the program just hangs. "
    "Keep the callback to the minimum (resolve the handle, count with an atomic, call the "
    "handler, return a status) and call the library only from outside callbacks."
)


def run(c):
    c.step("go cache", ["ffilab-go-cache"], timeout=20, show=False, echo=False)

    build = c.step("build", ["go", "build", "-o", DRIVER, "./driver"], timeout=90)
    check_build(c, build)
    if not build.ok:
        for name, group in ((TEST_THREADS, "Tests"), (TEST_STRESS, "Tests"), (TEST_PANIC, "Tests"),
                            (TEST_REENTRY, "Threads"), (TEST_RACE, "Threads"),
                            (TEST_KEEPS, "Memory"), (TEST_RELEASE, "Memory")):
            c.skip(name, "events.go did not build.", group=group)
        return

    runs, hung = {}, None
    for scenario, timeout in SCENARIOS:
        if hung is not None:
            continue
        runs[scenario] = Run(c.step(
            scenario, ["./" + DRIVER, scenario], env={"GODEBUG": "cgocheck=1"}, timeout=timeout,
            channel=True, echo="GODEBUG=cgocheck=1 ./%s %s" % (DRIVER, scenario)))
        if runs[scenario].step.timed_out:
            hung = scenario
    skipped = ("Not run: the driver hung in the \"%s\" scenario (see \"%s\")." % (hung, TEST_REENTRY)
               if hung else None)

    check_threads(c, runs.get("threads"), skipped)
    check_stress(c, runs.get("stress"), skipped)
    check_panic(c, runs.get("panic"), skipped)
    check_reentry(c, runs)
    check_keeps(c, runs)
    check_release(c, runs.get("release"), skipped)

    if hung:
        c.failed(TEST_RACE, skipped, group="Threads")
        return
    c.note("Now the same driver built with the race detector.", style="\x1b[2m")
    race_build = c.step("build -race", ["go", "build", "-race", "-o", DRIVER + "-race", "./driver"],
                        timeout=90)
    if race_build.ok:
        raced = c.step("run -race", ["./%s-race" % DRIVER, *RACE_SCENARIOS],
                       env={"GODEBUG": "cgocheck=1"}, timeout=60,
                       echo="GODEBUG=cgocheck=1 ./%s-race %s" % (DRIVER, " ".join(RACE_SCENARIOS)))
        check_race(c, raced)
    else:
        c.failed(TEST_RACE, "`go build -race` %s." % race_build.describe(),
                 output=race_build.output, group="Threads")


# -- reading the results ----------------------------------------------------------------------


def clean(text):
    return ANSI.sub("", text or "")


def panic_of(output):
    """The panic or fatal error a Go program died of (from its first line on), or None."""
    text = clean(output)
    match = re.search(r"^(panic: |fatal error: |SIGSEGV: |SIGABRT: |SIGBUS: )", text, re.MULTILINE)
    return text[match.start():] if match else None


def student_line(report):
    """The first events.go line in a Go traceback, as "events.go:22", or None."""
    match = re.search(r"^\s+\S*/events\.go:(\d+)", report or "", re.MULTILINE)
    return "events.go:%s" % match.group(1) if match else None


def is_cgo_panic(text):
    return any(p in (text or "") for p in CGO_PANICS)


def in_go_heap(value):
    return isinstance(value, int) and GO_HEAP[0] <= value < GO_HEAP[1]


class Run:
    """One scenario's process: the driver's observations, the C library's reports, how it ended."""

    def __init__(self, step):
        self.step = step
        messages = [m for m in step.messages if isinstance(m, dict)]
        self.driver = [m for m in messages if "scenario" in m and "phase" not in m]
        self.markers = [m for m in messages if m.get("phase") == "calling" and "scenario" in m]
        self.done = any(m.get("phase") == "done" and "scenario" in m for m in messages)
        self.c = [m for m in messages if "c" in m]
        self.caught = [m for m in messages if "panic" in m and "stack" in m]
        self.died = panic_of(step.output)

    def results(self, **match):
        return [m for m in self.driver if all(m.get(k) == v for k, v in match.items())]

    def result(self):
        found = [m for m in self.driver if ("ok" in m and "step" not in m) or "streams" in m]
        return found[0] if found else None

    def c_events(self, name):
        return [e for e in self.c if e.get("c") == name]

    def panics(self):
        found = [self.died] if self.died else []
        for m in self.caught:
            found.append("panic: %s [recovered]\n\n%s" % (m.get("panic"), m.get("stack", "")))
        return found

    def where(self):
        if not self.markers:
            return ""
        return " during %s" % self.markers[-1].get("step")

    def step_failure(self):
        """The driver's report of a Start or Stop that failed, as a sentence, or None."""
        for m in self.driver:
            if "step" in m and "ok" not in m and m.get("step") in ("Start", "Stop"):
                if m.get("panic") is not None:
                    return "%s panicked: %s" % (m["step"], explain_panic(
                        "panic: %s\n%s" % (m["panic"], self.stack_of(m["panic"]))))
                if m.get("nil_stream") or m.get("err") is not None:
                    return ("Start returned %s (error %r): the stream never started."
                            % ("no stream" if m.get("nil_stream") else "a stream", m.get("err")))
        return None

    def stack_of(self, text):
        for m in self.caught:
            if m.get("panic") == text:
                return m.get("stack", "")
        return ""

    def death(self):
        """Why the process did not finish, in the student's terms (None when it finished)."""
        if self.done and self.step.ok:
            return None
        if self.step.timed_out:
            return ("The driver %s%s: the program stopped making progress. See \"%s\"."
                    % (self.step.describe(), self.where(), TEST_REENTRY))
        if self.died:
            return explain_panic(self.died) + ("" if not self.where() else " It happened%s." % self.where())
        return "The driver %s%s." % (self.step.describe(), self.where())


def explain_panic(report, brief=False):
    first = report.splitlines()[0]
    where = student_line(report)
    at = " at %s" % where if where else ""
    if is_cgo_panic(report):
        return "The runtime's cgo pointer check stopped a call%s: \"%s\".%s" % (
            at, first, " See \"%s\"." % TEST_KEEPS if brief else " " + HANDLE_RULE)
    if "misuse of an invalid Handle" in report:
        return ("A callback panicked%s: \"%s\". cgo.Handle(h).Value() got a number that is not a "
                "live handle: one already deleted (the library uses the userdata until "
                "events_stop has returned: delete the handle after that, never before), or one "
                "never made by cgo.NewHandle." % (at, first))
    if first.startswith("SIGSEGV") or "nil pointer dereference" in report:
        return ("The program crashed%s: \"%s\". A callback can run before events_start has "
                "returned: whatever the callback needs must be in place, behind the handle, "
                "before events_start is called." % (at, first))
    if "interface conversion" in report:
        return ("The program panicked%s: \"%s\". Value() returns exactly what went into "
                "cgo.NewHandle: assert that same type." % (at, first))
    if "checkptr" in report:
        return ("The program stopped%s: \"%s\". The race detector turns on checkptr, which checks "
                "conversions between uintptr and unsafe.Pointer. %s" % (at, first, HANDLE_RULE))
    if PLANNED in report:
        return ("The driver's handler panicked on purpose%s (\"%s\") on one of the library's "
                "threads, and nothing recovered it: the whole program died. %s" % (at, first, NO_UNWIND))
    return "The program panicked%s: \"%s\"." % (at, first)


def not_run(c, name, run, skipped, group="Tests"):
    """Records `name` as failed when its scenario could not report; returns True then."""
    if run is None:
        c.failed(name, skipped or "The scenario did not run.", group=group)
        return True
    return False


# -- the tests ----------------------------------------------------------------------------------


def check_build(c, build):
    if build.ok:
        c.passed(TEST_BUILD, group="Build")
        return
    output = clean(build.output)
    if "multiple definition of" in output:
        message = ("The linker found a C function defined twice. In a file with //export, cgo "
                   "copies the preamble into two C files: define C helpers there as static "
                   "functions, and only declare the exported Go function.")
    elif "could not determine kind of name for C." in output or "undefined reference to" in output:
        message = ("cgo cannot take the address of a static C function from Go. Call a static C "
                   "helper in the preamble that passes the trampoline to events_start itself, as "
                   "the starter's comments show.")
    elif "conflicting types for" in output:
        message = ("A C declaration in the preamble does not match the exported Go function. For "
                   "func goEvent(handle C.uintptr_t, source, sequence C.int) C.int, cgo declares "
                   "int goEvent(uintptr_t handle, int source, int sequence); declare it the same way.")
    elif re.search(r"undefined: events\.\w+|has no field or method", output):
        message = ("The driver uses something events.go does not define. Keep the starter's API: "
                   "Event, Start, and the Stream methods Received and Stop, with their signatures.")
    else:
        message = "`go build` %s. The compiler's messages are below." % build.describe()
    c.failed(TEST_BUILD, message, output=build.output, group="Build")


def expect_stream(t, run, r, what, panicking=False):
    """The checks every scenario's result shares; r is the driver's result (a dict)."""
    failure = run.step_failure()
    if failure:
        t.fail(failure)
    t.expect(run.c_events("start"), "Start never called events_start: the events must come from "
             "the C library's threads.")
    t.expect(r.get("ok"), run.death() or "Start or Stop did not complete.")
    stops = run.c_events("stop")
    if stops and not panicking and stops[0].get("stopped"):
        t.fail("%s: your callback returned a failure status, and the library stopped after %s "
               "events, although the handler never panicked (it ran %s times). Did looking up "
               "the handle fail? cgo.Handle.Value panics on a handle that was already deleted, "
               "and the library uses the userdata until events_stop has returned: delete the "
               "handle in Stop, after events_stop." % (what, stops[0].get("delivered"), r.get("calls")))
    t.expect(not r.get("bad_thread"), "%s: the handler got %s events with a source number outside "
             "0..%s: pass the library's source argument through unchanged."
             % (what, r.get("bad_thread"), (r.get("threads") or 0) - 1))
    t.expect(not r.get("out_of_order"), "%s: %s events reached the handler out of order (each "
             "source thread sends seq 0, 1, 2, ...): pass the sequence number through unchanged, "
             "and call the handler in the callback itself." % (what, r.get("out_of_order")))


def check_threads(c, run, skipped):
    if not_run(c, TEST_THREADS, run, skipped):
        return
    with c.test(TEST_THREADS) as t:
        t.output = run.step.output
        r = run.result()
        if r is None:
            t.fail(run.step_failure() or run.death() or "The driver reported nothing.")
        what = "%s library threads x %s events" % (r.get("threads"), r.get("count"))
        expect_stream(t, run, r, what)
        total = r["threads"] * r["count"]
        t.expect(r.get("calls") == total, "%s: the handler got %s of the %s events."
                 % (what, r.get("calls"), total))
        t.expect(not r.get("wrong_counts"), "%s: the handler did not get %s events from each of "
                 "the library's sources %s." % (what, r.get("count"), r.get("wrong_counts")))
        t.expect(r.get("stop_err") is None, "%s: Stop returned the error %r, although the handler "
                 "never panicked." % (what, r.get("stop_err")))
        t.expect(not r.get("go_tids") and r.get("foreign_tids", 0) >= 1,
                 "%s: the handler ran on %s threads the Go runtime had made and on %s the library "
                 "made. Call the handler inside the callback, on the library's thread: that is "
                 "the thread the library chose, and the one this task is about."
                 % (what, r.get("go_tids"), r.get("foreign_tids")))
        stops = run.c_events("stop")
        t.expect(stops and stops[0].get("delivered") == total,
                 "The library delivered %s events, not %s." % (stops[0].get("delivered") if stops else
                                                            "no", total))
        death = run.death()
        if death:
            t.fail(death)
        t.message = ("All %d events arrived, in order, on %d threads that the C library created: "
                     "cgo attached each of them to the Go runtime for the callback."
                     % (total, r.get("foreign_tids")))


def check_stress(c, run, skipped):
    if not_run(c, TEST_STRESS, run, skipped):
        return
    with c.test(TEST_STRESS) as t:
        t.output = run.step.output
        r = run.result()
        if r is None:
            t.fail(run.step_failure() or run.death() or "The driver reported nothing.")
        total = r.get("total")
        what = "%s library threads x %s events" % (r.get("threads"), r.get("count"))
        expect_stream(t, run, r, what)
        t.expect(r.get("calls") == total, "%s: the handler got %s of the %s events."
                 % (what, r.get("calls"), total))
        t.expect(not r.get("wrong_counts"), "%s: the handler did not get exactly %s events from "
                 "the library's sources %s." % (what, r.get("count"), r.get("wrong_counts")))
        t.expect(r.get("received") == total,
                 "%s: after Stop, Received() said %s. It must count every event that reached Go "
                 "(%s), with a counter that is safe to update on the library's threads "
                 "(sync/atomic)." % (what, r.get("received"), total))
        t.expect(not r.get("backwards"), "Received() went backwards %s times while the driver "
                 "watched it." % r.get("backwards", 0))
        t.expect(r.get("stop_err") is None, "Stop returned the error %r, although the handler never "
                 "panicked." % r.get("stop_err"))
        stops = run.c_events("stop")
        counted = stops[0].get("delivered") if stops else "no"
        t.expect(counted == total, "The library delivered %s events, not %s." % (counted, total))
        death = run.death()
        if death:
            t.fail(death)
        t.message = ("%d callbacks from %d library threads, each counted once and in order, in %d ms."
                     % (total, r.get("threads"), r.get("ms", 0)))


def check_panic(c, run, skipped):
    if not_run(c, TEST_PANIC, run, skipped):
        return
    with c.test(TEST_PANIC) as t:
        t.output = run.step.output
        if run.died and PLANNED in run.died:
            c.report("go", run.died, test=TEST_PANIC)
            t.fail(explain_panic(run.died))
        r = run.result()
        if r is None:
            t.fail(run.step_failure() or run.death() or "The driver reported nothing.")
        expect_stream(t, run, r, "A handler that panics at source 1, event 7", panicking=True)
        stops = run.c_events("stop")
        t.expect(stops and stops[0].get("stopped") == 1,
                 "The handler panicked at source 1, event 7, and the library never got a failure "
                 "status: it went on and delivered %s events. When the exported function recovers "
                 "a panic it must return C.EVENTS_STOP, the status that tells the library to stop."
                 % (stops[0].get("delivered") if stops else "its"))
        t.expect(r.get("stop_err") is not None,
                 "The handler panicked, and Stop returned no error: keep the recovered panic (behind "
                 "the handle, where Stop can find it) and return it from Stop once events_stop has "
                 "returned.")
        after = run.results(step="next run")
        if not after:
            t.fail(run.death() or "The driver never got to the next run after the panic.")
        a = after[0]
        t.expect(a.get("ok") and a.get("calls") == 40 and not a.get("wrong_counts")
                 and a.get("stop_err") is None,
                 "After the run with the panic, the next run (2 sources x 20 events) did not work "
                 "normally: the handler got %s of 40 events, Stop returned %r. %s"
                 % (a.get("calls"), a.get("stop_err"), run.step_failure() or ""))
        death = run.death()
        if death:
            t.fail(death)
        t.message = ("The handler's panic stayed in Go: the library got EVENTS_STOP and ended the "
                     "run, Stop returned the panic as an error (%s), and the next run worked."
                     % r.get("stop_err"))


def check_reentry(c, runs):
    reentered = [e for r in runs.values() for e in r.c_events("reentered")]
    hung = [name for name, r in runs.items() if r.step.timed_out]
    with c.test(TEST_REENTRY, group="Threads") as t:
        if reentered:
            function = reentered[0].get("function")
            t.output = runs[hung[0]].step.output if hung else None
            t.fail("The callback called %s() while the library was delivering an event%s. %s" % (function, ", and the program hung" if hung else "", REENTRY_RULE))
        if hung:
            r = runs[hung[0]]
            t.output = r.step.output
            t.fail("The \"%s\" scenario %s%s: it stopped making progress, and neither the Go "
                   "runtime nor the library said why. A callback that blocks (on a channel "
                   "nobody reads, a mutex that Stop holds, the library's own lock) stalls "
                   "the library, which holds its lock while it calls you. %s"
                   % (hung[0], r.step.describe(), r.where(), REENTRY_RULE))
        t.expect(any(r.c_events("stop") for r in runs.values()),
                 "No stream ran to its end (events_stop was never called), so it could not be "
                 "seen whether the callback stays out of the library.")
        t.message = "No callback called back into the library, and every run ended."


def check_keeps(c, runs):
    reports = [p for r in runs.values() for p in r.panics() if is_cgo_panic(p)]
    if reports:
        c.report("cgocheck", reports[0], test=TEST_KEEPS)
    starts = [e for r in runs.values() for e in r.c_events("start")]
    with c.test(TEST_KEEPS, group="Memory") as t:
        if reports:
            t.output = reports[0]
            t.fail(explain_panic(reports[0]))
        if not starts:
            t.fail(next((r.step_failure() or r.death() for r in runs.values()
                         if r.step_failure() or r.death()), None)
                   or "events_start was never called, so C was given no userdata to keep.")
        pointers = [e["userdata"] for e in starts if in_go_heap(e.get("userdata"))]
        t.expect(not pointers,
                 "Start gave events_start the userdata %s, an address in Go's heap: the library "
                 "keeps it until events_stop, so C holds a Go pointer. The cgo pointer check "
                 "cannot see this when the memory holds no further Go pointers. %s"
                 % (hex(pointers[0]) if pointers else "", HANDLE_RULE))
        values = sorted({e.get("userdata") for e in starts})
        t.message = "The library kept the userdata %s: integers, not Go addresses." % (
            ", ".join(str(v) for v in values[:5]) + (" ..." if len(values) > 5 else ""))


def check_release(c, run, skipped):
    if not_run(c, TEST_RELEASE, run, skipped, group="Memory"):
        return
    with c.test(TEST_RELEASE, group="Memory") as t:
        t.output = run.step.output
        r = run.result()
        if r is None:
            t.fail(run.death() or "The driver reported nothing.")
        if r.get("panic") is not None:
            t.fail("Starting and stopping streams panicked: %s" % explain_panic(
                "panic: %s\n%s" % (r["panic"], run.stack_of(r["panic"]))))
        started, freed = r.get("started", 0), r.get("freed", 0)
        t.expect(started == r.get("streams"), "Only %d of %d streams started." % (started, r.get("streams")))
        t.expect(len(run.c_events("stop")) >= started,
                 "Stop did not call events_stop for every stream: the library's threads and "
                 "memory outlive the stream.")
        t.expect(freed >= started * 0.9,
                 "Only %d of %d stopped streams (and the handlers they hold) could be collected: "
                 "the rest are still reachable through their cgo.Handle. Stop must delete the "
                 "handle, once events_stop has returned." % (freed, started))
        death = run.death()
        if death:
            t.fail(death)
        t.message = "Every stopped stream was released: its handle was deleted after events_stop."


def check_race(c, raced):
    output = clean(raced.output)
    if RACE in output:
        c.report("gorace", raced.output, test=TEST_RACE)
    report = panic_of(raced.output)
    with c.test(TEST_RACE, group="Threads") as t:
        t.output = raced.output
        t.expect(RACE not in output,
                 "The race detector found a data race (its report is below). The library's "
                 "threads run your callback while other goroutines run too: a counter the callback "
                 "updates and Received() reads from another goroutine must be a sync/atomic value "
                 "(or guarded by a mutex). The library's own lock does not count: the race "
                 "detector cannot see C's locks, and Received() does not take it.")
        if report is not None:
            t.fail("Under the race detector: " + explain_panic(report, brief=True))
        t.expect(raced.ok, "Under the race detector the driver %s." % raced.describe())
        t.message = "Built with -race, thousands of callbacks from several threads raised no race report."
