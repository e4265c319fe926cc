"""Python binding for libupcall.so: C calls back into Python. See upcall.h in the task text."""

import ctypes
import os

# Load the library from this file's folder, whatever the current working directory is.
_HERE = os.path.dirname(os.path.abspath(__file__))
lib = ctypes.CDLL(os.path.join(_HERE, "libupcall.so"))

UPCALL_OK = 0
UPCALL_FAILED = 1
UPCALL_NO_CALLBACK = -1

# TODO: the C type of a callback, typedef int (*upcall_fn)(int value), as a ctypes function
#       type: CALLBACK = ctypes.CFUNCTYPE(<result type>, <parameter types>...)

# TODO: declare argtypes and restype of the three functions:
#   int for_each(const int *xs, int n, upcall_fn cb);
#   void register_cb(upcall_fn cb);
#   int fire(int x);


def for_each(values, fn):
    """Has C call fn(x) for every x in values, in order. If fn raises, C stops at that element
    and for_each raises the same exception."""
    # TODO: copy values into a C array of ints, wrap fn in a CALLBACK, call lib.for_each.
    #       An exception must not escape into C: catch it inside the callback, return
    #       UPCALL_FAILED to C, and raise it again here once lib.for_each has returned.
    raise NotImplementedError("for_each")


def register(fn):
    """Registers fn with C, which calls it on every later fire()."""
    # TODO: C keeps the callback's address after register_cb returns. Something in Python must
    #       keep the CALLBACK object alive for as long as C may call it.
    raise NotImplementedError("register")


def fire(x):
    """Has C call the registered function with x. Raises what that function raised."""
    # TODO: call lib.fire(x); when the callback failed, raise its exception here.
    raise NotImplementedError("fire")
