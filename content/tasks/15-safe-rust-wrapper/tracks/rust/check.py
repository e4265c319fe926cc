"""Check for task 15 (rust track): a safe Rust wrapper over libctx, tested normally and under ASan.

Runs in the harness's trusted process (docs/writing-a-check.md). The lab's package (hidden) makes
the student's lib.rs the library crate `ctxwrap` (Cargo.toml: `[lib] path = "lib.rs"`, so messages
already say lib.rs:LINE) and adds tests/wrapper.rs, whose first line is #![forbid(unsafe_code)]:
that file compiling against lib.rs is the static proof that callers need no unsafe.

The C library (ctx.c, hidden) is compiled here twice: plainly for the normal build, and with
clang -fsanitize=address for the AddressSanitizer build. The Rust side of the ASan build follows
design.md: RUSTC_BOOTSTRAP=1 with -Zsanitizer=address -Zexternal-clangrt, clang as the linker with
-fsanitize=address (it brings the runtime), and an explicit --target so that the flags reach only
the crate and its tests, not build.rs. std is not rebuilt (it is not instrumented; ASan still
intercepts every malloc and free).

Every test runs in a process of its own (`wrapper --exact NAME`), so one crash or sanitizer abort
cannot hide another result. A test passes only when its process exited 0 after the test reported
"done" on the channel; failures come with the test's own message. ASan and LeakSanitizer reports
are sent raw with c.report("asan", ...) for the server's parser, and judged here by their kind.
"""

import os
import re

BUILDS = "lib.rs compiles"
NO_UNSAFE = "callers need no unsafe"
VALUES = "run returns ctx_do's results"
ERRORS = "negative codes become Err"
NULL = "null from ctx_new becomes an Err"
DROPS = "dropping a Ctx frees it"
ONCE = "frees each context exactly once (ASan)"
LEAKS = "no leak (LeakSanitizer)"

# Hidden test function -> the test it decides in the normal build.
NORMAL = [("values", VALUES), ("errors", ERRORS), ("null", NULL), ("drop_frees", DROPS)]
UNDER_ASAN = ["values", "errors", "null", "drop_frees", "copies"]

DIM = "\x1b[2m"
TARGET = "x86_64-unknown-linux-gnu"
CARGO_ENV = {"CARGO_TERM_PROGRESS_WHEN": "never", "CARGO_TERM_COLOR": "always"}
ASAN_ENV = {
    "RUSTC_BOOTSTRAP": "1",
    "RUSTFLAGS": "-Zsanitizer=address -Zexternal-clangrt -Clinker=clang "
                 "-Clink-arg=-fsanitize=address -Cforce-frame-pointers=yes "
                 "-Csymbol-mangling-version=v0 -Awarnings",
    "CTX_LIB": "ctx_asan",
}
ASAN_RUN_ENV = {
    "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:halt_on_error=1:symbolize=1:"
                    "print_summary=1:exitcode=1",
    "LSAN_OPTIONS": "report_objects=0",
}

ASAN_ERROR = re.compile(r"==\d+==ERROR: AddressSanitizer: ([\w-]+(?: [\w-]+)?)")
LSAN_ERROR = re.compile(r"==\d+==ERROR: LeakSanitizer: detected memory leaks")
FRAME = re.compile(r"#\d+ 0x[0-9a-f]+ in (.+?) (\S+?):(\d+)(?::\d+)?$")
PANIC = re.compile(r"panicked at ([^\n]+?):\n(.*)")


# The student's file as sanitizer reports name it (set by run()); libtest has a lib.rs too.
STUDENT_FILE = ("/work/lib.rs", "lib.rs")


