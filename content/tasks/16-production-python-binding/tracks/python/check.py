"""Check for task 16 (python track): a production-grade binding of zlib, shipped as a wheel.

Runs in the harness's trusted process (docs/writing-a-check.md). The student's zpack.c is built
here with a fixed command and exercised by the hidden zpack_driver.py, each part in its own
process (a crash in one cannot hide the results of another):

1. "functional": round trips (empty, small, random, 5 MB, every level, bytes-like inputs), checked
   both ways against Python's own zlib, and corrupt or wrong input;
2. "version": the import with a stand-in zlibVersion() preloaded (support/fakezlib.c) that claims
   zlib 1.2.13: the pin must refuse it;
3. "gil": another Python thread beats every millisecond while compress() and decompress() run
   on large inputs. A sandbox may have one CPU, so two-thread speed-up cannot be measured; the
   heartbeat still tells a call that gave up the GIL (the thread keeps beating, sharing the CPU)
   from one that kept it (the thread stops dead for the whole call). The module is an audit build
   (support/gilaudit.h, as in task 6) that aborts on any Python C-API call made without the GIL;
4. "asan": a build with clang -fsanitize=address, run with the ASan runtime preloaded and
   PYTHONMALLOC=malloc; LeakSanitizer's check runs before the interpreter exits, and only leaks
   with a frame in zpack.c count (the interpreter keeps memory of its own);
5. "valgrind": memcheck over the plain build, XML report, only errors with a frame in zpack.c;
6. the wheel: `python3 -m build --wheel --no-isolation` with the student's pyproject.toml and
   setup.py, `auditwheel show` and `auditwheel repair` into wheelhouse/.

wheelhouse/ is then handed over (track.yml, `cleanMachine`) to a fresh container of
ffilab/python-runtime, which has no compiler: clean_check.py installs and imports the wheel
there. (Installing it here, beside gcc, zlib.h and Python.h, proved less than it claimed.)

Raw ASan and Valgrind reports go to the server with c.report(); the judging happens here.
"""

import io
import json
import os
import re
import stat
import sysconfig
import zipfile

STUDENT_C = "zpack.c"
INCLUDE = sysconfig.get_paths()["include"]
EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
MODULE_FILE = "zpack" + EXT_SUFFIX
AUDIT_FILE = "zpack-audit.so"
AUDIT_CALLS = "gilaudit_calls.h"
ASAN_DIR = "asan"
ASAN_RUNTIME = "/usr/lib/llvm-19/lib/clang/19/lib/linux/libclang_rt.asan-x86_64.so"
ASAN_OPTIONS = ":".join([
    "detect_leaks=1",
    "leak_check_at_exit=0",  # the driver runs the check itself, before the interpreter exits
    "halt_on_error=0",  # report every error, not only the first (needs -fsanitize-recover)
    "print_summary=1",
    "symbolize=1",
    "allocator_may_return_null=1",
    "color=never",  # steps run on a pty with TERM set: reports would be coloured, and unparsable
    # Debian's libz is built without frame pointers: the fast unwinder stops inside it, and a
    # leaked deflate state would be reported without the zpack.c frame that allocated it.
    "fast_unwind_on_malloc=0",
])
FAKE_SOURCE, FAKE_LIBRARY, FAKE_VERSION = "fakezlib.c", "libfakezlib.so", "1.2.13"
DRIVER = "zpack_driver.py"
VALGRIND_XML = "valgrind.xml"
WHEEL_NAME = re.compile(r"^zpack-[^-]+-cp313-cp313-(linux|manylinux[\w.]*)_x86_64\.whl$")
# Python C-API functions made to be called without the GIL (or to take it back).
GIL_FREE = re.compile(r"^(PyEval_RestoreThread|PyEval_SaveThread|PyEval_AcquireThread|"
                      r"PyGILState_\w+|PyThreadState_GetUnchecked|PyMem_Raw\w+|PyThread_\w+|"
                      r"PyOS_\w+|PyMutex_\w+|Py_FatalError)$")

