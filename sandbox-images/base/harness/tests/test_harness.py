"""Tests of the harness, run as a subprocess exactly as the container runs it (stdin: a tar).

    cd sandbox-images/base/harness && python3 -m unittest discover -s tests -v

Not being PID 1, the harness here kills a step's process group instead of every process, and
works in the temporary directory given with --workdir.
"""

import base64
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
import unittest

HARNESS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, HARNESS_DIR)

from ffilab_harness import describe_exit, describe_signal  # noqa: E402

HAVE_CC = shutil.which("cc") is not None


def make_tar(check, support=None, student=None, job=None, extra=None, artifacts=None):
    spec = {"runId": "t", "task": "00-test", "track": "python", "editable": sorted(student or {}),
            "outputLimitBytes": 1024 * 1024, "wallSeconds": 60}
    spec.update(job or {})
    entries = [("job.json", json.dumps(spec).encode()),
               ("check.py", textwrap.dedent(check).encode())]
    entries += [("support/" + k, v.encode()) for k, v in (support or {}).items()]
    entries += [("student/" + k, v.encode()) for k, v in (student or {}).items()]
    entries += [("artifacts/" + k, v if isinstance(v, bytes) else v.encode())
                for k, v in (artifacts or {}).items()]
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info in extra or []:
            tar.addfile(info, io.BytesIO(b"x" * info.size) if info.size else None)
    return out.getvalue()


class Run:
    def __init__(self, stdout, stderr, returncode, workdir, seconds):
        self.lines = stdout.decode("utf-8").splitlines()
        self.frames = [json.loads(line) for line in self.lines]
        self.stderr = stderr.decode("utf-8", "replace")
        self.returncode = returncode
        self.workdir = workdir
        self.seconds = seconds

    @property
    def result(self):
        results = [f for f in self.frames if f["type"] == "result"]
        assert len(results) == 1, "exactly one result frame, got %d" % len(results)
        assert self.frames[-1]["type"] == "result", "the result frame comes last"
        return results[0]["result"]

    @property
    def output(self):
        return "".join(f["text"] for f in self.frames if f["type"] == "output")

    def tests(self):
        return {t["name"]: t for t in self.result["tests"]}

    def steps(self, phase):
        return [f for f in self.frames if f["type"] == "step" and f["phase"] == phase]

    def artifacts(self):
        """The handed-over files, reassembled from their artifact frames: path -> (bytes, mode)."""
        files = {}
        for f in self.frames:
            if f["type"] == "artifact":
                data, mode = files.get(f["path"], (b"", f["mode"]))
                assert f["offset"] == len(data), "chunks arrive in order"
                files[f["path"]] = (data + base64.b64decode(f["data"]), f["mode"])
        for f in self.frames:
            if f["type"] == "artifact":
                assert len(files[f["path"]][0]) == f["size"], f["path"]
        return files

    def handover(self):
        """The one artifacts (summary) frame."""
        summaries = [f for f in self.frames if f["type"] == "artifacts"]
        assert len(summaries) == 1, "exactly one artifacts frame, got %d" % len(summaries)
        return summaries[0]


class HarnessTestCase(unittest.TestCase):
    def setUp(self):
        self.workdir = tempfile.mkdtemp(prefix="ffilab-harness-test-")
        self.addCleanup(shutil.rmtree, self.workdir, True)

    def run_harness(self, tar, timeout=60):
        env = dict(os.environ, PYTHONPATH=HARNESS_DIR)
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-P", "-m", "ffilab_harness", "--workdir", self.workdir],
            input=tar, capture_output=True, env=env, timeout=timeout, cwd="/",
        )
        return Run(proc.stdout, proc.stderr, proc.returncode, self.workdir,
                   time.monotonic() - started)

    def run_check(self, check, **kwargs):
        return self.run_harness(make_tar(check, **kwargs))


