"""Hostile submission: tries to read the host's and the lab's secrets."""

import os

PATHS = {{PATHS}}

if __name__ == "__main__":
    for path in PATHS:
        try:
            with open(path, "rb") as f:
                data = f.read(4096)
            print("READ %s: %r" % (path, data[:200]))
        except OSError as ex:
            print("refused %s: %s" % (path, type(ex).__name__))
    print("environment:", " ".join("%s=%s" % item for item in sorted(os.environ.items())))
    raise SystemExit(1)
