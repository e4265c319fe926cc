"""Hostile submission: deletes the checker's probe, then fills the work directory."""

import os

if __name__ == "__main__":
    os.unlink("/work/probe_cosine.py")
    with open("/work/filler", "wb") as f:
        while True:
            f.write(b"\0" * (1 << 20))
