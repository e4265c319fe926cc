#!/bin/sh
# Captures the golden tool reports of src/test/resources/reports/ again, from the programs beside this
# script, in our images under the hardened run profile (sandbox-images/README.md). Addresses, pids and
# timings change from run to run: review the diff and update the parsers' tests to match.
#
#   src/test/report-programs/capture.sh [group...]     groups: c python jni go (default: all)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "$here/../resources/reports" && pwd)

# run IMAGE DIR SCRIPT: DIR's files go in as a tar on stdin, SCRIPT runs in /work; prints stdout+stderr.
run() {
  tar -C "$here/$2" -c . | docker run --rm -i --network none --memory 512m --memory-swap 512m \
    --pids-limit 256 --cpus 1 --cap-drop ALL --security-opt no-new-privileges --read-only \
    --tmpfs /work:rw,exec,nosuid,nodev,size=64m,uid=1000,gid=1000,mode=0700 \
    --tmpfs /tmp:rw,exec,nosuid,nodev,size=64m,uid=1000,gid=1000,mode=1777 \
    --ulimit core=0 --user 1000:1000 "$1" sh -c "tar -x -C /work && cd /work && $3" 2>&1 || true
}

asan='clang -g -O0 -fsanitize=address -fno-omit-frame-pointer'
vg='valgrind -q --xml=yes --xml-file=/work/vg.xml --leak-check=full --show-leak-kinds=definite,indirect,possible'
preload='LD_PRELOAD=$(gcc -print-file-name=libasan.so)'
jni='JH=$(dirname $(dirname $(readlink -f $(which javac)))); gcc -g -O0 -shared -fPIC -I$JH/include -I$JH/include/linux -o libnative.so native.c && javac -d . Native.java >/dev/null'
java='java --enable-native-access=ALL-UNNAMED -Djava.library.path=.'

c() {
  for p in uaf:heap-use-after-free dfree:double-free badfree:invalid-free overflow:heap-buffer-overflow \
      stackov:stack-buffer-overflow segv:segv; do
    run ffilab/base c "$asan -o ${p%%:*} ${p%%:*}.c && ./${p%%:*}" > "$out/asan/${p##*:}.txt"
  done
  run ffilab/base c 'gcc -g -O0 -fsanitize=address -o dfree dfree.c && ./dfree' > "$out/asan/double-free-gcc.txt"
  run ffilab/base c "$asan -o leak leak.c && ./leak" > "$out/lsan/leaks.txt"
  run ffilab/base c 'clang -g -O1 -fsanitize=thread -o race race.c && ./race' > "$out/tsan/data-race.txt"
  run ffilab/base c 'clang -g -O1 -fsanitize=thread -o race2 race2.c && ./race2' > "$out/tsan/heap-race.txt"
  run ffilab/base c 'clang -g -O0 -fsanitize=thread -o race3 race3.c && ./race3' > "$out/tsan/interleaved-output.txt"
  run ffilab/base c 'clang -g -O0 -fsanitize=undefined -o ub ub.c && ./ub' > "$out/ubsan/runtime-errors.txt"
  run ffilab/base c 'clang -g -O0 -fsanitize=undefined -o ub ub.c && UBSAN_OPTIONS=print_stacktrace=1 ./ub' \
    > "$out/ubsan/runtime-errors-with-stacks.txt"
  for p in uaf:invalid-read dfree:double-free badfree:invalid-free overflow:invalid-write leak:leaks; do
    run ffilab/base c "gcc -g -O0 -o ${p%%:*} ${p%%:*}.c && $vg ./${p%%:*} >/dev/null 2>&1; cat vg.xml" \
      > "$out/valgrind/${p##*:}.xml"
  done
  run ffilab/base c 'gcc -g -O0 -o segv segv.c && gdb -q -batch -ex run -ex bt ./segv' > "$out/gdb/segv.txt"
  run ffilab/base c "gcc -g -O0 -pthread -o tcrash tcrash.c && gdb -q -batch -ex run -ex 'thread apply all bt' ./tcrash" \
    > "$out/gdb/threads.txt"
  run ffilab/base c 'gcc -O2 -o timing timing.c && ./timing' > "$out/metrics/c-timings-with-bad-lines.txt"
}

python() {
  lib='gcc -g -O0 -fsanitize=address -shared -fPIC -o libbuf.so buf.c'
  run ffilab/python python "$lib && $preload ASAN_OPTIONS=detect_leaks=0 PYTHONMALLOC=malloc python3 use_buf.py" \
    > "$out/asan/python-double-free-in-thread.txt"
  run ffilab/python python "$lib && $preload PYTHONMALLOC=malloc python3 use_buf2.py overflow" \
    > "$out/asan/python-heap-buffer-overflow.txt"
  run ffilab/python python "$lib && $preload PYTHONMALLOC=malloc python3 use_buf2.py" \
    > "$out/lsan/python-interpreter-leaks.txt"
  run ffilab/python python "gcc -g -O0 -shared -fPIC -o libbuf.so buf.c && PYTHONMALLOC=malloc $vg --num-callers=6 python3 use_buf3.py >/dev/null 2>&1; cat vg.xml" \
    | gzip -9 > "$out/valgrind/python-threads-noisy.xml.gz"
  run ffilab/python python 'gcc -g -O0 -shared -fPIC -o libcb.so cb.c && gdb -q -batch -ex run -ex bt --args python3 crash.py' \
    > "$out/gdb/python-ctypes.txt"
  run ffilab/python python 'gcc -shared -fPIC -o libgil.so gil.c && python3 bench_gil.py' > "$out/metrics/gil-timings.txt"
}

jni() {
  run ffilab/jdk jni "$jni && $java -Xcheck:jni Native pending" > "$out/hotspot/xcheck-exception-pending.txt"
  run ffilab/jdk jni "$jni && $java -Xcheck:jni Native thread" > "$out/hotspot/xcheck-non-java-thread.txt"
  run ffilab/jdk jni "$jni && $java Native thread; cat hs_err_pid*.log" > "$out/hotspot/crash-unattached-thread.txt"
  run ffilab/jdk jni "$jni && $java Native crash; cat hs_err_pid*.log" > "$out/hotspot/crash-in-native-code.txt"
}

go() {
  build='ffilab-go-cache && go build -o prog .'
  run ffilab/go go "$build && ./prog pointer" > "$out/cgocheck/unpinned-go-pointer.txt"
  run ffilab/go go "$build && ./prog crash" > "$out/cgocheck/signal-in-c-code.txt"
  run ffilab/go go "ffilab-go-cache && GO_MEMORY=1 go test -run '^\$' -bench . -benchmem -count 3 ." \
    > "$out/cgocheck/panic-in-benchmark.txt"
  cp "$out/cgocheck/panic-in-benchmark.txt" "$out/gobench/cut-short-by-a-panic.txt"
  run ffilab/go go "ffilab-go-cache && go build -race -o prog-race . && ./prog-race race" > "$out/gorace/program-with-output.txt"
  run ffilab/go go "ffilab-go-cache && go test -race -count 1 -run TestRace ." > "$out/gorace/go-test.txt"
  run ffilab/go go "ffilab-go-cache && go test -run '^\$' -bench . -benchmem -count 3 ." > "$out/gobench/count-3.txt"
}

[ $# -gt 0 ] || set -- c python jni go
for group in "$@"; do
  echo "capturing $group" >&2
  "$group"
done
