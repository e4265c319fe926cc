#!/usr/bin/env python3
"""A class of students working against one lab: throughput, latency, lost runs, server cost.

    scripts/bench/load-class.py --jar target/ffi-lab-*.jar          # starts its own lab (recommended)
    scripts/bench/load-class.py --url http://localhost:8080 --pid PID  # a running lab; FFILAB_ADMIN_PASSWORD set

Python 3 standard library only (scripts/bench/labclient.py speaks HTTP with CSRF and STOMP over
WebSocket). With --jar it starts the packaged app on a free port with an H2 file database in a new
folder under /tmp, its own sandbox instance name and a random first-admin password, and stops it at
the end. Then:

1. Setup (not measured): the admin signs in and creates a teacher; the teacher creates a class; each
   student signs up at /signup with the class's join code, then signs in (own session and CSRF token)
   and opens its own STOMP WebSocket (session cookie on the handshake, X-CSRF-TOKEN on CONNECT).
2. Sandbox overhead, on the quiet lab: a trivial program (task 1's reference with a print at the top of
   cosine.py) from Run to the first output frame that carries that print, interleaved with a bare
   `docker run --rm ffilab/python python3 -c 'print(1)'` to its first line of output; medians and ratio.
   The teacher submits these (teachers are not rate-limited; the path is otherwise the student's).
3. Load: every student, for --duration seconds, submits a reference solution or one of its hazards of
   tasks 1-4 (python, python, rust, go), subscribes to the run's topic, waits for the verdict (with the
   page's 5-s reconciling GET), thinks 20-60 s, and again. A few (--resubmit) press Run a second time
   a moment later, as an impatient student does: the first run, if still waiting, must end SUPERSEDED.
   Runs accepted before the end are followed to their end; nothing accepted may be lost.
4. Report (Markdown on stdout, everything as JSON with --json): runs submitted / completed /
   superseded / lost, 429s, verdicts that differ from the expected ones, p50/p95 Run->first output
   and Run->verdict (client clock), queue wait (the API's createdAt->startedAt), server RSS and CPU
   (/proc/PID every --sample s), machine CPU and load, WebSocket messages per second.
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import queue
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from labclient import LabError, LabSession, Stomp  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONTENT = pathlib.Path(os.environ.get("FFILAB_CONTENTDIR", ROOT / "content"))
TRACKS = ["01-ctypes-cos/python", "02-own-c-library/python", "03-rust-cdylib/rust", "04-cgo-end-to-end/go"]
MARKER = "ffilab-bench: user code running"
TERMINAL = ("FINISHED", "ERROR", "SUPERSEDED")


# -- what students submit ------------------------------------------------------------------------

def editable_files(track_dir):
    names, inside = [], False
    for line in (track_dir / "track.yml").read_text().splitlines():
        if re.match(r"^editable:\s*$", line):
            inside = True
        elif inside and re.match(r"^\s+-\s+", line):
            names.append(re.sub(r"^\s+-\s+", "", line).strip().strip("'\""))
        elif inside and line.strip():
            inside = False
    return names


def submissions():
    """Per track: the reference (expected pass) and every hazard (the solution with the hazard's files)."""
    catalog = []
    for spec in TRACKS:
        task, track = spec.split("/")
        track_dir = CONTENT / "tasks" / task / "tracks" / track
        editable = editable_files(track_dir)
        solution = {name: (track_dir / "solution" / name).read_text() for name in editable}
        catalog.append({"task": task, "track": track, "variant": "solution", "expected": "pass", "files": solution})
        for hazard in sorted((track_dir / "hazards").iterdir()):
            files = dict(solution)
            for name in editable:
                if (hazard / name).is_file():
                    files[name] = (hazard / name).read_text()
            expected = json.loads((hazard / "expected.json").read_text())["status"]
            catalog.append({"task": task, "track": track, "variant": hazard.name, "expected": expected,
                            "files": files})
    return catalog


# -- numbers -------------------------------------------------------------------------------------

def pct(values, p):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() if text else None


def fmt(value, digits=2):
    return "-" if value is None else f"{value:.{digits}f}"


# -- the server ----------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(jar, workdir, admin_password, extra):
    port = free_port()
    log = open(workdir / "server.log", "w")
    env = dict(os.environ, FFILAB_ADMIN_PASSWORD=admin_password, FFILAB_ADMIN_USERNAME="admin")
    java = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64") + "/bin/java"
    command = [java if os.path.exists(java) else "java", "-jar", os.path.abspath(jar), f"--server.port={port}",
               f"--spring.datasource.url=jdbc:h2:file:{workdir}/db/ffilab;DB_CLOSE_ON_EXIT=FALSE",
               f"--ffilab.content-dir={CONTENT}", f"--ffilab.sandbox.instance=bench-{port}"] + extra
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=workdir, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the lab stopped while starting; see {workdir}/server.log")
        try:
            if LabSession(base, timeout=5).get("/login").status == 200:
                return proc, base
        except OSError:
            pass
        time.sleep(1)
    proc.terminate()
    raise SystemExit("the lab did not start within 180 s")


class Sampler(threading.Thread):
    """Every few seconds: the server's RSS and CPU time, the machine's CPU, load, messages received."""

    def __init__(self, pid, interval, counters):
        super().__init__(daemon=True, name="sampler")
        self.pid, self.interval, self.counters = pid, interval, counters
        self.samples = []
        self.stop = threading.Event()
        self.ticks = os.sysconf("SC_CLK_TCK")

    def proc_cpu(self):
        if not self.pid:
            return None
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.ticks

    def proc_rss_mib(self):
        if not self.pid:
            return None
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return None

    @staticmethod
    def machine_cpu():
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        idle = values[3] + values[4]
        return sum(values), idle

    def run(self):
        last = (time.monotonic(), self.proc_cpu(), self.machine_cpu(), self.counters())
        while not self.stop.wait(self.interval):
            try:
                now, cpu, machine, counts = time.monotonic(), self.proc_cpu(), self.machine_cpu(), self.counters()
            except (FileNotFoundError, ProcessLookupError):
                break
            dt = now - last[0]
            total, idle = machine[0] - last[2][0], machine[1] - last[2][1]
            with open("/proc/loadavg") as f:
                load = float(f.read().split()[0])
            self.samples.append({
                "t": now,
                "rss_mib": self.proc_rss_mib(),
                "server_cpu_pct": (cpu - last[1]) / dt * 100 if cpu is not None else None,
                "machine_cpu_pct": (total - idle) / total * 100 if total else None,
                "load1": load,
                "ws_msgs_per_s": (counts["messages"] - last[3]["messages"]) / dt,
                "waiting": counts["waiting"],
                "running": counts["running"],
            })
            last = (now, cpu, machine, counts)


# -- people ----------------------------------------------------------------------------------------

class Person:
    """A signed-in person with an open STOMP connection; run messages land in a queue per person."""

    def __init__(self, base, username, password):
        self.base, self.username, self.password = base, username, password
        self.session = LabSession(base)
        self.events = queue.Queue()
        self.stomp = None

    def connect(self):
        self.stomp = Stomp(self.session, lambda sub, body, at: self.events.put((sub, body, at)))

    def follow_start(self, run_id):
        """Subscribes to the run's topic, then takes the snapshot, as the task page does."""
        return self.stomp.subscribe("/topic/runs/" + run_id, run_id)


class Lab:
    def __init__(self, base, admin_password, prefix):
        self.base = base
        self.admin_password = admin_password
        self.prefix = prefix
        self.password = "bench-" + secrets.token_hex(8)

    def setup(self, students):
        admin = LabSession(self.base).sign_in("admin", self.admin_password)
        teacher_name = self.prefix + "-teacher"
        res = admin.post_form("/admin/users", {"username": teacher_name, "displayName": "Bench Teacher",
                                               "password": self.password, "role": "TEACHER"})
        if res.status != 302:
            raise LabError(f"creating the teacher: {res.status}")
        teacher = Person(self.base, teacher_name, self.password)
        teacher.session.sign_in(teacher_name, self.password)
        res = teacher.session.post_form("/classes", {"name": self.prefix + " load test"})
        location = res.header("Location") or ""
        if res.status != 302 or "/classes/" not in location:
            raise LabError(f"creating the class: {res.status} {location}")
        page = teacher.session.get(urllib_path(location)).body
        code = re.search(r'id="join-code"[^>]*>([^<]+)<', page).group(1).strip()

        def student(i):
            p = Person(self.base, f"{self.prefix}-s{i:02d}", self.password)
            LabSession(self.base).sign_up(code, p.username, self.password, f"Student {i:02d}")
            p.session.sign_in(p.username, self.password)
            p.connect()
            return p

        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            people = list(pool.map(student, range(1, students + 1)))
        teacher.connect()
        return teacher, people, code


def urllib_path(location):
    return re.sub(r"^https?://[^/]+", "", location)


# -- one run, followed to its end -------------------------------------------------------------------

class Tracker:
    """Every accepted run and what the clients saw of it; counters for the sampler."""

    def __init__(self):
        self.lock = threading.Lock()
        self.runs = []
        self.refused = []  # (status, retry_after, message)
        self.http_errors = []
        self.messages = 0

    def add(self, run):
        with self.lock:
            self.runs.append(run)

    def counts(self, people):
        waiting = running = 0
        with self.lock:
            for r in self.runs:
                if r.get("final") is None and not r.get("lost"):
                    if r.get("running") is not None:
                        running += 1
                    else:
                        waiting += 1
        return {"messages": sum(p.stomp.received for p in people if p.stomp), "waiting": waiting,
                "running": running}


def submit(person, tracker, sub, t_submit):
    res = person.session.post_json("/api/runs", {"task": sub["task"], "track": sub["track"], "files": sub["files"]})
    if res.status == 202:
        run = {"id": res.json()["id"], "student": person.username, "task": sub["task"], "track": sub["track"],
               "variant": sub["variant"], "expected": sub["expected"], "submit": t_submit,
               "accepted": time.monotonic(), "first_output": None, "running": None, "final": None,
               "final_status": None, "verdict": None, "via": None, "lost": False, "marker": None}
        tracker.add(run)
        return run
    retry = res.header("Retry-After")
    try:
        message = res.json().get("error")
    except ValueError:
        message = res.body[:200]
    if res.status == 429:
        tracker.refused.append({"retry_after": float(retry) if retry else None, "message": message})
    else:
        tracker.http_errors.append({"status": res.status, "message": message, "path": "POST /api/runs"})
    return {"refused": res.status, "retry_after": float(retry) if retry else None}


def apply_snapshot(run, snapshot, at):
    if snapshot.get("output") and run["first_output"] is None:
        run["first_output"] = at
    if MARKER in (snapshot.get("output") or "") and run["marker"] is None:
        run["marker"] = at
    if snapshot["status"] == "RUNNING" and run["running"] is None:
        run["running"] = at


def watch(person, run, tracker):
    """Subscribes to the run's topic, then takes the snapshot, as the task page does right after Run."""
    if not person.follow_start(run["id"]):
        tracker.http_errors.append({"status": "SUBSCRIBE", "message": "; ".join(person.stomp.errors[-1:]),
                                    "path": run["id"]})
    # The snapshot after the subscription: whatever came before it is in here.
    snap = person.session.get("/api/runs/" + run["id"])
    if snap.status == 200:
        body = snap.json()
        at = time.monotonic()
        apply_snapshot(run, body, at)
        if body["status"] in TERMINAL:
            run.update(final=at, final_status=body["status"], via="snapshot",
                       verdict=(body.get("verdict") or {}).get("status"))


def follow(person, runs, tracker, timeout, reconcile=5.0, final_grace=10.0):
    """Waits for each watched run's final message on its topic; GETs every `reconcile` s like the page does."""
    pending = {run["id"]: run for run in runs if run["final"] is None}
    terminal_seen = {}
    next_reconcile = time.monotonic() + reconcile
    while pending:
        try:
            sub, body, at = person.events.get(timeout=max(0.05, next_reconcile - time.monotonic()))
        except queue.Empty:
            sub = None
        if sub in pending:
            run, msg = pending[sub], json.loads(body)
            kind = msg.get("type")
            if kind == "output":
                if run["first_output"] is None:
                    run["first_output"] = at
                if run["marker"] is None and MARKER in msg.get("text", ""):
                    run["marker"] = at
            elif kind == "status" and msg.get("status") == "RUNNING" and run["running"] is None:
                run["running"] = at
            elif kind == "verdict":
                run.update(final=at, final_status=msg.get("status"), via="stomp",
                           verdict=(msg.get("verdict") or {}).get("status"))
                del pending[sub]
        now = time.monotonic()
        if now >= next_reconcile:
            next_reconcile = now + reconcile
            for run_id, run in list(pending.items()):
                res = person.session.get("/api/runs/" + run_id)
                if res.status != 200:
                    tracker.http_errors.append({"status": res.status, "message": res.body[:200],
                                                "path": "GET /api/runs"})
                    continue
                body = res.json()
                apply_snapshot(run, body, now)
                if body["status"] in TERMINAL:
                    first_seen = terminal_seen.setdefault(run_id, now)
                    if now - first_seen >= final_grace:
                        # Ended, but its topic never said so: a stuck topic.
                        run.update(final=first_seen, final_status=body["status"], via="poll",
                                   verdict=(body.get("verdict") or {}).get("status"))
                        del pending[run_id]
                elif now - run["submit"] > timeout:
                    run["lost"] = True
                    del pending[run_id]
    for run in runs:
        try:
            person.stomp.unsubscribe(run["id"])
        except OSError:
            pass
        res = person.session.get("/api/runs/" + run["id"])
        if res.status == 200:
            body = res.json()
            run["api"] = {k: body.get(k) for k in ("status", "createdAt", "startedAt", "firstOutputAt", "finishedAt",
                                                    "error")}


def student_loop(person, tracker, catalog, args, start, end, rng):
    try:
        student_runs(person, tracker, catalog, args, start, end, rng)
    except Exception as ex:  # a broken client must show in the report, not quietly lower the load
        tracker.http_errors.append({"status": "client", "message": repr(ex), "path": person.username})
        raise


def student_runs(person, tracker, catalog, args, start, end, rng):
    next_at = start + rng.uniform(0, args.think_max)
    while True:
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if time.monotonic() >= end:
            return
        spec = rng.choice(TRACKS)
        track = [s for s in catalog if f"{s['task']}/{s['track']}" == spec]
        hazard = rng.random() < args.fail_share
        sub = rng.choice([s for s in track if (s["variant"] != "solution") == hazard])
        t0 = time.monotonic()
        run = submit(person, tracker, sub, t0)
        if "refused" in run:
            wait = run["retry_after"] or 5
            next_at = time.monotonic() + max(wait, 1) + rng.uniform(0, 2)
            continue
        watch(person, run, tracker)
        runs = [run]
        if rng.random() < args.resubmit:
            # An impatient student presses Run again a moment later (another tab), with the same files: the
            # first run, if it still waits, must end SUPERSEDED with a final message on its topic.
            time.sleep(rng.uniform(0.2, 1.5))
            again = submit(person, tracker, sub, time.monotonic())
            if "refused" not in again:
                again["resubmitted"] = True
                watch(person, again, tracker)
                runs.append(again)
        follow(person, runs, tracker, args.run_timeout)
        next_at = time.monotonic() + rng.uniform(args.think_min, args.think_max)


# -- sandbox overhead --------------------------------------------------------------------------------

def overhead(teacher, n, image):
    task, track = "01-ctypes-cos", "python"
    track_dir = CONTENT / "tasks" / task / "tracks" / track
    source = (track_dir / "solution" / "cosine.py").read_text()
    files = {"cosine.py": f"print({MARKER!r}, flush=True)\n" + source}
    lab, bare, bare_total, server = [], [], [], []
    scratch = Tracker()
    for i in range(n):
        t0 = time.monotonic()
        run = submit(teacher, scratch, {"task": task, "track": track, "variant": "overhead", "expected": "pass",
                                        "files": files}, t0)
        if "refused" in run:
            raise LabError(f"the overhead probe was refused: {run}")
        watch(teacher, run, scratch)
        follow(teacher, [run], scratch, 120)
        if run["marker"] is not None:
            lab.append(run["marker"] - t0)
        api = run.get("api") or {}
        if api.get("firstOutputAt"):
            server.append(instant(api["firstOutputAt"]) - instant(api["createdAt"]))
        t0 = time.monotonic()
        proc = subprocess.Popen(["docker", "run", "--rm", image, "python3", "-c", "print(1)"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = proc.stdout.readline()
        t1 = time.monotonic()
        proc.wait()
        t2 = time.monotonic()
        if line.strip() == "1":
            bare.append(t1 - t0)
            bare_total.append(t2 - t0)
    return {"n": n, "lab_to_user_code_s": lab, "server_first_output_s": server, "bare_docker_to_output_s": bare,
            "bare_docker_total_s": bare_total}


# -- the whole thing ---------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jar", help="start this packaged lab (java -jar) and stop it at the end")
    parser.add_argument("--url", help="a running lab instead (FFILAB_ADMIN_PASSWORD must be its admin's password)")
    parser.add_argument("--pid", type=int, help="the running lab's JVM, for RSS and CPU (with --url)")
    parser.add_argument("--server-arg", action="append", default=[], help="extra argument for the jar")
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--duration", type=float, default=600, help="seconds during which students submit")
    parser.add_argument("--think-min", type=float, default=20)
    parser.add_argument("--think-max", type=float, default=60)
    parser.add_argument("--fail-share", type=float, default=0.5, help="share of submissions that are hazards")
    parser.add_argument("--resubmit", type=float, default=0.05, help="share of runs followed by a second Run")
    parser.add_argument("--run-timeout", type=float, default=900, help="a run not ended after this is lost")
    parser.add_argument("--overhead-runs", type=int, default=10)
    parser.add_argument("--image", default="ffilab/python")
    parser.add_argument("--sample", type=float, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="write every number and every run here")
    args = parser.parse_args()
    if bool(args.jar) == bool(args.url):
        parser.error("give --jar or --url")

    proc = None
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="ffilab-load-"))
    if args.jar:
        admin_password = secrets.token_urlsafe(18)
        proc, base = start_server(args.jar, workdir, admin_password, args.server_arg)
        pid = proc.pid
        print(f"lab at {base} (pid {pid}), data and log in {workdir}", file=sys.stderr)
    else:
        base, pid = args.url.rstrip("/"), args.pid
        admin_password = os.environ.get("FFILAB_ADMIN_PASSWORD") or parser.error("set FFILAB_ADMIN_PASSWORD")
    try:
        report = run_benchmark(args, base, pid, admin_password)
    finally:
        if proc:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
    if proc:
        log = (workdir / "server.log").read_text(errors="replace")
        report["server_log"] = {"path": str(workdir / "server.log"),
                                "error_lines": [l for l in log.splitlines() if " ERROR " in l][:20],
                                "warn_lines": len([l for l in log.splitlines() if " WARN " in l])}
    print_report(report)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(report, indent=1, default=str))


