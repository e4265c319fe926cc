"""Check for task 10 (python track): copy a C-allocated string, free it with its own deallocator.

Runs in the harness's trusted process (docs/writing-a-check.md). The C library is ours
(support/greeting.c); the student writes the ctypes binding, greeting.py. The hidden
probe_greeting.py imports it and calls greet() three times, each in its own process:

1. plainly, against libgreeting.so built with cc: the text and the declarations;
2. under AddressSanitizer: the library built again with clang -fsanitize=address (in asan/, with a
   copy of greeting.py beside it), the interpreter started with the clang ASan runtime in
   LD_PRELOAD and PYTHONMALLOC=malloc (so that ASan sees Python's allocations too), errors
   reported without stopping (-fsanitize-recover=address, halt_on_error=0), and LeakSanitizer's
   check run by the probe once every call is done (leak_check_at_exit=0: at exit the interpreter
   leaves its own memory behind on purpose, and those leaks are none of the student's business);
3. under Valgrind memcheck, against the plain build, with an XML report of which only the errors
   with a frame in greeting.c count (the interpreter has its own).

Each tool's raw report goes to the server with c.report(); the judging happens here. The tools'
stacks never reach greeting.py (they end in libffi and the interpreter), so each kind of error a
tool found is also recorded with c.finding() on the line of greeting.py that made it: the probe
reports which line called make_greeting, free_greeting, free() or a ctypes helper, with which
address, and Ownership replays those calls.
"""

import json
import re
import traceback

STUDENT_FILE = "greeting.py"
LIBRARY_SOURCE = "greeting.c"
ASAN_DIR = "asan"
ASAN_RUNTIME = "/usr/lib/llvm-19/lib/clang/19/lib/linux/libclang_rt.asan-x86_64.so"
ASAN_OPTIONS = ":".join([
    "detect_leaks=1",
    "leak_check_at_exit=0",  # the probe runs the check itself, before the interpreter exits
    "halt_on_error=0",  # report every error, not just the first (needs -fsanitize-recover)
    "print_summary=1",
    "color=never",  # the pty would otherwise get ANSI colours
    "symbolize=1",
    "allocator_may_return_null=1",
])
VALGRIND_XML = "valgrind.xml"
NAMES = ["World", "Ada Lovelace", "Zo\u00eb", "", "x" * 1000]

T_DECLARED = "signatures are declared"
T_TEXT = "greeting text correct"
M_LEAK_ASAN = "no leak (ASan/LSan)"
M_FREE_ASAN = "no invalid free (ASan)"
M_ACCESS_ASAN = "no invalid read or write (ASan)"
M_LEAK_VG = "no leak (Valgrind)"
M_FREE_VG = "no invalid free (Valgrind)"
M_ACCESS_VG = "no invalid read or write (Valgrind)"
TESTS = [(T_DECLARED, "Tests"), (T_TEXT, "Tests"), (M_LEAK_ASAN, "Memory"),
         (M_FREE_ASAN, "Memory"), (M_ACCESS_ASAN, "Memory"), (M_LEAK_VG, "Memory"),
         (M_FREE_VG, "Memory"), (M_ACCESS_VG, "Memory")]

# What glibc prints when free() gets an address it did not hand out (then it aborts).
GLIBC_FREE_ERROR = re.compile(
    r"(free\(\): [^\n]*|munmap_chunk\(\): invalid pointer|double free or corruption[^\n]*|"
    r"realloc\(\): invalid[^\n]*|malloc\(\): [^\n]*)")
FREE_ADVICE = ("Give each greeting back with lib.free_greeting(pointer): the exact address "
               "make_greeting returned, exactly once, after string_at has copied the text.")
