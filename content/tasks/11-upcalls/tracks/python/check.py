"""Check for task 11 (python track): C calls back into Python through ctypes CFUNCTYPE.

Runs in the harness's trusted process (docs/writing-a-check.md). The lab's C library (upcall.c,
hidden) is built here; a hidden driver (probe_upcall.py) imports the student's upcall.py and
reports, for every call, which values reached which of its Python functions, what the call
raised, and how many callbacks the C library itself counted. The three tests run in three
processes, so a crash in the stored-callback test cannot hide the other results.

The stored-callback test frees what Python can free after register() has returned (gc.collect())
and then makes 64 new CFUNCTYPE objects of the driver's own ("decoys"): a callback C still holds
but Python no longer does has its thunk reused by the first decoy, and fire() then runs the decoy,
which the driver reports. The exception test also reads the step's output for ctypes' own notice
that an exception escaped from a callback.
"""

import json

EACH = "for_each calls back for every element in order"
STORED = "stored callback fires after register returned"
RAISE = "exceptions are caught at the boundary"
TESTS = (EACH, STORED, RAISE)

IGNORED = "Exception ignored on calling ctypes callback function"
DIM = "\x1b[2m"

EACH_LISTS = [
    [3, 1, 4, 1, 5, 9, 2, 6],
    [],
    [-5, 0, 2147483647, -2147483648],
    list(range(-5000, 5000)),
]

KEEP_ALIVE_ADVICE = (
    "C keeps only the address of the callback's machine-code thunk; the CFUNCTYPE object that owns "
    "the thunk must stay alive in Python for as long as C may call it. Keep it somewhere that "
    "outlives register(), for example in a module-level variable, and replace it when register() "
    "is called again."
)
BOUNDARY_ADVICE = (
    "Catch the exception inside the function you hand to C (try/except around fn(x)), keep it, "
    "return UPCALL_FAILED (1) so that C stops, and raise the kept exception again in for_each() or "
    "fire() once the C call has returned."
)


def run(c):
    build = c.step("build libupcall.so", ["cc", "-shared", "-fPIC", "-O2", "-Wall", "-o",
                                          "libupcall.so", "upcall.c"], timeout=30)
    if not build.ok:
        for name in TESTS:
            c.skip(name, "the lab's C library did not build (`%s` %s). This is a fault of the "
                   "task, not of your code." % (build.command, build.describe()))
        return

    c.note("The checker imports your upcall.py and passes lists to for_each.", style=DIM)
    cases = [case("for_each(%s, fn)" % shown_list(v), values=v) for v in EACH_LISTS]
    each = probe(c, "for_each", "each", cases)
    check_each(c, each, cases)

    c.note("Now register(), then the checker frees what Python can free and makes new callbacks, "
           "then fire().", style=DIM)
    cases = [case("register(first)", op="register", tag="first")]
    cases += [case("fire(%d)" % x, op="fire", x=x, tag="first") for x in (7, -3, 42)]
    cases += [case("register(second)", op="register", tag="second")]
    cases += [case("fire(%d)" % x, op="fire", x=x, tag="second") for x in (5, -8)]
    stored = probe(c, "register and fire", "stored", cases)
    check_stored(c, stored, cases)

    c.note("Now callbacks that raise an exception, through for_each and through fire().",
           style=DIM)
    cases = [
        case("for_each([1, 2, 3, 4, 5], fn) with fn raising at 3", op="for_each",
             values=[1, 2, 3, 4, 5], raise_at=3),
        case("for_each([7, 8, 9], fn) after that", op="for_each", values=[7, 8, 9]),
        case("register(thrower), a function that raises at 13", op="register", tag="thrower",
             raise_at=13),
        case("fire(1)", op="fire", x=1, tag="thrower"),
        case("fire(13)", op="fire", x=13, tag="thrower", raises=True),
        case("fire(2) after that", op="fire", x=2, tag="thrower"),
    ]
    raising = probe(c, "raising callbacks", "raise", cases)
    check_raise(c, raising, cases)


# -- cases and the driver -------------------------------------------------------------------


def case(shown, **fields):
    fields["shown"] = shown
    return fields


def shown_list(values):
    if len(values) <= 8:
        return "[%s]" % ", ".join(str(v) for v in values)
    return "<%d values from %d to %d>" % (len(values), values[0], values[-1])


def probe(c, name, mode, cases):
    for n, item in enumerate(cases):
        item["id"] = n
    sent = [{k: v for k, v in item.items() if k != "shown" and k != "raises"} for item in cases]
    return Driver(c.step(name, ["python3", "probe_upcall.py", mode], timeout=20, channel=True,
                         stdin=json.dumps(sent)), cases)