B_BUILD = "zpack.c builds against zlib.h"
B_SIGS = "zlib's signatures are checked at build time"
B_WHEEL = "python3 -m build makes a wheel offline"
B_REPAIR = "auditwheel repair gives it a manylinux tag"
T_ROUND = "round trip: empty, small, random and 5 MB inputs at every level"
T_ZLIB = "reads and writes standard zlib data"
T_ERRORS = "corrupt or wrong input raises an exception, not a crash"
T_BUFFER = "gives the caller's buffer back on every path"
T_VERSION = "refuses to import with a zlib of another version"
T_GIL = "compress() and decompress() release the GIL"
T_NOOBJ = "touches no Python object while the GIL is released"
M_LEAK = "no leak (LeakSanitizer)"
M_ASAN = "no invalid read, write or free (ASan)"
M_VG = "clean under Valgrind (memcheck)"
CODE_TESTS = [(T_ROUND, "Tests"), (T_ZLIB, "Tests"), (T_ERRORS, "Tests"), (T_BUFFER, "Memory"),
              (T_VERSION, "Tests"),
              (T_GIL, "Threads"), (T_NOOBJ, "Threads"), (M_LEAK, "Memory"), (M_ASAN, "Memory"),
              (M_VG, "Memory")]
WHEEL_TESTS = [(B_WHEEL, "Build"), (B_REPAIR, "Build")]

FREE_ADVICE = ("Every deflateInit needs its deflateEnd and every inflateInit its inflateEnd, on "
               "every path (errors included); they give back the state zlib allocated. Never "
               "free() anything zlib allocated yourself, and free your own output buffer once "
               "its bytes are copied.")
DIM = "\x1b[2m"


def run(c):
    build = c.step("build", ["cc", "-shared", "-fPIC", "-g", "-O2", "-Wall",
                             "-Werror=implicit-function-declaration", "-MD", "-MF", "zpack.d",
                             "-I" + INCLUDE, "-o", MODULE_FILE, STUDENT_C, "-lz"],
                   timeout=60, test=B_BUILD, group="Build")
    if not build.ok:
        c.skip(B_SIGS, "%s did not build (see the test %r)." % (STUDENT_C, B_BUILD), group="Build")
        for name, group in CODE_TESTS + WHEEL_TESTS:
            c.skip(name, "%s did not build (see the test %r)." % (STUDENT_C, B_BUILD), group=group)
        return
    check_signatures(c)

    c.note("The checker imports zpack and compresses and decompresses a range of inputs.",
           style=DIM)
    functional = Driver(c, "functional", {"mode": "functional", "module": MODULE_FILE},
                        timeout=90)
    check_round_trips(c, functional)
    check_interop(c, functional)
    check_errors(c, functional)
    check_buffers(c, functional)

    c.note("Now the import again, with a zlib that says it is %s." % FAKE_VERSION, style=DIM)
    check_version(c, functional)

    c.note("Now another Python thread keeps beating while compress() and decompress() run "
           "(a build of zpack.c that also checks the GIL before every Python call).", style=DIM)
    check_gil(c)

    c.note("Now the same calls under AddressSanitizer (clang -fsanitize=address).", style=DIM)
    check_asan(c)
    c.note("Now under Valgrind (memcheck).", style=DIM)
    check_valgrind(c)

    c.note("Now the wheel: build and repair. A machine without a compiler installs it next.",
           style=DIM)
    check_wheel(c)


# -- what one driver process reported -----------------------------------------------------


class Driver:
    def __init__(self, c, name, request, timeout=60, argv=None, env=None):
        self.c = c
        self.name = name
        self.step = c.step(name, argv or ["python3", DRIVER], timeout=timeout, env=env,
                           channel=True, stdin=json.dumps(request))
        self.last_call = None
        self.imported = None
        self.rounds = {}
        self.bad = {}
        self.gil = {}
        self.buffers = {}
        self.other = {}
        for message in self.step.messages:
            if not isinstance(message, dict):
                continue
            kind = message.get("kind")
            if kind == "calling":
                self.last_call = message.get("what")
            elif kind == "import":
                self.imported = message
            elif kind == "round":
                self.rounds.setdefault(message.get("id"), message)
            elif kind == "bad":
                self.bad.setdefault(message.get("id"), message)
            elif kind == "gil":
                self.gil.setdefault(message.get("name"), message)
            elif kind == "buffer":
                self.buffers.setdefault(message.get("id"), message)
            else:
                self.other.setdefault(kind, message)

    def how_it_ended(self):
        where = " while the checker was running %s" % self.last_call if self.last_call else ""
        return "the process %s%s" % (self.step.describe(), where)

    def require_module(self, t):
        t.output = self.step.output
        if self.imported is None:
            t.fail("The checker could not import zpack: %s." % self.how_it_ended())
        if self.imported.get("error"):
            t.fail("import zpack failed: %s" % self.imported["error"])
        missing = [n for n, ok in (self.imported.get("functions") or {}).items() if not ok]
        if missing:
            t.fail("The module zpack has no function %s. Check the PyMethodDef table of %s."
                   % (" or ".join(missing), STUDENT_C))


