#!/usr/bin/env bash
# windows-gnu-c-cxx: C and C++ for x86_64-pc-windows-gnu through Debian's
# mingw-w64, built with the shim names (the Rust triple ones and the GNU
# x86_64-w64-mingw32-* ones) and run under wine64:
#   - C: printf and exit status 3, through <triple>-run;
#   - a static library made with -ar, a resource script with <windows.h>
#     through -windres, linked in and read back with LoadStringA;
#   - a DLL and its import library from a .def file through -dlltool;
#   - C++ with static libstdc++ (runs with plain wine) and dynamic libstdc++
#     (needs the runner's WINEPATH; plain wine fails without it);
#   - i686-pc-windows-gnu: linked and checked to be an I386 PE, not run (the
#     i386 architecture is not enabled here, so there is no wine32): the
#     runner must say so clearly.
# Every compile and link must leave stderr empty; `crosshim doctor` finds
# nothing wrong with Debian's mingw-w64 (its checks are for ELF sysroots).
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/windows-common.sh"

need_stage
need_mingw x86_64-w64-mingw32
need_mingw i686-w64-mingw32
use_wine
T=x86_64-pc-windows-gnu

cat >hello.c <<'C'
#include <stdio.h>
#include <windows.h>

int main(int argc, char **argv) {
    printf("hello from C on Windows, %d-bit, %d args\n", (int)(sizeof(void *) * 8), argc - 1);
    return 3;
}
C

echo "== C: compile and link through $T-cc, run through $T-run"
ok "$SHIMS/$T-cc" -O2 -c hello.c -o hello.o
ok "$SHIMS/$T-cc" hello.o -o hello.exe
expect_eq "$(pe_machine hello.exe)" AMD64 "PE machine of hello.exe"
run "$SHIMS/$T-run" ./hello.exe a "b c"
expect_eq "$RC" 3 "exit status of hello.exe"
expect_eq "$(nocr "$OUT")" "hello from C on Windows, 64-bit, 2 args" "hello.exe output"
expect_eq "$ERR" "" "hello.exe stderr"

echo "== GNU names: x86_64-w64-mingw32-gcc, -ar, -windres"
cat >greet.c <<'C'
#include <windows.h>
#include <stdio.h>
void greet(void) {
    char text[64];
    int n = LoadStringA(GetModuleHandleA(NULL), 101, text, sizeof text);
    printf("resource: %s (%d)\n", n > 0 ? text : "missing", n);
}
C
cat >main.c <<'C'
void greet(void);
int main(void) { greet(); return 0; }
C
cat >app.rc <<'RC'
#include <windows.h>
STRINGTABLE
BEGIN
    101 "from windres"
END
1 VERSIONINFO
FILEVERSION 1,2,3,4
BEGIN
END
RC
ok "$SHIMS/x86_64-w64-mingw32-gcc" -c greet.c -o greet.o
ok "$SHIMS/x86_64-w64-mingw32-ar" rcs libgreet.a greet.o
ok "$SHIMS/x86_64-w64-mingw32-windres" app.rc -O coff -o app-res.o
expect_eq "$(pe_machine app-res.o)" AMD64 "COFF machine of the resource object"
# With the name farm first on PATH (autotools' --host=x86_64-w64-mingw32),
# clang's MinGW driver would take the shim folder as its root: <winresrc.h>
# (which xz-utils' and libxml2's resource scripts include) must still be found.
printf '#include <winresrc.h>\n%s\n' "$(<app.rc)" >app-winresrc.rc
ok env PATH="$SHIMS:$PATH" x86_64-w64-mingw32-windres app-winresrc.rc -O coff -o app-winresrc.o
expect_eq "$(pe_machine app-winresrc.o)" AMD64 "COFF machine of the resource object"
ok "$SHIMS/x86_64-w64-mingw32-gcc" main.c app-res.o -L. -lgreet -o app.exe
ok "$SHIMS/$T-run" ./app.exe
expect_eq "$(nocr "$OUT")" "resource: from windres (12)" "app.exe output"

