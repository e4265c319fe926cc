"""Check for task 8 (jni track): native methods of class MyMath, implemented in mymath_jni.c.

Runs in the harness's trusted process (docs/writing-a-check.md). The C library (add) comes from
the hidden support/mymath.c and mymath.h. The student's class runs twice: as a program (its
main), and under the hidden FfiLabProbe with -Xcheck:jni, which calls MyMath.add and
MyMath.sumChecked with the cases decided here and reports the results, how many times the
callback ran and how many times the C function add ran, on its channel. HotSpot's -Xcheck:jni
warnings are read from the probe's output (the JVM still exits 0 after them).
"""

import os
import re
from ffilab_harness.jvm import strip_ansi

STUDENT_JAVA = "MyMath.java"
STUDENT_C = "mymath_jni.c"
LIBRARY = "libmymath_jni.so"
CLASSES = "classes"
PROBE_SOURCE = "FfiLabProbe.java"
JAVA_HOME = os.environ.get("JAVA_HOME", "/usr/lib/jvm/java-25-openjdk-amd64")

ADD_CASES = [(2, 3), (40, 2), (-7, 2), (0, 0), (-1000, -24)]
# (id, values, factor): sumChecked(values, v -> factor * v)
SUM_CASES = [("sum-1", [1, 2, 3], 10), ("sum-2", [-4, 5, 100], 3), ("sum-empty", [], 7)]
# (id, values, rejected): the callback throws at the first value equal to rejected
THROW_CASES = [("throw-middle", [1, 2, 3, 4, 5, 6], 3), ("throw-first", [9, 8, 7], 9)]

TEST_COMPILES = "MyMath.java compiles (javac -h)"
TEST_BUILDS = "libmymath_jni.so builds"
TEST_LOADS = "System.loadLibrary loads libmymath_jni.so"
TEST_MAIN = "MyMath prints add(2, 3) = 5"
TEST_ADD = "add(2, 3) == 5 through the C library"
TEST_SUM = "sumChecked sums the callback's results"
TEST_REACHES = "the callback's exception reaches Java"
TEST_STOPS = "no callback after an exception"
TEST_PENDING = "no JNI call with an exception pending (-Xcheck:jni)"
AFTER_BUILD = [TEST_LOADS, TEST_MAIN, TEST_ADD, TEST_SUM, TEST_REACHES, TEST_STOPS, TEST_PENDING]

WARNING_PREFIX = "WARNING in native method: "
PENDING = "JNI call made with exception pending"
UNCHECKED = "JNI call made without checking exceptions when required to"
MAX_REPORTED_WARNINGS = 5

CHECK_ADVICE = (
    "After every JNI call that can run Java code (CallIntMethod and the other Call*Method "
    "functions), ask (*env)->ExceptionCheck(env); when it is true, stop calling into the JVM, "
    "release what you hold (ReleaseIntArrayElements is allowed) and return, so the exception "
    "travels on to the Java caller."
)


def run(c):
    compiled = c.step("compile", ["javac", "-h", ".", "-d", CLASSES, STUDENT_JAVA, PROBE_SOURCE],
                      timeout=40, test=TEST_COMPILES, group="Build")
    if not compiled.ok:
        if PROBE_SOURCE + ":" in compiled.output:
            raise RuntimeError("the hidden probe did not compile: " + compiled.output[-2000:])
        c.skip(TEST_BUILDS, "MyMath.java did not compile, so there is no MyMath.h.", group="Build")
        for name in AFTER_BUILD:
            c.skip(name, "MyMath.java did not compile.")
        return
    built = c.step("build", ["cc", "-O2", "-Wall", "-shared", "-fPIC",
                             "-I" + JAVA_HOME + "/include", "-I" + JAVA_HOME + "/include/linux",
                             "-o", LIBRARY, STUDENT_C, "mymath.c"],
                   timeout=30, test=TEST_BUILDS, group="Build")
    if not built.ok:
        for name in AFTER_BUILD:
            c.skip(name, "%s did not build." % LIBRARY)
        return

    java = ["java", "--enable-native-access=ALL-UNNAMED", "-Djava.library.path=" + c.workdir,
            "-cp", CLASSES]
    main = c.step("run", java + ["MyMath"], timeout=20)

    c.note("The checker now calls your native methods itself, under -Xcheck:jni.", style="\x1b[2m")
    probe = Probe(c.step("probe", [java[0], "-Xcheck:jni"] + java[1:] + ["FfiLabProbe"],
                         timeout=30, channel=True, stdin=probe_input()))

    crash = crash_header(probe.step.output)
    if crash:
        c.report("hotspot", crash)

    with c.test(TEST_LOADS) as t:
        probe.require_class(t)
    check_main(c, main)
    with c.test(TEST_ADD) as t:
        probe.require_method(t, "add")
        judge_add(t, probe)
    with c.test(TEST_SUM) as t:
        probe.require_method(t, "sumChecked")
        judge_sums(t, probe)
    with c.test(TEST_REACHES) as t:
        probe.require_method(t, "sumChecked")
        judge_reaches(t, probe)
    with c.test(TEST_STOPS) as t:
        probe.require_method(t, "sumChecked")
        judge_stops(t, probe)
    check_pending(c, probe)


