#!/usr/bin/env bash
# bench/run.sh - crosshim's speed benchmark: every figure is
# measured against its baseline in the same run, the two commands interleaved
# (A B A B ..., many repetitions), by bench/timeit.c (posix_spawn + wait4,
# CLOCK_MONOTONIC). Medians, p10/p90 and the median of the paired differences
# are reported; see docs/benchmarks.md for the figures and their reading.
#
# Run `bench/run.sh --help` for the options.
set -euo pipefail

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=$SRC_DIR/build
WORK_DIR=
DO_BUILD=1
STARTUP_N=2000
LINKMODE_N=1000
COMPILE_N=400
LINK_N=100
DO_CALLGRIND=1
DO_STRACE=1
RUSTC=${RUSTC:-$HOME/.cargo/bin/rustc}
HOST_CC=${CC:-cc}
TARGET=aarch64-unknown-linux-gnu
ORIG_ARGS=("$@")

usage() {
  cat <<EOF
usage: bench/run.sh [options]

Measures, in one run, each figure against its baseline (interleaved A B A B ...):
  1. startup   trivial C program (cc -O2, returns 0)  vs
               CROSSHIM_DRY_RUN=1 $TARGET-cc -c hello.c -o hello.o  (compile mode)
               crosshim --version
               CROSSHIM_DRY_RUN=1 <host>-cc <rustc's link line>     (link mode)
  2. compile   clang with exactly the command the shim prints under
               CROSSHIM_DRY_RUN=1  vs  $TARGET-cc -c hello.c -o hello.o
               (goal: median added time < 0.3 ms per compile); and the floor:
               the same clang command behind a 1-line C trampoline that execs it
     precise   the same with a no-op clang (CROSSHIM_LLVM=<dir with the trivial
               program as bin/clang and bin/ld.lld>): the shim's added time
               without clang's noise; and the floor of any exec-ing wrapper:
               trivial vs a 1-line C trampoline that execs the trivial program;
               and the goal: the shim vs that trampoline linked statically, both
               running the no-op clang (goal: < 0.15 ms apart)
  3. link      a Rust hello link: the final clang command from CROSSHIM_LOG's
               'out:' line  vs  the shim with rustc's incoming command ('in:')
               (goal: link overhead < 2 %); the floor: the same final command
               behind a 10-line C program that posix_spawns it and waits; and
               both again with the no-op clang, to isolate what the shim adds;
               and the checks around a link (goal < 1 % of the link): the same
               shim with the no-op clang, CROSSHIM_DIAGNOSE=0 vs the default
Optional extras when the tools exist: syscall counts (strace -c), page faults
(perf stat, software counters) and user-space instruction counts (valgrind
--tool=callgrind) of single invocations.

options:
  --build-dir DIR     crosshim build tree (default: $SRC_DIR/build)
  --work-dir DIR      scratch dir, wiped first (default: BUILD_DIR/bench-run);
                      crosshim is installed into WORK_DIR/prefix with cmake --install
  --no-build          do not run 'cmake --build BUILD_DIR --target crosshim' first
  --startup-reps N    pairs for the startup and no-op clang figures (default
                      $STARTUP_N; the link-mode ones use N/2)
  --compile-reps N    pairs for the compile figure (default $COMPILE_N)
  --link-reps N       pairs for the link figure (default $LINK_N)
  --quick             a smoke run: 200/30/6 pairs (figures are not reliable)
  --rustc PATH        rustup's rustc for the link figure (default: \$RUSTC or
                      ~/.cargo/bin/rustc); the link figure is skipped without it
  --no-callgrind      skip the instruction counts
  --no-strace         skip the syscall counts (strace) and page faults (perf)
  -h, --help          this text

Environment: CC (host C compiler for the helpers, default cc). Any CROSSHIM_*
variable in the caller's environment is unset so that the shim takes its
default paths. Everything is written under the build dir (the work dir, and
cmake's install_manifest.txt); results.md and the raw samples (*.csv) stay in
the work dir. Typical run time: 1-2 minutes on 2 cores.
EOF
}

