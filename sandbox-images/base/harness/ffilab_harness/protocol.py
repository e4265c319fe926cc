"""The harness's stdout: JSON frames, one per line (docs/architecture.md).

Only this module writes the protocol stream. It owns a private duplicate of the original stdout;
file descriptor 1 itself is pointed at stderr at start-up, so a stray ``print`` in a check (or in
the harness) can never corrupt the stream, and no child ever inherits the protocol descriptor.
"""

import json
import os
import time

FLUSH_BYTES = 4096
FLUSH_SECONDS = 0.05

# JSON escaping can make text up to six times longer (control characters become \\u00XX). The
# server allows several times the output limit before it cuts the stream, so the harness also
# stops relaying when the escaped size passes this multiple of the limit.
ESCAPED_FACTOR = 3

DIM = "\x1b[2m"
RED = "\x1b[31m"
BOLD_RED = "\x1b[1;31m"
YELLOW = "\x1b[33m"
RESET = "\x1b[0m"


class StreamClosed(Exception):
    """The reader of the protocol stream went away."""


class FrameWriter:
    def __init__(self, fd, output_limit):
        self._fd = fd
        self.output_limit = output_limit
        self.relayed_bytes = 0
        self._escaped_bytes = 0
        self.truncated = False
        self._pending = []
        self._pending_len = 0
        self._pending_since = None
        self.at_line_start = True

    # -- frames ---------------------------------------------------------------------------

    def emit(self, frame):
        """Writes one frame (after any pending output, so the order is kept)."""
        self.flush_output()
        self._write_line(frame)

    def _write_line(self, frame):
        data = (json.dumps(frame, ensure_ascii=False, separators=(",", ":")) + "\n").encode(
            "utf-8", "replace"
        )
        view = memoryview(data)
        while view:
            try:
                written = os.write(self._fd, view)
            except BrokenPipeError as ex:
                raise StreamClosed() from ex
            view = view[written:]

    # -- output ---------------------------------------------------------------------------

    def output(self, text, counted=True):
        """Queues text for an ``output`` frame.

        Counted text (what programs print) stops at the output limit with one notice; the
        harness's own short notes are not counted, so a step's end is always shown.
        """
        if not text:
            return
        if counted:
            if self.truncated:
                return
            text = self._cap(text)
            if not text:
                return
        self._pending.append(text)
        self._pending_len += len(text)
        self.at_line_start = text.endswith("\n")
        if self._pending_since is None:
            self._pending_since = time.monotonic()
        if self._pending_len >= FLUSH_BYTES:
            self.flush_output()

    def note(self, text, style=None):
        """A line from the harness or the check, on a line of its own, optionally coloured."""
        prefix = "" if self.at_line_start else "\n"
        if style:
            text = style + text + RESET
        self.output(prefix + text + "\n", counted=False)

    def _cap(self, text):
        raw = len(text.encode("utf-8", "replace"))
        escaped = len(json.dumps(text, ensure_ascii=False)) - 2
        room = self.output_limit - self.relayed_bytes
        escaped_room = self.output_limit * ESCAPED_FACTOR - self._escaped_bytes
        if raw <= room and escaped <= escaped_room:
            self.relayed_bytes += raw
            self._escaped_bytes += escaped
            return text
        # Keep what fits (approximately, by the stricter of the two measures), then the notice.
        fraction = min(room / raw if raw else 0, escaped_room / escaped if escaped else 0)
        keep = text[: max(0, int(len(text) * fraction))]
        while keep and len(keep.encode("utf-8", "replace")) > room:
            keep = keep[: len(keep) * 9 // 10]
        self.relayed_bytes += len(keep.encode("utf-8", "replace"))
        self.truncated = True
        sep = "" if keep.endswith("\n") or not keep else "\n"
        return (
            keep
            + sep
            + YELLOW
            + "[output truncated: the run printed more than %s; the rest is not shown]"
            % _size(self.output_limit)
            + RESET
            + "\n"
        )

    def flush_due_in(self):
        """Seconds until pending output should be flushed, or None when nothing is pending."""
        if self._pending_since is None:
            return None
        return max(0.0, self._pending_since + FLUSH_SECONDS - time.monotonic())

    def tick(self):
        due = self.flush_due_in()
        if due is not None and due <= 0:
            self.flush_output()

    def flush_output(self):
        if not self._pending:
            return
        text = "".join(self._pending)
        self._pending = []
        self._pending_len = 0
        self._pending_since = None
        self._write_line({"type": "output", "text": text})


def _size(n):
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return "%d MiB" % (n // (1024 * 1024))
    if n >= 1024 and n % 1024 == 0:
        return "%d KiB" % (n // 1024)
    return "%d bytes" % n
