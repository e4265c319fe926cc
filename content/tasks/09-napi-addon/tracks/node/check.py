"""Check for task 9 (node track): a Node-API addon exposing add(a, b), built with node-gyp.

Runs in the harness's trusted process (docs/writing-a-check.md). The addon is built offline
against the Node headers of the image, with node-addon-api's switch that makes As<T>() check its
cast (a wrong cast then aborts the process instead of going unnoticed). The hidden probe makes one
call per process and reports on its channel; the judging happens here.
"""

import json
import math
import re

ADDON = "build/Release/addon.node"
# --nodedir: Node's headers come from the image (/usr/include/node); nothing is downloaded.
BUILD = ["node-gyp", "configure", "build", "--nodedir=/usr", "--loglevel=warn"]
BUILD_ENV = {"CXXFLAGS": "-DNODE_ADDON_API_ENABLE_TYPE_CHECK_ON_AS"}

TEST_BUILDS = "addon builds (node-gyp configure build)"
TEST_ADD = "add(2, 3) === 5"
TEST_FRACTIONS = "add(0.5, 0.25) === 0.75"
TEST_TYPES = "add('a', 1) throws a TypeError"
TEST_ARITY = "add() with too few arguments throws a TypeError"
TEST_NAPI = "uses only Node-API (no V8 or Node C++ symbols)"

# (test, shown call, args, expected sum or None for "throws a TypeError")
CASES = [
    (TEST_ADD, "add(2, 3)", [2, 3], 5),
    (TEST_ADD, "add(-7, 2)", [-7, 2], -5),
    (TEST_FRACTIONS, "add(0.5, 0.25)", [0.5, 0.25], 0.75),
    (TEST_FRACTIONS, "add(1e300, -2.5)", [1e300, -2.5], 1e300 - 2.5),
    (TEST_TYPES, "add('a', 1)", ["a", 1], None),
    (TEST_TYPES, "add(1, '2')", [1, "2"], None),
    (TEST_ARITY, "add()", [], None),
    (TEST_ARITY, "add(1)", [1], None),
]

# Undefined symbols that only an addon written against V8's or Node's C++ API imports.
# nm -C prints them demangled: "v8::HandleScope::HandleScope(v8::Isolate*)".
CXX_API = re.compile(r"^(v8::|node::|node_module_register$)")

AS_ADVICE = "info[i].As<Napi::Number>() does not check anything: it only relabels the handle."
CHECK_ADVICE = (
    "Test info.Length() and info[i].IsNumber() first, and when they do not hold, throw: "
    "Napi::TypeError::New(env, \"...\").ThrowAsJavaScriptException(); and return."
)


def run(c):
    built = c.step("build", BUILD, env=BUILD_ENV, timeout=120)
    names = [TEST_ADD, TEST_FRACTIONS, TEST_TYPES, TEST_ARITY, TEST_NAPI]
    if not built.ok:
        c.failed(TEST_BUILDS, "`%s` %s.%s" % (" ".join(BUILD), built.describe(),
                                               build_advice(built.output)),
                 output=built.output, group="Build")
    elif not c.exists(ADDON):
        c.failed(TEST_BUILDS, "node-gyp finished, but there is no %s. Is the target_name in "
                 "binding.gyp \"addon\"?" % ADDON, output=built.output, group="Build")
    else:
        c.passed(TEST_BUILDS, group="Build")
    if not built.ok or not c.exists(ADDON):
        for name in names:
            c.skip(name, "the addon did not build.")
        return

    c.note("The checker now loads build/Release/addon.node and calls add, one call per process.",
           style="\x1b[2m")
    results = {}
    for test, shown, args, _ in CASES:
        step = c.step("call " + shown, ["node", "probe_addon.js"], timeout=10, channel=True,
                      stdin=json.dumps({"id": shown, "args": args}), echo="node -e \"%s\"" % probe_js(shown))
        results[shown] = Call(step, shown)

    for test in (TEST_ADD, TEST_FRACTIONS):
        with c.test(test) as t:
            for name, shown, _, expected in CASES:
                if name == test:
                    judge_sum(t, results[shown], expected)
    for test in (TEST_TYPES, TEST_ARITY):
        with c.test(test) as t:
            for name, shown, _, _ in CASES:
                if name == test:
                    judge_throws(t, results[shown])

    symbols = c.step("symbols", ["nm", "-D", "-C", "--undefined-only", ADDON], timeout=10,
                     show=False, echo=False)
    with c.test(TEST_NAPI) as t:
        if not symbols.ok:
            raise RuntimeError("nm failed on the addon: " + symbols.describe())
        names = [line.split(None, 1)[1].strip() for line in symbols.output.splitlines()
                 if len(line.split(None, 1)) == 2]
        foreign = sorted({n for n in names if CXX_API.match(n)})
        t.expect(not foreign,
                 "addon.node calls %d function(s) of V8's or Node's C++ API, for example %s. Such "
                 "an addon only loads in the Node version whose V8 it was compiled against. Use "
                 "node-addon-api (napi.h) or node_api.h, whose functions keep their binary "
                 "interface across Node versions." % (len(foreign), ", ".join(foreign[:3])))


