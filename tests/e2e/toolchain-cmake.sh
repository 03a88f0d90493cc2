#!/usr/bin/env bash
# toolchain-cmake ARCH (aarch64, armv7, i686): a CMake project configured with
# the file `crosshim toolchain cmake` writes, built with Ninja, tested with
# ctest under qemu-user through CMAKE_CROSSCOMPILING_EMULATOR (the runner).
# aarch64 and i686 use Debian's cross packages (a find root, no CMAKE_SYSROOT);
# armv7 uses the debsysroot-armhf fixture named by CROSSHIM_SYSROOT_<TRIPLE>
# (CMAKE_SYSROOT). The project has a shared C library using libm, a C++
# program using it and a thread, find_library(m), find_package(Threads),
# find_path of a C library header, a try_run and an add_test: every library
# and header found must come from the target's sysroot, never the build
# machine's, and each compile gets the sysroot once.
source "$(dirname "$0")/common.sh"

arch_info "${1:?usage: toolchain-cmake.sh ARCH}"
need_stage
need_cmd cmake "apt-get install cmake"
need_cmd ninja "apt-get install ninja-build"
need_cmd "$QEMU" "apt-get install qemu-user"
if [[ $1 == armv7 ]]; then
    need_fixture_sysroot
    ROOT=$FIXTURE_SYSROOT
    export "$SYSROOT_VAR=$ROOT"
    layout=multiarch
else
    need_cross_packages
    ROOT=$CROSS_ROOT
    layout=debian-cross
fi
if [[ $CLASS == ELF64 ]]; then bits=64; else bits=32; fi

mkdir -p proj
cat >proj/CMakeLists.txt <<'EOF'
cmake_minimum_required(VERSION 3.18)
project(tcdemo C CXX)
include(CheckCSourceRuns)

find_library(M_LIB m REQUIRED)
find_package(Threads REQUIRED)
find_path(STUBS_DIR gnu/stubs.h REQUIRED)
# try_run: runs through CMAKE_CROSSCOMPILING_EMULATOR at configure time.
check_c_source_runs("int main(void) { return sizeof(void *) == 8 ? 0 : 1; }" TARGET_IS_64BIT)

