"""The API a task's check.py programs against: ``def run(c): ...`` gets a :class:`Check`.

See docs/writing-a-check.md for the guide. In short::

    def run(c):
        build = c.step("build", ["cc", "-shared", "-fPIC", "-o", "libx.so", "x.c"],
                       test="library builds", group="Build")
        if not build.ok:
            c.skip("x works", "the library did not build")
            return
        probe = c.step("probe", ["python3", "probe.py"], channel=True)
        with c.test("x works") as t:
            t.output = probe.output
            t.expect(probe.messages, "the probe reported nothing: " + probe.describe())
"""

import contextlib
import errno
import os
import shlex
import sys
import time
import traceback

from . import describe as _describe
from .process import StepResult

MAX_TESTS = 200
MAX_MESSAGE = 4 * 1024
MAX_TEST_OUTPUT = 32 * 1024
MAX_REPORT = 1024 * 1024
MAX_NOTE = 8 * 1024
DEFAULT_STEP_TIMEOUT = 30.0
GROUPS = ("Build", "Tests", "Memory", "Threads", "Performance")
LIMIT_TITLES = {"time": "Time limit", "memory": "Memory limit", "processes": "Process limit",
                "disk": "Disk limit", "output": "Output limit"}

__all__ = ["Check", "CheckError", "StepResult", "TestCase", "TestFailed"]


class TestFailed(Exception):
    """Raised by :meth:`TestCase.fail`; ends the ``with c.test(...)`` block as a failed test."""


class CheckError(Exception):
    """A fault in the check itself (not in the student's code)."""


class TestCase:
    """One named test being recorded inside ``with c.test(name) as t:``."""

    def __init__(self, name, group):
        self.name = name
        self.group = group
        self.message = None
        self.output = None

    def fail(self, message, output=None):
        """Ends the test as failed with a message for the student."""
        if output is not None:
            self.output = output
        raise TestFailed(message)

    def expect(self, condition, message, output=None):
        """Fails the test with ``message`` unless ``condition`` is true."""
        if not condition:
            self.fail(message, output)