DIM = "\x1b[2m"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(c):
    student_source = c.read_bytes(STUDENT_FILE, default=b"")
    build = c.step("build", ["cc", "-shared", "-fPIC", "-g", "-O0", "-o", "libgreeting.so",
                             LIBRARY_SOURCE], timeout=60)
    if not build.ok:
        raise RuntimeError("the task's libgreeting.so did not build: " + build.output[-500:])

    c.note("The checker imports greeting.py and calls greet() for a few names.", style=DIM)
    plain = Probe(c.step("run", ["python3", "probe_greeting.py"], timeout=30, channel=True,
                         stdin=json.dumps({"folder": ".", "names": NAMES})))
    check_declared(c, plain)
    check_text(c, plain)

    c.note("The same calls under AddressSanitizer, with the library built by clang "
           "-fsanitize=address.", style=DIM)
    c.write_file(ASAN_DIR + "/" + STUDENT_FILE, student_source)
    asan_build = c.step("build asan", [
        "clang", "-shared", "-fPIC", "-g", "-O0", "-fno-omit-frame-pointer",
        "-fsanitize=address", "-fsanitize-recover=address", "-shared-libsan",
        "-o", ASAN_DIR + "/libgreeting.so", LIBRARY_SOURCE], timeout=60)
    if not asan_build.ok:
        raise RuntimeError("the ASan build of libgreeting.so failed: " + asan_build.output[-500:])
    asan = Probe(c.step(
        "asan", ["python3", "probe_greeting.py"], timeout=40, channel=True,
        env={"LD_PRELOAD": ASAN_RUNTIME, "PYTHONMALLOC": "malloc", "ASAN_OPTIONS": ASAN_OPTIONS},
        stdin=json.dumps({"folder": ASAN_DIR, "names": NAMES, "leak_check": True})))
    check_asan(c, asan, plain)

    c.note("The same calls under Valgrind (memcheck).", style=DIM)
    c.write_file(VALGRIND_XML, b"")
    valgrind = Probe(c.step(
        "valgrind", ["valgrind", "--tool=memcheck", "--leak-check=full",
                     "--show-leak-kinds=definite",
                     "--errors-for-leak-kinds=definite", "--num-callers=30",
                     "--xml=yes", "--xml-file=" + VALGRIND_XML, "python3", "probe_greeting.py"],
        timeout=60, channel=True, env={"PYTHONMALLOC": "malloc"},
        stdin=json.dumps({"folder": ".", "names": NAMES})))
    check_valgrind(c, valgrind, plain)


# -- what a probe process reported --------------------------------------------------------


class Probe:
    def __init__(self, step):
        self.step = step
        self.last_call = None
        self.imported = None
        self.results = {}
        self.done = False
        self.leak_check = None
        self.greets = []  # per greet() call: what its lines called through ctypes, in order
        self.in_greet = False  # a greet() call was running when the process ended
        for message in step.messages:
            if not isinstance(message, dict):
                continue
            kind = message.get("kind")
            if isinstance(message.get("error"), str):
                message["error"] = student_paths(message["error"])
            if kind == "calling":
                self.last_call = message.get("what")
                if "name" in message:
                    self.greets.append([])
                    self.in_greet = True
            elif kind == "ffi" and self.greets and isinstance(message.get("callee"), str) \
                    and isinstance(message.get("line"), int) and message["line"] > 0:
                self.greets[-1].append({
                    "callee": message["callee"][:100], "line": message["line"],
                    "function": str(message.get("function") or "")[:100] or None,
                    "arg": plain_value(message.get("arg"))})
            elif kind == "ffi_result" and self.greets:
                for event in reversed(self.greets[-1]):
                    if event["callee"] == message.get("callee") and "result" not in event:
                        event["result"] = plain_value(message.get("result"))
                        break
            elif kind == "import":
                self.imported = message
            elif kind == "result" and message.get("name") not in self.results:
                self.results[message.get("name")] = message
                self.in_greet = False
            elif kind == "done":
                self.done = True
            elif kind == "leak_check":
                self.leak_check = message

    def how_it_ended(self):
        where = " while the checker was running %s" % self.last_call if self.last_call else ""
        text = "the process %s%s" % (self.step.describe(), where)
        glibc = GLIBC_FREE_ERROR.search(self.step.output)
        if glibc and not self.step.ok:
            text += "; the C library printed \"%s\"" % glibc.group(0).strip()
        return text

    def require_module(self, t):
        t.output = self.step.output
        if self.imported is None:
            t.fail("The checker could not import %s: %s." % (STUDENT_FILE, self.how_it_ended()))
        if self.imported.get("error"):
            t.fail("Importing %s failed: %s" % (STUDENT_FILE, self.imported["error"]))
        if not self.imported.get("has_greet"):
            t.fail("%s has no function greet(name)." % STUDENT_FILE)

    def restype(self):
        declared = (self.imported or {}).get("make_greeting") or {}
        return declared.get("restype")


