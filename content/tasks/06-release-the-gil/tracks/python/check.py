"""Check for task 6 (python track): a C extension that releases the GIL around a blocking call.

Runs in the harness's trusted process (docs/writing-a-check.md). The student's slowwork.c is
built into an extension module; the hidden gil_driver.py imports it in separate processes (one
per experiment, so a crash in one does not take the others with it) and reports what it timed
on its channel. Every driver runs with Python's debug memory allocator (PYTHONMALLOC=debug, as
under `python3 -X dev`), which aborts when a thread that does not hold the GIL allocates an
object, and with libgilprobe.so (support/gilprobe.c), which reports the native stack and whether
the crashing thread had a Python thread state. The judging happens here.
"""

import hashlib
import json
import os
import re
import sysconfig

STUDENT_FILE = "slowwork.c"
INCLUDE = sysconfig.get_paths()["include"]
MODULE_FILE = "slowwork" + sysconfig.get_config_var("EXT_SUFFIX")
AUDIT_FILE = "slowwork-audit.so"  # the same source, built with support/gilaudit.h
AUDIT_CALLS = "gilaudit_calls.h"  # written here: the C-API functions the module calls
# C-API functions made to be called without the GIL (or to take it back).
GIL_FREE = re.compile(r"^(PyEval_RestoreThread|PyEval_AcquireThread|PyEval_AcquireLock|"
                      r"PyGILState_\w+|PyThreadState_GetUnchecked|PyMem_Raw\w+|PyThread_\w+|"
                      r"PyOS_\w+|PyMutex_\w+|Py_FatalError)$")
PROBE_SOURCE, PROBE_LIBRARY = "gilprobe.c", "libgilprobe.so"
DRIVER = ["python3", "gil_driver.py"]
# Not `-X dev`: it turns faulthandler on before the driver runs, and a fatal error later puts
# back the handlers faulthandler replaced, removing the probe's. The driver enables faulthandler
# itself, after installing the probe.
DRIVER_ENV = {"PYTHONMALLOC": "debug", "PYTHONFAULTHANDLER": None, "PYTHONDEVMODE": None}

CALL_MS = 300  # one call from one thread (above 256: Python caches the ints up to 256)
PAIR_MS = 500  # each of the two threads
OVERLAP_LIMIT = 0.75  # seconds for two 500 ms calls that overlap (about 0.50 s)
TURNS_MIN = 0.90  # seconds for two 500 ms calls that take turns (about 1.00 s)
SLEPT_MIN = 0.45  # both calls must really have slept

BUILD = "slowwork builds"
T_CALL = "slow_work(ms) sleeps and returns the milliseconds"
T_CALL_HELD = "slow_work_held(ms) sleeps and returns the milliseconds"
T_NEGATIVE = "a negative ms raises ValueError"
T_OVERLAP = "slow_work releases the GIL: two calls overlap"
T_TURNS = "slow_work_held keeps the GIL: two calls take turns"
T_NO_OBJECTS = "touches no Python object while the GIL is released"
TESTS = [(T_CALL, "Tests"), (T_CALL_HELD, "Tests"), (T_NEGATIVE, "Tests"),
         (T_OVERLAP, "Threads"), (T_TURNS, "Threads"), (T_NO_OBJECTS, "Threads")]

DIM = "\x1b[2m"


