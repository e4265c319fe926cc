#!/usr/bin/env python3
"""Packs a track of content/ into the job archive the harness reads on stdin.

    make-job.py TRACK_DIR [VARIANT] [-o job.tar] [--wall S] [--output-limit BYTES]

TRACK_DIR is content/tasks/NN-slug/tracks/<track>. VARIANT is `solution` (the default),
`starter`, a hazard name (`no-restype` or `hazards/no-restype`: the solution's files overlaid
with the hazard's), or a directory holding the student's files. The archive has the entries of
docs/architecture.md: job.json, check.py, support/..., student/...
"""

import argparse
import io
import json
import os
import re
import sys
import tarfile


def track_settings(track_dir):
    """editable, image and wallSeconds from track.yml (a small, flat YAML subset)."""
    editable, image, wall, section = [], None, None, None
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
    return editable, image, wall


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
    editable, image, track_wall = track_settings(track_dir)
    parts = track_dir.split(os.sep)
    job = {
        "runId": "local-%d" % os.getpid(),
        "task": parts[-3] if len(parts) >= 3 else "task",
        "track": parts[-1],
        "editable": editable,
        "outputLimitBytes": output_limit,
        "wallSeconds": wall or track_wall or 60,
    }
    entries = {"job.json": json.dumps(job).encode()}
    if not os.path.isfile(os.path.join(track_dir, "check.py")):
        sys.exit("make-job: %s has no check.py" % track_dir)
    with open(os.path.join(track_dir, "check.py"), "rb") as f:
        entries["check.py"] = f.read()
    for rel, data in sorted(read_tree(os.path.join(track_dir, "support")).items()):
        entries["support/" + rel] = data
    for rel, data in sorted(student_files(track_dir, variant, editable).items()):
        entries["student/" + rel] = data
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue(), image, job


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("track_dir")
    parser.add_argument("variant", nargs="?", default="solution")
    parser.add_argument("-o", "--output", help="write the tar here (default: stdout)")
    parser.add_argument("--wall", type=int, help="wallSeconds (default: track.yml, else 60)")
    parser.add_argument("--output-limit", type=int, default=1024 * 1024)
    parser.add_argument("--print-image", action="store_true",
                        help="print the track's image short name and exit")
    args = parser.parse_args()
    data, image, _ = build(args.track_dir, args.variant, args.wall, args.output_limit)
    if args.print_image:
        print(image or "")
        return
    if args.output:
        with open(args.output, "wb") as f:
            f.write(data)
    else:
        sys.stdout.buffer.write(data)


if __name__ == "__main__":
    main()
