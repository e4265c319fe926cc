"""Plain-language descriptions of how a process ended."""

import signal as _signal

# What each fatal signal usually means for someone writing FFI code.
_MEANINGS = {
    "SIGSEGV": "segmentation fault: a read or write through an invalid pointer",
    "SIGBUS": "bus error: a misaligned or unmapped memory access",
    "SIGABRT": "abort: a failed assertion, or the C library found corrupted memory",
    "SIGFPE": "arithmetic error, such as an integer division by zero",
    "SIGILL": "illegal instruction: often a Rust panic that could not unwind, or a bad jump",
    "SIGTRAP": "trap: a breakpoint or a runtime's deliberate crash",
    "SIGKILL": "killed: the time or memory limit, or another process",
    "SIGTERM": "terminated",
    "SIGPIPE": "broken pipe: it wrote to a pipe nobody reads",
    "SIGXCPU": "CPU time limit exceeded",
    "SIGXFSZ": "file size limit exceeded",
    "SIGSYS": "bad system call: the sandbox does not allow that system call",
    "SIGHUP": "hang-up",
    "SIGINT": "interrupted",
    "SIGQUIT": "quit",
    "SIGUSR1": "user signal 1",
    "SIGUSR2": "user signal 2",
    "SIGALRM": "alarm clock",
}


def signal_name(number):
    """``11`` -> ``"SIGSEGV"``; an unknown number -> ``"signal N"``."""
    try:
        return _signal.Signals(number).name
    except ValueError:
        return "signal %d" % number


def describe_signal(number):
    """``11`` -> ``"SIGSEGV (segmentation fault: ...)"``."""
    name = signal_name(number)
    meaning = _MEANINGS.get(name)
    return "%s (%s)" % (name, meaning) if meaning else name


def describe_exit(exit_code=None, signal=None, timed_out=False, timeout=None, oom_killed=False):
    """One phrase for how a process ended, to follow a subject: "the program <phrase>".

    A shell reports a child killed by signal N as exit code 128+N, so exit 139 is described as the
    SIGSEGV crash it almost always is.
    """
    if timed_out:
        if timeout is not None:
            return "was stopped after %s s (its time limit)" % seconds(timeout)
        return "was stopped: it ran out of time"
    if oom_killed:
        return "was killed because the run used all of its memory (the memory limit)"
    if signal is not None:
        return "crashed with " + describe_signal(signal)
    if exit_code is None:
        return "did not run"
    if exit_code == 0:
        return "exited normally (code 0)"
    if 128 < exit_code <= 128 + 64 and exit_code - 128 in _crash_signals():
        return "crashed with %s (exit code %d)" % (describe_signal(exit_code - 128), exit_code)
    if exit_code == 127:
        return "exited with code 127 (usually: command not found)"
    return "exited with code %d" % exit_code


def _crash_signals():
    return {int(getattr(_signal, n)) for n in _MEANINGS if hasattr(_signal, n)}


def seconds(value):
    """10.0 -> "10", 0.5 -> "0.5"."""
    return ("%.1f" % value).rstrip("0").rstrip(".")


def size(n):
    """1048576 -> "1 MiB", 65536 -> "64 KiB", 1000 -> "1000 bytes"."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= factor:
            value = n / factor
            return ("%d %s" % (value, unit)) if value == int(value) else ("%.1f %s" % (value, unit))
    return "%d bytes" % n
