"""Check for task 12 (jni track): the ticker library's own thread calls a Java listener through
the student's JNI glue (ticker_jni.c, class Ticker).

Runs in the harness's trusted process (docs/writing-a-check.md). The ticker library is the hidden
support/ticker.c, linked into the student's libticker_jni.so. The hidden FfiLabProbe calls
Ticker.run with listeners of its own and reports on its channel what each listener saw: how
often and in which order it was called, on which thread, whether the library's tick hook was
running at the time (the library answers that itself), and whether the threads that called it
were still alive afterwards. It runs twice:

- plainly, letting main return: the JVM then waits for every live Java thread before it exits,
  so a ticker thread that ended without DetachCurrentThread makes it hang, and the step's short
  time limit turns the hang into a verdict. A crash writes an hs_err file, relayed as a report;
- under -Xcheck:jni with a smaller workload, ending with System.exit (so a missing detach
  cannot hang it a second time); its warnings and FATAL ERROR lines are read from the output.
"""

import os
import re
from ffilab_harness.jvm import describe_run, jni_messages, relay_hs_err, strip_ansi

STUDENT_JAVA = "Ticker.java"
STUDENT_C = "ticker_jni.c"
LIBRARY = "libticker_jni.so"
CLASSES = "classes"
PROBE_SOURCE = "FfiLabProbe.java"
JAVA_HOME = os.environ.get("JAVA_HOME", "/usr/lib/jvm/java-25-openjdk-amd64")

ONCE_COUNT = 5
REPEAT_RUNS, REPEAT_COUNT = 1000, 10
XCHECK_RUNS = 20
# A correct run takes well under 2 s; a JVM that hangs at exit is stopped after this.
HANG_TIMEOUT = 10

TEST_COMPILES = "Ticker.java compiles (javac -h)"
TEST_BUILDS = "libticker_jni.so builds"
TEST_LOADS = "System.loadLibrary loads libticker_jni.so"
TEST_THREAD = "the listener runs on the library's thread"
TEST_REPEAT = "1,000 runs in a row deliver every value"
TEST_DETACH = "detaches before the thread exits"
TEST_EXIT = "the JVM exits normally"
TEST_XCHECK = "no -Xcheck:jni warnings or errors"
AFTER_BUILD = [(TEST_LOADS, "Tests"), (TEST_THREAD, "Threads"), (TEST_REPEAT, "Tests"),
               (TEST_DETACH, "Threads"), (TEST_EXIT, "Tests"), (TEST_XCHECK, "Tests")]

ATTACH_ADVICE = (
    "A thread the JVM did not start has no JNIEnv of its own, and the JNIEnv that "
    "Java_Ticker_run received belongs to the caller's thread: using it from the ticker thread "
    "corrupts the JVM. In on_thread_started, call (*java_vm)->AttachCurrentThread(java_vm, "
    "(void **)&call->env, NULL) with the JavaVM saved in JNI_OnLoad (or from GetJavaVM), and use "
    "that env in on_tick."
)
DETACH_ADVICE = (
    "Call (*java_vm)->DetachCurrentThread(java_vm) in on_thread_stopping, the last hook the "
    "library runs on its thread before the thread ends."
)
GLOBAL_ADVICE = (
    "The listener argument of Java_Ticker_run is a local reference: it is valid only on the "
    "thread that received it. Give the ticker thread (*env)->NewGlobalRef(env, listener), and "
    "DeleteGlobalRef it after ticker_run has returned."
)
CHECK_ADVICE = (
    "After CallVoidMethod, ask (*env)->ExceptionCheck(env) before the next JNI call: the listener "
    "may have thrown."
)

DIM = "\x1b[2m"


