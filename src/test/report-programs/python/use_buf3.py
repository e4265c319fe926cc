import ctypes, threading
lib = ctypes.CDLL("./libbuf.so")
lib.make_greeting.restype = ctypes.c_void_p
lib.free_greeting.argtypes = [ctypes.c_void_p]
kept = []
def worker(name):
    g = lib.make_greeting(name.encode())
    print("greeting", ctypes.string_at(g), flush=True)
    if name == "ada":
        lib.free_greeting(g)
        lib.free_greeting(g)   # double free
    kept.append(g)             # the others are never freed
ts = [threading.Thread(target=worker, args=(n,)) for n in ("ada", "grace", "linus" * 800)]
for t in ts: t.start()
for t in ts: t.join()