def error_text(error):
    return "%s: %s" % (error.get("type"), error.get("message")) if error else None


# -- build time ---------------------------------------------------------------------------


def check_signatures(c):
    with c.test(B_SIGS, group="Build") as t:
        deps = c.read_text("zpack.d", default="") or ""
        t.expect(re.search(r"(^|\s)/usr/include/zlib\.h(\s|$)", deps),
                 "%s was not compiled against /usr/include/zlib.h: #include <zlib.h>, so that the "
                 "compiler checks every call against zlib's own declarations." % STUDENT_C)
        symbols = c.step("symbols", ["nm", "-D", "--undefined-only", MODULE_FILE], timeout=20,
                         show=False, echo=False)
        names = {line.split()[-1].split("@")[0] for line in symbols.output.splitlines()
                 if line.split()}
        wanted = {"deflateInit_", "deflate", "deflateEnd", "inflateInit_", "inflate",
                  "inflateEnd", "zlibVersion"}
        missing = sorted(wanted - names)
        if missing:
            t.fail("The module does not call %s from zlib directly. Call zlib's functions "
                   "through zlib.h (deflateInit and inflateInit are macros around deflateInit_ "
                   "and inflateInit_), not through dlopen/dlsym or ctypes, whose signatures no "
                   "compiler checks." % ", ".join(missing))
        t.message = ("Compiled against /usr/include/zlib.h: a call that does not match zlib's "
                     "declarations is a compile error (gcc 14 refuses incompatible pointer types "
                     "and undeclared functions), not a crash at run time.")


# -- functional ---------------------------------------------------------------------------


def round_ids(driver):
    return list(driver.rounds)


def check_round_trips(c, driver):
    with c.test(T_ROUND) as t:
        driver.require_module(t)
        if not driver.rounds:
            t.fail("No round trip finished: %s." % driver.how_it_ended())
        for case_id, r in driver.rounds.items():
            shown = "zpack.compress(%s)" % case_id
            if r.get("compress_error"):
                t.fail("%s raised %s" % (shown, error_text(r["compress_error"])))
            t.expect(r.get("type") == "bytes", "%s returned a %s; it must return bytes."
                     % (shown, r.get("type")))
            if r.get("back_error"):
                t.fail("zpack.decompress(zpack.compress(%s)) raised %s"
                       % (case_id, error_text(r["back_error"])))
            t.expect(r.get("back_type") == "bytes", "zpack.decompress(...) of %s returned a %s; "
                     "it must return bytes." % (case_id, r.get("back_type")))
            t.expect(r.get("back_sha") == r.get("in_sha"),
                     "zpack.decompress(zpack.compress(%s)) did not give back the input (%d bytes "
                     "in)." % (case_id, r.get("in_len")))
        expected = 4 * 5 + 2 + 2  # four small inputs at five levels, 5 MB at two, two views
        if len(driver.rounds) < expected:
            t.fail("Only %d of %d round trips finished: %s."
                   % (len(driver.rounds), expected, driver.how_it_ended()))
        big = [r for r in driver.rounds.values() if r.get("in_len", 0) >= 5 * 1024 * 1024]
        for r in big:
            c.metric("compress %s" % r["id"].replace("5 MB of text, ", "5 MB, "),
                     r.get("compress_seconds", 0) * 1000, "ms")
        t.message = "%d round trips, all exact." % len(driver.rounds)


def check_interop(c, driver):
    with c.test(T_ZLIB) as t:
        driver.require_module(t)
        if not driver.rounds:
            t.fail("No round trip finished: %s." % driver.how_it_ended())
        for case_id, r in driver.rounds.items():
            if r.get("compress_error") or r.get("type") != "bytes":
                t.fail("zpack.compress(%s) did not return bytes (see the test %r)."
                       % (case_id, T_ROUND))
            if r.get("zlib_error") or r.get("zlib_sha") != r.get("in_sha"):
                t.fail("Python's zlib.decompress could not read zpack.compress(%s)%s. zpack must "
                       "write the zlib format (deflateInit, not deflateInit2 with raw or gzip "
                       "window bits)." % (case_id, ": " + error_text(r["zlib_error"])
                                          if r.get("zlib_error") else " back to the input"))
            if r.get("from_zlib_error") or r.get("from_zlib_sha") != r.get("in_sha"):
                t.fail("zpack.decompress(zlib.compress(%s)) %s." % (
                    case_id, "raised " + error_text(r["from_zlib_error"])
                    if r.get("from_zlib_error") else "did not give back the input"))
        t.message = "Python's zlib reads what zpack writes, and zpack reads what zlib writes."