def run(c):
    compiled = c.step("compile", ["javac", "-h", ".", "-d", CLASSES, STUDENT_JAVA, PROBE_SOURCE],
                      timeout=40, test=TEST_COMPILES, group="Build")
    if not compiled.ok:
        if PROBE_SOURCE + ":" in compiled.output:
            raise RuntimeError("the hidden probe did not compile: " + compiled.output[-2000:])
        c.skip(TEST_BUILDS, "Ticker.java did not compile, so there is no Ticker.h.", group="Build")
        for name, group in AFTER_BUILD:
            c.skip(name, "Ticker.java did not compile.", group=group)
        return
    built = c.step("build", ["cc", "-O2", "-Wall", "-shared", "-fPIC", "-pthread",
                             "-I" + JAVA_HOME + "/include", "-I" + JAVA_HOME + "/include/linux",
                             "-o", LIBRARY, STUDENT_C, "ticker.c"],
                   timeout=30, test=TEST_BUILDS, group="Build")
    if not built.ok:
        for name, group in AFTER_BUILD:
            c.skip(name, "%s did not build." % LIBRARY, group=group)
        return

    java = ["java", "--enable-native-access=ALL-UNNAMED", "-XX:ErrorFile=/tmp/hs_err_%p.log",
            "-Djava.library.path=" + c.workdir, "-cp", CLASSES]
    c.note("The checker now calls Ticker.run with listeners of its own: once with count %d, then "
           "%d times with count %d." % (ONCE_COUNT, REPEAT_RUNS, REPEAT_COUNT), style=DIM)
    plain = Probe(c, c.step("probe", java + ["FfiLabProbe", "wait"], timeout=HANG_TIMEOUT,
                            channel=True,
                            stdin="once first %d\nrepeat many %d %d\n"
                                  % (ONCE_COUNT, REPEAT_RUNS, REPEAT_COUNT)))
    c.note("... and once more under -Xcheck:jni, which checks every JNI call your C code makes.",
           style=DIM)
    xcheck = Probe(c, c.step("probe -Xcheck:jni", [java[0], "-Xcheck:jni"] + java[1:]
                             + ["FfiLabProbe", "exit"], timeout=20, channel=True,
                             stdin="once xcheck-first %d\nrepeat xcheck-many %d %d\n"
                                   % (ONCE_COUNT, XCHECK_RUNS, REPEAT_COUNT)))

    with c.test(TEST_LOADS) as t:
        plain.require_class(t)
        t.expect(plain.init.get("loaded"),
                 "Class Ticker loaded, but %s was not loaded with it. Put "
                 "System.loadLibrary(\"ticker_jni\") in Ticker's static block: the JVM then finds "
                 "Java_Ticker_run in it the first time Ticker.run is called." % LIBRARY)
    with c.test(TEST_THREAD, group="Threads") as t:
        plain.require_method(t)
        judge_once(t, plain, plain.result(t, "first"))
    with c.test(TEST_REPEAT) as t:
        plain.require_method(t)
        judge_repeat(t, plain, plain.result(t, "many"))
    with c.test(TEST_DETACH, group="Threads") as t:
        judge_detach(t, plain)
    with c.test(TEST_EXIT) as t:
        judge_exit(t, plain)
    with c.test(TEST_XCHECK) as t:
        judge_xcheck(c, t, xcheck)


# -- judging ---------------------------------------------------------------------------------


def judge_once(t, probe, got):
    shown = "Ticker.run(%d, listener)" % ONCE_COUNT
    if got.get("error"):
        t.output = probe.step.output
        t.fail("%s threw %s.%s" % (shown, got["error"], exception_advice(got["error"])))
    calls = got.get("calls", 0)
    if calls == 0:
        t.fail("%s returned %s, but the listener was never called. on_tick runs on the ticker "
               "thread once per value: it must call listener.accept(value) there "
               "(CallVoidMethod with that thread's own JNIEnv)." % (shown, got.get("status")))
    expected = list(range(ONCE_COUNT))
    t.expect(calls == ONCE_COUNT and got.get("outOfOrder") == 0,
             "%s called the listener %d times with the values %s; expected %d calls with %s, in "
             "that order." % (shown, calls, got.get("firstValues"), ONCE_COUNT, expected))
    t.expect(got.get("onCaller") == 0,
             "%s called the listener on the thread that called Ticker.run. The point of the task "
             "is the library's own thread: let ticker_run's tick hook make the call." % shown)
    t.expect(got.get("outsideTick") == 0 and got.get("delivered") == ONCE_COUNT,
             "%s: the listener was called %d times, but %d of those calls did not come from inside "
             "the library's tick hook (the library delivered %s ticks). Call the listener from "
             "on_tick, on the ticker thread." % (shown, calls, got.get("outsideTick"),
                                                 got.get("delivered")))
    t.expect(got.get("status") == 0, "%s returned %s; expected 0 (ticker_run's result)."
             % (shown, got.get("status")))
    threads = ", ".join('"%s"' % n for n in got.get("threads") or [])
    t.message = "%d calls, values 0..%d in order, on the ticker thread (%s)." % (
        calls, ONCE_COUNT - 1, threads)


