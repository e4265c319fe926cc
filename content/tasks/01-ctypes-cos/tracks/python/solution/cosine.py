"""Task 1 reference: libm's cos() from Python with ctypes, without and with restype."""

import ctypes
import ctypes.util
import math


def open_libm():
    """Opens the C maths library; a new CDLL object (and new function objects) per call."""
    return ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")


def load_cos_without_restype():
    """cos with argtypes declared; restype stays at ctypes' default, c_int."""
    cos = open_libm().cos
    cos.argtypes = [ctypes.c_double]
    return cos


def load_cos():
    """cos declared as what it is in math.h: double cos(double)."""
    cos = open_libm().cos
    cos.argtypes = [ctypes.c_double]
    cos.restype = ctypes.c_double
    return cos


if __name__ == "__main__":
    print("without restype:", load_cos_without_restype()(0.0))
    print("with restype:", load_cos()(0.0))
    print("cos(pi) with restype:", load_cos()(math.pi))
