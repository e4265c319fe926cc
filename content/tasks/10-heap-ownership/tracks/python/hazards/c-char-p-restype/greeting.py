"""Task 10 hazard c-char-p-restype: restype c_char_p; ctypes' bytes copy goes to free_greeting."""

import ctypes
import os

_HERE = os.path.dirname(os.path.abspath(__file__))
lib = ctypes.CDLL(os.path.join(_HERE, "libgreeting.so"))

# char *make_greeting(const char *name): the caller owns the result.
lib.make_greeting.argtypes = [ctypes.c_char_p]
# Wrong: with c_char_p ctypes copies the string into a bytes object and forgets the address.
lib.make_greeting.restype = ctypes.c_char_p

# void free_greeting(char *greeting): takes back exactly what make_greeting returned.
lib.free_greeting.argtypes = [ctypes.c_void_p]
lib.free_greeting.restype = None


def greet(name):
    """'Hello, <name>!' from the C library, as a Python str."""
    text = lib.make_greeting(name.encode("utf-8"))  # a bytes copy; the C pointer is gone
    lib.free_greeting(text)  # frees an address inside the bytes object, not the C string
    return text.decode("utf-8")


if __name__ == "__main__":
    print(greet("World"))