def judge_repeat(t, probe, got):
    shown = "%d x Ticker.run(%d, listener)" % (REPEAT_RUNS, REPEAT_COUNT)
    total = REPEAT_RUNS * REPEAT_COUNT
    t.expect(got.get("runs") == REPEAT_RUNS, "%s: only %s runs were made." % (shown, got.get("runs")))
    if got.get("badRuns"):
        t.output = probe.step.output
        first = got.get("firstBad") or ""
        t.fail("%s: %d of the runs went wrong; the first was %s.%s"
               % (shown, got["badRuns"], first, exception_advice(first)))
    t.expect(got.get("calls") == total and got.get("delivered") == total,
             "%s: the listener was called %s times and the library delivered %s ticks; expected "
             "%d of each." % (shown, got.get("calls"), got.get("delivered"), total))
    t.expect(got.get("outsideTick") == 0 and got.get("onCaller") == 0,
             "%s: %s listener calls did not come from the library's tick hook on its thread."
             % (shown, (got.get("outsideTick") or 0) + (got.get("onCaller") or 0)))
    t.message = "%d runs, %d listener calls, all from the ticker thread." % (REPEAT_RUNS, total)


def judge_detach(t, probe):
    step = probe.step
    t.output = step.output
    left = sum((probe.results.get(k) or {}).get("aliveAfter") or 0 for k in ("first", "many"))
    if left:
        t.fail("After Ticker.run had returned, %d Java thread(s) that had called your listener "
               "were still alive. A native thread stays registered with the JVM, as a live Java "
               "thread, from AttachCurrentThread until DetachCurrentThread, even after the "
               "pthread itself has ended; when the program ends, the JVM waits for every such "
               "thread, forever. %s" % (left, DETACH_ADVICE))
    if step.timed_out:
        if probe.done:
            t.fail("Every call was made, but then the JVM did not exit: the checker's process %s. "
                   "At its end the JVM waits for all live Java threads, and a native thread that "
                   "attached itself and ended without DetachCurrentThread counts as one forever. "
                   "%s" % (describe_run(step), DETACH_ADVICE))
        t.fail("The checker's process %s before it could make all its calls, so it could not "
               "see whether the ticker thread detaches.%s" % (describe_run(step), probe.where()))
    if not probe.done:
        t.fail("Not checked: the checker's process %s before it could make all its calls (see "
               "'%s')." % (describe_run(step), TEST_EXIT))
    if not (probe.results.get("first") or {}).get("calls"):
        t.fail("Not checked: the listener was never called, so no thread had anything to detach "
               "(see '%s')." % TEST_THREAD)
    t.message = "No thread that called the listener was left alive, and the JVM exited."


def judge_exit(t, probe):
    step = probe.step
    t.output = step.output
    if step.timed_out:
        t.fail("The checker's Java process %s: the JVM did not exit (see '%s')."
               % (describe_run(step), TEST_DETACH if probe.done else TEST_THREAD))
    if not step.ok:
        t.fail("The checker's Java process %s%s.%s"
               % (describe_run(step), probe.where(), probe.crash_advice()))
    if not probe.done:
        t.fail("The checker's Java process exited with code 0 before it had made all its calls%s: "
               "something in your code ended the process (System.exit, exit())." % probe.where())


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
    if not step.ok:
        t.fail("Under -Xcheck:jni the checker's Java process %s%s.%s"
               % (describe_run(step), probe.where(), probe.crash_advice()))
    if not probe.done:
        t.fail("Under -Xcheck:jni the checker could not make all its calls%s." % probe.where())
    for key in ("xcheck-first", "xcheck-many"):
        got = probe.results.get(key) or {}
        if got.get("error") or got.get("badRuns"):
            t.fail("Under -Xcheck:jni, Ticker.run went wrong: %s (see '%s')."
                   % (got.get("error") or got.get("firstBad"), TEST_REPEAT))


