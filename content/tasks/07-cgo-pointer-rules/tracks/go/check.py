"""Check for task 7 (go track): keep Go pointers away from C, hand C a cgo.Handle instead.

Runs in the harness's trusted process (docs/writing-a-check.md). The hidden C library
(support/registry.c) reports on the step's channel what it was given and what registryVisit
returned; the runtime's cgo pointer check (GODEBUG=cgocheck=1, the default) and the race detector
judge the program from inside; ffilab-goinspect, a parser built into the image, reads main.go
(never running it) for the handle's Delete. Raw panics and race reports go to the server as
"cgocheck" and "gorace" reports.
"""

import json
import re

SOURCE = "main.go"
PROGRAM = "registry"
EXPECTED_TAGS = 3
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
CGO_POINTER = "cgo argument has Go pointer to unpinned Go pointer"
CGO_PANICS = (CGO_POINTER, "cgo result is unpinned Go pointer", "cgo result has Go pointer",
              "cgo argument has Go pointer", "Go pointer stored into non-Go memory")
RACE = "WARNING: DATA RACE"

TEST_BUILD = "main.go builds"
TEST_CGOCHECK = "runs clean with cgocheck"
TEST_ROUND_TRIP = "C keeps a handle and Go resolves it"
TEST_RACE = "runs clean under the race detector"
TEST_DELETE = "the handle is deleted"

POINTER_RULE = (
    "Go code may pass C a pointer to Go memory only if that memory holds no other Go pointers, "
    "and C may not keep it after the call returns. Your Config holds two (Name and Tags), and the "
    "registry keeps what it gets for a later call. The garbage collector cannot see pointers "
    "stored in C memory, so it may free or reuse what they point to. Pass C an integer instead: "
    "h := cgo.NewHandle(cfg), then C.registry_keep(C.uintptr_t(h)), and resolve it in "
    "registryVisit with cgo.Handle(token).Value()."
)


def run(c):
    c.step("go cache", ["ffilab-go-cache"], timeout=20, show=False, echo=False)
    source = inspect(c)

    build = c.step("build", ["go", "build", "-o", PROGRAM, "."], timeout=90)
    check_build(c, build)
    if not build.ok:
        for name, group in ((TEST_CGOCHECK, "Memory"), (TEST_ROUND_TRIP, "Tests"),
                            (TEST_RACE, "Threads")):
            c.skip(name, "main.go did not build.", group=group)
        check_delete(c, source)
        return

    program = c.step("run", ["./" + PROGRAM], env={"GODEBUG": "cgocheck=1"}, timeout=15,
                     channel=True, echo="GODEBUG=cgocheck=1 ./" + PROGRAM)
    check_cgocheck(c, program, TEST_CGOCHECK, "Memory")
    check_round_trip(c, program)

    c.note("Now the same program built with the race detector.", style="\x1b[2m")
    race_build = c.step("build -race", ["go", "build", "-race", "-o", PROGRAM + "-race", "."],
                        timeout=90)
    if race_build.ok:
        raced = c.step("run -race", ["./" + PROGRAM + "-race"], env={"GODEBUG": "cgocheck=1"},
                       timeout=20, echo="GODEBUG=cgocheck=1 ./" + PROGRAM + "-race")
        check_race(c, raced)
    else:
        c.failed(TEST_RACE, "`go build -race` %s." % race_build.describe(),
                 output=race_build.output, group="Threads")
    check_delete(c, source)


def inspect(c):
    step = c.step("inspect", ["ffilab-goinspect", SOURCE], timeout=20, show=False, echo=False)
    try:
        return json.loads(step.output)["files"][0]
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def calls(source):
    found = set()
    for func in (source or {}).get("funcs", []):
        found.update(func.get("calls", []))
    return found


def clean(text):
    return ANSI.sub("", text or "")


def panic_of(output):
    """The panic or fatal error in a Go program's output (from its first line on), or None."""
    text = clean(output)
    match = re.search(r"^(panic: |fatal error: )", text, re.MULTILINE)
    return text[match.start():] if match else None