def run_benchmark(args, base, pid, admin_password):
    rng = random.Random(args.seed)
    catalog = submissions()
    prefix = "load" + datetime.now().strftime("%m%d%H%M%S")
    t_setup = time.monotonic()
    teacher, people, code = Lab(base, admin_password, prefix).setup(args.students)
    setup_s = time.monotonic() - t_setup
    print(f"{len(people)} students signed up with {code}, signed in and connected in {setup_s:.0f} s",
          file=sys.stderr)

    print(f"sandbox overhead: {args.overhead_runs} runs each ...", file=sys.stderr)
    over = overhead(teacher, args.overhead_runs, args.image)

    tracker = Tracker()
    sampler = Sampler(pid, args.sample, lambda: tracker.counts(people))
    start = time.monotonic()
    end = start + args.duration
    sampler.start()
    cpu_client0 = time.process_time()
    messages0 = sum(p.stomp.received for p in people)
    threads = [threading.Thread(target=student_loop, name=p.username,
                                args=(p, tracker, catalog, args, start, end, random.Random(rng.random())))
               for p in people]
    print(f"load: {args.students} students for {args.duration:.0f} s ...", file=sys.stderr)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stopped = time.monotonic()
    sampler.stop.set()
    sampler.join()
    client_cpu = time.process_time() - cpu_client0
    messages = sum(p.stomp.received for p in people) - messages0
    ws_errors = [e for p in people + [teacher] for e in p.stomp.errors]
    for p in people + [teacher]:
        p.stomp.close()
    return summarize(args, tracker, sampler.samples, over, start, end, stopped, client_cpu, ws_errors, setup_s,
                     messages)


