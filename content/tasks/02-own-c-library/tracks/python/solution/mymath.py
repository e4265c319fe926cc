"""Python binding for libmymath.so (reference solution of task 2)."""

import ctypes
import os

_HERE = os.path.dirname(os.path.abspath(__file__))
lib = ctypes.CDLL(os.path.join(_HERE, "libmymath.so"))

lib.add.argtypes = [ctypes.c_int, ctypes.c_int]
lib.add.restype = ctypes.c_int

lib.scale.argtypes = [ctypes.POINTER(ctypes.c_double), ctypes.c_int, ctypes.c_double]
lib.scale.restype = ctypes.c_double


def add(a, b):
    """a + b, computed by the C library."""
    return lib.add(a, b)


def scale(values, factor):
    """The sum of value * factor over values, computed in C."""
    values = list(values)
    # A C array of doubles holding copies of the values. The local name keeps it alive until
    # the call has returned; C only ever sees its address.
    array = (ctypes.c_double * len(values))(*values)
    return lib.scale(array, len(values), factor)
