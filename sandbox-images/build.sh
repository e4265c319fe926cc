#!/usr/bin/env bash
# Builds the FFI Lab sandbox images as ffilab/<name>:latest, parents first.
#
#   sandbox-images/build.sh [--force] [--no-cache] [--verbose] [name...]
#   sandbox-images/build.sh --status [name...]
#
# Every directory of sandbox-images/ with a Dockerfile is an image; its parent is the image its
# Dockerfile names in `FROM ffilab/<parent>` (none for base, which starts FROM debian:trixie-slim).
# The build context is always sandbox-images/ so that base can COPY base/harness.
#
# An image is skipped when its label org.ffilab.image-hash equals the hash of its inputs: the files
# of its directory, sandbox-images/.dockerignore and the image ID of its parent (so a rebuilt parent
# rebuilds its children). A Dockerfile may COPY only from its own directory; anything else would not
# be part of the hash.
set -euo pipefail

IMAGES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LABEL=org.ffilab.image-hash
BOOTSTRAP_IMAGE=debian:trixie-slim
LOG_DIR=${FFILAB_BUILD_LOG_DIR:-${TMPDIR:-/tmp}/ffilab-image-builds}

export DOCKER_BUILDKIT=0 # this Docker CLI has no buildx: use the legacy builder

force=false
verbose=false
status_only=false
no_cache=()
requested=()

usage() {
  awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
  cat <<'EOF'
Options:
  --force      build even when an image's label says it is up to date (layer cache still used)
  --no-cache   build without Docker's layer cache (implies --force)
  --verbose    stream docker build output (otherwise it goes to a log file, shown on failure)
  --status     print each image's state (ok, stale, missing) and exit 1 if any is not ok
EOF
}

die() {
  echo "build.sh: $*" >&2
  exit 1
}

while (($#)); do
  case $1 in
    --force) force=true ;;
    --no-cache) force=true no_cache=(--no-cache) ;;
    -v | --verbose) verbose=true ;;
    --status) status_only=true ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*) die "unknown option: $1 (try --help)" ;;
    *) requested+=("$1") ;;
  esac
  shift
done

