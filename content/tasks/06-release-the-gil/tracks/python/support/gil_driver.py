"""Hidden driver of task 6: imports the student's slowwork module and times it from threads.

Usage: PYTHONMALLOC=debug python3 gil_driver.py < request.json, where the request (from
check.py) says what to do: {"mode": "calls" | "overlap" | "turns" | "ctypes", "module": the file
to load, ...}. The driver judges nothing. It writes one JSON object per line to the descriptor
named by $FFILAB_CHANNEL_FD: what it called, what came back, how long it took. A "calling" line
goes out before every call into C, and libgilprobe.so (gilprobe.c) adds a "crash" line if the
process dies, so check.py can tell which call crashed and whether the crashing thread held the
GIL.
"""

import ctypes
import faulthandler
import importlib.util
import json
import os
import sys
import threading
import time
import traceback

CHANNEL = int(os.environ.pop("FFILAB_CHANNEL_FD"))
HERE = os.path.dirname(os.path.abspath(__file__))
PROBE_LIBRARY = os.path.join(HERE, "libgilprobe.so")


def send(**message):
    os.write(CHANNEL, (json.dumps(message) + "\n").encode("utf-8"))


def short_error(ex):
    return "".join(traceback.format_exception_only(type(ex), ex)).strip()[:500]


def describe(value):
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    return {"type": type(value).__name__, "repr": repr(value)[:200], "number": number}


def call(function, ms):
    """One timed call: (seconds, result description or None, error text or None, error type)."""
    start = time.monotonic()
    try:
        value = function(ms)
    except BaseException as ex:
        return time.monotonic() - start, None, short_error(ex), type(ex).__name__
    return time.monotonic() - start, describe(value), None, None


def in_two_threads(function, ms):
    """Calls function(ms) from two threads at once; the wall time until both have returned."""
    outcomes = [None, None]
    ready = threading.Barrier(3)

    def worker(index):
        ready.wait()
        outcomes[index] = call(function, ms)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(2)]
    for thread in threads:
        thread.start()
    ready.wait()  # both threads are running and about to call
    start = time.monotonic()
    for thread in threads:
        thread.join()
    total = time.monotonic() - start
    return total, [
        {"seconds": o[0], "result": o[1], "error": o[2], "error_type": o[3]} if o else None
        for o in outcomes
    ]


def load(filename):
    """Imports the extension module slowwork from the file check.py built."""
    path = os.path.join(HERE, os.path.basename(filename))
    spec = importlib.util.spec_from_file_location("slowwork", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["slowwork"] = module
    spec.loader.exec_module(module)
    return module


def ctypes_contrast(ms):
    for loader in ("CDLL", "PyDLL"):
        library = getattr(ctypes, loader)(PROBE_LIBRARY)
        sleep = library.gilprobe_sleep_ms
        sleep.argtypes = [ctypes.c_int]
        sleep.restype = None
        total, _ = in_two_threads(sleep, ms)
        send(kind="ctypes", loader=loader, seconds=total)


def main():
    request = json.loads(sys.stdin.read() or "{}")
    probe = ctypes.PyDLL(PROBE_LIBRARY)
    probe.gilprobe_install.argtypes = [ctypes.c_int]
    send(kind="probe", installed=probe.gilprobe_install(CHANNEL) == 0)
    # After the probe: faulthandler prints the Python stacks, then hands the signal to the probe.
    faulthandler.enable()
    mode = request.get("mode")
    if mode == "ctypes":
        ctypes_contrast(request["ms"])
        return

    send(kind="calling", what="import slowwork")
    try:
        slowwork = load(request.get("module") or "slowwork.so")
    except BaseException as ex:
        send(kind="import", error=short_error(ex))
        return
    functions = {name: callable(getattr(slowwork, name, None))
                 for name in ("slow_work", "slow_work_held")}
    send(kind="import", error=None, file=getattr(slowwork, "__file__", None), functions=functions)

    if mode == "calls":
        for name, ms in request["calls"]:
            if not functions.get(name):
                continue
            send(kind="calling", what="%s(%d)" % (name, ms))
            seconds, result, error, error_type = call(getattr(slowwork, name), ms)
            send(kind="call", function=name, ms=ms, seconds=seconds, result=result, error=error,
                 error_type=error_type)
    elif mode in ("overlap", "turns"):
        name, ms = request["function"], request["ms"]
        if functions.get(name):
            send(kind="calling", what="%s(%d) from two threads at once" % (name, ms))
            total, outcomes = in_two_threads(getattr(slowwork, name), ms)
            send(kind="threads", function=name, ms=ms, seconds=total, calls=outcomes)


if __name__ == "__main__":
    main()
