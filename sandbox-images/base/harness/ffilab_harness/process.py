"""Running one step: a child process on a fresh pty, its output relayed live, its end described.

Why a pty: C stdio is fully buffered on a pipe, so a crashing program loses everything it printed;
on a terminal it is line-buffered. The child's stdin is /dev/null (or the bytes a check supplies),
its stdout and stderr are the pty, and it leads its own session with the pty as controlling
terminal. After every step every other process is killed (``kill(-1, SIGKILL)`` when the harness
is PID 1 of the container, the step's process group otherwise) and reaped, so nothing a student
started can outlive its step and tamper with the next one.

A step that ran into one of the run's limits says which (``StepResult.limit``): the process limit
(a fork failed on the container's pids limit), memory (the cgroup's OOM killer), disk (``/work``
or ``/tmp`` is full), output (it printed FLOOD_FACTOR times the output limit and was stopped:
relaying a gigabyte would only burn the run's time) or time.
"""

import codecs
import collections
import ctypes
import errno
import fcntl
import os
import select
import shlex
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass, field

from . import describe
from .protocol import BOLD_RED, DIM

PTY_ROWS, PTY_COLS = 40, 120
CAPTURE_HEAD_BYTES = 1024 * 1024
CAPTURE_TAIL_BYTES = 256 * 1024
CHANNEL_LIMIT_BYTES = 1024 * 1024
DRAIN_SECONDS = 0.2
REAP_SECONDS = 2.0
# A step that prints this many times the run's output limit (at least FLOOD_MIN_BYTES) is stopped.
FLOOD_FACTOR = 16
FLOOD_MIN_BYTES = 16 * 1024 * 1024
# A tmpfs with less room than this after a failed step is reported as full.
DISK_FULL_BYTES = 64 * 1024

CGROUP = "/sys/fs/cgroup"
# Counters of limit hits, cgroup v2 first, then v1 (the container sees its own cgroup).
OOM_COUNTERS = (("memory.events", "oom_kill"), ("memory/memory.oom_control", "oom_kill"))
PIDS_COUNTERS = (("pids.events", "max"), ("pids/pids.events", "max"))
PIDS_MAX = ("pids.max", "pids/pids.max")
MEMORY_MAX = ("memory.max", "memory/memory.limit_in_bytes")


@dataclass
class StepResult:
    """How one step ended. ``exit_code`` is None when a signal ended the process."""

    name: str
    command: str
    exit_code: int = None
    signal: int = None
    output: str = ""
    timed_out: bool = False
    timeout: float = None
    seconds: float = 0.0
    oom_killed: bool = False
    pids_exhausted: bool = False
    messages: list = field(default_factory=list)
    not_run: str = None
    run_budget: bool = False  # the timeout was the rest of the run's wall time, not the step's own
    flooded: int = None  # stopped after printing more than this many bytes
    disk_full: str = None  # the full mount (/work or /tmp), when the step did not end well
    out_of_time: bool = False  # not run: no time was left in the run

    @property
    def limit(self):
        """The run limit this step ran into, if it did not end well: "processes", "memory",
        "disk", "output" or "time" (in that order: a fork bomb also runs out of memory and time,
        a full disk or a flood of output also runs out of time), else None."""
        if self.ok:
            return None
        if self.pids_exhausted:
            return "processes"
        if self.oom_killed:
            return "memory"
        if self.disk_full:
            return "disk"
        if self.flooded:
            return "output"
        if self.timed_out or self.out_of_time:
            return "time"
        return None

    @property
    def ok(self):
        """It ran, was not stopped, and exited with code 0."""
        return self.not_run is None and not self.timed_out and self.exit_code == 0

    @property
    def crashed(self):
        """A signal ended it (or a shell reported one as exit code 128+N), not the time limit."""
        if self.timed_out or self.not_run:
            return False
        return self.signal is not None or (self.exit_code is not None and 128 < self.exit_code <= 192)

    @property
    def signal_name(self):
        return describe.signal_name(self.signal) if self.signal is not None else None

    def describe(self):
        """How it ended, as a phrase: "crashed with SIGSEGV (segmentation fault: ...)"."""
        if self.not_run:
            return "could not run: " + self.not_run
        if self.flooded:
            text = "was stopped after printing more than %s" % describe.size(self.flooded)
        elif self.timed_out and self.run_budget:
            text = "was stopped after %s s, when the run's time limit ran out" % describe.seconds(
                self.timeout)
        else:
            text = describe.describe_exit(
                self.exit_code, self.signal, self.timed_out, self.timeout, self.oom_killed
            )
        if self.pids_exhausted and not self.ok:
            text = "hit the limit on the number of processes, then " + text
        if self.disk_full and not self.ok:
            text += "; %s is full" % self.disk_full
        return text


