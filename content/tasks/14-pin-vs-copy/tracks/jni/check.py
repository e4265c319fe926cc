"""Check for task 14 (jni track): ByteSum.sumElements (GetByteArrayElements, which copies on
HotSpot) and ByteSum.sumCritical (GetPrimitiveArrayCritical, which pins) hand a byte[] to the
lab's C function sum_bytes.

Runs in the harness's trusted process (docs/writing-a-check.md). The hidden FfiLabProbe runs twice:

- under -Xcheck:jni: the sums of a few small arrays and of a 64 MiB one, each through the lab's
  sum_bytes (it counts its calls and bytes), and -Xcheck:jni's verdict on the critical region;
- without -Xcheck:jni (it slows array access several-fold): one warm-up call and ROUNDS timed
  calls of each method on the 64 MiB array, with the process's resident memory before and after.
  A copy that is never released stays resident, 64 MiB per call.

The JVM gets -Xmx384m (the track raises the run's memory to 1 GiB): the array, HotSpot's copy
of it, and room for a leaking variant to show its leak before the memory limit ends the run.
"""

import os
import re
import statistics
from ffilab_harness.jvm import describe_run, relay_hs_err, strip_ansi

STUDENT_JAVA = "ByteSum.java"
STUDENT_C = "bytesum_jni.c"
LIBRARY = "libbytesum_jni.so"
CLASSES = "classes"
PROBE_SOURCE = "FfiLabProbe.java"
JAVA_HOME = os.environ.get("JAVA_HOME", "/usr/lib/jvm/java-25-openjdk-amd64")

BIG = 64 << 20
ROUNDS = 5
HEAP = "-Xmx384m"
# Resident memory may wobble by a few MB; a leaked copy is 64 MB per call.
LEAK_LIMIT_KB = 96 * 1024

TEST_COMPILES = "ByteSum.java compiles (javac -h)"
TEST_BUILDS = "libbytesum_jni.so builds"
TEST_LOADS = "System.loadLibrary loads libbytesum_jni.so"
TEST_ELEMENTS = "sumElements returns the right sums"
TEST_CRITICAL = "sumCritical returns the right sums"
TEST_REGION = "the critical region makes no JNI calls"
TEST_XCHECK = "no other -Xcheck:jni warnings or errors"
TEST_RELEASE = "sumElements releases the elements"
TEST_TIMED = "both variants timed"
AFTER_BUILD = [(TEST_LOADS, "Tests"), (TEST_ELEMENTS, "Tests"), (TEST_CRITICAL, "Tests"),
               (TEST_REGION, "Tests"), (TEST_XCHECK, "Tests"), (TEST_RELEASE, "Memory"),
               (TEST_TIMED, "Performance")]

CRITICAL_WARNING = "Calling other JNI functions in the scope of Get/ReleasePrimitiveArrayCritical"
REGION_ADVICE = (
    "Between GetPrimitiveArrayCritical and ReleasePrimitiveArrayCritical the array is pinned and "
    "the garbage collector may be held off until you release it, so the JNI specification allows "
    "no JNI call in between (GetArrayLength, FindClass, NewStringUTF, ExceptionCheck, Call*Method "
    "are all JNI calls) and nothing that blocks. Ask for the length before "
    "GetPrimitiveArrayCritical; in the region, only call sum_bytes. If there is no JNI call in "
    "your region, look for a GetPrimitiveArrayCritical without its ReleasePrimitiveArrayCritical: "
    "a region that is never left turns every later JNI call of the thread into a call inside it."
)
RELEASE_ADVICE = (
    "Every GetByteArrayElements needs its ReleaseByteArrayElements, on every path: HotSpot hands "
    "you a copy of the array in C memory, and only the release frees it. Pass JNI_ABORT as the "
    "mode: you only read the bytes, so nothing needs copying back."
)

DIM = "\x1b[2m"


