"""Hidden driver for task 11 (python track): imports the student's upcall.py and reports what C did.

    python3 probe_upcall.py each     for_each on several lists
    python3 probe_upcall.py stored   register(), then churn the heap, then fire()
    python3 probe_upcall.py raise    callbacks that raise, through for_each and through fire()

The cases arrive as JSON on stdin (check.py decides them and judges the answers). Reports go, one
JSON object per line, to the descriptor named by $FFILAB_CHANNEL_FD; a "calling" line before each
call into the student's code pins a crash on the call that caused it. Each report says which
values reached which Python function, and how many callbacks the C library itself counted
(upcall_calls()), so a binding that calls fn in Python without C shows up too.
"""

import ctypes
import gc
import importlib.util
import json
import os
import sys
import traceback

CHANNEL = int(os.environ.pop("FFILAB_CHANNEL_FD"))
HERE = os.getcwd()
DECOYS_PER_CHURN = 64


def send(**message):
    os.write(CHANNEL, (json.dumps(message) + "\n").encode("utf-8"))


def short_error(ex):
    return "".join(traceback.format_exception_only(type(ex), ex)).strip()


class CheckerError(Exception):
    """What the checker's own callbacks raise, so that it is recognised when it comes back."""


class Log:
    """Every call that reaches one of the checker's Python functions, in order."""

    def __init__(self):
        self.entries = []

    def recorder(self, tag, raise_at=None):
        def record(x):
            self.entries.append([tag, x])
            if raise_at is not None and x == raise_at:
                raise CheckerError("raised by the checker's callback %r at value %d" % (tag, x))
        return record

    def take(self):
        entries, self.entries = self.entries, []
        return entries


# The library the student's module loaded: the same file, so dlopen returns the same handle and
# the same call counter.
counter = ctypes.CDLL(os.path.join(HERE, "libupcall.so"))
counter.upcall_calls.argtypes = []
counter.upcall_calls.restype = ctypes.c_int

# Functions C may call by mistake: made right after the student's callback could have been freed,
# so that they take over its memory. Kept alive for the whole run.
DECOY_TYPE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int)
decoys = []


def churn(log):
    gc.collect()
    start = len(decoys)
    for i in range(start, start + DECOYS_PER_CHURN):
        def decoy(x, i=i):
            log.entries.append(["decoy %d" % i, x])
            return 0
        decoys.append(DECOY_TYPE(decoy))
    gc.collect()


def call(log, case, thunk):
    """Runs thunk() (a call into the student's module) and reports what happened."""
    before = counter.upcall_calls()
    send(kind="calling", id=case["id"])
    report = {"kind": "result", "id": case["id"], "error": None, "raised": None}
    try:
        report["returned"] = repr(thunk())[:200]
    except CheckerError as ex:
        report["raised"] = {"type": "CheckerError", "message": str(ex), "same": ex is case.get("exc"),
                            "text": short_error(ex)}
    except BaseException as ex:
        original = case.get("exc")
        chained = original is not None and (ex.__cause__ is original or ex.__context__ is original)
        report["raised"] = {"type": type(ex).__name__, "message": str(ex)[:500], "same": False,
                            "chained": chained, "text": short_error(ex)[:500]}
    report["calls"] = counter.upcall_calls() - before
    report["entries"] = log.take()
    send(**report)


def load_student():
    spec = importlib.util.spec_from_file_location("upcall", os.path.join(HERE, "upcall.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules["upcall"] = module
    send(kind="calling", id="import")
    try:
        spec.loader.exec_module(module)
    except BaseException as ex:
        send(kind="import", error=short_error(ex))
        return None
    missing = [name for name in ("for_each", "register", "fire")
               if not callable(getattr(module, name, None))]
    send(kind="import", error=None, missing=missing)
    return None if missing else module


def run_each(module, cases, log):
    for case in cases:
        fn = log.recorder("fn")
        call(log, case, lambda: module.for_each(case["values"], fn))


def run_stored(module, cases, log):
    for case in cases:
        if case["op"] == "register":
            fn = log.recorder(case["tag"], case.get("raise_at"))
            call(log, case, lambda: module.register(fn))
            # register() has returned: now give Python every chance to reuse what it freed.
            churn(log)
            del fn
        else:
            call(log, case, lambda: module.fire(case["x"]))


def run_raise(module, cases, log):
    for case in cases:
        if case["op"] == "for_each":
            fn = log.recorder("fn", case.get("raise_at"))
            if case.get("raise_at") is not None:
                fn = remembering(fn, case)
            call(log, case, lambda: module.for_each(case["values"], fn))
        elif case["op"] == "register":
            fn = log.recorder(case["tag"], case.get("raise_at"))
            if case.get("raise_at") is not None:
                for later in cases:
                    if later.get("op") == "fire" and later["x"] == case["raise_at"]:
                        fn = remembering(fn, later)
            call(log, case, lambda: module.register(fn))
        else:
            call(log, case, lambda: module.fire(case["x"]))


def remembering(fn, case):
    """Wraps fn so that case["exc"] is the exception object it raised (for the identity check)."""
    def wrapper(x):
        try:
            return fn(x)
        except CheckerError as ex:
            case["exc"] = ex
            raise
    return wrapper


def main():
    mode = sys.argv[1]
    cases = json.loads(sys.stdin.read())  # all of stdin, before any student code runs
    module = load_student()
    if module is None:
        return
    log = Log()
    {"each": run_each, "stored": run_stored, "raise": run_raise}[mode](module, cases, log)
    send(kind="done")


if __name__ == "__main__":
    main()