class _Capture:
    """The step's output for the check: the first megabyte and the last 256 KiB."""

    def __init__(self):
        self._head = []
        self._head_len = 0
        self._tail = collections.deque()
        self._tail_len = 0
        self._omitted = 0

    def add(self, text):
        if self._head_len < CAPTURE_HEAD_BYTES:
            room = CAPTURE_HEAD_BYTES - self._head_len
            self._head.append(text[:room])
            self._head_len += min(len(text), room)
            text = text[room:]
        if not text:
            return
        self._tail.append(text)
        self._tail_len += len(text)
        while self._tail_len - len(self._tail[0]) >= CAPTURE_TAIL_BYTES:
            dropped = self._tail.popleft()
            self._tail_len -= len(dropped)
            self._omitted += len(dropped)

    def text(self):
        head = "".join(self._head)
        if not self._omitted:
            return head + "".join(self._tail)
        return head + "\n[... %d characters omitted ...]\n" % self._omitted + "".join(self._tail)


def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_LIBC = _libc()
PR_SET_DUMPABLE = 4


def set_dumpable(value):
    """prctl(PR_SET_DUMPABLE, value); True on success."""
    if _LIBC is None:
        return False
    return _LIBC.prctl(PR_SET_DUMPABLE, ctypes.c_ulong(value), 0, 0, 0) == 0


def _child_setup():
    """Runs in the child between fork and exec."""
    # The harness is not dumpable; its forked child inherits that until exec, and /proc/self files
    # then belong to root. Dumpable again (exec would do it anyway) so oom_score_adj is writable.
    set_dumpable(1)
    try:
        fcntl.ioctl(1, termios.TIOCSCTTY, 0)
    except OSError:
        pass
    # When the run runs out of memory, the kernel should kill the student's program, not PID 1.
    try:
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass


def _read_counter(path, key):
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2 and parts[0] == key:
                    return int(parts[1])
    except (OSError, ValueError):
        pass
    return None


