#!/usr/bin/env bash
# windows-msvc-c: C for *-pc-windows-msvc through the shims, against the
# stand-in CRT + SDK of tests/fixtures/make-msvc-sdk.sh (fixture msvc-sdk),
# run under wine64 in the shared prefix (fixture wineprefix):
#   -cl compile (/imsvc headers, a /Users/... style absolute source path),
#   -lib archive, -link link (mixed-case SDK names, a #pragma comment(lib,
#   "USER32.lib") directive, an @rsp with spaces), wine output + exit code;
#   -cl and -cc driving the link (through the -link shim: no bogus -libpath:);
#   aarch64 and i686: link only, COFF machine checked; the winsysroot layout;
#   no SDK at all: a clear error.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/windows-common.sh"

need_stage
use_wine
READOBJ=/usr/lib/llvm-14/bin/llvm-readobj
need_path "$READOBJ" "apt-get install llvm-14"
SDK=$FIXTURES/msvc-sdk
need_path "$SDK/xwin/crt/lib/x86_64/libcmt.lib" "the msvc-sdk fixture (tests/fixtures/make-msvc-sdk.sh)"
T=x86_64-pc-windows-msvc
export CROSSHIM_SYSROOT_X86_64_PC_WINDOWS_MSVC=$SDK/xwin
export CROSSHIM_SYSROOT_AARCH64_PC_WINDOWS_MSVC=$SDK/xwin
export CROSSHIM_SYSROOT_I686_PC_WINDOWS_MSVC=$SDK/winsysroot


# Plans write nothing: explain-args and which for the MSVC tools name the
# links a run would make in the cache folder, and make none of them.
ok "$CROSSHIM" explain-args "$T-cl" /c x.c
expect_contains "$OUT" "msvc-bin/$T-link -> "
ok "$CROSSHIM" explain-args "$T-link" Advapi32.LIB kernel32.lib /out:x.exe
ok "$CROSSHIM" which "$T-cl"
expect_no_file "$HOME/.cache/crosshim"

# A source under an absolute path that starts like a clang-cl option (/U...).
mkdir -p "$WORK/Users/x"
cat >"$WORK/Users/x/hello.c" <<'EOF'
#include <stdio.h>
#include <windows.h>
#pragma comment(lib, "USER32.lib")
int greet(const char *who);
int main(int argc, char **argv) {
  (void)argv;
  greet("msvc");
  printf("argc=%d pid=%d\n", argc, GetCurrentProcessId() != 0);
  (void)GetSystemMetrics(0);
  return 42;
}
EOF
cat >greet.c <<'EOF'
#include <stdio.h>
#include <string.h>
int greet(const char *who) { printf("hello from %s (%d)\n", who, (int)strlen(who)); return 0; }
EOF

# ---- compile with -cl; the absolute /Users/... path must be a source
ok "$SHIMS/$T-cl" /nologo -c "$WORK/Users/x/hello.c" /Fohello.obj
ok "$SHIMS/$T-cl" /nologo -c greet.c /Fogreet.obj
run "$READOBJ" --file-headers hello.obj
expect_contains "$OUT" "IMAGE_FILE_MACHINE_AMD64" "hello.obj machine"
CROSSHIM_DRY_RUN=1 run "$SHIMS/$T-cl" -c "$WORK/Users/x/hello.c"
expect_contains "$OUT" "-- $WORK/Users/x/hello.c" "the source after --"
expect_contains "$OUT" "/imsvc $SDK/xwin/sdk/include/um" "SDK headers"

# ---- archive with -lib, link with -link: kernel32.Lib and Advapi32.lib in
# the SDK, asked for as kernel32.lib/advapi32.lib and (in hello.obj's
# directives) USER32.lib; the link line comes from a response file.
ok "$SHIMS/$T-lib" /nologo /out:greet.lib greet.obj
mkdir -p "dir with space"
cp greet.lib "dir with space/greet.lib"
printf '%s\n' '/nologo /out:"dir with space/hello.exe"' hello.obj \
    '"dir with space/greet.lib"' kernel32.lib advapi32.lib >link.rsp
CROSSHIM_REPORT=$WORK/report.json CROSSHIM_LOG=$WORK/link.log \
    ok "$SHIMS/$T-link" @link.rsp
