"""Hidden driver of task 17: registers Python callbacks through the student's pyevents module and
lets the events library's threads call them.

Usage: python3 events_driver.py < request.json, the request (from check.py) being
{"module": file, "library": libevents.so the module links to, "experiments": [...], "watchdog":
seconds, "stress": {"threads", "count", "runs"}, "leak_check": bool}. The driver judges nothing:
it writes one JSON object per line to the descriptor named by $FFILAB_CHANNEL_FD. A "calling" line
goes out before every call into C; libcrashprobe.so (crashprobe.c) adds a "crash" line if the
process dies; faulthandler's watchdog ends a hung process with exit code 1 and "Timeout (...)!".
What the library itself counted is read from it directly (events_delivered, through ctypes on the
same libevents.so the module loaded), not from the binding.
"""

import ctypes
import faulthandler
import gc
import importlib.util
import json
import os
import sys
import threading
import traceback
import weakref

CHANNEL = int(os.environ.pop("FFILAB_CHANNEL_FD"))
HERE = os.path.dirname(os.path.abspath(__file__))
PROBE_LIBRARY = os.path.join(HERE, "libcrashprobe.so")
BOOM = "boom from the checker's callback"


def send(**message):
    os.write(CHANNEL, (json.dumps(message) + "\n").encode("utf-8"))


def short_error(ex):
    return "".join(traceback.format_exception_only(type(ex), ex)).strip()[:500]


def describe(value):
    return {"type": type(value).__name__, "repr": repr(value)[:200]}