def summarize(args, tracker, samples, over, start, end, stopped, client_cpu, ws_errors, setup_s, messages_total):
    runs = tracker.runs
    ended = [r for r in runs if r["final"] is not None]
    done = [r for r in ended if r["final_status"] in ("FINISHED", "ERROR")]
    superseded = [r for r in ended if r["final_status"] == "SUPERSEDED"]
    lost = [r for r in runs if r["final"] is None]
    finished = [r for r in done if r["final_status"] == "FINISHED"]
    mismatched = [{"id": r["id"], "task": r["task"], "variant": r["variant"], "expected": r["expected"],
                   "got": r["verdict"], "status": r["final_status"], "error": (r.get("api") or {}).get("error")}
                  for r in done if r["verdict"] != r["expected"]]

    def queue_wait(r):
        api = r.get("api") or {}
        return instant(api["startedAt"]) - instant(api["createdAt"]) if api.get("startedAt") else None

    def in_sandbox(r):
        api = r.get("api") or {}
        return instant(api["finishedAt"]) - instant(api["startedAt"]) if api.get("startedAt") and api.get(
            "finishedAt") else None

    first = [r["first_output"] - r["submit"] for r in done if r["first_output"] is not None]
    verdict = [r["final"] - r["submit"] for r in done]
    waits = [queue_wait(r) for r in done]
    sandbox = [in_sandbox(r) for r in done]
    span = (max((r["final"] for r in done), default=end) - start) / 60
    steady = [s for s in samples if s["t"] <= end]

    def dist(values, scale=1.0):
        return {"p50": pct(values, 50), "p95": pct(values, 95), "max": max(values) / scale if values else None,
                "n": len([v for v in values if v is not None])}

    def series(key):
        return [s[key] for s in steady if s.get(key) is not None]

    per_student = {}
    for r in done:
        per_student.setdefault(r["student"], []).append(r)
    counts = [len(v) for v in per_student.values()]
    student_waits = [pct([queue_wait(r) for r in v], 50) for v in per_student.values()]
    fairness = {"students_with_a_verdict": len(per_student),
                "runs_per_student": {"min": min(counts, default=None), "p50": pct(counts, 50),
                                     "max": max(counts, default=None)},
                "median_queue_wait_per_student_s": {"min": min((w for w in student_waits if w is not None),
                                                               default=None),
                                                    "p50": pct(student_waits, 50),
                                                    "max": max((w for w in student_waits if w is not None),
                                                               default=None)}}
    by_track = {}
    for r in done:
        t = by_track.setdefault(f"{r['task']}/{r['track']}", {"runs": 0, "verdict": [], "sandbox": []})
        t["runs"] += 1
        t["verdict"].append(r["final"] - r["submit"])
        t["sandbox"].append(in_sandbox(r))
    over_lab = over["lab_to_user_code_s"]
    over_bare = over["bare_docker_to_output_s"]
    return {
        "settings": {k: v for k, v in vars(args).items()},
        "setup_s": setup_s,
        "machine": {"cores": os.cpu_count(), "docker": docker_version()},
        "runs": {
            "submitted": len(runs),
            "completed": len(done),
            "completed_finished": len(finished),
            "completed_error": len(done) - len(finished),
            "superseded": len(superseded),
            "resubmitted": len([r for r in runs if r.get("resubmitted")]),
            "lost": len(lost),
            "lost_runs": [{"id": r["id"], "api": r.get("api")} for r in lost],
            "final_message_missing": len([r for r in ended if r["via"] == "poll"]),
            "ended_before_subscription": len([r for r in ended if r["via"] == "snapshot"]),
            "verdict_mismatches": mismatched,
            "refused_429": len(tracker.refused),
            "refused_429_rate_limit": len([x for x in tracker.refused if x["retry_after"]]),
            "refused_429_queue_full": len([x for x in tracker.refused if not x["retry_after"]]),
            "http_errors": tracker.http_errors,
            "websocket_errors": ws_errors,
        },
        "throughput_runs_per_min": len(done) / span if span > 0 else None,
        "fairness": fairness,
        "latency_s": {"run_to_first_output": dist(first), "run_to_verdict": dist(verdict),
                      "queue_wait": dist(waits), "in_sandbox": dist(sandbox)},
        "by_track": {k: {"runs": v["runs"], "verdict_p50": pct(v["verdict"], 50), "sandbox_p50": pct(v["sandbox"], 50)}
                     for k, v in sorted(by_track.items())},
        "server": {"rss_mib": {"first": series("rss_mib")[0] if series("rss_mib") else None,
                               "p50": pct(series("rss_mib"), 50), "max": max(series("rss_mib"), default=None)},
                   "cpu_pct_of_one_core": {"mean": mean(series("server_cpu_pct")),
                                           "p95": pct(series("server_cpu_pct"), 95),
                                           "max": max(series("server_cpu_pct"), default=None)}},
        "machine_load": {"cpu_pct_all_cores": {"mean": mean(series("machine_cpu_pct")),
                                               "p50": pct(series("machine_cpu_pct"), 50)},
                         "load1": {"mean": mean(series("load1")), "max": max(series("load1"), default=None)},
                         "runs_waiting": {"mean": mean(series("waiting")), "max": max(series("waiting"), default=None)}},
        "websocket": {"messages_total": messages_total,
                      "messages_per_s": {"mean": messages_total / (stopped - start),
                                         "p95": pct([s["ws_msgs_per_s"] for s in samples], 95),
                                         "max": max((s["ws_msgs_per_s"] for s in samples), default=None)}},
        "client_cpu_s": client_cpu,
        "wall_s": stopped - start,
        "overhead": {"n": over["n"], "lab_median_s": pct(over_lab, 50), "bare_median_s": pct(over_bare, 50),
                     "ratio": pct(over_lab, 50) / pct(over_bare, 50) if over_lab and over_bare else None,
                     "server_first_output_median_s": pct(over["server_first_output_s"], 50),
                     "bare_total_median_s": pct(over["bare_docker_total_s"], 50), "raw": over},
        "samples": samples,
    }


