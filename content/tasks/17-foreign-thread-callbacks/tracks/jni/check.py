"""Check for task 17 (jni track): a JNI binding (class Events, events_jni.c) for the events
library, whose own threads call a Java listener, with the library's lock held, after
Events.start has returned.

Runs in the harness's trusted process (docs/writing-a-check.md). The library is the hidden
support/events.c, linked into the student's libevents_jni.so; it counts the callbacks it
delivered, tells a caller whether it runs inside one of its callbacks, counts calls that re-enter
it from a callback, and prints a line when that happens (then waits for its own lock forever, as
a real library would). The hidden FfiLabProbe drives Events.start / Events.stop with listeners of
its own and reports what they saw. It runs twice:

- plainly, letting main return: a JVM whose native threads ended attached waits for them forever,
  and the step's short time limit turns that hang (or a deadlock) into a verdict; a crash writes
  an hs_err file, relayed as a report;
- under -Xcheck:jni with a smaller stress, ending with System.exit; its warnings and FATAL ERROR
  lines are read from the output (a local reference used on another thread, a JNI call with an
  exception pending).

Each part of the task's "what done looks like" is a test of its own.
"""

import os
import re
from ffilab_harness.jvm import describe_run, jni_messages, relay_hs_err, strip_ansi

STUDENT_JAVA = "Events.java"
STUDENT_C = "events_jni.c"
LIBRARY = "libevents_jni.so"
CLASSES = "classes"
SUPPORT_JAVA = ["EventListener.java", "FfiLabProbe.java"]
JAVA_HOME = os.environ.get("JAVA_HOME", "/usr/lib/jvm/java-25-openjdk-amd64")

BASIC = (2, 50)
STRESS = (4, 2500)
XCHECK_STRESS = (4, 1000)
THROWING = (2, 50)  # the checker's listener throws at seq % 10 == 3: the run must end at the first
HANG_TIMEOUT = 10   # a correct binding needs well under 2 s for everything

TEST_COMPILES = "Events.java compiles (javac -h)"
TEST_BUILDS = "libevents_jni.so builds"
TEST_LOADS = "System.loadLibrary loads libevents_jni.so"
TEST_THREADS = "events arrive on the library's threads"
TEST_GLOBAL = "holds the listener with a global reference"
TEST_EXCEPTION = "an exception in the listener is caught and ends the run"
TEST_REENTRY = "the callback does not re-enter the library"
TEST_DETACH = "each thread detaches before it exits"
TEST_STRESS = "stress: %s events from %d threads, exact count" % ("{:,}".format(STRESS[0] * STRESS[1]), STRESS[0])
TEST_RELEASE = "releases the listener after stop()"
TEST_XCHECK = "no -Xcheck:jni warnings or errors"
TEST_EXIT = "the JVM exits normally"
AFTER_BUILD = [(TEST_LOADS, "Tests"), (TEST_THREADS, "Threads"), (TEST_GLOBAL, "Tests"),
               (TEST_EXCEPTION, "Tests"), (TEST_REENTRY, "Threads"), (TEST_DETACH, "Threads"),
               (TEST_STRESS, "Threads"), (TEST_RELEASE, "Memory"), (TEST_XCHECK, "Tests"),
               (TEST_EXIT, "Tests")]

