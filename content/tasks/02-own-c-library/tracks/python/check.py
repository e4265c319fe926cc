"""Check for task 2 (python track): the student's libmymath.so and its ctypes binding.

Runs in the harness's trusted process (docs/writing-a-check.md). The cases are decided here,
sent to the hidden probe on stdin, and the answers the probe reports on its channel are judged
here. The C library and the binding are tested in separate processes, so a crash in one does
not hide the results of the other.
"""

import json
import math

# The C library, through the probe's own correct binding.
C_ADD = [(2, 3), (-7, 4), (0, 0)]
C_SCALE = [([1.0, 2.0, 3.0], 2.0), ([0.5, -1.5, 4.0], -2.0), ([], 5.0), ([0.1] * 1000, 3.0)]
# The student's mymath.py: (values, factor, container) for scale.
BIND_ADD = [(2, 3), (-7, 4)]
BIND_SCALE = [([1.0, 2.0, 3.0], 2.0, "list"), ([0.5, -1.5, 4.0], -2.0, "tuple"),
              ([1, 2, 3], 2, "list"), ([], 5.0, "list")]

WANTED = {
    "add": (["c_int", "c_int"], "c_int", "[ctypes.c_int, ctypes.c_int]", "ctypes.c_int"),
    "scale": (["LP_c_double", "c_int", "c_double"], "c_double",
              "[ctypes.POINTER(ctypes.c_double), ctypes.c_int, ctypes.c_double]", "ctypes.c_double"),
}

LIST_ADVICE = (
    "A Python list is not a C array: copy the values into one first, for example "
    "(ctypes.c_double * len(values))(*values), and pass that array."
)


def run(c):
    build = c.step("build", ["cc", "-shared", "-fPIC", "-o", "libmymath.so", "mymath.c"],
                   timeout=30, test="libmymath.so builds", group="Build")
    names = ["C: add", "C: scale", "binding: add is declared", "binding: scale is declared",
             "binding: add works", "binding: scale takes a Python list"]
    if not build.ok:
        for name in names:
            c.skip(name, "libmymath.so did not build.")
        return

    c_cases = [case("add", [a, b]) for a, b in C_ADD]
    c_cases += [case("scale", [values, factor]) for values, factor in C_SCALE]
    c.note("The checker calls your C functions through a binding of its own.", style="\x1b[2m")
    c_probe = Probe(c.step("test C", ["python3", "probe_mymath.py", "c"], timeout=15,
                           channel=True, stdin=for_probe(c_cases)))
    check_c(c, c_probe, c_cases)

    b_cases = [case("add", [a, b]) for a, b in BIND_ADD]
    b_cases += [case("scale", [values, factor], container) for values, factor, container in BIND_SCALE]
    c.note("The checker now imports your mymath.py and calls it.", style="\x1b[2m")
    b_probe = Probe(c.step("test binding", ["python3", "probe_mymath.py", "binding"], timeout=15,
                           channel=True, stdin=for_probe(b_cases)))
    check_binding(c, b_probe, b_cases)


def case(function, args, container="list"):
    values = args[0] if function == "scale" else None
    if function == "add":
        shown = "add(%d, %d)" % tuple(args)
        expected = args[0] + args[1]
    else:
        shown_values = values if len(values) <= 5 else "[%r] * %d" % (values[0], len(values))
        if container == "tuple" and len(values) <= 5:
            shown_values = tuple(values)
        shown = "scale(%s, %r)" % (shown_values, args[1])
        expected = math.fsum(v * args[1] for v in values)
    return {"id": shown, "function": function, "args": args, "container": container,
            "expected": expected}


def for_probe(cases):
    """The cases as the probe reads them on stdin: what to call, not what to expect."""
    return json.dumps([{k: v for k, v in x.items() if k != "expected"} for x in cases])


class Probe:
    """What one probe step reported."""

    def __init__(self, step):
        self.step = step
        self.last_call = None
        self.by_kind = {}
        self.results = {}
        for message in step.messages:
            if not isinstance(message, dict):
                continue
            if message.get("kind") == "calling":
                self.last_call = message.get("id")
            elif message.get("kind") == "result":
                self.results[message.get("id")] = message
            else:
                self.by_kind.setdefault(message.get("kind"), []).append(message)

    def first(self, kind):
        found = self.by_kind.get(kind)
        return found[0] if found else None

    def ended_early(self, t):
        """Fails t with how the probe's process ended, when it ended before reporting."""
        t.output = self.step.output
        where = " while the checker was running %s" % self.last_call if self.last_call else ""
        t.fail("The process %s%s."
               % (self.step.describe(), where))