echo "== a DLL, its import library from a .def through -dlltool"
cat >twice.c <<'C'
__declspec(dllexport) int twice(int v) { return 2 * v; }
C
printf 'LIBRARY twice.dll\nEXPORTS\n    twice\n' >twice.def
cat >use-twice.c <<'C'
#include <stdio.h>
__declspec(dllimport) int twice(int v);
int main(void) { printf("twice(21) = %d\n", twice(21)); return 0; }
C
ok "$SHIMS/x86_64-w64-mingw32-gcc" -shared twice.c -o twice.dll
ok "$SHIMS/x86_64-w64-mingw32-dlltool" -d twice.def -l libtwice.dll.a
expect_eq "$(pe_machine libtwice.dll.a)" AMD64 "COFF machine of the import library"
ok "$SHIMS/x86_64-pc-windows-gnu-cc" use-twice.c -L. -ltwice -o use-twice.exe
ok "$SHIMS/$T-run" ./use-twice.exe
expect_eq "$(nocr "$OUT")" "twice(21) = 42" "use-twice.exe output"
# The DLL in another folder that is on PATH, as `meson test` runs a test
# whose DLL is in the build tree: the runner passes the folder to wine.
mkdir -p dlls bin
mv twice.dll dlls/ && cp use-twice.exe bin/
ok env PATH="$WORK/dlls:$PATH" "$SHIMS/$T-run" bin/use-twice.exe
expect_eq "$(nocr "$OUT")" "twice(21) = 42" "use-twice.exe output, its DLL found on PATH"
mv dlls/twice.dll .
ok "$SHIMS/i686-w64-mingw32-dlltool" -d twice.def -l libtwice32.dll.a
expect_eq "$(pe_machine libtwice32.dll.a)" I386 "COFF machine of the i686 import library"

echo "== C++ with static libstdc++: runs with plain wine"
write_hello_cpp hello.cpp
ok "$SHIMS/x86_64-w64-mingw32-g++" -O2 hello.cpp -o hello-static.exe -static-libstdc++ -static-libgcc
run wine ./hello-static.exe 4 5 6
expect_eq "$RC" 0 "exit status of hello-static.exe"
expect_eq "$(nocr "$OUT")" "$HELLO_CPP_LINE" "hello-static.exe output"

echo "== C++ with dynamic libstdc++: needs the runner's WINEPATH"
ok "$SHIMS/$T-c++" -O2 hello.cpp -o hello-dynamic.exe
ok "$SHIMS/$T-run" ./hello-dynamic.exe 4 5 6
expect_eq "$(nocr "$OUT")" "$HELLO_CPP_LINE" "hello-dynamic.exe output"
run wine ./hello-dynamic.exe 4 5 6
((RC != 0)) || fail "hello-dynamic.exe ran without WINEPATH: it is not linked against libstdc++-6.dll"
expect_not_contains "$OUT" "hello from C++" "output without WINEPATH"
run env CROSSHIM_DRY_RUN=1 "$SHIMS/$T-run" ./hello-dynamic.exe
expect_match "$OUT" "WINEPATH=/usr/lib/gcc/x86_64-w64-mingw32/[^;]+;/usr/x86_64-w64-mingw32/lib'? [^ ]*wine \\./hello-dynamic\\.exe\$" "dry run"

echo "== doctor: the ELF sysroot checks do not apply, no finding"
for t in x86_64-pc-windows-gnu i686-pc-windows-gnu; do
    ok "$CROSSHIM" doctor --target $t --json
    ok python3 -c 'import json, sys; d = json.loads(sys.argv[1]); assert d["findings"] == [], d; assert d["layout"].startswith("mingw"), d' "$OUT"
done

echo "== i686-pc-windows-gnu: link only, the PE is I386"
ok "$SHIMS/i686-pc-windows-gnu-cc" -O2 hello.c -o hello32.exe
expect_eq "$(pe_machine hello32.exe)" I386 "PE machine of hello32.exe"
ok "$SHIMS/i686-w64-mingw32-g++" hello.cpp -o hello32-cpp.exe -static-libstdc++ -static-libgcc
expect_eq "$(pe_machine hello32-cpp.exe)" I386 "PE machine of hello32-cpp.exe"
ok "$SHIMS/i686-w64-mingw32-windres" app.rc -O coff -o app-res32.o
expect_eq "$(pe_machine app-res32.o)" I386 "COFF machine of the i686 resource object"
if [[ -x /usr/lib/wine/wine ]]; then
    echo "  (wine32 is installed here: running i686 programs is not checked by this test)"
else
    expect_fail_with_code 127 "$SHIMS/i686-pc-windows-gnu-run" ./hello32.exe
    expect_contains "$ERR" "need 32-bit wine" "runner error"
    expect_contains "$ERR" "wine32:i386" "runner error"
fi
pass
