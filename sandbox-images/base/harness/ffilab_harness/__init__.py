"""FFI Lab sandbox harness.

PID 1 of every run container. It reads the job (a tar archive) from stdin, lays out the work
directory, runs the task's trusted ``check.py`` in its own process, runs the student's programs
as children on a fresh pty for every step, and writes the protocol of docs/architecture.md to
stdout: one JSON frame per line, ending with exactly one ``result`` frame.

The API a ``check.py`` sees is :class:`ffilab_harness.api.Check` (docs/writing-a-check.md).
"""

from .api import Check, CheckError, StepResult, TestCase, TestFailed
from .describe import describe_exit, describe_signal, signal_name

__all__ = [
    "Check",
    "CheckError",
    "StepResult",
    "TestCase",
    "TestFailed",
    "describe_exit",
    "describe_signal",
    "signal_name",
]

PROTOCOL_VERSION = 3
