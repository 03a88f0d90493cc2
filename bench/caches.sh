#!/usr/bin/env bash
# bench/caches.sh - what caches cost and save per compile through crosshim,
# each figure against the plain shim in the same run (bench/timeit.c, A B A B
# ...), and a real project's cold and warm builds with each cache: the C
# implementation of BLAKE3 from Debian's librust-blake3-dev, for aarch64 with
# the CMake toolchain file of `crosshim toolchain cmake [--cache C]`.
# Results: docs/benchmarks.md ("Caches"). Writes only below the build dir.
#
#   bench/caches.sh [--build-dir DIR] [--reps N] [--project-reps N]
set -euo pipefail

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=$SRC_DIR/build
REPS=200
PROJECT_REPS=3
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) BUILD_DIR=$(cd "${2:?}" && pwd); shift 2 ;;
    --reps) REPS=${2:?}; shift 2 ;;
    --project-reps) PROJECT_REPS=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "usage: bench/caches.sh [--build-dir DIR] [--reps N] [--project-reps N]" >&2; exit 2 ;;
  esac
done
BLAKE3=$(ls -d /usr/share/cargo/registry/blake3-*/c 2>/dev/null | tail -n 1)
[ -n "$BLAKE3" ] || { echo "bench/caches.sh: needs librust-blake3-dev (BLAKE3's C sources)" >&2; exit 1; }
for tool in ccache sccache cmake ninja; do
  command -v $tool >/dev/null || { echo "bench/caches.sh: needs $tool" >&2; exit 1; }
done

for v in $(compgen -e | grep -E '^(CROSSHIM_|CCACHE_|SCCACHE_)' || true); do unset "$v"; done
WORK=$BUILD_DIR/bench-caches
rm -rf "$WORK"
mkdir -p "$WORK/tmp"
cd "$WORK"
export TMPDIR=$WORK/tmp XDG_CACHE_HOME=$WORK/xdg-cache
export CCACHE_DIR=$WORK/ccache CCACHE_CONFIGPATH=$WORK/ccache.conf
: >"$CCACHE_CONFIGPATH"
export SCCACHE_DIR=$WORK/sccache SCCACHE_IDLE_TIMEOUT=0 SCCACHE_SERVER_PORT=$((20000 + RANDOM % 20000))
SCCACHE_START_SERVER=1 SCCACHE_NO_DAEMON=1 sccache >"$WORK/sccache-server.log" 2>&1 &
SCCACHE_PID=$!
trap 'kill $SCCACHE_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$SCCACHE_SERVER_PORT") 2>/dev/null && break
  sleep 0.1
done

