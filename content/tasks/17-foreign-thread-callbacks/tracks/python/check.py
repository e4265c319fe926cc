"""Check for task 17 (python track): a binding of an event library whose own threads call back.

Runs in the harness's trusted process (docs/writing-a-check.md). The library is ours
(support/events.c, built here as libevents.so); the student's pyevents.c is built into an
extension linked against it. The hidden events_driver.py registers Python callbacks through
pyevents and reports on its channel what arrived, on which threads, what the library itself
counted (read straight from libevents.so), and reference counts. Each part runs in its own process
(a crash or a hang in one cannot hide the results of another):

1. "events": 4 library threads x 250 events, then a callback whose reference count and
   collectability are watched across start()/stop();
2. "keep-alive": a callable nothing but the binding refers to, under Python's debug allocator
   (PYTHONMALLOC=debug fills freed memory, so a call into a freed callable fails at once);
3. "exceptions": a callback that raises on one event, then an ordinary run;
4. "asan": 3 runs of 8 threads x 1,000 events against builds made with clang
   -fsanitize=address, the ASan runtime preloaded, PYTHONMALLOC=malloc, LeakSanitizer's check run
   before the interpreter exits; only leaks with a frame in pyevents.c count;
5. "tsan": the same stress under ThreadSanitizer (clang -fsanitize=thread, runtime preloaded).
   The interpreter is not instrumented, so TSan sees races between accesses in pyevents.c and
   events.c only; the GIL checks above cover the rest.

libcrashprobe.so (crashprobe.c, as in task 12) says whether a crashing thread had a Python thread
state. A hang is ended by faulthandler's watchdog in the driver; the library prints a line when a
callback re-enters it, so that hang has a name. The judging happens here.
"""

import hashlib
import json
import os
import re
import sysconfig

STUDENT_FILE = "pyevents.c"
INCLUDE = sysconfig.get_paths()["include"]
MODULE_FILE = "pyevents" + sysconfig.get_config_var("EXT_SUFFIX")
LIBRARY_SOURCE, LIBRARY = "events.c", "libevents.so"
PROBE_SOURCE, PROBE_LIBRARY = "crashprobe.c", "libcrashprobe.so"
DRIVER = "events_driver.py"
ASAN_DIR, TSAN_DIR = "asan", "tsan"
RUNTIMES = "/usr/lib/llvm-19/lib/clang/19/lib/linux/"
ASAN_OPTIONS = ":".join([
    "detect_leaks=1",
    "leak_check_at_exit=0",  # the driver runs the check itself, before the interpreter exits
    "halt_on_error=0",
    "print_summary=1",
    "symbolize=1",
    "color=never",  # steps run on a pty with TERM set: reports would be coloured
])
TSAN_OPTIONS = "halt_on_error=0:exitcode=66:color=never:report_signal_unsafe=0"
STRESS = {"threads": 8, "count": 1000, "runs": 3}
WATCHDOG = 8

BUILD = "pyevents builds"
T_EVENTS = "every event arrives once, on the library's threads"
T_ALIVE = "the callback stays alive while registered"
T_RELEASE = "no reference leaks: the callback after stop(), every result at once"
T_EXCEPTION = "a raising callback is reported and stops the run"
T_GIL = "library threads take the GIL before calling Python"
T_REENTRY = "the callback never re-enters the library"
M_ASAN = "stress under ASan: 3 runs of 8 threads x 1,000 events"
T_TSAN = "stress under ThreadSanitizer"
TESTS = [(T_EVENTS, "Tests"), (T_ALIVE, "Tests"), (T_RELEASE, "Tests"), (T_EXCEPTION, "Tests"),
         (T_GIL, "Threads"), (T_REENTRY, "Threads"), (M_ASAN, "Memory"), (T_TSAN, "Threads")]

ATTACH_ADVICE = (
    "The library's threads were created by the library, not by Python, and have no Python thread "
    "state: the trampoline must call PyGILState_STATE gil = PyGILState_Ensure(); before its "
    "first Python call and PyGILState_Release(gil); after its last one.")
