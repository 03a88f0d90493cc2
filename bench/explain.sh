#!/usr/bin/env bash
# bench/explain.sh - the explain benchmark: `crosshim
# explain` on a real failed link whose undefined symbol is defined in one
# library of the host's full multiarch library directory, against a shell
# loop over `llvm-nm` on the same files, in the same run, interleaved by
# bench/timeit.c. Goal: < 0.5 s wall for the explanation, >= 5x faster than
# the loop. See docs/benchmarks.md ("explain") for the figures.
set -euo pipefail

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=$SRC_DIR/build
WORK_DIR=
DO_BUILD=1
REPS=7
SYMBOL=
NM=${NM:-llvm-nm-14}
HOST_CC=${CC:-cc}
TARGET=x86_64-unknown-linux-gnu
MULTIARCH=x86_64-linux-gnu

usage() {
  cat <<EOF
usage: bench/explain.sh [options]

The files: every lib*.so* and lib*.a in the directories crosshim searches for
$TARGET with no -L of the link's own (/lib/$MULTIARCH, /usr/lib/$MULTIARCH,
/lib, /usr/lib), each file once (symlinks and merged /usr followed, as crosshim
does). The symbol: a function defined in the library last in name order (or
--symbol). A C program calls it and is linked through $TARGET-cc with
CROSSHIM_DIAGNOSE=0: the linker's real error is the log. Then, interleaved:
  A  crosshim explain --target $TARGET LOG -- main.o -o main
     (must exit 1 and name the library)
  B  for f in FILES; do $NM -D --defined-only \$f | grep -w SYM; done
     (archives without -D; must find the same library)
and the same pair for a symbol that nothing defines (crosshim then scans every
name for close spellings).

options:
  --build-dir DIR   crosshim build tree (default: $SRC_DIR/build)
  --work-dir DIR    scratch dir inside the build dir, wiped first
                    (default: BUILD_DIR/bench-explain)
  --no-build        do not run 'cmake --build BUILD_DIR --target crosshim' first
  --reps N          pairs per measurement (default $REPS)
  --quick           3 pairs (figures are not reliable)
  --symbol SYM      the undefined symbol to explain (default: picked, see above)
  -h, --help        this text

Environment: NM (default llvm-nm-14), CC (host C compiler for the timer).
Everything is written under the work dir: results.md, timeit's *.txt and *.csv.
EOF
}

die() {
  echo "bench/explain.sh: $*" >&2
  exit 1
}

while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) BUILD_DIR=$(cd "${2:?}" && pwd); shift 2 ;;
    --work-dir) WORK_DIR=${2:?}; shift 2 ;;
    --no-build) DO_BUILD=0; shift ;;
    --reps) REPS=${2:?}; shift 2 ;;
    --quick) REPS=3; shift ;;
    --symbol) SYMBOL=${2:?}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

[ -f "$BUILD_DIR/CMakeCache.txt" ] ||
  die "$BUILD_DIR is not a configured build tree (cmake -S $SRC_DIR -B $BUILD_DIR -G Ninja)"
command -v "$NM" >/dev/null || die "$NM not found (apt-get install llvm-14, or NM=...)"
WORK_DIR=$(realpath -m "${WORK_DIR:-$BUILD_DIR/bench-explain}")
case $WORK_DIR/ in
  "$BUILD_DIR"/?*) ;;
  *) die "the work dir ($WORK_DIR) must be inside the build dir ($BUILD_DIR)" ;;
