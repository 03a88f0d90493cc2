#!/usr/bin/env bash
# detectors-cmake: what CMake's own detection finds when only CMAKE_C_COMPILER
# names a shim (no toolchain file), next to the same project configured with
# Debian's aarch64-linux-gnu-gcc: the compiler id, CMAKE_C_COMPILER_AR and
# _RANLIB (which -flto archives need), check_ipo_supported(), and
# CMAKE_LIBRARY_ARCHITECTURE, through which find_library looks in
# <prefix>/lib/<multiarch>. FindOpenMP must not take the build machine's
# libomp.so into an aarch64 link: with Debian's cross packages (GCC's libgomp
# only) OpenMP is not found; with a sysroot that has the target's libomp (the
# debsysroot-arm64-omp fixture) it is, and an OpenMP program runs under qemu.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
need_cmd cmake "apt-get install cmake"
need_cmd ninja "apt-get install ninja-build"
need_cmd "$GNU-gcc" "apt-get install gcc-$GNU"

# A static library in <prefix>/lib/<multiarch> only: found through
# CMAKE_LIBRARY_ARCHITECTURE.
mkdir -p prefix/lib/$MULTIARCH proj
printf 'int demo(void) { return 7; }\n' >demo.c
ok "$SHIMS/$GNU-gcc" -c demo.c -o demo.o
ok "$SHIMS/$GNU-ar" rc prefix/lib/$MULTIARCH/libdemo.a demo.o

cat >proj/CMakeLists.txt <<'EOF2'
cmake_minimum_required(VERSION 3.18)
project(detect C)
include(CheckIPOSupported)
check_ipo_supported(RESULT ipo OUTPUT ipo_why LANGUAGES C)
find_library(DEMO_LIB demo)
find_package(OpenMP)
message(STATUS "RESULT id=${CMAKE_C_COMPILER_ID}")
message(STATUS "RESULT ar=${CMAKE_C_COMPILER_AR}")
message(STATUS "RESULT ranlib=${CMAKE_C_COMPILER_RANLIB}")
message(STATUS "RESULT ipo=${ipo}")
message(STATUS "RESULT arch=${CMAKE_LIBRARY_ARCHITECTURE}")
message(STATUS "RESULT demo=${DEMO_LIB}")
message(STATUS "RESULT openmp=${OpenMP_C_FOUND}")
message(STATUS "RESULT openmp_libs=${OpenMP_C_LIBRARIES}")
if(ipo)
  add_executable(app main.c)
  set_property(TARGET app PROPERTY INTERPROCEDURAL_OPTIMIZATION ON)
  add_library(lto STATIC lib.c)
  set_property(TARGET lto PROPERTY INTERPROCEDURAL_OPTIMIZATION ON)
  target_link_libraries(app lto ${DEMO_LIB})
endif()
EOF2
printf 'int demo(void);\nint twice(int);\nint main(void) { return twice(demo()) == 14 ? 0 : 1; }\n' >proj/main.c
printf 'int twice(int x) { return 2 * x; }\n' >proj/lib.c

configure() { # NAME CC
    ok_noisy cmake -S proj -B "build-$1" -G Ninja -DCMAKE_C_COMPILER="$2" -DCMAKE_PREFIX_PATH="$WORK/prefix"
    sed -n 's/^-- RESULT //p' <<<"$OUT" >"$1.results"
    cat "$1.results"
}
result() { sed -n "s/^$2=//p" "$1.results"; }

echo "== Debian's $GNU-gcc"
configure gcc "$(command -v "$GNU-gcc")"
expect_eq "$(result gcc ipo)" YES "gcc: check_ipo_supported"
expect_eq "$(result gcc arch)" "$MULTIARCH" "gcc: CMAKE_LIBRARY_ARCHITECTURE"

for name in "$GNU-gcc" "$TRIPLE-cc"; do
    echo "== the shim $name"
    configure "$name" "$SHIMS/$name"
    expect_eq "$(result "$name" id)" Clang "$name: CMAKE_C_COMPILER_ID"
    expect_eq "$(result "$name" ar)" "$SHIMS/${name%-*}-llvm-ar" "$name: CMAKE_C_COMPILER_AR"
    expect_eq "$(result "$name" ranlib)" "$SHIMS/${name%-*}-llvm-ranlib" "$name: CMAKE_C_COMPILER_RANLIB"
    expect_eq "$(result "$name" ipo)" "$(result gcc ipo)" "$name: check_ipo_supported (gcc says $(result gcc ipo))"
    expect_eq "$(result "$name" arch)" "$(result gcc arch)" "$name: CMAKE_LIBRARY_ARCHITECTURE"
    expect_eq "$(result "$name" demo)" "$WORK/prefix/lib/$MULTIARCH/libdemo.a" "$name: find_library in lib/<multiarch>"
    # No OpenMP runtime for aarch64 in Debian's cross packages that clang can
    # use: not found, and never the build machine's libomp.
    expect_eq "$(result "$name" openmp)" FALSE "$name: FindOpenMP"
    expect_not_contains "$(result "$name" openmp_libs)" "/usr/lib/llvm" "$name: OpenMP_C_LIBRARIES"
    ok_noisy cmake --build "build-$name"
    expect_machine "build-$name/app" "$MACHINE" "$CLASS"
    # IPO: the static library's members are LLVM bitcode, archived by llvm-ar.
    expect_contains "$(file -b "build-$name/CMakeFiles/lto.dir/lib.c.o")" "LLVM" "$name: -flto object"
    run_on_target "$CROSS_ROOT" "build-$name/app"
done
echo "== FindOpenMP with the target's libomp in the sysroot"
OMP_ROOT=$FIXTURES/sysroot-arm64-omp
[[ -f $OMP_ROOT/.crosshim-fixture-stamp ]] || fail "fixture $OMP_ROOT is missing (debsysroot-arm64-omp)"
mkdir -p omp
cat >omp/CMakeLists.txt <<'EOF2'
cmake_minimum_required(VERSION 3.18)
project(omp C)
find_package(OpenMP REQUIRED)
message(STATUS "RESULT openmp_libs=${OpenMP_C_LIBRARIES}")
add_executable(app main.c)
target_link_libraries(app OpenMP::OpenMP_C)
EOF2
cat >omp/main.c <<'EOF2'
#include <omp.h>
#include <stdio.h>
int main(void) {
    int n = 0;
#pragma omp parallel num_threads(2) reduction(+ : n)
    n += 1;
    printf("threads=%d\n", n);
    return n == 2 ? 0 : 1;
}
EOF2
export "$SYSROOT_VAR=$OMP_ROOT"
ok_noisy cmake -S omp -B build-omp -G Ninja -DCMAKE_C_COMPILER="$SHIMS/$TRIPLE-cc"
libs=$(sed -n 's/^-- RESULT openmp_libs=//p' <<<"$OUT")
expect_contains "$libs" "$OMP_ROOT/" "OpenMP_C_LIBRARIES"
ok_noisy cmake --build build-omp
expect_needed build-omp/app libomp.so.5
ok timeout 120 "$QEMU" -L "$OMP_ROOT" build-omp/app
expect_eq "$OUT" "threads=2" "the OpenMP program"
unset "$SYSROOT_VAR"
pass
