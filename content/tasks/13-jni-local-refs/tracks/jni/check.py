"""Check for task 13 (jni track): LocalRefs.sumWithDelete and sumWithFrame, native loops that make
a Java object (a Reading) per iteration and must not keep its local reference.

Runs in the harness's trusted process (docs/writing-a-check.md). What today's HotSpot really does
with leaked local references (checked on Java 25): nothing visible at 100,000 of them, not even a
-Xcheck:jni warning; the per-thread table simply grows. What they do cost is memory: every
local reference keeps its object reachable until the native method returns. So the check runs
the hidden FfiLabProbe three times:

- with n = 100,000 (the number the course names): right sums, every Reading really made and
  used;
- under -Xcheck:jni with n = 1,000: no JNI warning. (Its checks walk the thread's local
  references, so a loop that keeps them gets slower with every iteration: 100,000 frames never
  popped took 25 s.)
- each loop alone with n = 3,000,000 under -Xmx32m: 3,000,000 Readings that stay reachable need
  about 72 MB, so a loop that keeps its references ends in OutOfMemoryError, and a loop that
  frees them needs almost no heap at all.
"""

import os
import re
from ffilab_harness.jvm import describe_run, jni_messages, relay_hs_err, strip_ansi

STUDENT_JAVA = "LocalRefs.java"
STUDENT_C = "localrefs_jni.c"
LIBRARY = "liblocalrefs_jni.so"
CLASSES = "classes"
SUPPORT_JAVA = ["Reading.java", "FfiLabProbe.java"]
JAVA_HOME = os.environ.get("JAVA_HOME", "/usr/lib/jvm/java-25-openjdk-amd64")

SMALL_N = 100_000
XCHECK_N = 1_000
BIG_N = 3_000_000
SMALL_HEAP_MB = 32
READING_BYTES = 24  # a Reading on 64-bit HotSpot with compressed pointers: 12-byte header + int + long

TEST_COMPILES = "LocalRefs.java compiles (javac -h)"
TEST_BUILDS = "liblocalrefs_jni.so builds"
TEST_LOADS = "System.loadLibrary loads liblocalrefs_jni.so"
TEST_DELETE_RIGHT = "sumWithDelete(100000) returns the right sum"
TEST_FRAME_RIGHT = "sumWithFrame(100000) returns the right sum"
TEST_XCHECK = "no -Xcheck:jni warnings or errors"
TEST_DELETE_FREES = "sumWithDelete frees each local reference"
TEST_FRAME_FREES = "sumWithFrame frees each iteration's frame"
AFTER_BUILD = [(TEST_LOADS, "Tests"), (TEST_DELETE_RIGHT, "Tests"), (TEST_FRAME_RIGHT, "Tests"),
               (TEST_XCHECK, "Tests"), (TEST_DELETE_FREES, "Memory"), (TEST_FRAME_FREES, "Memory")]

METHODS = {"delete": "sumWithDelete", "frame": "sumWithFrame"}

