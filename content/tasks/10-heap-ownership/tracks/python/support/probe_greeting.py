"""Hidden driver of task 10: imports the student's greeting.py and calls greet().

Usage: python3 probe_greeting.py < request.json, the request (from check.py) being
{"folder": where greeting.py is, "names": [...], "leak_check": bool}. The same calls run three
times: plainly, under AddressSanitizer and under Valgrind. The driver judges nothing: it writes one
JSON object per line to the descriptor named by $FFILAB_CHANNEL_FD, a "calling" line before each
call. It ends with os._exit, so that the interpreter's own memory is still in use when Valgrind
looks for leaks (a normal exit leaves thousands of interpreter blocks behind) and only blocks
nothing points to any more, such as a greeting that was never freed, count as lost.
"""

import ctypes
import gc
import importlib.util
import json
import os
import sys
import traceback

CHANNEL = int(os.environ.pop("FFILAB_CHANNEL_FD"))
HERE = os.path.dirname(os.path.abspath(__file__))


def send(**message):
    os.write(CHANNEL, (json.dumps(message) + "\n").encode("utf-8"))


def short_error(ex):
    return "".join(traceback.format_exception_only(type(ex), ex)).strip()[:500]


def type_name(t):
    if t is None:
        return None
    return getattr(t, "__name__", repr(t))


def describe_function(lib, name):
    """How a function of the student's lib is declared."""
    try:
        function = getattr(lib, name)
    except BaseException as ex:
        return {"error": short_error(ex)}
    restype = function.restype
    argtypes = function.argtypes
    return {
        "error": None,
        "restype": type_name(restype),
        # Does the result keep the address? c_void_p gives an int, a POINTER type a pointer object.
        "restype_keeps_address": isinstance(restype, type) and (
            issubclass(restype, (ctypes.c_void_p, ctypes._Pointer))),
        "argtypes": None if argtypes is None else [type_name(t) for t in argtypes],
    }


def load(path):
    spec = importlib.util.spec_from_file_location("greeting", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["greeting"] = module
    spec.loader.exec_module(module)
    return module


def greet_all(module, names):
    """All the calls, in a function of their own: no address stays behind in main's frame."""
    for name in names:
        send(kind="calling", what="greet(%r)" % (name if len(name) < 20 else name[:8] + "..."),
             name=name)
        try:
            value = module.greet(name)
        except BaseException as ex:
            send(kind="result", name=name, error=short_error(ex))
            continue
        send(kind="result", name=name, error=None, type=type(value).__name__,
             repr=repr(value)[:300], value=value if isinstance(value, str) else None)


def main():
    request = json.loads(sys.stdin.read() or "{}")
    path = os.path.join(HERE, request.get("folder") or ".", "greeting.py")
    send(kind="calling", what="import greeting")
    try:
        module = load(path)
    except BaseException as ex:
        send(kind="import", error=short_error(ex))
        return
    lib = getattr(module, "lib", None)
    send(kind="import", error=None, has_lib=isinstance(lib, ctypes.CDLL),
         lib_type=type(lib).__name__,
         make_greeting=describe_function(lib, "make_greeting") if lib is not None else None,
         free_greeting=describe_function(lib, "free_greeting") if lib is not None else None,
         has_greet=callable(getattr(module, "greet", None)))
    if not callable(getattr(module, "greet", None)):
        return
    greet_all(module, request.get("names") or [])
    gc.collect()
    send(kind="done")
    if request.get("leak_check"):
        # LeakSanitizer's check, now: every live Python object still points where it should, so
        # only memory nobody references (a greeting never freed) is reported.
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
        os._exit(status)
