#!/usr/bin/env bash
# windows-msvc-archive: a C dependency with a function in assembly, built
# with `<triple>-cl ... /LD` (a DLL) the way a cargo build script's C build
# runs it, against the msvc-sdk fixture, run under wine (wineprefix):
#   inside a build script (CARGO_CFG_TARGET_ENV=msvc, TARGET, OUT_DIR) the
#   DLL link makes an llvm-lib archive where the import library goes
#   (msvc-dependency-archive), which -link links statically: wine runs it;
#   an executable link in the build script is still linked;
#   outside a build script, and with CROSSHIM_MSVC_DLL=1, a real DLL;
#   a user's own -fuse-ld=llvm-lib: an archive, no bogus -libpath: reaching
#   llvm-lib, nothing on stderr.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/windows-common.sh"

need_stage
use_wine
BIN=/usr/lib/llvm-14/bin
need_path "$BIN/llvm-readobj" "apt-get install llvm-14"
need_path "$BIN/llvm-nm" "apt-get install llvm-14"
SDK=$FIXTURES/msvc-sdk
need_path "$SDK/xwin/crt/lib/x86_64/libcmt.lib" "the msvc-sdk fixture (tests/fixtures/make-msvc-sdk.sh)"
T=x86_64-pc-windows-msvc
export CROSSHIM_SYSROOT_X86_64_PC_WINDOWS_MSVC=$SDK/xwin
unset CARGO_CFG_TARGET_ENV TARGET OUT_DIR CROSSHIM_MSVC_DLL

# The dependency: one function in GNU-syntax assembly (Windows x64 calling
# convention: the argument in rcx), one in C that calls it and is exported,
# as a library meant to be a DLL would be.
cat >triple.S <<'EOF'
    .text
    .globl asm_triple
asm_triple:
    leal (%rcx,%rcx,2), %eax
    ret
EOF
cat >dep.c <<'EOF'
int asm_triple(int x);
__declspec(dllexport) int dep_value(int x) { return asm_triple(x) + 1; }
EOF
# The stand-in CRT of the msvc-sdk fixture has no _DllMainCRTStartup (the
# real libcmt.lib has): the DLLs are linked with /noentry, which the
# dependency's code does not need. In the archive it is one more lld-link
# option the -lib shim must keep from llvm-lib.
DLL_LINK=(/link /noentry)
cat >main.c <<'EOF'
#include <stdio.h>
int dep_value(int x);
int main(void) {
  int v = dep_value(14);
  printf("dep_value(14)=%d\n", v);
  return v;
}
EOF
ok "$SHIMS/$T-cl" /nologo -c main.c /Fomain.obj

# in_build_script CMD...: CMD with the variables cargo gives a build script
# for an msvc target (cc-rs and the build systems it runs inherit them).
in_build_script() {
    CARGO_CFG_TARGET_ENV=msvc TARGET=$T OUT_DIR=$WORK/out "$@"
}
is_archive() { [[ $(head -c 8 "$1") == '!<arch>' ]]; }

# ---- inside a build script: the /LD link makes an archive at out/dep.lib
mkdir -p out
CROSSHIM_LOG=$WORK/dep.log in_build_script ok "$SHIMS/$T-cl" /nologo /LD dep.c triple.S /Feout/dep.dll "${DLL_LINK[@]}"
expect_file out/dep.lib
expect_no_file out/dep.dll
is_archive out/dep.lib || fail "out/dep.lib is not an ar archive"
run "$BIN/llvm-nm" out/dep.lib
expect_match "$OUT" "T asm_triple" "the assembly function in the archive"
expect_match "$OUT" "T dep_value" "the C function in the archive"
lib_lines=$(grep "out: .*/llvm-lib" dep.log)
expect_contains "$lib_lines" "-out:out/dep.lib" "llvm-lib writes the import library's name"
expect_not_contains "$lib_lines" "atlmfc" "bogus libpath reaching llvm-lib"
expect_not_contains "$lib_lines" " -dll" "lld-link's -dll reaching llvm-lib"
expect_not_contains "$lib_lines" "noentry" "lld-link's /noentry reaching llvm-lib"
ok "$CROSSHIM" explain-args "$T-cl" /LD dep.c
expect_not_contains "$OUT" "msvc-dependency-archive" "the rule outside a build script"
in_build_script ok "$CROSSHIM" explain-args "$T-cl" /LD dep.c
expect_contains "$OUT" "msvc-dependency-archive" "explain-args names the rule"

