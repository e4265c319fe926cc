"""Check for task 4 (go track): a C function in the cgo preamble, called from Go.

Runs in the harness's trusted process (docs/writing-a-check.md). Student code runs only in the
steps: the cgo build (which compiles the preamble with gcc) and the program. What main.go says
is read by ffilab-goinspect, a parser built into the image that never runs the code.
"""

import json
import re

PROGRAM = "csquare"
SOURCE = "main.go"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
RESULT_LINE = re.compile(r"^csquare\(7\)\s*=\s*(\S+)\s*$")

PREAMBLE_RULE = (
    "cgo takes as C code only the comment that sits directly above import \"C\", with no blank "
    "line in between (the preamble). A comment separated by a blank line is an ordinary Go "
    "comment, so cgo never sees csquare and cannot tell what C.csquare is."
)


def run(c):
    c.step("go cache", ["ffilab-go-cache"], timeout=20, show=False, echo=False)
    source = inspect(c, SOURCE)

    build = c.step("build", ["go", "build", "-o", PROGRAM, "."], timeout=90)
    check_build(c, build, source)

    if build.ok:
        program = c.step("run", ["./" + PROGRAM], timeout=10)
        check_output(c, program, source)
    else:
        c.skip("prints csquare(7) = 49", "main.go did not build.")
    check_conversions(c, source)

    c.note("Now the same package without cgo: this build is expected to fail.", style="\x1b[2m")
    # Not relayed live: a failing step gets a red cross, and here failing is the point.
    nocgo = c.step("build without cgo", ["go", "build", "-o", "/tmp/csquare-nocgo", "."],
                   env={"CGO_ENABLED": "0"}, timeout=60, show=False,
                   echo="CGO_ENABLED=0 go build -o /tmp/csquare-nocgo .")
    for line in clean(nocgo.output).splitlines()[:40]:
        c.note(line)
    c.note("(%s%s)" % (nocgo.describe(), "" if nocgo.ok else ", as expected"), style="\x1b[2m")
    check_nocgo(c, nocgo, source)


# -- what ffilab-goinspect says about main.go -------------------------------------------------


def inspect(c, name):
    """The parser's description of one file (a dict), or None when it could not run."""
    step = c.step("inspect", ["ffilab-goinspect", name], timeout=20, show=False, echo=False)
    try:
        return json.loads(step.output)["files"][0]
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def import_c(source):
    for imp in (source or {}).get("imports", []):
        if imp.get("path") == "C":
            return imp
    return None


def calls(source):
    """Every call expression in the file's functions, as written (C.csquare, int, fmt.Printf)."""
    found = set()
    for func in (source or {}).get("funcs", []):
        found.update(func.get("calls", []))
    return found


# -- the tests ----------------------------------------------------------------------------------


def check_build(c, build, source):
    name = "main.go builds with cgo"
    imp = import_c(source)
    if build.ok:
        if source is not None and imp is None:
            c.failed(name, "main.go built, but it does not import \"C\", so no C code is involved: "
                     "write csquare in a comment directly above import \"C\".", group="Build")
        else:
            c.passed(name, "go build ran cgo, which compiled the preamble with gcc and linked it "
                     "into the program.", group="Build")
        return
    output = clean(build.output)
    detached = (imp or {}).get("detachedComment")
    if imp is not None and imp.get("preamble") is None and detached:
        where = ("line %d" % detached["startLine"] if detached["startLine"] == detached["endLine"]
                 else "lines %d-%d" % (detached["startLine"], detached["endLine"]))
        message = ("main.go does not build: %d blank line%s between the comment on %s and "
                   "import \"C\" on line %d. %s Delete the blank line."
                   % (detached["blankLines"], "" if detached["blankLines"] == 1 else "s", where,
                      imp["line"], PREAMBLE_RULE))
    elif imp is not None and imp.get("preamble") is None and imp.get("groupComment"):
        message = ("main.go does not build: the comment on line %d sits above an import list that "
                   "holds \"C\" and other packages, so it belongs to the whole list and cgo does not "
                   "read it. Write import \"C\" as a declaration of its own, right under the comment, "
                   "and import the other packages in a second import declaration."
                   % imp["groupComment"]["startLine"])
    elif "could not determine what C." in output or "could not determine kind of name for C." in output:
        message = ("main.go does not build: the compiler does not know a name you used as C.<name>. "
                   + PREAMBLE_RULE + " Check that csquare is defined in that comment.")
    elif imp is None and re.search(r"undefined: C\b", output):
        message = ("main.go does not build: it uses C.<name> without import \"C\". Add import \"C\" "
                   "on the line right after the comment holding the C code.")
    elif re.search(r"cannot use .* as _Ctype_int|cannot use .*\(variable of type int\)", output):
        message = ("main.go does not build: a Go int is not a C int. Convert on the way in with "
                   "C.int(x) and on the way out with int(...).")
    else:
        message = "`go build` %s. The compiler's messages are below." % build.describe()
    c.failed(name, message, output=build.output, group="Build")


def check_output(c, program, source):
    with c.test("prints csquare(7) = 49") as t:
        t.output = program.output
        value = None
        for line in clean(program.output).splitlines():
            match = RESULT_LINE.match(line.strip())
            if match:
                value = match.group(1)
        t.expect(program.ok or value is not None,
                 "The program %s before printing a csquare(7) line." % program.describe())
        t.expect(value is not None, "The program printed no line of the form `csquare(7) = 49`.")
        t.expect(value == "49", "The program printed csquare(7) = %s; 7 squared is 49." % value)
        t.expect(program.ok, "The program printed the right line but then %s." % program.describe())
        t.expect(source is None or "C.csquare" in calls(source),
                 "The line is right, but main.go never calls C.csquare: print the value the C "
                 "function returns.")
        t.message = "The value came back from C: csquare(7) = 49."


def check_conversions(c, source):
    with c.test("converts with C.int and int()") as t:
        t.expect(source is not None and not source.get("error"),
                 "main.go could not be read as Go source%s."
                 % (": " + source["error"] if source and source.get("error") else ""))
        found = calls(source)
        t.expect("C.int" in found,
                 "main.go never converts to C.int. A Go int and a C int are different types: pass "
                 "C.int(x) to csquare (an untyped constant such as 7 converts silently, a Go int "
                 "variable does not).")
        t.expect("int" in found,
                 "main.go never converts the result back with int(...): csquare returns a C.int, "
                 "which is not a Go int.")


def check_nocgo(c, nocgo, source):
    with c.test("CGO_ENABLED=0 build fails", group="Build") as t:
        t.output = nocgo.output
        output = clean(nocgo.output)
        if nocgo.ok:
            t.fail("With CGO_ENABLED=0 the package still built, so it does not depend on cgo: "
                   "main.go must import \"C\" and call C.csquare.")
        match = re.search(r"[^\n]*build constraints exclude all Go files[^\n]*", output)
        t.expect(match is not None,
                 "The build without cgo failed, as it should, but not for the reason this test "
                 "demonstrates (%s): fix the normal build first." % nocgo.describe())
        shown = match.group(0).strip().replace(" in /work", "")
        t.message = ("As expected, it failed: \"%s\". A file that imports \"C\" is compiled only "
                     "when cgo is on, and cgo needs a C compiler: with CGO_ENABLED=0 go build "
                     "leaves main.go out and finds no Go files at all." % shown)


def clean(text):
    return ANSI.sub("", text or "")
