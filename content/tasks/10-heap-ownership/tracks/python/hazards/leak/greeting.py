"""Task 10 hazard leak: the string is never freed."""

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
    """'Hello, <name>!' from the C library, as a Python str."""
    pointer = lib.make_greeting(name.encode("utf-8"))
    if not pointer:
        raise MemoryError("make_greeting returned NULL")
    return ctypes.string_at(pointer).decode("utf-8")  # and the C string is never given back


if __name__ == "__main__":
    print(greet("World"))
