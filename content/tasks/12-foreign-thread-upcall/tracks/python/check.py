"""Check for task 12 (python track): a C extension whose own pthread calls a Python callable.

Runs in the harness's trusted process (docs/writing-a-check.md). The student's upcallext.c is
built into an extension module; the hidden upcall_driver.py imports it in three processes and
reports on its channel what the callbacks saw (values, thread identities, reference counts):

1. "first run", plain python3 without faulthandler (what a program that never asked for
   diagnostics sees): one start()/wait() with a callback, then one with a callable that nothing
   but the C side refers to;
2. "1,000 rounds" of start()/wait() with the same callable, and its reference count before and
   after;
3. "dev mode": the same under `python3 -X dev -X faulthandler` (debug memory allocator, which
   aborts when an object is allocated or freed without the GIL; faulthandler's "Fatal Python
   error" on a crash).

libcrashprobe.so (support/crashprobe.c) reports, for a crash, whether the crashing thread had a
Python thread state: none means the C thread called into Python without PyGILState_Ensure. A hang
(wait() joining the thread while holding the GIL the thread needs) is ended by faulthandler's
watchdog inside the driver after a few seconds, and the step's time limit backs it up. The
judging happens here.
"""

import hashlib
import json
import os
import re
import sysconfig

STUDENT_FILE = "upcallext.c"
INCLUDE = sysconfig.get_paths()["include"]
MODULE_FILE = "upcallext" + sysconfig.get_config_var("EXT_SUFFIX")
PROBE_SOURCE, PROBE_LIBRARY = "crashprobe.c", "libcrashprobe.so"
DRIVER = "upcall_driver.py"

VALUES = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4]
ROUNDS, DEV_ROUNDS = 1000, 200
ROUND_VALUES = list(range(1, 21))
WATCHDOG = 5  # seconds for a run that should take well under one
ROUNDS_WATCHDOG = 20

BUILD = "upcallext builds"
T_THREAD = "the callback runs on the thread C started"
T_ALIVE = "the callback outlives start()"
T_REPEAT = "1,000 rounds of start() and wait()"
T_GIL = "the C thread takes the GIL before calling Python"
T_JOIN = "wait() releases the GIL while it joins"
T_DEV = "runs clean under python3 -X dev -X faulthandler"
TESTS = [(T_THREAD, "Tests"), (T_ALIVE, "Tests"), (T_REPEAT, "Tests"), (T_GIL, "Threads"),
         (T_JOIN, "Threads"), (T_DEV, "Threads")]

ATTACH_ADVICE = (
    "A thread created with pthread_create has no Python thread state: before it touches any "
    "Python object (calling the callback, Py_DECREF of the result, PyErr_WriteUnraisable) it must "
    "call PyGILState_STATE gil = PyGILState_Ensure(); and afterwards PyGILState_Release(gil);.")
JOIN_ADVICE = (
    "wait() holds the GIL while pthread_join waits for the thread, and the thread waits for the "
    "GIL in PyGILState_Ensure before its next call: each waits for the other forever. Put the "
    "join between Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS (and touch no Python object "
    "in between).")
ALIVE_ADVICE = (
    "start() received a borrowed reference: it is only guaranteed to live until start() returns, "
    "and the checker's callable had no other reference. Take a strong one when you store it "
    "(job.callback = Py_NewRef(callback);) and drop it when the thread is done, with the GIL held "
    "(Py_CLEAR(j->callback); between PyGILState_Ensure and PyGILState_Release).")
DIM = "\x1b[2m"
HUNG = re.compile(r"Timeout \(\d+:\d\d:\d\d\)!")
FATAL = re.compile(r"Fatal Python error: [^\n]*")