def plain_value(value):
    """An address (int) or a type's name (str) from the probe; anything else is None."""
    return value if isinstance(value, (int, str)) and not isinstance(value, bool) else None


def student_paths(text):
    """Error texts name the student's file as they know it: greeting.py, not /work/asan/..."""
    return re.sub(r"/work/(?:\./|%s/)?" % ASAN_DIR, "", text)


def shown(name):
    return "greet(%r)" % (name if len(name) < 20 else name[:8] + "...")


# -- the student's line of each error -----------------------------------------------------
#
# The tools' stacks run through greeting.c, libffi and the interpreter: not one frame is in
# greeting.py, so the server cannot place an error on the student's line by itself. The probe
# records which line of greeting.py called make_greeting (and the address it got), free_greeting,
# free() or a ctypes helper (and with which address); replaying those calls says which line made
# the error the tool saw. Each error becomes a finding of the tool's own name and kind, the
# student's line first, then the frame of greeting.c that the tool names (the server then shows
# it instead of its own copy of the same error without the student's line).


class Ownership:
    """What each line did with the greetings, replayed from one probe run's ctypes calls."""

    def __init__(self, probe):
        self.probe = probe
        self.double_free, self.bad_free, self.foreign_free = [], [], []
        self.after_free, self.leaked, self.reads_after_free = [], [], []
        self.made, self.freed = [], []
        for calls in probe.greets:
            live, freed = {}, set()
            for event in calls:
                name, arg = event["callee"], event.get("arg")
                if name == "make_greeting":
                    self.made.append(event)
                    result = event.get("result")
                    if isinstance(result, int) and not isinstance(result, bool) and result:
                        live[result] = event
                        freed.discard(result)
                    elif isinstance(result, str):  # bytes (restype c_char_p): the address is gone
                        self.leaked.append(event)
                elif name == "free_greeting":
                    self.freed.append(event)
                    if arg in live:
                        del live[arg]
                        freed.add(arg)
                    elif arg in freed:
                        self.double_free.append(event)
                    elif arg != 0:
                        self.bad_free.append(event)
                elif name == "free":
                    # libc's free on a greeting: glibc or Valgrind refuse it, the block stays lost
                    (self.double_free if arg in freed else self.foreign_free).append(event)
                elif freed:
                    (self.after_free if arg in freed else self.reads_after_free).append(event)
            self.leaked.extend(live.values())

    def site(self, kind, via=None):
        """The call (a probe "ffi" event) that made an error of this kind, or None."""
        if kind == "double-free":
            # without the addresses: the second free of a greet() call
            found = self.double_free or [frees[1] for frees in (
                [e for e in calls if e["callee"] in FREES] for calls in self.probe.greets)
                if len(frees) > 1]
        elif kind == "invalid-free" and via == "free_greeting":
            found = self.bad_free or self.freed
        elif kind == "invalid-free":
            found = self.foreign_free
        elif kind == "use-after-free":
            found = self.after_free or self.reads_after_free
        elif kind == "leak":
            found = self.leaked or self.made
        elif kind == "crash" and self.probe.in_greet and self.probe.greets:
            found = self.probe.greets[-1][-1:]  # the call that was running when it died
        else:
            found = []
        return found[0] if found else None


FREES = ("free_greeting", "free")

ERROR_WORDS = {
    "double-free": "%s frees a greeting that was already freed",
    "invalid-free": "%s gets an address that make_greeting never returned",
    "foreign-free": ("%s is given a greeting that only free_greeting may free: the string starts "
                     "16 bytes into its block"),
    "use-after-free": "%s reads a greeting after free_greeting freed it",
    "leak": "the greeting that %s returns here is never freed",
    "crash": "the process crashed in %s",
}