def run(c):
    compiled = c.step("compile", ["javac", "-h", ".", "-d", CLASSES, STUDENT_JAVA, PROBE_SOURCE],
                      timeout=40, test=TEST_COMPILES, group="Build")
    if not compiled.ok:
        if PROBE_SOURCE + ":" in compiled.output:
            raise RuntimeError("the hidden probe did not compile: " + compiled.output[-2000:])
        c.skip(TEST_BUILDS, "ByteSum.java did not compile, so there is no ByteSum.h.", group="Build")
        for name, group in AFTER_BUILD:
            c.skip(name, "ByteSum.java did not compile.", group=group)
        return
    built = c.step("build", ["cc", "-O2", "-Wall", "-shared", "-fPIC",
                             "-I" + JAVA_HOME + "/include", "-I" + JAVA_HOME + "/include/linux",
                             "-o", LIBRARY, STUDENT_C, "bytesum.c"],
                   timeout=30, test=TEST_BUILDS, group="Build")
    if not built.ok:
        for name, group in AFTER_BUILD:
            c.skip(name, "%s did not build." % LIBRARY, group=group)
        return

    java = ["java", HEAP, "--enable-native-access=ALL-UNNAMED", "-XX:ErrorFile=/tmp/hs_err_%p.log",
            "-Djava.library.path=" + c.workdir, "-cp", CLASSES]
    c.note("The checker now calls both methods on small arrays and on a 64 MiB one, under "
           "-Xcheck:jni.", style=DIM)
    checked = Probe(c, c.step("probe -Xcheck:jni", [java[0], "-Xcheck:jni"] + java[1:]
                              + ["FfiLabProbe", "check"], timeout=30, channel=True))
    c.note("Now the timing, without -Xcheck:jni (it slows array access several-fold): one warm-up "
           "call and %d timed calls of each method on the 64 MiB array." % ROUNDS, style=DIM)
    bench = Probe(c, c.step("benchmark", java + ["FfiLabProbe", "bench", str(ROUNDS)], timeout=30,
                            channel=True))

    with c.test(TEST_LOADS) as t:
        checked.require_class(t)
        t.expect(checked.init.get("loaded"),
                 "Class ByteSum loaded, but %s was not loaded with it. Put "
                 "System.loadLibrary(\"bytesum_jni\") in ByteSum's static block." % LIBRARY)
    for method, name in (("sumElements", TEST_ELEMENTS), ("sumCritical", TEST_CRITICAL)):
        with c.test(name) as t:
            checked.require_method(t, method)
            judge_sums(t, checked, method)
    judge_xcheck(c, checked)
    with c.test(TEST_RELEASE, group="Memory") as t:
        bench.require_method(t, "sumElements")
        judge_release(t, bench, bench.result(t, "sumElements:bench"))
    with c.test(TEST_TIMED, group="Performance") as t:
        judge_timed(c, t, bench)


# -- judging ---------------------------------------------------------------------------------


def judge_sums(t, probe, method):
    results = [m for m in probe.step.messages
               if isinstance(m, dict) and m.get("kind") == "sum" and m.get("method") == method]
    lengths = [3, 4, 10_000, BIG, 0]
    for length in lengths:
        got = probe.result(t, "%s:%d" % (method, length))
        shown = "ByteSum.%s(byte[%d])" % (method, length)
        if got.get("error"):
            t.output = probe.step.output
            t.fail("%s threw %s.%s" % (shown, got["error"], exception_advice(got["error"])))
        if got.get("value") != got.get("expected"):
            hint = ""
            if length == 4:
                hint = (" That array holds {-1, -128, 127, 0}: sum_bytes counts each byte as "
                        "unsigned (255 + 128 + 127 + 0 = 510), so hand it the bytes unchanged.")
            t.fail("%s returned %s; expected %s.%s" % (shown, got.get("value"), got.get("expected"), hint))
        t.expect(got.get("cBytes") == length and (got.get("cCalls", 0) >= 1 or length == 0),
                 "%s returned the right sum, but the lab's sum_bytes was called %s time(s) for %s "
                 "bytes in all: hand the array's elements and its length to sum_bytes, once."
                 % (shown, got.get("cCalls"), got.get("cBytes")))
    big = next((m for m in results if m.get("length") == BIG), {})
    t.message = "Right sums for %d arrays, up to 64 MiB (%.0f ms for 64 MiB under -Xcheck:jni)." % (
        len(lengths), (big.get("micros") or 0) / 1000.0)