def check_errors(c, driver):
    with c.test(T_ERRORS) as t:
        driver.require_module(t)
        cases = ["decompress(b'')", "decompress(b'this is not zlib data')",
                 "decompress(a stream cut short)", "decompress(a stream with a damaged byte)",
                 "decompress(a stream of only its 2-byte header)", "compress(b'x', 10)",
                 "compress(b'x', -2)", "compress('text')", "decompress(None)"]
        for case_id in cases:
            seen = driver.bad.get(case_id)
            if seen is None:
                t.fail("zpack.%s did not return or raise: %s." % (case_id, driver.how_it_ended()))
            error = seen.get("error")
            if error is None:
                t.fail("zpack.%s returned %s instead of raising." % (case_id, seen.get("returned")))
            if case_id in ("compress('text')", "decompress(None)"):
                t.expect(error.get("type_error"), "zpack.%s raised %s; a wrong type is a "
                         "TypeError (PyArg_ParseTuple with \"y*\" raises it for you)."
                         % (case_id, error_text(error)))
            elif case_id.startswith("compress"):
                t.expect(error.get("value_error"), "zpack.%s raised %s; a level outside -1..9 is "
                         "a ValueError." % (case_id, error_text(error)))
            else:
                t.expect(error.get("value_error"),
                         "zpack.%s raised %s; corrupt data must raise zpack.error, a subclass "
                         "of ValueError, with zlib's message (strm.msg)."
                         % (case_id, error_text(error)))
        t.expect(driver.imported.get("error_is_value_error"),
                 "zpack.error must be an exception class derived from ValueError.")
        t.message = "Every corrupt or wrong input raised an exception; the process lived on."


def check_buffers(c, driver):
    with c.test(T_BUFFER, group="Memory") as t:
        driver.require_module(t)
        cases = ["compress(bytearray)", "decompress(bytearray)",
                 "decompress(bytearray of garbage)", "compress(bytearray, 42)"]
        for case_id in cases:
            seen = driver.buffers.get(case_id)
            if seen is None:
                t.fail("zpack.%s did not return or raise: %s." % (case_id, driver.how_it_ended()))
            if not seen.get("released"):
                t.fail("After zpack.%s%s, the bytearray could not grow (\"%s\"): the function "
                       "still holds the Py_buffer it got from PyArg_ParseTuple(\"y*\"). Call "
                       "PyBuffer_Release(&in) on every path out of the function, the error paths "
                       "included (after Py_END_ALLOW_THREADS)." % (
                           case_id, " raised " + error_text(seen["error"]) if seen.get("error")
                           else " returned", seen.get("problem")))
        t.message = "Every call, successful or not, released the caller's buffer."


def check_version(c, functional):
    fake = c.step("build fake zlib", ["cc", "-shared", "-fPIC", "-o", FAKE_LIBRARY, FAKE_SOURCE],
                  timeout=30, show=False, echo=False)
    if not fake.ok:
        raise RuntimeError("the checker's fake zlib did not build: " + fake.output[-500:])
    driver = Driver(c, "version", {"mode": "version", "module": MODULE_FILE}, timeout=30,
                    env={"LD_PRELOAD": "./" + FAKE_LIBRARY})
    with c.test(T_VERSION) as t:
        t.output = driver.step.output
        real = functional.imported or {}
        if real.get("error"):
            t.fail("zpack did not import even with the real zlib: %s" % real["error"])
        if driver.imported is None:
            t.fail("The import with zlib claiming %s did not finish: %s."
                   % (FAKE_VERSION, driver.how_it_ended()))
        if driver.imported.get("error") is None:
            t.fail("zpack imported although zlibVersion() said %s and it was compiled against "
                   "zlib.h of a 1.3 release. Compare ZLIB_VERSION with zlibVersion() in "
                   "PyInit_zpack and raise ImportError (return NULL) when their major.minor "
                   "differ: z_stream is allocated by your code with the layout of your zlib.h "
                   "and filled in by the library with the layout of its own version."
                   % FAKE_VERSION)
        t.expect(FAKE_VERSION in driver.imported["error"],
                 "The import failed, but not because of the version: %s. The message should name "
                 "both versions (ZLIB_VERSION and what zlibVersion() returned, %s)."
                 % (driver.imported["error"], FAKE_VERSION))
        t.message = "With zlib %s: %s" % (FAKE_VERSION, driver.imported["error"])