def record_finding(c, tool, kind, ownership, detail, native, via=None, c_char_p=False):
    """A finding for an error the tool reported, on the line of greeting.py that made it."""
    event = ownership.site(kind, via)
    if event is None:
        return  # the server still shows the tool's own finding, without the student's line
    words = kind
    if kind == "invalid-free" and event["callee"] != "free_greeting":
        words = "foreign-free"
    message = ERROR_WORDS[words] % (event["callee"] + "()")
    if kind == "invalid-free" and c_char_p and event["callee"] == "free_greeting":
        message += (": with restype = c_char_p it is the address of ctypes' bytes copy, not of "
                    "the C string")
    elif kind == "leak" and c_char_p:
        message += ": with restype = c_char_p ctypes keeps a bytes copy and drops the address"
    frames = [{"file": STUDENT_FILE, "line": event["line"], "function": event["function"]}]
    if native:
        frames.append(native)
    c.finding(tool, kind, "%s (%s)." % (message, detail), frames=frames)


def guarded(record, *args):
    """Findings only help to find the line: a fault in placing them must not cost the verdict."""
    try:
        record(*args)
    except Exception:
        traceback.print_exc()  # the server's log


def native_place(file, line, function):
    return {"file": file, "line": int(line), "function": function}


def times(count):
    return "" if count == 1 else "; %d reports" % count


# -- Tests --------------------------------------------------------------------------------


def check_declared(c, plain):
    with c.test(T_DECLARED) as t:
        t.output = plain.step.output
        if plain.imported is None:
            t.fail("The checker could not import %s: %s." % (STUDENT_FILE, plain.how_it_ended()))
        t.expect(not plain.imported.get("error"),
                 "Importing %s failed: %s" % (STUDENT_FILE, plain.imported.get("error")))
        t.expect(plain.imported.get("has_lib"),
                 "%s must have a module-level name lib: the ctypes.CDLL of libgreeting.so (it is "
                 "a %s)." % (STUDENT_FILE, plain.imported.get("lib_type")))
        make = plain.imported.get("make_greeting") or {}
        free = plain.imported.get("free_greeting") or {}
        problems = []
        if make.get("argtypes") != ["c_char_p"]:
            problems.append("lib.make_greeting.argtypes is %s; it should be [ctypes.c_char_p]."
                            % (make.get("argtypes") or "not set"))
        if make.get("restype") == "c_char_p":
            problems.append("lib.make_greeting.restype is c_char_p: ctypes then copies the string "
                            "into bytes and throws away the address, so nothing can free it. "
                            "Use ctypes.c_void_p, which gives you the address.")
        elif not make.get("restype_keeps_address"):
            problems.append("lib.make_greeting.restype is %s; it should be ctypes.c_void_p%s."
                            % (make.get("restype"),
                               " (c_int is ctypes' default: it was never declared, and a 64-bit"
                               " address does not fit in an int)" if make.get("restype") == "c_int"
                               else ""))
        if not free.get("argtypes") or len(free["argtypes"]) != 1 or free["argtypes"][0] not in (
                "c_void_p", make.get("restype")):
            problems.append("lib.free_greeting.argtypes is %s; it should be [ctypes.c_void_p]."
                            % (free.get("argtypes") or "not set"))
        if free.get("restype") is not None:
            problems.append("lib.free_greeting.restype is %s; free_greeting returns nothing: set "
                            "it to None." % free.get("restype"))
        t.expect(not problems, " ".join(problems))


def check_text(c, plain):
    with c.test(T_TEXT) as t:
        plain.require_module(t)
        for name in NAMES:
            got = plain.results.get(name)
            if got is None:
                t.fail("%s did not return: %s." % (shown(name), plain.how_it_ended()))
            t.expect(not got.get("error"), "%s raised %s" % (shown(name), got.get("error")))
            expected = "Hello, %s!" % name
            if got.get("type") == "bytes":
                t.fail("%s returned bytes (%s); it must return a str: decode the copied bytes "
                       "with .decode(\"utf-8\")." % (shown(name), got.get("repr")[:80]))
            t.expect(got.get("value") == expected, "%s returned %s; expected %r."
                     % (shown(name), got.get("repr")[:200], expected[:60]))