ATTACH_ADVICE = (
    "A thread the JVM did not start has no JNIEnv: in the callback, ask (*java_vm)->GetEnv; when "
    "it answers JNI_EDETACHED, attach the thread with AttachCurrentThread and use the JNIEnv that "
    "gives. Never use a JNIEnv that start() received: it belongs to the thread that called start()."
)
DETACH_ADVICE = (
    "Every thread you attach must call DetachCurrentThread before it ends. The library does not "
    "say when its threads end: create a pthread key with a destructor that detaches "
    "(pthread_key_create in JNI_OnLoad), and pthread_setspecific a non-NULL value right after "
    "attaching; or attach and detach around every callback."
)
GLOBAL_ADVICE = (
    "The listener argument of Java_Events_start is a local reference: it is valid only on the "
    "thread that called start(), and only until start() returns, while the library's threads "
    "call back later, elsewhere. Store (*env)->NewGlobalRef(env, listener) for them, and delete "
    "it in stop(), after events_stop() has returned."
)
EXCEPTION_ADVICE = (
    "After CallVoidMethod, ask (*env)->ExceptionCheck(env). When it is true, clear the exception "
    "((*env)->ExceptionClear(env), or ExceptionDescribe, which prints it and clears it) and "
    "return EVENTS_STOP: the exception cannot travel through the library's C frames, nothing on "
    "that thread would catch it, and EVENTS_STOP is how the library lets a callback end the run."
)
REENTRY_ADVICE = (
    "The library calls your callback with its lock held, and every events_* function takes the "
    "same lock: a callback that calls one waits for itself forever. A callback should do the "
    "minimum (call the listener, return a status) and return; to end the run from a callback, "
    "return EVENTS_STOP, and leave events_stop to Events.stop() on a Java thread."
)
REENTRY_LINE = re.compile(r"events: (events_\w+)\(\) called from inside an event callback")

DIM = "\x1b[2m"


def run(c):
    compiled = c.step("compile", ["javac", "-h", ".", "-d", CLASSES, STUDENT_JAVA] + SUPPORT_JAVA,
                      timeout=40, test=TEST_COMPILES, group="Build")
    if not compiled.ok:
        if any(name + ":" in compiled.output for name in SUPPORT_JAVA):
            raise RuntimeError("a hidden Java file did not compile: " + compiled.output[-2000:])
        c.skip(TEST_BUILDS, "Events.java did not compile, so there is no Events.h.", group="Build")
        for name, group in AFTER_BUILD:
            c.skip(name, "Events.java did not compile.", group=group)
        return
    built = c.step("build", ["cc", "-O2", "-Wall", "-shared", "-fPIC", "-pthread",
                             "-I" + JAVA_HOME + "/include", "-I" + JAVA_HOME + "/include/linux",
                             "-o", LIBRARY, STUDENT_C, "events.c"],
                   timeout=30, test=TEST_BUILDS, group="Build")
    if not built.ok:
        for name, group in AFTER_BUILD:
            c.skip(name, "%s did not build." % LIBRARY, group=group)
        return

    java = ["java", "--enable-native-access=ALL-UNNAMED", "-XX:ErrorFile=/tmp/hs_err_%p.log",
            "-Djava.library.path=" + c.workdir, "-cp", CLASSES]
    c.note("The checker now drives Events.start / Events.stop: %d x %d events, then a stress of "
           "%d x %d, then a listener that throws." % (BASIC + STRESS),
           style=DIM)
    plain = Probe(c, c.step("probe", java + ["FfiLabProbe", "wait"], timeout=HANG_TIMEOUT,
                            channel=True,
                            stdin="plain basic %d %d\nplain stress %d %d\nthrowing throwing %d %d\n"
                                  % (BASIC + STRESS + THROWING)))
    c.note("... and once more under -Xcheck:jni, which checks every JNI call your C code makes "
           "(its output is kept for the verdict rather than shown here: a broken binding makes it "
           "print a warning per callback).", style=DIM)
    cases = [("plain", "x-basic") + BASIC, ("plain", "x-stress") + XCHECK_STRESS,
             ("throwing", "x-throwing") + THROWING]
    hung_in = (plain.last_call or "").split(":")[0] if plain.step.timed_out and not plain.done else None
    if hung_in:
        # The same case would hang this run too: leave it out, so the rest still gets checked.
        cases = [case for case in cases if case[1] != "x-" + hung_in]
    xcheck = Probe(c, c.step("probe -Xcheck:jni", [java[0], "-Xcheck:jni"] + java[1:]
                             + ["FfiLabProbe", "exit"], timeout=HANG_TIMEOUT, channel=True,
                             show=False, stdin="".join("%s %s %d %d\n" % case for case in cases)))
    xcheck.left_out = ["x-" + hung_in] if hung_in else []
    messages = jni_messages(xcheck.step.output)
    seen = sum(r.get("calls") or 0 for r in xcheck.results.values())
    c.note("-Xcheck:jni run: %s; %d events reached the checker's listeners; %d JNI warning(s) or "
           "error(s)." % (describe_run(xcheck.step), seen, len(messages)), style=DIM)
    if messages:
        shown = messages[:5]
        text = "\n".join("\n".join(b) for b in shown)
        if len(messages) > len(shown):
            text += "\n[... %d more -Xcheck:jni messages like these ...]" % (len(messages) - len(shown))
        c.report("hotspot", text, test=TEST_XCHECK)

    with c.test(TEST_LOADS) as t:
        plain.require_class(t)
        t.expect(plain.init.get("loaded"),
                 "Class Events loaded, but %s was not loaded with it. Put "
                 "System.loadLibrary(\"events_jni\") in Events' static block." % LIBRARY)
    with c.test(TEST_THREADS, group="Threads") as t:
        plain.require_methods(t)
        judge_arrival(t, plain, plain.result(t, "basic"), BASIC)
    with c.test(TEST_GLOBAL) as t:
        judge_global(t, plain, xcheck, messages)
    with c.test(TEST_EXCEPTION) as t:
        plain.require_methods(t)
        judge_exception(t, plain, plain.result(t, "throwing"))
    with c.test(TEST_REENTRY, group="Threads") as t:
        judge_reentry(t, plain, xcheck)
    with c.test(TEST_DETACH, group="Threads") as t:
        judge_detach(t, plain)
    with c.test(TEST_STRESS, group="Threads") as t:
        plain.require_methods(t)
        judge_arrival(t, plain, plain.result(t, "stress"), STRESS)
    with c.test(TEST_RELEASE, group="Memory") as t:
        judge_release(t, plain)
    with c.test(TEST_XCHECK) as t:
        judge_xcheck(t, xcheck, messages)
    with c.test(TEST_EXIT) as t:
        judge_exit(t, plain)


