#!/usr/bin/env bash
# windows-diagnose-msvc: x86_64-pc-windows-msvc links through the shims
# (-cl compiles, -lib archives, -link runs lld-link) against the msvc-sdk
# fixture, each problem made for real, and what crosshim says after lld-link:
#   crt-model-mismatch      a /MD object and a /MT archive member, each with the
#                           RuntimeLibrary mark MSVC's headers put in every
#                           object (#pragma detect_mismatch): /failifmismatch
#   import-library-missing  an object's #pragma comment(lib) names a library
#                           that is nowhere, then one spelled in another case
#   dllimport-mismatch      lld-link's LNK4217 on a link that succeeds: a
#                           warning finding, exit status 0
#   wrong-architecture      an arm64 object in an x64 link (machine conflict),
#                           and an x64 link of arm64 objects alone, which lld-link
#                           completes: the output PE's machine is checked
# and no finding for a healthy link. Linking only: nothing runs under wine.
source "$(dirname "$0")/common.sh"

need_stage
need_cmd python3
sdk=$FIXTURES/msvc-sdk/xwin
need_path "$sdk/crt/lib/x86_64" "the msvc-sdk fixture (tests/fixtures/make-msvc-sdk.sh)"
export CROSSHIM_SYSROOT_X86_64_PC_WINDOWS_MSVC=$sdk CROSSHIM_SYSROOT_AARCH64_PC_WINDOWS_MSVC=$sdk
cl=$SHIMS/x86_64-pc-windows-msvc-cl
link=$SHIMS/x86_64-pc-windows-msvc-link
lib=$SHIMS/x86_64-pc-windows-msvc-lib
need_path "$link"

kinds() {
    python3 -c 'import json,sys; print(" ".join(f["kind"] + "/" + f["severity"] for f in json.load(open(sys.argv[1]))["findings"]))' "$1"
}
evidence() {
    python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["findings"]:
    for e in f["evidence"]: print(e.get("file", ""), "|", e.get("symbol", ""), "|", e.get("detail", ""))
    print("fix:", f["fix"])' "$1"
}

printf '__declspec(dllimport) int foo(int);\nint main(void) { return foo(0); }\n' >imp.c
printf 'int foo(int x) { return x; }\n' >foo.c
printf 'int foo(int);\nint main(void) { return foo(0); }\n' >plain.c

echo "== healthy: no finding"
ok "$cl" /nologo /c plain.c foo.c
ok env CROSSHIM_REPORT="$WORK/healthy.json" "$link" /nologo /out:plain.exe plain.obj foo.obj
expect_eq "$(kinds "$WORK/healthy.json")" "" "findings of a healthy link"

echo "== crt-model-mismatch: /MD object, /MT archive member"
printf '#pragma detect_mismatch("RuntimeLibrary", "MT_StaticRelease")\nint helper(void) { return 1; }\n' >mt.c
printf '#pragma detect_mismatch("RuntimeLibrary", "MD_DynamicRelease")\nint helper(void);\nint main(void) { return helper() - 1; }\n' >md.c
ok "$cl" /nologo /MT /c mt.c
ok "$cl" /nologo /MD /c md.c
ok "$lib" /nologo /out:mt.lib mt.obj
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/crt.json" "$link" /nologo /out:m.exe md.obj mt.lib
expect_contains "$ERR" "/failifmismatch: mismatch detected for 'RuntimeLibrary'" "the linker's own message"
expect_eq "$(kinds "$WORK/crt.json")" "crt-model-mismatch/error" "CROSSHIM_REPORT"
expect_contains "$(evidence "$WORK/crt.json")" "md.obj |  | RuntimeLibrary=MD_DynamicRelease (built with /MD)" "evidence"
expect_contains "$(evidence "$WORK/crt.json")" "mt.lib(mt.obj) |  | RuntimeLibrary=MT_StaticRelease (built with /MT)" "evidence"
echo "== the same from the saved log: crosshim explain"
printf '%s\n' "$ERR" >crt.log
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/crt-explain.json" "$CROSSHIM" explain --target x86_64-pc-windows-msvc crt.log -- md.obj mt.lib
expect_eq "$(kinds "$WORK/crt-explain.json")" "crt-model-mismatch/error" "crosshim explain"
expect_contains "$(evidence "$WORK/crt-explain.json")" "md.obj |  | RuntimeLibrary=MD_DynamicRelease (built with /MD)" "evidence"