# -- the GIL ------------------------------------------------------------------------------


def audited_calls(c):
    """gilaudit_calls.h: a checking macro for each Python C-API function the module imports."""
    undefined = c.step("symbols", ["nm", "-D", "--undefined-only", MODULE_FILE], timeout=20,
                       show=False, echo=False)
    names = set()
    for line in undefined.output.splitlines():
        name = line.split()[-1].split("@")[0] if line.split() else ""
        if re.match(r"^_?Py\w+$", name) and not GIL_FREE.match(name):
            names.add(name)
    lines = ["/* Written by check.py from `nm -D --undefined-only %s`. */" % MODULE_FILE]
    for name in sorted(names):
        lines += ["#ifndef %s" % name,
                  '#define %s(...) FFILAB_AUDITED("%s", %s(__VA_ARGS__))' % (name, name, name),
                  "#endif"]
    return "\n".join(lines) + "\n"


def check_gil(c):
    c.write_file(AUDIT_CALLS, audited_calls(c))
    audit = c.step("build audit", ["cc", "-shared", "-fPIC", "-g", "-O2", "-I" + INCLUDE,
                                   "-include", "gilaudit.h", "-o", AUDIT_FILE, STUDENT_C, "-lz"],
                   timeout=60, show=False, echo=False)
    module = AUDIT_FILE if audit.ok else MODULE_FILE
    driver = Driver(c, "gil", {"mode": "gil", "module": module}, timeout=60)
    audited = re.search(r"ffilab-gil-audit: (\w+) at \S*?([^/\s]+):(\d+) without the GIL",
                        driver.step.output)

    with c.test(T_GIL, group="Threads") as t:
        driver.require_module(t)
        for name in ("compress(5 MB of text, 9)", "decompress(20 MB of text)"):
            seen = driver.gil.get(name)
            if seen is None:
                t.fail("zpack.%s did not return: %s.%s" % (
                    name, driver.how_it_ended(),
                    " See the test %r." % T_NOOBJ if audited else ""))
            if seen.get("error"):
                t.fail("zpack.%s raised %s" % (name, error_text(seen["error"])))
            seconds, pause, beats = seen["seconds"], seen["pause"], seen["beats"]
            if name.startswith("compress"):
                c.metric("another thread's longest pause during compress(5 MB, 9)",
                         pause * 1000, "ms")
            if beats < 5 or pause > 0.5 * seconds:
                t.fail("zpack.%s took %.0f ms, and the other Python thread stood still for %.0f "
                       "ms of it (%d heartbeat%s where about %d were due): the call kept the GIL. "
                       "Put the zlib work between Py_BEGIN_ALLOW_THREADS and "
                       "Py_END_ALLOW_THREADS: parse the arguments and allocate before, build the "
                       "bytes after." % (name, seconds * 1000, pause * 1000, beats,
                                         "" if beats == 1 else "s", seconds * 1000 / 1.1))
        c_seen = driver.gil["compress(5 MB of text, 9)"]
        t.message = ("While compress(5 MB, 9) ran for %.0f ms the other thread beat %d times; its "
                     "longest pause was %.0f ms." % (c_seen["seconds"] * 1000, c_seen["beats"],
                                                     c_seen["pause"] * 1000))

    with c.test(T_NOOBJ, group="Threads") as t:
        t.output = driver.step.output
        if audited:
            callee, line = audited.group(1), audited.group(3)
            c.finding("gil-audit", "gil-not-held", "%s called without the GIL" % callee,
                      [{"file": STUDENT_C, "line": int(line), "function": callee}])
            t.fail("Your code called %s at %s:%s in a thread that did not hold the GIL (the "
                   "checker's build of %s checks the GIL before every Python C-API call and "
                   "reference-count macro). Between Py_BEGIN_ALLOW_THREADS and "
                   "Py_END_ALLOW_THREADS only C data is allowed: the buffer's pointer and length, "
                   "the z_stream, your output buffer. PyBuffer_Release, PyBytes_*, PyErr_* and "
                   "Py_DECREF belong after Py_END_ALLOW_THREADS." % (callee, STUDENT_C, line,
                                                                      STUDENT_C))
        if not audit.ok:
            t.fail("Could not be checked: the checker's audit build of %s failed:\n%s"
                   % (STUDENT_C, audit.output[-1500:]))
        if not driver.step.ok:
            t.fail("Could not be checked to the end: %s." % driver.how_it_ended())
        for name, seen in sorted(driver.gil.items()):
            if seen.get("error"):
                t.fail("Could not be checked: zpack.%s raised %s." % (name, error_text(seen["error"])))
        if len(driver.gil) < 2:
            t.fail("Could not be checked: %s." % driver.how_it_ended())
        t.message = "No Python C-API call while the GIL was released."