def judge_xcheck(c, probe):
    step = probe.step
    blocks = jni_messages(step.output)
    if blocks:
        shown = blocks[:5]
        text = "\n".join("\n".join(b) for b in shown)
        if len(blocks) > len(shown):
            text += "\n[... %d more -Xcheck:jni messages like these ...]" % (len(blocks) - len(shown))
        c.report("hotspot", text, test=TEST_REGION if any(CRITICAL_WARNING in b[0] for b in blocks)
                 else TEST_XCHECK)
    region = [b for b in blocks if CRITICAL_WARNING in b[0]]
    others = [b for b in blocks if CRITICAL_WARNING not in b[0]]
    with c.test(TEST_REGION) as t:
        t.output = step.output
        if region:
            t.fail("Under -Xcheck:jni the JVM warned %d time(s): \"%s\". %s"
                   % (len(region), region[0][0], REGION_ADVICE))
        probe.require_method(t, "sumCritical")
        got = probe.result(t, "sumCritical:%d" % BIG)
        t.expect(got.get("cBytes") == BIG,
                 "Not checked: ByteSum.sumCritical(byte[%d]) did not hand the array to sum_bytes, "
                 "so there was no critical region to look at (see '%s')." % (BIG, TEST_CRITICAL))
    with c.test(TEST_XCHECK) as t:
        t.output = step.output
        if others:
            t.fail("Under -Xcheck:jni the JVM printed %d message(s); the first: \"%s\". %s"
                   % (len(others), others[0][0], xcheck_advice(others[0][0])))
        if not step.ok:
            t.fail("Under -Xcheck:jni the checker's Java process %s%s.%s"
                   % (describe_run(step), probe.where(), probe.crash_advice()))
        if not probe.done:
            t.fail("Under -Xcheck:jni the checker could not make all its calls%s." % probe.where())