ALIVE_ADVICE = (
    "start() received a borrowed reference, valid only until it returns, and the library calls "
    "the callable long after that. Keep a strong one for the library's lifetime: "
    "registered = Py_NewRef(callback); in start(), Py_CLEAR(registered); in stop() once "
    "events_stop() has returned.")
EXCEPTION_ADVICE = (
    "When PyObject_Call* returns NULL the callback raised: report the exception and clear it "
    "(PyErr_WriteUnraisable(callback); or PyErr_Print();) and return EVENTS_STOP, the status the "
    "library understands. An exception left pending is silently thrown away with the thread "
    "state, and the library never learns that the event failed.")
REENTRY_ADVICE = (
    "The library holds its lock while it calls your trampoline, so any events_* call from there "
    "waits for a lock its own thread holds. Do the minimum in the callback and let the return "
    "value speak: EVENTS_STOP stops the run.")
STOP_ADVICE = (
    "stop() waits in events_stop() for the library's threads, and each of them needs the GIL to "
    "finish the call it is making. Release the GIL around the wait: Py_BEGIN_ALLOW_THREADS "
    "stopped = events_stop(); Py_END_ALLOW_THREADS.")
DIM = "\x1b[2m"
HUNG = re.compile(r"Timeout \(\d+:\d\d:\d\d\)!")
REENTERED = re.compile(r"events: (\w+)\(\) called from inside an event callback[^\n]*")
FATAL = re.compile(r"Fatal Python error: [^\n]*")


def run(c):
    probe_hash = build_probe(c)
    build_library(c, ["cc", "-g", "-O2"], LIBRARY)
    build = c.step("build", ["cc", "-shared", "-fPIC", "-g", "-O2", "-Wall", "-pthread",
                             "-I" + INCLUDE, "-I.", "-o", MODULE_FILE, STUDENT_FILE,
                             "-L.", "-levents", "-Wl,-rpath,$ORIGIN"],
                   timeout=60, test=BUILD, group="Build")
    if not build.ok:
        for name, group in TESTS:
            c.skip(name, "%s did not build (see the test %r)." % (STUDENT_FILE, BUILD), group=group)
        return

    c.note("The checker registers callbacks through pyevents; the library's threads call them.",
           style=DIM)
    events = Driver(c, probe_hash, "events", {"experiments": ["events", "release"]})
    # A binding that hangs in stop() hangs in every run: skip the others, they would only wait.
    hung = events.hung and not events.reentered
    alive = exceptions = None
    if hung:
        c.note("The first run hung, so the checker skips the runs that would hang the same way.",
               style=DIM)
    else:
        c.note("Now a callable that nothing but your binding refers to (PYTHONMALLOC=debug).",
               style=DIM)
        alive = Driver(c, probe_hash, "keep-alive", {"experiments": ["alive"]},
                       env={"PYTHONMALLOC": "debug"})
        c.note("Now a callback that raises on one event.", style=DIM)
        exceptions = Driver(c, probe_hash, "exceptions", {"experiments": ["exception"],
                                                          "watchdog": 5})
    drivers = [d for d in (events, alive, exceptions) if d is not None]

    check_events(c, events)
    check_alive(c, alive or events)
    check_release(c, events)
    check_exception(c, exceptions or events)

    stress = []
    if hung:
        for name in (M_ASAN, T_TSAN):
            c.skip(name, "the first run hung in stop() (see the test %r)." % T_EVENTS,
                   group="Memory" if name == M_ASAN else "Threads")
    else:
        c.note("Now the stress run under AddressSanitizer.", style=DIM)
        stress.append(check_asan(c, probe_hash))
        c.note("Now the stress run under ThreadSanitizer.", style=DIM)
        stress.append(check_tsan(c, probe_hash))
    drivers += [d for d in stress if d is not None]
    check_gil(c, drivers)
    check_reentry(c, drivers)


# -- hidden helpers -----------------------------------------------------------------------


