"""Hostile submission: tries to write outside the work directory, including into the harness."""

PATHS = [
    "/etc/ffilab-owned",
    "/ffilab-owned",
    "/usr/lib/python3/dist-packages/ffilab_owned.py",
    "/usr/local/bin/ffilab-harness",
    "/opt/ffilab/harness/ffilab_harness/api.py",
    "/work/../etc/ffilab-owned",
    "/proc/sys/kernel/hostname",
    "/sys/fs/cgroup/pids/pids.max",
]

if __name__ == "__main__":
    for path in PATHS:
        try:
            with open(path, "a") as f:
                f.write("owned\n")
            print("WROTE %s" % path)
        except OSError as ex:
            print("refused %s: %s" % (path, ex.strerror or type(ex).__name__))
    for path in ("/work/inside", "/tmp/inside"):
        with open(path, "w") as f:
            f.write("fine\n")
        print("wrote %s" % path)
    raise SystemExit(1)