class StepRunner:
    def __init__(self, writer, workdir, kill_all, base_env, wake_fd=None):
        self.writer = writer
        self.workdir = workdir
        self.kill_all = kill_all
        self.base_env = base_env
        self.wake_fd = wake_fd
        self.read_cgroup = kill_all and os.path.isdir(CGROUP)

    # -- the public entry -------------------------------------------------------------------

    def run(self, name, argv, timeout, env=None, cwd=None, stdin=None, channel=False, show=True,
            echo=True, run_budget=False):
        command = shlex.join(argv)
        if echo:
            self.writer.note("$ " + (echo if isinstance(echo, str) else command), style=DIM)
        child_env = dict(self.base_env)
        for key, value in (env or {}).items():
            if value is None:
                child_env.pop(key, None)
            else:
                child_env[key] = str(value)
        cwd = os.path.join(self.workdir, cwd) if cwd else self.workdir
        counters = self._counters()
        result = self._spawn_and_follow(name, command, argv, timeout, child_env, cwd, stdin,
                                        channel, show)
        if run_budget:
            result.run_budget = True
            result.timeout = round(timeout, 1)
        after = self._counters()
        result.oom_killed = _increased(counters[0], after[0]) and not result.ok
        result.pids_exhausted = _increased(counters[1], after[1])
        if not result.ok and self.read_cgroup:
            result.disk_full = self.full_mount()
        if not result.ok and show:
            self.writer.note("\u2717 %s: %s" % (name, result.describe()), style=BOLD_RED)
        return result

    # -- the child --------------------------------------------------------------------------

    def _spawn_and_follow(self, name, command, argv, timeout, env, cwd, stdin, channel, show):
        master, slave = os.openpty()
        _configure_pty(slave)
        os.set_blocking(master, False)
        fds_to_close = [master]
        chan_r = chan_w = in_r = in_w = None
        pass_fds = ()
        if channel:
            chan_r, chan_w = os.pipe()
            os.set_blocking(chan_r, False)
            env["FFILAB_CHANNEL_FD"] = str(chan_w)
            pass_fds = (chan_w,)
            fds_to_close.append(chan_r)
        if stdin is not None:
            in_r, in_w = os.pipe()
            os.set_blocking(in_w, False)
            if isinstance(stdin, str):
                stdin = stdin.encode("utf-8")
        start = time.monotonic()
        try:
            proc = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdin=in_r if in_r is not None else subprocess.DEVNULL,
                stdout=slave,
                stderr=slave,
                pass_fds=pass_fds,
                close_fds=True,
                start_new_session=True,
                preexec_fn=_child_setup,
            )
        except OSError as ex:
            proc = None
            reason = "%s: %s" % (argv[0] if argv else "(empty command)", ex.strerror or ex)
        # The child has its copies; the harness keeps only its ends.
        for fd in (slave, chan_w, in_r):
            if fd is not None:
                os.close(fd)
        if in_w is not None:
            fds_to_close.append(in_w)
        if proc is None:
            for fd in fds_to_close:
                os.close(fd)
            return StepResult(name, command, exit_code=127, timeout=timeout, not_run=reason)
        try:
            return self._follow(name, command, proc, start, timeout, master, chan_r, in_w, stdin,
                                show, fds_to_close)
        finally:
            for fd in fds_to_close:
                os.close(fd)

    def _follow(self, name, command, proc, start, timeout, master, chan_r, in_w, stdin, show,
                open_fds):
        capture = _Capture()
        flooded = None
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        channel = _Channel() if chan_r is not None else None
        pending_in = memoryview(stdin) if in_w is not None else None
        deadline = start + timeout
        status = None
        timed_out = False
        flood_limit = self.flood_limit()
        printed = [0]
        open_readers = {master}
        if chan_r is not None:
            open_readers.add(chan_r)

        def relay(data, final=False):
            printed[0] += len(data)
            text = decoder.decode(data, final)
            if text:
                capture.add(text)
                if show:
                    self.writer.output(text)

        while True:
            status = self._reap(proc.pid, status)
            if status is not None:
                break
            now = time.monotonic()
            if now >= deadline:
                timed_out = True
                self._kill_leftovers(proc.pid)
                status = self._wait_for(proc.pid, status)
                break
            wait = deadline - now
            due = self.writer.flush_due_in()
            if due is not None:
                wait = min(wait, due)
            readers = list(open_readers)
            if self.wake_fd is not None:
                readers.append(self.wake_fd)
            writers = [in_w] if pending_in is not None else []
            try:
                ready_r, ready_w, _ = select.select(readers, writers, [], wait)
            except InterruptedError:
                ready_r, ready_w = [], []
            if self.wake_fd is not None and self.wake_fd in ready_r:
                _drain_quietly(self.wake_fd)
            if master in ready_r and not _read_into(master, relay):
                open_readers.discard(master)
            if printed[0] > flood_limit:
                flooded = flood_limit
                self._kill_leftovers(proc.pid)
                status = self._wait_for(proc.pid, status)
                break
            if chan_r is not None and chan_r in ready_r and not _read_into(chan_r, channel.feed):
                open_readers.discard(chan_r)
            if ready_w:
                pending_in = _write_some(in_w, pending_in)
                if pending_in is None:
                    os.close(in_w)  # end of input for the child
                    open_fds.remove(in_w)
            self.writer.tick()
        seconds = time.monotonic() - start
        proc.returncode = _returncode(status)  # reaped here; keep Popen from waiting again

        # What the program printed just before it ended, then everything else dies.
        _drain(master, relay, 0.1, until_eof=False)
        self._kill_leftovers(proc.pid)
        self._reap_all()
        _drain(master, relay, DRAIN_SECONDS, until_eof=True)
        relay(b"", final=True)
        if chan_r is not None:
            _drain(chan_r, channel.feed, DRAIN_SECONDS, until_eof=True)
        self.writer.tick()

        exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        return StepResult(
            name,
            command,
            exit_code=exit_code,
            signal=sig,
            output=capture.text(),
            timed_out=timed_out,
            timeout=timeout,
            seconds=round(seconds, 3),
            messages=channel.messages() if channel else [],
            flooded=flooded,
        )

    # -- processes --------------------------------------------------------------------------

    def _reap(self, pid, status):
        """Reaps every exited child (PID 1 inherits all orphans); returns pid's status if seen."""
        while True:
            try:
                rpid, rstatus = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return status
            if rpid == 0:
                return status
            if rpid == pid:
                status = rstatus

    def _wait_for(self, pid, status):
        end = time.monotonic() + REAP_SECONDS
        while status is None and time.monotonic() < end:
            status = self._reap(pid, status)
            if status is None:
                time.sleep(0.002)
        if status is None:
            try:
                _, status = os.waitpid(pid, 0)
            except ChildProcessError:
                status = 9  # killed, already reaped elsewhere
        return status

    def _kill_leftovers(self, pid):
        if self.kill_all and os.getpid() == 1:
            # From PID 1 this signals every process in the container's pid namespace but itself.
            try:
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                pass
        else:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def _reap_all(self):
        if not (self.kill_all and os.getpid() == 1):
            return
        end = time.monotonic() + REAP_SECONDS
        while time.monotonic() < end:
            try:
                rpid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if rpid == 0:
                time.sleep(0.001)

    def _counters(self):
        if not self.read_cgroup:
            return (None, None)
        return (_first_counter(OOM_COUNTERS), _first_counter(PIDS_COUNTERS))

    def flood_limit(self):
        """Bytes a step may print before it is stopped (its output is long cut off by then)."""
        return max(FLOOD_MIN_BYTES, FLOOD_FACTOR * self.writer.output_limit)

    def full_mount(self):
        """The writable mount (work directory or /tmp) that has (almost) no room left, or None."""
        for path in (self.workdir, "/tmp"):
            try:
                st = os.statvfs(path)
            except OSError:
                continue
            if st.f_bavail * st.f_frsize < DISK_FULL_BYTES or (st.f_files and st.f_favail == 0):
                return path
        return None

    def limits(self):
        """The container's process and memory limits, as far as its cgroup shows them."""
        if not self.read_cgroup:
            return {}
        found = {}
        for key, candidates in (("pids", PIDS_MAX), ("memory", MEMORY_MAX)):
            for path in candidates:
                try:
                    with open(os.path.join(CGROUP, path)) as f:
                        found[key] = int(f.read().strip())
                    break
                except (OSError, ValueError):
                    continue
        return found