def probe_input():
    lines = ["add %d %d" % case for case in ADD_CASES]
    for ident, values, factor in SUM_CASES:
        lines.append("sum %s %s %d" % (ident, ",".join(map(str, values)) or "_", factor))
    for ident, values, rejected in THROW_CASES:
        lines.append("throw %s %s %d" % (ident, ",".join(map(str, values)), rejected))
    return "\n".join(lines) + "\n"


# -- the student's own program -------------------------------------------------------------


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


# -- what the probe saw --------------------------------------------------------------------


class Probe:
    def __init__(self, step):
        self.step = step
        self.last_call = None
        self.init = None
        self.methods = None
        self.results = {}
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
            elif kind in ("add", "sum", "throw"):
                self.results[message.get("id")] = message

    def ended_early(self, t):
        t.output = self.step.output
        if self.last_call == "init":
            where = " while loading class MyMath (its static initializer)"
        elif self.last_call and " " in self.last_call:
            where = " during MyMath.add(%s)" % ", ".join(self.last_call.split())
        elif self.last_call:
            where = " during MyMath.sumChecked (case %s)" % self.last_call
        else:
            where = ""
        t.fail("The checker's Java process %s%s.%s"
               % (self.step.describe(), where, error_advice(self.step.output)))

    def require_class(self, t):
        if self.init is None:
            self.ended_early(t)
        if self.init.get("error"):
            t.output = self.step.output
            t.fail("Class MyMath could not be loaded: its static initializer threw %s.%s"
                   % (self.init["error"], error_advice(self.init["error"])))

    def require_method(self, t, name):
        self.require_class(t)
        if self.methods is None:
            self.ended_early(t)
        shape = self.methods.get(name)
        signature = {"add": "public static native int add(int a, int b)",
                     "sumChecked": "public static native int sumChecked(int[] values, "
                                   "IntUnaryOperator check)"}[name]
        t.expect(shape, "MyMath has no method %s; declare `%s`." % (name, signature))
        t.expect(shape.get("static"), "MyMath.%s must be static: `%s`." % (name, signature))
        t.expect(shape.get("native"),
                 "MyMath.%s is not native: declare `%s` and implement it in %s."
                 % (name, signature, STUDENT_C))

    def result(self, t, ident):
        got = self.results.get(ident)
        if got is None:
            self.ended_early(t)
        return got


def judge_add(t, probe):
    for a, b in ADD_CASES:
        shown = "MyMath.add(%d, %d)" % (a, b)
        got = probe.result(t, "%d %d" % (a, b))
        if got.get("error"):
            t.output = probe.step.output
            t.fail("%s threw %s.%s" % (shown, got["error"], error_advice(got["error"])))
        t.expect(got.get("value") == a + b,
                 "%s returned %s; expected %d." % (shown, got.get("value"), a + b))
        t.expect(got.get("nativeCalls", 0) >= 1,
                 "%s returned the right sum, but the C library's add (mymath.h) never ran: "
                 "Java_MyMath_add should call add(a, b) rather than compute the sum itself." % shown)


def judge_sums(t, probe):
    for ident, values, factor in SUM_CASES:
        shown = "MyMath.sumChecked(%s, v -> %d * v)" % (java_array(values), factor)
        got = probe.result(t, ident)
        if got.get("error"):
            t.output = probe.step.output
            t.fail("%s threw %s.%s" % (shown, got["error"], error_advice(got["error"])))
        expected = sum(factor * v for v in values)
        t.expect(got.get("calls") == len(values),
                 "%s called the callback %s times; it should call it once per element (%d)."
                 % (shown, got.get("calls"), len(values)))
        t.expect(got.get("value") == expected,
                 "%s returned %s; expected %d." % (shown, got.get("value"), expected))


def throw_cases(t, probe):
    for ident, values, rejected in THROW_CASES:
        shown = "MyMath.sumChecked(%s, check)" % java_array(values)
        got = probe.result(t, ident)
        if not got.get("threw"):
            t.fail("%s never called the callback with %d, so the checker's callback could not "
                   "throw (it was called %s times)." % (shown, rejected, got.get("calls")))
        yield shown, values, rejected, got