die() {
  echo "bench/run.sh: $*" >&3
  [ -z "${ERR_LOG:-}" ] || { echo "last lines of $ERR_LOG:" >&3; tail -n 20 "$ERR_LOG" >&3; }
  exit 1
}
exec 3>&2

while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) BUILD_DIR=$(cd "${2:?}" && pwd); shift 2 ;;
    --work-dir) WORK_DIR=${2:?}; shift 2 ;;
    --no-build) DO_BUILD=0; shift ;;
    --startup-reps) STARTUP_N=${2:?}; LINKMODE_N=$(( ${2} / 2 )); shift 2 ;;
    --compile-reps) COMPILE_N=${2:?}; shift 2 ;;
    --link-reps) LINK_N=${2:?}; shift 2 ;;
    --quick) STARTUP_N=200; LINKMODE_N=100; COMPILE_N=30; LINK_N=6; shift ;;
    --rustc) RUSTC=${2:?}; shift 2 ;;
    --no-callgrind) DO_CALLGRIND=0; shift ;;
    --no-strace) DO_STRACE=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

[ -f "$BUILD_DIR/CMakeCache.txt" ] ||
  die "$BUILD_DIR is not a configured build tree (cmake -S $SRC_DIR -B $BUILD_DIR -G Ninja)"
WORK_DIR=$(realpath -m "${WORK_DIR:-$BUILD_DIR/bench-run}")
case $WORK_DIR/ in
  "$BUILD_DIR"/?*) ;;
  *) die "the work dir ($WORK_DIR) must be inside the build dir ($BUILD_DIR)" ;;
esac
mkdir -p "$WORK_DIR"

# The shim reads these; the benchmark measures its defaults.
for v in $(compgen -e | grep '^CROSSHIM_' || true); do unset "$v"; done