# -- ASan ---------------------------------------------------------------------------------


def asan_reports(output):
    """The ASan/LSan report blocks in a step's output: from the ERROR line to the SUMMARY line."""
    blocks, current = [], None
    for line in ANSI.sub("", output).splitlines():
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


def greeting_leaks(block):
    """The leak records of an LSan report that were allocated by greeting.c."""
    records = re.split(r"\n(?=(?:Direct|Indirect) leak of )", block)
    return [r for r in records if re.match(r"(?:Direct|Indirect) leak of", r)
            and ("greeting.c" in r or "make_greeting" in r)]


def asan_summary(block):
    """'double-free at greeting.c:49 in free_greeting' from an ASan report's SUMMARY line."""
    kind = first_line(r"(?<=ERROR: AddressSanitizer: )[\w-]+", block) or "error"
    summary = first_line(r"(?<=SUMMARY: AddressSanitizer: )[^\n]*", block) or kind
    match = re.match(r"([\w-]+) \S*?([\w.-]+\.c:\d+)(?::\d+)? in (\w+)", summary)
    if match:
        return "%s at %s in %s" % (match.group(1), match.group(2), match.group(3))
    return summary.split(" (")[0]


def first_line(pattern, text):
    match = re.search(pattern, text)
    return match.group(0).strip() if match else None


def check_asan(c, asan, plain):
    blocks = asan_reports(asan.step.output)
    frees, accesses, leaks = [], [], []
    for block in blocks:
        kind = block.splitlines()[0]
        if "LeakSanitizer" in kind:
            leaks += greeting_leaks(block)
            c.report("asan", block, test=M_LEAK_ASAN)
        elif re.search(r"double-free|free on address which was not malloc|alloc-dealloc-mismatch|"
                       r"bad-free|invalid-free", kind):
            frees.append(block)
            c.report("asan", block, test=M_FREE_ASAN)
        else:
            accesses.append(block)
            c.report("asan", block, test=M_ACCESS_ASAN)
    c_char_p = plain.restype() == "c_char_p"

    with c.test(M_FREE_ASAN, group="Memory") as t:
        t.output = asan.step.output
        if frees:
            block = frees[0]
            where = asan_summary(block)
            if c_char_p:
                why = ("free_greeting was given an address make_greeting never returned: with "
                       "restype = c_char_p ctypes passes the address of its bytes copy, and "
                       "free_greeting steps back from there into memory it does not own. Declare "
                       "lib.make_greeting.restype = ctypes.c_void_p and free that address.")
            elif "double-free" in block:
                why = ("free_greeting was called for a greeting that had already been freed. "
                       "Free each pointer exactly once.")
            else:
                why = "Something freed an address that was not the start of a live allocation."
            t.fail("ASan: %s (%d invalid free%s in all). %s %s"
                   % (where, len(frees), "" if len(frees) == 1 else "s", why, FREE_ADVICE))
        glibc = GLIBC_FREE_ERROR.search(asan.step.output)
        if glibc and not asan.step.ok:
            t.fail("The run under ASan was stopped by the C library itself, which printed \"%s\" "
                   "and aborted (%s). ASan reported nothing because it never saw that free: the "
                   "call went straight to the free() inside libc.so.6 (as it does through "
                   "ctypes.CDLL(\"libc.so.6\").free), past the free() that ASan puts in front of "
                   "it. glibc noticed anyway: make_greeting's string starts 16 bytes into its "
                   "block, so that address is not one malloc ever returned. %s"
                   % (glibc.group(0).strip(), asan.step.describe(), FREE_ADVICE))
        require_complete(t, asan, "ASan")

    with c.test(M_ACCESS_ASAN, group="Memory") as t:
        t.output = asan.step.output
        if accesses:
            block = accesses[0]
            where = asan_summary(block)
            access = first_line(r"(READ|WRITE) of size \d+", block)
            if access:
                where += " (%s)" % access
            if "heap-use-after-free" in block and "free_greeting" in block:
                why = ("The greeting was read after free_greeting had freed it. Copy the text "
                       "with ctypes.string_at first, then free the pointer.")
            elif "AddressSanitizer: SEGV" in block:
                where = "SEGV on unknown address"
                why = "An address that points at no memory at all was used."
                if plain.restype() in ("c_int", "c_long", None):
                    why += (" make_greeting's restype is %s, so the 64-bit address was cut to fit "
                            "(under ASan the heap lies above 4 GiB; plainly it happened to fit). "
                            "Declare lib.make_greeting.restype = ctypes.c_void_p."
                            % plain.restype())
            else:
                why = "Memory was read or written where no live allocation is."
            t.fail("ASan: %s. %s" % (where, why))
        require_complete(t, asan, "ASan")

    guarded(record_asan_findings, c, asan, frees + accesses, leaks, c_char_p)

    with c.test(M_LEAK_ASAN, group="Memory") as t:
        t.output = asan.step.output
        if leaks:
            total = blocks_lost = 0
            for record in leaks:
                match = re.match(r"\w+ leak of (\d+) byte\(s\) in (\d+) object", record)
                if match:
                    total += int(match.group(1))
                    blocks_lost += int(match.group(2))
            line = first_line(r"greeting\.c:\d+", leaks[0])
            t.fail("LeakSanitizer: %d byte(s) in %d allocation(s) made by make_greeting (%s) were "
                   "never freed. %s%s" % (total, blocks_lost, line or LIBRARY_SOURCE,
                                         leak_reason(c_char_p), FREE_ADVICE))
        require_complete(t, asan, "ASan")
        if asan.leak_check is None:
            t.fail("Could not be checked: the leak check runs once every call is done, but %s."
                   % asan.how_it_ended())