def mean(values):
    return statistics.fmean(values) if values else None


def docker_version():
    try:
        return subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None


def print_report(r):
    s, runs, lat = r["settings"], r["runs"], r["latency_s"]
    print(f"\n{s['students']} students, {s['duration']:.0f} s of submissions, think {s['think_min']:.0f}-"
          f"{s['think_max']:.0f} s, {s['fail_share']:.0%} hazards, {s['resubmit']:.0%} pressed Run twice; "
          f"{r['machine']['cores']} cores, Docker {r['machine']['docker']}\n")
    print("| measure | value |")
    print("| --- | --- |")
    rows = [
        ("runs submitted (202)", runs["submitted"]),
        ("completed with a verdict (FINISHED / ERROR)", f"{runs['completed']} ({runs['completed_finished']} / "
                                                       f"{runs['completed_error']})"),
        ("superseded (a second Run while the first waited)", f"{runs['superseded']} of {runs['resubmitted']} "
                                                             "second Runs"),
        ("lost (accepted, never ended)", runs["lost"]),
        ("ended, but no final message on the topic", runs["final_message_missing"]),
        ("verdicts other than expected", len(runs["verdict_mismatches"])),
        ("429 (rate limit / queue full)", f"{runs['refused_429']} ({runs['refused_429_rate_limit']} / "
                                          f"{runs['refused_429_queue_full']})"),
        ("other HTTP or STOMP errors", len(runs["http_errors"]) + len(runs["websocket_errors"])),
        ("throughput (completed runs per minute)", fmt(r["throughput_runs_per_min"], 1)),
        ("completed runs per student: min / p50 / max", "{min} / {p50:.0f} / {max}".format(
            **r["fairness"]["runs_per_student"]) if r["fairness"]["runs_per_student"]["p50"] is not None else "-"),
        ("each student's median queue wait: min / p50 / max (s)", " / ".join(
            fmt(r["fairness"]["median_queue_wait_per_student_s"][k]) for k in ("min", "p50", "max"))),
    ]
    for name, key in (("Run -> first output", "run_to_first_output"), ("Run -> verdict", "run_to_verdict"),
                      ("queue wait (createdAt -> startedAt)", "queue_wait"), ("in the sandbox", "in_sandbox")):
        d = lat[key]
        rows.append((f"{name}, p50 / p95 / max (s)", f"{fmt(d['p50'])} / {fmt(d['p95'])} / {fmt(d['max'])}"))
    server, machine, ws = r["server"], r["machine_load"], r["websocket"]
    rows += [
        ("server RSS at start / p50 / max (MiB)", f"{fmt(server['rss_mib']['first'], 0)} / "
                                                  f"{fmt(server['rss_mib']['p50'], 0)} / {fmt(server['rss_mib']['max'], 0)}"),
        ("server CPU, % of one core: mean / p95 / max", f"{fmt(server['cpu_pct_of_one_core']['mean'], 0)} / "
                                                        f"{fmt(server['cpu_pct_of_one_core']['p95'], 0)} / "
                                                        f"{fmt(server['cpu_pct_of_one_core']['max'], 0)}"),
        ("machine CPU, % of all cores: mean", fmt(machine["cpu_pct_all_cores"]["mean"], 0)),
        ("load average (1 min): mean / max", f"{fmt(machine['load1']['mean'], 1)} / {fmt(machine['load1']['max'], 1)}"),
        ("runs waiting (client view): mean / max", f"{fmt(machine['runs_waiting']['mean'], 1)} / "
                                                   f"{fmt(machine['runs_waiting']['max'], 0)}"),
        ("WebSocket messages received per s: mean / p95 / max", f"{fmt(ws['messages_per_s']['mean'], 1)} / "
                                                                f"{fmt(ws['messages_per_s']['p95'], 1)} / "
                                                                f"{fmt(ws['messages_per_s']['max'], 1)}"),
        ("the benchmark client's own CPU (s)", fmt(r["client_cpu_s"], 1)),
    ]
    for name, value in rows:
        print(f"| {name} | {value} |")
    print("\n| task/track | runs | Run -> verdict p50 (s) | in sandbox p50 (s) |")
    print("| --- | --- | --- | --- |")
    for track, t in r["by_track"].items():
        print(f"| {track} | {t['runs']} | {fmt(t['verdict_p50'])} | {fmt(t['sandbox_p50'])} |")
    o = r["overhead"]
    print(f"\nSandbox overhead ({o['n']} each, interleaved, quiet lab): Run -> the program's first line "
          f"{fmt(o['lab_median_s'])} s (server: createdAt -> first output {fmt(o['server_first_output_median_s'])} s); "
          f"bare docker run -> first line {fmt(o['bare_median_s'])} s (to exit {fmt(o['bare_total_median_s'])} s); "
          f"ratio {fmt(o['ratio'])}")
    if runs["verdict_mismatches"]:
        print("\nVerdicts other than expected:")
        for m in runs["verdict_mismatches"][:20]:
            print(f"  {m}")
    for label in ("lost_runs", "http_errors", "websocket_errors"):
        if runs[label]:
            print(f"\n{label}: {runs[label][:10]}")
    if "server_log" in r:
        print(f"\nserver log {r['server_log']['path']}: {len(r['server_log']['error_lines'])} ERROR lines, "
              f"{r['server_log']['warn_lines']} WARN lines")
        for line in r["server_log"]["error_lines"][:10]:
            print("  " + line[:300])


if __name__ == "__main__":
    main()
