"""Hostile submission: prints 1 GiB."""

import os

if __name__ == "__main__":
    line = b"y" * 1023 + b"\n"
    block = line * 1024
    for _ in range(1024):
        os.write(1, block)
