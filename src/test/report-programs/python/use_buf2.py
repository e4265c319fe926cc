import ctypes
import sys
lib = ctypes.CDLL("./libbuf.so")
lib.make_greeting.restype = ctypes.c_void_p
lib.scale_into.argtypes = [ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_double), ctypes.c_int, ctypes.c_double]
for name in (b"ada", b"grace"):
    g = lib.make_greeting(name)   # never freed
    print("greeting", ctypes.string_at(g))
src = (ctypes.c_double * 4)(1, 2, 3, 4)
dst = (ctypes.c_double * 4)()
if sys.argv[1:] == ["overflow"]:
    lib.scale_into(dst, src, 4, 2.0)   # writes dst[4] and reads src[4]
print(list(dst))
