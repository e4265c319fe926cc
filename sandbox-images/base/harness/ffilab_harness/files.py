"""Reading and writing inside the work directory without following anything a student planted.

Student programs run with the harness's uid and can replace any file or folder in the work
directory with a symlink (to /proc/1/fd/1, to a FIFO, ...). Every path is therefore walked one
component at a time from a descriptor of the work directory, with O_NOFOLLOW, and whatever stands
where a file is to be written is removed first.
"""

import errno
import os
import shutil
import stat

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


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
            for part in parts:
                try:
                    next_fd = os.open(part, _DIR_FLAGS, dir_fd=fd)
                except OSError as ex:
                    if not create or ex.errno not in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
                        raise
                    _remove(fd, part)
                    os.mkdir(part, 0o755, dir_fd=fd)
                    next_fd = os.open(part, _DIR_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = next_fd
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


def _remove(dir_fd, name):
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        # A student may have made it unreadable; the owner can always chmod it back.
        try:
            os.chmod(name, 0o700, dir_fd=dir_fd)
        except OSError:
            pass
        shutil.rmtree(name, dir_fd=dir_fd)
    else:
        os.unlink(name, dir_fd=dir_fd)
