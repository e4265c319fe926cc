"""Check for task 11 (panama track): libupcall calls back into Java through upcall stubs
(Linker.upcallStub), made by the student's Upcall.java.

Runs in the harness's trusted process (docs/writing-a-check.md). The lab's C library (the same
upcall.c as the other tracks', hidden) is built here. The hidden FfiLabProbe calls
Upcall.forEach / register / fire with functions of its own and reports which values reached
which function, what each call threw, and how many callbacks the C library itself counted
(upcall_calls, read through a downcall into the same loaded library). The three tests run in
three processes, so one crash cannot hide the other results.

What the JVM does with the two classic mistakes (Java 25): a stub whose arena was closed crashes
the JVM with SIGSEGV in `upcall_stub_load_target` and an hs_err file (relayed as a report); an
exception that leaves an upcall makes the JVM print it with "Unrecoverable uncaught exception
encountered. The VM will now exit" and exit with code 1.
"""

import re
from ffilab_harness.jvm import describe_run, relay_hs_err, strip_ansi

STUDENT_FILE = "Upcall.java"
CLASSES = "classes"
PROBE_SOURCE = "FfiLabProbe.java"
JAVA = ["java", "--enable-native-access=ALL-UNNAMED", "-XX:ErrorFile=/tmp/hs_err_%p.log"]

EACH = "for_each calls back for every element in order"
STORED = "stored callback fires after register returned"
RAISE = "exceptions are caught at the boundary"
TESTS = (EACH, STORED, RAISE)

INT_MAX, INT_MIN = 2147483647, -2147483648
EACH_LISTS = [
    [3, 1, 4, 1, 5, 9, 2, 6],
    [],
    [-5, 0, INT_MAX, INT_MIN],
    list(range(-5000, 5000)),
]

UNRECOVERABLE = "Unrecoverable uncaught exception encountered"
ARENA_ADVICE = (
    "An upcall stub is native code owned by the arena you pass to upcallStub: closing the arena "
    "frees it, and C then jumps into freed memory. for_each uses its callback only while it runs, "
    "so a try-with-resources arena around that one call is right there. register_cb keeps the "
    "address for later: make that stub in an arena that stays open (Arena.ofShared() kept in a "
    "static field, or Arena.global()), and close it only once C holds another stub."
)
BOUNDARY_ADVICE = (
    "Catch the exception inside the method the stub calls (try/catch around fn.accept(x)), keep "
    "it, and return UPCALL_FAILED (1) so that C stops; once the C call has returned, throw the "
    "kept exception from forEach or fire. An exception that leaves an upcall cannot unwind "
    "through C's frames: the JVM prints it, says \"%s. The VM will now exit\", and ends the "
    "whole process." % UNRECOVERABLE
)

DIM = "\x1b[2m"


def run(c):
    library = c.step("build libupcall.so", ["cc", "-shared", "-fPIC", "-O2", "-Wall", "-o",
                                            "libupcall.so", "upcall.c"], timeout=30)
    if not library.ok:
        raise RuntimeError("the task's own libupcall.so did not build: " + library.describe())
    # The probe uses Upcall only through reflection: an error in Upcall.java cannot make the
    # probe fail to compile, and the other way round.
    compiled = c.step("compile", ["javac", "-d", CLASSES, STUDENT_FILE, PROBE_SOURCE], timeout=40,
                      test="Upcall.java compiles", group="Build")
    if not compiled.ok:
        if PROBE_SOURCE + ":" in compiled.output:
            raise RuntimeError("the hidden probe did not compile: " + compiled.output[-2000:])
        for name in TESTS:
            c.skip(name, "Upcall.java did not compile.")
        return

    c.note("The checker calls Upcall.forEach with lists of its own.", style=DIM)
    ops = [("each", "each-%d" % n, values) for n, values in enumerate(EACH_LISTS)]
    each = Probe(c, run_probe(c, "forEach", ops))
    with c.test(EACH) as t:
        judge_each(t, each)

    c.note("Now register(), a garbage collection, then fire().", style=DIM)
    ops = [("register", "register-first", "first"), ("gc", "gc-1")]
    ops += [("fire", "fire-first-%d" % x, x) for x in (7, -3, 42)]
    ops += [("register", "register-second", "second"), ("gc", "gc-2")]
    ops += [("fire", "fire-second-%d" % x, x) for x in (5, -8)]
    stored = Probe(c, run_probe(c, "register and fire", ops))
    with c.test(STORED) as t:
        judge_stored(t, stored)

    c.note("Now functions that throw, through forEach and through fire().", style=DIM)
    ops = [("eachthrow", "each-throw", [1, 2, 3, 4, 5], 3),
           ("each", "each-after", [7, 8, 9]),
           ("register", "register-thrower", "thrower", 13),
           ("fire", "fire-1", 1), ("fire", "fire-13", 13), ("fire", "fire-2", 2)]
    raising = Probe(c, run_probe(c, "throwing functions", ops))
    with c.test(RAISE) as t:
        judge_raise(t, raising)


