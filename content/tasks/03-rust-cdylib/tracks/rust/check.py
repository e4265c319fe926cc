"""Check for task 3 (rust track): a Rust cdylib exporting rust_add and rust_sum, called from C
and from Python.

Runs in the harness's trusted process (docs/writing-a-check.md). The student's lib.rs is placed
at src/lib.rs beside their Cargo.toml and built with `cargo build --release` (offline: the image's
cargo config swaps crates.io for Debian's vendored crates). What the library exports is read with
nm, a tool that only reads the file. The library is then called by two hidden drivers, a C program
linked against it and a ctypes script, each in its own process; the cases are decided here, sent
on the drivers' stdin, and the answers they report on their channel are judged here. The NULL case
runs in a process of its own, so that its crash cannot hide the other results.
"""

import json
import os
import random

BUILD = "crate builds as a cdylib"
EXPORTS = "exports rust_add and rust_sum"
LINKS = "C program links against the library"
C_ADD = "C: rust_add"
C_SUM = "C: rust_sum"
C_NULL = "C: rust_sum(NULL, n) returns 0"
PY_ADD = "Python: rust_add"
PY_SUM = "Python: rust_sum"
FUNCTIONS = ("rust_add", "rust_sum")

ADD_CASES = [(2, 3), (-7, 4), (0, 0), (2147483000, 600), (-2147483000, -600)]
NULL_LENGTHS = [0, 4, 1000]

# Compiler messages name the file as the student knows it: lib.rs, not src/lib.rs.
RUSTFLAGS = "--remap-path-prefix=src/="

DIM = "\x1b[2m"


def sum_cases():
    rng = random.Random(3)
    return [
        [1, 2, 3, 4],
        [],
        [2147483647, 2147483647, 2147483647],
        [-2147483648, -2147483648, 5],
        [rng.randint(1_000_000_000, 2147483647) for _ in range(10_000)],
        [rng.randint(-2147483648, 2147483647) for _ in range(10_000)],
    ]


def run(c):
    names = [BUILD, EXPORTS, LINKS, C_ADD, C_SUM, C_NULL, PY_ADD, PY_SUM]

    library = build(c)
    if library is None:
        for name in names[1:]:
            c.skip(name, "the crate did not build a shared library.", group=group_of(name))
        return
    check_exports(c, library)
    linked = link_c_program(c, library)

    adds = [case("rust_add", list(pair)) for pair in ADD_CASES]
    sums = [case("rust_sum", values) for values in sum_cases()]
    if linked:
        c.note("The checker now calls your library from a C program.", style=DIM)
        main = Driver(c.step("C program", ["./c_main"], timeout=20, channel=True,
                             stdin=c_input(adds + sums)))
        judge_all(c, C_ADD, main, adds, "C ")
        judge_all(c, C_SUM, main, sums, "C ")
        c.note("... and once more with a null pointer, in a process of its own.", style=DIM)
        nulls = [case("null", n) for n in NULL_LENGTHS]
        null_run = Driver(c.step("C program, NULL", ["./c_main"], timeout=20, channel=True,
                                 stdin=c_input(nulls)))
        judge_null(c, null_run, nulls)
    else:
        for name in (C_ADD, C_SUM, C_NULL):
            c.skip(name, "the C program could not be linked against your library (see '%s')."
                   % LINKS)

    c.note("The checker now loads your library with Python's ctypes.", style=DIM)
    py = Driver(c.step("Python ctypes", ["python3", "probe_ctypes.py", library.path], timeout=20,
                       channel=True, stdin=py_input(adds + sums)))
    for name, cases in ((PY_ADD, adds), (PY_SUM, sums)):
        with c.test(name) as t:
            load = py.first("load")
            if load is None:
                py.ended_early(t, "the Python driver")
            t.expect(not load.get("error"), "ctypes could not load %s: %s"
                     % (library.path, load.get("error")), output=py.step.output)
            function = cases[0]["function"]
            t.expect(py.symbols.get(function, False),
                     "ctypes found no %s in %s: the library does not export it under that name "
                     "(see '%s')." % (function, library.path, EXPORTS))
            judge(t, py, cases, "Python ", "the Python driver")