esac
for v in $(compgen -e | grep '^CROSSHIM_' || true); do unset "$v"; done
rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR/tmp"
export TMPDIR=$WORK_DIR/tmp
cd "$WORK_DIR"
step() { printf '\n== %s\n' "$*"; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

if [ "$DO_BUILD" = 1 ]; then
  step "building crosshim"
  cmake --build "$BUILD_DIR" --target crosshim >build.log 2>&1 || { cat build.log; die "build failed"; }
fi
step "installing into $WORK_DIR/prefix"
cmake --install "$BUILD_DIR" --prefix "$WORK_DIR/prefix" >install.log 2>&1 ||
  { cat install.log; die "cmake --install failed"; }
CROSSHIM=$WORK_DIR/prefix/bin/crosshim
SHIM_CC=$WORK_DIR/prefix/lib/crosshim/bin/$TARGET-cc
"$HOST_CC" -O2 -o timeit "$SRC_DIR/bench/timeit.c" -lm

# --- the files: crosshim's rule (lib*.a, lib*.so*; one per device:inode) ---
step "listing the files"
: >files.txt
declare -A seen=()
for dir in /lib/$MULTIARCH /usr/lib/$MULTIARCH /lib /usr/lib; do
  for f in "$dir"/lib*; do
    case ${f##*/} in *.a | *.so*) ;; *) continue ;; esac
    [ -f "$f" ] || continue # dangling links, directories
    id=$(stat -L -c '%d:%i' "$f")
    [ -z "${seen[$id]:-}" ] || continue
    seen[$id]=1
    printf '%s\n' "$f" >>files.txt
  done
done
FILES=$(wc -l <files.txt)
BYTES=$(tr '\n' '\0' <files.txt | xargs -0 stat -L -c %s | awk '{s += $1} END {print s}')
echo "$FILES files, $((BYTES / 1048576)) MiB"

# The loop, as a user would write it (bash, one llvm-nm and one grep per file).
cat >loop.sh <<EOF
#!/usr/bin/env bash
# loop.sh SYM: every file of files.txt that defines SYM
while IFS= read -r f; do
  case \$f in
    *.a) $NM --defined-only "\$f" 2>/dev/null | grep -qw -- "\$1" && echo "\$f" ;;
    *) $NM -D --defined-only "\$f" 2>/dev/null | grep -qw -- "\$1" && echo "\$f" ;;
  esac
done <"$WORK_DIR/files.txt"
exit 0
EOF
chmod +x loop.sh

# --- the symbol and its real failed link --------------------------------------
if [ -z "$SYMBOL" ]; then
  lib=$(grep '\.so' files.txt | sort | tail -n 1)
  # awk reads to the end: an early exit would kill llvm-nm with SIGPIPE (pipefail).
  SYMBOL=$("$NM" -D --defined-only "$lib" | awk '$2 == "T" && s == "" { sub(/@.*/, "", $3); s = $3 } END { print s }')
  [ -n "$SYMBOL" ] || die "no function defined in $lib: name one with --symbol"
fi
step "a failed link calling $SYMBOL"
printf 'extern void %s(void);\nint main(void) { %s(); return 0; }\n' "$SYMBOL" "$SYMBOL" >main.c
"$SHIM_CC" -c main.c -o main.o || die "compiling main.c failed"
if CROSSHIM_DIAGNOSE=0 "$SHIM_CC" main.o -o main 2>undefined.log; then
  die "main.o links without error: $SYMBOL is in the default libraries; pick another with --symbol"
fi
grep -q "undefined symbol: $SYMBOL" undefined.log || { cat undefined.log; die "no undefined-symbol error in the log"; }
printf 'extern void %s_(void);\nint main(void) { %s_(); return 0; }\n' "$SYMBOL" "$SYMBOL" >typo.c
"$SHIM_CC" -c typo.c -o typo.o || die "compiling typo.c failed"
if CROSSHIM_DIAGNOSE=0 "$SHIM_CC" typo.o -o typo 2>typo.log; then die "typo.o links"; fi

EXPLAIN=("$CROSSHIM" explain --target "$TARGET" undefined.log -- main.o -o main)
EXPLAIN_TYPO=("$CROSSHIM" explain --target "$TARGET" typo.log -- typo.o -o typo)
# timeit stops on a non-zero exit: the wrapper turns "exit 1 (an error
# finding), as expected" into 0, anything else into a failure.
cat >expect1.sh <<'EOF'
#!/bin/sh
"$@" >/dev/null
[ $? = 1 ]
EOF
chmod +x expect1.sh

