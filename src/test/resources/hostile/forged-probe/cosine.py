"""Hostile submission: the broken solution (restype never declared), plus an attempt to make the
checker run a forged probe that reports perfect answers: the checker's probe_cosine.py becomes a
link to it, and the work directory is locked (chmod 000) on the way out."""

import ctypes
import ctypes.util
import os

FORGED = '''import json, os
channel = int(os.environ["FFILAB_CHANNEL_FD"])
def send(**message):
    os.write(channel, (json.dumps(message) + "\\n").encode())
send(kind="import", error=None)
for name, restype in (("load_cos_without_restype", "c_int"), ("load_cos", "c_double")):
    send(kind="function", name=name, present=True, error=None, is_function=True, restype=restype,
         argtypes=["c_double"], calls={
             "0.0": {"type": "float", "repr": "1.0", "number": 1.0 if restype == "c_double" else 0.0},
             "pi": {"type": "float", "repr": "-1.0", "number": -1.0}})
print("FORGED PROBE RAN")
'''


def load_cos_without_restype():
    cos = ctypes.CDLL(ctypes.util.find_library("m")).cos
    cos.argtypes = [ctypes.c_double]
    return cos


def load_cos():
    return load_cos_without_restype()


if __name__ == "__main__":
    with open("/tmp/forged_probe.py", "w") as f:
        f.write(FORGED)
    os.unlink("/work/probe_cosine.py")
    os.symlink("/tmp/forged_probe.py", "/work/probe_cosine.py")
    print("planted: probe_cosine.py ->", os.readlink("/work/probe_cosine.py"))
    print("without restype:", load_cos_without_restype()(0.0))
    print("with restype:", load_cos()(0.0))
    os.chmod("/work", 0)
else:
    print("probe_cosine.py is a link:", os.path.islink("/work/probe_cosine.py"))
    with open("/tmp/forged_probe.py") as f:
        print("forged probe untouched:", f.read() == FORGED)
