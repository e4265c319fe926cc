"""Check for task 1 (python track): libm's cos() through ctypes, without and with restype.

Runs in the harness's trusted process (docs/writing-a-check.md). The student's file is only
ever executed in child processes: once as a program, once imported by the hidden probe, which
reports what it saw on the step's channel; the judging happens here.
"""

import math
import re

TOLERANCE = 1e-9
STUDENT_FILE = "cosine.py"

RESTYPE_ADVICE = (
    "ctypes did not know that cos returns a double: a function's restype is c_int until you "
    "declare otherwise, so ctypes read the integer return register instead of the floating-point "
    "one. Set cos.restype = ctypes.c_double."
)


def run(c):
    program = c.step("run", ["python3", STUDENT_FILE], timeout=15, test="cosine.py runs",
                     group="Tests")
    check_printed(c, program)

    c.note("The checker now imports cosine.py and calls your two functions.", style="\x1b[2m")
    probe = c.step("probe", ["python3", "probe_cosine.py"], timeout=15, channel=True)
    seen = Observations(probe)

    check_without_restype(c, seen)
    check_value(c, seen, "cos(0.0) == 1.0", "0.0", "load_cos()(0.0)", 1.0)
    check_value(c, seen, "cos(pi) == -1.0", "pi", "load_cos()(math.pi)", -1.0)
    check_declared(c, seen)


# -- what the program printed ---------------------------------------------------------------


def printed_value(output, label):
    """The number after 'label:' on the first line that starts with it, or None."""
    for line in output.splitlines():
        line = re.sub(r"\x1b\[[0-9;]*m", "", line).strip()
        if line.lower().startswith(label + ":"):
            match = re.search(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?nan|[-+]?inf",
                              line[len(label) + 1 :], re.IGNORECASE)
            return float(match.group(0)) if match else "missing"
    return None


def check_printed(c, program):
    with c.test("prints both results") as t:
        t.output = program.output
        broken = printed_value(program.output, "without restype")
        fixed = printed_value(program.output, "with restype")
        for label, value in (("without restype", broken), ("with restype", fixed)):
            t.expect(value is not None,
                     "No line starting with '%s:' in the output of python3 %s." % (label, STUDENT_FILE))
            t.expect(value != "missing", "The '%s:' line has no number after the colon." % label)
        t.expect(not math.isclose(broken, 1.0, abs_tol=TOLERANCE),
                 "The 'without restype:' line shows %r, the right answer: it should show what "
                 "cos(0.0) returns when restype is not declared." % broken)
        t.expect(math.isclose(fixed, 1.0, abs_tol=TOLERANCE),
                 "The 'with restype:' line shows %r; cos(0.0) is 1.0. %s" % (fixed, RESTYPE_ADVICE))


# -- what the probe saw -------------------------------------------------------------------


class Observations:
    """The probe's messages, plus a reason to give when one is missing."""

    def __init__(self, step):
        self.step = step
        self.imported = None
        self.functions = {}
        self.last_call = None
        for message in step.messages:
            if not isinstance(message, dict):
                continue
            kind = message.get("kind")
            if kind == "calling":
                self.last_call = message.get("what")
            elif kind == "import":
                self.imported = message
            elif kind == "function":
                self.functions[message.get("name")] = message

    def function(self, t, name):
        """The probe's report on function `name`, or fails test t with the reason it is missing."""
        t.output = self.step.output
        if self.imported is None or self.imported.get("error") is None and name not in self.functions:
            where = " while the checker was running %s" % self.last_call if self.last_call else ""
            t.fail("The process %s%s."
                   % (self.step.describe(), where))
        if self.imported.get("error"):
            t.fail("Importing %s failed: %s" % (STUDENT_FILE, self.imported["error"]))
        report = self.functions[name]
        t.expect(report.get("present"), "%s has no function %s()." % (STUDENT_FILE, name))
        t.expect(not report.get("error"), "Calling %s() raised %s" % (name, report.get("error")))
        t.expect(report.get("is_function"),
                 "%s() must return the ctypes function object for libm's cos, not a %s."
                 % (name, report.get("type")))
        return report


def call_problem(name, call, label):
    """A message for a failed or undeclared call, or None when the call returned a number."""
    if call is None:
        return "%s was not called." % label
    error = call.get("error")
    if error:
        if "Don't know how to convert" in error:
            return ("%s raised %s. Without argtypes, ctypes does not know that a Python float must "
                    "travel as a C double: set cos.argtypes = [ctypes.c_double]." % (label, error))
        return "%s raised %s" % (label, error)
    if call.get("number") is None:
        return "%s returned %s (a %s), not a number." % (label, call.get("repr"), call.get("type"))
    return None


def check_without_restype(c, seen):
    name = "load_cos_without_restype"
    with c.test("without restype the result is wrong") as t:
        report = seen.function(t, name)
        t.expect(report.get("restype") == "c_int",
                 "%s() must leave restype at ctypes' default (c_int), but it is %s. This function "
                 "exists to show the wrong answer." % (name, report.get("restype")))
        call = report.get("calls", {}).get("0.0")
        problem = call_problem(name, call, "%s()(0.0)" % name)
        t.expect(problem is None, problem)
        t.expect(not math.isclose(call["number"], 1.0, abs_tol=TOLERANCE),
                 "%s()(0.0) returned %s, the right answer, although restype was not declared."
                 % (name, call["repr"]))
        t.message = "Without restype, cos(0.0) came back as %s." % call["repr"]


def check_value(c, seen, test_name, label, shown, expected):
    with c.test(test_name) as t:
        report = seen.function(t, "load_cos")
        call = report.get("calls", {}).get(label)
        problem = call_problem("load_cos", call, shown)
        t.expect(problem is None, problem)
        if call["type"] == "int":
            t.fail("%s returned %s, an int, instead of %s. %s"
                   % (shown, call["repr"], expected, RESTYPE_ADVICE))
        t.expect(math.isclose(call["number"], expected, abs_tol=TOLERANCE),
                 "%s returned %s; expected %s within %g." % (shown, call["repr"], expected, TOLERANCE))


def check_declared(c, seen):
    with c.test("argtypes and restype are declared") as t:
        report = seen.function(t, "load_cos")
        problems = []
        if report.get("argtypes") != ["c_double"]:
            problems.append("argtypes is %s; it should be [ctypes.c_double]."
                            % ("not set" if report.get("argtypes") is None else report["argtypes"]))
        if report.get("restype") != "c_double":
            problems.append("restype is %s; it should be ctypes.c_double.%s" % (
                report.get("restype"),
                " (c_int is ctypes' default: restype was never declared.)"
                if report.get("restype") == "c_int" else ""))
        t.expect(not problems, "load_cos(): " + " ".join(problems))
