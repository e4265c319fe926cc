"""Hidden driver of task 12: imports the student's upcallext module and lets its C thread call back.

Usage: python3 upcall_driver.py < request.json, where the request (from check.py) says which
experiments to run: {"module": file, "experiments": ["thread", "alive", "rounds"], "values": [...],
"rounds": N, "round_values": [...], "watchdog": seconds}. The driver judges nothing. It writes one
JSON object per line to the descriptor named by $FFILAB_CHANNEL_FD: what it called and what it
saw. A "calling" line goes out before every call into C, libcrashprobe.so (crashprobe.c) adds a
"crash" line if the process dies, and faulthandler's watchdog ends the process with exit code 1
and "Timeout (0:00:0N)!" when it hangs (the check reads both).
"""

import ctypes
import faulthandler
import gc
import importlib.util
import json
import os
import sys
import threading
import time
import traceback

CHANNEL = int(os.environ.pop("FFILAB_CHANNEL_FD"))
HERE = os.path.dirname(os.path.abspath(__file__))
PROBE_LIBRARY = os.path.join(HERE, "libcrashprobe.so")


def send(**message):
    os.write(CHANNEL, (json.dumps(message) + "\n").encode("utf-8"))


def short_error(ex):
    return "".join(traceback.format_exception_only(type(ex), ex)).strip()[:500]


def describe(value):
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    return {"type": type(value).__name__, "repr": repr(value)[:200], "number": number}


class Result:
    """What a callback returns: a new object each time, which the C side must release. Counts
    the instances still alive (every change happens with the GIL held)."""

    live = 0

    def __init__(self, value):
        self.value = value
        Result.live += 1

    def __del__(self):
        Result.live -= 1


def load(filename):
    path = os.path.join(HERE, os.path.basename(filename))
    spec = importlib.util.spec_from_file_location("upcallext", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["upcallext"] = module
    spec.loader.exec_module(module)
    return module


def shown(values):
    return "[%s]" % ", ".join(str(v) for v in values) if len(values) <= 6 else \
        "[%d, %d, ..., %d] (%d values)" % (values[0], values[1], values[-1], len(values))


def thread_experiment(module, values):
    """One start()/wait(): which values arrived, on which threads."""
    main = threading.get_ident()
    calls = []

    def callback(value):
        calls.append((value, threading.get_ident(), type(threading.current_thread()).__name__))
        # A little blocking work, as a real callback would do (it gives up the GIL meanwhile):
        # start() has returned and main is in wait() long before the last call.
        time.sleep(0.002)
        return [value]  # a new object each time: the C side must release it

    send(kind="calling", what="upcallext.start(callback, %s)" % shown(values))
    module.start(callback, values)
    send(kind="calling", what="upcallext.wait()")
    returned = module.wait()
    send(kind="thread", main=main, returned=describe(returned), values=[c[0] for c in calls],
         idents=sorted({c[1] for c in calls}), thread_classes=sorted({c[2] for c in calls}))


def alive_experiment(module, values):
    """start() with a callable nothing else refers to: only the C side can keep it alive."""
    seen = []

    def make_callback():
        def callback(value):
            seen.append(value)
            return [value]
        return callback

    send(kind="calling", what="upcallext.start(make_callback(), %s)" % shown(values))
    module.start(make_callback(), values)  # the argument's reference ends when start() returns
    gc.collect()
    garbage = [[i, str(i)] for i in range(20000)]  # reuses whatever memory was just freed
    send(kind="calling", what="upcallext.wait() (after start(make_callback(), ...))")
    returned = module.wait()
    del garbage
    send(kind="alive", returned=describe(returned), values=seen)


def rounds_experiment(module, rounds, values):
    """start()/wait() again and again with the same callable; its reference count at the end."""
    seen = []

    def callback(value):
        seen.append(value)
        return Result(value)

    before = sys.getrefcount(callback)
    live_before = Result.live
    bad = None
    done = 0
    for number in range(1, rounds + 1):
        send(kind="calling", what="round %d of %d: start(callback, %s), wait()"
             % (number, rounds, shown(values)))
        del seen[:]
        module.start(callback, values)
        returned = module.wait()
        if returned != len(values) or seen != values:
            bad = {"round": number, "returned": describe(returned), "values": seen[:20],
                   "count": len(seen)}
            break
        done = number
    after = sys.getrefcount(callback)
    gc.collect()
    send(kind="rounds", done=done, bad=bad, refs_before=before, refs_after=after,
         live_results=Result.live - live_before, results=done * len(values))


def main():
    request = json.loads(sys.stdin.read() or "{}")
    probe = ctypes.PyDLL(PROBE_LIBRARY)
    probe.crashprobe_install.argtypes = [ctypes.c_int]
    send(kind="probe", installed=probe.crashprobe_install(CHANNEL) == 0)
    # A hang (a join that holds the GIL the thread waits for) ends here: faulthandler's own C
    # thread needs no GIL, prints every thread's Python stack, and exits with code 1.
    faulthandler.dump_traceback_later(request.get("watchdog", 5), exit=True)

    send(kind="calling", what="import upcallext")
    try:
        module = load(request["module"])
    except BaseException as ex:
        send(kind="import", error=short_error(ex))
        return
    functions = {name: callable(getattr(module, name, None)) for name in ("start", "wait")}
    send(kind="import", error=None, functions=functions)
    if not all(functions.values()):
        return

    for experiment in request.get("experiments", []):
        try:
            if experiment == "thread":
                thread_experiment(module, request["values"])
            elif experiment == "alive":
                alive_experiment(module, request["values"])
            elif experiment == "rounds":
                rounds_experiment(module, request["rounds"], request["round_values"])
        except BaseException as ex:
            send(kind=experiment, error=short_error(ex))
            break
    faulthandler.cancel_dump_traceback_later()
    send(kind="done")


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
        # No interpreter shutdown: a C thread the student never joined must not turn a finished
        # run into a crash at exit.
        os._exit(status)
