"""Task 10 reference: a ctypes binding that copies a C-allocated string and frees it correctly."""

import ctypes
import os

_HERE = os.path.dirname(os.path.abspath(__file__))
lib = ctypes.CDLL(os.path.join(_HERE, "libgreeting.so"))

# char *make_greeting(const char *name): the caller owns the result.
lib.make_greeting.argtypes = [ctypes.c_char_p]
# c_void_p, not c_char_p: ctypes hands back the address itself (an int) instead of converting
# the string to bytes and dropping the only copy of the pointer free_greeting needs.
lib.make_greeting.restype = ctypes.c_void_p

# void free_greeting(char *greeting): takes back exactly what make_greeting returned.
lib.free_greeting.argtypes = [ctypes.c_void_p]
lib.free_greeting.restype = None


def greet(name):
    """'Hello, <name>!' from the C library as a Python str; the C string is freed on the way."""
    pointer = lib.make_greeting(name.encode("utf-8"))
    if not pointer:
        raise MemoryError("make_greeting returned NULL")
    try:
        # string_at copies the bytes up to the NUL into a new Python bytes object.
        return ctypes.string_at(pointer).decode("utf-8")
    finally:
        lib.free_greeting(pointer)  # the same address, once, after the copy


if __name__ == "__main__":
    print(greet("World"))
