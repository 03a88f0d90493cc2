#!/usr/bin/env bash
# static-fallback: a raw Debian arm64 sysroot (the .debs' absolute links, like
# a docker export) makes lld skip the dangling usr/lib/<multiarch>/libm.so and
# take libm.a without a word. The shim's pre-link check names it (a warning;
# CROSSHIM_STRICT=1 fails the link), with the evidence and the fix; once the
# links are fixed the finding is gone and libm.so.6 is NEEDED again.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cmd python3
RAW=$FIXTURES/sysroot-$DEB_ARCH-raw
[[ -f $RAW/.crosshim-fixture-stamp ]] ||
    fail "fixture sysroot $RAW is missing (the debsysroot-$DEB_ARCH-raw fixture makes it)"
ROOT=$WORK/sysroot
cp -a "$RAW" "$ROOT"
export "$SYSROOT_VAR=$ROOT"
cc=$SHIMS/$TRIPLE-cc
write_hello_c hello.c

echo "== the silent failure: -lm takes libm.a"
ok_noisy env CROSSHIM_REPORT="$WORK/report.json" "$cc" hello.c -lm -o hello-static-libm
expect_not_contains "$(elf_needed hello-static-libm)" "libm.so.6" "NEEDED (libm was linked statically)"
expect_contains "$ERR" "warning [static-fallback]: -lm takes the static libm.a because libm.so is a dangling link" "stderr"
# (merged /usr: $ROOT/lib is $ROOT/usr/lib; the driver searches lib/<multiarch> first)
expect_contains "$ERR" "/lib/$MULTIARCH/libm.so: links to /lib/$MULTIARCH/libm.so.6, which does not exist" "evidence"
expect_contains "$ERR" "fix: make the sysroot's absolute links relative: crosshim sysroot fix" "fix"
run python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))
for f in r["findings"]:
    print(f["kind"], f["severity"], f["evidence"][0]["file"].endswith("/libm.so"))' "$WORK/report.json"
expect_eq "$OUT" "static-fallback warning True" "CROSSHIM_REPORT"

echo "== CROSSHIM_STRICT=1 fails the link; CROSSHIM_DIAGNOSE=0 says nothing"
expect_fail_with_code 1 env CROSSHIM_STRICT=1 "$cc" hello.c -lm -o hello-strict
expect_contains "$ERR" "[static-fallback]" "stderr under CROSSHIM_STRICT=1"
ok env CROSSHIM_DIAGNOSE=0 "$cc" hello.c -lm -o hello-quiet
expect_eq "$ERR" "" "stderr with CROSSHIM_DIAGNOSE=0"

echo "== an intentionally static link is no fallback"
ok "$cc" -static hello.c -lm -o hello-all-static
expect_eq "$ERR" "" "stderr of a -static link"

echo "== after crosshim sysroot fix: libm.so.6 is NEEDED and nothing is reported"
ok_noisy "$CROSSHIM" sysroot fix "$ROOT"
ok "$cc" hello.c -lm -o hello-fixed
expect_eq "$ERR" "" "stderr after the fix"
expect_contains "$(elf_needed hello-fixed)" "libm.so.6" "NEEDED after the fix"

pass
