"""Task 2 hazard: scale() hands ctypes the Python list itself instead of a C array."""

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
    return lib.scale(values, len(values), factor)  # a list is not a C array of doubles
