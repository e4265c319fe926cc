"""Check for task 5 (go track): the cost of a cgo call, measured with testing.B.

Runs in the harness's trusted process (docs/writing-a-check.md). The student's benchmarks run in
one step, `go test -bench`, whose result lines are parsed here; the raw output also goes to the
server as a "gobench" report. What the source files contain (which benchmarks exist, whether they
loop over b.N, which function carries //go:noinline) is read by ffilab-goinspect, a parser built
into the image that never runs the code.
"""

import json
import re
import statistics

FILES = ("noop.go", "noop_test.go")
CGO_BENCH, GO_BENCH = "BenchmarkCgoNoop", "BenchmarkGoNoop"
BENCH_TIME = "200ms"
COUNT = 3
# The probe of this machine measured ~25x (45-55 ns against 1.5-2 ns); a loaded machine narrows
# the gap but never to this.
MIN_RATIO = 5.0
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
RESULT = re.compile(r"^(Benchmark\S*?)(?:-\d+)?\s+(\d+)\s+(\d+(?:\.\d+)?) ns/op"
                    r"(?:\s+(\d+(?:\.\d+)?) B/op)?(?:\s+(\d+(?:\.\d+)?) allocs/op)?")
HAND_TIMING = ("time.Now", "time.Since", "time.Until")

TEST_BUILD = "noop.go and noop_test.go build"
TEST_CGO = CGO_BENCH + " runs"
TEST_GO = GO_BENCH + " runs"
TEST_HARNESS = "uses the testing.B harness"
TEST_NOINLINE = "the Go no-op is not inlined"
TEST_RATIO = "the cgo call is clearly slower than the Go call"


def run(c):
    c.step("go cache", ["ffilab-go-cache"], timeout=20, show=False, echo=False)
    source = Source(c)

    bench = c.step("benchmark", ["go", "test", "-run", "^$", "-bench", ".", "-benchmem",
                                 "-benchtime", BENCH_TIME, "-count", str(COUNT), "-timeout", "40s",
                                 "."], timeout=50)
    output = clean(bench.output)
    c.report("gobench", bench.output, test=TEST_RATIO)
    results = parse(output)

    built = check_build(c, bench, output)
    cgo = check_ran(c, TEST_CGO, CGO_BENCH, "CgoNoop", source, results, bench, built)
    native = check_ran(c, TEST_GO, GO_BENCH, "GoNoop", source, results, bench, built)
    check_harness(c, source, results, built)
    check_noinline(c, source, native)
    check_ratio(c, cgo, native)


# -- what ffilab-goinspect says about the files -----------------------------------------------


class Source:
    """The functions of noop.go and noop_test.go, as the image's Go parser saw them."""

    def __init__(self, c):
        step = c.step("inspect", ["ffilab-goinspect", *FILES], timeout=20, show=False, echo=False)
        self.errors = {}
        self.funcs = {}  # name -> (file, description)
        try:
            files = json.loads(step.output)["files"]
        except (ValueError, KeyError, TypeError):
            files = []
        self.ok = bool(files)
        for f in files:
            if f.get("error"):
                self.errors[f["name"]] = f["error"]
            for func in f.get("funcs", []):
                if not func.get("recv"):
                    self.funcs.setdefault(func["name"], (f["name"], func))

    def func(self, name):
        return self.funcs.get(name, (None, None))

    def benchmarks(self):
        """Benchmark functions of the _test.go file(s): name -> description."""
        return {name: func for name, (file, func) in self.funcs.items()
                if file.endswith("_test.go") and name.startswith("Benchmark")}

    def reach(self, name):
        """The package functions `name` calls, directly or through other package functions."""
        seen, todo = set(), [name]
        while todo:
            _, func = self.func(todo.pop())
            for call in (func or {}).get("calls", []):
                if call in self.funcs and call not in seen:
                    seen.add(call)
                    todo.append(call)
        return seen

    def uses(self, name, test):
        """Whether function `name`, or a package function it reaches, passes test(func)."""
        return any(test(self.func(n)[1] or {}) for n in {name} | self.reach(name))


def loops_over_n(func):
    return (any(s.endswith(".N") for s in func.get("selectors", []))
            or any(call.endswith(".Loop") for call in func.get("calls", [])))


def hand_timing(func):
    return [call for call in func.get("calls", []) if call in HAND_TIMING]


# -- the benchmark output -------------------------------------------------------------------


def parse(output):
    """name -> list of (iterations, ns/op, B/op, allocs/op), one per -count round."""
    results = {}
    for line in output.splitlines():
        match = RESULT.match(line.strip())
        if match:
            name, n, ns, mem, allocs = match.groups()
            results.setdefault(name, []).append(
                (int(n), float(ns), float(mem) if mem else None, float(allocs) if allocs else None))
    return results


def median_ns(rounds):
    return statistics.median(r[1] for r in rounds)


def check_build(c, bench, output):
    failed = "[build failed]" in output or "[setup failed]" in output
    if not failed:
        c.passed(TEST_BUILD, group="Build")
        return True
    if "use of cgo in test" in output:
        message = ("noop_test.go imports \"C\", and a _test.go file cannot use cgo. Keep cnoop in "
                   "the preamble of noop.go, call it from the Go function CgoNoop there, and "
                   "benchmark CgoNoop.")
    elif "could not determine what C." in output:
        message = ("The compiler does not know a C.<name> you used: cgo reads C code only from "
                   "the comment directly above import \"C\", with no blank line in between.")
    else:
        message = "`go test` could not build the package. The compiler's messages are below."
    c.failed(TEST_BUILD, message, output=bench.output, group="Build")
    return False


