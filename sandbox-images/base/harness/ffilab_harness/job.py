"""The job archive on stdin: job.json, check.py, support/..., student/..., artifacts/...
(docs/architecture.md).

The archive is read up to its end-of-archive block, not to end-of-file, so it does not matter
whether the engine closes stdin afterwards. Names are treated as hostile: only regular files and
directories, relative paths without ``..``, under the five expected top-level names.

``artifacts/`` holds the files an earlier stage of the run handed over (a track's clean-machine
stage gets the first stage's wheel there); like the student's files they are written once.
"""

import io
import json
import os
import tarfile

MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
BLOCK = 512
DEFAULT_OUTPUT_LIMIT = 1024 * 1024
DEFAULT_WALL_SECONDS = 60
# What a stage may hand over to the next one at most (job.json "collectLimitBytes" may lower it).
MAX_COLLECT_BYTES = 16 * 1024 * 1024


class JobError(Exception):
    """The job archive is unusable (a fault of the server or of the task content)."""


class Job:
    def __init__(self, spec, check_source, support, student, artifacts=None):
        self.spec = spec
        self.check_source = check_source
        self.support = support  # relative path -> (bytes, mode)
        self.student = student  # relative path -> (bytes, mode)
        self.artifacts = artifacts or {}  # relative path -> (bytes, mode)

    @property
    def output_limit(self):
        return _positive_int(self.spec.get("outputLimitBytes"), DEFAULT_OUTPUT_LIMIT)

    @property
    def wall_seconds(self):
        return _positive_int(self.spec.get("wallSeconds"), DEFAULT_WALL_SECONDS)

    @property
    def collect(self):
        """The work-directory paths (files or folders) to hand over when the check is done."""
        paths = self.spec.get("collect")
        if not isinstance(paths, list):
            return []
        return [p for p in paths if isinstance(p, str) and p.strip()]

    @property
    def collect_limit(self):
        return min(_positive_int(self.spec.get("collectLimitBytes"), MAX_COLLECT_BYTES),
                   MAX_COLLECT_BYTES)


def _positive_int(value, default):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return default
    return int(value)


def read_archive(fd):
    """Reads from ``fd`` until the tar's end-of-archive block and returns the archive's bytes."""
    data = bytearray()
    pos = 0
    while True:
        while len(data) >= pos + BLOCK:
            header = bytes(data[pos : pos + BLOCK])
            if header == bytes(BLOCK):
                return bytes(data[: pos + BLOCK]) + bytes(BLOCK)
            try:
                info = tarfile.TarInfo.frombuf(header, "utf-8", "surrogateescape")
            except tarfile.TarError as ex:
                raise JobError("the job archive has a damaged header: %s" % ex) from ex
            pos += BLOCK + (info.size + BLOCK - 1) // BLOCK * BLOCK
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError as ex:
            raise JobError("could not read the job archive: %s" % ex) from ex
        if not chunk:
            if not data:
                raise JobError("no job archive arrived on stdin")
            raise JobError("the job archive ended early (%d bytes read)" % len(data))
        data += chunk
        if len(data) > MAX_ARCHIVE_BYTES:
            raise JobError("the job archive is larger than %d bytes" % MAX_ARCHIVE_BYTES)


def clean_name(name):
    """Normalises an archive member name; raises JobError for anything that could escape."""
    if "\x00" in name or "\\" in name:
        raise JobError("unsafe name in the job archive: %r" % name)
    while name.startswith("./"):
        name = name[2:]
    name = name.rstrip("/")
    if not name or name.startswith("/"):
        raise JobError("unsafe name in the job archive: %r" % name)
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise JobError("unsafe name in the job archive: %r" % name)
    return name


def parse_archive(data):
    support, student, artifacts = {}, {}, {}
    spec = None
    check_source = None
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:")
        members = archive.getmembers()
    except tarfile.TarError as ex:
        raise JobError("the job archive cannot be read: %s" % ex) from ex
    for member in members:
        name = clean_name(member.name)
        if member.isdir():
            continue
        if not member.isreg():
            raise JobError("the job archive may hold only files and folders, not %r" % name)
        data_filter = getattr(tarfile, "data_filter", None)
        if data_filter is not None:
            try:
                member = data_filter(member, "/nonexistent-ffilab-dest")
            except tarfile.FilterError as ex:
                raise JobError("unsafe entry in the job archive: %s" % ex) from ex
        content = archive.extractfile(member).read()
        mode = 0o755 if member.mode & 0o100 else 0o644
        if name == "job.json":
            try:
                spec = json.loads(content.decode("utf-8"))
            except ValueError as ex:
                raise JobError("job.json is not valid JSON: %s" % ex) from ex
            if not isinstance(spec, dict):
                raise JobError("job.json must hold a JSON object")
        elif name == "check.py":
            check_source = content
        elif name.startswith("support/"):
            support[name[len("support/") :]] = (content, mode)
        elif name.startswith("student/"):
            student[name[len("student/") :]] = (content, 0o644)
        elif name.startswith("artifacts/"):
            artifacts[name[len("artifacts/") :]] = (content, mode)
        else:
            raise JobError("unexpected entry in the job archive: %r" % name)
    if spec is None:
        raise JobError("the job archive has no job.json")
    if check_source is None:
        raise JobError("the job archive has no check.py")
    for name in support:
        if name in student or name in artifacts:
            raise JobError("a support file and a student file or artifact are both named %r"
                           % name)
    return Job(spec, check_source, support, student, artifacts)


def read_job(fd):
    return parse_archive(read_archive(fd))