echo "== import-library-missing: #pragma comment(lib) of a library that is nowhere"
printf '#pragma comment(lib, "nosuchsdk")\nint main(void) { return 0; }\n' >asks.c
ok "$cl" /nologo /c asks.c
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/missing.json" "$link" /nologo /out:asks.exe asks.obj
expect_contains "$ERR" "could not open 'nosuchsdk.lib'" "the linker's own message"
expect_eq "$(kinds "$WORK/missing.json")" "import-library-missing/error" "CROSSHIM_REPORT"
expect_contains "$(evidence "$WORK/missing.json")" "asks.obj |  | asks for it: /DEFAULTLIB:nosuchsdk.lib" "evidence"
expect_contains "$(evidence "$WORK/missing.json")" "/nodefaultlib:nosuchsdk.lib" "fix"

echo "== import-library-missing: the library exists as Helper.lib"
mkdir -p mylibs
ok "$lib" /nologo /out:mylibs/Helper.lib foo.obj
printf '#pragma comment(lib, "helper")\nint foo(int);\nint main(void) { return foo(0); }\n' >useh.c
ok "$cl" /nologo /c useh.c
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/case.json" "$link" /nologo /out:useh.exe /libpath:mylibs useh.obj
expect_eq "$(kinds "$WORK/case.json")" "import-library-missing/error" "CROSSHIM_REPORT"
expect_contains "$(evidence "$WORK/case.json")" "mylibs/Helper.lib |  | the same name in another case" "evidence"
expect_contains "$(evidence "$WORK/case.json")" "ln -s Helper.lib mylibs/helper.lib" "fix"
echo "== the same, with the directory in LIB (lld-link reads it like link.exe)"
expect_fail_with_code 1 env LIB="$WORK/mylibs" CROSSHIM_REPORT="$WORK/lib-env.json" "$link" /nologo /out:useh.exe useh.obj
expect_contains "$(evidence "$WORK/lib-env.json")" "$WORK/mylibs/Helper.lib |  | the same name in another case" "evidence"

echo "== dllimport-mismatch: LNK4217 on a link that succeeds"
ok "$cl" /nologo /c imp.c
run env CROSSHIM_REPORT="$WORK/lnk4217.json" "$link" /nologo /out:imp.exe imp.obj foo.obj
expect_eq "$RC" 0 "exit status (a warning)"
expect_contains "$ERR" "locally defined symbol imported: foo (defined in foo.obj) [LNK4217]" "the linker's own message"
expect_eq "$(kinds "$WORK/lnk4217.json")" "dllimport-mismatch/warning" "CROSSHIM_REPORT"
expect_contains "$(evidence "$WORK/lnk4217.json")" "imp.obj | foo | imports it" "evidence"
expect_fail_with_code 1 env CROSSHIM_STRICT=1 "$link" /nologo /out:imp.exe imp.obj foo.obj

echo "== wrong-architecture: an arm64 object in an x64 link"
ok "$SHIMS/aarch64-pc-windows-msvc-cl" /nologo /c /Foarmfoo.obj foo.c
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/arch.json" "$link" /nologo /out:arm.exe imp.obj armfoo.obj
expect_contains "$ERR" "armfoo.obj: machine type arm64 conflicts with x64" "the linker's own message"
expect_eq "$(kinds "$WORK/arch.json")" "wrong-architecture/error" "CROSSHIM_REPORT"
expect_contains "$(evidence "$WORK/arch.json")" "armfoo.obj |  | COFF machine arm64" "evidence"

echo "== wrong-architecture: lld-link makes an arm64 program in the x64 link"
ok "$SHIMS/aarch64-pc-windows-msvc-cl" /nologo /c /Foarmmain.obj plain.c
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/pe.json" "$link" /nologo /nodefaultlib /entry:main /subsystem:console /out:armonly.exe armmain.obj armfoo.obj
expect_eq "$(kinds "$WORK/pe.json")" "wrong-architecture/error" "CROSSHIM_REPORT"
expect_contains "$(evidence "$WORK/pe.json")" "armonly.exe |  | PE machine arm64" "evidence"

pass
