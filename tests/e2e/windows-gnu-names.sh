#!/usr/bin/env bash
# windows-gnu-names: the MinGW names llvm-mingw users expect: <triple>-clang
# and -clang++ (the same as -cc/-c++), <triple>-widl (Wine's IDL compiler from
# mingw-w64-tools, which knows the mingw-w64 .idl files), and -llvm-ar; for
# both spellings of x86_64 and for i686.
source "$(dirname "$0")/common.sh"

need_stage
need_cmd x86_64-w64-mingw32-widl "apt-get install mingw-w64-tools"
need_path /usr/x86_64-w64-mingw32/include/_mingw.h "apt-get install mingw-w64-x86-64-dev"

cat >hello.cpp <<'EOF2'
#include <string>
#include <cstdio>
int main() { std::string s("hi"); std::puts(s.c_str()); return 0; }
EOF2
# (Debian's mingw-w64 headers come without .idl files: nothing to import.)
cat >demo.idl <<'EOF2'
[local, uuid(8a5f1a5e-5a3e-4f0c-9b6a-2f7f4c1d2e3a)]
interface IDemo { int Ping([in] int value); }
EOF2
for prefix in x86_64-pc-windows-gnu x86_64-w64-mingw32 i686-w64-mingw32; do
    echo "== $prefix"
    ok "$SHIMS/$prefix-clang++" hello.cpp -o "hello-$prefix.exe"
    expect_contains "$(file -b "hello-$prefix.exe")" "PE32" "hello-$prefix.exe"
    ok "$SHIMS/$prefix-clang" -x c -c /dev/null -o "empty-$prefix.o"
    ok "$SHIMS/$prefix-llvm-ar" rc "libempty-$prefix.a" "empty-$prefix.o"
    ok "$SHIMS/$prefix-widl" -h -o "demo-$prefix.h" demo.idl
    expect_contains "$(<"demo-$prefix.h")" "IDemo" "demo-$prefix.h"
    ok "$SHIMS/$prefix-clang" -c -x c - -o "idl-$prefix.o" <<<"#include \"demo-$prefix.h\"
int f(void) { return Ping(1); }"
done
[[ ! -e $SHIMS/x86_64-pc-windows-msvc-widl ]] || fail "an MSVC target has a widl name"
pass
