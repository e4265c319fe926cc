"""Hidden checker for task 2: calls the C library or the student's binding, reports what it saw.

    python3 probe_mymath.py c         test libmymath.so through this file's own, correct binding
    python3 probe_mymath.py binding   import the student's mymath.py and test it

The cases arrive as JSON on stdin (check.py decides them and judges the answers). Reports go,
one JSON object per line, to the descriptor named by $FFILAB_CHANNEL_FD; a "calling" line
before each call into C pins a crash on the call that caused it.
"""

import ctypes
import importlib.util
import json
import os
import sys
import traceback

CHANNEL = int(os.environ.pop("FFILAB_CHANNEL_FD"))
HERE = os.getcwd()


def send(**message):
    os.write(CHANNEL, (json.dumps(message) + "\n").encode("utf-8"))


def short_error(ex):
    return "".join(traceback.format_exception_only(type(ex), ex)).strip()


def type_name(t):
    if t is None:
        return None
    return getattr(t, "__name__", repr(t))


def value_report(value):
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    return {"type": type(value).__name__, "repr": repr(value)[:200], "number": number}


def run_case(case, call):
    send(kind="calling", id=case["id"])
    try:
        report = {"kind": "result", "id": case["id"], "error": None}
        report.update(call())
    except BaseException as ex:
        report = {"kind": "result", "id": case["id"], "error": short_error(ex)}
    send(**report)


def probe_c(cases):
    send(kind="calling", id="load libmymath.so")
    try:
        lib = ctypes.CDLL(os.path.join(HERE, "libmymath.so"))
    except OSError as ex:
        send(kind="load", error=short_error(ex))
        return
    send(kind="load", error=None)
    functions = {}
    for name in ("add", "scale"):
        try:
            functions[name] = getattr(lib, name)
        except AttributeError:
            send(kind="symbol", name=name, present=False)
            continue
        send(kind="symbol", name=name, present=True)
    if "add" in functions:
        functions["add"].argtypes = [ctypes.c_int, ctypes.c_int]
        functions["add"].restype = ctypes.c_int
    if "scale" in functions:
        functions["scale"].argtypes = [ctypes.POINTER(ctypes.c_double), ctypes.c_int,
                                       ctypes.c_double]
        functions["scale"].restype = ctypes.c_double
    for case in cases:
        function = functions.get(case["function"])
        if function is None:
            continue
        if case["function"] == "add":
            run_case(case, lambda: value_report(function(*case["args"])))
        else:
            values, factor = case["args"]

            def call_scale():
                array = (ctypes.c_double * len(values))(*values)
                report = value_report(function(array, len(values), factor))
                report["changed"] = list(array) != [float(v) for v in values]
                return report

            run_case(case, call_scale)


def probe_binding(cases):
    spec = importlib.util.spec_from_file_location("mymath", os.path.join(HERE, "mymath.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules["mymath"] = module
    send(kind="calling", id="import mymath")
    try:
        spec.loader.exec_module(module)
    except BaseException as ex:
        send(kind="import", error=short_error(ex))
        return
    send(kind="import", error=None)
    lib = getattr(module, "lib", None)
    send(kind="lib", present=lib is not None, type=type(lib).__name__,
         is_cdll=isinstance(lib, ctypes.CDLL))
    if isinstance(lib, ctypes.CDLL):
        for name in ("add", "scale"):
            try:
                function = getattr(lib, name)
            except AttributeError as ex:
                send(kind="declared", function=name, error=short_error(ex))
                continue
            argtypes = function.argtypes
            send(kind="declared", function=name, error=None, restype=type_name(function.restype),
                 argtypes=None if argtypes is None else [type_name(t) for t in argtypes])
    for case in cases:
        function = getattr(module, case["function"], None)
        if not callable(function):
            send(kind="result", id=case["id"], error="mymath.py has no function %s()"
                 % case["function"])
            continue
        args = list(case["args"])
        if case.get("container") == "tuple":
            args[0] = tuple(args[0])
        run_case(case, lambda: value_report(function(*args)))


def main():
    mode = sys.argv[1]
    cases = json.loads(sys.stdin.read())  # all of stdin, before any student code runs
    probe_c(cases) if mode == "c" else probe_binding(cases)


if __name__ == "__main__":
    main()