START=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
rm -rf "${WORK_DIR:?}"/*
mkdir -p "$WORK_DIR/tmp"
export TMPDIR=$WORK_DIR/tmp   # clang, rustc and the shim write their temp files here
cd "$WORK_DIR"
RESULTS=$WORK_DIR/results.md
log() { printf '%s\n' "$*" >&3; }
step() { printf '\n== %s\n' "$*" >&3; }
# Every command's stderr goes to a file, so that it is never a terminal: the
# shim asks clang for colours when its stderr is one, which would make the
# shim's command differ from the captured direct one.
ERR_LOG=$WORK_DIR/stderr.log
exec 2>"$ERR_LOG"

# --- build and install ------------------------------------------------------
if [ "$DO_BUILD" = 1 ]; then
  step "building crosshim"
  cmake --build "$BUILD_DIR" --target crosshim >"$WORK_DIR/build.log" 2>&1 ||
    { cat "$WORK_DIR/build.log" >&3; die "build failed"; }
fi
step "installing into $WORK_DIR/prefix"
cmake --install "$BUILD_DIR" --prefix "$WORK_DIR/prefix" >"$WORK_DIR/install.log" 2>&1 ||
  { cat "$WORK_DIR/install.log" >&3; die "cmake --install failed"; }
PREFIX=$WORK_DIR/prefix
CROSSHIM=$PREFIX/bin/crosshim
SHIM_DIR=$PREFIX/lib/crosshim/bin
SHIM_CC=$SHIM_DIR/$TARGET-cc
[ -x "$CROSSHIM" ] && [ -e "$SHIM_CC" ] || die "the install has no $SHIM_CC"

# --- helpers ----------------------------------------------------------------
step "compiling the timer and the trivial program with $HOST_CC -O2"
"$HOST_CC" -O2 -o "$WORK_DIR/timeit" "$SRC_DIR/bench/timeit.c" -lm
printf 'int main(void) { return 0; }\n' >"$WORK_DIR/trivial.c"
"$HOST_CC" -O2 -o "$WORK_DIR/trivial" "$WORK_DIR/trivial.c"
printf '#include <unistd.h>\nint main(int argc, char **argv) { (void)argc; execv(argv[1], argv + 1); return 127; }\n' \
  >"$WORK_DIR/tramp.c"
"$HOST_CC" -O2 -o "$WORK_DIR/tramp" "$WORK_DIR/tramp.c"
# ... and one that posix_spawns its arguments and waits, as the shim does for links.
cat >"$WORK_DIR/spawnwait.c" <<'EOF'
#include <spawn.h>
#include <sys/wait.h>
extern char **environ;
int main(int argc, char **argv) {
  pid_t pid;
  int status;
  (void)argc;
  if (posix_spawn(&pid, argv[1], 0, 0, argv + 1, environ) != 0)
    return 127;
  while (waitpid(pid, &status, 0) < 0) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}
EOF
"$HOST_CC" -O2 -o "$WORK_DIR/spawnwait" "$WORK_DIR/spawnwait.c"
TIMEIT=$WORK_DIR/timeit
TRIVIAL=$WORK_DIR/trivial
TRAMP=$WORK_DIR/tramp
SPAWNWAIT=$WORK_DIR/spawnwait
# The same trampoline linked statically (no ld.so), if the host has libc.a.
TRAMP_STATIC=$WORK_DIR/tramp-static
"$HOST_CC" -O2 -static -o "$TRAMP_STATIC" "$WORK_DIR/tramp.c" 2>/dev/null || TRAMP_STATIC=
# A no-op LLVM: the trivial program as clang and ld.lld, for CROSSHIM_LLVM.
NULL_LLVM=$WORK_DIR/null-llvm
mkdir -p "$NULL_LLVM/bin"
cp "$TRIVIAL" "$NULL_LLVM/bin/clang"
cp "$TRIVIAL" "$NULL_LLVM/bin/ld.lld"

cat >"$WORK_DIR/hello.c" <<'EOF'
#include <stdio.h>
#include <string.h>

static int count_vowels(const char *s) {
  int n = 0;
  for (; *s; ++s)
    n += strchr("aeiou", *s) != NULL;
  return n;
}

int main(int argc, char **argv) {
  const char *who = argc > 1 ? argv[1] : "world";
  printf("hello, %s (%d vowels)\n", who, count_vowels(who));
  return 0;
}
EOF

# RESULT lines of timeit, one per measurement, for the summary.
: >"$WORK_DIR/results.tsv"
measure() {  # measure KEY PAIRS LABEL_A LABEL_B -- [-e NAME=VALUE]... A... ::: B...
  local key=$1 n=$2 la=$3 lb=$4 opts=()
  shift 5
  while [ "${1:-}" = -e ]; do  # a setting for command A only (timeit -e)
    opts+=(-e "$2")
    shift 2
  done
  step "$key ($n pairs)"
  "$TIMEIT" -n "$n" -t "$key" -a "$la" -b "$lb" -r "$WORK_DIR/$key.csv" "${opts[@]}" -- "$@" \
    >"$WORK_DIR/$key.txt" || die "measuring $key failed"
  grep -v '^RESULT' "$WORK_DIR/$key.txt" >&3
  grep '^RESULT' "$WORK_DIR/$key.txt" >>"$WORK_DIR/results.tsv"
}

# --- 1. startup ---------------------------------------------------------------
DRY_OUT=$(CROSSHIM_DRY_RUN=1 "$SHIM_CC" -c hello.c -o hello.o) ||
  die "CROSSHIM_DRY_RUN=1 $SHIM_CC -c hello.c failed"
eval "COMPILE_FINAL=($DRY_OUT)"
CLANG=${COMPILE_FINAL[0]}

CROSSHIM_DRY_RUN=1 measure startup-compile-dry "$STARTUP_N" trivial shim -- \
  "$TRIVIAL" ::: "$SHIM_CC" -c hello.c -o hello.o
measure startup-version "$STARTUP_N" trivial crosshim -- \
  "$TRIVIAL" ::: "$CROSSHIM" --version

# --- 2. compile ---------------------------------------------------------------
# Both sides must do the same compile: same object file, byte for byte.
"${COMPILE_FINAL[@]}" || die "the direct compile failed"
mv hello.o hello.direct.o
"$SHIM_CC" -c hello.c -o hello.o || die "the compile through the shim failed"
mv hello.o hello.shim.o
cmp -s hello.direct.o hello.shim.o ||
  die "the shim's object differs from the direct compile's: not the same compile"
measure compile "$COMPILE_N" direct shim -- \
  "${COMPILE_FINAL[@]}" ::: "$SHIM_CC" -c hello.c -o hello.o
# The floor: the same compile behind a 1-line C program that only execs it.
measure compile-floor "$COMPILE_N" direct trampoline -- \
  "${COMPILE_FINAL[@]}" ::: "$TRAMP" "${COMPILE_FINAL[@]}"

# The same with a no-op clang: what the shim adds, without clang's noise.
NULL_OUT=$(CROSSHIM_LLVM=$NULL_LLVM CROSSHIM_DRY_RUN=1 "$SHIM_CC" -c hello.c -o hello.o)
eval "NULL_FINAL=($NULL_OUT)"
[ "${NULL_FINAL[0]}" = "$NULL_LLVM/bin/clang" ] || die "CROSSHIM_LLVM=$NULL_LLVM did not select the no-op clang"
CROSSHIM_LLVM=$NULL_LLVM measure compile-noop "$STARTUP_N" direct shim -- \
  "${NULL_FINAL[@]}" ::: "$SHIM_CC" -c hello.c -o hello.o
# The floor for any wrapper that execs: one more execve of a small dynamic program.
measure exec-hop "$STARTUP_N" direct trampoline -- \
  "${NULL_FINAL[@]}" ::: "$TRAMP" "${NULL_FINAL[@]}"
[ -z "$TRAMP_STATIC" ] || measure exec-hop-static "$STARTUP_N" direct trampoline -- \
  "${NULL_FINAL[@]}" ::: "$TRAMP_STATIC" "${NULL_FINAL[@]}"
# The per-compile goal, measured directly: the shim against the static
# trampoline, each running the no-op clang (the shim builds its command; the
# trampoline is given the final one).
[ -z "$TRAMP_STATIC" ] || CROSSHIM_LLVM=$NULL_LLVM measure shim-vs-tramp "$STARTUP_N" trampoline shim -- \
  "$TRAMP_STATIC" "${NULL_FINAL[@]}" ::: "$SHIM_CC" -c hello.c -o hello.o
# What users put in front of a compiler instead: a `#!/bin/sh` wrapper that
# execs the same command, and ccache switched off (CCACHE_DISABLE=1, so it only
# finds the compiler and execs it).
printf '#!/bin/sh\nexec "$@"\n' >"$WORK_DIR/sh-wrapper"
chmod +x "$WORK_DIR/sh-wrapper"
measure exec-hop-sh "$STARTUP_N" direct sh-wrapper -- \
  "${NULL_FINAL[@]}" ::: "$WORK_DIR/sh-wrapper" "${NULL_FINAL[@]}"
if command -v ccache >/dev/null; then
  CCACHE_DISABLE=1 measure exec-hop-ccache "$STARTUP_N" direct ccache -- \
    "${NULL_FINAL[@]}" ::: ccache "${NULL_FINAL[@]}"
fi

# --- 3. link ------------------------------------------------------------------
LINK_DONE=0
RUST_HOST=
if [ -x "$RUSTC" ] && RUST_HOST=$("$RUSTC" -vV 2>/dev/null | sed -n 's/^host: //p') &&
   [ -n "$RUST_HOST" ] && [ -e "$SHIM_DIR/$RUST_HOST-cc" ]; then
  step "capturing rustc's link line through $RUST_HOST-cc"
  mkdir -p rust
  printf 'fn main() {\n    println!("Hello, world!");\n}\n' >rust/hello.rs
  # -C save-temps keeps rustc's objects (and its rustcXXXXXX dir with
  # symbols.o) after the link, so that the link can be replayed.
  CROSSHIM_LOG=$WORK_DIR/link.log "$RUSTC" -C linker="$SHIM_DIR/$RUST_HOST-cc" -C save-temps \
    --out-dir "$WORK_DIR/rust" rust/hello.rs 2>"$WORK_DIR/rustc.log" ||
    { cat "$WORK_DIR/rustc.log" >&3; die "rustc hello.rs through the shim failed"; }
  IN_LINE=$(sed -n 's/^crosshim\[[0-9]*\] in: //p' link.log | tail -n 1)
  OUT_LINE=$(sed -n 's/^crosshim\[[0-9]*\] out: //p' link.log | tail -n 1)
  [ -n "$IN_LINE" ] && [ -n "$OUT_LINE" ] || die "no in:/out: lines in $WORK_DIR/link.log"
  eval "LINK_IN=($IN_LINE)"
  eval "LINK_OUT=($OUT_LINE)"
  for a in "${LINK_IN[@]}"; do
    case $a in
      *.o|*.rlib|*.a) [ -e "$a" ] || die "rustc's link input $a is gone; cannot replay the link" ;;
    esac
  done
  OUT_BIN=
  for ((i = 0; i < ${#LINK_IN[@]} - 1; ++i)); do
    [ "${LINK_IN[i]}" = -o ] && OUT_BIN=${LINK_IN[i+1]}
  done
  [ -n "$OUT_BIN" ] || die "no -o in rustc's link line"
  "${LINK_OUT[@]}" || die "the direct link failed"
  cp "$OUT_BIN" rust/hello.direct
  "${LINK_IN[@]}" || die "the link through the shim failed"
  cp "$OUT_BIN" rust/hello.shim
  [ "$(rust/hello.shim)" = "Hello, world!" ] || die "the replayed link's program does not say hello"
  LINK_SAME=identical
  cmp -s rust/hello.direct rust/hello.shim || LINK_SAME=different
  log "direct and shim links produce $LINK_SAME binaries"

  CROSSHIM_DRY_RUN=1 measure startup-link-dry "$LINKMODE_N" trivial shim -- \
    "$TRIVIAL" ::: "${LINK_IN[@]}"
  measure link "$LINK_N" direct shim -- "${LINK_OUT[@]}" ::: "${LINK_IN[@]}"
  # The floor: the same link behind a 10-line C program that spawns it and waits.
  measure link-floor "$LINK_N" direct spawn+wait -- "${LINK_OUT[@]}" ::: "$SPAWNWAIT" "${LINK_OUT[@]}"
  # The link line with the no-op clang: the shim's own part of a link
  # (its work, posix_spawn, the stderr pipe, wait4) without lld's noise.
  LNULL_OUT=$(CROSSHIM_LLVM=$NULL_LLVM CROSSHIM_DRY_RUN=1 "${LINK_IN[@]}")
  eval "LINK_NULL_FINAL=($LNULL_OUT)"
  [ "${LINK_NULL_FINAL[0]}" = "$NULL_LLVM/bin/clang" ] ||
    die "CROSSHIM_LLVM=$NULL_LLVM did not select the no-op clang for the link"
  CROSSHIM_LLVM=$NULL_LLVM measure link-noop "$LINKMODE_N" direct shim -- \
    "${LINK_NULL_FINAL[@]}" ::: "${LINK_IN[@]}"
  # What the checks around a link cost (before it: -l resolution, the libc
  # link mode, host paths; after it: the audit of an output the no-op clang
  # does not write): the same shim with CROSSHIM_DIAGNOSE=0 and without.
  CROSSHIM_LLVM=$NULL_LLVM measure link-diagnose "$LINKMODE_N" no-checks checks -- \
    -e CROSSHIM_DIAGNOSE=0 "${LINK_IN[@]}" ::: "${LINK_IN[@]}"
  # The floor for any wrapper that spawns and waits.
  measure spawn-hop "$LINKMODE_N" direct spawn+wait -- \
    "${LINK_NULL_FINAL[@]}" ::: "$SPAWNWAIT" "${LINK_NULL_FINAL[@]}"
  LINK_DONE=1
else
  log "skipping the link figure: no rustup rustc at $RUSTC (or no shim for its host target)"
fi

# --- extras: syscalls and instructions ---------------------------------------
syscalls() {  # syscalls NAME CMD... -> total calls (strace -c, this process only)
  local name=$1
  shift
  strace -c -o "$WORK_DIR/strace-$name.txt" "$@" >/dev/null 2>&1 || true
  awk '$NF == "total" { print $4 }' "$WORK_DIR/strace-$name.txt"
}
SYSCALLS=
if [ "$DO_STRACE" = 1 ] && command -v strace >/dev/null; then
  step "syscall counts (strace -c, one invocation, the measured process only)"
  s_triv=$(syscalls trivial "$TRIVIAL")
  s_cdry=$(CROSSHIM_DRY_RUN=1 syscalls compile-dry "$SHIM_CC" -c hello.c -o hello.o)
  s_ver=$(syscalls version "$CROSSHIM" --version)
  SYSCALLS="| trivial C program | $s_triv |
| \`$TARGET-cc -c\`, dry run | $s_cdry |
| \`crosshim --version\` | $s_ver |"
  if [ "$LINK_DONE" = 1 ]; then
    s_ldry=$(CROSSHIM_DRY_RUN=1 syscalls link-dry "${LINK_IN[@]}")
    s_link=$(syscalls link-shim "${LINK_IN[@]}")
    SYSCALLS+="
| \`$RUST_HOST-cc\` link, dry run | $s_ldry |
| \`$RUST_HOST-cc\` link, the shim process only (clang/lld not counted) | $s_link |"
  fi
  log "$SYSCALLS"
fi

instructions() {  # instructions NAME CMD... -> user-space instructions (callgrind Ir)
  local name=$1
  shift
  valgrind --tool=callgrind --callgrind-out-file="$WORK_DIR/callgrind-$name.out" "$@" \
    >/dev/null 2>"$WORK_DIR/callgrind-$name.log" || true
  sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$WORK_DIR/callgrind-$name.log" | tail -n 1
}
FAULTS=
faults() {  # faults CMD... -> "page faults, task-clock ms" (perf stat, mean of 100 runs)
  perf stat -x, -r 100 -e page-faults,task-clock -- "$@" 2>&1 >/dev/null |
    awk -F, '$3 == "page-faults" { f = $1 } $3 == "task-clock" { t = $1 } END { printf "| %s | %s |", f, t }'
}
if [ "$DO_STRACE" = 1 ] && command -v perf >/dev/null && perf stat -e page-faults true >/dev/null 2>&1; then
  step "page faults and task-clock (perf stat -r 100, software counters)"
  FAULTS="| trivial C program $(faults "$TRIVIAL")
| \`$TARGET-cc -c\`, dry run $(CROSSHIM_DRY_RUN=1 faults "$SHIM_CC" -c hello.c -o hello.o)
| \`crosshim --version\` $(faults "$CROSSHIM" --version)"
  if [ "$LINK_DONE" = 1 ]; then
    FAULTS+="
| \`$RUST_HOST-cc\` link, dry run $(CROSSHIM_DRY_RUN=1 faults "${LINK_IN[@]}")"
  fi
  log "$FAULTS"
fi

INSTR=
if [ "$DO_CALLGRIND" = 1 ] && command -v valgrind >/dev/null; then
  step "instruction counts (valgrind --tool=callgrind, user space only)"
  i_triv=$(instructions trivial "$TRIVIAL")
  i_cdry=$(CROSSHIM_DRY_RUN=1 instructions compile-dry "$SHIM_CC" -c hello.c -o hello.o)
  i_ver=$(instructions version "$CROSSHIM" --version)
  INSTR="| trivial C program | $i_triv |
| \`$TARGET-cc -c\`, dry run | $i_cdry |
| \`crosshim --version\` | $i_ver |"
  if [ "$LINK_DONE" = 1 ]; then
    i_ldry=$(CROSSHIM_DRY_RUN=1 instructions link-dry "${LINK_IN[@]}")
    INSTR+="
| \`$RUST_HOST-cc\` link, dry run | $i_ldry |"
  fi
  log "$INSTR"
fi

# --- summary ----------------------------------------------------------------
step "summary"
row() {  # row KEY DESCRIPTION BASELINE-NAME
  local line
  line=$(awk -F'\t' -v k="$1" '$2 == k' "$WORK_DIR/results.tsv")
  [ -n "$line" ] || return 0
  awk -F'\t' -v d="$2" -v b="$3" '{
    printf "| %s | %s | %d | %.3f (%.3f-%.3f) | %.3f (%.3f-%.3f) | %+.3f (%+.3f..%+.3f) | %.3f | %+.2f %% | %+.3f |\n",
      d, b, $3, $4/1000, $5/1000, $6/1000, $7/1000, $8/1000, $9/1000,
      $10/1000, $11/1000, $12/1000, $13, 100 * $10 / $4, $16/1000 }' <<<"$line"
}
field() { awk -F'\t' -v k="$1" -v f="$2" '$2 == k { print $f }' "$WORK_DIR/results.tsv"; }

COMPILE_VERDICT=$(awk -v d="$(field compile 10)" -v lo="$(field compile 11)" -v hi="$(field compile 12)" \
  -v n="$(field compile-noop 10)" -v h="$(field exec-hop 10)" -v c="$(field compile 16)" -v f="$(field compile-floor 10)" 'BEGIN {
  printf "%s: median added time per compile %.3f ms (95 %% CI %.3f..%.3f; goal < 0.300 ms), a trampoline that only execs adds %.3f ms; ", (d < 300 ? "MET" : "MISSED"), d / 1000, lo / 1000, hi / 1000, f / 1000
  printf "CPU time %+.3f ms; with a no-op clang %.3f ms, of which %.3f ms is the floor of one more exec", c / 1000, n / 1000, h / 1000 }')
TRAMP_VERDICT="not measured (no static libc for the trampoline)"
if [ -n "$TRAMP_STATIC" ]; then
  TRAMP_VERDICT=$(awk -v d="$(field shim-vs-tramp 10)" -v lo="$(field shim-vs-tramp 11)" -v hi="$(field shim-vs-tramp 12)" -v c="$(field shim-vs-tramp 16)" 'BEGIN {
    printf "%s: the shim costs %.3f ms (95 %% CI %.3f..%.3f; CPU %+.3f ms) more than a static trampoline that execs the same no-op clang (goal < 0.150 ms)", (d < 150 ? "MET" : "MISSED"), d / 1000, lo / 1000, hi / 1000, c / 1000 }')
fi
LINK_VERDICT="not measured (no rustup rustc)"
if [ "$LINK_DONE" = 1 ]; then
  LINK_VERDICT=$(awk -v d="$(field link 10)" -v a="$(field link 4)" -v r="$(field link 13)" \
    -v f="$(field link-floor 10)" -v fa="$(field link-floor 4)" 'BEGIN {
    o = 100 * d / a
    printf "%s: link overhead %+.2f %% (median paired difference %+.3f ms on a %.1f ms link; ratio of medians %.4f; goal < 2 %%), a spawn+wait wrapper adds %+.2f %% (%+.3f ms)",
      (o < 2 ? "MET" : "MISSED"), o, d / 1000, a / 1000, r, 100 * f / fa, f / 1000 }')
  LINK_VERDICT+=$(awk -v n="$(field link-noop 10)" -v a="$(field link 4)" -v c="$(field link 16)" -v ca="$(field link 14)" 'BEGIN {
    printf "; CPU time %+.3f ms = %+.2f %%; with a no-op clang the shim adds %.3f ms = %.2f %% of the real link", c / 1000, 100 * c / ca, n / 1000, 100 * n / a }')
  LINK_VERDICT+=$(awk -v h="$(field spawn-hop 10)" -v a="$(field link 4)" 'BEGIN {
    printf ", of which %.3f ms (%.2f %%) is the floor of one more spawn and wait", h / 1000, 100 * h / a }')
  LINK_VERDICT+=$(awk -v g="$(field link-diagnose 10)" -v a="$(field link 4)" 'BEGIN {
    printf "\n- checks around a link (goal < 1 %% of a Rust hello link): %s, %.3f ms = %.2f %%", (100 * g / a < 1 ? "MET" : "MISSED"), g / 1000, 100 * g / a }')
fi

GIT_REV=$(git -C "$SRC_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$SRC_DIR" diff --quiet HEAD -- support diagnostics shims setup cli 2>/dev/null || GIT_REV+=" (sources modified)"
{
  echo "# crosshim benchmark results"
  echo
  echo "- command: \`bench/run.sh${ORIG_ARGS[*]:+ ${ORIG_ARGS[*]}}\` (pairs: startup and no-op $STARTUP_N, link-mode dry run and no-op link $LINKMODE_N, compile $COMPILE_N, link $LINK_N)"
  echo "- crosshim: $("$CROSSHIM" --version), commit $GIT_REV, $CROSSHIM"
  echo "- machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), Linux $(uname -r)"
  echo "- clang: $CLANG ($("$CLANG" --version | head -n 1))"
  [ "$LINK_DONE" = 0 ] || echo "- rustc: $("$RUSTC" --version) ($RUST_HOST), link through \`$RUST_HOST-cc\`; direct and shim outputs $LINK_SAME"
  echo "- host cc: $("$HOST_CC" --version | head -n 1)"
  echo "- load average (1/5/15 min) before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg) (the run itself keeps about one CPU busy)"
  echo
  echo "Times in ms: median (p10-p90); difference = median of the paired wall-time differences shim - baseline (95 % CI); ratio = shim median / baseline median; overhead = difference / baseline median; CPU diff = median of the paired differences of user+sys time (the command and its children)."
  echo
  echo "| measurement | baseline | pairs | baseline median | shim median | difference | ratio | overhead | CPU diff |"
  echo "|---|---|---|---|---|---|---|---|---|"
  row startup-compile-dry "startup: \`CROSSHIM_DRY_RUN=1 $TARGET-cc -c hello.c\`" "trivial C program"
  row startup-version "startup: \`crosshim --version\`" "trivial C program"
  row startup-link-dry "startup: \`CROSSHIM_DRY_RUN=1 $RUST_HOST-cc\` <rust link line>" "trivial C program"
  row compile "compile: \`$TARGET-cc -c hello.c\`" "clang, same final command"
  row compile-floor "compile floor: the same compile behind a 1-line C trampoline that execs it" "clang, same final command"
  row compile-noop "compile, no-op clang (CROSSHIM_LLVM)" "no-op clang, same final command"
  row exec-hop "exec floor, no-op clang: the C trampoline (dynamic)" "no-op clang, same final command"
  row exec-hop-static "exec floor, no-op clang: the same trampoline, static" "no-op clang, same final command"
  row shim-vs-tramp "compile, no-op clang: the shim" "static trampoline execing the same no-op clang"
  row exec-hop-sh "no-op clang behind a \`#!/bin/sh\` wrapper that execs it" "no-op clang, same final command"
  row exec-hop-ccache "no-op clang behind ccache with CCACHE_DISABLE=1" "no-op clang, same final command"
  row link "link: Rust hello through \`$RUST_HOST-cc\`" "clang, same final command"
  row link-floor "link floor: the same link behind a 10-line C wrapper that posix_spawns and waits" "clang, same final command"
  row link-noop "link line, no-op clang (CROSSHIM_LLVM)" "no-op clang, same final command"
  row spawn-hop "spawn floor, no-op clang: the C spawn+wait wrapper" "no-op clang, same final command"
  [ "$LINK_DONE" = 0 ] || row link-diagnose "the checks around a link, no-op clang: the shim with them" "the same shim, CROSSHIM_DIAGNOSE=0"
  echo
  echo "- compile goal $COMPILE_VERDICT"
  echo "- per-compile goal against the exec floor: $TRAMP_VERDICT"
  echo "- link goal $LINK_VERDICT"
  if [ -n "$SYSCALLS" ]; then
    echo
    echo "Syscalls of one invocation (\`strace -c\`, without -f; files strace-*.txt):"
    echo
    echo "| invocation | syscalls |"
    echo "|---|---|"
    echo "$SYSCALLS"
  fi
  if [ -n "$FAULTS" ]; then
    echo
    echo "Page faults and CPU time of one invocation (\`perf stat -r 100 -e page-faults,task-clock\`, means):"
    echo
    echo "| invocation | page faults | task-clock ms |"
    echo "|---|---|---|"
    echo "$FAULTS"
  fi
  if [ -n "$INSTR" ]; then
    echo
    echo "User-space instructions of one invocation (\`valgrind --tool=callgrind\`; files callgrind-*.out):"
    echo
    echo "| invocation | instructions |"
    echo "|---|---|"
    echo "$INSTR"
  fi
  echo
  echo "Run time: $(( $(date +%s) - START )) s. Raw samples: $WORK_DIR/*.csv"
} >"$RESULTS"
cat "$RESULTS"
