"""The harness as PID 1 of a real sandbox container, under the production flags.

Skipped unless FFILAB_TEST_IMAGE names an image (e.g. ffilab/python) and docker works:

    FFILAB_TEST_IMAGE=ffilab/python python3 -m unittest discover -s tests -v

This working copy of the harness is mounted over the image's, so no rebuild is needed.
"""

import json
import os
import shutil
import subprocess
import unittest

from test_harness import HARNESS_DIR, Run, make_tar

IMAGE = os.environ.get("FFILAB_TEST_IMAGE")
# The clean-machine image (no compiler) also runs the harness; tested when it is built.
RUNTIME_IMAGE = os.environ.get("FFILAB_TEST_RUNTIME_IMAGE", "ffilab/python-runtime")


def image_exists(name):
    return subprocess.run(["docker", "image", "inspect", name], capture_output=True).returncode == 0

DOCKER_FLAGS = [
    "--network", "none", "--memory", "512m", "--memory-swap", "512m", "--pids-limit", "256",
    "--cpus", "1", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--read-only",
    "--tmpfs", "/work:rw,exec,nosuid,size=64m,uid=1000,gid=1000,mode=0700",
    "--tmpfs", "/tmp:rw,exec,nosuid,size=64m,uid=1000,gid=1000", "--user", "1000:1000",
]