class Driver:
    """What one run of the hidden driver reported on its channel."""

    def __init__(self, step, cases):
        self.step = step
        self.cases = {item["id"]: item for item in cases}
        self.imported = None
        self.results = {}
        self.duplicates = set()
        self.last_call = None
        self.done = False
        for message in step.messages:
            if not isinstance(message, dict):
                continue
            kind = message.get("kind")
            if kind == "calling":
                self.last_call = message.get("id")
            elif kind == "import" and self.imported is None:
                self.imported = message
            elif kind == "result":
                # The driver reports each call once; a second report can only come from code
                # that wrote into the checker's channel.
                if message.get("id") in self.results:
                    self.duplicates.add(message.get("id"))
                self.results[message.get("id")] = message
            elif kind == "done":
                self.done = True

    def module(self, t):
        """Fails t unless upcall.py imported and has the three functions."""
        t.output = self.step.output
        if self.imported is None:
            self.ended_early(t)
        t.expect(not self.imported.get("error"), "Importing upcall.py failed: %s"
                 % self.imported.get("error"))
        missing = self.imported.get("missing") or []
        t.expect(not missing, "upcall.py has no function %s." % " and no ".join(missing))

    def result(self, t, item):
        got = self.results.get(item["id"])
        if got is None:
            self.ended_early(t)
        t.expect(item["id"] not in self.duplicates,
                 "The checker received two reports for %s: something inside the process wrote "
                 "into the checker's private channel." % item["shown"])
        return got

    def finished(self, t):
        if not (self.step.ok and self.done):
            self.ended_early(t)

    def ended_early(self, t):
        t.output = self.step.output
        where = ""
        if self.last_call == "import":
            where = " while importing upcall.py"
        elif self.last_call in self.cases:
            where = " during %s" % self.cases[self.last_call]["shown"]
        if self.step.ok:
            t.fail("The checker's driver stopped early%s, although its process exited with code "
                   "0: something in upcall.py ended the process (sys.exit or os._exit, for "
                   "example)." % where)
        hint = ""
        if self.step.crashed and self.cases.get(self.last_call, {}).get("op") == "fire":
            hint = (" fire() makes C call the address register_cb stored: a crash there usually "
                    "means the CFUNCTYPE object behind that address had been freed. "
                    + KEEP_ALIVE_ADVICE)
        t.fail("The checker's driver could not finish%s: its process %s.%s"
               % (where, self.step.describe(), hint))


def raised_text(got):
    raised = got.get("raised")
    return raised.get("text") or raised.get("type") if raised else None


def entries_shown(entries, limit=12):
    shown = ["%s(%s)" % (tag, x) for tag, x in entries[:limit]]
    if len(entries) > limit:
        shown.append("... %d more" % (len(entries) - limit))
    return "[%s]" % ", ".join(shown) if shown else "nothing"


def decoy_calls(got):
    return [e for e in got.get("entries") or [] if str(e[0]).startswith("decoy")]


# -- the tests ------------------------------------------------------------------------------


def check_each(c, driver, cases):
    with c.test(EACH) as t:
        driver.module(t)
        for item in cases:
            got = driver.result(t, item)
            call = "upcall." + item["shown"]
            if got.get("raised"):
                t.fail("%s raised %s" % (call, raised_text(got)))
            entries = got.get("entries") or []
            seen = [x for _, x in entries]
            wanted = item["values"]
            if seen != wanted:
                t.fail("%s: fn received %s; expected one call per element, in order: %s."
                       % (call, shown_list(seen) if len(seen) > 8 else seen,
                          shown_list(wanted) if len(wanted) > 8 else wanted))
            if got.get("calls") != len(wanted):
                t.fail("%s: fn received the right values, but the C library made %s callback "
                       "calls instead of %d: for_each must hand fn to lib.for_each as a "
                       "CFUNCTYPE callback and let C call it, not loop in Python."
                       % (call, got.get("calls"), len(wanted)))
        driver.finished(t)


def check_stored(c, driver, cases):
    with c.test(STORED) as t:
        driver.module(t)
        for item in cases:
            got = driver.results.get(item["id"])
            if got is None and item["op"] == "fire" and driver.step.crashed:
                t.fail("The process %s during %s, which came after register() had returned and "
                       "the checker had run gc.collect(): C called the callback's address after "
                       "Python had freed it. %s"
                       % (driver.step.describe(), item["shown"], KEEP_ALIVE_ADVICE),
                       output=driver.step.output)
            got = driver.result(t, item)
            call = "upcall." + item["shown"]
            if item["op"] == "register":
                t.expect(not got.get("raised"), "%s raised %s" % (call, raised_text(got)))
                continue
            decoys = decoy_calls(got)
            if decoys:
                t.fail("%s ran one of the checker's other functions (%s), made after register() "
                       "had returned, instead of the registered one. The CFUNCTYPE object passed "
                       "to register_cb was freed when nothing in Python referred to it any more, "
                       "and the next CFUNCTYPE the checker made reused its thunk, so C's stored "
                       "address now leads to a different Python function. %s"
                       % (call, decoys[0][0], KEEP_ALIVE_ADVICE))
            if got.get("raised"):
                t.fail("%s raised %s" % (call, raised_text(got)))
            entries = got.get("entries") or []
            wanted = [[item["tag"], item["x"]]]
            if entries != wanted:
                if entries and entries[0][0] != item["tag"] and entries[0][1] == item["x"]:
                    t.fail("%s called the function registered as %r, but register(%s) came after "
                           "it: register() must pass every new callback to register_cb (and keep "
                           "that one alive)." % (call, entries[0][0], item["tag"]))
                if not entries and got.get("calls") == 1:
                    t.fail("%s: C called the stored callback, but none of the checker's functions "
                           "ran. %s" % (call, KEEP_ALIVE_ADVICE))
                t.fail("%s: the registered function received %s; expected %s(%d)."
                       % (call, entries_shown(entries), item["tag"], item["x"]))
            if got.get("calls") != 1:
                t.fail("%s: the registered function got %d, but not through C (the library "
                       "counted %s callback calls): fire() must call lib.fire and let C call "
                       "the registered callback." % (call, item["x"], got.get("calls")))
        driver.finished(t)