cmake --build "$BUILD_DIR" --target crosshim >/dev/null
cmake --install "$BUILD_DIR" --prefix "$WORK/prefix" >/dev/null
CROSSHIM=$WORK/prefix/bin/crosshim
CC=$WORK/prefix/lib/crosshim/bin/aarch64-unknown-linux-gnu-cc
cc -O2 -o timeit "$SRC_DIR/bench/timeit.c" -lm
cp "$BLAKE3"/*.c "$BLAKE3"/*.h .
SRC=blake3_portable.c
RESULTS=$WORK/results.md
{
  echo "# bench/caches.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| figure | A | B | pairs | median A | median B | B-A (95 % CI) |"
  echo "|---|---|---|---|---|---|---|"
} >"$RESULTS"
pair() { # TITLE LABEL_A LABEL_B -- A... ::: B...
  local title=$1 a=$2 b=$3
  shift 4
  local line
  line=$(./timeit -n "$REPS" -w 5 -t "$title" -- "$@" | grep '^RESULT')
  IFS=$'\t' read -r _ _ n medA _ _ medB _ _ diff lo hi _ <<<"$line"
  printf '| %s | %s | %s | %s | %.0f µs | %.0f µs | %+.0f µs (%+.0f, %+.0f) |\n' \
    "$title" "$a" "$b" "$n" "$medA" "$medB" "$diff" "$lo" "$hi" >>"$RESULTS"
  tail -n 1 "$RESULTS"
}
E=/usr/bin/env
C=(-O2 -c "$SRC" -o out.o)
# Warm every cache for this compile.
$E CROSSHIM_LAUNCHER=ccache "$CC" "${C[@]}"
$E CROSSHIM_LAUNCHER=sccache "$CC" "${C[@]}"
ccache "$CC" "${C[@]}"
$E "CCACHE_COMPILERCHECK=%compiler% --crosshim-fingerprint" ccache "$CC" "${C[@]}"
sccache "$CC" "${C[@]}"

pair launcher-dry-run "shim, dry run" "+ CROSSHIM_LAUNCHER=ccache" -- \
  $E CROSSHIM_DRY_RUN=1 CROSSHIM_LAUNCHER= "$CC" "${C[@]}" ::: $E CROSSHIM_DRY_RUN=1 CROSSHIM_LAUNCHER=ccache "$CC" "${C[@]}"
pair fingerprint "shim, dry run" "shim --crosshim-fingerprint" -- \
  $E CROSSHIM_DRY_RUN=1 "$CC" "${C[@]}" ::: $E CROSSHIM_DRY_RUN= "$CC" --crosshim-fingerprint
pair ccache-behind-hit "plain shim compile" "ccache behind, hit" -- \
  $E CROSSHIM_LAUNCHER= "$CC" "${C[@]}" ::: $E CROSSHIM_LAUNCHER=ccache "$CC" "${C[@]}"
pair sccache-behind-hit "plain shim compile" "sccache behind, hit" -- \
  $E CROSSHIM_LAUNCHER= "$CC" "${C[@]}" ::: $E CROSSHIM_LAUNCHER=sccache "$CC" "${C[@]}"
pair ccache-front-hit "ccache behind, hit" "ccache in front, hit (fingerprint header)" -- \
  $E CROSSHIM_LAUNCHER=ccache "$CC" "${C[@]}" ::: $E CROSSHIM_LAUNCHER= ccache "$CC" "${C[@]}"
pair ccache-front-check-hit "ccache behind, hit" "ccache in front, compiler_check, hit" -- \
  $E CROSSHIM_LAUNCHER=ccache "$CC" "${C[@]}" ::: $E "CCACHE_COMPILERCHECK=%compiler% --crosshim-fingerprint" ccache "$CC" "${C[@]}"
pair sccache-front-hit "sccache behind, hit" "sccache in front, hit" -- \
  $E CROSSHIM_LAUNCHER=sccache "$CC" "${C[@]}" ::: $E CROSSHIM_LAUNCHER= sccache "$CC" "${C[@]}"
# What a shim under ccache adds to a compile that ccache runs it for (a
# miss): one `ccache -p`, to know whether ccache's key can see the
# fingerprint (depend mode, sloppiness = time_macros).
pair ccache-front-config-check "shim, dry run" "ccache -p" -- \
  $E CROSSHIM_DRY_RUN=1 "$CC" "${C[@]}" ::: ccache -p

# A real project: BLAKE3's C library and example for aarch64 (NEON), with
# CMake and Ninja through the generated toolchain file.
cat >CMakeLists.txt <<'EOF'
cmake_minimum_required(VERSION 3.16)
project(blake3 C)
add_library(blake3 blake3.c blake3_dispatch.c blake3_portable.c blake3_neon.c)
target_compile_definitions(blake3 PRIVATE BLAKE3_USE_NEON=1)
add_executable(example example.c)
target_link_libraries(example blake3)
EOF
{
  echo
  echo "BLAKE3 $(basename "$(dirname "$BLAKE3")") (C, 4 library sources and an example) for aarch64, \`cmake --build\` seconds, median of $PROJECT_REPS:"
  echo
  echo "| cache | cold (empty cache) | warm (new build dir) |"
  echo "|---|---|---|"
} >>"$RESULTS"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for cache in none ccache sccache; do
  opt=()
  [ $cache = none ] || opt=(--cache $cache)
  "$CROSSHIM" toolchain cmake --target aarch64-unknown-linux-gnu "${opt[@]}" -o tc-$cache.cmake
  cold=() warm=()
  for i in $(seq "$PROJECT_REPS"); do
    for phase in cold warm; do
      if [ $phase = cold ]; then
        ccache --clear >/dev/null
        kill $SCCACHE_PID; wait $SCCACHE_PID 2>/dev/null || true
        rm -rf "$SCCACHE_DIR"
        SCCACHE_START_SERVER=1 SCCACHE_NO_DAEMON=1 sccache >>"$WORK/sccache-server.log" 2>&1 &
        SCCACHE_PID=$!
        for _ in $(seq 100); do
          (exec 3<>"/dev/tcp/127.0.0.1/$SCCACHE_SERVER_PORT") 2>/dev/null && break
          sleep 0.1
        done
      fi
      rm -rf b
      cmake -S . -B b -G Ninja -DCMAKE_TOOLCHAIN_FILE="$WORK/tc-$cache.cmake" -DCMAKE_BUILD_TYPE=Release >/dev/null
      t0=$(date +%s.%N)
      cmake --build b >/dev/null
      t=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
      if [ $phase = cold ]; then cold+=("$t"); else warm+=("$t"); fi
    done
  done
  printf '| %s | %.2f | %.2f |\n' $cache "$(printf '%s\n' "${cold[@]}" | median)" \
    "$(printf '%s\n' "${warm[@]}" | median)" >>"$RESULTS"
  tail -n 1 "$RESULTS"
done
echo
cat "$RESULTS"