class Check:
    """What a check.py's ``run(c)`` receives.

    Attributes: ``job`` (the job.json object), ``workdir`` (absolute path of the work
    directory), ``editable`` (the student's file names), ``support`` (support file names).
    """

    def __init__(self, job, workdir, runner, writer, support_writer, support_names, deadline):
        self.job = dict(job.spec)
        self.workdir = workdir.path
        self.editable = list(job.spec.get("editable") or sorted(job.student))
        self.support = sorted(support_names)
        self._files = workdir
        self._runner = runner
        self._writer = writer
        self._write_support = support_writer
        self._deadline = deadline
        self._tests = []
        self._names = set()
        self._metrics = []
        self._findings = []
        self._report_bytes = 0
        self._limit_step = None  # the first step that ran into one of the run's limits
        self.summary = None  # a check may set the headline message of a finished run

    # -- steps ------------------------------------------------------------------------------

    def step(self, name, argv, *, timeout=None, env=None, cwd=None, stdin=None, channel=False,
             show=True, echo=True, test=None, group="Build"):
        """Runs ``argv`` (a list, never a shell string) in the work directory; returns a StepResult.

        The command is echoed (``echo``: False to hide it, or a string to show instead), its
        output relayed live unless ``show`` is False, and captured in ``StepResult.output``.
        ``timeout`` (seconds, default 30) is clamped to what is left of the run's wall time.
        ``env`` adds variables (a value of None removes one). ``stdin`` (str or bytes) is fed to
        the program; otherwise its stdin is empty. ``channel=True`` gives the program a pipe,
        named by $FFILAB_CHANNEL_FD, whose JSON lines arrive in ``StepResult.messages``.
        ``test`` records a test in ``group`` that passes when the step exits 0.

        Before the step the support files are rewritten; after it every process it left is killed.
        """
        if isinstance(argv, str) or not argv:
            raise CheckError("step %r: argv must be a non-empty list of strings" % name)
        argv = [str(a) for a in argv]
        wanted = DEFAULT_STEP_TIMEOUT if timeout is None else float(timeout)
        self._writer.emit({"type": "step", "name": str(name), "phase": "start",
                           "command": shlex.join(argv)})
        left = self.remaining()
        if left <= 0.5:
            result = StepResult(name, shlex.join(argv), timeout=wanted,
                                not_run="no time was left in the run", out_of_time=True)
        else:
            result = self._restore_support(name, shlex.join(argv), wanted)
        if result is not None:
            self._writer.note("\u2717 %s: %s" % (name, result.describe()), style="\x1b[1;31m")
        else:
            budget = wanted > left
            result = self._runner.run(name, argv, min(wanted, left), env=env, cwd=cwd,
                                      stdin=stdin, channel=channel, show=show, echo=echo,
                                      run_budget=budget)
        if self._limit_step is None and result.limit is not None:
            self._limit_step = result
        self._end_frame(result)
        if test is not None:
            if result.ok:
                self.passed(test, group=group)
            else:
                self.failed(test, "`%s` %s." % (result.command, result.describe()),
                            output=result.output, group=group)
        return result

    def _restore_support(self, name, command, timeout):
        """Writes the support files again; a StepResult that did not run when that is impossible.

        Whatever a student program left in the work directory (links, locked folders) is
        replaced, but a work directory it filled up has no room for them: the step cannot run,
        and that is the student's doing, not a fault of the check.
        """
        try:
            self._write_support()
            return None
        except OSError as ex:
            traceback.print_exc(file=sys.stderr)
            if ex.errno in (errno.ENOSPC, errno.EDQUOT):
                result = StepResult(name, command, timeout=timeout, not_run=(
                    "the work directory is full, so the checker could not put its own files back"))
                result.disk_full = self.workdir
            else:
                result = StepResult(name, command, timeout=timeout, not_run=(
                    "the checker could not put its own files back in the work directory (%s)"
                    % (ex.strerror or ex)))
            return result

    def _end_frame(self, result):
        self._writer.emit(
            {
                "type": "step",
                "name": result.name,
                "phase": "end",
                "command": result.command,
                "exitCode": result.exit_code,
                "signal": result.signal_name,
                "seconds": result.seconds,
                "timedOut": result.timed_out,
                "oomKilled": result.oom_killed,
                "pidsExhausted": result.pids_exhausted,
                "limit": result.limit,
                "description": result.describe(),
            }
        )

    def remaining(self):
        """Seconds left before the harness's share of the run's wall time is used up."""
        return self._deadline - time.monotonic()

    # -- tests ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def test(self, name, group="Tests"):
        """Records one test: passes unless the block fails it.

        ``t.fail(msg)`` / ``t.expect(cond, msg)`` or an AssertionError fail it with that message;
        any other exception records it as an error of the check (traceback on stderr only).
        """
        case = TestCase(name, group)
        try:
            yield case
        except TestFailed as ex:
            self._record(name, "fail", str(ex), case.output, group)
        except AssertionError as ex:
            self._record(name, "fail", str(ex) or "assertion failed", case.output, group)
        except Exception as ex:  # a bug in the check, not in the student's code
            traceback.print_exc(file=sys.stderr)
            self._record(
                name,
                "error",
                "The check could not finish this test (%s). This is a fault in the task's check,"
                " not in your code." % type(ex).__name__,
                case.output,
                group,
            )
        else:
            self._record(name, "pass", case.message, case.output, group)

    def passed(self, name, message=None, output=None, group="Tests"):
        self._record(name, "pass", message, output, group)

    def failed(self, name, message, output=None, group="Tests"):
        self._record(name, "fail", message, output, group)

    def skip(self, name, reason, group="Tests"):
        """A test that could not run (say, because the build failed). It counts as failed."""
        self._record(name, "fail", "Not run: " + reason, None, group)

    def _record(self, name, status, message, output, group):
        if len(self._tests) >= MAX_TESTS:
            return
        name = str(name)
        unique, n = name, 2
        while unique in self._names:
            unique, n = "%s (%d)" % (name, n), n + 1
        self._names.add(unique)
        self._tests.append(
            {
                "name": unique,
                "status": status,
                "message": _clip(message, MAX_MESSAGE),
                "output": _clip_tail(output, MAX_TEST_OUTPUT),
                "group": str(group or "Tests"),
            }
        )

    @property
    def tests(self):
        """The tests recorded so far (copies of the result entries)."""
        return [dict(t) for t in self._tests]

    # -- metrics, findings, reports, notes --------------------------------------------------

    def metric(self, name, value, unit=None, lower_is_better=True):
        self._metrics.append(
            {"name": str(name), "value": float(value), "unit": unit,
             "lowerIsBetter": bool(lower_is_better)}
        )

    def finding(self, tool, kind, message, frames=()):
        """A memory or thread error found by a tool; frames are dicts of file, line, function."""
        clean = []
        for frame in list(frames)[:50]:
            clean.append(
                {
                    "file": frame.get("file"),
                    "line": frame.get("line"),
                    "function": frame.get("function"),
                }
            )
        self._findings.append(
            {"tool": str(tool), "kind": str(kind), "message": _clip(message, MAX_MESSAGE),
             "frames": clean}
        )

    def report(self, tool, text, test=None):
        """Sends a raw tool report (ASan log, Valgrind XML, ...) for the server's parsers."""
        room = MAX_REPORT - self._report_bytes
        if room <= 0:
            return
        text = str(text)[:room]
        self._report_bytes += len(text)
        self._writer.emit({"type": "report", "tool": str(tool), "test": test, "text": text})

    def note(self, text, style=None):
        """Shows a line in the student's live output (not counted against the output limit)."""
        self._writer.note(_clip(str(text), MAX_NOTE), style=style)

    # -- files ------------------------------------------------------------------------------

    def read_text(self, path, limit=1024 * 1024, default=None):
        """A file of the work directory as text (no symlinks, no FIFOs), or ``default``."""
        data = self._files.read(path, limit)
        return default if data is None else data.decode("utf-8", "replace")

    def read_bytes(self, path, limit=1024 * 1024, default=None):
        data = self._files.read(path, limit)
        return default if data is None else data

    def exists(self, path):
        """True when a regular file (not a symlink) is at ``path`` in the work directory."""
        return self._files.exists(path)

    def write_file(self, path, data, mode=0o644):
        """Writes a file in the work directory, replacing whatever stands there."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._files.write(path, data, mode)

    # -- helpers ----------------------------------------------------------------------------

    describe_exit = staticmethod(_describe.describe_exit)
    describe_signal = staticmethod(_describe.describe_signal)

    # -- the result -------------------------------------------------------------------------

    def result(self, error=None):
        """The ``result`` object: pass when every test passed, fail when any did not, error when
        none ran or the check itself failed (``error`` is then the message).

        ``limit`` names the run limit that decided a failed run (see :meth:`limit`); its
        message then leads the headline. ``outputTruncated``: the run printed past its output
        limit."""
        tests = self.tests
        if error is not None:
            status, message = "error", error
        elif not tests:
            status = "error"
            message = "The check recorded no tests. This is a fault in the task's check."
        else:
            bad = [t for t in tests if t["status"] != "pass"]
            if bad:
                status = "fail"
                names = ", ".join(t["name"] for t in bad[:5])
                more = " and %d more" % (len(bad) - 5) if len(bad) > 5 else ""
                message = "%d of %d tests failed: %s%s." % (len(bad), len(tests), names, more)
            else:
                status = "pass"
                message = "All %d tests passed." % len(tests)
            if self.summary:
                message = _clip(str(self.summary), MAX_MESSAGE)
        limit = self.limit(status)
        if limit is not None:
            # A limit the run hit decides the headline: it is what the student must fix first.
            message = _clip(limit["message"] + " " + message, MAX_MESSAGE)
        return {
            "version": 3,
            "status": status,
            "message": message,
            "limit": limit,
            # Also on the result frame itself (since version 3); here for readers of the result.
            "outputTruncated": self._writer.truncated,
            "tests": tests,
            "metrics": list(self._metrics),
            "findings": list(self._findings),
        }

    def limit(self, status):
        """The run limit that decided a failed run: ``{"kind", "step", "message"}``, or None.

        ``kind`` is the first limit a step ran into (see StepResult.limit), else "output" when
        the run printed past its output limit. Reported for failed runs only: a check may expect
        a step to fail, and a passing run needs no reason.
        """
        if status != "fail":
            return None
        step = self._limit_step
        if step is not None:
            kind = step.limit
            headline = "%s: `%s` %s. %s" % (LIMIT_TITLES[kind], step.command, step.describe(),
                                            self._limit_advice(kind, step))
            return {"kind": kind, "step": step.name, "message": headline}
        if self._writer.truncated:
            headline = "Output limit: the run printed more than %s; the rest was not shown." % (
                _describe.size(self._writer.output_limit))
            return {"kind": "output", "step": None, "message": headline}
        return None

    def _limit_advice(self, kind, step):
        limits = self._runner.limits()
        if kind == "time":
            return "Look for an endless loop, a deadlock or a wait that never ends."
        if kind == "memory":
            memory = limits.get("memory")
            allowed = _describe.size(memory) if memory and memory < 1 << 50 else "a limited amount"
            return ("A run may use %s of memory, files in /work and /tmp included: look for a huge "
                    "or endless allocation." % allowed)
        if kind == "processes":
            allowed = ("at most %d" % limits["pids"]) if "pids" in limits else "a limited number of"
            return ("A run may have %s processes and threads: look for a loop that starts "
                    "processes or threads." % allowed)
        if kind == "disk":
            try:
                st = os.statvfs(step.disk_full)
                room = "%s" % _describe.size(st.f_blocks * st.f_frsize)
            except OSError:
                room = "a limited amount"
            return ("%s holds %s: write less, or delete what you no longer need (files there "
                    "count against the memory limit too)." % (step.disk_full, room))
        return "A run shows at most %s of output: print less." % _describe.size(
            self._writer.output_limit)


def _clip(text, limit):
    if text is None:
        return None
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _clip_tail(text, limit):
    """Keeps the end of long output: that is where crashes and reports are."""
    if text is None:
        return None
    text = str(text)
    return text if len(text) <= limit else "\u2026" + text[-(limit - 1):]
