import ctypes
lib = ctypes.CDLL("./libcb.so")
lib.first_byte.argtypes = [ctypes.c_void_p]
print("calling first_byte(NULL)", flush=True)
print(lib.first_byte(None))