def judge_release(t, probe, got):
    shown = "%d calls of ByteSum.sumElements(byte[%d])" % (ROUNDS, BIG)
    if got.get("error"):
        t.output = probe.step.output
        t.fail("ByteSum.sumElements(byte[%d]) threw %s.%s" % (BIG, got["error"], exception_advice(got["error"])))
    t.output = probe.step.output
    t.expect(got.get("cBytes") == ROUNDS * BIG,
             "Not checked: the %s did not hand the array to sum_bytes (see '%s')." % (shown, TEST_ELEMENTS))
    grew = (got.get("rssAfterKb") or 0) - (got.get("rssBeforeKb") or 0)
    if grew > LEAK_LIMIT_KB:
        t.fail("During %s the process's resident memory grew by %d MB, about %d MB per call: the "
               "size of the array, so every call left HotSpot's copy of it behind. %s"
               % (shown, grew // 1024, grew // 1024 // ROUNDS, RELEASE_ADVICE))
    t.message = "Resident memory changed by %+d MB over %s." % (grew // 1024, shown)


def judge_timed(c, t, probe):
    step = probe.step
    medians = {}
    for method in ("sumElements", "sumCritical"):
        probe.require_method(t, method)
        got = probe.result(t, method + ":bench")
        shown = "ByteSum.%s(byte[%d])" % (method, BIG)
        if got.get("error"):
            t.output = step.output
            t.fail("%s threw %s.%s" % (shown, got["error"], exception_advice(got["error"])))
        times = [x for x in got.get("micros") or [] if isinstance(x, (int, float))]
        t.expect(len(times) == ROUNDS and got.get("wrong") == 0 and got.get("warmOk"),
                 "%s gave a wrong sum in the timed calls (see '%s')." % (shown, TEST_ELEMENTS
                                                                          if method == "sumElements"
                                                                          else TEST_CRITICAL))
        t.expect(got.get("cCalls") == ROUNDS and got.get("cBytes") == ROUNDS * BIG,
                 "%s: the lab's sum_bytes was called %s times for %s bytes during %d timed calls; "
                 "expected once per call, for the whole array." % (shown, got.get("cCalls"),
                                                                  got.get("cBytes"), ROUNDS))
        medians[method] = statistics.median(times) / 1000.0
    copy, pin = medians["sumElements"], medians["sumCritical"]
    c.metric("sumElements, 64 MiB (median of %d)" % ROUNDS, round(copy, 1), "ms")
    c.metric("sumCritical, 64 MiB (median of %d)" % ROUNDS, round(pin, 1), "ms")
    ratio = copy / pin if pin > 0 else 0.0
    c.metric("copy / pin time ratio", round(ratio, 2), "x", lower_is_better=False)
    t.message = ("Median of %d calls on 64 MiB: sumElements %.1f ms, sumCritical %.1f ms (%.1fx)."
                 % (ROUNDS, copy, pin, ratio))


def jni_messages(output):
    """-Xcheck:jni messages (WARNING, FATAL ERROR, and the critical-region Warning), with the
    stack lines printed under them."""
    blocks = []
    for line in strip_ansi(output).splitlines():
        if line.startswith(("WARNING in native method:", "FATAL ERROR in native method:",
                            "Warning: Calling other JNI functions")):
            blocks.append([line])
        elif blocks and (line.startswith("\tat ") or line.startswith("V  [") or line.startswith("C  [")) \
                and len(blocks[-1]) < 10:
            blocks[-1].append(line)
    return blocks


def xcheck_advice(line):
    if "without checking exceptions" in line or "exception pending" in line:
        return ("Ask (*env)->ExceptionCheck(env) after a JNI call that can throw, before the next "
                "JNI call.")
    if "ReleasePrimitiveArrayCritical" in line or "ReleaseByteArrayElements" in line or "release" in line.lower():
        return ("Release exactly the pointer the matching Get call returned, once: "
                "ReleaseByteArrayElements for GetByteArrayElements, ReleasePrimitiveArrayCritical "
                "for GetPrimitiveArrayCritical.")
    return "The message names the JNI rule your C code broke; the lines under it show where."


def exception_advice(text):
    text = text or ""
    match = re.search(r"UnsatisfiedLinkError: no (\S+) in java\.library\.path", text)
    if match:
        return (" System.loadLibrary(\"%s\") looks for lib%s.so; the checker builds %s, so pass "
                "\"bytesum_jni\"." % (match.group(1), match.group(1), LIBRARY))
    if "UnsatisfiedLinkError" in text:
        return (" The JVM found no C function for this native method: is "
                "System.loadLibrary(\"bytesum_jni\") in ByteSum's static block, and are the C "
                "functions declared exactly as javac -h wrote them into ByteSum.h?")
    if "OutOfMemoryError" in text:
        return " The JVM ran out of memory: are copies of the 64 MiB array left unreleased?"
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
            elif kind in ("sum", "bench"):
                if message.get("id") in self.results:
                    self.duplicates.add(message.get("id"))
                self.results[message.get("id")] = message
        self.hs_err = relay_hs_err(c, step) if step.crashed else None

    def where(self):
        if self.last_call == "init":
            return " while loading class ByteSum (its static initializer)"
        if self.last_call and ":" in self.last_call:
            method, what = self.last_call.split(":", 1)
            if what == "bench":
                return " during the timed calls of ByteSum.%s" % method
            return " during ByteSum.%s(byte[%s])" % (method, what)
        return ""

    def crash_advice(self):
        text = strip_ansi(self.step.output)
        if self.step.oom_killed:
            return (" The run's memory ran out: are copies of the 64 MiB array left unreleased? "
                    + RELEASE_ADVICE)
        if "FATAL ERROR in native method" in text:
            return " -Xcheck:jni stopped the JVM: see the FATAL ERROR line in the output."
        if self.step.timed_out:
            return (" A JVM that stops responding here is often one whose garbage collector waits "
                    "for a critical region that was never left: every GetPrimitiveArrayCritical "
                    "needs its ReleasePrimitiveArrayCritical.")
        if self.step.crashed:
            return (" The JVM crashed inside native code: the lines starting with # in the output "
                    "name the problematic frame.")
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
            t.fail("Class ByteSum could not be loaded: its static initializer threw %s.%s"
                   % (self.init["error"], exception_advice(self.init["error"])))

    def require_method(self, t, name):
        self.require_class(t)
        if self.methods is None:
            self.ended_early(t)
        shape = self.methods.get(name)
        signature = "public static native long %s(byte[] data)" % name
        t.expect(shape, "ByteSum has no method %s(byte[]); declare `%s`." % (name, signature))
        t.expect(shape.get("static"), "ByteSum.%s must be static: `%s`." % (name, signature))
        t.expect(shape.get("native"), "ByteSum.%s is not native: declare `%s` and implement it in "
                 "%s." % (name, signature, STUDENT_C))
        t.expect(shape.get("returns") == "long", "ByteSum.%s must return long: `%s`." % (name, signature))

    def result(self, t, ident):
        got = self.results.get(ident)
        if got is None:
            self.ended_early(t)
        t.expect(ident not in self.duplicates,
                 "The checker received more than one report for the same call: something in the "
                 "process wrote into the checker's private channel.", output=self.step.output)
        return got