def group_of(name):
    return "Build" if name in (BUILD, EXPORTS, LINKS) else "Tests"


# -- building -------------------------------------------------------------------------------


class Library:
    def __init__(self, file_name):
        self.file_name = file_name  # librustffi.so
        self.path = "target/release/" + file_name
        self.link_name = file_name[len("lib"):-len(".so")]  # rustffi, for -l


def build(c):
    """Lays out the crate, runs cargo, finds the shared library; records BUILD. None on failure."""
    source = c.read_bytes("lib.rs")
    if source is None:
        c.failed(BUILD, "lib.rs is missing.", group="Build")
        return None
    c.write_file("src/lib.rs", source)
    c.note("The checker placed lib.rs at src/lib.rs, where Cargo looks for a library crate's "
           "root; compiler messages still say lib.rs.", style=DIM)
    result = c.step("cargo build", ["cargo", "build", "--release"], timeout=120,
                    env={"RUSTFLAGS": RUSTFLAGS, "CARGO_TERM_PROGRESS_WHEN": "never"})
    if not result.ok:
        message = "`cargo build --release` %s." % result.describe()
        if result.exit_code == 101:
            message += (" Cargo or the compiler reported an error: the first `error` line in the "
                        "output above says what and where (lib.rs:LINE or Cargo.toml).")
            message += build_advice(result.output)
        c.failed(BUILD, message, output=result.output, group="Build")
        return None

    artifacts = release_files(c)
    shared = sorted(n for n in artifacts if n.startswith("lib") and n.endswith(".so"))
    if shared:
        library = Library(shared[0])
        c.passed(BUILD, "cargo built %s." % library.path, group="Build")
        return library

    rlibs = [n for n in artifacts if n.endswith(".rlib")]
    statics = [n for n in artifacts if n.endswith(".a")]
    made = ", ".join("target/release/" + n for n in rlibs + statics) or "no library file at all"
    message = ("`cargo build --release` finished without an error, but it made no shared library "
               "(no target/release/lib*.so); it made %s." % made)
    if rlibs:
        message += (" A .rlib is a Rust-only library: only other Rust crates can use it, and C "
                    "or ctypes cannot load it.")
    if statics:
        message += (" A .a (crate-type \"staticlib\") is linked into a program when it is built; "
                    "ctypes cannot load it at run time.")
    message += (" Ask Cargo for a C-compatible shared library: in Cargo.toml, under [lib], put "
                "crate-type = [\"cdylib\"].")
    c.failed(BUILD, message, output=result.output, group="Build")
    return None


def build_advice(output):
    if "unsafe attribute used without unsafe" in output:
        return (" In edition 2024 #[no_mangle] must be written #[unsafe(no_mangle)] (an exported "
                "name can clash with any other symbol in the process); the starter's "
                "edition = \"2021\" accepts both spellings.")
    if "no matching package named" in output:
        return (" Runs have no network: the only crates available are the ones installed in the "
                "lab's image (libc and cc, with their own dependencies). This task needs none.")
    return ""


def release_files(c):
    """The regular files directly in target/release (read here, without following links)."""
    try:
        names = os.listdir(os.path.join(c.workdir, "target", "release"))
    except OSError:
        return []
    return [n for n in names if c.exists("target/release/" + n)]