# -- memory -------------------------------------------------------------------------------


def asan_reports(output):
    """The ASan/LSan report blocks of a step's output: from the ERROR line to the SUMMARY."""
    blocks, current = [], None
    for line in output.splitlines():
        if re.search(r"==\d+==ERROR: (AddressSanitizer|LeakSanitizer)", line):
            current = [line]
            continue
        if current is not None:
            current.append(line)
            if line.startswith("SUMMARY: "):
                blocks.append("\n".join(current))
                current = None
    if current:
        blocks.append("\n".join(current))
    return blocks


def student_leaks(block):
    """The leak records of an LSan report with a frame in the student's module."""
    records = re.split(r"\n(?=(?:Direct|Indirect) leak of )", block)
    return [r for r in records if re.match(r"(?:Direct|Indirect) leak of", r)
            and (STUDENT_C in r or "PyInit_zpack" in r)]


def leak_bytes(records):
    return sum(int(n) for r in records for n in re.findall(r"leak of (\d+) byte", r.splitlines()[0]))


def leak_objects(records):
    return sum(int(n) for r in records for n in re.findall(r"in (\d+) object", r.splitlines()[0]))


def first_student_frame(text):
    match = re.search(r"in (\w+) \S*?%s:(\d+)" % re.escape(STUDENT_C), text)
    return " (allocated in %s, %s:%s)" % (match.group(1), STUDENT_C, match.group(2)) if match else ""


def require_workload(t, driver, tool):
    """Fails t when the workload under a tool did not run to the end, or its calls failed."""
    for case_id, r in driver.rounds.items():
        error = r.get("compress_error") or r.get("back_error")
        if error:
            t.fail("Could not be checked: under %s zpack.%s(%s) raised %s (see the test %r)."
                   % (tool, "compress" if r.get("compress_error") else "decompress", case_id,
                      error_text(error), T_ROUND))
    if "done" not in driver.other or not driver.step.ok:
        t.fail("Could not be checked to the end: under %s %s." % (tool, driver.how_it_ended()))


def check_asan(c):
    c.write_file(ASAN_DIR + "/.keep", b"")  # the folder for the ASan build
    build = c.step("build asan", [
        "clang", "-shared", "-fPIC", "-g", "-O1", "-fno-omit-frame-pointer",
        "-fsanitize=address", "-fsanitize-recover=address", "-shared-libsan", "-I" + INCLUDE,
        "-o", "%s/%s" % (ASAN_DIR, MODULE_FILE), STUDENT_C, "-lz"], timeout=60)
    if not build.ok:
        for name in (M_LEAK, M_ASAN):
            c.failed(name, "Could not be checked: clang -fsanitize=address did not build %s."
                     % STUDENT_C, output=build.output, group="Memory")
        return
    driver = Driver(c, "asan", {"mode": "memory", "module": "%s/%s" % (ASAN_DIR, MODULE_FILE),
                                "leak_check": True}, timeout=90,
                    env={"LD_PRELOAD": ASAN_RUNTIME, "PYTHONMALLOC": "malloc",
                         "ASAN_OPTIONS": ASAN_OPTIONS})
    leaks, errors, others = [], [], 0
    for block in asan_reports(driver.step.output):
        if "LeakSanitizer" in block.splitlines()[0]:
            others += 1
            mine = student_leaks(block)
            if mine:
                leaks += mine
                c.report("asan", block, test=M_LEAK)
        else:
            errors.append(block)
            c.report("asan", block, test=M_ASAN)

    if others and not leaks:
        c.note("The LeakSanitizer report above is about the interpreter's own memory; only leaks "
               "with a frame in %s count." % STUDENT_C, style=DIM)
    with c.test(M_ASAN, group="Memory") as t:
        driver.require_module(t)
        if errors:
            summary = re.search(r"SUMMARY: AddressSanitizer: [^\n]*", errors[0])
            t.fail("ASan: %s (%d report%s in all). %s"
                   % (summary.group(0) if summary else errors[0].splitlines()[0], len(errors),
                      "" if len(errors) == 1 else "s", FREE_ADVICE))
        require_workload(t, driver, "ASan")
        t.message = "No invalid access or free in %d round trips and 9 bad inputs." % len(
            driver.rounds)

    with c.test(M_LEAK, group="Memory") as t:
        driver.require_module(t)
        if leaks:
            t.fail("LeakSanitizer: %d byte(s) in %d block(s) allocated through zpack.c were never "
                   "freed%s. The state deflateInit sets up (about 256 KiB at level 6: window, "
                   "hash tables, pending buffer) or inflateInit's is only given back by "
                   "deflateEnd/inflateEnd. %s"
                   % (leak_bytes(leaks), leak_objects(leaks), first_student_frame(leaks[0]),
                      FREE_ADVICE))
        require_workload(t, driver, "ASan")
        if "leak_check" not in driver.other:
            t.fail("Could not be checked: the leak check runs once every call is done, but %s."
                   % driver.how_it_ended())
        t.message = "Nothing allocated through zpack.c was left behind."