def xcheck_advice(line):
    if "non-Java thread" in line or "not attached" in line.lower():
        return ATTACH_ADVICE
    if "Bad global or local ref" in line or "Invalid local JNI handle" in line:
        return GLOBAL_ADVICE
    if "without checking exceptions" in line or "exception pending" in line:
        return CHECK_ADVICE
    if "wrong thread" in line.lower():
        return ("A JNIEnv was used on a thread it does not belong to. " + ATTACH_ADVICE)
    return "The message names the JNI rule your C code broke; the lines under it show where."


def exception_advice(text):
    text = text or ""
    match = re.search(r"UnsatisfiedLinkError: no (\S+) in java\.library\.path", text)
    if match:
        return (" System.loadLibrary(\"%s\") looks for lib%s.so; the checker builds %s, so pass "
                "\"ticker_jni\"." % (match.group(1), match.group(1), LIBRARY))
    if "UnsatisfiedLinkError" in text:
        return (" The JVM found no C function for Ticker.run: is System.loadLibrary(\"ticker_jni\") "
                "in Ticker's static block, and is Java_Ticker_run declared exactly as javac -h "
                "wrote it into Ticker.h?")
    return ""


# -- what the probe saw ----------------------------------------------------------------------


class Probe:
    def __init__(self, c, step):
        self.c = c
        self.step = step
        self.last_call = None
        self.init = None
        self.method = None
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
            elif kind == "method":
                self.method = message
            elif kind == "done":
                self.done = True
            elif kind in ("once", "repeat"):
                # The probe reports each case once: a second report was written by something else
                # in the process.
                if message.get("id") in self.results:
                    self.duplicates.add(message.get("id"))
                self.results[message.get("id")] = message
        self.hs_err = relay_hs_err(c, step, test=TEST_EXIT) if step.crashed else None

    def where(self):
        if self.last_call == "init":
            return " while loading class Ticker (its static initializer)"
        if self.last_call in ("first", "xcheck-first"):
            return " during Ticker.run(%d, listener)" % ONCE_COUNT
        if self.last_call in ("many", "xcheck-many"):
            return " during the repeated calls of Ticker.run(%d, listener)" % REPEAT_COUNT
        return ""

    def crash_advice(self):
        text = strip_ansi(self.step.output)
        if "FATAL ERROR in native method" in text:
            return " -Xcheck:jni stopped the JVM: see the FATAL ERROR line in the output."
        if self.hs_err and "Current thread is native thread" in self.hs_err:
            return (" The hs_err report says the crashing thread was a native thread the JVM does "
                    "not know (not attached), inside a JNI function. " + ATTACH_ADVICE)
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
            t.fail("Class Ticker could not be loaded: its static initializer threw %s.%s"
                   % (self.init["error"], exception_advice(self.init["error"])))

    def require_method(self, t):
        self.require_class(t)
        if self.method is None:
            self.ended_early(t)
        signature = "public static native int run(int count, IntConsumer listener)"
        t.expect(self.method.get("present"), "Ticker has no method run(int, IntConsumer); keep "
                 "`%s` from the starter." % signature)
        t.expect(self.method.get("static"), "Ticker.run must be static: `%s`." % signature)
        t.expect(self.method.get("native"), "Ticker.run is not native: declare `%s` and implement "
                 "it in %s." % (signature, STUDENT_C))
        t.expect(self.method.get("returns") == "int", "Ticker.run must return int: `%s`." % signature)

    def result(self, t, ident):
        got = self.results.get(ident)
        if got is None:
            self.ended_early(t)
        t.expect(ident not in self.duplicates,
                 "The checker received more than one report for the same case: something in the "
                 "process wrote into the checker's private channel.", output=self.step.output)
        return got


