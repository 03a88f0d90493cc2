#!/usr/bin/env bash
# The ctest fixture fuzz.build: configures and builds the fuzz targets
# (fuzz/targets, a CMake project of its own) with clang and the sanitizers
# into the main build's fuzz/ folder, and makes the binary seeds there.
# Exit 77 (skipped) when clang or libFuzzer is missing, unless CI is set:
# CI must run the fuzzers, so there it is a failure.
# Usage: build.sh SOURCE_DIR OUT_DIR CLANGXX LLVM_DIR CMAKE GENERATOR MAKE_PROGRAM
set -euo pipefail
src=$1 out=$2 clangxx=$3 llvm_dir=$4 cmake=$5 generator=$6 make_program=$7

mkdir -p "$out"
rm -f "$out/SKIPPED"
skip() {
  echo "fuzz.build: $1" >&2
  if [ -n "${CI:-}" ]; then
    echo "fuzz.build: CI is set, so this is a failure (install/debian-packages.sh installs both)" >&2
    exit 1
  fi
  echo "$1" >"$out/SKIPPED" # the fuzz.<target> tests skip with this reason
  exit 77
}

command -v "$clangxx" >/dev/null || skip "no $clangxx: the fuzz targets need clang"
probe=$out/probe
printf '%s\n' 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char *, unsigned long) { return 0; }' \
  >"$probe.cpp"
if ! "$clangxx" -fsanitize=fuzzer,address,undefined "$probe.cpp" -o "$probe" 2>"$probe.log"; then
  cat "$probe.log" >&2
  skip "$clangxx cannot link a libFuzzer target (libclang-rt-N-dev missing?)"
fi
rm -f "$probe" "$probe.cpp" "$probe.log"

"$cmake" -S "$src/fuzz/targets" -B "$out" -G "$generator" ${make_program:+-DCMAKE_MAKE_PROGRAM="$make_program"} \
  -DCMAKE_CXX_COMPILER="$clangxx" -DCMAKE_C_COMPILER="${clangxx/clang++/clang}" -DLLVM_DIR="$llvm_dir" >"$out/configure.log" ||
  { cat "$out/configure.log"; exit 1; }
"$cmake" --build "$out" -j2