class ProtocolTests(HarnessTestCase):
    def test_a_passing_check_streams_steps_output_and_one_result(self):
        run = self.run_check(
            """
            def run(c):
                r = c.step("hello", ["sh", "-c", "echo out; echo err >&2"], test="says hello")
                with c.test("captured") as t:
                    t.expect(r.output == "out\\nerr\\n", repr(r.output))
            """
        )
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(run.result["status"], "pass")
        self.assertEqual(run.result["version"], 3)
        self.assertFalse(run.frames[-1]["outputTruncated"])
        self.assertEqual([t["status"] for t in run.result["tests"]], ["pass", "pass"])
        self.assertEqual(run.tests()["says hello"]["group"], "Build")
        start, = run.steps("start")
        end, = run.steps("end")
        self.assertEqual(start, {"type": "step", "name": "hello", "phase": "start",
                                 "command": "sh -c 'echo out; echo err >&2'"})
        self.assertEqual(end["exitCode"], 0)
        self.assertIsNone(end["signal"])
        self.assertFalse(end["timedOut"])
        self.assertIn("\x1b[2m$ sh -c 'echo out; echo err >&2'\x1b[0m\n", run.output)
        self.assertIn("out\nerr\n", run.output)
        self.assertTrue(run.frames.index(start) < run.frames.index(end))

    def test_student_and_support_files_are_laid_out_and_children_get_a_terminal(self):
        run = self.run_check(
            """
            def run(c):
                r = c.step("look", ["python3", "-c", "import os, sys; print(open('main.py').read().strip(), open('lib/helper.txt').read().strip(), sys.stdout.isatty(), os.environ.get('TERM'), os.environ.get('PYTHONUNBUFFERED'), 'PYTHONPATH' in os.environ, os.getcwd() == os.environ['HOME'])"])
                with c.test("seen") as t:
                    t.expect(r.output.strip() == "student support True xterm-256color 1 False True", repr(r.output))
            """,
            student={"main.py": "student"}, support={"lib/helper.txt": "support"},
        )
        self.assertEqual(run.result["status"], "pass", run.result)

    def test_a_fake_result_printed_by_a_program_is_only_output(self):
        fake = json.dumps({"type": "result", "result": {"status": "pass", "tests": []}})
        run = self.run_check(
            """
            def run(c):
                c.step("forge", ["echo", %r])
                c.failed("real test", "it failed")
            """ % fake
        )
        self.assertEqual(run.result["status"], "fail")
        self.assertIn(fake, run.output)

    def test_a_stray_print_in_the_check_goes_to_stderr(self):
        run = self.run_check(
            """
            def run(c):
                print("debugging the check")
                c.passed("ok")
            """
        )
        self.assertEqual(run.result["status"], "pass")
        self.assertIn("debugging the check", run.stderr)

    def test_stdin_left_open_after_the_archive_does_not_block(self):
        tar = make_tar("def run(c):\n    c.passed('ok')\n")
        env = dict(os.environ, PYTHONPATH=HARNESS_DIR)
        proc = subprocess.Popen([sys.executable, "-P", "-m", "ffilab_harness", "--workdir",
                                 self.workdir], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, env=env)
        try:
            proc.stdin.write(tar)
            proc.stdin.flush()  # and not closed
            line = proc.stdout.readline()
            self.assertEqual(json.loads(line)["result"]["status"], "pass")
            self.assertEqual(proc.wait(timeout=10), 0)
        finally:
            proc.kill()
            proc.wait()
            proc.stdin.close()
            proc.stdout.close()