def judge(t, probe, cases, prefix=""):
    """Fails t on the first case with a wrong or missing answer."""
    for item in cases:
        shown = prefix + item["id"]
        got = probe.results.get(item["id"])
        if got is None:
            probe.ended_early(t)
        if got.get("error"):
            error = got["error"]
            if "instead of list" in error or "instead of tuple" in error:
                advice = ". " + LIST_ADVICE
            elif "Don't know how to convert" in error:
                advice = (". Without argtypes ctypes cannot tell how an argument must travel to C. "
                          + LIST_ADVICE)
            else:
                advice = ""
            t.fail("%s raised %s%s" % (shown, error, advice))
        number = got.get("number")
        expected = item["expected"]
        if number is None:
            t.fail("%s returned %s (a %s), not a number." % (shown, got.get("repr"), got.get("type")))
        if item["function"] == "scale" and got.get("type") == "int":
            t.fail("%s returned %s, an int, instead of %r: the result was read as a C int. "
                   "scale returns a double: its restype must be ctypes.c_double."
                   % (shown, got.get("repr"), expected))
        t.expect(math.isclose(number, expected, rel_tol=1e-9, abs_tol=1e-9),
                 "%s returned %s; expected %r." % (shown, got.get("repr"), expected))
        t.expect(not got.get("changed"),
                 "%s changed the caller's array; scale must only read it (it is const)." % shown)


def check_c(c, probe, cases):
    load = probe.first("load")
    symbols = {m.get("name"): m.get("present") for m in probe.by_kind.get("symbol", [])}
    for function in ("add", "scale"):
        with c.test("C: " + function) as t:
            if load is None:
                probe.ended_early(t)
            t.expect(not load.get("error"), "libmymath.so could not be loaded: %s" % load.get("error"))
            if function not in symbols:
                probe.ended_early(t)
            t.expect(symbols[function],
                     "libmymath.so does not export %s. Check the spelling, and that the function "
                     "is not static." % function)
            judge(t, probe, [x for x in cases if x["function"] == function], prefix="C ")


def check_binding(c, probe, cases):
    imported = probe.first("import")
    lib = probe.first("lib")
    declared = {m.get("function"): m for m in probe.by_kind.get("declared", [])}

    def require_module(t):
        if imported is None:
            probe.ended_early(t)
        t.expect(not imported.get("error"), "Importing mymath.py failed: %s" % imported.get("error"),
                 output=probe.step.output)

    for function in ("add", "scale"):
        with c.test("binding: %s is declared" % function) as t:
            require_module(t)
            t.expect(lib and lib.get("present"), "mymath.py has no module-level name lib.")
            t.expect(lib.get("is_cdll"), "mymath.lib must be the ctypes.CDLL of libmymath.so, not a %s."
                     % lib.get("type"))
            seen = declared.get(function)
            if seen is None:
                probe.ended_early(t)
            t.expect(not seen.get("error"), "mymath.lib.%s: %s" % (function, seen.get("error")))
            argtypes, restype, argtypes_code, restype_code = WANTED[function]
            problems = []
            if seen.get("argtypes") != argtypes:
                problems.append("argtypes is %s; it should be %s."
                                % ("not set" if seen.get("argtypes") is None else seen["argtypes"],
                                   argtypes_code))
            if seen.get("restype") != restype:
                problems.append("restype is %s%s; it should be %s." % (
                    seen.get("restype"),
                    " (ctypes' default: it was never declared)" if seen.get("restype") == "c_int" else "",
                    restype_code))
            t.expect(not problems, "lib.%s: %s" % (function, " ".join(problems)))

    with c.test("binding: add works") as t:
        require_module(t)
        judge(t, probe, [x for x in cases if x["function"] == "add"], prefix="mymath.")
    with c.test("binding: scale takes a Python list") as t:
        require_module(t)
        judge(t, probe, [x for x in cases if x["function"] == "scale"], prefix="mymath.")