add_library(geom SHARED geom.c)
target_include_directories(geom PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(geom PRIVATE ${M_LIB})
add_executable(app app.cpp)
target_link_libraries(app PRIVATE geom Threads::Threads)

enable_testing()
add_test(NAME app COMMAND app 3 4)
set_tests_properties(app PROPERTIES PASS_REGULAR_EXPRESSION "hypot\\(3, 4\\) = 5 from a thread")

file(WRITE ${CMAKE_BINARY_DIR}/found.txt
  "M_LIB=${M_LIB}\nSTUBS_DIR=${STUBS_DIR}\nPROCESSOR=${CMAKE_SYSTEM_PROCESSOR}\n"
  "CROSSCOMPILING=${CMAKE_CROSSCOMPILING}\nTARGET_IS_64BIT=${TARGET_IS_64BIT}\n"
  "THREADS=${CMAKE_THREAD_LIBS_INIT}\n")
EOF
write_geom_sources proj

echo "== the toolchain file for $TRIPLE ($layout)"
tc=$WORK/$TRIPLE.cmake
ok "$CROSSHIM" toolchain cmake --target "$TRIPLE" -o "$tc"
cat "$tc"
expect_contains "$(<"$tc")" "set(CMAKE_C_COMPILER \"$SHIMS/$TRIPLE-cc\")" "toolchain file"
expect_contains "$(<"$tc")" "set(CMAKE_CROSSCOMPILING_EMULATOR \"$SHIMS/$TRIPLE-run\")" "toolchain file"
expect_contains "$(<"$tc")" "# Sysroot: $ROOT ($layout" "toolchain file"
if [[ $layout == multiarch ]]; then
    expect_contains "$(<"$tc")" "set(CMAKE_SYSROOT \"$ROOT\")" "toolchain file"
else
    expect_not_contains "$(<"$tc")" "set(CMAKE_SYSROOT" "toolchain file"
    expect_contains "$(<"$tc")" "set(CMAKE_FIND_ROOT_PATH \"$ROOT\")" "toolchain file"
fi
# Printing gives the same text.
ok "$CROSSHIM" toolchain cmake --target "$TRIPLE"
expect_eq "$OUT" "$(<"$tc")" "printed toolchain file"

echo "== configure, build"
log=$WORK/shim.log
export CROSSHIM_LOG=$log
ok_noisy cmake -S proj -B build -G Ninja -DCMAKE_TOOLCHAIN_FILE="$tc" -DCMAKE_BUILD_TYPE=Release
ok_noisy cmake --build build
# No finding about the build: CMake's build-tree RUNPATH is $ORIGIN-relative
# (no rpath-leak), and the audit reads $ORIGIN as the program's directory
# (libgeom.so beside it is found).
expect_eq "$(grep '^crosshim: ' <<<"$OUT$ERR" || true)" "" "crosshim findings in the build's output"
unset CROSSHIM_LOG
cat build/found.txt
found=$(<build/found.txt)
expect_contains "$found" "PROCESSOR=$(case $1 in aarch64) echo aarch64 ;; armv7) echo armv7l ;; i686) echo i686 ;; esac)" "found.txt"
expect_contains "$found" "CROSSCOMPILING=TRUE" "found.txt"
# try_run ran the target's code, not the build machine's (64-bit) code.
if ((bits == 64)); then
    expect_contains "$found" "TARGET_IS_64BIT=1" "found.txt (check_c_source_runs)"
else
    expect_match "$found" "TARGET_IS_64BIT=(0|)$" "found.txt (check_c_source_runs)"
fi

expect_machine build/app "$MACHINE" "$CLASS"
expect_interp build/app "$LOADER"
expect_machine build/libgeom.so "$MACHINE" "$CLASS"
expect_needed build/libgeom.so libm.so.6
expect_needed build/app libgeom.so
run readelf -d build/app
expect_match "$OUT" 'RUNPATH.*\[\$ORIGIN\]' "RUNPATH of app"
run file build/app
expect_contains "$OUT" "ELF $bits-bit" "file(1)"

echo "== what find_* found: the target's sysroot only"
m_lib=$(sed -n 's/^M_LIB=//p' build/found.txt)
stubs=$(sed -n 's/^STUBS_DIR=//p' build/found.txt)
expect_paths_under "find_library(m)" "$m_lib" "$ROOT"
expect_paths_under "find_path(gnu/stubs.h)" "$stubs" "$ROOT"
cache=$(<build/CMakeCache.txt)
expect_not_contains "$cache" "/usr/lib/x86_64-linux-gnu" "CMakeCache.txt"
expect_not_contains "$cache" "/lib/x86_64-linux-gnu" "CMakeCache.txt"
expect_not_contains "$cache" "=/usr/include" "CMakeCache.txt"
expect_not_contains "$cache" "=/usr/lib/lib" "CMakeCache.txt"
# CMake used the shims' binutils.
ok grep -rh 'set(CMAKE_AR ' build/CMakeFiles
expect_contains "$OUT" "\"$SHIMS/$TRIPLE-ar\"" "CMAKE_AR"

echo "== every compile and link got the sysroot once"
expect_file "$log"
outs=$(grep '\] out: .*clang' "$log")
n=0
while read -r line; do
    n=$((n + 1))
    count=$(grep -o -- ' --sysroot=[^ ]*' <<<"$line" | grep -vc -- '--sysroot=$' || true)
    expect_eq "$count" 1 "--sysroot= arguments in: $line"
    expect_contains "$line" " --sysroot=$ROOT" "clang command"
    if [[ $layout == debian-cross ]]; then
        expect_contains "$line" "--gcc-toolchain=/usr" "clang command"
    fi
done <<<"$outs"
((n >= 4)) || fail "only $n clang commands in $log"
echo "  ok: $n clang commands"

echo "== ctest runs the test under qemu through the runner"
ok_noisy ctest --test-dir build -V
expect_contains "$OUT" "$SHIMS/$TRIPLE-run" "ctest -V (the emulator)"
expect_contains "$OUT" "hypot(3, 4) = 5 from a thread, $bits-bit" "ctest -V"
expect_contains "$OUT" "100% tests passed, 0 tests failed out of 1" "ctest"
CROSSHIM_DRY_RUN=1 ok "$SHIMS/$TRIPLE-run" build/app 3 4
expect_contains "$OUT" "$QEMU" "the runner's command"
expect_contains "$OUT" "-L $ROOT" "the runner's command"

if [[ $1 != aarch64 ]]; then pass; fi

echo "== x86_64 musl (Debian musl-dev): find_* look in its two flat directories only"
need_path /usr/lib/x86_64-linux-musl/libc.so "apt-get install musl-dev"
mkdir -p musl
cat >musl/CMakeLists.txt <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(muslfind C)
find_library(M_LIB m REQUIRED)
find_path(STDIO_DIR stdio.h REQUIRED)
file(WRITE ${CMAKE_BINARY_DIR}/found.txt "${M_LIB}\n${STDIO_DIR}\n")
CMAKE
ok "$CROSSHIM" toolchain cmake --target x86_64-unknown-linux-musl -o "$WORK/musl.cmake"
ok_noisy cmake -S musl -B musl-build -G Ninja -DCMAKE_TOOLCHAIN_FILE="$WORK/musl.cmake"
expect_eq "$(<musl-build/found.txt)" $'/usr/lib/x86_64-linux-musl/libm.a\n/usr/include/x86_64-linux-musl' \
    "what find_library(m) and find_path(stdio.h) found"

pass
