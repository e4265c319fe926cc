"""Hidden checker for task 1: imports the student's cosine.py and reports what it finds.

It judges nothing itself. It writes one JSON object per line to the descriptor the harness
names in $FFILAB_CHANNEL_FD, and check.py (which runs outside this process) decides. A line
is written before every call into C, so a crash can be pinned on the call that caused it.
"""

import ctypes
import importlib.util
import json
import math
import os
import traceback

CHANNEL = int(os.environ.pop("FFILAB_CHANNEL_FD"))


def send(**message):
    os.write(CHANNEL, (json.dumps(message) + "\n").encode("utf-8"))


def short_error(ex):
    return "".join(traceback.format_exception_only(type(ex), ex)).strip()


def type_name(t):
    if t is None:
        return None
    return getattr(t, "__name__", repr(t))


def describe_value(value):
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    return {"type": type(value).__name__, "repr": repr(value)[:200], "number": number, "error": None}


def probe_function(module, name):
    report = {"kind": "function", "name": name, "present": False, "error": None,
              "is_function": False, "type": None, "restype": None, "argtypes": None, "calls": {}}
    loader = getattr(module, name, None)
    if not callable(loader):
        send(**report)
        return
    report["present"] = True
    send(kind="calling", what="%s()" % name)
    try:
        function = loader()
    except BaseException as ex:
        report["error"] = short_error(ex)
        send(**report)
        return
    report["type"] = type(function).__name__
    report["is_function"] = isinstance(function, ctypes._CFuncPtr)
    if report["is_function"]:
        report["restype"] = type_name(function.restype)
        argtypes = function.argtypes
        report["argtypes"] = None if argtypes is None else [type_name(t) for t in argtypes]
        for label, x in (("0.0", 0.0), ("pi", math.pi)):
            send(kind="calling", what="%s()(%s)" % (name, "math.pi" if label == "pi" else label))
            try:
                report["calls"][label] = describe_value(function(x))
            except BaseException as ex:
                report["calls"][label] = {"type": None, "repr": None, "number": None,
                                          "error": short_error(ex)}
    send(**report)


def main():
    path = os.path.join(os.getcwd(), "cosine.py")
    spec = importlib.util.spec_from_file_location("cosine", path)
    module = importlib.util.module_from_spec(spec)
    send(kind="calling", what="import cosine")
    try:
        spec.loader.exec_module(module)
    except BaseException as ex:
        send(kind="import", error=short_error(ex))
        return
    send(kind="import", error=None)
    probe_function(module, "load_cos_without_restype")
    probe_function(module, "load_cos")


if __name__ == "__main__":
    main()