def _first_counter(candidates):
    for path, key in candidates:
        value = _read_counter(os.path.join(CGROUP, path), key)
        if value is not None:
            return value
    return None


class _Channel:
    """JSON lines a step's program writes to the descriptor named by $FFILAB_CHANNEL_FD."""

    def __init__(self):
        self._buffer = bytearray()
        self._size = 0

    def feed(self, data):
        if self._size >= CHANNEL_LIMIT_BYTES:
            return
        data = data[: CHANNEL_LIMIT_BYTES - self._size]
        self._size += len(data)
        self._buffer += data

    def messages(self):
        import json

        out = []
        for line in bytes(self._buffer).split(b"\n"):
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line.decode("utf-8", "replace")))
            except ValueError:
                continue
        return out


def _configure_pty(slave):
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.ONLCR  # output keeps "\n" as written, not "\r\n"
    attrs[3] &= ~(termios.ECHO | termios.ECHONL)
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", PTY_ROWS, PTY_COLS, 0, 0))


def _read_into(fd, sink):
    """Reads what is available; False once the other side is gone (EOF, or EIO on a pty)."""
    for _ in range(16):
        try:
            data = os.read(fd, 1 << 16)
        except BlockingIOError:
            return True
        except OSError as ex:
            if ex.errno == errno.EIO:
                return False
            raise
        if not data:
            return False
        sink(data)
    return True


def _drain(fd, sink, seconds, until_eof):
    end = time.monotonic() + seconds
    while True:
        try:
            data = os.read(fd, 1 << 16)
        except BlockingIOError:
            if not until_eof:
                return
            left = end - time.monotonic()
            if left <= 0:
                return
            select.select([fd], [], [], left)
            continue
        except OSError as ex:
            if ex.errno == errno.EIO:
                return
            raise
        if not data:
            return
        sink(data)
        if time.monotonic() >= end:
            return


def _drain_quietly(fd):
    try:
        while os.read(fd, 4096):
            pass
    except OSError:
        pass


def _write_some(fd, view):
    try:
        written = os.write(fd, view[: 1 << 16])
    except BlockingIOError:
        return view
    except (BrokenPipeError, OSError):
        return None
    view = view[written:]
    return view if len(view) else None


def _returncode(status):
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    return -1


def _increased(before, after):
    return before is not None and after is not None and after > before
