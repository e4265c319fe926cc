"""Task 10: bind make_greeting/free_greeting from libgreeting.so and own the memory correctly.

libgreeting.so is built by the checker from greeting.c (shown on the task page) into the folder
this file is in.
"""

import ctypes
import os

_HERE = os.path.dirname(os.path.abspath(__file__))
lib = ctypes.CDLL(os.path.join(_HERE, "libgreeting.so"))

# TODO: declare both C signatures (argtypes and restype):
#   char *make_greeting(const char *name);   -- the caller owns the result
#   void free_greeting(char *greeting);      -- gives it back to the library
# Choose make_greeting's restype so that you keep the exact address it returned.


def greet(name):
    """Returns 'Hello, <name>!' built by the C library, as a Python str.

    Call make_greeting, copy the text into Python (ctypes.string_at), then give the C string
    back with free_greeting: the same pointer, exactly once, after the copy.
    """
    # TODO
    raise NotImplementedError("greet is not written yet")


if __name__ == "__main__":
    print(greet("World"))