OOM_EXPLAINED = (
    "Each Reading is about %d bytes, so %s Readings that stay reachable need about %d MB, and the "
    "heap was limited to %s. A Reading is garbage as soon as your loop is done with it, but the "
    "garbage collector cannot take an object while a local reference still points to it, and "
    "every local reference lives until the native method returns (or until you delete it). Today's "
    "HotSpot does not stop you at some fixed number of local references: it grows the table and "
    "keeps every object alive, until the heap runs out."
    % (READING_BYTES, "{:,}".format(BIG_N), READING_BYTES * BIG_N // 1_000_000, "%d MB" % SMALL_HEAP_MB)
)
DELETE_ADVICE = ("In sumWithDelete, call (*env)->DeleteLocalRef(env, reading) at the end of every "
                 "iteration, once you have read its value.")
FRAME_ADVICE = ("In sumWithFrame, open a frame at the start of every iteration "
                "((*env)->PushLocalFrame(env, 4)) and close it at the end of the same iteration "
                "((*env)->PopLocalFrame(env, NULL)), on every path out of the iteration. One frame "
                "around the whole loop frees nothing until the loop is over.")
CHECK_ADVICE = ("After every Call*Method, ask (*env)->ExceptionCheck(env) before the next JNI call, "
                "and return (after popping a frame you pushed) when an exception is pending.")

DIM = "\x1b[2m"


def run(c):
    compiled = c.step("compile", ["javac", "-h", ".", "-d", CLASSES, STUDENT_JAVA] + SUPPORT_JAVA,
                      timeout=40, test=TEST_COMPILES, group="Build")
    if not compiled.ok:
        if any(name + ":" in compiled.output for name in SUPPORT_JAVA):
            raise RuntimeError("a hidden Java file did not compile: " + compiled.output[-2000:])
        c.skip(TEST_BUILDS, "LocalRefs.java did not compile, so there is no LocalRefs.h.", group="Build")
        for name, group in AFTER_BUILD:
            c.skip(name, "LocalRefs.java did not compile.", group=group)
        return
    built = c.step("build", ["cc", "-O2", "-Wall", "-shared", "-fPIC",
                             "-I" + JAVA_HOME + "/include", "-I" + JAVA_HOME + "/include/linux",
                             "-o", LIBRARY, STUDENT_C],
                   timeout=30, test=TEST_BUILDS, group="Build")
    if not built.ok:
        for name, group in AFTER_BUILD:
            c.skip(name, "%s did not build." % LIBRARY, group=group)
        return

    java = ["java", "--enable-native-access=ALL-UNNAMED", "-XX:ErrorFile=/tmp/hs_err_%p.log",
            "-Djava.library.path=" + c.workdir, "-cp", CLASSES]
    c.note("The checker now calls both loops with n = %s." % "{:,}".format(SMALL_N), style=DIM)
    small = Probe(c, c.step("probe", java + ["FfiLabProbe"], timeout=20, channel=True,
                            stdin="delete small-delete %d\nframe small-frame %d\n" % (SMALL_N, SMALL_N)))
    c.note("... and with n = %s under -Xcheck:jni, which checks every JNI call your C code makes "
           "(its output is kept for the verdict rather than shown here: a broken loop can make it "
           "print a warning per iteration)." % "{:,}".format(XCHECK_N), style=DIM)
    xcheck = Probe(c, c.step("probe -Xcheck:jni", [java[0], "-Xcheck:jni"] + java[1:] + ["FfiLabProbe"],
                             timeout=20, channel=True, show=False,
                             stdin="delete xcheck-delete %d\nframe xcheck-frame %d\n" % (XCHECK_N, XCHECK_N)))
    c.note("-Xcheck:jni run: %s; %d JNI warning(s) or error(s)."
           % (describe_run(xcheck.step), len(jni_messages(xcheck.step.output))), style=DIM)
    big = {}
    for kind in ("delete", "frame"):
        c.note("Now %s alone with n = %s, in a JVM with a %d MB heap (-Xmx%dm)."
               % (METHODS[kind], "{:,}".format(BIG_N), SMALL_HEAP_MB, SMALL_HEAP_MB), style=DIM)
        big[kind] = Probe(c, c.step("%s, n = %s, -Xmx%dm" % (METHODS[kind], "{:,}".format(BIG_N), SMALL_HEAP_MB),
                                    [java[0], "-Xmx%dm" % SMALL_HEAP_MB] + java[1:] + ["FfiLabProbe"],
                                    timeout=20, channel=True,
                                    stdin="%s big-%s %d\n" % (kind, kind, BIG_N)))

    with c.test(TEST_LOADS) as t:
        small.require_class(t)
        t.expect(small.init.get("loaded"),
                 "Class LocalRefs loaded, but %s was not loaded with it. Put "
                 "System.loadLibrary(\"localrefs_jni\") in LocalRefs' static block." % LIBRARY)
    for kind, name in (("delete", TEST_DELETE_RIGHT), ("frame", TEST_FRAME_RIGHT)):
        with c.test(name) as t:
            small.require_method(t, METHODS[kind])
            judge_sum(t, small, small.result(t, "small-" + kind), SMALL_N)
    with c.test(TEST_XCHECK) as t:
        judge_xcheck(c, t, xcheck)
    for kind, name in (("delete", TEST_DELETE_FREES), ("frame", TEST_FRAME_FREES)):
        with c.test(name, group="Memory") as t:
            probe = big[kind]
            probe.require_method(t, METHODS[kind])
            got = probe.result(t, "big-" + kind)
            judge_big(t, probe, got, kind)


# -- judging ---------------------------------------------------------------------------------


def judge_sum(t, probe, got, n):
    shown = "LocalRefs.%s(%d)" % (got.get("method"), n)
    if got.get("error"):
        t.output = probe.step.output
        t.fail("%s threw %s.%s" % (shown, got["error"], exception_advice(got["error"])))
    expected = n * n
    t.expect(got.get("created") == n,
             "%s made %s Readings; it should call Reading.of(i) once for every i from 0 to %d, %d "
             "times in all." % (shown, got.get("created"), n - 1, n))
    t.expect(got.get("valueCalls") == n,
             "%s called value() %s times; it should read the value of every Reading it makes "
             "(%d times)." % (shown, got.get("valueCalls"), n))
    t.expect(got.get("value") == expected,
             "%s returned %s; expected %d (the sum of 2 * i + 1 for i = 0 .. %d)."
             % (shown, got.get("value"), expected, n - 1))
    t.message = "%s = %d; %d Readings made and read in %.0f ms." % (shown, expected, n, got["micros"] / 1000.0)


def judge_big(t, probe, got, kind):
    method = METHODS[kind]
    shown = "LocalRefs.%s(%s) with -Xmx%dm" % (method, "{:,}".format(BIG_N), SMALL_HEAP_MB)
    advice = DELETE_ADVICE if kind == "delete" else FRAME_ADVICE
    error = got.get("error") or ""
    if "OutOfMemoryError" in error:
        t.output = probe.step.output
        detail = ""
        if "Java heap space" not in error and "GC overhead" not in error:
            detail = " (%s)" % error.splitlines()[0]
        t.fail("%s threw java.lang.OutOfMemoryError%s after %s Readings: your loop keeps every "
               "Reading it made alive. %s %s" % (shown, detail, "{:,}".format(got.get("created") or 0),
                                                  OOM_EXPLAINED, advice))
    if error:
        t.output = probe.step.output
        t.fail("%s threw %s.%s" % (shown, error, exception_advice(error)))
    t.expect(got.get("created") == BIG_N and got.get("value") == BIG_N * BIG_N,
             "%s returned %s after making %s Readings; expected %d from %d Readings."
             % (shown, got.get("value"), got.get("created"), BIG_N * BIG_N, BIG_N))
    t.message = "%s Readings in a %d MB heap: %.0f ms." % ("{:,}".format(BIG_N), SMALL_HEAP_MB,
                                                          got["micros"] / 1000.0)


def judge_xcheck(c, t, probe):
    step = probe.step
    t.output = step.output
    blocks = jni_messages(step.output)
    if blocks:
        shown = blocks[:5]
        text = "\n".join("\n".join(b) for b in shown)
        if len(blocks) > len(shown):
            text += "\n[... %d more -Xcheck:jni messages like these ...]" % (len(blocks) - len(shown))
        c.report("hotspot", text, test=TEST_XCHECK)
        first = blocks[0][0]
        t.fail("Under -Xcheck:jni the JVM printed %d message(s); the first: \"%s\". %s"
               % (len(blocks), first, xcheck_advice(first)))
    if step.timed_out:
        t.fail("Under -Xcheck:jni the checker's Java process %s%s. A correct loop of %s iterations "
               "takes well under a second there; -Xcheck:jni gets slower with every local reference "
               "or local frame the thread still holds, so a loop that keeps them crawls. %s %s"
               % (describe_run(step), probe.where(), "{:,}".format(XCHECK_N), DELETE_ADVICE, FRAME_ADVICE))
    if not step.ok:
        t.fail("Under -Xcheck:jni the checker's Java process %s%s.%s"
               % (describe_run(step), probe.where(), probe.crash_advice()))
    if not probe.done:
        t.fail("Under -Xcheck:jni the checker could not make all its calls%s." % probe.where())
    for kind in ("delete", "frame"):
        got = probe.results.get("xcheck-" + kind) or {}
        if got.get("error") or got.get("value") != XCHECK_N * XCHECK_N:
            t.fail("Under -Xcheck:jni, LocalRefs.%s(%d) %s (see '%s')."
                   % (METHODS[kind], XCHECK_N,
                      "threw " + got["error"] if got.get("error") else "returned %s" % got.get("value"),
                      TEST_DELETE_RIGHT if kind == "delete" else TEST_FRAME_RIGHT))


def xcheck_advice(line):
    if "without checking exceptions" in line or "exception pending" in line:
        return CHECK_ADVICE
    if "PopLocalFrame" in line or "frame" in line.lower():
        return ("Every PushLocalFrame needs exactly one PopLocalFrame, on every path out of the "
                "iteration.")
    if "Bad global or local ref" in line or "Invalid local JNI handle" in line:
        return ("A reference was used after it was deleted or after its frame was popped: read the "
                "value before DeleteLocalRef / PopLocalFrame.")
    return "The message names the JNI rule your C code broke; the lines under it show where."


def exception_advice(text):
    text = text or ""
    match = re.search(r"UnsatisfiedLinkError: no (\S+) in java\.library\.path", text)
    if match:
        return (" System.loadLibrary(\"%s\") looks for lib%s.so; the checker builds %s, so pass "
                "\"localrefs_jni\"." % (match.group(1), match.group(1), LIBRARY))
    if "UnsatisfiedLinkError" in text:
        return (" The JVM found no C function for this native method: is "
                "System.loadLibrary(\"localrefs_jni\") in LocalRefs' static block, and are the C "
                "functions declared exactly as javac -h wrote them into LocalRefs.h?")
    if "NoClassDefFoundError" in text or "NoSuchMethodError" in text:
        return (" The lab's class is Reading (FindClass(env, \"Reading\")), with "
                "`static Reading of(int)` (signature \"(I)LReading;\") and `long value()` (\"()J\").")
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
        if self.last_call == "init":
            return " while loading class LocalRefs (its static initializer)"
        for kind, method in METHODS.items():
            if self.last_call == "small-" + kind:
                return " during LocalRefs.%s(%d)" % (method, SMALL_N)
            if self.last_call == "xcheck-" + kind:
                return " during LocalRefs.%s(%d)" % (method, XCHECK_N)
            if self.last_call == "big-" + kind:
                return " during LocalRefs.%s(%d)" % (method, BIG_N)
        return ""

    def crash_advice(self):
        text = strip_ansi(self.step.output)
        if "FATAL ERROR in native method" in text:
            return " -Xcheck:jni stopped the JVM: see the FATAL ERROR line in the output."
        if "OutOfMemoryError" in text:
            return " The JVM ran out of heap: " + OOM_EXPLAINED
        if self.step.timed_out:
            return (" A correct loop takes about a second; is it waiting for something, or looping "
                    "forever?")
        if self.step.crashed:
            return (" The JVM crashed inside native code: the lines starting with # in the output "
                    "name the problematic frame. Calling JNI functions while an exception is "
                    "pending, or using a reference after DeleteLocalRef or PopLocalFrame, are the "
                    "usual causes.")
        return ""

    def ended_early(self, t):
        t.output = self.step.output
        t.fail("The checker's Java process %s%s.%s"
               % (describe_run(self.step), self.where(), self.crash_advice()))

    def require_class(self, t):
        if self.init is None:
            self.ended_early(t)
        if self.init.get("error"):
            t.output = self.step.output
            t.fail("Class LocalRefs could not be loaded: its static initializer threw %s.%s"
                   % (self.init["error"], exception_advice(self.init["error"])))

    def require_method(self, t, name):
        self.require_class(t)
        if self.methods is None:
            self.ended_early(t)
        shape = self.methods.get(name)
        signature = "public static native long %s(int n)" % name
        t.expect(shape, "LocalRefs has no method %s(int); declare `%s`." % (name, signature))
        t.expect(shape.get("static"), "LocalRefs.%s must be static: `%s`." % (name, signature))
        t.expect(shape.get("native"), "LocalRefs.%s is not native: declare `%s` and implement it in "
                 "%s." % (name, signature, STUDENT_C))
        t.expect(shape.get("returns") == "long", "LocalRefs.%s must return long: `%s`." % (name, signature))

    def result(self, t, ident):
        got = self.results.get(ident)
        if got is None:
            self.ended_early(t)
        t.expect(ident not in self.duplicates,
                 "The checker received more than one report for the same call: something in the "
                 "process wrote into the checker's private channel.", output=self.step.output)
        return got


