#!/usr/bin/env bash
# Runs a track's solution, starter or hazards through the harness by hand, in the real sandbox
# image under the production flags (docs/sandbox.md), and shows what the student would see.
#
#   run-local.sh [options] TRACK_DIR [VARIANT]
#   run-local.sh [options] --all TRACK_DIR...
#
# TRACK_DIR is content/tasks/NN-slug/tracks/<track>. VARIANT is solution (default), starter, a
# hazard name, or a directory of student files. The solution must pass and a hazard must get its
# expected.json verdict: the exit status is 0 when that holds (1 when not). --all runs the
# solution and every hazard of each TRACK_DIR and prints a summary.
#
# A track with a clean machine (track.yml `cleanMachine`) runs as the server runs it: the first
# container hands its files over, then a second container of the clean machine's image runs its
# check on them (unless the build failed), and both stages are judged as one verdict.
#
# Options:
#   --dev-harness   mount this working copy of the harness over the image's (read-only), so
#                   harness changes can be tried without rebuilding the images
#   --host          run the harness with this machine's python3 (no container, a temp work dir;
#                   NOT a sandbox: for quick iterations on trusted code only)
#   --image NAME    the image (default: ffilab/<image of track.yml>)
#   --clean-image NAME  the clean machine's image (default: ffilab/<its image in track.yml>)
#   --raw           also print every raw frame
#   --frames FILE   save the raw frames to FILE
set -euo pipefail

TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HARNESS=$(cd "$TOOLS/.." && pwd)

dev_harness=false host=false image="" clean_image="" raw=() frames="" all=false
while (($#)); do
  case $1 in
    --dev-harness) dev_harness=true ;;
    --host) host=true ;;
    --image) image=$2; shift ;;
    --clean-image) clean_image=$2; shift ;;
    --raw) raw=(--raw) ;;
    --frames) frames=$2; shift ;;
    --all) all=true ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    -*) echo "run-local.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
(($#)) || { echo "usage: run-local.sh [options] TRACK_DIR [VARIANT] (try --help)" >&2; exit 2; }

# harness IMAGE < job.tar > frames: one run of the harness, in a container of IMAGE (or on the host)
harness() {
  local image=$1 workdir="" rc
  if $host; then
    workdir=$(mktemp -d "${TMPDIR:-/tmp}/ffilab-work.XXXXXX")
    set +e
    env PYTHONPATH="$HARNESS" python3 -P -m ffilab_harness --workdir "$workdir"
    rc=$?
    set -e
    rm -rf "$workdir"
    return $rc
  fi
  local mount=()
  $dev_harness && mount=(-v "$HARNESS:/opt/ffilab/harness:ro")
  docker run --rm -i --name "ffilab-local-$$-$RANDOM" --label org.ffilab.local=1 \
    --network none --memory 512m --memory-swap 512m --pids-limit 256 --cpus 1 \
    --cap-drop ALL --security-opt no-new-privileges --read-only \
    --tmpfs /work:rw,exec,nosuid,size=64m,uid=1000,gid=1000,mode=0700 \
    --tmpfs /tmp:rw,exec,nosuid,size=64m,uid=1000,gid=1000 \
    --user 1000:1000 "${mount[@]}" "$image" ffilab-harness
}

# run_one TRACK_DIR VARIANT -> prints the run, returns 0 when the verdict is the expected one
run_one() {
  local track=$1 variant=$2 tmp expect=() name short clean started rc
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/ffilab-local.XXXXXX")
  if ! python3 "$TOOLS/make-job.py" "$track" "$variant" -o "$tmp/job.tar"; then
    rm -rf "$tmp"
    return 1
  fi
  name=${variant#hazards/}
  if [[ $variant == solution ]]; then
    expect=(--expect pass)
  elif [[ -f $track/hazards/$name/expected.json ]]; then
    expect=(--expect "$track/hazards/$name/expected.json")
  fi
  short=${image:-ffilab/$(python3 "$TOOLS/make-job.py" --print-image "$track")}
  clean=$(python3 "$TOOLS/make-job.py" --print-clean-image "$track")
  [[ -n $clean ]] && clean=${clean_image:-ffilab/$clean}
  echo "=== $(basename "$(dirname "$(dirname "$track")")")/$(basename "$track") : $variant $($host && echo '(host)' || echo "($short)")"
  started=$EPOCHREALTIME
  set +e
  harness "$short" <"$tmp/job.tar" >"$tmp/frames"
  if [[ -z $clean ]]; then
    python3 "$TOOLS/show-frames.py" "${raw[@]}" "${expect[@]}" <"$tmp/frames"
    rc=$?
  else
    python3 "$TOOLS/show-frames.py" "${raw[@]}" --no-verdict --result-out "$tmp/first.json" <"$tmp/frames"
    python3 "$TOOLS/make-job.py" "$track" --clean-machine "$tmp/frames" -o "$tmp/clean.tar"
    case $? in
      0)
        echo "=== clean machine ($clean)"
        harness "$clean" <"$tmp/clean.tar" >"$tmp/clean-frames" ;;
      3)
        echo "=== clean machine: not run"
        cp "$tmp/clean.tar" "$tmp/clean-frames" ;; # the frame of a result whose tests did not run
      *) echo "run-local.sh: could not make the clean machine's job" >&2 ;;
    esac
    cat "$tmp/clean-frames" >>"$tmp/frames"
    python3 "$TOOLS/show-frames.py" "${raw[@]}" --merge "$tmp/first.json" "${expect[@]}" <"$tmp/clean-frames"
    rc=$?
  fi
  set -e
  [[ -n $frames ]] && cp "$tmp/frames" "$frames"
  awk -v a="$started" -v b="$EPOCHREALTIME" -v v="$variant" 'BEGIN { printf "=== %s took %.2f s\n\n", v, b - a }'
  rm -rf "$tmp"
  return $rc
}

if ! $all; then
  run_one "$(cd "$1" && pwd)" "${2:-solution}"
  exit $?
fi

summary=() failed=0
for track in "$@"; do
  track=$(cd "$track" && pwd)
  variants=(solution)
  if [[ -d $track/hazards ]]; then
    for h in "$track"/hazards/*/; do variants+=("hazards/$(basename "$h")"); done
  fi
  for v in "${variants[@]}"; do
    if run_one "$track" "$v"; then
      summary+=("ok    $(basename "$(dirname "$(dirname "$track")")")/$(basename "$track") $v")
    else
      summary+=("WRONG $(basename "$(dirname "$(dirname "$track")")")/$(basename "$track") $v")
      failed=1
    fi
  done
done
printf '%s\n' "${summary[@]}"
exit $failed