def run_probe(c, name, ops):
    lines = []
    for op in ops:
        kind, ident = op[0], op[1]
        if kind in ("each", "eachthrow"):
            values = ",".join(str(v) for v in op[2]) or "_"
            lines.append(" ".join([kind, ident, values] + [str(x) for x in op[3:]]))
        else:
            lines.append(" ".join([kind, ident] + [str(x) for x in op[2:]]))
    return c.step(name, JAVA + ["-cp", CLASSES, "FfiLabProbe"], timeout=30, channel=True,
                  env={"LD_LIBRARY_PATH": c.workdir}, stdin="\n".join(lines) + "\n")


# -- judging ---------------------------------------------------------------------------------


def shown_list(values):
    if len(values) <= 8:
        return "[%s]" % ", ".join(str(v) for v in values)
    return "<%d values from %d to %d>" % (len(values), values[0], values[-1])


def judge_each(t, probe):
    probe.require_methods(t)
    for n, values in enumerate(EACH_LISTS):
        got = probe.result(t, "each-%d" % n)
        shown = "Upcall.forEach(%s, fn)" % shown_list(values)
        if got.get("error"):
            t.fail("%s threw %s.%s" % (shown, got["error"], advice(got["error"])))
        calls = (got.get("calls") or {}).get("each-%d" % n) or {}
        count = calls.get("count", 0)
        if count != len(values) or not got.get("sameAsInput"):
            t.fail("%s: fn received %d value(s)%s; expected every element, in order (%d)."
                   % (shown, count, ", starting %s" % calls.get("values") if count else "",
                      len(values)))
        t.expect(got.get("cCalls") == len(values),
                 "%s: fn received every element, but the C library made %s callbacks instead of "
                 "%d: pass fn to for_each as an upcall stub, and let C make the calls."
                 % (shown, got.get("cCalls"), len(values)))
    t.message = "Every element reached fn in order, each call made by C, for lists of up to 10,000 values."


def judge_stored(t, probe):
    probe.require_methods(t)
    for name in ("first", "second"):
        got = probe.result(t, "register-" + name)
        if got.get("error"):
            t.fail("Upcall.register(%s) threw %s.%s" % (name, got["error"], advice(got["error"])))
        xs = (7, -3, 42) if name == "first" else (5, -8)
        for x in xs:
            shown = "Upcall.fire(%d) after Upcall.register(%s) had returned" % (x, name)
            got = probe.result(t, "fire-%s-%d" % (name, x))
            if got.get("error"):
                t.fail("%s threw %s.%s" % (shown, got["error"], advice(got["error"])))
            calls = got.get("calls") or {}
            reached = {who: seen.get("values") for who, seen in calls.items()}
            if reached != {name: [x]}:
                other = [who for who in reached if who != name]
                detail = ("reached %s instead" % ", ".join(other)) if other else "reached no function"
                hint = ""
                if name == "second" and "first" in reached:
                    hint = " register must replace the function C calls."
                t.fail("%s: the value %s; expected it to reach %s, once.%s" % (shown, detail, name, hint))
            t.expect(got.get("cCalls") == 1,
                     "%s: %s reached %s, but the C library made %s callbacks: fire must call C's "
                     "fire, and C must call the stub register_cb received."
                     % (shown, x, name, got.get("cCalls")))
    t.message = "fire() reached the function registered last, through C, after a garbage collection."


def judge_raise(t, probe):
    probe.require_methods(t)
    got = probe.result(t, "each-throw")
    shown = "Upcall.forEach([1, 2, 3, 4, 5], fn) with fn throwing at 3"
    calls = ((got.get("calls") or {}).get("each-throw") or {})
    if not got.get("error"):
        if not calls.get("count"):
            t.fail("%s returned normally, and fn was never called (see '%s')." % (shown, EACH))
        t.fail("%s returned normally after fn received %s: the exception fn threw never reached "
               "the caller. %s" % (shown, calls.get("values"), BOUNDARY_ADVICE))
    t.expect(got.get("same"),
             "%s threw %s instead of fn's own exception (IllegalStateException: the checker's "
             "function ... rejects 3). Throw the exception object fn threw, unchanged."
             % (shown, got["error"].splitlines()[0]))
    t.expect(calls.get("values") == [1, 2, 3] and got.get("cCalls") == 3,
             "%s: fn received %s and C made %s callbacks; C should stop right after 3, so return "
             "UPCALL_FAILED from the callback when fn throws." % (shown, calls.get("values"),
                                                                  got.get("cCalls")))
    got = probe.result(t, "each-after")
    t.expect(not got.get("error") and got.get("sameAsInput"),
             "Upcall.forEach([7, 8, 9], fn) after that: %s." % (got.get("error") or
                                                                 "fn did not receive 7, 8, 9"))
    got = probe.result(t, "register-thrower")
    if got.get("error"):
        t.fail("Upcall.register(thrower) threw %s.%s" % (got["error"], advice(got["error"])))
    for x in (1, 13, 2):
        got = probe.result(t, "fire-%d" % x)
        shown = "Upcall.fire(%d) with a registered function that throws at 13" % x
        if x == 13:
            if not got.get("error"):
                t.fail("%s returned normally: the exception never reached the caller. %s"
                       % (shown, BOUNDARY_ADVICE))
            t.expect(got.get("same"), "%s threw %s instead of the registered function's own "
                     "exception." % (shown, got["error"].splitlines()[0]))
        else:
            t.expect(not got.get("error"), "%s threw %s; only fire(13) should throw."
                     % (shown, (got.get("error") or "").splitlines()[0] if got.get("error") else ""))
    t.message = ("C stopped at the failing element, and forEach and fire threw the function's own "
                 "exception; the calls after worked normally.")