def check_exports(c, library):
    """Records EXPORTS from nm's list of the library's dynamic symbols."""
    listing = c.step("nm", ["nm", "-D", "--defined-only", library.path], timeout=20)
    found = set()
    for line in listing.output.splitlines():
        parts = line.split()
        # "0000000000001100 T rust_add": code (T), weak (W) or an indirect function (i).
        if len(parts) == 3 and parts[1] in ("T", "W", "i"):
            found.add(parts[2].split("@")[0])
    with c.test(EXPORTS, group="Build") as t:
        t.output = listing.output
        t.expect(listing.ok, "`%s` %s." % (listing.command, listing.describe()))
        missing = [f for f in FUNCTIONS if f not in found]
        t.expect(not missing,
                 "%s does not export %s: `nm -D` lists the names a shared library offers to C, "
                 "and %s not among them. A Rust function gets a mangled name (something like "
                 "_ZN7rustffi8rust_add17h...E) and stays private to the library unless it is "
                 "marked #[no_mangle]; extern \"C\" alone only sets the calling convention. Put "
                 "#[no_mangle] on the line above each pub extern \"C\" fn."
                 % (library.path, " and ".join(missing), "it is" if len(missing) == 1 else
                    "they are"))


def link_c_program(c, library):
    release = os.path.join(c.workdir, "target", "release")
    result = c.step("link C", ["cc", "-Wall", "-o", "c_main", "c_main.c", "-L", "target/release",
                               "-l" + library.link_name, "-Wl,-rpath," + release], timeout=30)
    with c.test(LINKS, group="Build") as t:
        t.output = result.output
        if result.ok:
            return True
        missing = [f for f in FUNCTIONS if "undefined reference to `%s'" % f in result.output]
        if missing:
            t.fail("The linker found no %s in %s, so the C program's calls have nothing to bind "
                   "to (see '%s')." % (" and no ".join(missing), library.path, EXPORTS))
        t.fail("`%s` %s." % (result.command, result.describe()))
    return False


# -- cases ----------------------------------------------------------------------------------


SHOWN = {}  # case id -> the call as the student reads it, e.g. "rust_add(2, 3)"


def case(function, args):
    made = make_case(len(SHOWN), function, args)
    SHOWN[made["id"]] = made["shown"]
    return made


def make_case(n, function, args):
    if function == "rust_add":
        return {"id": n, "function": function, "args": args, "expected": args[0] + args[1],
                "shown": "rust_add(%d, %d)" % tuple(args)}
    if function == "null":
        return {"id": n, "function": function, "args": args, "expected": 0,
                "shown": "rust_sum(NULL, %d)" % args}
    if len(args) <= 4:
        shown = "rust_sum({%s}, %d)" % (", ".join(str(v) for v in args), len(args))
    else:
        low, high = min(args), max(args)
        shown = "rust_sum(<%d ints from %d to %d>, %d)" % (len(args), low, high, len(args))
    return {"id": n, "function": function, "args": args, "expected": sum(args), "shown": shown}


def c_input(cases):
    lines = []
    for item in cases:
        if item["function"] == "rust_add":
            lines.append("add %d %d %d" % (item["id"], item["args"][0], item["args"][1]))
        elif item["function"] == "null":
            lines.append("null %d %d" % (item["id"], item["args"]))
        else:
            values = item["args"]
            lines.append("sum %d %d %s" % (item["id"], len(values), " ".join(map(str, values))))
    return "\n".join(lines) + "\n"


def py_input(cases):
    return json.dumps([{"id": x["id"], "function": x["function"], "args": x["args"]}
                       for x in cases])


class Driver:
    """What one driver process reported on its channel."""

    def __init__(self, step):
        self.step = step
        self.last_call = None
        self.results = {}
        self.by_kind = {}
        self.symbols = {}
        self.duplicates = set()
        for message in step.messages:
            if not isinstance(message, dict):
                continue
            kind = message.get("kind")
            if kind == "calling":
                self.last_call = message.get("id")
            elif kind == "result":
                # The driver reports each case once; a second report can only have been written
                # by the library's code, which runs inside the driver's process.
                if message.get("id") in self.results:
                    self.duplicates.add(message.get("id"))
                self.results[message.get("id")] = message
            elif kind == "symbol":
                self.symbols[message.get("name")] = bool(message.get("present"))
            else:
                self.by_kind.setdefault(kind, []).append(message)

    def finished(self):
        """It exited normally after reporting every case ("done" is its last message)."""
        return self.step.ok and self.first("done") is not None

    def first(self, kind):
        found = self.by_kind.get(kind)
        return found[0] if found else None

    def ended_early(self, t, who):
        t.output = self.step.output
        where = ""
        if self.last_call == "load":
            where = " while loading the library"
        elif self.last_call is not None:
            where = " while calling %s" % SHOWN.get(self.last_call, "your library")
        who = who[0].upper() + who[1:]
        if self.step.ok:
            t.fail("%s stopped early%s, although its process exited with code 0: something in "
                   "the library ended the process (std::process::exit, for example)." % (who, where))
        t.fail("%s could not finish%s: its process %s.%s"
               % (who, where, self.step.describe(), crash_advice(self.step)))