step "checking both sides give the same answer"
set +e
"${EXPLAIN[@]}" >explain.txt
rc=$?
set -e
cat explain.txt
[ $rc = 1 ] || die "crosshim explain exited $rc, expected 1"
grep -q "\[library-not-on-command-line\]" explain.txt || die "no library-not-on-command-line finding"
./loop.sh "$SYMBOL" >loop.txt
cat loop.txt
[ -s loop.txt ] || die "the loop found no library defining $SYMBOL"
# crosshim's evidence line "    /path/libX.so.N: SYM: defined here ..." names
# one of the loop's files (maybe under another name: libX.so -> libX.so.N).
LIB=$(sed -n "1,/: $SYMBOL: defined here/s/^    \(\/[^:]*\): $SYMBOL: defined here.*/\1/p" explain.txt)
[ -n "$LIB" ] || die "crosshim names no defining file"
LOOP_REAL=$(while IFS= read -r f; do readlink -f "$f"; done <loop.txt)
grep -xF "$(readlink -f "$LIB")" <<<"$LOOP_REAL" >/dev/null ||
  die "crosshim names $LIB, the loop found: $(tr '\n' ' ' <loop.txt)"
set +e
"${EXPLAIN_TYPO[@]}" >explain-typo.txt
rc=$?
set -e
cat explain-typo.txt
if [ $rc != 1 ] || ! grep -q "\[undefined-symbol\]" explain-typo.txt; then
  die "the typo was not explained as undefined-symbol (exit $rc)"
fi

measure() { # KEY -- A... ::: B...
  local key=$1
  shift 2
  step "$key ($REPS pairs)"
  ./timeit -n "$REPS" -w 1 -t "$key" -a crosshim -b nm-loop -r "$key.csv" -- "$@" >"$key.txt" ||
    { cat "$key.txt"; die "measuring $key failed"; }
  grep -v '^RESULT' "$key.txt"
  grep '^RESULT' "$key.txt" >>results.tsv
}
: >results.tsv
measure explain-defined -- ./expect1.sh "${EXPLAIN[@]}" ::: ./loop.sh "$SYMBOL"
measure explain-undefined -- ./expect1.sh "${EXPLAIN_TYPO[@]}" ::: ./loop.sh "${SYMBOL}_"

# --- summary ------------------------------------------------------------------
{
  echo "# explain benchmark ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "- machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1); load before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- files: $FILES (lib*.so*, lib*.a; $((BYTES / 1048576)) MiB) in /lib/$MULTIARCH /usr/lib/$MULTIARCH /lib /usr/lib"
  echo "- symbol: $SYMBOL (defined in $LIB); ${SYMBOL}_ for the undefined case"
  echo "- crosshim: $(git -C "$SRC_DIR" describe --always --dirty 2>/dev/null || echo unknown); $NM: $("$NM" --version | sed -n 's/.*LLVM version //p')"
  echo
  echo "| case | pairs | crosshim explain median (p10-p90) | nm loop median (p10-p90) | loop / crosshim | goal < 0.5 s, >= 5x |"
  echo "|---|---|---|---|---|---|"
  while IFS=$'\t' read -r _ key n ma pa qa mb pb qb _; do
    awk -v k="$key" -v n="$n" -v ma="$ma" -v pa="$pa" -v qa="$qa" -v mb="$mb" -v pb="$pb" -v qb="$qb" 'BEGIN {
      r = mb / ma
      printf "| %s | %d | %.3f s (%.3f-%.3f) | %.2f s (%.2f-%.2f) | %.0fx | %s |\n", k, n,
        ma / 1e6, pa / 1e6, qa / 1e6, mb / 1e6, pb / 1e6, qb / 1e6, r,
        (ma < 500000 && r >= 5) ? "met" : "missed"
    }'
  done <results.tsv
} >results.md
echo
cat results.md