class ValgrindError:
    def __init__(self, xml):
        self.xml = xml
        self.kind = _tag(xml, "kind") or ""
        self.what = _tag(xml, "what") or _tag(xml, "text") or self.kind

    def mine(self):
        return "<file>%s</file>" % STUDENT_C in self.xml

    def where(self):
        for frame in re.findall(r"<frame>(.*?)</frame>", self.xml, re.S):
            if _tag(frame, "file") == STUDENT_C:
                return " at %s:%s (in %s)" % (STUDENT_C, _tag(frame, "line"), _tag(frame, "fn"))
        return ""


def _tag(xml, name):
    match = re.search(r"<%s>(.*?)</%s>" % (name, name), xml, re.S)
    if not match:
        return None
    return (match.group(1).strip().replace("&lt;", "<").replace("&gt;", ">")
            .replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&"))


def check_valgrind(c):
    c.write_file(VALGRIND_XML, b"")
    driver = Driver(c, "valgrind", {"mode": "memory", "module": MODULE_FILE}, timeout=150,
                    argv=["valgrind", "--tool=memcheck", "--leak-check=full",
                          "--show-leak-kinds=definite", "--errors-for-leak-kinds=definite",
                          "--num-callers=30", "--xml=yes", "--xml-file=" + VALGRIND_XML,
                          "python3", DRIVER],
                    env={"PYTHONMALLOC": "malloc"})
    xml = c.read_text(VALGRIND_XML, limit=16 * 1024 * 1024, default="") or ""
    blocks = re.findall(r"<error>.*?</error>", xml, re.S)
    errors = [e for e in (ValgrindError(b) for b in blocks) if e.mine()]
    if xml:
        # The whole report minus the interpreter's own errors: only those touching zpack.c.
        kept = set(e.xml for e in errors)
        c.report("valgrind", re.sub(r"\s*<error>.*?</error>",
                                    lambda m: m.group(0) if m.group(0).strip() in kept else "",
                                    xml, flags=re.S), test=M_VG)
    with c.test(M_VG, group="Memory") as t:
        driver.require_module(t)
        if errors:
            leaks = [e for e in errors if e.kind.startswith("Leak_")]
            others = [e for e in errors if not e.kind.startswith("Leak_")]
            if others:
                e = others[0]
                t.fail("Valgrind: %s%s (%d error%s with a frame in zpack.c). %s"
                       % (e.what, e.where(), len(errors), "" if len(errors) == 1 else "s",
                          FREE_ADVICE))
            total = sum(int(_tag(e.xml, "leakedbytes") or 0) for e in leaks)
            t.fail("Valgrind: %d byte(s) allocated through zpack.c were definitely lost%s: %s. %s"
                   % (total, leaks[0].where(), leaks[0].what, FREE_ADVICE))
        require_workload(t, driver, "Valgrind")
        if "</valgrindoutput>" not in xml:
            t.fail("Could not be checked to the end: Valgrind's report is incomplete (%s)."
                   % driver.how_it_ended())
        t.message = "No invalid access, no invalid free and no definite leak in zpack.c."


# -- the wheel ----------------------------------------------------------------------------


def wheels_in(c, folder):
    """Regular .whl files directly in folder (no symlinks, nothing else)."""
    path = os.path.join(c.workdir, folder)
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return []
    found = []
    for name in names:
        try:
            info = os.lstat(os.path.join(path, name))
        except OSError:
            continue
        if name.endswith(".whl") and stat.S_ISREG(info.st_mode):
            found.append(name)
    return found


def wheel_members(c, path):
    data = c.read_bytes(path, limit=32 * 1024 * 1024)
    if data is None:
        return None
    try:
        return zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def check_wheel(c):
    build = c.step("wheel", ["python3", "-m", "build", "--wheel", "--no-isolation",
                             "--outdir", "dist", "."], timeout=120)
    built = wheels_in(c, "dist")
    wheel = None
    with c.test(B_WHEEL, group="Build") as t:
        t.output = build.output
        if not build.ok:
            t.fail("`python3 -m build --wheel --no-isolation` %s. It reads pyproject.toml "
                   "([build-system] with setuptools, [project] with name and version) and "
                   "setuptools then runs setup.py." % build.describe())
        t.expect(len(built) == 1, "dist/ holds %d wheels (%s); expected exactly one."
                 % (len(built), ", ".join(built) or "none"))
        wheel = built[0]
        t.expect(WHEEL_NAME.match(wheel), "The wheel is called %s; expected "
                 "zpack-<version>-cp313-cp313-linux_x86_64.whl: the project name in "
                 "pyproject.toml must be zpack, and the wheel must hold a compiled extension "
                 "for this CPython." % wheel)
        members = wheel_members(c, "dist/" + wheel) or []
        t.expect(any(re.match(r"^zpack\.cpython-313-x86_64-linux-gnu\.so$", m) for m in members),
                 "%s does not contain the extension zpack%s (it holds: %s). setup.py must "
                 "declare Extension(\"zpack\", sources=[\"zpack.c\"], ...)."
                 % (wheel, EXT_SUFFIX, ", ".join(members[:10]) or "nothing readable"))
        t.message = "Built dist/%s." % wheel
    if wheel is None or not build.ok:
        for name, group in WHEEL_TESTS[1:]:
            c.skip(name, "no wheel was built (see the test %r)." % B_WHEEL, group=group)
        return

    show = c.step("auditwheel show", ["auditwheel", "show", "dist/" + wheel], timeout=60)
    repair = c.step("auditwheel repair", ["auditwheel", "repair", "dist/" + wheel,
                                          "-w", "wheelhouse"], timeout=90)
    repaired = wheels_in(c, "wheelhouse")
    with c.test(B_REPAIR, group="Build") as t:
        t.output = show.output + repair.output
        if not repair.ok:
            t.fail("`auditwheel repair` %s. Read its message above: it refuses a wheel that "
                   "links a library it cannot find or that needs a newer glibc than any "
                   "manylinux policy allows." % repair.describe())
        t.expect(len(repaired) == 1 and "manylinux" in repaired[0],
                 "wheelhouse/ holds %s; expected one wheel with a manylinux tag."
                 % (", ".join(repaired) or "nothing"))
        t.expect("libz.so.1" in show.output,
                 "auditwheel show does not list libz.so.1 among the wheel's libraries: the "
                 "extension does not record that it needs zlib. Link it (libraries=[\"z\"] in "
                 "setup.py's Extension). In this lab the import works anyway (here and on the clean "
                 "machine), because python3.13 itself has already loaded libz.so.1; on a Python "
                 "whose zlib module "
                 "is a separate file, import zpack fails with \"undefined symbol: deflateInit_\".")
        members = wheel_members(c, "wheelhouse/" + repaired[0]) or []
        grafted = sorted(m for m in members if re.match(r"^zpack\.libs/", m))
        tag = re.search(r"-(manylinux[\w.]*)\.whl$", repaired[0])
        t.message = "wheelhouse/%s (tag %s); %s." % (
            repaired[0], tag.group(1) if tag else "?",
            "bundled: " + ", ".join(os.path.basename(g) for g in grafted) if grafted else
            "nothing bundled: libz.so.1 is on the manylinux allow list, so the wheel uses the "
            "zlib of the machine it is installed on (which is why the version pin matters)")