def advice(text):
    text = text or ""
    if "Already closed" in text:
        return (" An arena was used after it had been closed: " + ARENA_ADVICE)
    if "WrongThreadException" in text:
        return (" A confined arena may only be used and closed by the thread that created it: use "
                "Arena.ofShared() for the stored stub.")
    if "WrongMethodTypeException" in text:
        return (" invokeExact needs exactly the descriptor's types at the call site, result "
                "included: `(int) FOR_EACH.invokeExact(xs, n, stub)`.")
    if "Cannot open library" in text or "cannot open shared object" in text:
        return " The library is libupcall.so in the working folder: SymbolLookup.libraryLookup(Path.of(\"libupcall.so\"), Arena.global())."
    if "NoSuchMethodError" in text:
        return " Keep the starter's public static methods: forEach(int[], IntConsumer), register(IntConsumer), fire(int)."
    if "NullPointerException" in text:
        return " Is a MethodHandle or the stored state still null (a TODO left)?"
    return ""


# -- what the probe saw ----------------------------------------------------------------------


class Probe:
    def __init__(self, c, step):
        self.step = step
        self.last_call = None
        self.init = None
        self.methods = None
        self.done = False
        self.results = {}
        self.duplicates = set()
        for message in step.messages:
            if not isinstance(message, dict):
                continue
            kind = message.get("kind")
            if kind == "calling":
                self.last_call = message.get("id")
            elif kind == "init":
                self.init = message
            elif kind == "methods":
                self.methods = message
            elif kind == "done":
                self.done = True
            elif kind == "result":
                if message.get("id") in self.results:
                    self.duplicates.add(message.get("id"))
                self.results[message.get("id")] = message
        self.hs_err = relay_hs_err(c, step) if step.crashed else None

    def where(self):
        call = self.last_call or ""
        if call == "init":
            return " while loading class Upcall (its static initializer)"
        match = re.match(r"fire-(?:first|second)?-?(-?\d+)$", call)
        if match:
            return " during Upcall.fire(%s)" % match.group(1)
        if call.startswith("register-"):
            return " during Upcall.register(%s)" % call[len("register-"):]
        if call.startswith("each"):
            return " during Upcall.forEach"
        if call.startswith("gc"):
            return " during a garbage collection, after Upcall.register had returned"
        return ""

    def crash_advice(self):
        text = strip_ansi(self.step.output)
        if UNRECOVERABLE in text:
            return (" An exception left the method an upcall stub calls: the JVM printed it and "
                    "ended the process. " + BOUNDARY_ADVICE)
        if "upcall_stub_load_target" in text or (self.hs_err and "upcall_stub" in self.hs_err):
            return (" The JVM crashed inside an upcall stub: C called a stub whose arena had been "
                    "closed. " + ARENA_ADVICE)
        if self.step.crashed and self.last_call and self.last_call.startswith("fire"):
            return (" C crashed calling the stored function pointer: most likely its stub was "
                    "freed with its arena. " + ARENA_ADVICE)
        if self.step.crashed:
            return (" The JVM crashed in native code: the lines starting with # in the output name "
                    "the problematic frame.")
        return ""

    def ended_early(self, t):
        t.output = self.step.output
        if self.step.ok:
            t.fail("The checker's Java process exited with code 0 before it had made all its "
                   "calls%s: something in Upcall ended the process (System.exit?)." % self.where())
        t.fail("The checker's Java process %s%s.%s"
               % (describe_run(self.step), self.where(), self.crash_advice()))

    def require_methods(self, t):
        t.output = self.step.output
        if self.init is None:
            self.ended_early(t)
        if self.init.get("error"):
            t.fail("Class Upcall could not be loaded: its static initializer threw %s.%s"
                   % (self.init["error"], advice(self.init["error"])))
        if self.methods is None:
            self.ended_early(t)
        for name, signature in (("forEach", "public static void forEach(int[] values, IntConsumer fn)"),
                                ("register", "public static void register(IntConsumer fn)"),
                                ("fire", "public static void fire(int x)")):
            shape = self.methods.get(name)
            t.expect(shape and shape.get("static"),
                     "Upcall has no method `%s`; keep it from the starter: the checker calls it."
                     % signature)

    def result(self, t, ident):
        got = self.results.get(ident)
        if got is None:
            self.ended_early(t)
        t.expect(ident not in self.duplicates,
                 "The checker received more than one report for the same call: something in the "
                 "process wrote into the checker's private channel.", output=self.step.output)
        return got