# -- judging ---------------------------------------------------------------------------------


def shown_case(got):
    return "Events.start(listener, %s, %s) then Events.stop()" % (got.get("threads"), got.get("count"))


def require_started(t, probe, got, shown=None):
    shown = shown or shown_case(got)
    for what in ("startError", "stopError"):
        if got.get(what):
            t.output = probe.step.output
            t.fail("%s: %s threw %s.%s" % (shown, "start" if what == "startError" else "stop",
                                           got[what], exception_advice(got[what])))
    t.expect(got.get("startStatus") == 0, "%s: start returned %s; expected 0 (what events_start "
             "returned for a valid request)." % (shown, got.get("startStatus")))


def judge_arrival(t, probe, got, case):
    threads, count = case
    total = threads * count
    shown = shown_case(got)
    require_started(t, probe, got)
    calls = got.get("calls", 0)
    if calls == 0:
        t.fail("%s: the listener was never called, although the library delivered %s events. The "
               "callback (on_native_event) must call listener.onEvent(source, seq) with the "
               "library thread's own JNIEnv. %s" % (shown, got.get("delivered"), ATTACH_ADVICE))
    if got.get("firstProblem") or got.get("outOfOrder") or got.get("badSource"):
        t.fail("%s: %s. Every event (source, seq) must reach the listener exactly once, each "
               "source's events in order." % (shown, got.get("firstProblem")))
    t.expect(calls == total and got.get("delivered") == total,
             "%s: the listener saw %d events and the library delivered %s; expected %d of each."
             % (shown, calls, got.get("delivered"), total))
    t.expect(got.get("onCaller") == 0,
             "%s: %s events reached the listener on the thread that called start(). Only the "
             "library's threads should call it." % (shown, got.get("onCaller")))
    t.expect(got.get("outsideCallback") == 0,
             "%s: %s events reached the listener from outside the library's callback. Call the "
             "listener from the callback you give events_start." % (shown, got.get("outsideCallback")))
    t.expect(got.get("stopResult") is False,
             "%s: stop returned %s; expected false (the listener never threw, so the run was not "
             "ended early). Return EVENTS_OK from the callback when the listener returned normally, "
             "and let stop() return true only when events_stop returned 1."
             % (shown, got.get("stopResult")))
    t.message = "%d events, each exactly once and in order, on the library's threads." % total