def build_probe(c):
    step = c.step("build checker", ["cc", "-shared", "-fPIC", "-O1", "-I" + INCLUDE,
                                    "-o", PROBE_LIBRARY, PROBE_SOURCE],
                  timeout=60, show=False, echo=False)
    data = c.read_bytes(PROBE_LIBRARY)
    if not step.ok or data is None:
        raise RuntimeError("the checker's helper library did not build: " + step.output[-500:])
    return hashlib.sha256(data).hexdigest()


def build_library(c, compiler, target):
    step = c.step("build library", compiler + ["-shared", "-fPIC", "-Wall", "-pthread", "-o",
                                               target, LIBRARY_SOURCE],
                  timeout=60, show=False, echo=False)
    if not step.ok:
        raise RuntimeError("the events library did not build: " + step.output[-500:])


def fresh_probe(c, probe_hash):
    """Student code runs in the same folder: rebuild the helper if anything replaced it."""
    data = c.read_bytes(PROBE_LIBRARY)
    if data is None or hashlib.sha256(data).hexdigest() != probe_hash:
        build_probe(c)


class Driver:
    """Runs events_driver.py once and sorts what it reported."""

    def __init__(self, c, probe_hash, name, request, env=None, module=MODULE_FILE,
                 library=LIBRARY, timeout=20):
        fresh_probe(c, probe_hash)
        request = dict(request, module=module, library=library)
        request.setdefault("watchdog", WATCHDOG)
        self.c = c
        self.name = name
        self.module = module
        self.watchdog = request["watchdog"]
        self.step = c.step(name, ["python3", DRIVER], timeout=timeout,
                           env=dict({"PYTHONFAULTHANDLER": None}, **(env or {})), channel=True,
                           stdin=json.dumps(request))
        self.last_call = None
        self.imported = None
        self.crash = None
        self.done = False
        self.seen = {}
        self.stress = []
        for message in self.step.messages:
            if not isinstance(message, dict):
                continue
            kind = message.get("kind")
            if kind == "calling":
                self.last_call = message.get("what")
            elif kind == "import":
                self.imported = message
            elif kind == "crash" and self.crash is None:
                self.crash = message
            elif kind == "done":
                self.done = True
            elif kind == "stress" and message.get("run") is not None:
                self.stress.append(message)
            else:
                self.seen.setdefault(kind, message)
        self.reentered = REENTERED.search(self.step.output)
        self._where = None

    @property
    def hung(self):
        return self.step.timed_out or (self.step.exit_code == 1 and not self.done
                                       and bool(HUNG.search(self.step.output)))

    @property
    def unattached_crash(self):
        return bool(self.crash) and self.crash.get("thread_state") is False and not self.step.ok

    def how_it_ended(self):
        where = " while the checker was running %s" % self.last_call if self.last_call else ""
        if self.hung:
            text = "the process hung%s and was stopped after %s s" % (
                where, self.step.timeout if self.step.timed_out else self.watchdog)
        else:
            text = "the process %s%s" % (self.step.describe(), where)
        fatal = FATAL.search(self.step.output)
        if fatal and not self.step.ok:
            text += "; Python said \"%s\"" % fatal.group(0).strip()
        return text

    def diagnosis(self):
        if self.reentered:
            return " The library said: \"%s\": see the test %r." % (
                self.reentered.group(0).split(";")[0], T_REENTRY)
        if self.hung and "stop()" in (self.last_call or ""):
            return " " + STOP_ADVICE
        if self.unattached_crash:
            return (" It died on a library thread that had no Python thread state: see the test "
                    "%r." % T_GIL)
        return ""

    def require_module(self, t):
        t.output = self.step.output
        if self.imported is None:
            t.fail("The checker could not import pyevents: %s.%s"
                   % (self.how_it_ended(), self.diagnosis()))
        if self.imported.get("error"):
            t.fail("import pyevents failed: %s" % self.imported["error"])
        missing = [n for n, ok in (self.imported.get("functions") or {}).items() if not ok]
        if missing:
            t.fail("The module pyevents has no function %s. Check the PyMethodDef table of %s."
                   % (" or ".join(missing), STUDENT_FILE))

    def result(self, t, kind):
        self.require_module(t)
        seen = self.seen.get(kind)
        if seen is None:
            t.fail("No result: %s.%s" % (self.how_it_ended(), self.diagnosis()))
        if seen.get("error"):
            t.fail("%s raised %s" % (self.last_call or "pyevents", seen["error"]))
        return seen

    def where(self):
        if self._where is None:
            self._where = locate(self.c, self.crash or {}, self.module)
        return self._where