# rustc's side: lld-link links the archive statically; wine runs it.
ok "$SHIMS/$T-link" /nologo /out:main.exe main.obj out/dep.lib
run "$BIN/llvm-readobj" --coff-imports main.exe
expect_not_contains "$OUT" "dep.dll" "main.exe importing the dependency"
run wine main.exe
expect_eq "$RC" 43 "exit code under wine"
expect_contains "$(nocr "$OUT")" "dep_value(14)=43" "stdout under wine"

# An executable link in the build script (a build system's compiler check)
# is still an executable.
in_build_script ok "$SHIMS/$T-cl" /nologo main.c out/dep.lib /Fecheck.exe
run "$BIN/llvm-readobj" --file-headers check.exe
expect_contains "$OUT" "IMAGE_FILE_EXECUTABLE_IMAGE" "check.exe is an image"
run wine check.exe
expect_eq "$RC" 43 "exit code of the build script's executable"

# ---- outside a build script, and with CROSSHIM_MSVC_DLL=1: a real DLL
mkdir -p plain keep
ok "$SHIMS/$T-cl" /nologo /LD dep.c triple.S /Feplain/dep.dll "${DLL_LINK[@]}"
CROSSHIM_MSVC_DLL=1 in_build_script ok "$SHIMS/$T-cl" /nologo /LD dep.c triple.S /Fekeep/dep.dll "${DLL_LINK[@]}"
for d in plain keep; do
    expect_file $d/dep.dll
    run "$BIN/llvm-readobj" --file-headers $d/dep.dll
    expect_contains "$OUT" "IMAGE_FILE_DLL" "$d/dep.dll has the DLL characteristic"
    expect_contains "$OUT" "IMAGE_FILE_MACHINE_AMD64" "$d/dep.dll machine"
done
# Its .lib is an import library: linked against it, main.exe needs dep.dll.
ok "$SHIMS/$T-link" /nologo /out:plain/main.exe main.obj plain/dep.lib
run "$BIN/llvm-readobj" --coff-imports plain/main.exe
expect_contains "$OUT" "dep.dll" "main.exe importing the real DLL"
run wine plain/main.exe # wine finds dep.dll next to it
expect_eq "$RC" 43 "exit code with the real DLL"

# ---- the user's own -fuse-ld=llvm-lib (the seed's CFLAGS), no build script:
# clang's archive, with nothing on stderr and no bogus -libpath: in llvm-lib
CROSSHIM_LOG=$WORK/user.log ok "$SHIMS/$T-cl" /nologo -fuse-ld=llvm-lib dep.c triple.S /Feuser.lib
is_archive user.lib || fail "user.lib is not an ar archive"
run "$BIN/llvm-nm" user.lib
expect_match "$OUT" "T asm_triple" "the assembly function in the user's archive"
user_lines=$(grep "out: .*/llvm-lib" user.log)
expect_not_contains "$user_lines" "atlmfc" "bogus libpath reaching llvm-lib"
expect_not_contains "$(grep "out: .*/clang-cl" user.log)" "$T-link" "-link routing overriding -fuse-ld=llvm-lib"
ok "$SHIMS/$T-link" /nologo /out:user.exe main.obj user.lib
run wine user.exe
expect_eq "$RC" 43 "exit code with the user's archive"

pass