expect_file "dir with space/hello.exe"
expect_contains "$(<link.log)" "@link.rsp" "lld-link reads the @rsp itself"
expect_contains "$(<"$WORK/report.json")" '"findings"' "report of a healthy link"
expect_not_contains "$(<"$WORK/report.json")" '"kind"' "findings of a healthy link"
run "$READOBJ" --file-headers "dir with space/hello.exe"
expect_contains "$OUT" "IMAGE_FILE_MACHINE_AMD64" "hello.exe machine"
run wine "dir with space/hello.exe" a b
expect_eq "$RC" 42 "exit code under wine"
expect_contains "$OUT" "hello from msvc (4)" "stdout under wine"
expect_contains "$OUT" "argc=3 pid=1" "stdout under wine"

# ---- without the case fix lld-link fails: proof the names really differ
run /usr/lib/llvm-14/bin/lld-link /nologo /out:nofix.exe hello.obj greet.lib \
    "/libpath:$SDK/xwin/crt/lib/x86_64" "/libpath:$SDK/xwin/sdk/lib/um/x86_64"
((RC != 0)) || fail "lld-link alone found USER32.lib in an SDK that has user32.lib"
expect_contains "$ERR" "USER32.lib" "plain lld-link error"

# ---- -cl and -cc drive the link through the -link shim
CROSSHIM_LOG=$WORK/cl.log ok "$SHIMS/$T-cl" /nologo "$WORK/Users/x/hello.c" greet.c /Fehello-cl.exe
expect_contains "$(<cl.log)" "$T-link -out:hello-cl.exe" "the -link shim ran"
expect_contains "$(<cl.log)" "-libpath:atlmfc/lib/amd64" "clang passed the bogus libpath"
lld_lines=$(grep "out: .*/lld-link" cl.log)
expect_not_contains "$lld_lines" "lib/amd64 " "bogus libpath reaching lld-link"
expect_not_contains "$lld_lines" "atlmfc" "bogus libpath reaching lld-link"
run wine hello-cl.exe
expect_eq "$RC" 42 "exit code of the -cl link"
CROSSHIM_LOG=$WORK/cc.log ok "$SHIMS/$T-cc" "$WORK/Users/x/hello.c" greet.c -o hello-cc.exe
expect_not_contains "$(grep "out: .*/lld-link" cc.log)" "atlmfc" "bogus libpath from -cc"
run wine hello-cc.exe
expect_eq "$RC" 42 "exit code of the -cc link"
expect_contains "$OUT" "hello from msvc" "stdout of the -cc link"

# ---- aarch64 (xwin layout) and i686 (winsysroot layout): link, check the machine
for t in aarch64-pc-windows-msvc:IMAGE_FILE_MACHINE_ARM64 i686-pc-windows-msvc:IMAGE_FILE_MACHINE_I386; do
    IFS=: read -r tt machine <<<"$t"
    ok "$SHIMS/$tt-cl" /nologo -c "$WORK/Users/x/hello.c" "/Fohello-$tt.obj"
    ok "$SHIMS/$tt-cl" /nologo -c greet.c "/Fogreet-$tt.obj"
    ok "$SHIMS/$tt-link" /nologo "/out:hello-$tt.exe" "hello-$tt.obj" "greet-$tt.obj" kernel32.lib
    run "$READOBJ" --file-headers "hello-$tt.exe"
    expect_contains "$OUT" "$machine" "machine of hello-$tt.exe"
done

# ---- no SDK anywhere: a clear error (exit 1) naming where crosshim looked
HOME=$WORK/empty-home expect_fail_with_code 1 env -u CROSSHIM_SYSROOT_X86_64_PC_WINDOWS_MSVC \
    -u XWIN_CACHE_DIR -u XDG_CACHE_HOME "$SHIMS/$T-cl" -c greet.c /Fogreet-nosdk.obj
expect_contains "$ERR" "no Microsoft CRT and Windows SDK for $T" "missing SDK error"
expect_contains "$ERR" "cargo-xwin" "missing SDK error"
expect_contains "$ERR" "xwin --accept-license splat" "missing SDK error"
expect_no_file greet-nosdk.obj

pass