def locate(c, crash, module):
    frames = [f for f in crash.get("frames") or [] if isinstance(f, list) and len(f) == 3]
    mine = [f for f in frames if os.path.basename(str(f[0])) == os.path.basename(module)]
    offsets = []
    for f in mine[:8]:
        try:
            offsets.append("%#x" % max(int(f[2]) - 1, 0))
        except (TypeError, ValueError):
            continue
    if not offsets:
        return []
    symbols = c.step("addr2line", ["addr2line", "-a", "-f", "-i", "-e", module] + offsets,
                     timeout=10, show=False, echo=False)
    found, function = [], None
    for line in symbols.output.splitlines():
        line = line.strip()
        if line.startswith("0x"):
            function = None
        elif function is None:
            function = line
        else:
            match = re.match(r"(.*):(\d+)", line)
            if match and match.group(1) != "??" and match.group(2) != "0":
                found.append({"file": os.path.basename(match.group(1)),
                              "line": int(match.group(2)), "function": function})
            function = None
    return [f for f in found if f["file"] == STUDENT_FILE] or found


def at(frames):
    if not frames:
        return ""
    return " at %s:%d (in %s)" % (frames[0]["file"], frames[0]["line"], frames[0]["function"])


# -- the tests ----------------------------------------------------------------------------


def judge_summary(t, summary, nthreads, count, what):
    """Fails t unless every (source, seq) arrived exactly once, in order per source."""
    total = nthreads * count
    if summary["received"] == 0:
        t.fail("%s: the callback was never called." % what)
    if summary["missing"]:
        t.fail("%s: %d of %d events never reached the callback (first: %s)."
               % (what, summary["missing"], total, summary["missing_first"]))
    if summary["doubled"]:
        t.fail("%s: %d events reached the callback more than once (first: %s)."
               % (what, summary["doubled"], summary["doubled_first"]))
    if summary["strange"]:
        t.fail("%s: the callback got (source, seq) pairs the library never sent: %s. Pass the "
               "trampoline's source and sequence through unchanged, in that order."
               % (what, summary["strange"]))
    if summary["in_order"] is False:
        t.fail("%s: the events of one source arrived out of order." % what)


def check_events(c, driver):
    with c.test(T_EVENTS) as t:
        seen = driver.result(t, "events")
        judge_summary(t, seen["summary"], 4, 250, "4 threads x 250 events")
        t.expect(not seen.get("on_main"), "Some events were delivered on the main thread: the "
                 "binding must let the library's threads make the calls.")
        t.expect(seen.get("delivered") == 1000, "The library counted %s delivered events; "
                 "expected 1000." % seen.get("delivered"))
        t.expect(seen["returned"]["repr"] == "False", "stop() returned %s after a run in which "
                 "every event was handled; it should return False." % seen["returned"]["repr"])
        t.message = "1000 events from 4 library threads (%d distinct), each exactly once." % (
            seen["summary"]["idents"])


def check_alive(c, driver):
    with c.test(T_ALIVE) as t:
        driver.require_module(t)
        if "alive" not in driver.seen and driver.crash and driver.crash.get("thread_state"):
            t.fail("The process %s on a library thread%s while it called a callable nothing in "
                   "Python referred to any more. %s"
                   % (driver.step.describe(), at(driver.where()), ALIVE_ADVICE))
        seen = driver.result(t, "alive")
        if seen.get("received") != 400:
            t.fail("start(make_callback(), 4, 100): the callable received %s of the 400 events "
                   "(the library delivered %s): the calls went somewhere else after it was "
                   "freed. %s" % (seen.get("received"), seen.get("delivered"), ALIVE_ADVICE))
        t.message = "A callable only the binding referred to received all 400 events."


