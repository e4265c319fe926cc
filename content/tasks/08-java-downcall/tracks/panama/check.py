"""Check for task 8 (panama track): MyMath.add calls the C function add through java.lang.foreign.

Runs in the harness's trusted process (docs/writing-a-check.md). The C library comes from the
hidden support/mymath.c. The student's class runs twice: once as a program (its main), once
under the hidden FfiLabProbe, which calls MyMath.add with the cases decided here and reports the
results, and how many times the C function ran, on its channel; the judging happens here.
"""

import re
from ffilab_harness.jvm import strip_ansi

STUDENT_FILE = "MyMath.java"
CLASSES = "classes"
PROBE_SOURCE = "FfiLabProbe.java"
# --enable-native-access: without it Java 25 prints a four-line "restricted method" warning.
JAVA = ["java", "--enable-native-access=ALL-UNNAMED"]

POSITIVE = [(2, 3), (40, 2), (0, 0), (1000000, 234567)]
NEGATIVE = [(-7, 2), (-1, -1), (5, -9), (-1000000, 1)]

TEST_COMPILES = "MyMath.java compiles"
TEST_MAIN = "MyMath prints add(2, 3) = 5"
TEST_POSITIVE = "add(2, 3) == 5 through libmymath.so"
TEST_NEGATIVE = "negative sums: add(-7, 2) == -5"

LONG_ADVICE = (
    "C's int is 32 bits wide. A FunctionDescriptor that returns JAVA_LONG makes Java read all 64 "
    "bits of the return register, and the upper 32 bits are not part of an int result: they "
    "happen to be zero here, so small positive sums look right and every negative one comes back "
    "2^32 too large. Describe the result as ValueLayout.JAVA_INT and return an int."
)


def run(c):
    library = c.step("build libmymath.so", ["cc", "-O2", "-shared", "-fPIC", "-o", "libmymath.so",
                                            "mymath.c"], timeout=30)
    if not library.ok:
        raise RuntimeError("the task's own libmymath.so did not build: " + library.describe())
    # One javac for both (a JVM start saved): the probe uses MyMath only through reflection, so
    # an error in MyMath.java cannot make the probe fail to compile, and the other way round.
    compiled = c.step("compile", ["javac", "-d", CLASSES, STUDENT_FILE, PROBE_SOURCE], timeout=40,
                      test=TEST_COMPILES, group="Build")
    if not compiled.ok:
        if PROBE_SOURCE + ":" in compiled.output:
            raise RuntimeError("the hidden probe did not compile: " + compiled.output[-2000:])
        for name in (TEST_MAIN, TEST_POSITIVE, TEST_NEGATIVE):
            c.skip(name, "MyMath.java did not compile.")
        return

    env = {"LD_LIBRARY_PATH": c.workdir}
    main = c.step("run", JAVA + ["-cp", CLASSES, "MyMath"], timeout=20, env=env)
    check_main(c, main)

    c.note("The checker now calls MyMath.add with values of its own.", style="\x1b[2m")
    cases = POSITIVE + NEGATIVE
    probe = Probe(c.step("probe", JAVA + ["-cp", CLASSES, "FfiLabProbe"],
                         timeout=20, env=env, channel=True,
                         stdin="".join("%d %d\n" % case for case in cases)))
    with c.test(TEST_POSITIVE) as t:
        probe.require_add(t)
        judge(t, probe, POSITIVE)
    with c.test(TEST_NEGATIVE) as t:
        probe.require_add(t)
        judge(t, probe, NEGATIVE)


def check_main(c, main):
    with c.test(TEST_MAIN) as t:
        t.output = main.output
        t.expect(main.ok, "`java MyMath` %s.%s" % (main.describe(), error_advice(main.output)))
        printed = None
        for line in main.output.splitlines():
            match = re.search(r"add\(\s*2\s*,\s*3\s*\)\s*=\s*(\S+)", strip_ansi(line))
            if match:
                printed = match.group(1)
        t.expect(printed is not None, "No line `add(2, 3) = <result>` in the output of `java MyMath`.")
        t.expect(printed == "5", "`java MyMath` printed add(2, 3) = %s; expected 5." % printed)