def run(c):
    probe_hash = build_probe(c)
    flags = ["-shared", "-fPIC", "-g", "-O2", "-Wall", "-I" + INCLUDE]
    build = c.step("build", ["cc"] + flags + ["-o", MODULE_FILE, STUDENT_FILE],
                   timeout=60, test=BUILD, group="Build")
    if not build.ok:
        for name, group in TESTS:
            c.skip(name, "%s did not build (see the test %r)." % (STUDENT_FILE, BUILD), group=group)
        ctypes_contrast(c, probe_hash)
        return
    # The drivers load an audit build: the same code, with every Python C-API call and
    # reference-count macro checking first that the GIL is held (support/gilaudit.h). Mistakes
    # that do not crash become visible. Should it not build, the drivers use the student's.
    c.write_file(AUDIT_CALLS, audited_calls(c))
    audit = c.step("build audit", ["cc"] + flags + ["-include", "gilaudit.h", "-o", AUDIT_FILE,
                                                    STUDENT_FILE],
                   timeout=60, show=False, echo=False)
    module = AUDIT_FILE if audit.ok else MODULE_FILE

    c.note("The checker imports slowwork and calls both functions from one thread.", style=DIM)
    calls = Driver(c, probe_hash, "calls", {"mode": "calls", "module": module, "calls": [
        ["slow_work_held", -1], ["slow_work", -1],
        ["slow_work_held", CALL_MS], ["slow_work", CALL_MS]]})
    c.note("Now two threads call slow_work(%d) at the same time." % PAIR_MS, style=DIM)
    overlap = Driver(c, probe_hash, "overlap",
                     {"mode": "overlap", "module": module, "function": "slow_work",
                      "ms": PAIR_MS})
    c.note("Now two threads call slow_work_held(%d) at the same time." % PAIR_MS, style=DIM)
    turns = Driver(c, probe_hash, "turns",
                   {"mode": "turns", "module": module, "function": "slow_work_held",
                    "ms": PAIR_MS})

    check_call(c, calls, T_CALL, "slow_work")
    check_call(c, calls, T_CALL_HELD, "slow_work_held")
    check_negative(c, calls)
    released = check_pair(c, overlap, T_OVERLAP, "slow_work", overlapping=True)
    held = check_pair(c, turns, T_TURNS, "slow_work_held", overlapping=False)
    check_no_objects(c, [calls, overlap, turns])
    if released and held:
        c.metric("held / released", held / released, "x", lower_is_better=False)
    ctypes_contrast(c, probe_hash)


# -- the hidden helper library ------------------------------------------------------------


def build_probe(c):
    """Builds libgilprobe.so from the hidden gilprobe.c; returns its SHA-256."""
    step = c.step("build checker", ["cc", "-shared", "-fPIC", "-O1", "-I" + INCLUDE,
                                    "-o", PROBE_LIBRARY, PROBE_SOURCE],
                  timeout=60, show=False, echo=False)
    data = c.read_bytes(PROBE_LIBRARY)
    if not step.ok or data is None:
        raise RuntimeError("the checker's helper library did not build: " + step.output[-500:])
    return hashlib.sha256(data).hexdigest()


def audited_calls(c):
    """gilaudit_calls.h: a checking macro for each Python C-API function the module imports."""
    undefined = c.step("symbols", ["nm", "-D", "--undefined-only", MODULE_FILE], timeout=20,
                       show=False, echo=False)
    names = set()
    for line in undefined.output.splitlines():
        name = line.split()[-1].split("@")[0] if line.split() else ""
        if re.match(r"^_?Py\w+$", name) and not GIL_FREE.match(name):
            names.add(name)
    lines = ["/* Written by check.py from `nm -D --undefined-only %s`. */" % MODULE_FILE]
    for name in sorted(names):
        lines += ["#ifndef %s" % name,
                  '#define %s(...) FFILAB_AUDITED("%s", %s(__VA_ARGS__))' % (name, name, name),
                  "#endif"]
    return "\n".join(lines) + "\n"


def fresh_probe(c, probe_hash):
    """The student's code runs in the same folder: rebuild the helper if anything replaced it."""
    data = c.read_bytes(PROBE_LIBRARY)
    if data is None or hashlib.sha256(data).hexdigest() != probe_hash:
        build_probe(c)


# -- one driver process -------------------------------------------------------------------


class Driver:
    """Runs gil_driver.py for one experiment and sorts what it reported."""

    def __init__(self, c, probe_hash, name, request):
        fresh_probe(c, probe_hash)
        self.c = c
        self.module = request.get("module")
        self.step = c.step(name, DRIVER, timeout=15, env=DRIVER_ENV, channel=True,
                           stdin=json.dumps(request))
        self.last_call = None
        self.imported = None
        self.crash = None
        self.calls = {}
        self.threads = None
        self.ctypes = {}
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
            elif kind == "call":
                self.calls[(message.get("function"), message.get("ms"))] = message
            elif kind == "threads":
                self.threads = message
            elif kind == "ctypes":
                self.ctypes[message.get("loader")] = message
        self._where = None

    @property
    def gil_violation(self):
        """True when the process died in a thread that had no Python thread state."""
        return bool(self.crash) and self.crash.get("thread_state") is False and not self.step.ok

    def ended_early(self, t):
        """Fails t with how the driver's process ended before it reported."""
        t.output = self.step.output
        where = " while the checker was running %s" % self.last_call if self.last_call else ""
        message = "The process %s%s." % (self.step.describe(), where)
        if self.gil_violation:
            message += (" It died in a thread that did not hold the GIL: see the test %r."
                        % T_NO_OBJECTS)
        t.fail(message)

    def require_function(self, t, name):
        t.output = self.step.output
        if self.imported is None:
            self.ended_early(t)
        if self.imported.get("error"):
            t.fail("import slowwork failed: %s" % self.imported["error"])
        if not self.imported.get("functions", {}).get(name):
            t.fail("The module slowwork has no function %s. Check its entry in the PyMethodDef "
                   "table of %s." % (name, STUDENT_FILE))

    def where(self):
        """(function called, [frames in slowwork.c]) of the crash, from its native stack."""
        if self._where is None:
            self._where = locate(self.c, self.crash or {}, self.module)
        return self._where