def check_release(c, driver):
    with c.test(T_RELEASE) as t:
        events = driver.result(t, "events")
        live = events.get("live_results")
        if live:
            t.fail("After 4 x 250 events and stop(), %d of the 1000 objects the callback returned "
                   "were still alive: the trampoline never released them. PyObject_Call* returns "
                   "a new reference: Py_DECREF(result) once you are done with it (with the GIL "
                   "held). LeakSanitizer does not report such objects: the interpreter's garbage "
                   "collector still links them, so they look reachable." % live)
        seen = driver.result(t, "release")
        t.expect(seen.get("received") == 100, "start(callback, 2, 50): the callback received %s "
                 "of 100 events." % seen.get("received"))
        grew = seen["refs_after"] - seen["refs_before"]
        if grew > 0 or not seen.get("collected"):
            t.fail("After stop() the binding still holds %d reference(s) to the callback, so it "
                   "can never be freed (a leak per start()). Release it in stop() once "
                   "events_stop() has returned: Py_CLEAR(registered);." % max(grew, 1))
        t.expect(grew == 0, "After start() and stop() the callback's reference count dropped by "
                 "%d: the binding releases a reference it never took." % -grew)
        t.message = "Every result was released at once; after stop() the callback's reference " \
                    "count is back where it was, and it was collected once the checker let go."


def check_exception(c, driver):
    with c.test(T_EXCEPTION) as t:
        seen = driver.result(t, "exception")
        reports = seen.get("reports") or []
        ours = [r for r in reports if r.get("type") == "ValueError"
                and "boom from the checker" in (r.get("message") or "")]
        if not ours:
            t.fail("The callback raised ValueError on event (0, 10), and it was never reported: "
                   "neither sys.unraisablehook nor sys.excepthook saw it%s. %s" % (
                       " (they saw: %s)" % ", ".join("%s %s" % (r["type"], r["message"])
                                                    for r in reports) if reports else "",
                       EXCEPTION_ADVICE))
        if seen.get("delivered", 0) >= 4000:
            t.fail("The exception was reported, but the library went on and delivered all 4000 "
                   "events: it never got a status saying the event failed. Return EVENTS_STOP "
                   "from the trampoline when the callback raised.")
        t.expect(seen["returned"]["repr"] == "True", "stop() returned %s after a callback "
                 "stopped the run; it should return True (events_stop() returned 1)."
                 % seen["returned"]["repr"])
        after = driver.seen.get("after_exception")
        if after is None:
            t.fail("After the raising run, the next start()/stop() did not finish: %s.%s"
                   % (driver.how_it_ended(), driver.diagnosis()))
        judge_summary(t, after["summary"], 2, 50, "The run after the raising one")
        t.message = ("Reported through %s; the library stopped after %d of 4000 events."
                     % (ours[0]["hook"], seen.get("delivered")))


def check_gil(c, drivers):
    with c.test(T_GIL, group="Threads") as t:
        for driver in drivers:
            if driver.unattached_crash:
                t.output = driver.step.output
                frames = driver.where()
                c.finding("crashprobe", "gil-not-held",
                          "a library thread called into Python without a thread state", frames)
                t.fail("In the %s run the process %s on a library thread%s that had no Python "
                       "thread state: it called into the interpreter without attaching. (Without "
                       "faulthandler such a crash is silent: SIGSEGV, exit code 139.) %s"
                       % (driver.name, driver.step.describe(), at(frames), ATTACH_ADVICE))
            fatal = re.search(r"Fatal Python error: [^\n]*(GIL|thread state)[^\n]*",
                              driver.step.output)
            if fatal and not driver.step.ok:
                t.output = driver.step.output
                t.fail("In the %s run Python stopped the process: \"%s\". %s"
                       % (driver.name, fatal.group(0).strip(), ATTACH_ADVICE))
        if not any(d.seen.get("events") or d.stress for d in drivers):
            t.output = drivers[0].step.output
            t.fail("Could not be checked: no run got as far as a result (%s)."
                   % drivers[0].how_it_ended())
        t.message = "Every call from a library thread had a thread state and the GIL."