def judge(t, probe, cases):
    for a, b in cases:
        shown = "MyMath.add(%d, %d)" % (a, b)
        got = probe.results.get("%d %d" % (a, b))
        if got is None:
            probe.ended_early(t)
        if got.get("error"):
            t.fail("%s threw %s.%s" % (shown, got["error"], error_advice(got["error"])))
        value, expected = got.get("value"), a + b
        if value != expected:
            advice = ""
            if value is not None and value - expected == 1 << 32:
                advice = " That is exactly 2^32 more than the right answer. " + LONG_ADVICE
            elif probe.returns not in ("int", "long"):
                advice = " MyMath.add should return an int."
            t.fail("%s returned %s; expected %d.%s" % (shown, value, expected, advice))
        t.expect(got.get("nativeCalls", 0) >= 1,
                 "%s returned the right sum, but the C function add in libmymath.so never ran: "
                 "MyMath.add must call it through the downcall handle, not compute the sum in Java."
                 % shown)


class Probe:
    """What the probe step reported."""

    def __init__(self, step):
        self.step = step
        self.last_call = None
        self.init = None
        self.method = None
        self.results = {}
        for message in step.messages:
            if not isinstance(message, dict):
                continue
            kind = message.get("kind")
            if kind == "calling":
                self.last_call = message.get("id")
            elif kind == "init":
                self.init = message
            elif kind == "method":
                self.method = message
            elif kind == "result":
                self.results[message.get("id")] = message
        self.returns = (self.method or {}).get("returns")

    def ended_early(self, t):
        t.output = self.step.output
        if self.last_call == "init":
            where = " while loading class MyMath (its static initializer)"
        elif self.last_call:
            where = " during MyMath.add(%s)" % ", ".join(self.last_call.split())
        else:
            where = ""
        t.fail("The checker's Java process %s%s.%s"
               % (self.step.describe(), where, error_advice(self.step.output)))

    def require_add(self, t):
        if self.init is None:
            self.ended_early(t)
        if self.init.get("error"):
            t.output = self.step.output
            t.fail("Class MyMath could not be loaded: its static initializer threw %s.%s"
                   % (self.init["error"], error_advice(self.init["error"])))
        if self.method is None:
            self.ended_early(t)
        if not self.method.get("present"):
            t.fail("MyMath has no %smethod add(int, int). Keep `public static int add(int a, int b)`"
                   " from the starter: the checker calls it directly."
                   % ("static " if self.method.get("static") else ""))


def error_advice(text):
    """A hint for the errors a Panama binding typically runs into, or an empty string."""
    text = text or ""
    if "Already closed" in text:
        return (" The arena you passed to SymbolLookup.libraryLookup was closed, and with it the "
                "library was unloaded: the address of add is no longer valid. Use an arena that "
                "stays open as long as the handle is used, such as Arena.global() or one kept in "
                "a static field.")
    if "WrongMethodTypeException" in text:
        return (" invokeExact needs the exact types of the FunctionDescriptor at the call site: "
                "cast the result to the descriptor's type, e.g. `(int) ADD.invokeExact(a, b)`.")
    if "Cannot open library" in text or "cannot open shared object" in text:
        return (" The library is libmymath.so in the working directory: "
                "SymbolLookup.libraryLookup(Path.of(\"libmymath.so\"), arena).")
    if "NoSuchElementException" in text:
        return " SymbolLookup.find did not find the symbol: the C function is called add."
    if "NullPointerException" in text:
        return " Is the MethodHandle still null (the TODO in the static initializer)?"
    if "restricted method" in text.lower() or "IllegalCallerException" in text:
        return " The checker runs java with --enable-native-access=ALL-UNNAMED."
    if "SIGSEGV" in text or "hs_err_pid" in text:
        frame = problematic_frame(text)
        return (" The JVM crashed inside native code%s; the report above has the details."
                % (" at " + frame if frame else ""))
    return ""


def problematic_frame(text):
    """The frame HotSpot's crash report names, e.g. `C  [libmymath_jni.so+0x1139]  Java_MyMath_add+0x9`."""
    lines = strip_ansi(text).splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.startswith("# Problematic frame:"):
            return lines[i + 1].lstrip("# ").strip()
    return None


