"""Hidden Python driver for task 3: loads the student's Rust cdylib with ctypes and calls it.

    python3 probe_ctypes.py PATH_TO_LIBRARY

Declares both signatures itself (the student writes no Python here), so this tests the library
from a second language. The cases arrive as JSON on stdin (check.py decides them and judges the
answers). Reports go, one JSON object per line, to the descriptor named by $FFILAB_CHANNEL_FD; a
"calling" line before each call into Rust pins a crash on the call that caused it.
"""

import ctypes
import json
import os
import sys
import traceback

CHANNEL = int(os.environ.pop("FFILAB_CHANNEL_FD"))

SIGNATURES = {
    "rust_add": ([ctypes.c_int32, ctypes.c_int32], ctypes.c_int32),
    "rust_sum": ([ctypes.POINTER(ctypes.c_int32), ctypes.c_size_t], ctypes.c_int64),
}


def send(**message):
    os.write(CHANNEL, (json.dumps(message) + "\n").encode("utf-8"))


def short_error(ex):
    return "".join(traceback.format_exception_only(type(ex), ex)).strip()


def shown(case):
    if case["function"] == "rust_add":
        return "rust_add(%d, %d)" % tuple(case["args"])
    values = case["args"]
    if len(values) <= 4:
        return "rust_sum(%s, %d)" % (values, len(values))
    return "rust_sum(<array of %d ints>, %d)" % (len(values), len(values))


def main():
    cases = json.loads(sys.stdin.read())  # all of stdin, before any student code runs
    path = os.path.abspath(sys.argv[1])
    send(kind="calling", id="load")
    try:
        lib = ctypes.CDLL(path)
    except OSError as ex:
        send(kind="load", error=short_error(ex))
        return
    send(kind="load", error=None)
    functions = {}
    for name, (argtypes, restype) in SIGNATURES.items():
        try:
            function = getattr(lib, name)
        except AttributeError:
            send(kind="symbol", name=name, present=False)
            continue
        function.argtypes = argtypes
        function.restype = restype
        functions[name] = function
        send(kind="symbol", name=name, present=True)

    for case in cases:
        function = functions.get(case["function"])
        if function is None:
            continue
        print("Python: %s = " % shown(case), end="", flush=True)
        send(kind="calling", id=case["id"])
        try:
            if case["function"] == "rust_add":
                value = function(*case["args"])
            else:
                values = case["args"]
                array = (ctypes.c_int32 * len(values))(*values)
                value = function(array, len(values))
        except BaseException as ex:
            print("error")
            send(kind="result", id=case["id"], error=short_error(ex))
            continue
        print(value, flush=True)
        send(kind="result", id=case["id"], error=None, value=value)
    send(kind="done")


if __name__ == "__main__":
    main()
