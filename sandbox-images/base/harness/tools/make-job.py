#!/usr/bin/env python3
"""Packs a track of content/ into the job archive the harness reads on stdin.

    make-job.py TRACK_DIR [VARIANT] [-o job.tar] [--wall S] [--output-limit BYTES]
    make-job.py TRACK_DIR --clean-machine FRAMES -o job.tar

TRACK_DIR is content/tasks/NN-slug/tracks/<track>. VARIANT is `solution` (the default),
`starter`, a hazard name (`no-restype` or `hazards/no-restype`: the solution's files overlaid
with the hazard's), or a directory holding the student's files. The archive has the entries of
docs/architecture.md: job.json, check.py, support/..., student/...

For a track with a clean machine (track.yml `cleanMachine`), the first job asks the harness to
collect its files, and `--clean-machine FRAMES` (the first run's frames) makes the second job:
its check and the files handed over in artifacts/. When the server would not start the second
stage (the build failed, a limit was hit, the hand-over failed), it writes instead the frame of
a result in which the stage's tests were not run, and exits with status 3.
"""

import argparse
import base64
import io
import json
import os
import re
import sys
import tarfile


def track_settings(track_dir):
    """editable, image, wallSeconds and the clean machine from track.yml (a small YAML subset:
    blocks, `- item` lists or `[a, b]` lists of plain words)."""
    editable, image, wall, section = [], None, None, None
    clean, key = {}, None
    if not os.path.isfile(os.path.join(track_dir, "track.yml")):
        sys.exit("make-job: %s has no track.yml (is it a track folder?)" % track_dir)
    with open(os.path.join(track_dir, "track.yml"), encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            if not line.startswith(" "):
                section = line.split(":", 1)[0].strip()
                value = line.split(":", 1)[1].strip() if ":" in line else ""
                if section == "image":
                    image = value.strip("\"'")
                continue
            item = re.match(r"\s+-\s+(.+)", line)
            if section == "editable" and item:
                editable.append(item.group(1).strip().strip("\"'"))
            pair = re.match(r"\s+wallSeconds:\s*(\d+)", line)
            if section == "limits" and pair:
                wall = int(pair.group(1))
            if section == "cleanMachine":
                sub = re.match(r"  (\w+):\s*(.*)$", line)
                if sub:
                    key, value = sub.group(1), sub.group(2).strip()
                    if value.startswith("["):
                        clean[key] = [v.strip().strip("\"'") for v in value.strip("[]").split(",")
                                      if v.strip()]
                    elif value:
                        clean[key] = value.strip("\"'")
                    else:
                        clean[key] = []
                elif item and isinstance(clean.get(key), list):
                    clean[key].append(item.group(1).strip().strip("\"'"))
    return editable, image, wall, clean or None


def read_tree(root):
    files = {}
    if not os.path.isdir(root):
        return files
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            with open(path, "rb") as f:
                files[rel] = f.read()
    return files


def student_files(track_dir, variant, editable):
    hazard_name = variant.split("/", 1)[1] if variant.startswith("hazards/") else variant
    hazard = os.path.join(track_dir, "hazards", hazard_name)
    if variant in ("solution", "starter"):
        files = read_tree(os.path.join(track_dir, variant))
    elif "/" not in hazard_name and os.path.isdir(hazard):
        files = read_tree(os.path.join(track_dir, "solution"))
        files.update(read_tree(hazard))
    elif os.path.isdir(variant):
        files = read_tree(variant)
    else:
        sys.exit("make-job: %r is not solution, starter, a hazard of %s or a directory"
                 % (variant, track_dir))
    files.pop("expected.json", None)
    unknown = sorted(set(files) - set(editable)) if editable else []
    if unknown:
        sys.exit("make-job: not editable files of this track: %s" % ", ".join(unknown))
    return files


def build(track_dir, variant, wall, output_limit):
    track_dir = os.path.abspath(track_dir)
    editable, image, track_wall, clean = track_settings(track_dir)
    parts = track_dir.split(os.sep)
    job = {
        "runId": "local-%d" % os.getpid(),
        "task": parts[-3] if len(parts) >= 3 else "task",
        "track": parts[-1],
        "editable": editable,
        "outputLimitBytes": output_limit,
        "wallSeconds": wall or track_wall or 60,
    }
    if clean:
        job["collect"] = clean.get("collect", [])
        job["collectLimitBytes"] = 16 * 1024 * 1024
    entries = {"job.json": json.dumps(job).encode()}
    if not os.path.isfile(os.path.join(track_dir, "check.py")):
        sys.exit("make-job: %s has no check.py" % track_dir)
    with open(os.path.join(track_dir, "check.py"), "rb") as f:
        entries["check.py"] = f.read()
    for rel, data in sorted(read_tree(os.path.join(track_dir, "support")).items()):
        entries["support/" + rel] = data
    for rel, data in sorted(student_files(track_dir, variant, editable).items()):
        entries["student/" + rel] = data
    return pack(entries), image, job


def pack(entries, executable=()):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o755 if name in executable else 0o644
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def why_not_run(frames):
    """Why the server would not start the clean machine after these frames (its rule, see
    grading.StageVerdicts), or None; and the files handed over."""
    result, summary, files, modes = None, None, {}, {}
    for frame in frames:
        kind = frame.get("type")
        if kind == "artifact":
            files[frame["path"]] = files.get(frame["path"], b"") + base64.b64decode(frame["data"])
            modes[frame["path"]] = frame.get("mode", 0o644)
        elif kind == "artifacts":
            summary = frame
        elif kind == "result":
            result = frame.get("result")
    if result is None or result.get("status") == "error" or result.get("limit"):
        return "the first part of the run did not finish (see the headline), so nothing went to the clean machine.", {}, {}
    if any(t.get("group") == "Build" and t.get("status") != "pass" for t in result.get("tests", [])):
        return ("the build did not succeed (see the Build tests), so there was nothing to try on a "
                "clean machine."), {}, {}
    if summary is None:
        return ("the build's files could not be handed to the clean machine: the first stage ended "
                "before it had handed its files over."), {}, {}
    if summary.get("error"):
        return "the build's files could not be handed to the clean machine: %s." % summary["error"], {}, {}
    return None, files, modes


def build_clean_machine(track_dir, frames_file):
    """(tar bytes, clean image) of the second job, or (result frame bytes, None) when not run."""
    track_dir = os.path.abspath(track_dir)
    _, _, _, clean = track_settings(track_dir)
    if not clean:
        sys.exit("make-job: %s has no cleanMachine in its track.yml" % track_dir)
    with open(frames_file, encoding="utf-8") as f:
        frames = [json.loads(line) for line in f if line.strip().startswith("{")]
    why, files, modes = why_not_run(frames)
    if why is not None:
        tests = [{"name": name, "status": "fail", "message": "Not run: " + why, "group": "Tests"}
                 for name in clean.get("tests", [])]
        frame = {"type": "result", "result": {"version": 3, "status": "fail", "message": None,
                                              "tests": tests, "metrics": [], "findings": []}}
        return (json.dumps(frame) + "\n").encode(), None
    parts = track_dir.split(os.sep)
    job = {"runId": "local-%d" % os.getpid(), "task": parts[-3] if len(parts) >= 3 else "task",
           "track": parts[-1], "stage": "cleanMachine", "editable": [],
           "outputLimitBytes": 1024 * 1024, "wallSeconds": 60}
    entries = {"job.json": json.dumps(job).encode()}
    with open(os.path.join(track_dir, clean["check"]), "rb") as f:
        entries["check.py"] = f.read()
    for name, data in sorted(files.items()):
        entries["artifacts/" + name] = data
    executable = {"artifacts/" + n for n, m in modes.items() if m & 0o100}
    return pack(entries, executable), clean["image"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("track_dir")
    parser.add_argument("variant", nargs="?", default="solution")
    parser.add_argument("-o", "--output", help="write the tar here (default: stdout)")
    parser.add_argument("--wall", type=int, help="wallSeconds (default: track.yml, else 60)")
    parser.add_argument("--output-limit", type=int, default=1024 * 1024)
    parser.add_argument("--print-image", action="store_true",
                        help="print the track's image short name and exit")
    parser.add_argument("--print-clean-image", action="store_true",
                        help="print the track's clean-machine image (nothing if none) and exit")
    parser.add_argument("--clean-machine", metavar="FRAMES",
                        help="make the clean machine's job from the first run's frames")
    args = parser.parse_args()
    if args.print_clean_image:
        clean = track_settings(os.path.abspath(args.track_dir))[3]
        print((clean or {}).get("image", ""))
        return
    status = 0
    if args.clean_machine:
        data, clean_image = build_clean_machine(args.track_dir, args.clean_machine)
        status = 0 if clean_image else 3
    else:
        data, image, _ = build(args.track_dir, args.variant, args.wall, args.output_limit)
    if args.print_image:
        print(image or "")
        return
    if args.output:
        with open(args.output, "wb") as f:
            f.write(data)
    else:
        sys.stdout.buffer.write(data)
    sys.exit(status)


if __name__ == "__main__":
    main()
