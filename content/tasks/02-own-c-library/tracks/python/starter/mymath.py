"""Python binding for libmymath.so, the library built from mymath.c."""

import ctypes
import os

# Load the library from this file's folder, whatever the current working directory is.
_HERE = os.path.dirname(os.path.abspath(__file__))
lib = ctypes.CDLL(os.path.join(_HERE, "libmymath.so"))

# TODO: declare both C signatures (argtypes and restype):
#   int add(int a, int b)
#   double scale(const double *xs, int n, double factor)


def add(a, b):
    """a + b, computed by the C library."""
    return lib.add(a, b)


def scale(values, factor):
    """The sum of value * factor over values (any sequence of numbers), computed in C."""
    # TODO: copy values into a C array of doubles and pass that array instead of the list.
    return lib.scale(values, len(values), factor)