def student_line(report):
    """The first main.go line in a Go traceback, as "main.go:22", or None."""
    match = re.search(r"^\s+\S*/main\.go:(\d+)", report or "", re.MULTILINE)
    return "main.go:%s" % match.group(1) if match else None


def explain_panic(report, brief=False):
    """A message for a panic of the program, in the student's terms. brief: without the rule
    (for the tests after the one that explains it)."""
    first = report.splitlines()[0]
    where = student_line(report)
    at = " at %s" % where if where else ""
    if any(p in report for p in CGO_PANICS):
        return "The runtime's cgo pointer check stopped the program%s: \"%s\".%s" % (
            at, first, " See \"%s\"." % TEST_CGOCHECK if brief else " " + POINTER_RULE)
    if "misuse of an invalid Handle" in report:
        return ("The program panicked%s: \"%s\". cgo.Handle(token).Value() got a token that is "
                "not a live handle: one that was never made by cgo.NewHandle (a pointer turned "
                "into an integer, say), or one already deleted. Delete a handle only after C "
                "is done with it." % (at, first))
    if "checkptr" in report:
        return ("The program stopped%s: \"%s\". The race detector also turns on checkptr, which "
                "checks conversions between uintptr and unsafe.Pointer: an integer turned back "
                "into a pointer must point into a live Go allocation, and a Go pointer kept as an "
                "integer (in C, say) is invisible to the garbage collector. Pass C a cgo.Handle "
                "and resolve it with cgo.Handle(token).Value()." % (at, first))
    if "interface conversion" in report:
        return ("The program panicked%s: \"%s\". Value() returns the value exactly as it went "
                "into cgo.NewHandle: assert the same type (here *Config)." % (at, first))
    return "The program panicked%s: \"%s\"." % (at, first)


# -- the tests ----------------------------------------------------------------------------------


def check_build(c, build):
    if build.ok:
        c.passed(TEST_BUILD, group="Build")
        return
    output = clean(build.output)
    if re.search(r"undefined reference to [`']?registryVisit", output):
        message = ("registry.c calls the Go function registryVisit, and the link found none: "
                   "export it with the line //export registryVisit directly above "
                   "func registryVisit(token C.uintptr_t) C.int.")
    elif "conflicting types for" in output and "registryVisit" in output:
        message = ("registryVisit does not match registry.h, which declares it as "
                   "int registryVisit(uintptr_t token): in Go, "
                   "func registryVisit(token C.uintptr_t) C.int.")
    elif "multiple definition of" in output:
        message = ("The linker found a C function defined twice. In a file that uses //export, "
                   "the preamble may only declare C functions (as #include \"registry.h\" does), "
                   "because cgo copies it into two C files.")
    else:
        message = "`go build` %s. The compiler's messages are below." % build.describe()
    c.failed(TEST_BUILD, message, output=build.output, group="Build")


def check_cgocheck(c, program, name, group):
    """The program ran to its end without a cgo pointer panic. Sends any such panic as a report."""
    report = panic_of(program.output)
    cgo_panic = report is not None and any(p in report for p in CGO_PANICS)
    if cgo_panic:
        c.report("cgocheck", report, test=name)
    with c.test(name, group=group) as t:
        t.output = program.output
        if cgo_panic:
            t.fail(explain_panic(report))
        t.expect(not program.timed_out, "The program %s." % program.describe())
        if report is not None:
            t.fail(explain_panic(report))
        t.expect(program.ok, "The program %s." % program.describe())
        t.message = "No Go pointer reached C: the cgo pointer check had nothing to report."


