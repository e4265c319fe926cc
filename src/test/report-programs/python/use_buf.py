import ctypes, threading
lib = ctypes.CDLL("./libbuf.so")
lib.make_greeting.restype = ctypes.c_void_p
lib.free_greeting.argtypes = [ctypes.c_void_p]
g = lib.make_greeting(b"ada")
print("greeting", ctypes.string_at(g))
lib.free_greeting(g)
print("freed once")
def worker():
    print("worker frees again")
    lib.free_greeting(g)
t = threading.Thread(target=worker)
t.start(); t.join()
