"""Hidden driver of task 10: imports the student's greeting.py and calls greet().

Usage: python3 probe_greeting.py < request.json, the request (from check.py) being
{"folder": where greeting.py is, "names": [...], "leak_check": bool}. The same calls run three
times: plainly, under AddressSanitizer and under Valgrind. The driver judges nothing: it writes one
JSON object per line to the descriptor named by $FFILAB_CHANNEL_FD, a "calling" line before each
call, and an "ffi" line for each call that a line of greeting.py makes into C or into ctypes (what
was called, from which line, with which first argument, and what make_greeting returned), so that
the check can put the memory errors the tools find on the student's line. It ends with os._exit,
so that the interpreter's own memory is still in use when Valgrind looks for leaks (a normal exit
leaves thousands of interpreter blocks behind) and only blocks nothing points to any more, such as
a greeting that was never freed, count as lost.
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
MAX_FFI_EVENTS = 400  # per process: a loop in greet() must not flood the channel ...
MAX_OWNERSHIP_EVENTS = 2000  # ... but the calls that make and free greetings matter most
OWNERSHIP = ("make_greeting", "free_greeting", "free")
CTYPES_DATA = (ctypes._SimpleCData, ctypes._Pointer, ctypes.Array, ctypes.Structure, ctypes.Union)


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


def address(value):
    """A pointer argument or result as a plain address (an int), or the name of its type when it
    is not one (bytes from a c_char_p result, a str, ...)."""
    if value is None:
        return 0
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        if isinstance(value, (ctypes._Pointer, ctypes.c_void_p, ctypes.c_char_p,
                              ctypes.c_wchar_p)):
            return ctypes.cast(value, ctypes.c_void_p).value or 0
        if isinstance(value, ctypes._SimpleCData) and isinstance(value.value, int):
            return value.value
    except BaseException:
        pass
    return type(value).__name__


def callee(function):
    """('make_greeting', True) for a C function of a ctypes library, ('ctypes.string_at', False)
    for a ctypes helper or type; None for anything else (str.encode, the student's own helpers)."""
    if isinstance(function, ctypes._CFuncPtr):
        return getattr(function, "__name__", None) or "a C function", True
    if isinstance(function, type) and issubclass(function, CTYPES_DATA):
        return function.__name__, False
    owner = getattr(function, "__self__", None)
    if isinstance(owner, type) and issubclass(owner, CTYPES_DATA):
        return "%s.%s" % (owner.__name__, getattr(function, "__name__", "?")), False
    if getattr(function, "__module__", None) == "ctypes" and callable(function):
        return "ctypes." + getattr(function, "__name__", "?"), False
    return None


class FfiCalls:
    """Records, with sys.monitoring, every call a line of greeting.py makes into a C function or
    a ctypes helper. The result of make_greeting (the address the student has to free) is taken
    with an errcheck hook that hands it back unchanged, set on the function object as it is
    called, unless the student gave it an errcheck of their own."""

    def __init__(self, path):
        self.path = path
        self.sent = {True: 0, False: 0}  # ownership calls, other calls
        self.lines = {}
        self.tool = None

    def start(self):
        monitoring = getattr(sys, "monitoring", None)
        if monitoring is None:
            return
        for tool in range(5, -1, -1):
            if monitoring.get_tool(tool) is None:
                self.tool = tool
                break
        else:
            return
        monitoring.use_tool_id(self.tool, "ffilab probe")
        monitoring.register_callback(self.tool, monitoring.events.CALL, self.on_call)
        monitoring.set_events(self.tool, monitoring.events.CALL)

    def stop(self):
        if self.tool is not None:
            sys.monitoring.set_events(self.tool, 0)
            sys.monitoring.free_tool_id(self.tool)
            self.tool = None

    def line(self, code, offset):
        table = self.lines.get(code)
        if table is None:
            table = self.lines[code] = [(start, end, line) for start, end, line in code.co_lines()]
        for start, end, line in table:
            if start <= offset < end:
                return line
        return code.co_firstlineno

    def on_call(self, code, offset, function, arg0):
        if code.co_filename != self.path:
            return sys.monitoring.DISABLE  # this call site is not the student's: never again
        try:
            what = callee(function)
            if what is None:
                return None
            name, native = what
            ownership = native and name in OWNERSHIP
            if self.sent[ownership] >= (MAX_OWNERSHIP_EVENTS if ownership else MAX_FFI_EVENTS):
                return None
            self.sent[ownership] += 1
            send(kind="ffi", callee=name, native=native, line=self.line(code, offset),
                 function=code.co_qualname,
                 arg=None if arg0 is sys.monitoring.MISSING else address(arg0))
            if native and name == "make_greeting" and getattr(function, "errcheck", 0) is None:
                function.errcheck = self.returned
        except BaseException:
            pass
        return None

    def returned(self, result, function, arguments):
        send(kind="ffi_result", callee=getattr(function, "__name__", None), result=address(result))
        return result


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
    calls = FfiCalls(path)
    calls.start()
    try:
        greet_all(module, request.get("names") or [])
    finally:
        calls.stop()
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