def run(c):
    global STUDENT_FILE
    STUDENT_FILE = (os.path.join(c.workdir, "lib.rs"), "lib.rs")
    if not build_c(c, "ctx.o", "libctx.a", ["cc", "-c", "-O1", "-g", "-fPIC", "-Wall"]):
        fault = "the lab's C library did not build. This is a fault of the task, not of your code."
        for name, group in all_tests():
            c.skip(name, fault, group=group)
        return
    tests_binary = build_rust(c)
    if tests_binary is None:
        for name, group in all_tests()[2:]:
            c.skip(name, "the hidden tests could not be built (see the Build tests).", group=group)
        return

    c.note("The checker now runs its tests, each in a process of its own.", style=DIM)
    for function, name in NORMAL:
        judge_normal(c, name, run_test(c, tests_binary, function, env=None))

    c.note("The same tests (and one about copies) once more, with AddressSanitizer and "
           "LeakSanitizer watching every malloc and free.", style=DIM)
    asan_binary = build_asan(c)
    if asan_binary is None:
        for name in (ONCE, LEAKS):
            c.skip(name, "the AddressSanitizer build failed (see its output above).",
                   group="Memory")
        return
    runs = {function: run_test(c, asan_binary, function, env=ASAN_RUN_ENV, asan=True)
            for function in UNDER_ASAN}
    judge_memory(c, runs)


def all_tests():
    return [(BUILDS, "Build"), (NO_UNSAFE, "Build"), (VALUES, "Tests"), (ERRORS, "Tests"),
            (NULL, "Tests"), (DROPS, "Tests"), (ONCE, "Memory"), (LEAKS, "Memory")]


# -- building -------------------------------------------------------------------------------


def build_c(c, obj, archive, compile_argv):
    compiled = c.step("compile ctx.c", compile_argv + ["-o", obj, "ctx.c"], timeout=30)
    return compiled.ok and c.step("archive", ["ar", "rcs", archive, obj], timeout=30).ok