def check_reentry(c, drivers):
    with c.test(T_REENTRY, group="Threads") as t:
        for driver in drivers:
            if driver.reentered:
                t.output = driver.step.output
                c.finding("events", "deadlock", "the callback called %s() while the library held "
                          "its lock" % driver.reentered.group(1))
                t.fail("In the %s run the trampoline called %s() while the library was calling "
                       "it; the library printed \"%s\", and %s. %s"
                       % (driver.name, driver.reentered.group(1),
                          driver.reentered.group(0).split(";")[0], driver.how_it_ended(),
                          REENTRY_ADVICE))
        if not any(d.done for d in drivers):
            t.output = drivers[0].step.output
            t.fail("Could not be checked: no run finished (%s)." % drivers[0].how_it_ended())
        t.message = "No callback called back into the library."


# -- the stress runs under the sanitizers ------------------------------------------------------


def build_sanitized(c, folder, flag):
    c.write_file(folder + "/.keep", b"")
    common = ["clang", "-g", "-O1", "-fno-omit-frame-pointer", flag, "-shared-libsan"]
    build_library(c, common, folder + "/" + LIBRARY)
    return c.step("build " + folder, common + [
        "-shared", "-fPIC", "-Wall", "-pthread", "-I" + INCLUDE, "-I.", "-o",
        folder + "/" + MODULE_FILE, STUDENT_FILE, "-L" + folder, "-levents",
        "-Wl,-rpath,$ORIGIN"], timeout=60, show=False, echo=False)


def judge_stress(t, driver, tool):
    driver.require_module(t)
    for seen in driver.stress:
        what = "Under %s, run %d of %d (%d threads x %d events)" % (
            tool, seen["run"], STRESS["runs"], STRESS["threads"], STRESS["count"])
        judge_summary(t, seen["summary"], STRESS["threads"], STRESS["count"], what)
        t.expect(not seen.get("on_main"), "%s: some events were delivered on the main thread."
                 % what)
    if len(driver.stress) < STRESS["runs"] or not driver.done:
        t.fail("Under %s only %d of %d runs finished: %s.%s" % (
            tool, len(driver.stress), STRESS["runs"], driver.how_it_ended(), driver.diagnosis()))


def asan_reports(output):
    blocks, current = [], None
    for line in output.splitlines():
        if re.search(r"==\d+==ERROR: (AddressSanitizer|LeakSanitizer)", line):
            current = [line]
            continue
        if current is not None:
            current.append(line)
            if line.startswith("SUMMARY: "):
                blocks.append("\n".join(current))
                current = None
    if current:
        blocks.append("\n".join(current))
    return blocks