def crash_advice(step):
    if step.signal_name in ("SIGABRT", "SIGILL") or step.exit_code == 134:
        return (" A Rust panic cannot unwind out of an extern \"C\" function, so Rust aborts the "
                "whole process instead: the panic message is in the output.")
    if step.signal_name == "SIGSEGV" or step.exit_code == 139:
        return " Your Rust code read or wrote memory through an invalid pointer."
    return ""


def wrapped_to_i32(value):
    return (value + 2**31) % 2**32 - 2**31


TAMPERED = ("The checker received more than one answer for %s: something inside the process wrote "
            "into the checker's private channel. Only the driver may report results.")


def judge(t, driver, cases, prefix, who):
    """Fails t on the first case with a wrong or missing answer, or when the driver did not end
    normally (a report followed by a crash does not count)."""
    for item in cases:
        got = driver.results.get(item["id"])
        if got is None:
            driver.ended_early(t, who)
        t.expect(item["id"] not in driver.duplicates, TAMPERED % (prefix + item["shown"]),
                 output=driver.step.output)
        if got.get("error"):
            t.fail("%s%s raised %s" % (prefix, item["shown"], got["error"]),
                   output=driver.step.output)
        value, expected = got.get("value"), item["expected"]
        if value == expected:
            continue
        message = "%s%s returned %s; expected %d." % (prefix, item["shown"], value, expected)
        if (item["function"] == "rust_sum" and isinstance(value, int)
                and value == wrapped_to_i32(expected) and expected != value):
            message += (" That is the right sum wrapped around to 32 bits: the values were added "
                        "up as i32 (which silently wraps in a release build) and widened only at "
                        "the end. Widen each value to i64 before adding, e.g. i64::from(x).")
        t.fail(message, output=driver.step.output)
    if not driver.finished():
        driver.ended_early(t, who)


def judge_all(c, name, driver, cases, prefix):
    with c.test(name) as t:
        judge(t, driver, cases, prefix, "the C program")


def judge_null(c, driver, cases):
    with c.test(C_NULL) as t:
        t.output = driver.step.output
        for item in cases:
            got = driver.results.get(item["id"])
            if got is None:
                if not driver.step.crashed:
                    driver.ended_early(t, "the C program")
                crashed_in = SHOWN.get(driver.last_call, "rust_sum(NULL, n)")
                if driver.step.signal_name == "SIGSEGV" or driver.step.exit_code == 139:
                    why = ("rust_sum passed the null pointer on to std::slice::from_raw_parts, "
                           "whose contract says the pointer is never null (not even for an empty "
                           "slice), and reading that \"slice\" read memory at address 0.")
                else:
                    why = crash_advice(driver.step).strip()
                t.fail("The C program %s inside %s. %s A C caller may well pass NULL: rust_sum "
                       "must check ptr.is_null() first and return 0, without crashing or "
                       "panicking." % (driver.step.describe(), crashed_in, why))
            t.expect(item["id"] not in driver.duplicates, TAMPERED % ("C " + item["shown"]))
            t.expect(got.get("value") == 0, "C %s returned %s; for a null pointer rust_sum must "
                     "return 0." % (item["shown"], got.get("value")))
        if not driver.finished():
            driver.ended_early(t, "the C program")
