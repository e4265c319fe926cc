"""Handing files on to the next stage of a run: ``artifact`` frames (docs/architecture.md).

The work directory is a tmpfs that disappears with the container, so what a track's second stage
needs from the first (the wheel a clean machine installs) leaves on the protocol stream: each
regular file under the paths job.json names in ``collect``, base64 in chunks small enough for any
frame reader, then one ``artifacts`` frame that says the hand-over is complete, or why not.

Only regular files are read, and nothing is followed: a symbolic link (to /etc/passwd, to
/proc/1/fd/1) or a FIFO a student planted there is listed as passed over, never read. The total
is capped (``collectLimitBytes``, at most 16 MiB): over it, nothing is sent and the summary says so.
"""

import base64

from .describe import size as _size

CHUNK_BYTES = 192 * 1024  # 256 KiB of base64 per frame
MAX_FILES = 1000
MAX_LISTED = 20  # passed-over and missing paths named in the summary


def hand_over(writer, workdir, paths, limit):
    """Sends the files under ``paths`` (relative to the work directory) and the summary frame."""
    files, passed_over, missing, error = {}, [], [], None
    try:
        for path in paths:
            try:
                found, skipped = workdir.list_files(path, MAX_FILES)
            except FileNotFoundError:
                missing.append(path)
                continue
            except ValueError:  # not a path inside the work directory
                passed_over.append(path)
                continue
            except OSError:  # a link or a file where a folder of the path should be
                passed_over.append(path)
                continue
            passed_over += skipped
            for name, size, executable in found:
                files[name] = (size, executable)
            if len(files) > MAX_FILES:
                raise OverflowError()
    except OverflowError:
        error = "there are more than %d files to hand over in %s" % (MAX_FILES, ", ".join(paths))
    total = sum(size for size, _ in files.values())
    if error is None and total > limit:
        error = ("the files to hand over (%s) add up to %s, more than the %s a run may hand over"
                 % (", ".join(paths), _size(total), _size(limit)))
    sent, count = 0, 0
    if error is None:
        for name in sorted(files):
            size, executable = files[name]
            data = workdir.read(name, size + 1)
            if data is None or sent + len(data) > limit:
                passed_over.append(name)  # gone or grown since it was listed
                continue
            _send(writer, name, data, 0o755 if executable else 0o644)
            sent += len(data)
            count += 1
    writer.emit({
        "type": "artifacts",
        "files": count,
        "bytes": sent,
        "missing": missing[:MAX_LISTED],
        "passedOver": sorted(passed_over)[:MAX_LISTED],
        "error": error,
    })


def _send(writer, name, data, mode):
    offset = 0
    while True:
        chunk = data[offset : offset + CHUNK_BYTES]
        writer.emit({"type": "artifact", "path": name, "mode": mode, "size": len(data),
                     "offset": offset, "data": base64.b64encode(chunk).decode("ascii")})
        offset += len(chunk)
        if offset >= len(data):
            return