def locate(c, crash, module):
    """The Python C-API function the student's code called, and the student's frames."""
    frames = [f for f in crash.get("frames") or [] if isinstance(f, list) and len(f) == 3]
    mine = [i for i, f in enumerate(frames) if os.path.basename(str(f[0])) == module]
    if not mine:
        return None, []
    callee = frames[mine[0] - 1][1] if mine[0] > 0 else None
    offsets = []
    for i in mine[:8]:
        try:
            offsets.append("%#x" % max(int(frames[i][2]) - 1, 0))
        except (TypeError, ValueError):
            continue
    symbols = c.step("addr2line", ["addr2line", "-a", "-f", "-i", "-e", module] + offsets,
                     timeout=10, show=False, echo=False)
    found = []
    function = None
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
    # Lines inside the checker's audit header are not the student's.
    found = [f for f in found if f["file"] == STUDENT_FILE] or found
    return (callee if callee and callee.startswith(("Py", "_Py")) else None), found


# -- the tests ----------------------------------------------------------------------------


def check_call(c, driver, test, name):
    with c.test(test) as t:
        driver.require_function(t, name)
        seen = driver.calls.get((name, CALL_MS))
        if seen is None:
            driver.ended_early(t)
        shown = "%s(%d)" % (name, CALL_MS)
        t.expect(not seen.get("error"), "%s raised %s" % (shown, seen.get("error")))
        result = seen.get("result") or {}
        t.expect(result.get("type") == "int",
                 "%s returned %s (a %s); it must return the milliseconds sleep_ms reported, as an "
                 "int (PyLong_FromLong)." % (shown, result.get("repr"), result.get("type")))
        wall_ms = seen["seconds"] * 1000
        t.expect(wall_ms >= CALL_MS * 0.95,
                 "%s returned after %.0f ms: it did not sleep %d ms." % (shown, wall_ms, CALL_MS))
        slept = result["number"]
        t.expect(CALL_MS - 1 <= slept <= wall_ms + 5,
                 "%s returned %d, but the call took %.0f ms: return the value sleep_ms gave back."
                 % (shown, slept, wall_ms))
        t.message = "%s returned %d after %.0f ms." % (shown, slept, wall_ms)


def check_negative(c, driver):
    with c.test(T_NEGATIVE) as t:
        for name in ("slow_work_held", "slow_work"):
            driver.require_function(t, name)
            seen = driver.calls.get((name, -1))
            if seen is None:
                driver.ended_early(t)
            shown = "%s(-1)" % name
            if seen.get("error") is None:
                t.fail("%s returned %s instead of raising ValueError. Check ms before sleeping: "
                       "PyErr_SetString(PyExc_ValueError, ...) and return NULL."
                       % (shown, (seen.get("result") or {}).get("repr")))
            t.expect(seen.get("error_type") == "ValueError",
                     "%s raised %s; it should raise ValueError." % (shown, seen.get("error")))


