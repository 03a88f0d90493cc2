#!/usr/bin/env bash
# windows-msvc-link-options: `<triple>-cl /nologo /abs/path/hello.c /link
# /opt:ref` compiles and links in one step. The absolute source must not be
# read as an option (/U...) and the /link options must stay link options:
# the source goes in as /Tc<file> (no `--`, after which /link would be a file
# name). Against the msvc-sdk fixture; the PE's machine is checked.
source "$(dirname "$0")/common.sh"

need_stage
READOBJ=/usr/lib/llvm-14/bin/llvm-readobj
need_path "$READOBJ" "apt-get install llvm-14"
SDK=$FIXTURES/msvc-sdk
need_path "$SDK/xwin/crt/lib/x86_64/libcmt.lib" "the msvc-sdk fixture (tests/fixtures/make-msvc-sdk.sh)"
T=x86_64-pc-windows-msvc
export CROSSHIM_SYSROOT_X86_64_PC_WINDOWS_MSVC=$SDK/xwin

mkdir -p "$WORK/Users/x"
printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' >"$WORK/Users/x/hello.c"
printf 'int main() { return 0; }\n' >"$WORK/Users/x/hello.cpp"

CROSSHIM_DRY_RUN=1 run "$SHIMS/$T-cl" /nologo "$WORK/Users/x/hello.c" /link /opt:ref
expect_contains "$OUT" "/Tc$WORK/Users/x/hello.c" "the source as /Tc"
expect_contains "$OUT" "/link /opt:ref" "the link options"
expect_not_contains "$OUT" " -- " "the command"

ok "$SHIMS/$T-cl" /nologo "$WORK/Users/x/hello.c" /link /opt:ref /out:hello.exe
run "$READOBJ" --file-headers hello.exe
expect_contains "$OUT" "IMAGE_FILE_MACHINE_AMD64" "hello.exe machine"
ok "$SHIMS/$T-cl" /nologo /EHsc "$WORK/Users/x/hello.cpp" /link /opt:ref /out:hellocpp.exe
expect_file hellocpp.exe
# Without link options the source still goes after --.
CROSSHIM_DRY_RUN=1 run "$SHIMS/$T-cl" /nologo "$WORK/Users/x/hello.c"
expect_contains "$OUT" "-- $WORK/Users/x/hello.c" "the source after --"
pass
