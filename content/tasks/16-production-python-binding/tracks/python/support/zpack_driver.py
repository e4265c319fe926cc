"""Hidden driver of task 16: imports the student's zpack module and exercises it.

Usage: python3 zpack_driver.py < request.json, where the request (from check.py) is
{"mode": "functional" | "gil" | "version" | "memory", "module": file to load,
"leak_check": bool}. The driver judges nothing: it writes one JSON object per line to the
descriptor named by $FFILAB_CHANNEL_FD (hashes and lengths instead of data, exception types and
messages, timings). A "calling" line goes out before every call into C. It ends with os._exit,
so that under Valgrind the interpreter's own memory is still in use and only blocks nothing points
to any more (a z_stream's state nobody ended) count as lost.
"""

import ctypes
import gc
import hashlib
import importlib.util
import json
import os
import random
import sys
import threading
import time
import traceback
import zlib

CHANNEL = int(os.environ.pop("FFILAB_CHANNEL_FD"))
HERE = os.path.dirname(os.path.abspath(__file__))
BIG = 5 * 1024 * 1024


def send(**message):
    os.write(CHANNEL, (json.dumps(message) + "\n").encode("utf-8"))


def short_error(ex):
    return "".join(traceback.format_exception_only(type(ex), ex)).strip()[:500]


def sha(data):
    return hashlib.sha256(data).hexdigest()[:16]