def run(c):
    probe_hash = build_probe(c)
    build = c.step("build", ["cc", "-shared", "-fPIC", "-g", "-O2", "-Wall", "-pthread",
                             "-I" + INCLUDE, "-o", MODULE_FILE, STUDENT_FILE],
                   timeout=60, test=BUILD, group="Build")
    if not build.ok:
        for name, group in TESTS:
            c.skip(name, "%s did not build (see the test %r)." % (STUDENT_FILE, BUILD), group=group)
        return

    c.note("The checker imports upcallext and lets your C thread call back (plain python3, "
           "no faulthandler).", style=DIM)
    first = Driver(c, probe_hash, "first run", ["python3", DRIVER], {"PYTHONFAULTHANDLER": None},
                   {"experiments": ["thread", "alive"], "watchdog": WATCHDOG}, timeout=15)
    if first.hung:
        rounds = dev = None
        c.note("The first run hung, so the checker skips the longer runs.", style=DIM)
    else:
        c.note("Now %d rounds of start() and wait() with the same callback." % ROUNDS, style=DIM)
        rounds = Driver(c, probe_hash, "1,000 rounds", ["python3", DRIVER],
                        {"PYTHONFAULTHANDLER": None},
                        {"experiments": ["rounds"], "rounds": ROUNDS,
                         "watchdog": ROUNDS_WATCHDOG}, timeout=30)
        c.note("Now everything again under python3 -X dev -X faulthandler.", style=DIM)
        dev = Driver(c, probe_hash, "dev mode", ["python3", "-X", "dev", "-X", "faulthandler",
                                                 DRIVER], {},
                     {"experiments": ["thread", "alive", "rounds"], "rounds": DEV_ROUNDS,
                      "watchdog": ROUNDS_WATCHDOG}, timeout=40)

    check_thread(c, first)
    check_alive(c, first)
    check_rounds(c, first, rounds)
    drivers = [d for d in (first, rounds, dev) if d is not None]
    check_gil(c, drivers)
    check_join(c, drivers)
    check_dev(c, first, dev)


# -- the hidden helper library ------------------------------------------------------------


def build_probe(c):
    step = c.step("build checker", ["cc", "-shared", "-fPIC", "-O1", "-I" + INCLUDE,
                                    "-o", PROBE_LIBRARY, PROBE_SOURCE],
                  timeout=60, show=False, echo=False)
    data = c.read_bytes(PROBE_LIBRARY)
    if not step.ok or data is None:
        raise RuntimeError("the checker's helper library did not build: " + step.output[-500:])
    return hashlib.sha256(data).hexdigest()


def fresh_probe(c, probe_hash):
    """Student code runs in the same folder: rebuild the helper if anything replaced it."""
    data = c.read_bytes(PROBE_LIBRARY)
    if data is None or hashlib.sha256(data).hexdigest() != probe_hash:
        build_probe(c)


# -- one driver process -------------------------------------------------------------------


class Driver:
    """Runs upcall_driver.py once and sorts what it reported."""

    def __init__(self, c, probe_hash, name, argv, env, request, timeout):
        fresh_probe(c, probe_hash)
        request = dict(request, module=MODULE_FILE, values=VALUES, round_values=ROUND_VALUES)
        request.setdefault("rounds", ROUNDS)
        self.c = c
        self.name = name
        self.rounds = request["rounds"]
        self.step = c.step(name, argv, timeout=timeout, env=env, channel=True,
                           stdin=json.dumps(request))
        self.last_call = None
        self.imported = None
        self.crash = None
        self.done = False
        self.seen = {}
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
            elif kind in ("thread", "alive", "rounds"):
                self.seen.setdefault(kind, message)
        self._where = None

    @property
    def hung(self):
        """Stopped by the driver's watchdog or by the step's time limit."""
        return self.step.timed_out or (self.step.exit_code == 1 and not self.done
                                       and bool(HUNG.search(self.step.output)))

    @property
    def hung_in_wait(self):
        return self.hung and "wait()" in (self.last_call or "")

    @property
    def unattached_crash(self):
        """The process died in a thread that had no Python thread state."""
        return bool(self.crash) and self.crash.get("thread_state") is False and not self.step.ok

    def how_it_ended(self):
        where = " while the checker was running %s" % self.last_call if self.last_call else ""
        if self.hung:
            text = "the process hung%s and was stopped after %s s" % (
                where, self.step.timeout if self.step.timed_out else
                (ROUNDS_WATCHDOG if "round" in (self.last_call or "") else WATCHDOG))
        else:
            text = "the process %s%s" % (self.step.describe(), where)
        fatal = FATAL.search(self.step.output)
        if fatal and not self.step.ok:
            text += "; Python said \"%s\"" % fatal.group(0).strip()
        return text

    def diagnosis(self):
        """One sentence pointing at the test that explains a crash or a hang, or ''."""
        if self.hung_in_wait:
            return " The thread never finished: see the test %r." % T_JOIN
        if self.unattached_crash:
            return (" It died in the C thread, which had no Python thread state: see the test %r."
                    % T_GIL)
        return ""

    def require_module(self, t):
        t.output = self.step.output
        if self.imported is None:
            t.fail("The checker could not import upcallext: %s.%s"
                   % (self.how_it_ended(), self.diagnosis()))
        if self.imported.get("error"):
            t.fail("import upcallext failed: %s" % self.imported["error"])
        missing = [n for n, ok in (self.imported.get("functions") or {}).items() if not ok]
        if missing:
            t.fail("The module upcallext has no function %s. Check the PyMethodDef table of %s."
                   % (" or ".join(missing), STUDENT_FILE))

    def result(self, t, kind):
        """The experiment's report, or fails t with how the process ended before it."""
        self.require_module(t)
        seen = self.seen.get(kind)
        if seen is None:
            t.fail("No result: %s.%s" % (self.how_it_ended(), self.diagnosis()))
        if seen.get("error"):
            t.fail("%s raised %s" % (self.last_call or "upcallext", seen["error"]))
        return seen

    def where(self):
        """Frames of the crash in upcallext.c, as file:line (via addr2line)."""
        if self._where is None:
            self._where = locate(self.c, self.crash or {})
        return self._where


