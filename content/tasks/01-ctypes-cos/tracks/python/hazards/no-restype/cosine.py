"""Task 1 hazard: load_cos() declares argtypes but forgets restype."""

import ctypes
import ctypes.util
import math


def open_libm():
    return ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")


def load_cos_without_restype():
    cos = open_libm().cos
    cos.argtypes = [ctypes.c_double]
    return cos


def load_cos():
    cos = open_libm().cos
    cos.argtypes = [ctypes.c_double]
    # restype is missing: ctypes still thinks cos returns a C int.
    return cos


if __name__ == "__main__":
    print("without restype:", load_cos_without_restype()(0.0))
    print("with restype:", load_cos()(0.0))
    print("cos(pi) with restype:", load_cos()(math.pi))
