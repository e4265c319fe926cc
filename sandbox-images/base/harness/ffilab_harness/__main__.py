"""``python3 -m ffilab_harness [--workdir DIR] < job.tar`` (see ffilab_harness/__init__.py)."""

import sys

from .harness import main

if __name__ == "__main__":
    sys.exit(main())
