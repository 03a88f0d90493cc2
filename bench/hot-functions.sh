#!/usr/bin/env bash
# bench/hot-functions.sh - regenerate cli/hot-functions.txt, the symbol
# ordering file crosshim is linked with (ld.lld --symbol-ordering-file).
#
# Every compile starts crosshim afresh, and every page of code it touches for
# the first time is a page fault. The functions a compile or a link runs are
# few (about 300) but, in link order, scattered over 3.7 MB of text: about 30
# of a dry run's 66 faults were code pages. Placed together at the start of
# the text they fit in a few pages. This script records, with callgrind, the
# functions the per-invocation paths run and writes their (mangled) names in
# first-seen order, one per line.
#
# A name missing from a later build is ignored by the linker, so a stale file
# costs page faults, not correctness; tests/binary-guard.sh checks that the
# hot functions of the current build still sit together.
#
#   bench/hot-functions.sh [BUILD_DIR]     (default: build; needs valgrind)
set -euo pipefail

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=$(cd "${1:-$SRC_DIR/build}" && pwd)
OUT=$SRC_DIR/cli/hot-functions.txt
WORK=$BUILD_DIR/hot-functions
command -v valgrind >/dev/null || { echo "hot-functions.sh: valgrind is needed" >&2; exit 2; }

rm -rf "$WORK"
mkdir -p "$WORK/null-llvm/bin"
cmake --build "$BUILD_DIR" --target crosshim >/dev/null
cmake --install "$BUILD_DIR" --prefix "$WORK/prefix" >/dev/null
SHIMS=$WORK/prefix/lib/crosshim/bin
printf 'int main(void) { return 0; }\n' >"$WORK/trivial.c"
cc -O2 -o "$WORK/null-llvm/bin/clang" "$WORK/trivial.c"
cp "$WORK/null-llvm/bin/clang" "$WORK/null-llvm/bin/ld.lld"
printf 'int main(void) { return 0; }\n' >"$WORK/hello.c"
cp "$WORK/hello.c" "$WORK/hello.cpp"
cd "$WORK"

n=0
record() {  # record ENV-ASSIGNMENTS... -- COMMAND...: one callgrind run
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  n=$((n + 1))
  env "${envs[@]}" valgrind --tool=callgrind --demangle=no \
    --callgrind-out-file="$WORK/cg-$n.out" "$@" >/dev/null 2>"$WORK/cg-$n.log" || true
}

# The paths that run per compile or link. A dry run stops where the compile
# would exec clang; the links spawn the no-op linker and wait, as real ones do.
null=CROSSHIM_LLVM=$WORK/null-llvm
record CROSSHIM_DRY_RUN=1 -- "$SHIMS/aarch64-unknown-linux-gnu-cc" -c hello.c -o hello.o
record CROSSHIM_DRY_RUN=1 -- "$SHIMS/arm-linux-gnueabihf-g++" -O2 -c hello.cpp -o hello.o
record CROSSHIM_DRY_RUN=1 -- "$SHIMS/x86_64-w64-mingw32-gcc" -c hello.c -o hello.o
record CROSSHIM_DRY_RUN=1 -- "$SHIMS/aarch64-unknown-linux-gnu-cc" -MD -MF hello.d -c hello.c -o hello.o
record "$null" -- "$SHIMS/aarch64-unknown-linux-gnu-cc" hello.o -o hello
record "$null" -- "$SHIMS/x86_64-unknown-linux-gnu-cc" -m64 hello.o -o hello -Wl,--as-needed \
  -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc -pie -Wl,-z,relro,-z,now -nodefaultlibs
record CROSSHIM_DRY_RUN=1 -- "$SHIMS/aarch64-unknown-linux-gnu-cc" -dumpmachine
record -- "$WORK/prefix/bin/crosshim" --version

# "fn=(id) name" and "cfn=(id) name" name a function the first time its id
# appears; hex addresses are code without a symbol.
for f in "$WORK"/cg-*.out; do
  sed -n 's/^c\{0,1\}fn=([0-9]*) //p' "$f"
done | grep -v '^0x' | awk '!seen[$0]++' >"$WORK/hot-functions.txt"
count=$(wc -l <"$WORK/hot-functions.txt")
[ "$count" -gt 100 ] || { echo "hot-functions.sh: only $count functions recorded; see $WORK/cg-*.log" >&2; exit 1; }
{
  echo "# crosshim's hot functions, first: see bench/hot-functions.sh (which writes this file)."
  cat "$WORK/hot-functions.txt"
} >"$OUT"
echo "wrote $OUT ($count functions)"