def judge_global(t, plain, xcheck, messages):
    bad = [b for b in messages if "Bad global or local ref" in b[0] or "Invalid local JNI handle" in b[0]
           or "invalid handle" in b[0].lower()]
    if bad:
        t.output = xcheck.step.output
        t.fail("Under -Xcheck:jni the JVM stopped with \"%s\": a callback used a reference that was "
               "not valid on its thread. %s" % (bad[0][0], GLOBAL_ADVICE))
    got = plain.results.get("basic") or {}
    if not got.get("calls"):
        if plain.step.crashed and plain.last_call in ("basic", "basic:stop"):
            plain.ended_early(t)
        t.fail("Not checked: the listener was never called (see '%s')." % TEST_THREADS)
    xgot = xcheck.results.get("x-basic") or {}
    if not xgot.get("calls"):
        t.output = xcheck.step.output
        t.fail("Not checked: under -Xcheck:jni the listener was never called%s (see '%s')."
               % (xcheck.where(), TEST_XCHECK))
    t.message = "The callbacks reached the listener after start() had returned, on other threads."


def judge_exception(t, probe, got):
    shown = "Events.start(listener that throws at seq 3, %s, %s) then Events.stop()" % (
        got.get("threads"), got.get("count"))
    require_started(t, probe, got, shown)
    t.output = probe.step.output
    if not got.get("thrown"):
        t.fail("%s: the listener saw %s events and never got to throw (see '%s')."
               % (shown, got.get("calls"), TEST_THREADS))
    if got.get("uncaught"):
        t.fail("%s: the listener's exception reached a thread's uncaught-exception handler (the "
               "checker's line \"an exception reached the uncaught-exception handler\" in the "
               "output): it was still pending on the library's thread when that thread detached. "
               "%s" % (shown, EXCEPTION_ADVICE))
    t.expect(got.get("afterThrow") == 0,
             "%s: after the listener had thrown, it was called %s more time(s): the run went on. %s"
             % (shown, got.get("afterThrow"), EXCEPTION_ADVICE))
    t.expect(got.get("stopResult") is True,
             "%s: stop() returned %s; expected true, because the listener threw and the run ended "
             "early (events_stop returns 1 then). %s" % (shown, got.get("stopResult"), EXCEPTION_ADVICE))
    t.message = ("The listener threw at event %d of %d; no event followed, and stop() returned true."
                 % (got.get("calls"), THROWING[0] * THROWING[1]))


def judge_reentry(t, plain, xcheck):
    for probe in (plain, xcheck):
        match = REENTRY_LINE.search(strip_ansi(probe.step.output))
        reentered = (probe.after or {}).get("reentered")
        if match or reentered:
            t.output = probe.step.output
            function = match.group(1) if match else "events_start or events_stop"
            hung = (" and the run hung until the checker stopped it after %d s" % HANG_TIMEOUT
                    if probe.step.timed_out else "")
            t.fail("Your callback called %s() while the library was running it%s. %s"
                   % (function, hung, REENTRY_ADVICE))
    for probe in (plain, xcheck):
        if probe.step.timed_out and not probe.done:
            t.output = probe.step.output
            t.fail("The checker's Java process %s%s: the events stopped arriving and nothing "
                   "returned, which is a deadlock. %s" % (describe_run(probe.step), probe.where(),
                                                        REENTRY_ADVICE))
    if plain.after is None:
        t.output = plain.step.output
        t.fail("Not checked: the checker's process %s%s before it could ask the library (see "
               "'%s')." % (describe_run(plain.step), plain.where(), TEST_EXIT))
    if not (plain.results.get("throwing") or {}).get("calls"):
        t.fail("Not checked: the listener was never called, so no callback ran (see '%s')."
               % TEST_THREADS)
    t.message = "No callback called into the library."