def judge_reaches(t, probe):
    for shown, _, rejected, got in throw_cases(t, probe):
        what = "%s, with a callback that throws at %d," % (shown, rejected)
        if got.get("error") is None:
            t.output = probe.step.output
            t.fail("%s returned %s normally: the exception the callback threw never reached the "
                   "Java caller. Do not clear it (ExceptionClear) in C; just return while it is "
                   "pending and the JVM rethrows it in the caller." % (what, got.get("value")))
        t.expect(got.get("same"),
                 "%s threw %s instead of the callback's own exception (RejectedByChecker). Let the "
                 "pending exception travel on unchanged rather than clearing it and throwing "
                 "another." % (what, got["error"]))


def judge_stops(t, probe):
    for shown, values, rejected, got in throw_cases(t, probe):
        allowed = values.index(rejected) + 1
        calls = got.get("calls")
        t.expect(calls == allowed,
                 "%s: the callback threw at element %d (value %d), but it was called %s times in "
                 "all. The C loop went on calling into Java with the exception pending. %s"
                 % (shown, allowed, rejected, calls, CHECK_ADVICE))


def check_pending(c, probe):
    with c.test(TEST_PENDING) as t:
        blocks = warning_blocks(probe.step.output)
        pending = [b for b in blocks if PENDING in b[0]]
        unchecked = [b for b in blocks if UNCHECKED in b[0]]
        if blocks:
            shown = blocks[:MAX_REPORTED_WARNINGS]
            text = "\n".join("\n".join(b) for b in shown)
            if len(blocks) > len(shown):
                text += "\n[... %d more -Xcheck:jni warnings like these ...]" % (len(blocks) - len(shown))
            c.report("hotspot", text, test=TEST_PENDING)
        t.output = probe.step.output
        if pending:
            t.fail("Under -Xcheck:jni the JVM warned %d time(s): \"%s\" (%s). C kept calling JNI "
                   "functions after the callback had thrown. %s"
                   % (len(pending), PENDING, where(pending[0]), CHECK_ADVICE))
        if unchecked:
            t.fail("Under -Xcheck:jni the JVM warned %d time(s): \"%s\" (%s). A call that can "
                   "throw was followed by another JNI call without asking first. %s"
                   % (len(unchecked), unchecked[0][0][len(WARNING_PREFIX):], where(unchecked[0]),
                      CHECK_ADVICE))
        # Only a run that got as far as a throwing callback can show the warning.
        probe.require_method(t, "sumChecked")
        for _ in throw_cases(t, probe):
            pass


def warning_blocks(output):
    """-Xcheck:jni warnings, each with the Java stack lines printed under it."""
    blocks = []
    for line in strip_ansi(output).splitlines():
        if line.startswith(WARNING_PREFIX):
            blocks.append([line])
        elif blocks and line.startswith("\tat ") and len(blocks[-1]) < 8:
            blocks[-1].append(line)
    return blocks


def where(block):
    frames = [line.strip()[3:] for line in block[1:]]
    return "in " + frames[0] if frames else "no Java frame shown"


# -- helpers -------------------------------------------------------------------------------


def error_advice(text):
    """A hint for the errors a JNI binding typically runs into, or an empty string."""
    text = text or ""
    match = re.search(r"UnsatisfiedLinkError: no (\S+) in java\.library\.path", text)
    if match:
        return (" System.loadLibrary(\"%s\") looks for lib%s.so in java.library.path; the checker "
                "builds %s, so the name to pass is \"mymath_jni\"." % (match.group(1), match.group(1),
                                                                    LIBRARY))
    if "UnsatisfiedLinkError" in text and "MyMath." in text:
        return (" The JVM found no C function for this native method. Its name and parameters "
                "must be exactly the ones javac -h wrote into MyMath.h (Java_MyMath_...), and it "
                "must not be static in C. Is System.loadLibrary called in MyMath's static block?")
    if "FATAL ERROR in native method" in text:
        return " -Xcheck:jni stopped the JVM: see the FATAL ERROR line in the output."
    if "SIGSEGV" in text or "hs_err_pid" in text:
        frame = problematic_frame(text)
        return (" The JVM crashed inside native code%s; the report above has the details."
                % (" at " + frame if frame else ""))
    return ""


def crash_header(output):
    """The '#' block HotSpot prints when native code crashes the JVM, or None."""
    lines = strip_ansi(output).splitlines()
    for i, line in enumerate(lines):
        if "A fatal error has been detected by the Java Runtime Environment" in line:
            start = i - 1 if i and lines[i - 1].strip() == "#" else i
            block = []
            for line in lines[start:start + 40]:
                if not line.startswith("#"):
                    break
                block.append(line)
            return "\n".join(block)
    return None


def problematic_frame(text):
    """The frame HotSpot's crash report names, e.g. `C  [libmymath_jni.so+0x1139]  Java_MyMath_add+0x9`."""
    lines = strip_ansi(text).splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.startswith("# Problematic frame:"):
            return lines[i + 1].lstrip("# ").strip()
    return None


def java_array(values):
    return "new int[] {%s}" % ", ".join(map(str, values))