ASAN_LIBRARY_FRAME = re.compile(r"#\d+ 0x[0-9a-f]+ in (\w+) (?:\S*/)?%s:(\d+)"
                                % re.escape(LIBRARY_SOURCE))


def asan_kind(block):
    """The server's finding kind for an ASan report (grading.SanitizerKinds), None if not ours."""
    head = block.splitlines()[0]
    if "double-free" in head:
        return "double-free"
    if re.search(r"free on address which was not malloc|bad-free|alloc-dealloc-mismatch|"
                 r"invalid-free", head + (first_line(r"SUMMARY: [^\n]*", block) or "")):
        return "invalid-free"
    if "heap-use-after-free" in head:
        return "use-after-free"
    if "SEGV" in head:
        return "crash"
    return None


def asan_native(block):
    """The first greeting.c frame of an ASan report (of a use-after-free: where it was freed)."""
    match = ASAN_LIBRARY_FRAME.search(block)
    return native_place(LIBRARY_SOURCE, match.group(2), match.group(1)) if match else None


def record_asan_findings(c, asan, errors, leaks, c_char_p):
    ownership = Ownership(asan)
    by_kind = {}
    for block in errors:
        kind = asan_kind(block)
        if kind:
            by_kind.setdefault(kind, []).append(block)
    for kind, blocks in by_kind.items():
        block = blocks[0]
        detail = asan_summary(block) if kind != "crash" else "SEGV on unknown address"
        access = first_line(r"(READ|WRITE) of size \d+", block)
        if access and kind == "use-after-free":
            detail += ", " + access
        first_stack = block.split("\n\n")[0]
        via = "free_greeting" if re.search(r" in free_greeting ", first_stack) else "free"
        record_finding(c, "asan", kind, ownership, "ASan: %s%s" % (detail, times(len(blocks))),
                       asan_native(block), via=via, c_char_p=c_char_p)
    if leaks:
        total = count = 0
        for record in leaks:
            match = re.match(r"\w+ leak of (\d+) byte\(s\) in (\d+) object", record)
            if match:
                total += int(match.group(1))
                count += int(match.group(2))
        record_finding(c, "lsan", "leak", ownership,
                       "LeakSanitizer: %d bytes in %d allocation(s) never freed" % (total, count),
                       asan_native(leaks[0]), c_char_p=c_char_p)