def load(filename):
    path = os.path.join(HERE, filename)
    spec = importlib.util.spec_from_file_location("pyevents", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["pyevents"] = module
    spec.loader.exec_module(module)
    return module


class Result:
    """What a callback returns: a new object each time, which the binding must release. Counts
    the instances still alive (all changes happen with the GIL held)."""

    live = 0

    def __init__(self):
        Result.live += 1

    def __del__(self):
        Result.live -= 1


class Recorder:
    """A callback that records what arrived."""

    def __init__(self):
        self.events = []

    def __call__(self, source, sequence):
        self.events.append((source, sequence, threading.get_ident()))
        return Result()

    def summary(self, nthreads, count):
        """Counts instead of the events themselves: what is missing, doubled or out of place."""
        seen = {}
        strange = []
        for source, sequence, _ in self.events:
            if not (0 <= source < nthreads and 0 <= sequence < count):
                strange.append([source, sequence])
            seen[(source, sequence)] = seen.get((source, sequence), 0) + 1
        missing = [[s, q] for s in range(nthreads) for q in range(count) if (s, q) not in seen]
        doubled = [[s, q] for (s, q), n in seen.items() if n > 1]
        in_order = all(
            [q for s, q, _ in self.events if s == source] == list(range(count))
            for source in range(nthreads)) if not missing and not doubled else None
        return {"received": len(self.events), "missing": len(missing), "missing_first": missing[:5],
                "doubled": len(doubled), "doubled_first": doubled[:5], "strange": strange[:5],
                "in_order": in_order, "idents": len({i for _, _, i in self.events})}


def run_events(pyevents, library, callback, nthreads, count, what):
    send(kind="calling", what="pyevents.start(%s, %d, %d)" % (what, nthreads, count))
    pyevents.start(callback, nthreads, count)
    send(kind="calling", what="pyevents.stop() (after start(%s, %d, %d))" % (what, nthreads, count))
    returned = pyevents.stop()
    return returned, library.events_delivered()


def events_experiment(pyevents, library):
    main = threading.get_ident()
    recorder = Recorder()
    returned, delivered = run_events(pyevents, library, recorder, 4, 250, "callback")
    gc.collect()
    send(kind="events", returned=describe(returned), delivered=delivered,
         summary=recorder.summary(4, 250), on_main=any(i == main for _, _, i in recorder.events),
         live_results=Result.live)


def release_experiment(pyevents, library):
    recorder = Recorder()
    before = sys.getrefcount(recorder)
    returned, delivered = run_events(pyevents, library, recorder, 2, 50, "callback")
    after = sys.getrefcount(recorder)
    watcher = weakref.ref(recorder)
    received = len(recorder.events)
    del recorder
    gc.collect()
    send(kind="release", returned=describe(returned), delivered=delivered, received=received,
         refs_before=before, refs_after=after, collected=watcher() is None)


def alive_experiment(pyevents, library):
    counts = []

    def make_callback():
        recorder = Recorder()
        counts.append(recorder.events)  # keep the list, not the callable
        return recorder

    send(kind="calling", what="pyevents.start(make_callback(), 4, 100)")
    pyevents.start(make_callback(), 4, 100)  # nothing but the binding refers to the callable
    gc.collect()
    garbage = [[i, str(i)] for i in range(20000)]  # reuses whatever memory was just freed
    send(kind="calling", what="pyevents.stop() (after start(make_callback(), 4, 100))")
    returned = pyevents.stop()
    del garbage
    send(kind="alive", returned=describe(returned), delivered=library.events_delivered(),
         received=len(counts[0]))


def exception_experiment(pyevents, library):
    reports = []
    sys.excepthook = lambda kind, value, tb: reports.append(
        {"hook": "excepthook", "type": kind.__name__, "message": str(value)})
    sys.unraisablehook = lambda u: reports.append(
        {"hook": "unraisablehook", "type": type(u.exc_value).__name__,
         "message": str(u.exc_value)})
    calls = []

    def callback(source, sequence):
        calls.append((source, sequence))
        if source == 0 and sequence == 10:
            raise ValueError(BOOM)
        return [source, sequence]

    returned, delivered = run_events(pyevents, library, callback, 4, 1000, "raising_callback")
    pending = sys.exc_info()[0]
    send(kind="exception", returned=describe(returned), delivered=delivered, calls=len(calls),
         reports=reports[:5], report_count=len(reports),
         pending=pending.__name__ if pending else None)
    # The binding must still work afterwards.
    recorder = Recorder()
    returned, delivered = run_events(pyevents, library, recorder, 2, 50, "callback")
    send(kind="after_exception", returned=describe(returned), delivered=delivered,
         summary=recorder.summary(2, 50))


def stress_experiment(pyevents, library, threads, count, runs):
    main = threading.get_ident()
    for run in range(1, runs + 1):
        recorder = Recorder()
        returned, delivered = run_events(pyevents, library, recorder, threads, count,
                                         "callback, run %d of %d" % (run, runs))
        send(kind="stress", run=run, returned=describe(returned), delivered=delivered,
             summary=recorder.summary(threads, count),
             on_main=any(i == main for _, _, i in recorder.events))
        del recorder


def main():
    request = json.loads(sys.stdin.read() or "{}")
    probe = ctypes.PyDLL(PROBE_LIBRARY)
    probe.crashprobe_install.argtypes = [ctypes.c_int]
    send(kind="probe", installed=probe.crashprobe_install(CHANNEL) == 0)
    faulthandler.dump_traceback_later(request.get("watchdog", 8), exit=True)

    send(kind="calling", what="import pyevents")
    try:
        pyevents = load(request["module"])
    except BaseException as ex:
        send(kind="import", error=short_error(ex))
        return
    functions = {name: callable(getattr(pyevents, name, None)) for name in ("start", "stop")}
    send(kind="import", error=None, functions=functions)
    if not all(functions.values()):
        return
    # The same libevents.so the module loaded (same path: the loader hands back that copy).
    library = ctypes.CDLL(os.path.join(HERE, request["library"]))
    library.events_delivered.restype = ctypes.c_long

    for experiment in request.get("experiments", []):
        try:
            if experiment == "events":
                events_experiment(pyevents, library)
            elif experiment == "release":
                release_experiment(pyevents, library)
            elif experiment == "alive":
                alive_experiment(pyevents, library)
            elif experiment == "exception":
                exception_experiment(pyevents, library)
            elif experiment == "stress":
                stress = request["stress"]
                stress_experiment(pyevents, library, stress["threads"], stress["count"],
                                  stress["runs"])
        except BaseException as ex:
            send(kind=experiment, error=short_error(ex))
            break
    faulthandler.cancel_dump_traceback_later()
    gc.collect()
    send(kind="done")
    if request.get("leak_check"):
        # LeakSanitizer's check, now: every live Python object still points where it should, so
        # only memory nothing references (a result never released) is reported.
        check = ctypes.CDLL(None).__lsan_do_recoverable_leak_check
        check.restype = ctypes.c_int
        send(kind="calling", what="the leak check")
        send(kind="leak_check", leaks=bool(check()))


if __name__ == "__main__":
    status = 0
    try:
        main()
    except BaseException:  # a fault of this driver: show it, and say so by the exit code
        traceback.print_exc()
        status = 3
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        # No interpreter shutdown: source threads still running must not turn a finished run
        # into a crash at exit, and under ASan the interpreter's memory stays reachable.
        os._exit(status)