def check_round_trip(c, program):
    events = [m for m in program.messages if isinstance(m, dict)]
    with c.test(TEST_ROUND_TRIP) as t:
        t.output = program.output
        report = panic_of(program.output)
        kinds = [e.get("event") for e in events]
        if report is not None and any(p in report for p in CGO_PANICS):
            t.fail("C never got a value. " + explain_panic(report, brief=True))
        t.expect("keep-pointer" not in kinds,
                 "main.go gave the registry a pointer (C.registry_keep_pointer). Even a pointer "
                 "that gets past the cgo check (pinned with runtime.Pinner, say) ties C to Go's "
                 "memory: this task asks for an integer C can keep as long as it likes. Make a "
                 "handle with h := cgo.NewHandle(cfg), pass C.registry_keep(C.uintptr_t(h)), and "
                 "resolve it in registryVisit with cgo.Handle(token).Value().")
        t.expect("keep" in kinds,
                 "main.go never called C.registry_keep, so C kept nothing%s. Make a handle with "
                 "cgo.NewHandle(cfg) and pass it as C.registry_keep(C.uintptr_t(h))."
                 % (" (the program %s)" % program.describe() if not program.ok else ""))
        keep_at = kinds.index("keep")
        token = events[keep_at].get("token")
        t.expect(isinstance(token, int) and 0 < token < 2 ** 32,
                 "C was given the token %r, which looks like a memory address rather than a "
                 "handle: converting a pointer to uintptr hides it from the cgo check but breaks "
                 "the same rule. Pass the cgo.Handle." % token if token else
                 "C was given the token 0, which no cgo.Handle ever is.")
        fired = [e for e in events[keep_at + 1:] if e.get("event") == "fire"]
        t.expect(fired, "main.go never called C.registry_fire() after registry_keep, so C never "
                 "handed the token back to Go%s."
                 % (" (the program %s)" % program.describe() if not program.ok else ""))
        t.expect(fired[-1].get("token") == token,
                 "C handed back %r, not the token it was given (%r)." % (fired[-1].get("token"), token))
        returned = [e for e in events if e.get("event") == "returned"]
        if not returned:
            why = explain_panic(report) if report else "The program %s." % program.describe()
            t.fail("registryVisit did not return to C. " + why)
        value = returned[-1].get("value")
        t.expect(value == EXPECTED_TAGS,
                 "registryVisit returned %r to C; the Config has %d tags. Resolve the token with "
                 "cgo.Handle(token).Value().(*Config) and return C.int(len(cfg.Tags))."
                 % (value, EXPECTED_TAGS))
        t.expect(program.ok, "The round trip worked, but then the program %s." % program.describe())
        t.message = ("C kept token %d and handed it back; registryVisit resolved it and returned %d."
                     % (token, value))


def check_race(c, raced):
    output = clean(raced.output)
    if RACE in output:
        c.report("gorace", raced.output, test=TEST_RACE)
    report = panic_of(raced.output)
    with c.test(TEST_RACE, group="Threads") as t:
        t.output = raced.output
        t.expect(RACE not in output,
                 "The race detector found a data race (its report is below): two goroutines, or a "
                 "goroutine and a callback from C, touched the same memory without "
                 "synchronisation.")
        if report is not None:
            t.fail("Under the race detector: " + explain_panic(report, brief=True))
        t.expect(raced.ok, "Under the race detector the program %s." % raced.describe())
        t.message = "Built with -race, the program ran without a race report."


def check_delete(c, source):
    with c.test(TEST_DELETE, group="Memory") as t:
        t.expect(source is not None and not source.get("error"),
                 "main.go could not be read as Go source%s."
                 % (": " + source["error"] if source and source.get("error") else ""))
        found = calls(source)
        if "cgo.NewHandle" in found:
            t.expect(any(call.endswith(".Delete") for call in found),
                     "main.go makes a cgo.Handle but never calls its Delete method. A handle keeps "
                     "its value reachable until it is deleted, so every NewHandle needs a Delete "
                     "once C no longer holds the token (h.Delete(), or defer h.Delete()).")
        else:
            t.expect("delete" in found,
                     "main.go makes no cgo.NewHandle (and deletes no map entry): "
                     "there is no handle to delete yet.")