def check_raise(c, driver, cases):
    with c.test(RAISE) as t:
        driver.module(t)
        ignored = IGNORED in driver.step.output
        if ignored and not driver.results:
            t.fail("ctypes printed \"%s\": an exception escaped from your callback into ctypes. "
                   "%s" % (IGNORED, BOUNDARY_ADVICE))
        for item in cases:
            got = driver.result(t, item)
            call = "upcall." + item["shown"]
            entries = got.get("entries") or []
            raised = got.get("raised")
            if item.get("raise_at") is not None and item["op"] == "for_each":
                if raised and raised.get("type") != "CheckerError" and not entries:
                    t.fail("%s raised %s" % (call, raised_text(got)))
                seen = [x for _, x in entries]
                wanted = [v for v in item["values"] if v <= item["raise_at"]]
                went_on = seen[len(wanted):]
                if ignored or went_on:
                    t.fail(
                        "%s: %sC went on and called fn with %s after fn had raised at %d, and "
                        "for_each %s. ctypes cannot pass an exception through C: when one escapes "
                        "from a callback it prints \"%s\" and returns 0 (\"carry on\") to C. %s"
                        % (call, "ctypes printed \"%s\"; " % IGNORED if ignored else "",
                           went_on or "(nothing)", item["raise_at"],
                           "raised " + raised_text(got) if raised else "returned normally",
                           IGNORED, BOUNDARY_ADVICE))
                if seen != wanted:
                    t.fail("%s: fn received %s; expected %s (C stops at the element whose "
                           "callback failed)." % (call, seen, wanted))
                if got.get("calls") != len(wanted):
                    t.fail("%s: the C library made %s callback calls instead of %d."
                           % (call, got.get("calls"), len(wanted)))
                judge_raised(t, call, raised)
            elif item.get("raises"):
                if ignored:
                    t.fail("%s: ctypes printed \"%s\", and fire() %s. %s"
                           % (call, IGNORED, "raised " + raised_text(got) if raised else
                              "returned normally", BOUNDARY_ADVICE))
                t.expect(entries == [[item["tag"], item["x"]]],
                         "%s: the registered function received %s; expected %s(%d)."
                         % (call, entries_shown(entries), item["tag"], item["x"]))
                judge_raised(t, call, raised)
            else:
                if raised:
                    t.fail("%s raised %s, although no callback raised during this call.%s"
                           % (call, raised_text(got),
                              " The exception of an earlier call was kept and raised again: "
                              "forget it once it has been raised." if raised.get("type") ==
                              "CheckerError" else ""))
                if item["op"] == "for_each":
                    wanted = [["fn", v] for v in item["values"]]
                elif item["op"] == "fire":
                    wanted = [[item["tag"], item["x"]]]
                else:
                    wanted = []
                t.expect(entries == wanted, "%s: the checker's functions received %s; expected "
                         "%s." % (call, entries_shown(entries), entries_shown(wanted)))
        if ignored:
            t.fail("ctypes printed \"%s\": an exception escaped from a callback into ctypes, "
                   "which can only print it and hand C a 0. %s" % (IGNORED, BOUNDARY_ADVICE))
        driver.finished(t)


def judge_raised(t, call, raised):
    if raised is None:
        t.fail("%s returned normally: the exception the callback raised never reached the "
               "caller. %s" % (call, BOUNDARY_ADVICE))
    if raised.get("same") or raised.get("chained"):
        return
    if raised.get("type") == "CheckerError":
        t.fail("%s raised a CheckerError, but not the one the callback raised: raise the kept "
               "exception object itself." % call)
    t.fail("%s raised %s instead of the exception the callback raised (a CheckerError). Keep "
           "the exception the callback caught and raise that one (or raise yours `from` it)."
           % (call, raised.get("text")))
