"""Hazard temporary-callback: register() passes a temporary CFUNCTYPE object that C stores."""

import ctypes
import os

_HERE = os.path.dirname(os.path.abspath(__file__))
lib = ctypes.CDLL(os.path.join(_HERE, "libupcall.so"))

# The C type of a callback, typedef int (*upcall_fn)(int value): result type first.
CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int)

UPCALL_OK = 0
UPCALL_FAILED = 1
UPCALL_NO_CALLBACK = -1

lib.for_each.argtypes = [ctypes.POINTER(ctypes.c_int), ctypes.c_int, CALLBACK]
lib.for_each.restype = ctypes.c_int
lib.register_cb.argtypes = [CALLBACK]
lib.register_cb.restype = None
lib.fire.argtypes = [ctypes.c_int]
lib.fire.restype = ctypes.c_int


def _guarded(fn, errors):
    """A function C may call: runs fn(x) and turns any exception into a status for C.

    An exception must not reach ctypes' own callback machinery: ctypes would only print
    "Exception ignored ..." and hand C a 0, so C would carry on as if nothing had happened. The
    exception is kept in `errors` and raised again on the Python side once C has returned.
    """

    def callback(x):
        try:
            fn(x)
        except BaseException as ex:  # KeyboardInterrupt and SystemExit must not cross C either
            errors.append(ex)
            return UPCALL_FAILED
        return UPCALL_OK

    return callback


def for_each(values, fn):
    """Has C call fn(x) for every x in values, in order. If fn raises, C stops at that element
    and for_each raises the same exception."""
    values = list(values)
    array = (ctypes.c_int * len(values))(*values)
    errors = []
    # C uses this callback only while for_each runs, so the local name keeps it alive long
    # enough (a temporary would be safe here too: ctypes holds its arguments during the call).
    callback = CALLBACK(_guarded(fn, errors))
    status = lib.for_each(array, len(values), callback)
    if errors:
        raise errors[0]
    if status != UPCALL_OK:
        raise RuntimeError("for_each failed with status %d" % status)


# The callback object C holds. C keeps only the address of its machine-code thunk; this module
# attribute is what keeps the object, and so the thunk, alive after register() has returned.
_registered = None
_pending = []  # an exception the registered callback raised, until fire() raises it again


def register(fn):
    """Registers fn with C, which calls it on every later fire()."""
    # HAZARD: the CALLBACK object is a temporary. Nothing refers to it once register_cb has
    # returned, so Python frees it (and its thunk) while C still holds the thunk's address.
    lib.register_cb(CALLBACK(_guarded(fn, _pending)))


def fire(x):
    """Has C call the registered function with x. Raises what that function raised."""
    status = lib.fire(x)
    if _pending:
        error = _pending.pop()
        _pending.clear()
        raise error
    if status == UPCALL_NO_CALLBACK:
        raise RuntimeError("fire(%d): no function is registered; call register() first" % x)
    if status != UPCALL_OK:
        raise RuntimeError("fire(%d) failed with status %d" % (x, status))