def judge_detach(t, probe):
    step = probe.step
    t.output = step.output
    left = sum(r.get("aliveAfter") or 0 for r in probe.results.values())
    if left:
        t.fail("After Events.stop() had returned, %d Java thread(s) that had called your listener "
               "were still alive. A native thread stays registered with the JVM, as a live Java "
               "thread, from AttachCurrentThread until DetachCurrentThread, even after the "
               "pthread itself has ended; when the program ends, the JVM waits for every such "
               "thread, forever. %s" % (left, DETACH_ADVICE))
    if step.timed_out and probe.done:
        t.fail("Every event was delivered, but then the JVM did not exit: the checker's process "
               "%s. At its end the JVM waits for all live Java threads, and a native thread that "
               "attached itself and ended without DetachCurrentThread counts as one forever. %s"
               % (describe_run(step), DETACH_ADVICE))
    if not probe.done:
        t.fail("Not checked: the checker's process %s%s before it could make all its calls (see "
               "'%s')." % (describe_run(step), probe.where(),
                           TEST_REENTRY if step.timed_out else TEST_EXIT))
    if not any(r.get("calls") for r in probe.results.values()):
        t.fail("Not checked: the listener was never called, so no thread had anything to detach "
               "(see '%s')." % TEST_THREADS)
    t.message = "No thread that called the listener was left alive, and the JVM exited."


def judge_release(t, probe):
    after = probe.after
    if after is None:
        t.output = probe.step.output
        t.fail("Not checked: the checker's process %s%s before it got this far."
               % (describe_run(probe.step), probe.where()))
    if not any(r.get("calls") for r in probe.results.values()):
        t.fail("Not checked: the listener was never called (see '%s')." % TEST_THREADS)
    held = after.get("listenersHeld")
    t.expect(held == 0,
             "%s of the checker's %s listeners could not be garbage-collected after Events.stop() "
             "had returned: something still holds a reference to them, most likely a global "
             "reference from NewGlobalRef that was never deleted. Call DeleteGlobalRef in stop(), "
             "after events_stop() has returned." % (held, after.get("listeners")))
    t.message = "After stop(), every listener could be garbage-collected."


def judge_xcheck(t, probe, messages):
    step = probe.step
    t.output = step.output
    if messages:
        first = messages[0][0]
        t.fail("Under -Xcheck:jni the JVM printed %d message(s); the first: \"%s\". %s"
               % (len(messages), first, xcheck_advice(first)))
    if step.timed_out and not probe.done:
        t.fail("Under -Xcheck:jni the checker's Java process %s%s (see '%s')."
               % (describe_run(step), probe.where(), TEST_REENTRY))
    if not step.ok:
        t.fail("Under -Xcheck:jni the checker's Java process %s%s.%s"
               % (describe_run(step), probe.where(), probe.crash_advice()))
    if not probe.done:
        t.fail("Under -Xcheck:jni the checker could not make all its calls%s." % probe.where())
    if probe.left_out:
        t.fail("Not checked in full: the case that hung in the first run was left out here (see "
               "'%s')." % TEST_REENTRY)
    for key, case in (("x-basic", BASIC), ("x-stress", XCHECK_STRESS)):
        got = probe.results.get(key) or {}
        if got.get("calls") != case[0] * case[1]:
            t.fail("Under -Xcheck:jni, %s: the listener saw %s of %d events (see '%s')."
                   % (shown_case(got), got.get("calls"), case[0] * case[1], TEST_THREADS))
    t.message = "No warnings in three runs, the largest %d events from %d threads." % (
        XCHECK_STRESS[0] * XCHECK_STRESS[1], XCHECK_STRESS[0])


def judge_exit(t, probe):
    step = probe.step
    t.output = step.output
    if step.timed_out:
        t.fail("The checker's Java process %s: the JVM did not exit (see '%s')."
               % (describe_run(step), TEST_DETACH if probe.done else TEST_REENTRY))
    if not step.ok:
        t.fail("The checker's Java process %s%s.%s"
               % (describe_run(step), probe.where(), probe.crash_advice()))
    if not probe.done:
        t.fail("The checker's Java process exited with code 0 before it had made all its calls%s: "
               "something in your code ended the process (System.exit, exit())." % probe.where())


def xcheck_advice(line):
    if "non-Java thread" in line:
        return ATTACH_ADVICE
    if "Bad global or local ref" in line or "Invalid local JNI handle" in line:
        return GLOBAL_ADVICE
    if "without checking exceptions" in line or "exception pending" in line:
        return EXCEPTION_ADVICE
    return "The message names the JNI rule your C code broke; the lines under it show where."


