"""The harness's main line: harden, read the job, lay out the work directory, run the check,
always end with one ``result`` frame."""

import argparse
import linecache
import os
import resource
import signal
import sys
import tempfile
import time
import traceback
import types

from .api import Check
from .files import WorkDir
from .handover import hand_over
from .job import DEFAULT_OUTPUT_LIMIT, JobError, read_job
from .process import StepRunner, set_dumpable
from .protocol import FrameWriter, StreamClosed

CONTAINER_WORKDIR = "/work"

# Variables of the harness's own start-up that must not leak into student programs.
_PRIVATE_ENV = ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONSAFEPATH", "PYTHONHOME")


def _log(message):
    sys.stderr.write("ffilab-harness: %s\n" % message)
    sys.stderr.flush()


def _harden():
    """Before anything else: no other process of this uid may ptrace PID 1 or open /proc/1/fd/*."""
    if not set_dumpable(0):
        _log("warning: prctl(PR_SET_DUMPABLE, 0) failed")
    try:
        # No core files in the work dir, and none handed to the host's core_pattern handler.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass
    # As PID 1 of a pid namespace, a signal with the default action cannot be sent by the
    # namespace's other processes: keep it that way for SIGINT (Python installs a handler).
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _protocol_fd():
    """A private copy of stdout for the frames; fd 1 then points at stderr."""
    fd = os.dup(1)
    os.set_inheritable(fd, False)
    os.dup2(2, 1)
    return fd


def _wake_pipe():
    """SIGCHLD wakes the step loop's select() through this pipe."""
    r, w = os.pipe()
    for fd in (r, w):
        os.set_blocking(fd, False)
        os.set_inheritable(fd, False)
    signal.set_wakeup_fd(w, warn_on_full_buffer=False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    return r


def _child_env(workdir):
    env = {k: v for k, v in os.environ.items()
           if k not in _PRIVATE_ENV and not k.startswith("FFILAB_")}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.setdefault("LANG", "C.UTF-8")
    env["HOME"] = workdir
    env["TERM"] = "xterm-256color"
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONFAULTHANDLER"] = "1"
    return env


def load_check(source):
    """check.py as a module of this (trusted) process. Its tracebacks name check.py lines."""
    text = source.decode("utf-8", "replace")
    linecache.cache["check.py"] = (len(text), None, text.splitlines(True), "check.py")
    module = types.ModuleType("ffilab_check")
    module.__file__ = "check.py"
    sys.modules["ffilab_check"] = module
    exec(compile(source, "check.py", "exec"), module.__dict__)
    return module


def _error_result(message):
    return {"version": 3, "status": "error", "message": message, "tests": [], "metrics": [],
            "findings": []}


def _budget_margin(wall_seconds):
    """Time kept back from the run's wall time, so the harness ends before the outer deadline."""
    return min(3.0, max(1.0, wall_seconds * 0.1))


def run(args, writer, started):
    try:
        job = read_job(0)
    except JobError as ex:
        _log(str(ex))
        writer.emit({"type": "result",
                     "result": _error_result("The lab could not start this run: %s." % ex)})
        return 2
    finally:
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
    writer.output_limit = job.output_limit

    in_container = os.getpid() == 1
    path = args.workdir or (CONTAINER_WORKDIR if in_container else tempfile.mkdtemp(prefix="ffilab-"))
    os.umask(0o022)
    workdir = WorkDir(path)
    for name, (data, mode) in sorted(job.student.items()):
        workdir.write(name, data, mode)
    for name, (data, mode) in sorted(job.artifacts.items()):
        workdir.write(name, data, mode)

    def write_support():
        for name, (data, mode) in sorted(job.support.items()):
            workdir.write(name, data, mode)

    write_support()
    os.chdir(workdir.path)
    runner = StepRunner(writer, workdir.path, in_container, _child_env(workdir.path), _wake_pipe())
    deadline = started + job.wall_seconds - _budget_margin(job.wall_seconds)
    check = Check(job, workdir, runner, writer, write_support, job.support.keys(), deadline)

    error = None
    try:
        module = load_check(job.check_source)
        entry = getattr(module, "run", None)
        if not callable(entry):
            error = "The task's check.py defines no run(check) function. This is a fault in the task."
        else:
            entry(check)
    except StreamClosed:
        raise
    except BaseException as ex:  # noqa: B036 - whatever the check did, a result frame follows
        traceback.print_exc(file=sys.stderr)
        detail = str(ex)
        if len(detail) > 300:
            detail = detail[:300] + "\u2026"
        error = "The check itself failed (%s%s). This is a fault in the task's check, not in your code." % (
            type(ex).__name__, ": " + detail if detail else "")
    if job.collect:
        # After every step (nothing of the student's runs any more), before the result frame.
        hand_over(writer, workdir, job.collect, job.collect_limit)
    # outputTruncated: the run printed past its output limit (the verdict's OUTPUT_LIMIT reason).
    writer.emit({"type": "result", "result": check.result(error),
                 "outputTruncated": writer.truncated})
    return 0


def main(argv=None):
    started = time.monotonic()
    _harden()
    parser = argparse.ArgumentParser(prog="ffilab-harness", description=__doc__)
    parser.add_argument("--workdir", help="work directory (default: /work as PID 1, else a new"
                        " temporary directory)")
    args = parser.parse_args(argv)
    writer = FrameWriter(_protocol_fd(), DEFAULT_OUTPUT_LIMIT)
    try:
        return run(args, writer, started)
    except StreamClosed:
        _log("the protocol stream was closed")
        return 1
    except BaseException:
        # A fault of the harness itself: still try to end the protocol properly.
        traceback.print_exc(file=sys.stderr)
        try:
            writer.emit({"type": "result", "result": _error_result(
                "The lab's sandbox harness failed while running this submission.")})
        except BaseException:
            pass
        return 3
