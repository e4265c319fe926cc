import ctypes, threading, time
cdll = ctypes.CDLL("./libgil.so")
pydll = ctypes.PyDLL("./libgil.so")

def timed(lib):
    ts = [threading.Thread(target=lib.work_ms, args=(200,)) for _ in range(2)]
    start = time.perf_counter()
    for t in ts: t.start()
    for t in ts: t.join()
    return time.perf_counter() - start

released = timed(cdll)
print("two calls through CDLL took %.3f s" % released)
held = timed(pydll)
print("two calls through PyDLL took %.3f s" % held)
print("METRIC name=\"GIL released (CDLL)\" value=%.4f unit=s" % released)
print("METRIC name=\"GIL held (PyDLL)\" value=%.4f unit=s" % held)
print("METRIC name=speedup value=%.2f unit=x lower_is_better=false" % (held / released))