def locate(c, crash):
    frames = [f for f in crash.get("frames") or [] if isinstance(f, list) and len(f) == 3]
    mine = [f for f in frames if os.path.basename(str(f[0])) == MODULE_FILE]
    offsets = []
    for f in mine[:8]:
        try:
            offsets.append("%#x" % max(int(f[2]) - 1, 0))
        except (TypeError, ValueError):
            continue
    if not offsets:
        return []
    symbols = c.step("addr2line", ["addr2line", "-a", "-f", "-i", "-e", MODULE_FILE] + offsets,
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


def judge_values(t, seen, values, what):
    returned = (seen.get("returned") or {})
    got = seen.get("values") or []
    if got != values:
        if not got:
            t.fail("%s: the callback was never called (wait() returned %s). The thread must call "
                   "callback(v) for every value, in order." % (what, returned.get("repr")))
        t.fail("%s: the callback received %s; expected %s (every value once, in order)."
               % (what, short(got), short(values)))
    t.expect(returned.get("type") == "int" and returned.get("number") == len(values),
             "%s: wait() returned %s; it must return the number of calls that returned normally "
             "(%d), as an int." % (what, returned.get("repr"), len(values)))


def short(values):
    return repr(values) if len(values) <= 8 else "%r ... (%d values)" % (values[:8], len(values))


def check_thread(c, first):
    with c.test(T_THREAD) as t:
        seen = first.result(t, "thread")
        judge_values(t, seen, VALUES, "start(callback, values), then wait()")
        idents = seen.get("idents") or []
        if seen.get("main") in idents:
            t.fail("The callback ran on the main thread, the one that called start(): start() must "
                   "create a thread with pthread_create and let that thread make the calls.")
        t.expect(len(idents) == 1, "The callback ran on %d different threads; one C thread should "
                 "make every call of one start()." % len(idents))
        t.message = ("%d calls, all on one thread that Python did not create (Python sees it as "
                     "a %s)." % (len(VALUES), ", ".join(seen.get("thread_classes") or ["?"])))


def check_alive(c, first):
    with c.test(T_ALIVE) as t:
        if first.imported and not first.imported.get("error") and "thread" in first.seen \
                and "alive" not in first.seen and not first.hung and first.crash \
                and first.crash.get("thread_state") is True:
            t.output = first.step.output
            t.fail("The process %s while the C thread was calling a callable nothing in Python "
                   "referred to any more%s. %s"
                   % (first.step.describe(), at(first.where()), ALIVE_ADVICE))
        seen = first.result(t, "alive")
        got = seen.get("values") or []
        if got != VALUES:
            t.fail("start(make_callback(), values): the callback received %s; expected %s. The "
                   "checker passed a callable nothing else refers to and it was freed while your "
                   "thread still used it: the calls went somewhere else. %s"
                   % (short(got), short(VALUES), ALIVE_ADVICE))
        judge_values(t, seen, VALUES, "start(make_callback(), values), then wait()")


def check_rounds(c, first, rounds):
    with c.test(T_REPEAT) as t:
        if rounds is None:
            t.output = first.step.output
            t.fail("Not run: the first run hung (%s)." % first.how_it_ended())
        seen = rounds.result(t, "rounds")
        bad = seen.get("bad")
        if bad:
            t.fail("Round %d: the callback received %d values %s and wait() returned %s; expected "
                   "%s and %d." % (bad["round"], bad["count"], short(bad["values"]),
                                   (bad.get("returned") or {}).get("repr"), short(ROUND_VALUES),
                                   len(ROUND_VALUES)))
        t.expect(seen.get("done") == ROUNDS, "Only %s of %d rounds ran: %s."
                 % (seen.get("done"), ROUNDS, rounds.how_it_ended()))
        live = seen.get("live_results")
        if live:
            t.fail("After %d rounds, %d of the %d objects the callback returned were still alive: "
                   "the thread never released them. PyObject_CallFunction returns a new "
                   "reference: Py_DECREF(result) once you are done with it, with the GIL held."
                   % (ROUNDS, live, seen.get("results")))
        grew = seen["refs_after"] - seen["refs_before"]
        if grew > 0:
            t.fail("After %d rounds the callback's reference count had grown by %d: each round "
                   "took a reference that was never given back. Release it when the thread is "
                   "done (Py_CLEAR(j->callback); with the GIL held)." % (ROUNDS, grew))
        if grew < 0:
            t.fail("After %d rounds the callback's reference count had dropped by %d: the module "
                   "releases a reference it never took. Take one in start() (Py_NewRef) for the "
                   "one you release." % (ROUNDS, -grew))
        t.message = "%d rounds; every value arrived, every result was released, and the " \
                    "callback's reference count is unchanged." % ROUNDS


def check_gil(c, drivers):
    with c.test(T_GIL, group="Threads") as t:
        for driver in drivers:
            if driver.unattached_crash:
                t.output = driver.step.output
                frames = driver.where()
                fatal = FATAL.search(driver.step.output)
                c.finding("crashprobe", "gil-not-held",
                          "the C thread called into Python without a thread state", frames)
                t.fail("In the %s the process %s in the C thread%s, and that thread had no Python "
                       "thread state: it called into the interpreter without attaching.%s "
                       "(Without faulthandler the crash is silent: a plain SIGSEGV, exit code "
                       "139.) %s"
                       % (driver.name, driver.step.describe(), at(frames),
                          (" Python said \"%s\"." % fatal.group(0).strip()) if fatal else "",
                          ATTACH_ADVICE))
        for driver in drivers:
            gil_fatal = re.search(r"Fatal Python error: [^\n]*(GIL|thread state)[^\n]*",
                                  driver.step.output)
            if gil_fatal and not driver.step.ok:
                t.output = driver.step.output
                t.fail("In the %s Python stopped the process: \"%s\". Some Python call in your C "
                       "thread ran without the GIL. %s"
                       % (driver.name, gil_fatal.group(0).strip(), ATTACH_ADVICE))
        if not any(driver.seen.get("thread") or driver.seen.get("rounds") for driver in drivers):
            first = drivers[0]
            t.output = first.step.output
            t.fail("Could not be checked: no run got as far as a result (%s)."
                   % first.how_it_ended())
        t.message = "Every call from the C thread was made with a thread state and the GIL."


def check_join(c, drivers):
    with c.test(T_JOIN, group="Threads") as t:
        for driver in drivers:
            if driver.hung:
                t.output = driver.step.output
                if driver.hung_in_wait:
                    c.finding("faulthandler", "deadlock",
                              "wait() joined the C thread while holding the GIL the thread needs")
                t.fail("In the %s %s.%s %s" % (
                    driver.name, driver.how_it_ended(),
                    " faulthandler's watchdog printed every thread's stack: the main thread is "
                    "inside wait(), the C thread (\"<no Python frame>\") is waiting for the GIL."
                    if driver.hung_in_wait and not driver.step.timed_out else "",
                    JOIN_ADVICE if driver.hung_in_wait else
                    "Look for a call that waits for the C thread, or for the GIL, while the "
                    "other side waits for it."))
        returned = [d for d in drivers if any(
            (d.seen.get(k) or {}).get("returned") for k in ("thread", "alive"))
            or (d.seen.get("rounds") or {}).get("done")]
        if not returned:
            t.output = drivers[0].step.output
            t.fail("Could not be checked: wait() never returned, because %s."
                   % drivers[0].how_it_ended())
        t.message = "wait() returned every time; the C thread got the GIL while main waited."


def check_dev(c, first, dev):
    with c.test(T_DEV, group="Threads") as t:
        if dev is None:
            t.output = first.step.output
            t.fail("Not run: the first run hung (%s)." % first.how_it_ended())
        t.output = dev.step.output
        if not dev.step.ok or not dev.done:
            t.fail("Under python3 -X dev -X faulthandler %s.%s" % (dev.how_it_ended(),
                                                                  dev.diagnosis()))
        seen = dev.result(t, "thread")
        judge_values(t, seen, VALUES, "start(callback, values), then wait()")
        seen = dev.result(t, "alive")
        judge_values(t, seen, VALUES, "start(make_callback(), values), then wait()")
        seen = dev.result(t, "rounds")
        t.expect(not seen.get("bad") and seen.get("done") == DEV_ROUNDS,
                 "Under python3 -X dev only %s of %d rounds delivered every value."
                 % (seen.get("done"), DEV_ROUNDS))
        t.message = ("The debug memory allocator and faulthandler found nothing in %d rounds."
                     % DEV_ROUNDS)
