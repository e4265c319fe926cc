#!/usr/bin/env python3
"""Time from pressing Run to the first output line and to the verdict, against a running lab.

Submits the reference solution of each named task/track through the REST API (as the browser
does), follows the run by polling GET /api/runs/{id} every 10 ms, and prints the median of N
runs per track, client-observed, next to the server's own timestamps (queue wait, first output).

    FFILAB_ADMIN_PASSWORD=... scripts/bench/run-latency.py [--url http://localhost:8080] [--runs 5] TASK/TRACK ...

It signs in as the admin (--user, password from FFILAB_ADMIN_PASSWORD): admins and teachers are not
rate-limited, so the runs go one after the other without waiting for a token.
The reference files are read from content/ (the server never serves solutions).
"""
import argparse
import json
import os
import pathlib
import statistics
import sys
import time
from datetime import datetime

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from labclient import LabSession  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONTENT = pathlib.Path(os.environ.get("FFILAB_CONTENTDIR", ROOT / "content"))


def solution_files(task, track):
    track_dir = CONTENT / "tasks" / task / "tracks" / track
    return {p.name: p.read_text() for p in sorted((track_dir / "solution").iterdir()) if p.is_file()}


def request(session, path, body=None):
    response = session.post_json(path, body) if body is not None else session.get(path)
    if response.status not in (200, 202):
        raise SystemExit(f"{path}: {response.status} {response.body[:300]}")
    return response.json()


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() if text else None


def one_run(session, task, track, files):
    start = time.monotonic()
    run_id = request(session, "/api/runs", {"task": task, "track": track, "files": files})["id"]
    first_output = None
    while True:
        run = request(session, "/api/runs/" + run_id)
        now = time.monotonic()
        if first_output is None and run.get("output"):
            first_output = now - start
        if run["status"] in ("FINISHED", "ERROR", "SUPERSEDED"):
            verdict = (run.get("verdict") or {}).get("status")
            created = instant(run["createdAt"])
            return {
                "first_output": first_output if first_output is not None else now - start,
                "verdict": now - start,
                "status": verdict,
                "queue": instant(run["startedAt"]) - created if run.get("startedAt") else None,
                "server_first_output": instant(run["firstOutputAt"]) - created if run.get("firstOutputAt") else None,
            }
        time.sleep(0.01)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--user", default="admin")
    parser.add_argument("tracks", nargs="+", help="TASK/TRACK, e.g. 01-ctypes-cos/python")
    args = parser.parse_args()
    password = os.environ.get("FFILAB_ADMIN_PASSWORD") or parser.error("set FFILAB_ADMIN_PASSWORD")
    session = LabSession(args.url).sign_in(args.user, password)
    print("| task/track | verdict | runs | first output (median s) | verdict (median s) | server: queue wait | server: first output |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for spec in args.tracks:
        task, track = spec.split("/")
        files = solution_files(task, track)
        results = [one_run(session, task, track, files) for _ in range(args.runs)]
        med = lambda key: statistics.median(r[key] for r in results if r[key] is not None)
        statuses = sorted({r["status"] for r in results})
        print(f"| {spec} | {'/'.join(map(str, statuses))} | {len(results)} | {med('first_output'):.2f} | "
              f"{med('verdict'):.2f} | {med('queue'):.3f} | {med('server_first_output'):.2f} |")


if __name__ == "__main__":
    main()