def check_ran(c, test, bench_name, target, source, results, bench, built):
    """The test that one benchmark exists and produced a result; returns its median ns/op."""
    rounds = results.get(bench_name)
    ns = median_ns(rounds) if rounds else None
    if ns is not None:
        # Named as the server's "gobench" parser names them, which adds B/op and allocs/op.
        c.metric(bench_name, ns, "ns/op")
    with c.test(test) as t:
        file, func = source.func(bench_name)
        t.expect(func is not None or not source.ok,
                 "noop_test.go has no function %s. Write func %s(b *testing.B) that calls %s() "
                 "b.N times." % (bench_name, bench_name, target))
        t.expect(func is None or file.endswith("_test.go"),
                 "%s is in %s; go test only runs benchmarks from _test.go files: move it to "
                 "noop_test.go." % (bench_name, file))
        t.expect(func is None or func.get("params") == ["*testing.B"],
                 "%s must take exactly one parameter of type *testing.B (it takes %s), or go test "
                 "does not treat it as a benchmark."
                 % (bench_name, ", ".join(func.get("params") or []) or "none") if func else "")
        t.expect(built, "Not run: the package did not build.")
        if ns is None:
            if bench.timed_out:
                t.fail("The benchmarks did not finish in time (%s)." % bench.describe())
            if re.search(r"--- FAIL: %s\b" % bench_name, clean(bench.output)):
                t.fail("%s failed or panicked: see its output below." % bench_name,
                       output=bench.output)
            t.fail("`go test -bench` printed no result line for %s (%s). If the benchmark prints "
                   "something itself, remove that: it breaks the result line."
                   % (bench_name, bench.describe()), output=bench.output)
        t.message = "%s: %.3g ns per call (median of %d rounds)." % (bench_name, ns, len(rounds))
    return ns


def check_harness(c, source, results, built):
    with c.test(TEST_HARNESS) as t:
        benchmarks = {name: func for name, func in source.benchmarks().items()
                      if func.get("params") == ["*testing.B"]}
        t.expect(benchmarks or not source.ok,
                 "noop_test.go has no benchmark (a func BenchmarkXxx(b *testing.B)). Timing calls "
                 "yourself with time.Now in a test, or in main, is exactly what this task replaces: "
                 "`go test -bench .` runs only benchmarks, and with none it prints PASS and ok "
                 "without measuring anything.")
        for name in (CGO_BENCH, GO_BENCH):
            if name in benchmarks:
                t.expect(source.uses(name, loops_over_n),
                         "%s never uses b.N (or b.Loop()). testing.B decides how many calls to "
                         "time: loop `for i := 0; i < b.N; i++` (or `for b.Loop()`) around the "
                         "call, and it divides the time by b.N for you." % name)
        for name, (file, func) in sorted(source.funcs.items()):
            if file.endswith("_test.go"):
                timing = hand_timing(func)
                t.expect(not timing,
                         "%s in %s times calls by hand with %s. Leave the clock to testing.B: it "
                         "starts and stops the timer around your b.N loop and reports ns/op."
                         % (name, file, " and ".join(timing)))
        t.expect(not built or results,
                 "`go test -bench .` ran no benchmark at all: the output has no result lines.")


def check_noinline(c, source, native):
    with c.test(TEST_NOINLINE) as t:
        t.expect(source.ok, "Your files could not be read as Go source.")
        _, func = source.func(GO_BENCH)
        t.expect(func is not None, "Not run: there is no %s." % GO_BENCH)
        called = source.reach(GO_BENCH)
        marked = sorted(name for name in called
                        if "//go:noinline" in (source.func(name)[1] or {}).get("directives", []))
        measured = " (%s measured %.3g ns per call)" % (GO_BENCH, native) if native else ""
        shown = ", ".join(sorted(called)) or "GoNoop"
        t.expect(marked,
                 "%s, which %s calls, has no //go:noinline directive%s. An empty function is "
                 "inlined, so the loop times nothing at all: put the line //go:noinline directly "
                 "above func %s() (no blank line, no space after //)."
                 % (shown, GO_BENCH, measured, sorted(called)[0] if called else "GoNoop"))
        t.message = "%s is marked //go:noinline, so every iteration makes a real call." % ", ".join(marked)


def check_ratio(c, cgo, native):
    with c.test(TEST_RATIO, group="Performance") as t:
        t.expect(cgo is not None and native is not None,
                 "Not run: both benchmarks must produce a result to be compared.")
        t.expect(native > 0, "%s reported 0 ns per call: nothing was timed." % GO_BENCH)
        ratio = cgo / native
        c.metric("cgo / Go", round(ratio, 1), "x", lower_is_better=False)
        t.expect(ratio >= MIN_RATIO,
                 "A cgo call took %.3g ns and a Go call %.3g ns: only %.1f times as long, where a "
                 "crossing into C costs at least %g times a plain call. Does BenchmarkCgoNoop call "
                 "C (through CgoNoop, which must call C.cnoop())? Is the C function empty?"
                 % (cgo, native, ratio, MIN_RATIO))
        t.message = ("A cgo call took %.3g ns, a Go call %.3g ns: crossing into C cost %.0f times "
                     "as much." % (cgo, native, ratio))


def clean(text):
    return ANSI.sub("", text or "")
