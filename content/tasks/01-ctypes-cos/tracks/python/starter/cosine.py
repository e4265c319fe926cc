"""Task 1: call the C maths library's cos() from Python with ctypes.

Fill in the two TODOs. The checker imports this file and calls load_cos() and
load_cos_without_restype(); running it as a program prints both results.
"""

import ctypes
import ctypes.util
import math


def open_libm():
    """Opens the C maths library (libm.so.6 on Linux).

    Every call makes a new CDLL object, and ctypes hands out separate function objects
    per CDLL object: the two functions below can therefore configure `cos` differently
    without affecting each other.
    """
    return ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")


def load_cos_without_restype():
    """libm's cos with its argument type declared and its result type left alone."""
    cos = open_libm().cos
    # TODO: declare that cos takes one C double. Do not touch restype here.
    return cos


def load_cos():
    """libm's cos with its whole C signature declared: double cos(double)."""
    cos = open_libm().cos
    # TODO: declare the argument types and the result type.
    return cos


if __name__ == "__main__":
    print("without restype:", load_cos_without_restype()(0.0))
    print("with restype:", load_cos()(0.0))
    print("cos(pi) with restype:", load_cos()(math.pi))