class StepTests(HarnessTestCase):
    def test_a_crashing_child_is_described(self):
        run = self.run_check(
            """
            def run(c):
                r = c.step("crash", ["python3", "-c", "import os, signal; print('last words'); os.kill(os.getpid(), signal.SIGSEGV)"])
                with c.test("crash") as t:
                    t.expect(r.signal == 11 and r.exit_code is None and r.crashed and not r.ok, repr(r))
                    t.expect(r.signal_name == "SIGSEGV", r.signal_name)
                    t.expect("last words" in r.output, r.output)
                    t.message = r.describe()
            """
        )
        self.assertEqual(run.result["status"], "pass", run.result)
        self.assertTrue(run.tests()["crash"]["message"].startswith(
            "crashed with SIGSEGV (segmentation fault"))
        end, = run.steps("end")
        self.assertEqual(end["signal"], "SIGSEGV")
        self.assertIsNone(end["exitCode"])
        self.assertIn("\u2717 crash: crashed with SIGSEGV", run.output)

    @unittest.skipUnless(HAVE_CC, "needs a C compiler")
    def test_c_output_printed_before_a_crash_survives(self):
        # On a pipe, stdio would hold "before the crash" in its buffer and lose it at the crash.
        source = "#include <stdio.h>\nint main(void) { printf(\"before the crash\\n\"); *(volatile int *)0 = 1; return 0; }\n"
        run = self.run_check(
            """
            def run(c):
                c.step("build", ["cc", "-o", "crash", "crash.c"], test="builds")
                r = c.step("run", ["./crash"])
                with c.test("printed") as t:
                    t.expect("before the crash" in r.output, repr(r.output))
                    t.expect(r.signal == 11, r.describe())
            """,
            student={"crash.c": source},
        )
        self.assertEqual(run.result["status"], "pass", run.result)

    def test_a_timeout_kills_the_step_and_its_children(self):
        run = self.run_check(
            """
            import os, time
            def run(c):
                r = c.step("sleepy", ["sh", "-c", "sleep 30 & echo $! > bg.pid; sleep 30"], timeout=0.5)
                with c.test("timed out") as t:
                    t.expect(r.timed_out and not r.ok, repr(r))
                    t.expect(r.seconds < 2, r.seconds)
                    t.message = r.describe()
                with c.test("background killed") as t:
                    pid = int(c.read_text("bg.pid"))
                    time.sleep(0.1)
                    try:
                        os.kill(pid, 0)
                        state = open("/proc/%d/stat" % pid).read().split()[2]
                    except ProcessLookupError:
                        state = "gone"
                    t.expect(state in ("gone", "Z"), state)
            """
        )
        self.assertEqual(run.result["status"], "pass", run.result)
        self.assertEqual(run.tests()["timed out"]["message"], "was stopped after 0.5 s (its time limit)")
        end, = run.steps("end")
        self.assertTrue(end["timedOut"])
        self.assertLess(run.seconds, 10)

    def test_the_run_budget_caps_step_timeouts(self):
        run = self.run_check(
            """
            def run(c):
                r = c.step("long", ["sleep", "30"], timeout=30)
                with c.test("stopped by the budget") as t:
                    t.expect(r.timed_out, repr(r))
                    t.expect(r.timeout <= 2.5, r.timeout)
                    t.message = r.describe()
                late = c.step("late", ["true"])
                with c.test("no time left") as t:
                    t.expect(late.not_run and not late.ok, repr(late))
            """,
            job={"wallSeconds": 3},
        )
        self.assertEqual(run.result["status"], "pass", run.result)
        self.assertLess(run.seconds, 6)
        self.assertRegex(run.tests()["stopped by the budget"]["message"],
                         r"^was stopped after [\d.]+ s, when the run's time limit ran out$")

    def test_output_past_the_limit_is_dropped_with_one_notice(self):
        run = self.run_check(
            """
            def run(c):
                r = c.step("chatty", ["python3", "-c", "[print('y' * 99) for _ in range(3000)]"])
                c.step("after", ["echo", "after the limit"])
                with c.test("captured") as t:
                    t.expect(r.ok, r.describe())
                    t.expect(r.output.count("y" * 99) == 3000, len(r.output))
            """,
            job={"outputLimitBytes": 5000},
        )
        self.assertEqual(run.result["status"], "pass", run.result)
        self.assertEqual(run.output.count("[output truncated"), 1)
        self.assertTrue(run.frames[-1]["outputTruncated"])
        printed = run.output.count("y")
        self.assertLessEqual(printed, 5000)
        self.assertGreater(printed, 4000)
        self.assertNotIn("after the limit\n", run.output.replace("$ echo 'after the limit'", ""))
        self.assertIn("$ echo 'after the limit'", run.output)  # the harness's own lines still show

    def test_a_flood_of_output_is_stopped_and_decides_the_headline(self):
        run = self.run_check(
            """
            def run(c):
                c.step("flood", ["python3", "-c", "import os\\nwhile True: os.write(1, b'y' * 65536)"],
                       test="floods")
            """,
            job={"outputLimitBytes": 4096},
        )
        self.assertLess(run.seconds, 10)
        end, = run.steps("end")
        self.assertEqual(end["limit"], "output")
        self.assertFalse(end["timedOut"])
        self.assertEqual(end["description"], "was stopped after printing more than 16 MiB")
        self.assertEqual(run.result["status"], "fail")
        self.assertEqual(run.result["limit"]["kind"], "output")
        self.assertEqual(run.result["limit"]["step"], "flood")
        self.assertTrue(run.result["message"].startswith(
            "Output limit: `python3 -c "), run.result["message"])
        self.assertIn("A run shows at most 4 KiB of output", run.result["message"])
        self.assertTrue(run.result["message"].endswith("1 of 1 tests failed: floods."))

    def test_the_first_limit_a_step_ran_into_leads_the_headline_of_a_failed_run(self):
        run = self.run_check(
            """
            def run(c):
                c.step("ok", ["true"], test="first")
                c.step("endless", ["sleep", "30"], timeout=0.3, test="endless")
                c.step("late", ["sleep", "30"], timeout=0.3, test="late")
            """
        )
        self.assertEqual(run.result["status"], "fail")
        self.assertEqual(run.result["limit"], {
            "kind": "time", "step": "endless", "message": "Time limit: `sleep 30` was stopped after"
            " 0.3 s (its time limit). Look for an endless loop, a deadlock or a wait that never ends."})
        self.assertEqual([f["limit"] for f in run.steps("end")], [None, "time", "time"])
        self.assertEqual(run.result["message"], run.result["limit"]["message"]
                         + " 2 of 3 tests failed: endless, late.")

    def test_a_passing_run_and_a_plain_failure_name_no_limit(self):
        run = self.run_check(
            """
            def run(c):
                c.step("expected", ["sleep", "30"], timeout=0.2)
                c.passed("fine")
            """
        )
        self.assertEqual(run.result["status"], "pass")
        self.assertIsNone(run.result["limit"])
        self.assertEqual(run.result["message"], "All 1 tests passed.")
        run = self.run_check(
            """
            def run(c):
                c.step("fails", ["false"], test="exits 0")
            """
        )
        self.assertIsNone(run.result["limit"])
        self.assertEqual(run.result["message"], "1 of 1 tests failed: exits 0.")

    def test_escaped_control_characters_count_towards_the_limit(self):
        run = self.run_check(
            """
            def run(c):
                c.step("binary", ["python3", "-c", "import sys; sys.stdout.buffer.write(bytes([1]) * 100000)"])
                c.passed("ok")
            """,
            job={"outputLimitBytes": 20000},
        )
        self.assertEqual(run.result["status"], "pass")
        stdout_bytes = sum(len(line) for line in run.lines)
        self.assertLess(stdout_bytes, 20000 * 4)
        self.assertIn("[output truncated", run.output)

    def test_output_frames_are_batched(self):
        run = self.run_check(
            """
            def run(c):
                c.step("lines", ["python3", "-c", "[print(i) for i in range(2000)]"])
                c.passed("ok")
            """
        )
        frames = [f for f in run.frames if f["type"] == "output"]
        self.assertLess(len(frames), 50)
        self.assertIn("1999\n", run.output)

    def test_stdin_channel_and_env(self):
        run = self.run_check(
            """
            def run(c):
                r = c.step("echo", ["python3", "-c", "import os, json, sys; data = sys.stdin.read(); os.write(int(os.environ['FFILAB_CHANNEL_FD']), (json.dumps({'got': data, 'x': os.environ.get('X'), 'home': 'HOME' in os.environ}) + '\\\\n').encode())"],
                           stdin="hello", channel=True, env={"X": "1", "HOME": None})
                with c.test("channel") as t:
                    t.expect(r.messages == [{"got": "hello", "x": "1", "home": False}], repr(r.messages))
            """
        )
        self.assertEqual(run.result["status"], "pass", run.result)

    def test_a_missing_program_is_reported_not_raised(self):
        run = self.run_check(
            """
            def run(c):
                c.step("missing", ["no-such-program-ffilab"], test="runs")
            """
        )
        self.assertEqual(run.result["status"], "fail")
        self.assertIn("could not run: no-such-program-ffilab", run.tests()["runs"]["message"])

    def test_support_files_are_rewritten_before_every_step(self):
        # Links point inside the work directory: a bug here must not write outside it.
        run = self.run_check(
            """
            def run(c):
                c.step("tamper", ["sh", "-c", "echo forged > driver.py; echo victim > victim.txt; ln -sf ../victim.txt x/data.txt; mkdir elsewhere; rm -rf sub; ln -s elsewhere sub"])
                r = c.step("read", ["sh", "-c", "cat driver.py x/data.txt sub/deep.txt victim.txt; ls elsewhere; test -L x/data.txt && echo link; test -L sub && echo dirlink; true"])
                with c.test("original") as t:
                    t.expect(r.output == "print('driver')\\ndata\\ndeep\\nvictim\\n", repr(r.output))
            """,
            support={"driver.py": "print('driver')\n", "x/data.txt": "data\n", "sub/deep.txt": "deep\n"},
        )
        self.assertEqual(run.result["status"], "pass", run.result)

    def test_read_text_follows_no_symlink_and_opens_no_fifo(self):
        run = self.run_check(
            """
            def run(c):
                c.step("plant", ["sh", "-c", "echo real > real.txt; ln -s real.txt link.txt; ln -s . dirlink; mkfifo fifo"])
                with c.test("safe reads") as t:
                    t.expect(c.read_text("link.txt") is None, "followed a symlink")
                    t.expect(c.read_text("dirlink/real.txt") is None, "followed a folder symlink")
                    t.expect(c.read_text("fifo") is None, "opened a fifo")
                    t.expect(c.read_text("real.txt") == "real\\n", "real file")
                    t.expect(c.exists("real.txt") and not c.exists("link.txt"), "exists")
            """
        )
        self.assertEqual(run.result["status"], "pass", run.result)