def check_asan(c, probe_hash):
    build = build_sanitized(c, ASAN_DIR, "-fsanitize=address")
    if not build.ok:
        c.failed(M_ASAN, "Could not be checked: clang -fsanitize=address did not build %s."
                 % STUDENT_FILE, output=build.output, group="Memory")
        return None
    driver = Driver(c, probe_hash, "asan", {"experiments": ["stress"], "stress": STRESS,
                                            "leak_check": True, "watchdog": 60},
                    env={"LD_PRELOAD": RUNTIMES + "libclang_rt.asan-x86_64.so",
                         "PYTHONMALLOC": "malloc", "ASAN_OPTIONS": ASAN_OPTIONS},
                    module=ASAN_DIR + "/" + MODULE_FILE, library=ASAN_DIR + "/" + LIBRARY,
                    timeout=90)
    errors, leaks, others = [], [], 0
    for block in asan_reports(driver.step.output):
        if "LeakSanitizer" in block.splitlines()[0]:
            others += 1
            records = re.split(r"\n(?=(?:Direct|Indirect) leak of )", block)
            mine = [r for r in records if re.match(r"(?:Direct|Indirect) leak of", r)
                    and STUDENT_FILE in r]
            if mine:
                leaks += mine
                c.report("asan", block, test=M_ASAN)
        else:
            errors.append(block)
            c.report("asan", block, test=M_ASAN)
    if others and not leaks:
        c.note("The LeakSanitizer report above is about the interpreter's own memory; only leaks "
               "with a frame in %s count." % STUDENT_FILE, style=DIM)
    with c.test(M_ASAN, group="Memory") as t:
        t.output = driver.step.output
        if errors:
            summary = re.search(r"SUMMARY: AddressSanitizer: [^\n]*", errors[0])
            t.fail("ASan: %s (%d report%s)." % (
                summary.group(0) if summary else errors[0].splitlines()[0], len(errors),
                "" if len(errors) == 1 else "s"))
        judge_stress(t, driver, "ASan")
        if leaks:
            total = sum(int(n) for r in leaks for n in re.findall(r"leak of (\d+) byte",
                                                                   r.splitlines()[0]))
            where = re.search(r"in (\w+) \S*?%s:(\d+)" % re.escape(STUDENT_FILE), leaks[0])
            t.fail("LeakSanitizer: %d byte(s) allocated through %s were never freed%s. Every "
                   "new reference the trampoline gets (the callback's result) must be released "
                   "with Py_DECREF, with the GIL held." % (
                       total, STUDENT_FILE,
                       " (%s, %s:%s)" % (where.group(1), STUDENT_FILE, where.group(2))
                       if where else ""))
        if "leak_check" not in driver.seen:
            t.fail("Could not be checked: the leak check runs once every run is done, but %s."
                   % driver.how_it_ended())
        t.message = "%d callbacks from %d threads under ASan: every count exact, no error, no " \
                    "leak in %s." % (STRESS["threads"] * STRESS["count"] * STRESS["runs"],
                                     STRESS["threads"], STUDENT_FILE)
    return driver


def check_tsan(c, probe_hash):
    build = build_sanitized(c, TSAN_DIR, "-fsanitize=thread")
    if not build.ok:
        c.failed(T_TSAN, "Could not be checked: clang -fsanitize=thread did not build %s."
                 % STUDENT_FILE, output=build.output, group="Threads")
        return None
    driver = Driver(c, probe_hash, "tsan", {"experiments": ["stress"], "stress": STRESS,
                                            "watchdog": 60},
                    env={"LD_PRELOAD": RUNTIMES + "libclang_rt.tsan-x86_64.so",
                         "TSAN_OPTIONS": TSAN_OPTIONS},
                    module=TSAN_DIR + "/" + MODULE_FILE, library=TSAN_DIR + "/" + LIBRARY,
                    timeout=90)
    races = re.findall(r"WARNING: ThreadSanitizer: [^\n]*(?:\n(?!=====)[^\n]*)*",
                       driver.step.output)
    for race in races:
        c.report("tsan", race, test=T_TSAN)
    with c.test(T_TSAN, group="Threads") as t:
        t.output = driver.step.output
        if races:
            where = re.search(r"\S*?(%s|%s):(\d+)" % (re.escape(STUDENT_FILE),
                                                       re.escape(LIBRARY_SOURCE)), races[0])
            t.fail("ThreadSanitizer: %s%s (%d report%s). Two threads touched the same memory "
                   "without a lock or the GIL ordering them." % (
                       races[0].splitlines()[0].replace("WARNING: ThreadSanitizer: ", ""),
                       " at %s:%s" % (where.group(1), where.group(2)) if where else "",
                       len(races), "" if len(races) == 1 else "s"))
        judge_stress(t, driver, "ThreadSanitizer")
        t.message = ("No race between your code and the library's threads. (The interpreter is "
                     "not built with -fsanitize=thread, so TSan cannot see races inside it.)")
    return driver