def text_like(size, seed=1):
    """Deterministic, compressible bytes that look like text: words of a made-up language."""
    rng = random.Random(seed)
    words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
             for _ in range(5000)]
    return b" ".join(rng.choices(words, k=size // 5))[:size].ljust(size, b".")


def load(filename):
    path = os.path.join(HERE, filename) if not os.path.isabs(filename) else filename
    spec = importlib.util.spec_from_file_location("zpack", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["zpack"] = module
    spec.loader.exec_module(module)
    return module


def imported(module):
    error = getattr(module, "error", None)
    send(kind="import", error=None, file=getattr(module, "__file__", None),
         functions={n: callable(getattr(module, n, None)) for n in ("compress", "decompress")},
         error_class=isinstance(error, type) and issubclass(error, BaseException),
         error_is_value_error=isinstance(error, type) and issubclass(error, ValueError))


def attempt(function, *args):
    """(value, None) or (None, exception description)."""
    try:
        return function(*args), None
    except BaseException as ex:
        return None, {"type": type(ex).__name__, "message": str(ex)[:300],
                      "value_error": isinstance(ex, ValueError),
                      "type_error": isinstance(ex, TypeError),
                      "module_error": type(ex).__module__ == "zpack"}


def round_trip(zpack, case_id, data, level, container="bytes"):
    """compress/decompress one input, and cross-check both directions against Python's zlib."""
    given = {"bytes": data, "bytearray": bytearray(data), "memoryview": memoryview(data)}[container]
    report = {"kind": "round", "id": case_id, "in_len": len(data), "in_sha": sha(data)}
    send(kind="calling", what="zpack.compress(%s)" % case_id)
    args = (given,) if level is None else (given, level)
    start = time.perf_counter()
    packed, error = attempt(zpack.compress, *args)
    report["compress_seconds"] = time.perf_counter() - start
    if error:
        report["compress_error"] = error
        send(**report)
        return
    report["type"] = type(packed).__name__
    if not isinstance(packed, bytes):
        send(**report)
        return
    report["len"] = len(packed)
    send(kind="calling", what="zpack.decompress(zpack.compress(%s))" % case_id)
    start = time.perf_counter()
    back, error = attempt(zpack.decompress, packed)
    report["decompress_seconds"] = time.perf_counter() - start
    if error:
        report["back_error"] = error
    else:
        report["back_type"] = type(back).__name__
        report["back_sha"] = sha(back) if isinstance(back, (bytes, bytearray)) else None
    plain, error = attempt(zlib.decompress, packed)
    report["zlib_sha"] = sha(plain) if error is None else None
    report["zlib_error"] = error
    send(kind="calling", what="zpack.decompress(zlib.compress(%s))" % case_id)
    theirs, error = attempt(zpack.decompress, zlib.compress(data, 6))
    report["from_zlib_sha"] = sha(theirs) if isinstance(theirs, (bytes, bytearray)) else None
    report["from_zlib_error"] = error
    send(**report)


def inputs(big=True):
    cases = [("b''", b""), ("b'x'", b"x"), ("12 KB of text", b"hello world " * 1000),
             ("64 KiB of random bytes", random.Random(7).randbytes(65536))]
    if big:
        cases.append(("5 MB of text", text_like(BIG)))
    return cases


def corrupt_cases():
    text = b"The quick brown fox jumps over the lazy dog. " * 400
    packed = zlib.compress(text, 6)
    flipped = bytearray(packed)
    flipped[len(flipped) // 2] ^= 0x55
    return [
        ("decompress(b'')", "decompress", (b"",)),
        ("decompress(b'this is not zlib data')", "decompress", (b"this is not zlib data",)),
        ("decompress(a stream cut short)", "decompress", (packed[:-9],)),
        ("decompress(a stream with a damaged byte)", "decompress", (bytes(flipped),)),
        ("decompress(a stream of only its 2-byte header)", "decompress", (packed[:2],)),
        ("compress(b'x', 10)", "compress", (b"x", 10)),
        ("compress(b'x', -2)", "compress", (b"x", -2)),
        ("compress('text')", "compress", ("text",)),
        ("decompress(None)", "decompress", (None,)),
    ]


def functional(zpack):
    for case_id, data in inputs():
        levels = [1, 6] if len(data) >= BIG else [None, 0, 1, 6, 9]
        for level in levels:
            shown = "%s%s" % (case_id, "" if level is None else ", level=%d" % level)
            round_trip(zpack, shown, data, level)
    text = b"hello world " * 1000
    round_trip(zpack, "bytearray(12 KB of text)", text, None, "bytearray")
    round_trip(zpack, "memoryview(12 KB of text)", text, None, "memoryview")
    errors(zpack)
    buffers(zpack)


def errors(zpack):
    for case_id, function, args in corrupt_cases():
        send(kind="calling", what="zpack." + case_id)
        value, error = attempt(getattr(zpack, function), *args)
        send(kind="bad", id=case_id, error=error,
             returned=None if error else repr(value)[:100])


def buffers(zpack):
    """A bytearray cannot grow while a Py_buffer of it is held: after each call, try."""
    text = b"hello world " * 1000
    cases = [("compress(bytearray)", "compress", bytearray(text), ()),
             ("decompress(bytearray)", "decompress", bytearray(zlib.compress(text)), ()),
             ("decompress(bytearray of garbage)", "decompress", bytearray(b"not zlib data"), ()),
             ("compress(bytearray, 42)", "compress", bytearray(b"x"), (42,))]
    for case_id, function, data, extra in cases:
        send(kind="calling", what="zpack." + case_id)
        value, error = attempt(getattr(zpack, function), data, *extra)
        del value
        try:
            data.extend(b"!")
            released, problem = True, None
        except BufferError as ex:
            released, problem = False, str(ex)
        send(kind="buffer", id=case_id, released=released, problem=problem, error=error)


def gil(zpack):
    """Another Python thread beats every millisecond; how long did compress() silence it?"""
    data = text_like(BIG)
    beats = []
    stop = threading.Event()

    def heartbeat():
        while not stop.is_set():
            beats.append(time.monotonic())
            time.sleep(0.001)

    thread = threading.Thread(target=heartbeat, daemon=True)
    thread.start()
    time.sleep(0.05)

    def measure(name, function, *args):
        send(kind="calling", what=name)
        start = time.monotonic()
        value, error = attempt(function, *args)
        end = time.monotonic()
        inside = [b for b in beats if start <= b <= end]
        points = [start] + inside + [end]
        pause = max(b - a for a, b in zip(points, points[1:]))
        send(kind="gil", name=name, seconds=end - start, beats=len(inside), pause=pause,
             error=error)
        return value

    measure("compress(5 MB of text, 9)", zpack.compress, data, 9)
    # Inflating is several times faster than deflating: 20 MB to make the call last.
    packed = zlib.compress(data * 4, 1)
    measure("decompress(20 MB of text)", zpack.decompress, packed)
    stop.set()
    thread.join()


def memory(zpack, leak_check):
    """A small workload for ASan and Valgrind: every level, and every error path."""
    text = text_like(240 * 1024, seed=2)
    for level in (0, 1, 6, 9):
        round_trip(zpack, "240 KB of text, level=%d" % level, text, level)
    round_trip(zpack, "64 KiB of random bytes", random.Random(7).randbytes(65536), None)
    round_trip(zpack, "bytearray(240 KB of text)", text, None, "bytearray")
    errors(zpack)
    gc.collect()
    send(kind="done")
    if leak_check:
        # LeakSanitizer's check, now: every live Python object still points where it should,
        # so only memory nothing references (a z_stream state never ended) is reported.
        check = ctypes.CDLL(None).__lsan_do_recoverable_leak_check
        check.restype = ctypes.c_int
        send(kind="calling", what="the leak check")
        send(kind="leak_check", leaks=bool(check()))


def main():
    request = json.loads(sys.stdin.read() or "{}")
    mode = request.get("mode")
    send(kind="calling", what="import zpack")
    try:
        zpack = load(request["module"])
    except BaseException as ex:
        send(kind="import", error=short_error(ex), error_type=type(ex).__name__)
        return
    imported(zpack)
    if mode == "version":
        send(kind="versions", header=getattr(zpack, "ZLIB_VERSION", None),
             runtime=getattr(zpack, "ZLIB_RUNTIME_VERSION", None))
        return
    if not all(callable(getattr(zpack, n, None)) for n in ("compress", "decompress")):
        return
    if mode == "functional":
        functional(zpack)
    elif mode == "gil":
        gil(zpack)
    elif mode == "memory":
        memory(zpack, request.get("leak_check"))
    send(kind="finished")


if __name__ == "__main__":
    status = 0
    try:
        main()
    except BaseException:  # a fault of this driver: show it, and say so by the exit code
        traceback.print_exc()
        status = 3
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