class ResultTests(HarnessTestCase):
    def test_test_outcomes(self):
        run = self.run_check(
            """
            def run(c):
                with c.test("passes") as t:
                    t.message = "fine"
                with c.test("expect") as t:
                    t.expect(False, "expected failure", output="some output")
                with c.test("assert") as t:
                    assert 1 == 2, "one is not two"
                with c.test("bug in check", group="Memory") as t:
                    {}["missing"]
                c.skip("skipped", "the build failed")
                c.passed("passes")
                c.metric("speed", 1.5, "ms", lower_is_better=True)
                c.finding("asan", "heap-use-after-free", "use after free", [{"file": "a.c", "line": 3, "function": "f"}])
                c.report("asan", "==1==ERROR: AddressSanitizer", test="expect")
            """
        )
        result = run.result
        self.assertEqual(result["status"], "fail")
        tests = run.tests()
        self.assertEqual(tests["passes"]["message"], "fine")
        self.assertEqual((tests["expect"]["status"], tests["expect"]["message"], tests["expect"]["output"]),
                         ("fail", "expected failure", "some output"))
        self.assertEqual(tests["assert"]["message"], "one is not two")
        self.assertEqual(tests["bug in check"]["status"], "error")
        self.assertEqual(tests["bug in check"]["group"], "Memory")
        self.assertIn("KeyError", tests["bug in check"]["message"])
        self.assertEqual(tests["skipped"]["message"], "Not run: the build failed")
        self.assertIn("passes (2)", tests)
        self.assertEqual(result["metrics"], [{"name": "speed", "value": 1.5, "unit": "ms", "lowerIsBetter": True}])
        self.assertEqual(result["findings"][0]["frames"], [{"file": "a.c", "line": 3, "function": "f"}])
        report, = [f for f in run.frames if f["type"] == "report"]
        self.assertEqual(report, {"type": "report", "tool": "asan", "test": "expect",
                                  "text": "==1==ERROR: AddressSanitizer"})
        self.assertIn("Traceback", run.stderr)
        self.assertIn("4 of 6 tests failed", result["message"])

    def test_a_raising_check_still_ends_with_an_error_result(self):
        run = self.run_check(
            """
            def run(c):
                c.passed("before")
                raise RuntimeError("the check broke")
            """
        )
        self.assertEqual(run.returncode, 0)
        self.assertEqual(run.result["status"], "error")
        self.assertIn("RuntimeError: the check broke", run.result["message"])
        self.assertIn("not in your code", run.result["message"])
        self.assertEqual([t["name"] for t in run.result["tests"]], ["before"])
        self.assertIn("Traceback", run.stderr)
        self.assertIn('File "check.py", line 4', run.stderr)
        self.assertNotIn("Traceback", json.dumps(run.frames))

    def test_a_check_that_does_not_compile_or_exits(self):
        for source, fragment in (("def run(c) oops\n", "SyntaxError"),
                                 ("import sys\ndef run(c):\n    sys.exit(3)\n", "SystemExit"),
                                 ("x = 1\n", "no run(check) function")):
            with self.subTest(source=source):
                run = self.run_check(source)
                self.assertEqual(run.result["status"], "error")
                self.assertIn(fragment, run.result["message"])

    def test_no_tests_is_an_error(self):
        run = self.run_check("def run(c):\n    c.step('nothing', ['true'])\n")
        self.assertEqual(run.result["status"], "error")
        self.assertIn("no tests", run.result["message"])