def plain(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def build_rust(c):
    """Builds lib.rs, then the hidden tests; records BUILDS and NO_UNSAFE. The tests' binary."""
    lib = c.step("cargo build", ["cargo", "build", "--lib"], timeout=90, env=CARGO_ENV)
    if not lib.ok:
        message = "`%s` %s." % (lib.command, lib.describe())
        if lib.exit_code == 101:
            message += (" The first `error` line in the output says what is wrong and where "
                        "(lib.rs:LINE).")
        output = plain(lib.output)
        if "E0184" in output:
            message += (" A type with a destructor cannot be Copy: Copy means \"duplicate by "
                        "copying the bytes\", and two copies would both run Drop.")
        if "no matching package named" in output:
            message += " Runs have no network, and this task needs no crate beyond std."
        c.failed(BUILDS, message, output=lib.output, group="Build")
        c.skip(NO_UNSAFE, "lib.rs did not compile.", group="Build")
        return None
    c.passed(BUILDS, group="Build")

    # -Awarnings: lib.rs's warnings were shown by the build above; this one rebuilds it anyway.
    env = dict(CARGO_ENV, RUSTFLAGS="-Awarnings")
    tests = c.step("cargo test --no-run", ["cargo", "test", "--no-run", "--test", "wrapper"],
                   timeout=90, env=env, echo="RUSTFLAGS=-Awarnings cargo test --no-run --test wrapper")
    if not tests.ok:
        c.failed(NO_UNSAFE, no_unsafe_message(tests), output=tests.output, group="Build")
        return None
    binary = test_binary(c, tests.output, os.path.join("target", "debug", "deps"))
    if binary is None:
        c.failed(NO_UNSAFE, "`cargo test --no-run` succeeded, but the checker found no test "
                 "program in target/debug/deps.", output=tests.output, group="Build")
        return None
    c.passed(NO_UNSAFE, "The hidden tests start with #![forbid(unsafe_code)] and compiled "
             "against your wrapper.", group="Build")
    return binary


def no_unsafe_message(step):
    output = plain(step.output)
    if "E0133" in output or "requires unsafe" in output:
        return ("The hidden tests, which start with #![forbid(unsafe_code)], could not call your "
                "wrapper without `unsafe`: a public function of lib.rs is an `unsafe fn`. A safe "
                "wrapper checks everything the C functions require itself (a non-null, live "
                "pointer), so its functions can be plain `pub fn`s with the unsafe blocks inside.")
    if "unsafe" in output and "forbid" in output:
        return ("The hidden tests are #![forbid(unsafe_code)], and compiling them needed unsafe "
                "code: something in the wrapper's public API requires it.")
    return ("lib.rs compiles, but the hidden tests do not compile against it (`%s` %s). They use "
            "`Ctx::new()` returning Result<Ctx, E> (E: Debug) or Option<Ctx>, and "
            "`ctx.run(x: i32) -> Result<i32, i32>`: keep those signatures. The first `error` in "
            "the output says what did not fit." % (step.command, step.describe()))


def test_binary(c, output, deps):
    """The path of the hidden tests' program, from cargo's "Executable" line or the deps folder."""
    match = re.search(r"Executable tests/wrapper\.rs \(([^)\s]+)\)", plain(output))
    if match and c.exists(match.group(1)):
        return match.group(1)
    try:
        names = sorted(os.listdir(os.path.join(c.workdir, deps)))
    except OSError:
        return None
    for name in names:
        path = os.path.join(deps, name)
        if name.startswith("wrapper-") and "." not in name and c.exists(path):
            return path
    return None


def build_asan(c):
    if not build_c(c, "ctx_asan.o", "libctx_asan.a",
                   ["clang", "-c", "-O1", "-g", "-fPIC", "-fsanitize=address",
                    "-fno-omit-frame-pointer"]):
        return None
    env = dict(CARGO_ENV)
    env.update(ASAN_ENV)
    step = c.step("cargo test --no-run (ASan)",
                  ["cargo", "test", "--no-run", "--test", "wrapper", "--target", TARGET],
                  timeout=90, env=env,
                  echo="RUSTC_BOOTSTRAP=1 RUSTFLAGS='%s' CTX_LIB=ctx_asan cargo test --no-run "
                       "--test wrapper --target %s" % (ASAN_ENV["RUSTFLAGS"], TARGET))
    if not step.ok:
        return None
    return test_binary(c, step.output, os.path.join("target", TARGET, "debug", "deps"))


# -- running --------------------------------------------------------------------------------


class TestRun:
    """One hidden test in its own process: how it ended and what it reported."""

    def __init__(self, function, step):
        self.function = function
        self.step = step
        self.last_call = None
        self.fail_message = None
        self.done = False
        for message in step.messages:
            if not isinstance(message, dict):
                continue
            kind = message.get("kind")
            if kind == "calling":
                self.last_call = message.get("what")
            elif kind == "fail" and self.fail_message is None:
                self.fail_message = str(message.get("message"))
            elif kind == "done":
                self.done = True
        text = plain(step.output)
        self.asan_errors = [asan_kind(m.group(1)) for m in ASAN_ERROR.finditer(text)]
        self.leaks = LSAN_ERROR.search(text) is not None

    @property
    def passed(self):
        return self.step.ok and self.done and self.fail_message is None

    @property
    def finished_under_asan(self):
        """Passed, or passed and then LeakSanitizer made the exit code 1 (judged separately)."""
        if self.done and self.fail_message is None and not self.asan_errors:
            return self.step.ok or (self.step.exit_code == 1 and self.leaks)
        return False

    def panic(self):
        """The first panic message in the output (student code may print anything: shown only)."""
        match = PANIC.search(plain(self.step.output))
        if not match:
            return None
        return "%s (at %s)" % (match.group(2).strip()[:300], match.group(1))

    def problem(self):
        """A message saying why the test did not pass, for the student."""
        where = " during %s" % self.last_call if self.last_call else ""
        if self.fail_message:
            return self.fail_message
        if self.step.timed_out or self.step.not_run or self.step.oom_killed:
            return "The test %s%s." % (self.step.describe(), where)
        if self.step.crashed:
            return "The test's process %s%s." % (self.step.describe(), where)
        if self.step.exit_code == 101:
            panic = self.panic()
            return "The test panicked%s%s." % (where, ": " + panic if panic else "")
        if self.step.ok:
            return ("The test's process exited with code 0%s before the test finished: something "
                    "in lib.rs ended the process (std::process::exit, for example)." % where)
        return "The test's process %s%s." % (self.step.describe(), where)


def run_test(c, binary, function, env, asan=False):
    step = c.step("%s%s" % (function, " (ASan)" if asan else ""),
                  ["./" + binary, "--exact", function, "--nocapture", "--test-threads=1"],
                  timeout=30, env=env, channel=True,
                  echo="%swrapper --exact %s" % ("ASAN_OPTIONS=... " if asan else "", function))
    return TestRun(function, step)


# -- judging --------------------------------------------------------------------------------


def judge_normal(c, name, test):
    with c.test(name) as t:
        t.output = test.step.output
        if test.passed:
            return
        message = test.problem()
        if name == NULL and not test.fail_message:
            if test.step.exit_code == 101 and test.last_call and "NULL" in test.last_call:
                message = ("Ctx::new() panicked when ctx_new returned NULL (all 16 contexts were "
                           "in use)%s. A null pointer from C is an ordinary failure the caller "
                           "must be able to handle: check it (raw.is_null(), or NonNull::new) and "
                           "return Err, instead of unwrap/expect."
                           % (": " + test.panic() if test.panic() else ""))
            elif test.step.crashed:
                message += (" The wrapper used the null pointer ctx_new returned: check it before "
                            "wrapping it in a Ctx, and return Err.")
        t.fail(message)


def judge_memory(c, runs):
    reported = set()

    def send_reports(run, test_name):
        for report in sanitizer_reports(run.step.output):
            key = (run.function, report[:200])
            if key not in reported:
                reported.add(key)
                c.report("asan", report, test=test_name)

    with c.test(ONCE, group="Memory") as t:
        bad = [r for r in runs.values() if r.asan_errors]
        for run in bad:
            send_reports(run, ONCE)
        if bad:
            run = bad[0]
            t.output = run.step.output
            kind = run.asan_errors[0]
            record_finding(c, "asan", kind, run)
            t.fail("AddressSanitizer stopped the checker's test `%s` with a %s%s%s.%s"
                   % (run.function, kind, where_in_lib(run.step.output),
                      ", while the test was busy with %s" % run.last_call if run.last_call else "",
                      kind_advice(kind)))
        copies = runs["copies"]
        if not copies.finished_under_asan:
            t.output = copies.step.output
            t.fail("The checker's test of moved and cloned contexts did not finish under "
                   "AddressSanitizer: %s" % copies.problem())
        t.message = ("No double free, use after free or invalid free in %d test runs."
                     % len(runs))

    with c.test(LEAKS, group="Memory") as t:
        leaking = [r for r in runs.values() if r.leaks]
        for run in leaking:
            send_reports(run, LEAKS)
        ctx_leaks = [r for r in leaking if "in ctx_new" in plain(r.step.output)]
        if ctx_leaks:
            run = ctx_leaks[0]
            t.output = run.step.output
            counts = re.findall(r"(Direct|Indirect) leak of (\d+) byte\(s\) in (\d+) object",
                                plain(run.step.output))
            objects = sum(int(n) for kind, _, n in counts if kind == "Direct")
            record_finding(c, "lsan", "leak", run)
            t.fail("LeakSanitizer found %s allocated by ctx_new and never freed when the checker's "
                   "test `%s` ended (tests with leaks: %s). Every context ctx_new made must be "
                   "given back with ctx_free exactly once: implement Drop for Ctx and call "
                   "ctx_free there."
                   % ("%d context(s)" % objects if objects else "contexts", run.function,
                      ", ".join(r.function for r in ctx_leaks)))
        checked = [r for r in runs.values() if r.step.exit_code in (0, 101) and not r.asan_errors]
        if not checked:
            t.fail("No test ran to its end under AddressSanitizer, so LeakSanitizer (which looks "
                   "when a process exits) had nothing to check; see '%s'." % ONCE)
        t.message = "LeakSanitizer checked %d test run(s) at exit." % len(checked)


def sanitizer_reports(output):
    """The raw ASan/LSan reports in a process's output, each from its ==== line to SUMMARY."""
    text = plain(output)
    reports = []
    for match in re.finditer(r"(?:=+\n)?==\d+==ERROR: (?:AddressSanitizer|LeakSanitizer):", text):
        end = text.find("SUMMARY: ", match.end())
        end = len(text) if end < 0 else text.find("\n", end) + 1 or len(text)
        reports.append(text[match.start():end])
    return reports


FINDING_KINDS = {"double-free": "double-free", "heap-use-after-free": "use-after-free",
                 "bad-free": "invalid-free", "leak": "leak"}


def record_finding(c, tool, kind, run):
    """The error as a finding at its first frame in lib.rs (the server also parses the raw
    report; a finding of the same tool and kind at the same place is shown once)."""
    ours = FINDING_KINDS.get(kind)
    if ours is None:
        return
    frame = first_lib_frame(run.step.output)
    words = {"double-free": "a context freed twice", "use-after-free": "a context used after it "
             "was freed", "invalid-free": "a free of a pointer ctx_new did not return",
             "leak": "contexts from ctx_new that were never freed"}[ours]
    c.finding(tool, ours, "%s (checker's test `%s`)" % (words, run.function),
              frames=[frame] if frame else [])


def first_lib_frame(output):
    for line in plain(output).splitlines():
        match = FRAME.search(line.strip())
        if match and match.group(2) in STUDENT_FILE:
            return {"file": match.group(2), "line": int(match.group(3)),
                    "function": readable(match.group(1))}
    return None


def where_in_lib(output):
    """' in <ctxwrap::Ctx as Drop>::drop (lib.rs:58)': the report's first frame in lib.rs."""
    for line in plain(output).splitlines():
        match = FRAME.search(line.strip())
        if match and match.group(2) in STUDENT_FILE:
            return " in %s (lib.rs:%s)" % (readable(match.group(1)), match.group(3))
    return ""


def readable(symbol):
    """A Rust symbol as the report shows it, made shorter: no hash, no legacy $..$ escapes."""
    symbol = re.sub(r"::h[0-9a-f]{16}$", "", symbol)
    for escaped, char in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$RF$", "&"),
                          ("$C$", ","), ("$BP$", "*"), ("$u7b$", "{"), ("$u7d$", "}"), ("..", "::")):
        symbol = symbol.replace(escaped, char)
    return symbol.lstrip("_") if symbol.startswith("_<") else symbol


def asan_kind(words):
    """'attempting double-free' -> 'double-free', 'heap-use-after-free on' -> 'heap-use-after-free'."""
    words = words.split()
    if words[0] == "attempting" and len(words) > 1:
        return words[1]
    return words[0]


def kind_advice(kind):
    advice = {
        "double-free": (" ctx_free ran twice on the same context: two Ctx values held the same "
                        "pointer and each freed it when dropped. A Ctx must be the only owner of "
                        "its pointer: do not derive or implement Clone (or Copy) by copying the "
                        "pointer."),
        "heap-use-after-free": (" A context was used after ctx_free had freed it: some Ctx "
                                "still held a pointer whose context another value had freed."),
        "SEGV": " The wrapper read or wrote through an invalid pointer (a null one, perhaps).",
    }
    return advice.get(kind, "")