def require_complete(t, probe, tool):
    """Fails t when the run under the tool ended early, or greet() did not return every time
    (memory that was never allocated cannot be checked)."""
    if probe.imported is not None and probe.imported.get("error"):
        t.fail("Could not be checked: importing %s failed: %s"
               % (STUDENT_FILE, probe.imported["error"]))
    if probe.imported is not None and not probe.imported.get("has_greet"):
        t.fail("Could not be checked: %s has no function greet(name)." % STUDENT_FILE)
    if not probe.done or not probe.step.ok:
        t.fail("Could not be checked to the end: under %s %s." % (tool, probe.how_it_ended()))
    for name in NAMES:
        got = probe.results.get(name) or {}
        if got.get("error") or got.get("type") != "str":
            t.fail("Could not be checked: under %s, %s %s; every greet() call must return a str "
                   "before its memory can be checked." % (
                       tool, shown(name), ("raised " + got["error"]) if got.get("error")
                       else "returned %s" % got.get("repr")))


def leak_reason(c_char_p):
    if c_char_p:
        return ("With restype = c_char_p the address was lost the moment ctypes copied the string "
                "into bytes, so nothing could free it. Declare lib.make_greeting.restype = "
                "ctypes.c_void_p. ")
    return ""


# -- Valgrind -----------------------------------------------------------------------------


class ValgrindError:
    def __init__(self, xml):
        self.xml = xml
        self.kind = _tag(xml, "kind") or ""
        self.what = _tag(xml, "what") or _tag(xml, "text") or self.kind
        self.auxwhat = re.findall(r"<auxwhat>(.*?)</auxwhat>", xml, re.S)
        stacks = re.findall(r"<stack>(.*?)</stack>", xml, re.S)
        self.stacks = [re.findall(r"<frame>(.*?)</frame>", s, re.S) for s in stacks]

    def mine(self):
        return "<file>%s</file>" % LIBRARY_SOURCE in self.xml

    def called_from(self, function):
        """True when the error's own stack (not the allocation's) passes through function."""
        return bool(self.stacks) and any(_tag(f, "fn") == function for f in self.stacks[0])

    def finding_kind(self):
        """The server's finding kind for this error (grading.ValgrindXmlParser)."""
        aux = " ".join(self.auxwhat)
        if self.kind == "InvalidFree":
            return "double-free" if re.search(r"a block of size [\d,]+ free'd", aux) \
                else "invalid-free"
        if self.kind == "MismatchedFree":
            return "invalid-free"
        if self.kind in ("InvalidRead", "InvalidWrite"):
            return "use-after-free" if re.search(r"a block of size [\d,]+ free'd", aux) else None
        if self.kind.startswith("Leak_"):
            return "leak"
        return None

    def native(self):
        """The first frame in greeting.c: of the error's own stack, else of the block's story."""
        for stack in self.stacks:
            for frame in stack:
                if _tag(frame, "file") == LIBRARY_SOURCE and (_tag(frame, "line") or "").isdigit():
                    return native_place(LIBRARY_SOURCE, _tag(frame, "line"), _tag(frame, "fn"))
        return None

    def where(self):
        for frame in self.stacks[0] if self.stacks else []:
            if _tag(frame, "file") == LIBRARY_SOURCE:
                return " at %s:%s (in %s)" % (LIBRARY_SOURCE, _tag(frame, "line"),
                                              _tag(frame, "fn"))
        return ""


def _tag(xml, name):
    match = re.search(r"<%s>(.*?)</%s>" % (name, name), xml, re.S)
    return _unescape(match.group(1).strip()) if match else None