class ArchiveTests(HarnessTestCase):
    def assert_rejected(self, tar, fragment):
        run = self.run_harness(tar)
        self.assertEqual(run.result["status"], "error")
        self.assertIn(fragment, run.result["message"])
        self.assertEqual(os.listdir(self.workdir), [])

    def test_unsafe_entries_are_rejected(self):
        check = "def run(c):\n    c.passed('ok')\n"
        link = tarfile.TarInfo("student/link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        self.assert_rejected(make_tar(check, extra=[link]), "only files and folders")
        for name in ("/etc/evil", "student/../../evil", "../evil"):
            with self.subTest(name=name):
                entry = tarfile.TarInfo(name)
                entry.size = 1
                self.assert_rejected(make_tar(check, extra=[entry]), "unsafe name")
        other = tarfile.TarInfo("elsewhere/file")
        other.size = 1
        self.assert_rejected(make_tar(check, extra=[other]), "unexpected entry")

    def test_missing_parts_and_broken_archives(self):
        self.assert_rejected(b"", "no job archive")
        self.assert_rejected(make_tar("x")[:700], "ended early")
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w") as tar:
            info = tarfile.TarInfo("job.json")
            info.size = 2
            tar.addfile(info, io.BytesIO(b"{}"))
        self.assert_rejected(out.getvalue(), "no check.py")


class HandoverTests(HarnessTestCase):
    def test_collected_files_are_sent_in_chunks_before_the_result(self):
        run = self.run_check(
            """
            import os
            def run(c):
                c.step("make", ["sh", "-c", "mkdir -p dist/sub wheelhouse && printf wheel > dist/a.whl"
                                " && head -c 500000 /dev/urandom > dist/sub/big.bin && printf '#!/bin/sh' > dist/run.sh"
                                " && chmod +x dist/run.sh && printf other > wheelhouse/b.whl && printf no > elsewhere.txt"])
                c.passed("made")
            """,
            job={"collect": ["dist", "wheelhouse/b.whl", "not-there"]},
        )
        self.assertEqual(run.result["status"], "pass", run.result)
        files = run.artifacts()
        self.assertEqual(sorted(files), ["dist/a.whl", "dist/run.sh", "dist/sub/big.bin", "wheelhouse/b.whl"])
        self.assertEqual(files["dist/a.whl"], (b"wheel", 0o644))
        self.assertEqual(files["dist/run.sh"][1], 0o755)
        with open(os.path.join(run.workdir, "dist/sub/big.bin"), "rb") as f:
            self.assertEqual(files["dist/sub/big.bin"][0], f.read())
        chunks = [f for f in run.frames if f["type"] == "artifact" and f["path"] == "dist/sub/big.bin"]
        self.assertEqual(len(chunks), 3)  # 500,000 bytes in chunks of 192 KiB
        summary = run.handover()
        self.assertEqual(summary["files"], 4)
        self.assertEqual(summary["bytes"], 5 + 9 + 500000 + 5)
        self.assertEqual(summary["missing"], ["not-there"])
        self.assertIsNone(summary["error"])
        # The summary follows the last artifact, and the result comes last.
        kinds = [f["type"] for f in run.frames]
        self.assertEqual(kinds.index("artifacts"), len(kinds) - 2)
        self.assertLess(max(i for i, k in enumerate(kinds) if k == "artifact"), kinds.index("artifacts"))

    def test_links_fifos_and_other_files_are_passed_over_never_read(self):
        secret = os.path.join(self.workdir, "..", os.path.basename(self.workdir) + "-secret")
        with open(secret, "w") as f:
            f.write("SECRET")
        self.addCleanup(os.remove, secret)
        outside = tempfile.mkdtemp(prefix="ffilab-outside-")
        self.addCleanup(shutil.rmtree, outside, True)
        with open(os.path.join(outside, "x.whl"), "w") as f:
            f.write("SECRET")
        run = self.run_check(
            """
            import os
            def run(c):
                os.makedirs("dist")
                os.symlink(%r, "dist/link.whl")
                os.symlink(%r, "dist/folder")
                os.mkfifo("dist/pipe.whl")
                os.symlink(%r, "linked-dir")
                with open("dist/real.whl", "w") as f:
                    f.write("real")
                c.passed("planted")
            """ % (os.path.abspath(secret), outside, outside),
            job={"collect": ["dist", "linked-dir", "linked-dir/x.whl", "../escape"]},
        )
        self.assertEqual(run.result["status"], "pass", run.result)
        self.assertEqual(run.artifacts(), {"dist/real.whl": (b"real", 0o644)})
        self.assertNotIn("SECRET", "\n".join(run.lines))
        summary = run.handover()
        self.assertEqual(summary["passedOver"], ["../escape", "dist/folder", "dist/link.whl", "dist/pipe.whl",
                                                 "linked-dir", "linked-dir/x.whl"])
        self.assertIsNone(summary["error"])

    def test_over_the_limit_nothing_is_sent_and_the_summary_says_why(self):
        run = self.run_check(
            """
            def run(c):
                c.write_file("dist/a.whl", b"x" * 3000)
                c.write_file("dist/b.whl", b"y" * 3000)
                c.passed("made")
            """,
            job={"collect": ["dist"], "collectLimitBytes": 5000},
        )
        self.assertEqual(run.artifacts(), {})
        summary = run.handover()
        self.assertEqual((summary["files"], summary["bytes"]), (0, 0))
        self.assertEqual(summary["error"], "the files to hand over (dist) add up to 5.9 KiB, more than "
                                           "the 4.9 KiB a run may hand over")
        self.assertEqual(run.result["status"], "pass")

    def test_the_limit_cannot_be_raised_past_16_mib(self):
        run = self.run_check(
            """
            def run(c):
                c.write_file("dist/big.bin", b"z" * (16 * 1024 * 1024 + 1))
                c.passed("made")
            """,
            job={"collect": ["dist"], "collectLimitBytes": 1 << 40},
        )
        self.assertIn("more than the 16 MiB a run may hand over", run.handover()["error"])

    def test_without_collect_there_is_no_handover_frame(self):
        run = self.run_check(
            """
            def run(c):
                c.write_file("dist/a.whl", b"x")
                c.passed("made")
            """
        )
        self.assertEqual([f for f in run.frames if f["type"].startswith("artifact")], [])

    def test_artifacts_of_the_archive_are_laid_out_once_beside_the_check(self):
        run = self.run_check(
            """
            import os
            def run(c):
                r = c.step("look", ["sh", "-c", "cat wheelhouse/x.whl; ls -1"])
                with c.test("laid out") as t:
                    t.expect(r.output == "wheel bytesprobe.py\\nwheelhouse\\n", repr(r.output))
            """,
            support={"probe.py": "pass\n"},
            artifacts={"wheelhouse/x.whl": b"wheel bytes"},
        )
        self.assertEqual(run.result["status"], "pass", run.result)

    def test_an_artifact_may_not_shadow_a_support_file(self):
        run = self.run_check("def run(c):\n    c.passed('x')\n", support={"probe.py": "pass\n"},
                             artifacts={"probe.py": b"evil"})
        self.assertEqual(run.returncode, 2)
        self.assertIn("both named 'probe.py'", run.result["message"])


class DescribeTests(unittest.TestCase):
    def test_descriptions(self):
        self.assertEqual(describe_exit(0), "exited normally (code 0)")
        self.assertEqual(describe_exit(2), "exited with code 2")
        self.assertTrue(describe_exit(139).startswith("crashed with SIGSEGV (segmentation fault"))
        self.assertIn("exit code 139", describe_exit(139))
        self.assertTrue(describe_exit(None, 6).startswith("crashed with SIGABRT (abort"))
        self.assertEqual(describe_exit(None, 9, timed_out=True, timeout=10),
                         "was stopped after 10 s (its time limit)")
        self.assertIn("memory limit", describe_exit(None, 9, oom_killed=True))
        self.assertEqual(describe_signal(64), "SIGRTMAX")
        self.assertEqual(describe_signal(11)[:7], "SIGSEGV")


if __name__ == "__main__":
    unittest.main()