def build_advice(output):
    """A hint for the usual first build errors, or an empty string."""
    if "napi.h: No such file" in output:
        return (" The compiler did not find napi.h: binding.gyp needs node-addon-api's folder in "
                "\"include_dirs\" (`node -p \"require('node-addon-api').include_dir\"` prints "
                "it; in binding.gyp, \"<!(command)\" runs a command).")
    if "Exception support not detected" in output:
        return (" napi.h needs to know how errors travel: add NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS "
                "to \"defines\" in binding.gyp (or enable C++ exceptions instead).")
    if "gyp_main.py" in output or re.search(r"^gyp: ", output, re.MULTILINE):
        return " gyp could not read or process binding.gyp: see the last lines of its message above."
    return " See the first error in the build output above."


def probe_js(shown):
    return "require('./build/Release/addon').%s" % shown


class Call:
    """What one probe process reported about one call."""

    def __init__(self, step, shown):
        self.step = step
        self.shown = shown
        self.load = None
        self.result = None
        self.last_call = None
        for message in step.messages:
            if not isinstance(message, dict):
                continue
            kind = message.get("kind")
            if kind == "calling":
                self.last_call = message.get("id")
            elif kind == "load":
                self.load = message
            elif kind == "result":
                self.result = message

    def require_result(self, t):
        t.output = self.step.output
        if self.load is None:
            t.fail("Loading %s %s.%s" % (ADDON, self.step.describe(), fatal_detail(self.step.output)))
        if self.load.get("error"):
            t.fail("require('./%s') threw %s" % (ADDON, self.load["error"].get("repr")))
        t.expect(self.load.get("addType") == "function",
                 "The addon exports no function add (exports.add is %s). Set it in Init: "
                 "exports.Set(\"add\", Napi::Function::New(env, Add, \"add\"));"
                 % self.load.get("addType"))
        if self.result is None:
            advice = ""
            if "CheckCast" in self.step.output:
                advice = (" The message comes from node-addon-api's check of As<Napi::Number>(), "
                          "which the checker switches on: an argument that is not a number was "
                          "read as one. " + AS_ADVICE + " " + CHECK_ADVICE)
            t.fail("%s %s: the whole Node process died, not just the call.%s%s"
                   % (self.shown, self.step.describe(), fatal_detail(self.step.output), advice))
        return self.result


def judge_sum(t, call, expected):
    result = call.require_result(t)
    if result.get("threw"):
        t.fail("%s threw %s; expected %r." % (call.shown, result["threw"].get("repr"), expected))
    returned = result["returned"]
    number = returned.get("number")
    t.expect(returned.get("type") == "number",
             "%s returned %s (a %s), not a number. Return Napi::Number::New(env, sum)."
             % (call.shown, returned.get("repr"), returned.get("type")))
    t.expect(number is not None and math.isclose(number, expected, rel_tol=1e-12, abs_tol=0),
             "%s returned %s; expected %r.%s"
             % (call.shown, returned.get("repr"), expected,
                " Read the arguments with DoubleValue(): Int32Value() or Int64Value() cut off "
                "the fraction." if number is not None and number == int(number) and expected != int(expected)
                else ""))


def judge_throws(t, call):
    result = call.require_result(t)
    threw = result.get("threw")
    if threw is None:
        returned = result["returned"].get("repr")
        why = ""
        if returned == "NaN":
            why = (" A NaN means the arguments were converted instead of checked: ToNumber() "
                   "turns 'a' and undefined into NaN, as JavaScript's unary + does.")
        t.fail("%s returned %s instead of throwing a TypeError.%s %s"
               % (call.shown, returned, why, CHECK_ADVICE))
    t.expect(threw.get("isTypeError"),
             "%s threw %s, which is not a TypeError. Throw Napi::TypeError::New(env, \"...\")."
             % (call.shown, threw.get("repr")))


def fatal_detail(output):
    """The FATAL ERROR line Node prints before it aborts, if there is one."""
    for line in output.splitlines():
        if "FATAL ERROR" in line:
            return " Node printed: %s" % line.strip()
    return ""