# All image names: the directories that hold a Dockerfile.
all_images() {
  local f
  for f in "$IMAGES_DIR"/*/Dockerfile; do
    [[ -e $f ]] && basename "$(dirname "$f")"
  done
}

# The FROM of an image's Dockerfile (the first one).
from_of() {
  awk 'toupper($1) == "FROM" { for (i = 2; i <= NF; i++) if ($i !~ /^--/) { print $i; exit } }' \
    "$IMAGES_DIR/$1/Dockerfile"
}

# The ffilab parent of an image, or nothing when it starts from an outside image.
parent_of() {
  local from
  from=$(from_of "$1")
  if [[ $from =~ ^ffilab/([a-z0-9][a-z0-9._-]*)(:latest)?$ ]]; then
    echo "${BASH_REMATCH[1]}"
  fi
}

# Adds an image and, before it, its ancestors to the build order (once each).
order=()
visiting=" "
add_with_parents() {
  local name=$1 parent
  [[ $name =~ ^[a-z0-9][a-z0-9._-]*$ ]] || die "not an image name: $name"
  [[ -f $IMAGES_DIR/$name/Dockerfile ]] || die "no such image: $name (no $IMAGES_DIR/$name/Dockerfile)"
  [[ " ${order[*]} " == *" $name "* ]] && return 0
  [[ $visiting == *" $name "* ]] && die "FROM cycle through $name"
  visiting+="$name "
  parent=$(parent_of "$name")
  [[ -n $parent ]] && add_with_parents "$parent"
  order+=("$name")
}

image_id() {
  docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true
}

image_label() {
  docker image inspect --format "{{ index .Config.Labels \"$LABEL\" }}" "$1" 2>/dev/null || true
}

# The files an image is built from: its folder (for base, without the harness, which base does
# not copy) and, for the runtime images that copy it as their last layer, the harness. So a harness
# change rebuilds one small layer per image instead of every image's toolchain layers.
image_files() {
  local name=$1
  find "$name" -type f ! -name '*.pyc' ! -path '*/__pycache__/*' ! -path 'base/harness/*'
  if grep -q '^COPY base/harness/' "$name/Dockerfile"; then
    find base/harness/ffilab_harness -type f ! -name '*.pyc' ! -path '*/__pycache__/*'
  fi
}

# The hash of an image's inputs: its files (names, executable bits, contents), the shared
# .dockerignore, and the ID of the image it starts from.
input_hash() {
  local name=$1 base_id=$2 file
  {
    printf 'from %s\n' "$base_id"
    cd "$IMAGES_DIR"
    [[ -f .dockerignore ]] && sha256sum .dockerignore
    image_files "$name" | LC_ALL=C sort | while IFS= read -r file; do
      if [[ -x $file ]]; then echo "$file x"; else echo "$file -"; fi
      sha256sum "$file"
    done
  } | sha256sum | cut -c1-64
}

# Makes debian:trixie-slim when it is missing: pull it where a registry is reachable, else
# debootstrap it (default mirror) and import the tree.
ensure_bootstrap_image() {
  [[ -n $(image_id "$BOOTSTRAP_IMAGE") ]] && return 0
  echo "==> $BOOTSTRAP_IMAGE is missing: trying docker pull"
  if timeout 120 docker pull -q "$BOOTSTRAP_IMAGE" >/dev/null 2>&1; then
    return 0
  fi
  echo "==> no registry reachable: making $BOOTSTRAP_IMAGE with debootstrap (a minute or two)"
  ((EUID == 0)) || die "debootstrap needs root: run as root, or provide $BOOTSTRAP_IMAGE"
  command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
  local root log start
  root=$(mktemp -d /var/tmp/ffilab-trixie.XXXXXX)
  mkdir -p "$LOG_DIR"
  log=$LOG_DIR/debootstrap.log
  start=$(date +%s)
  if ! debootstrap --variant=minbase trixie "$root" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    rm -rf "$root"
    die "debootstrap failed (log: $log)"
  fi
  # The downloaded packages and the package lists are not part of a slim image.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import --change 'CMD ["bash"]' - "$BOOTSTRAP_IMAGE" >/dev/null
  rm -rf "$root"
  echo "==> $BOOTSTRAP_IMAGE imported in $(($(date +%s) - start)) s"
}

# Prints "ok", "stale" or "missing" for an image whose inputs hash to $2.
state_of() {
  local tag=ffilab/$1:latest
  if [[ -z $(image_id "$tag") ]]; then
    echo missing
  elif [[ $(image_label "$tag") == "$2" ]]; then
    echo ok
  else
    echo stale
  fi
}

# The ID of the image an image starts from ("none" if it does not exist yet).
base_id_of() {
  local parent from id
  parent=$(parent_of "$1")
  if [[ -n $parent ]]; then
    id=$(image_id "ffilab/$parent:latest")
  else
    from=$(from_of "$1")
    id=$(image_id "$from")
  fi
  echo "${id:-none}"
}

build_one() {
  local name=$1 hash tag=ffilab/$1:latest log start elapsed
  hash=$(input_hash "$name" "$(base_id_of "$name")")
  if ! $force && [[ $(state_of "$name" "$hash") == ok ]]; then
    echo "==> $tag is up to date"
    return 0
  fi
  echo "==> building $tag"
  start=$(date +%s.%N)
  local cmd=(docker build --network host "${no_cache[@]}" --build-arg "FFILAB_IMAGE_HASH=$hash"
    --label "$LABEL=$hash" -t "$tag" -f "$IMAGES_DIR/$name/Dockerfile" "$IMAGES_DIR")
  if $verbose; then
    "${cmd[@]}" || die "building $tag failed"
  else
    mkdir -p "$LOG_DIR"
    log=$LOG_DIR/$name.log
    if ! "${cmd[@]}" >"$log" 2>&1; then
      tail -n 40 "$log" >&2
      die "building $tag failed (full log: $log)"
    fi
  fi
  elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  echo "==> built $tag in ${elapsed} s ($(docker image inspect --format '{{.Size}}' "$tag" |
    awk '{ printf "%.0f MB", $1 / 1e6 }'))"
}

docker info >/dev/null 2>&1 || die "the Docker engine is not reachable (scripts/lab engine starts it)"

if ((${#requested[@]} == 0)); then
  mapfile -t requested < <(all_images)
fi
for name in "${requested[@]}"; do
  add_with_parents "$name"
done

if $status_only; then
  all_ok=true
  for name in "${order[@]}"; do
    state=$(state_of "$name" "$(input_hash "$name" "$(base_id_of "$name")")")
    # A child of a parent that is not up to date will be rebuilt with it.
    parent=$(parent_of "$name")
    if [[ -n $parent && $state == ok && " ${not_ok:-} " == *" $parent "* ]]; then
      state=stale
    fi
    [[ $state == ok ]] || { all_ok=false; not_ok="${not_ok:-} $name"; }
    printf '%-12s %s\n' "$name" "$state"
  done
  $all_ok
  exit
fi

total_start=$(date +%s)
for name in "${order[@]}"; do
  if [[ -z $(parent_of "$name") && $(from_of "$name") == "$BOOTSTRAP_IMAGE" ]]; then
    ensure_bootstrap_image
  fi
  build_one "$name"
done
# Old versions of rebuilt images are left untagged: remove them (only ours, only untagged ones).
docker image prune -f --filter "label=$LABEL" >/dev/null 2>&1 || true
echo "==> images ready in $(($(date +%s) - total_start)) s: ${order[*]/#/ffilab/}"