def check_pair(c, driver, test, name, overlapping):
    """Judges two concurrent calls; returns their total time in seconds, or None."""
    measured = []
    with c.test(test, group="Threads") as t:
        driver.require_function(t, name)
        seen = driver.threads
        if seen is None:
            driver.ended_early(t)
        shown = "%s(%d)" % (name, PAIR_MS)
        for call in seen.get("calls") or [None, None]:
            if call is None:
                driver.ended_early(t)
            t.expect(not call.get("error"), "%s raised %s" % (shown, call.get("error")))
        total = float(seen["seconds"])
        # The process must really have lived that long (a sanity check on the driver's clock).
        t.expect(driver.step.seconds >= total,
                 "The driver reported %.2f s for a process that ran %.2f s: its report cannot be "
                 "trusted." % (total, driver.step.seconds))
        slowest = max(float(call["seconds"]) for call in seen["calls"])
        measured.append(total)
        c.metric("%s: two %d ms calls in two threads" % (name, PAIR_MS), total, "s",
                 lower_is_better=overlapping)
        t.expect(slowest >= SLEPT_MIN,
                 "Each call of %s returned within %.2f s: it did not sleep %d ms."
                 % (shown, slowest, PAIR_MS))
        if overlapping:
            t.expect(total < OVERLAP_LIMIT,
                     "Two threads each calling %s needed %.2f s together: the calls ran one "
                     "after the other, so %s holds the GIL while it sleeps. Wrap the call to "
                     "sleep_ms (and nothing else) in Py_BEGIN_ALLOW_THREADS / "
                     "Py_END_ALLOW_THREADS; then the sleeps overlap and take about %.2f s."
                     % (shown, total, name, PAIR_MS / 1000))
            t.message = "Two calls of %s took %.2f s together: they overlapped." % (shown, total)
        else:
            t.expect(total >= TURNS_MIN,
                     "Two threads each calling %s needed only %.2f s together, so the sleeps "
                     "overlapped: %s releases the GIL. This function is the contrast: it must "
                     "hold the GIL for the whole sleep (about %.2f s for both)."
                     % (shown, total, name, 2 * PAIR_MS / 1000))
            t.message = "Two calls of %s took %.2f s together: they took turns." % (shown, total)
    return measured[0] if measured else None


def check_no_objects(c, drivers):
    with c.test(T_NO_OBJECTS, group="Threads") as t:
        for driver in drivers:
            if driver.imported is not None and driver.imported.get("error"):
                driver.require_function(t, "slow_work")
        for driver in drivers:
            if not driver.gil_violation:
                continue
            t.output = driver.step.output
            callee, frames = driver.where()
            audited = re.search(r"ffilab-gil-audit: (\w+) at \S+:(\d+) without the GIL",
                                driver.step.output)
            if audited:
                callee = audited.group(1)
            signal = driver.step.signal_name or c.describe_signal(driver.crash.get("signal") or 0)
            where = ""
            if frames:
                top = frames[0]
                where = " at %s:%d (in %s)" % (top["file"], top["line"], top["function"])
            fatal = re.search(r"Fatal Python error: [^\n]*without holding the GIL[^\n]*",
                              driver.step.output)
            if audited:
                head = ("While %s ran, your code used %s%s in a thread that did not hold the GIL "
                        "(the checker's build of %s checks the GIL before every Python C-API "
                        "call and reference-count macro, and stopped the process with SIGABRT)."
                        % (driver.last_call or "slow_work", callee, where, STUDENT_FILE))
            else:
                head = ("While %s ran, the process crashed with %s in a thread that did not hold "
                        "the GIL: %s while the GIL was released.%s"
                        % (driver.last_call or "slow_work", signal,
                           ("it called %s%s" % (callee, where)) if callee
                           else "the crash happened%s" % where,
                           (" Python said: \"%s\"." % fatal.group(0).strip()) if fatal else ""))
            message = head + (
                " Between Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS the thread has no "
                "Python thread state, so no Python C-API call and no PyObject is allowed there: "
                "not creating an object (PyLong_FromLong, Py_BuildValue), not raising an "
                "exception, not even Py_INCREF/Py_DECREF. Keep only C values in the block (save "
                "what sleep_ms returns in a C variable) and build the Python result after "
                "Py_END_ALLOW_THREADS.")
            c.finding("gil-probe", "gil-not-held",
                      "%s while the GIL was released" % (("used " + callee) if callee
                                                         else "crashed"), frames)
            t.fail(message)
        for driver in drivers:
            if driver.step.crashed or driver.crash:
                t.output = driver.step.output
                t.fail("Could not be checked: while %s ran, the process %s%s."
                       % (driver.last_call or "the checker", driver.step.describe(),
                          " (in a thread that held the GIL)" if driver.crash else ""))
        t.message = "No Python object was touched in a thread without the GIL."


def ctypes_contrast(c, probe_hash):
    """The same contrast without a C extension: ctypes.CDLL releases the GIL, PyDLL keeps it."""
    c.note("For comparison: a C sleep called through ctypes.CDLL and through ctypes.PyDLL.",
           style=DIM)
    driver = Driver(c, probe_hash, "ctypes", {"mode": "ctypes", "ms": PAIR_MS})
    for loader in ("CDLL", "PyDLL"):
        seen = driver.ctypes.get(loader)
        if seen is not None:
            c.metric("ctypes.%s: two %d ms calls in two threads" % (loader, PAIR_MS),
                     float(seen["seconds"]), "s", lower_is_better=loader == "CDLL")
