"""Task 2 hazard: scale() declared with the wrong types (factor as float, result left as int)."""

import ctypes
import os

_HERE = os.path.dirname(os.path.abspath(__file__))
lib = ctypes.CDLL(os.path.join(_HERE, "libmymath.so"))

lib.add.argtypes = [ctypes.c_int, ctypes.c_int]
lib.add.restype = ctypes.c_int

# Two silent mistakes: the factor travels as a 4-byte float where C reads an 8-byte double, and
# the result type is never declared, so ctypes reads it as an int.
lib.scale.argtypes = [ctypes.POINTER(ctypes.c_double), ctypes.c_int, ctypes.c_float]


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