def exception_advice(text):
    text = text or ""
    match = re.search(r"UnsatisfiedLinkError: no (\S+) in java\.library\.path", text)
    if match:
        return (" System.loadLibrary(\"%s\") looks for lib%s.so; the checker builds %s, so pass "
                "\"events_jni\"." % (match.group(1), match.group(1), LIBRARY))
    if "UnsatisfiedLinkError" in text:
        return (" The JVM found no C function for this native method: is "
                "System.loadLibrary(\"events_jni\") in Events' static block, and are the C functions "
                "declared exactly as javac -h wrote them into Events.h?")
    return ""


# -- what the probe saw ----------------------------------------------------------------------


class Probe:
    def __init__(self, c, step):
        self.step = step
        self.last_call = None
        self.init = None
        self.methods = None
        self.after = None
        self.done = False
        self.left_out = []
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
            elif kind == "after":
                self.after = message
            elif kind == "done":
                self.done = True
            elif kind == "case":
                if message.get("id") in self.results:
                    self.duplicates.add(message.get("id"))
                self.results[message.get("id")] = message
        self.hs_err = relay_hs_err(c, step, test=TEST_EXIT) if step.crashed else None

    def where(self):
        call = self.last_call or ""
        if call == "init":
            return " while loading class Events (its static initializer)"
        if call == "gc":
            return " after the last Events.stop()"
        name = call.split(":")[0].replace("x-", "")
        sizes = {"basic": BASIC, "stress": STRESS if not call.startswith("x-") else XCHECK_STRESS,
                 "throwing": THROWING}.get(name)
        if sizes is None:
            return ""
        listener = "a listener that throws" if name == "throwing" else "listener"
        if call.endswith(":stop"):
            return " in Events.stop(), after Events.start(%s, %d, %d)" % ((listener,) + sizes)
        return " in Events.start(%s, %d, %d)" % ((listener,) + sizes)

    def crash_advice(self):
        text = strip_ansi(self.step.output)
        if "FATAL ERROR in native method" in text:
            return " -Xcheck:jni stopped the JVM: see the FATAL ERROR line in the output."
        if self.hs_err and "Current thread is native thread" in self.hs_err:
            return (" The hs_err report says the crashing thread was a native thread the JVM does "
                    "not know (not attached), inside a JNI function. " + ATTACH_ADVICE)
        if self.step.crashed:
            return (" The JVM crashed inside native code: the lines starting with # in the output "
                    "name the problematic frame. A listener reference that is not a global "
                    "reference, or a JNIEnv used on the wrong thread, are the usual causes.")
        return ""

    def ended_early(self, t):
        t.output = self.step.output
        if self.step.timed_out:
            t.fail("The checker's Java process %s%s: see '%s'." % (describe_run(self.step), self.where(),
                                                                   TEST_REENTRY))
        t.fail("The checker's Java process %s%s.%s"
               % (describe_run(self.step), self.where(), self.crash_advice()))

    def require_class(self, t):
        if self.init is None:
            self.ended_early(t)
        if self.init.get("error"):
            t.output = self.step.output
            t.fail("Class Events could not be loaded: its static initializer threw %s.%s"
                   % (self.init["error"], exception_advice(self.init["error"])))

    def require_methods(self, t):
        self.require_class(t)
        if self.methods is None:
            self.ended_early(t)
        for name, signature, returns in (
                ("start", "public static native int start(EventListener listener, int threads, int count)", "int"),
                ("stop", "public static native boolean stop()", "boolean")):
            shape = self.methods.get(name)
            t.expect(shape, "Events has no method %s; keep `%s` from the starter." % (name, signature))
            t.expect(shape.get("static") and shape.get("native") and shape.get("returns") == returns,
                     "Events.%s must be declared `%s` and implemented in %s." % (name, signature, STUDENT_C))

    def result(self, t, ident):
        got = self.results.get(ident)
        if got is None:
            self.ended_early(t)
        t.expect(ident not in self.duplicates,
                 "The checker received more than one report for the same case: something in the "
                 "process wrote into the checker's private channel.", output=self.step.output)
        return got


