"""Clean-machine check for task 16 (python track): the repaired wheel on a machine that cannot build.

The second stage of the track (track.yml, `cleanMachine`). It runs in a fresh container of
ffilab/python-runtime: Python 3.13 and pip, and no compiler, no linker, no Python.h, no zlib.h.
The work directory holds only what the first stage handed over: wheelhouse/, with the wheel
`auditwheel repair` wrote. No source of the student's and no support file of the track is here.

1. The machine is checked first: a compiler or Python.h here would make this stage meaningless,
   and that is a fault of the lab, not of the student (the check then ends in an error).
2. The wheel is installed the way a user installs it, into a fresh virtual environment, with
   `pip install --no-index` and its dependencies (no --no-deps): a dependency that only the build
   machine had cannot be satisfied here.
3. The venv's Python, isolated (`-I`: no PYTHON* variables, no user site, not even the current
   folder on sys.path), imports zpack from an empty folder and round-trips data through it,
   checked against the clean machine's own zlib module.
"""

import os
import re
import shutil
import stat
import sysconfig

T_CLEAN = "installs and imports on a clean machine (no compiler)"
WHEELHOUSE = "wheelhouse"
VENV = "venv"
ELSEWHERE = "elsewhere"  # an empty folder: the import runs from here
TOOLS = ("cc", "gcc", "clang", "c++", "g++", "ld")
CHILD_PATH = "/usr/local/bin:/usr/bin:/bin"
DIM = "\x1b[2m"

# Runs in the venv's isolated Python. It reports what it sees on the channel; check.py judges.
PROBE = r"""
import hashlib, json, os, random, sys, zlib
channel = int(os.environ.pop("FFILAB_CHANNEL_FD"))
def send(**message):
    os.write(channel, (json.dumps(message) + "\n").encode())
send(kind="env", isolated=bool(sys.flags.isolated), cwd=os.getcwd(), prefix=sys.prefix,
     base_prefix=sys.base_prefix)
send(kind="calling", what="import zpack")
try:
    import zpack
except BaseException as ex:
    send(kind="import", error="%s: %s" % (type(ex).__name__, ex))
    raise SystemExit(0)
send(kind="import", error=None, file=getattr(zpack, "__file__", None))
rng = random.Random(16)
words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
         for _ in range(3000)]
cases = {"100 KB of text": b" ".join(rng.choices(words, k=20000))[:100000],
         "64 KiB of random bytes": rng.randbytes(65536)}
for name, data in cases.items():
    send(kind="calling", what="zpack.decompress(zpack.compress(%s))" % name)
    report = {"kind": "round", "name": name, "size": len(data)}
    try:
        packed = zpack.compress(data)
        report["back"] = zpack.decompress(packed) == data
        report["zlib_reads_it"] = zlib.decompress(packed) == data
        report["reads_zlib"] = zpack.decompress(zlib.compress(data)) == data
    except BaseException as ex:
        report["error"] = "%s: %s" % (type(ex).__name__, ex)
    send(**report)
"""


def run(c):
    require_clean_machine(c)
    wheels = regular_files(c, WHEELHOUSE, ".whl")
    if not wheels:
        c.failed(T_CLEAN, "Not run: no wheel reached the clean machine (the first stage handed over "
                          "nothing in %s/)." % WHEELHOUSE)
        return
    wheel = wheels[0]
    c.note("This machine has Python and pip, and no cc, gcc, clang, ld or Python.h. Now: a fresh "
           "virtual environment, the wheel installed into it, and an import from an empty folder.",
           style=DIM)
    venv = c.step("venv", ["python3", "-m", "venv", "--without-pip", VENV], timeout=30)
    install = None
    if venv.ok:
        # The venv has no pip of its own (that needs Debian's python3-venv); the system's pip
        # installs into it with --python, exactly as the venv's own pip would.
        install = c.step("pip install", ["python3", "-m", "pip", "--python", VENV + "/bin/python",
                                         "install", "--no-index", "--no-cache-dir",
                                         "--disable-pip-version-check",
                                         "%s/%s" % (WHEELHOUSE, wheel)], timeout=60)
    probe = None
    if install is not None and install.ok:
        c.write_file(ELSEWHERE + "/.empty", b"")
        probe = c.step("import", [os.path.join(c.workdir, VENV, "bin", "python"), "-I", "-c", PROBE],
                       cwd=ELSEWHERE, channel=True, timeout=30,
                       echo="cd %s && ../%s/bin/python -I -c '<import zpack, round trips>'"
                            % (ELSEWHERE, VENV))
    judge(c, wheel, venv, install, probe)


