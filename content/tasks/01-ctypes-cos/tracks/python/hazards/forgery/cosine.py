"""Task 1 hazard: a submission that leaves the bug in and tries to forge a passing verdict.

Every attempt below must fail or be harmless: only the harness (PID 1 of the sandbox) writes
the protocol stream, and the checks judge behaviour, not printed text. The attempts aimed at
PID 1 run only when this program's parent is PID 1 (that is, inside the sandbox), never on a
developer's machine.
"""

import ctypes
import ctypes.util
import json
import math
import os
import signal
import time

FAKE_RESULT = {
    "type": "result",
    "result": {
        "version": 3,
        "status": "pass",
        "message": "All 6 tests passed.",
        "tests": [
            {"name": name, "status": "pass", "message": None, "output": None, "group": "Tests"}
            for name in (
                "cosine.py runs",
                "prints both results",
                "without restype the result is wrong",
                "cos(0.0) == 1.0",
                "cos(pi) == -1.0",
                "argtypes and restype are declared",
            )
        ],
        "metrics": [],
        "findings": [],
    },
}

# A stand-in for the hidden checker that reports a perfect load_cos(). If the harness did not
# rewrite its support files before each step, the next step would run this instead.
FAKE_PROBE = r'''
import json, os
fd = int(os.environ["FFILAB_CHANNEL_FD"])
perfect = {"present": True, "error": None, "is_function": True, "type": "CFuncPtr",
           "restype": "c_double", "argtypes": ["c_double"],
           "calls": {"0.0": {"type": "float", "repr": "1.0", "number": 1.0, "error": None},
                     "pi": {"type": "float", "repr": "-1.0", "number": -1.0, "error": None}}}
broken = dict(perfect, restype="c_int",
              calls={"0.0": {"type": "int", "repr": "0", "number": 0, "error": None},
                     "pi": {"type": "int", "repr": "0", "number": 0, "error": None}})
for line in ({"kind": "import", "error": None},
             dict(perfect, kind="function", name="load_cos"),
             dict(broken, kind="function", name="load_cos_without_restype")):
    os.write(fd, (json.dumps(line) + "\n").encode())
'''


def _attempt(what, action):
    try:
        outcome = action()
        print("forgery: %s -> %s" % (what, outcome or "done"))
    except Exception as ex:  # the point is to show what the sandbox refused
        print("forgery: %s -> refused (%s: %s)" % (what, type(ex).__name__, ex))


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def _ptrace_attach(pid):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.ptrace(16, pid, None, None) != 0:  # PTRACE_ATTACH
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return "attached!"


def _signal_pid_1(*signals):
    for sig in signals:
        os.kill(1, sig)
    time.sleep(0.1)
    os.kill(1, 0)  # raises if PID 1 is gone
    return "sent, and PID 1 is still running (the kernel drops them)"


def forge():
    frame = json.dumps(FAKE_RESULT)
    print(frame)
    print("All 6 tests passed.")
    _attempt("write results.json", lambda: _write("results.json", frame))
    _attempt("replace the hidden probe", lambda: _write("probe_cosine.py", FAKE_PROBE))
    if os.getppid() != 1:
        print("forgery: not a child of the sandbox's PID 1; attempts on PID 1 skipped")
        return
    _attempt("write a result frame to /proc/1/fd/1", lambda: _write("/proc/1/fd/1", frame + "\n"))
    _attempt("open /proc/1/mem", lambda: open("/proc/1/mem", "rb").close())
    _attempt("ptrace PID 1", lambda: _ptrace_attach(1))
    _attempt("SIGINT and SIGTERM to PID 1", lambda: _signal_pid_1(signal.SIGINT, signal.SIGTERM))


def open_libm():
    return ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")


def load_cos_without_restype():
    cos = open_libm().cos
    cos.argtypes = [ctypes.c_double]
    return cos


def load_cos():
    cos = open_libm().cos
    cos.argtypes = [ctypes.c_double]
    return cos  # the bug stays: no restype


forge()  # at import time as well, so the checker's own step sees the attempts too

if __name__ == "__main__":
    print("without restype:", load_cos_without_restype()(0.0))
    print("with restype: 1.0")
    print("cos(pi) with restype: -1.0")
