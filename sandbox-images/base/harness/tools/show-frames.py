#!/usr/bin/env python3
"""Renders the harness's JSON frames (stdin) for a person, and optionally checks the verdict.

    ... | show-frames.py [--expect pass|EXPECTED.json] [--result-out FILE] [--raw]
                         [--merge FIRST.json] [--no-verdict]

Output frames are printed as the student would see them, step frames as dim markers, the result
as a table. With --expect, the exit status says whether the verdict is the expected one (the
rule of the golden tests: the status matches, every listed test failed, every listed finding
kind is present); without it, 0 means a result frame arrived.

--merge takes the result of a first stage (--result-out of an earlier run) and judges both
stages together, as the server merges a track's clean machine into one verdict.
--no-verdict leaves the verdict table out (for a first stage whose verdict is merged later).
"""

import argparse
import json
import sys

DIM, BOLD, GREEN, RED, YELLOW, RESET = "\x1b[2m", "\x1b[1m", "\x1b[32m", "\x1b[31m", "\x1b[33m", "\x1b[0m"


def check_expectation(result, expect):
    if expect == "pass":
        wanted = {"status": "pass"}
    else:
        with open(expect, encoding="utf-8") as f:
            wanted = json.load(f)
    problems = []
    if result is None:
        return ["no result frame arrived"]
    if result.get("status") != wanted.get("status"):
        problems.append("status is %r, expected %r" % (result.get("status"), wanted.get("status")))
    statuses = {t.get("name"): t.get("status") for t in result.get("tests", [])}
    for name in wanted.get("failedTests", []):
        if name not in statuses:
            problems.append("test %r was not reported" % name)
        elif statuses[name] == "pass":
            problems.append("test %r passed but must fail" % name)
    kinds = {f.get("kind") for f in result.get("findings", [])}
    for kind in wanted.get("findingKinds", []):
        if kind not in kinds:
            problems.append("finding kind %r is missing" % kind)
    return problems


def merge(first, second):
    """Both stages as one result (the rule of grading.StageVerdicts.merge)."""
    if second is None:
        return first
    tests = first.get("tests", []) + second.get("tests", [])
    statuses = {first.get("status"), second.get("status")}
    failed = [t["name"] for t in tests if t.get("status") != "pass"]
    status = "error" if "error" in statuses else "fail" if failed or "fail" in statuses else "pass"
    if first.get("limit") or first.get("status") == "error":
        message = first.get("message")
    elif second.get("limit") or second.get("status") == "error":
        message = second.get("message")
    elif failed:
        message = "%d of %d tests failed: %s%s." % (len(failed), len(tests), ", ".join(failed[:5]),
                                                    " and %d more" % (len(failed) - 5) if len(failed) > 5 else "")
    else:
        message = "All %d tests passed." % len(tests)
    return {"version": 3, "status": status, "message": message,
            "limit": first.get("limit") or second.get("limit"), "tests": tests,
            "metrics": first.get("metrics", []) + second.get("metrics", []),
            "findings": first.get("findings", []) + second.get("findings", [])}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--expect", help="'pass' or a hazard's expected.json")
    parser.add_argument("--result-out", help="write the result object to this file")
    parser.add_argument("--raw", action="store_true", help="also echo every frame as received")
    parser.add_argument("--merge", help="a first stage's result to judge together with this one")
    parser.add_argument("--no-verdict", action="store_true", help="do not print the verdict table")
    args = parser.parse_args()
    out = sys.stdout
    result, results, noise = None, 0, 0
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", "replace").rstrip("\n")
        if args.raw:
            out.write(DIM + "frame: " + line[:300] + RESET + "\n")
        try:
            frame = json.loads(line)
        except ValueError:
            noise += 1
            out.write(YELLOW + "[not a frame] " + RESET + line + "\n")
            continue
        kind = frame.get("type")
        if kind == "output":
            out.write(frame.get("text", ""))
        elif kind == "step" and frame.get("phase") == "end":
            out.write(DIM + "[step %s: %s, %.3f s]" % (frame.get("name"), frame.get("description"),
                                                    frame.get("seconds") or 0) + RESET + "\n")
        elif kind == "report":
            out.write(DIM + "[report from %s, %d characters]" % (frame.get("tool"),
                                                                 len(frame.get("text", ""))) + RESET + "\n")
        elif kind == "artifact" and frame.get("offset") == 0:
            out.write(DIM + "[hands over %s, %d bytes]" % (frame.get("path"), frame.get("size") or 0)
                      + RESET + "\n")
        elif kind == "artifacts" and frame.get("error"):
            out.write(RED + "[hand-over failed: %s]" % frame["error"] + RESET + "\n")
        elif kind == "result":
            results += 1
            result = frame.get("result")
        out.flush()
    if results != 1:
        out.write(RED + "protocol: %d result frames (exactly one expected)" % results + RESET + "\n")
    if noise:
        out.write(RED + "protocol: %d lines on stdout were not frames" % noise + RESET + "\n")
    if args.merge and result is not None:
        try:
            with open(args.merge, encoding="utf-8") as f:
                first = json.load(f)
        except (OSError, ValueError):
            first = {"status": "error", "message": "the first stage sent no result", "tests": []}
        result = merge(first, result)
    if result is not None and not args.no_verdict:
        colour = GREEN if result.get("status") == "pass" else RED
        out.write("\n" + BOLD + colour + "verdict: %s" % result.get("status") + RESET
                  + " - %s\n" % result.get("message"))
        for test in result.get("tests", []):
            mark = GREEN + "pass" if test.get("status") == "pass" else RED + test.get("status", "?")
            out.write("  %s%s  [%s] %s\n" % (mark, RESET, test.get("group"), test.get("name")))
            if test.get("status") != "pass" and test.get("message"):
                out.write("        " + test["message"].replace("\n", "\n        ") + "\n")
        for metric in result.get("metrics", []):
            out.write("  metric %s = %s %s\n" % (metric.get("name"), metric.get("value"), metric.get("unit") or ""))
        for finding in result.get("findings", []):
            out.write("  finding %s/%s: %s\n" % (finding.get("tool"), finding.get("kind"), finding.get("message")))
    if result is not None:
        if args.result_out:
            with open(args.result_out, "w", encoding="utf-8") as f:
                json.dump(result, f, indent=2)
    if args.expect:
        problems = check_expectation(result, args.expect)
        if results != 1 or noise:
            problems.append("the protocol stream was not clean")
        if problems:
            out.write(BOLD + RED + "NOT AS EXPECTED (%s): " % args.expect + RESET + "; ".join(problems) + "\n")
            return 1
        out.write(BOLD + GREEN + "as expected (%s)" % args.expect + RESET + "\n")
        return 0
    return 0 if results == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
