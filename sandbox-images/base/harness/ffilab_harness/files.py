"""Reading and writing inside the work directory without following anything a student planted.

Student programs run with the harness's uid and can replace any file or folder in the work
directory with a symlink (to /proc/1/fd/1, to a FIFO, ...). Every path is therefore walked one
component at a time from a descriptor of the work directory, with O_NOFOLLOW, and whatever stands
where a file is to be written is removed first.

They can also take the permissions away (``chmod 000 /work``, a locked folder where a support file
goes). The harness has the same uid, so it owns all of it and gives itself the permissions back:
nothing a student program leaves behind can make the harness fail.
"""

import errno
import itertools
import os
import shutil
import stat

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_OWNER_RWX = 0o700
# A locked tree is unlocked folder by folder; past this many folders it is moved aside instead.
_MAX_UNLOCK_DIRS = 10000
_junk_names = itertools.count(1)


class WorkDir:
    def __init__(self, path):
        self.path = os.path.abspath(path)
        os.makedirs(self.path, mode=0o700, exist_ok=True)
        self._fd = os.open(self.path, _DIR_FLAGS)

    def close(self):
        os.close(self._fd)

    @staticmethod
    def _parts(relpath):
        parts = [p for p in relpath.split("/") if p not in ("", ".")]
        if not parts or ".." in parts:
            raise ValueError("not a path inside the work directory: %r" % relpath)
        return parts

    def _open_dir(self, parts, create):
        fd = os.dup(self._fd)
        try:
            _unlock_fd(fd)
            for part in parts:
                try:
                    next_fd = _open_subdir(fd, part)
                except OSError as ex:
                    if not create or ex.errno not in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
                        raise
                    _remove(fd, part)
                    os.mkdir(part, 0o755, dir_fd=fd)
                    next_fd = os.open(part, _DIR_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = next_fd
                _unlock_fd(fd)
            return fd
        except BaseException:
            os.close(fd)
            raise

    def write(self, relpath, data, mode=0o644):
        """(Re)writes a file, replacing whatever is there (file, symlink, folder, FIFO)."""
        parts = self._parts(relpath)
        dir_fd = self._open_dir(parts[:-1], create=True)
        try:
            _remove(dir_fd, parts[-1])
            fd = os.open(
                parts[-1],
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                mode,
                dir_fd=dir_fd,
            )
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fchmod(fd, mode)
            finally:
                os.close(fd)
        finally:
            os.close(dir_fd)

    def read(self, relpath, limit):
        """Bytes of a regular file (at most ``limit``), or None when it is missing or not a file."""
        parts = self._parts(relpath)
        try:
            dir_fd = self._open_dir(parts[:-1], create=False)
        except OSError:
            return None
        try:
            fd = os.open(
                parts[-1],
                os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                dir_fd=dir_fd,
            )
        except OSError:
            return None
        finally:
            os.close(dir_fd)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            chunks, size = [], 0
            while size < limit:
                chunk = os.read(fd, min(1 << 16, limit - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)

    def exists(self, relpath):
        """True when a regular file (not a symlink) is at ``relpath``."""
        parts = self._parts(relpath)
        try:
            dir_fd = self._open_dir(parts[:-1], create=False)
        except OSError:
            return False
        try:
            st = os.stat(parts[-1], dir_fd=dir_fd, follow_symlinks=False)
        except OSError:
            return False
        finally:
            os.close(dir_fd)
        return stat.S_ISREG(st.st_mode)

    def list_files(self, relpath, max_files):
        """The regular files at or below ``relpath``: ``(files, passed_over)``.

        ``files`` are ``(path, size, executable)`` in name order; ``passed_over`` are the paths of
        anything else found there (symbolic links, FIFOs, sockets, names that are not clean
        UTF-8), none of them followed or read: a link to a file outside the work directory stays
        outside it. Raises FileNotFoundError when nothing is at ``relpath`` and OverflowError
        past ``max_files`` files.
        """
        parts = self._parts(relpath)
        dir_fd = self._open_dir(parts[:-1], create=False)
        try:
            st = os.stat(parts[-1], dir_fd=dir_fd, follow_symlinks=False)
        finally:
            os.close(dir_fd)
        top = "/".join(parts)
        if not stat.S_ISDIR(st.st_mode):
            if stat.S_ISREG(st.st_mode) and _clean_name(parts[-1]):
                return [(top, st.st_size, bool(st.st_mode & 0o100))], []
            return [], [top]
        # Folders are kept as paths and opened one at a time (from the work directory, never
        # through a link), so a wide tree cannot use up the descriptors.
        files, passed_over, pending, seen = [], [], [parts], 0
        while pending:
            folder = pending.pop()
            fd = self._open_dir(folder, create=False)
            try:
                with os.scandir(fd) as entries:
                    found = sorted(entries, key=lambda e: e.name)
                for entry in found:
                    path = "/".join(folder + [entry.name])
                    if not _clean_name(entry.name):
                        passed_over.append(path.encode("utf-8", "replace").decode("utf-8"))
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(folder + [entry.name])
                    elif entry.is_file(follow_symlinks=False):
                        info = entry.stat(follow_symlinks=False)
                        files.append((path, info.st_size, bool(info.st_mode & 0o100)))
                    else:
                        passed_over.append(path)
                        continue
                    seen += 1
                    if seen > max_files:
                        raise OverflowError("more than %d files and folders" % max_files)
            finally:
                os.close(fd)
        return sorted(files), sorted(passed_over)


def _clean_name(name):
    """A name that survives JSON and a tar archive unchanged: UTF-8, no control characters."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any(ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in name)


def _unlock_fd(fd):
    """Gives the owner read, write and search permission on an open folder again."""
    mode = stat.S_IMODE(os.fstat(fd).st_mode)
    if mode & _OWNER_RWX != _OWNER_RWX:
        os.fchmod(fd, mode | _OWNER_RWX)


def _open_subdir(fd, name):
    """Opens folder ``name`` (never through a link), unlocking it first if a student locked it."""
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=fd)
    except PermissionError:
        st = os.stat(name, dir_fd=fd, follow_symlinks=False)
        if not stat.S_ISDIR(st.st_mode):
            raise
        # Not a link (checked just now, and no student process runs between steps).
        os.chmod(name, stat.S_IMODE(st.st_mode) | _OWNER_RWX, dir_fd=fd)
        return os.open(name, _DIR_FLAGS, dir_fd=fd)


def _unlock_tree(dir_fd, name):
    """Owner permissions on folder ``name`` and every folder below it, following no link."""
    os.chmod(name, _OWNER_RWX, dir_fd=dir_fd)
    pending = [os.open(name, _DIR_FLAGS, dir_fd=dir_fd)]
    seen = 1
    try:
        while pending:
            fd = pending.pop()
            try:
                with os.scandir(fd) as entries:
                    for entry in entries:
                        if entry.is_dir(follow_symlinks=False):
                            seen += 1
                            if seen > _MAX_UNLOCK_DIRS:
                                raise OSError(errno.EMLINK, "too many folders to unlock")
                            os.chmod(entry.name, _OWNER_RWX, dir_fd=fd)
                            pending.append(os.open(entry.name, _DIR_FLAGS, dir_fd=fd))
            finally:
                os.close(fd)
    finally:
        for fd in pending:
            os.close(fd)


def _remove(dir_fd, name):
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(st.st_mode):
        os.unlink(name, dir_fd=dir_fd)
        return
    try:
        # A student may have locked folders inside it; the owner can always unlock them.
        _unlock_tree(dir_fd, name)
        shutil.rmtree(name, dir_fd=dir_fd)
    except (OSError, RecursionError):
        # Too deep or too wide to clear now: move what is left out of the way, so the path is free.
        try:
            os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            return
        junk = ".ffilab-removed-%d-%d" % (os.getpid(), next(_junk_names))
        os.rename(name, junk, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
