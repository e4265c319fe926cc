"""What the checks of the JVM tracks (JNI and Panama) share: reading the crash report a JVM
writes when native code kills it, and saying in the student's words how a Java step ended.

Import it in a check.py: ``from ffilab_harness.jvm import describe_run, relay_hs_err``. The checks
run the JVM with -XX:ErrorFile=/tmp/hs_err_%p.log, outside the work folder.
"""

import os
import re
import stat

HS_ERR_PATTERN = re.compile(r"(/tmp/hs_err_\d+\.log)")
HS_ERR_HEAD = 8000

# What the JVM names in its crash report, in the words the harness uses for a process's signal.
JVM_SIGNALS = {
    "SIGSEGV": "SIGSEGV (segmentation fault: a read or write through an invalid pointer)",
    "SIGBUS": "SIGBUS (bus error: a misaligned or unmapped memory access)",
    "SIGILL": "SIGILL (illegal instruction)",
    "SIGFPE": "SIGFPE (arithmetic error, such as an integer division by zero)",
}


def strip_ansi(text):
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text or "")


def relay_hs_err(c, step, test=None):
    """Sends the head of the JVM's hs_err file (named in the crash output) as a hotspot report,
    then deletes the file; returns the head, or None when there was none."""
    match = HS_ERR_PATTERN.search(strip_ansi(step.output))
    if not match:
        return None
    text = read_regular_file(match.group(1), 256 * 1024)
    if not text:
        return None
    cut = text.find("\nRegisters:")
    head = text[:cut] if 0 < cut < HS_ERR_HEAD else text[:HS_ERR_HEAD]
    c.report("hotspot", head, test=test)
    try:
        os.unlink(match.group(1))
    except OSError:
        pass
    return head


def read_regular_file(path, limit):
    """A file outside the work folder, read without following links or blocking on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        chunks, size = [], 0
        while size < limit:
            chunk = os.read(fd, min(65536, limit - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks).decode("utf-8", "replace")
    finally:
        os.close(fd)


def describe_run(step):
    """How a Java step ended. A JVM that catches a fatal signal in native code writes its crash
    report and then aborts itself, so the process ends with SIGABRT: name the signal it caught."""
    text = step.describe()
    if step.crashed:
        match = re.search(r"#\s+(SIG[A-Z]+) \(0x[0-9a-f]+\) at pc=", strip_ansi(step.output))
        if match and match.group(1) != step.signal_name:
            return ("crashed: the JVM caught %s in native code, printed its crash report (the lines "
                    "starting with #) and aborted" % JVM_SIGNALS.get(match.group(1), match.group(1)))
    return text


def jni_messages(output):
    """-Xcheck:jni WARNING and FATAL ERROR lines, each with the stack lines printed under it."""
    blocks = []
    for line in strip_ansi(output).splitlines():
        if line.startswith("WARNING in native method:") or line.startswith("FATAL ERROR in native method:"):
            blocks.append([line])
        elif blocks and (line.startswith("\tat ") or line.startswith("V  [") or line.startswith("C  [")) \
                and len(blocks[-1]) < 10:
            blocks[-1].append(line)
    return blocks