def require_clean_machine(c):
    """A compiler or Python.h here is a fault of the lab's image: the check stops with an error."""
    found = [tool for tool in TOOLS if shutil.which(tool, path=CHILD_PATH)]
    headers = [path for path in (os.path.join(sysconfig.get_paths()["include"], "Python.h"),
                                 "/usr/include/zlib.h") if os.path.exists(path)]
    if found or headers:
        raise RuntimeError("this is not a clean machine: it has %s" % ", ".join(found + headers))


def regular_files(c, folder, suffix):
    path = os.path.join(c.workdir, folder)
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return []
    return [name for name in names if name.endswith(suffix)
            and stat.S_ISREG(os.lstat(os.path.join(path, name)).st_mode)]


def judge(c, wheel, venv, install, probe):
    with c.test(T_CLEAN) as t:
        if not venv.ok:
            t.output = venv.output
            raise RuntimeError("python3 -m venv failed on the clean machine: " + venv.describe())
        if not install.ok:
            t.output = install.output
            t.fail("`pip install --no-index %s` %s on the clean machine.%s"
                   % (wheel, install.describe(), install_hint(install.output)))
        t.output = probe.output
        messages = [m for m in probe.messages if isinstance(m, dict)]
        imported = next((m for m in messages if m.get("kind") == "import"), None)
        env = next((m for m in messages if m.get("kind") == "env"), {})
        if imported is None:
            last = [m.get("what") for m in messages if m.get("kind") == "calling"]
            t.fail("The clean machine's Python %s%s." % (
                probe.describe(), " while it ran %s" % last[-1] if last else ""))
        if imported.get("error"):
            t.fail("import zpack failed on the clean machine: %s%s"
                   % (imported["error"], import_hint(imported["error"])))
        site = os.path.join(c.workdir, VENV, "lib")
        where = imported.get("file") or ""
        t.expect(where.startswith(site + "/"),
                 "zpack was imported from %s, not from the virtual environment the wheel was "
                 "installed into." % where)
        t.expect(env.get("isolated") and env.get("prefix") != env.get("base_prefix"),
                 "The checker's import did not run isolated in the venv (a fault of the check).")
        rounds = [m for m in messages if m.get("kind") == "round"]
        if len(rounds) < 2:
            t.fail("The round trips on the clean machine did not finish: the process %s."
                   % probe.describe())
        for r in rounds:
            if r.get("error"):
                t.fail("On the clean machine zpack raised %s on %s." % (r["error"], r["name"]))
            t.expect(r.get("back"), "On the clean machine zpack.decompress(zpack.compress(%s)) did "
                     "not give back the input." % r["name"])
            t.expect(r.get("zlib_reads_it") and r.get("reads_zlib"),
                     "On the clean machine zpack and Python's zlib module could not read each "
                     "other's data (%s)." % r["name"])
        t.message = ("pip --no-index installed %s into a fresh venv on a machine with no compiler "
                     "and no Python.h; `python -I` imported zpack from %s/ and round-tripped %s."
                     % (wheel, os.path.relpath(os.path.dirname(where), c.workdir),
                        " and ".join(r["name"] for r in rounds)))


def install_hint(output):
    if "No matching distribution found" in output or "Could not find a version" in output:
        return (" The wheel declares a dependency (dependencies in pyproject.toml) that is not "
                "here: a clean machine without network has only the wheel. zpack needs nothing "
                "but zlib's shared library: declare no dependency it does not import.")
    if "is not a supported wheel on this platform" in output:
        return " The wheel's tags do not match this Python (cp313, x86_64 Linux with glibc)."
    return ""


def import_hint(error):
    if "undefined symbol" in error:
        return (". The extension was linked without a library it calls: add it to libraries= "
                "in setup.py (here: libraries=[\"z\"]).")
    if re.search(r"\w\.h\b|/usr/include", error):
        return (". The module reads a header file when it is imported, and a machine without "
                "zlib's development files has no headers. The version of zlib.h that zpack was "
                "compiled against is the ZLIB_VERSION macro: it is built into the module, so "
                "compare zlibVersion() with ZLIB_VERSION itself.")
    if "cannot open shared object file" in error:
        return (". The module needs a library that exists only on the build machine. `auditwheel "
                "repair` copies into the wheel the libraries it links that are not on the "
                "manylinux allow list, but not one it opens by name at run time (dlopen) or a "
                "file it reads.")
    return (". It imported in the build container, so it needs something that only a build "
            "machine has (a compiler, a header, a development library).")