@unittest.skipUnless(IMAGE and shutil.which("docker"), "set FFILAB_TEST_IMAGE to run in docker")
class ContainerTests(unittest.TestCase):
    def run_in_container(self, check, image=None, **kwargs):
        command = ["docker", "run", "--rm", "-i", *DOCKER_FLAGS,
                   "-v", "%s:/opt/ffilab/harness:ro" % HARNESS_DIR, image or IMAGE, "ffilab-harness"]
        proc = subprocess.run(command, input=make_tar(check, **kwargs), capture_output=True,
                              timeout=120)
        return Run(proc.stdout, proc.stderr, proc.returncode, None, 0)

    def test_no_process_outlives_its_step(self):
        run = self.run_in_container(
            """
            def run(c):
                c.step("escape", ["sh", "-c", "setsid sleep 30 & nohup sleep 31 >/dev/null 2>&1 & (trap '' HUP TERM; exec sleep 32) & echo started"])
                r = c.step("ps", ["ps", "-eo", "pid,args"])
                with c.test("alone") as t:
                    t.expect("sleep" not in r.output, r.output)
            """
        )
        self.assertEqual(run.result["status"], "pass", run.result)

    def test_limits_get_their_own_reasons_and_pid_1_survives_them(self):
        run = self.run_in_container(
            """
            def run(c):
                r = c.step("hog", ["python3", "-c", "x = bytearray(2000 * 1024 * 1024)"])
                with c.test("memory") as t:
                    t.expect(r.oom_killed and r.signal == 9, repr(r))
                    t.message = r.describe()
                r = c.step("forks", ["sh", "-c", "for i in $(seq 400); do sleep 5 & done; wait"], timeout=5)
                with c.test("processes") as t:
                    t.expect(r.pids_exhausted, repr(r))
                    t.message = r.describe()
            """
        )
        self.assertEqual(run.result["status"], "pass", run.result)
        tests = run.tests()
        self.assertIn("memory limit", tests["memory"]["message"])
        self.assertIn("limit on the number of processes", tests["processes"]["message"])
        end = run.steps("end")[0]
        self.assertTrue(end["oomKilled"])

    def test_student_processes_cannot_reach_pid_1(self):
        attack = (
            "import os, signal\n"
            "for path, mode in (('/proc/1/fd/1', 'w'), ('/proc/1/mem', 'rb'), ('/proc/1/environ', 'rb')):\n"
            "    try:\n"
            "        open(path, mode).close()\n"
            "        print('OPENED', path)\n"
            "    except OSError as ex:\n"
            "        print('denied', path, ex.errno)\n"
            "for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):\n"
            "    os.kill(1, sig)\n"
            "print('signals sent')\n"
        )
        run = self.run_in_container(
            """
            def run(c):
                r = c.step("attack", ["python3", "attack.py"])
                with c.test("denied") as t:
                    t.expect("OPENED" not in r.output and r.output.count("denied") == 3, r.output)
                    t.expect("signals sent" in r.output, r.output)
            """,
            student={"attack.py": attack},
        )
        self.assertEqual(run.result["status"], "pass", run.result)
        self.assertTrue(all(isinstance(f, dict) for f in run.frames))

    def test_a_locked_work_directory_does_not_break_the_harness(self):
        # Same uid as the harness: everything a student locks, the harness can unlock.
        run = self.run_in_container(
            """
            def run(c):
                c.step("lock", ["sh", "-c", "rm driver.py && mkdir -p driver.py/a/b && chmod 0 driver.py/a"
                                " && chmod 500 driver.py && mkdir -p sub && chmod 0 sub && chmod 0 /work"])
                r = c.step("read", ["sh", "-c", "cat driver.py sub/deep.txt"])
                with c.test("restored") as t:
                    t.expect(r.output == "print('driver')\\ndeep\\n", repr(r.output))
            """,
            support={"driver.py": "print('driver')\n", "sub/deep.txt": "deep\n"},
        )
        self.assertEqual(run.result["status"], "pass", run.result)

    def test_a_full_work_directory_is_the_disk_limit_not_a_fault_of_the_check(self):
        run = self.run_in_container(
            """
            def run(c):
                c.step("fill", ["sh", "-c", "rm driver.py; cat /dev/zero > filler; true"])
                r = c.step("next", ["python3", "driver.py"], test="driver runs")
            """,
            support={"driver.py": "print('driver')\n" * 20000},
        )
        self.assertEqual(run.result["status"], "fail", run.result)
        self.assertEqual(run.result["limit"]["kind"], "disk", run.result)
        self.assertIn("could not run: the work directory is full", run.tests()["driver runs"]["message"])
        self.assertTrue(run.result["message"].startswith("Disk limit: `python3 driver.py` could not run"),
                        run.result["message"])
        self.assertIn("/work holds 64 MiB", run.result["message"])

    def test_a_fork_bomb_is_the_process_limit(self):
        run = self.run_in_container(
            """
            def run(c):
                c.step("bomb", ["sh", "-c", "b() { b | b & }; b; sleep 2; exit 3"], timeout=5, test="bomb")
            """
        )
        self.assertEqual(run.result["limit"]["kind"], "processes", run.result)
        self.assertIn("A run may have at most 256 processes and threads", run.result["message"])


    def test_the_handover_under_pid_1_reads_no_link_out_of_work(self):
        run = self.run_in_container(
            """
            def run(c):
                c.step("plant", ["sh", "-c", "mkdir -p dist && printf wheel > dist/x.whl"
                                 " && ln -s /proc/1/environ dist/env.whl && ln -s /etc/passwd dist/passwd.whl"
                                 " && ln -s /proc/1/fd dist/fds && mkfifo dist/pipe.whl"])
                c.passed("planted")
            """,
            job={"collect": ["dist"]},
        )
        self.assertEqual(run.result["status"], "pass", run.result)
        frames = [f for f in run.frames if f["type"] == "artifact"]
        self.assertEqual([(f["path"], f["data"]) for f in frames], [("dist/x.whl", "d2hlZWw=")])
        summary, = [f for f in run.frames if f["type"] == "artifacts"]
        self.assertEqual(summary["passedOver"], ["dist/env.whl", "dist/fds", "dist/passwd.whl", "dist/pipe.whl"])

    @unittest.skipUnless(shutil.which("docker") and image_exists(RUNTIME_IMAGE), "no clean-machine image")
    def test_the_clean_machine_image_runs_the_harness_and_has_no_compiler(self):
        run = self.run_in_container(
            """
            import shutil
            def run(c):
                r = c.step("pip", ["python3", "-m", "pip", "--version"])
                with c.test("clean") as t:
                    t.expect(r.ok, r.output)
                    for tool in ("cc", "gcc", "clang", "ld", "make"):
                        t.expect(shutil.which(tool) is None, tool)
                    t.expect(c.read_text("wheelhouse/x.whl") == "wheel", "artifact")
            """,
            image=RUNTIME_IMAGE,
            artifacts={"wheelhouse/x.whl": b"wheel"},
        )
        self.assertEqual(run.result["status"], "pass", run.result)


if __name__ == "__main__":
    unittest.main()
