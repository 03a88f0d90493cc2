#!/usr/bin/env bash
# windows-gnu-cmake: a CMake project (a C library, a C++ program, a resource
# script) configured with `crosshim toolchain cmake --target
# x86_64-pc-windows-gnu` (CMAKE_SYSTEM_NAME Windows, the shims, llvm-windres as
# CMAKE_RC_COMPILER, the runner as CMAKE_CROSSCOMPILING_EMULATOR), built with
# ninja, and its test run by ctest under wine through the runner.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/windows-common.sh"

T=x86_64-pc-windows-gnu
need_stage
need_mingw x86_64-w64-mingw32
need_cmd cmake
need_cmd ninja
use_wine

mkdir -p proj
cat >proj/CMakeLists.txt <<'CMAKE'
cmake_minimum_required(VERSION 3.16)
project(winproj C CXX RC)
enable_testing()
add_library(scale STATIC scale.c)
add_executable(app app.cpp app.rc)
target_link_libraries(app PRIVATE scale)
add_test(NAME app COMMAND app 7)
set_tests_properties(app PROPERTIES PASS_REGULAR_EXPRESSION "scale\\(7\\) = 21, resource: cmake rc")
CMAKE
cat >proj/scale.c <<'C'
int scale(int v) { return 3 * v; }
C
cat >proj/app.cpp <<'CPP'
#include <windows.h>
#include <cstdlib>
#include <iostream>
#include <string>
extern "C" int scale(int v);
int main(int argc, char **argv) {
    char text[64] = "missing";
    LoadStringA(GetModuleHandleA(nullptr), 7, text, sizeof text);
    std::cout << "scale(" << argv[1] << ") = " << scale(std::atoi(argv[1])) << ", resource: "
              << std::string(text) << std::endl;
    return 0;
}
CPP
cat >proj/app.rc <<'RC'
#include <windows.h>
STRINGTABLE
BEGIN
    7 "cmake rc"
END
RC

echo "== crosshim toolchain cmake --target $T"
ok "$CROSSHIM" toolchain cmake --target $T -o "$WORK/win.cmake"
expect_contains "$(<win.cmake)" "set(CMAKE_SYSTEM_NAME Windows)" "toolchain file"
expect_contains "$(<win.cmake)" "set(CMAKE_RC_COMPILER \"$SHIMS/$T-windres\")" "toolchain file"

echo "== configure, build, ctest under wine"
ok_noisy cmake -S proj -B build -G Ninja -DCMAKE_TOOLCHAIN_FILE="$WORK/win.cmake" -DCMAKE_BUILD_TYPE=Release
ok_noisy cmake --build build
expect_file build/app.exe
expect_eq "$(pe_machine build/app.exe)" AMD64 "PE machine of app.exe"
run ctest --test-dir build --output-on-failure
((RC == 0)) || fail "ctest failed: $OUT"
expect_contains "$OUT" "100% tests passed, 0 tests failed out of 1" "ctest"
pass