def _unescape(text):
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def check_valgrind(c, valgrind, plain):
    xml = c.read_text(VALGRIND_XML, limit=16 * 1024 * 1024, default="")
    complete = "</valgrindoutput>" in xml
    blocks = re.findall(r"<error>.*?</error>", xml, re.S)
    errors = [e for e in (ValgrindError(b) for b in blocks) if e.mine()]
    if xml:
        # The whole report minus the interpreter's own errors: only those touching greeting.c.
        kept = set(e.xml for e in errors)
        filtered = re.sub(r"\s*<error>.*?</error>",
                          lambda m: m.group(0) if m.group(0).strip() in kept else "", xml,
                          flags=re.S)
        c.report("valgrind", filtered)
    frees = [e for e in errors if e.kind in ("InvalidFree", "MismatchedFree")]
    accesses = [e for e in errors if e.kind.startswith("Invalid") and e not in frees]
    leaks = [e for e in errors if e.kind.startswith("Leak_")]
    c_char_p = plain.restype() == "c_char_p"
    missing = None
    if not complete:
        missing = ("Could not be checked: Valgrind's report is missing or incomplete; %s."
                   % valgrind.how_it_ended())

    guarded(record_valgrind_findings, c, valgrind, errors, c_char_p)

    with c.test(M_FREE_VG, group="Memory") as t:
        t.output = valgrind.step.output
        t.expect(missing is None, missing)
        if frees:
            e = frees[0]
            detail = "; ".join(a for a in e.auxwhat if a and not a.endswith(" at"))
            if e.called_from("free_greeting"):
                if c_char_p:
                    why = ("free_greeting was given an address make_greeting never returned: with "
                           "restype = c_char_p ctypes passes the address of its bytes copy.")
                elif "free'd" in detail:
                    why = "free_greeting was called for a greeting that had already been freed."
                else:
                    why = "free_greeting was given an address make_greeting never returned."
            else:
                why = ("free() was called directly, not through free_greeting, on an address "
                       "inside a block make_greeting allocated: the library's string starts 16 "
                       "bytes into its block, so only free_greeting knows what to free.")
            t.fail("Valgrind: %s%s (%s). %s %s" % (e.what, e.where(), detail, why, FREE_ADVICE))
        require_done(t, valgrind)

    with c.test(M_ACCESS_VG, group="Memory") as t:
        t.output = valgrind.step.output
        t.expect(missing is None, missing)
        if accesses:
            e = accesses[0]
            detail = "; ".join(a for a in e.auxwhat if a and not a.endswith(" at"))
            why = ""
            if "free'd" in detail:
                why = (" The greeting was read after it had been freed. Copy the text with "
                       "ctypes.string_at first, then free the pointer.")
            t.fail("Valgrind: %s (%s).%s" % (e.what, detail, why))
        require_done(t, valgrind)

    with c.test(M_LEAK_VG, group="Memory") as t:
        t.output = valgrind.step.output
        t.expect(missing is None, missing)
        if leaks:
            total = sum(int(_tag(e.xml, "leakedbytes") or 0) for e in leaks)
            blocks_lost = sum(int(_tag(e.xml, "leakedblocks") or 0) for e in leaks)
            t.fail("Valgrind: %d byte(s) in %d block(s) allocated%s are definitely lost: no "
                   "pointer to them is left anywhere. %s%s"
                   % (total, blocks_lost, leaks[0].where() or " by make_greeting",
                      leak_reason(c_char_p), FREE_ADVICE))
        require_done(t, valgrind)


def record_valgrind_findings(c, valgrind, errors, c_char_p):
    ownership = Ownership(valgrind)
    by_kind = {}
    for e in errors:
        kind = e.finding_kind()
        if kind:
            by_kind.setdefault(kind, []).append(e)
    for kind, found in by_kind.items():
        e = found[0]
        if kind == "leak":
            total = sum(int(_tag(x.xml, "leakedbytes") or 0) for x in found)
            blocks_lost = sum(int(_tag(x.xml, "leakedblocks") or 0) for x in found)
            detail = "Valgrind: %d bytes in %d block(s) definitely lost" % (total, blocks_lost)
        else:
            what = e.what.replace(" / delete / delete[] / realloc()", "")  # C++'s words too
            detail = "Valgrind: %s%s%s" % (what, e.where(), times(len(found)))
        via = "free_greeting" if e.called_from("free_greeting") else "free"
        record_finding(c, "valgrind", kind, ownership, detail, e.native(), via=via,
                       c_char_p=c_char_p)


def require_done(t, probe):
    require_complete(t, probe, "Valgrind")
