#!/usr/bin/env bash
# explain-link: failed links through the shim, each failure made for real,
# and what crosshim says after the linker: library-not-on-command-line (cos
# without -lm, found in the target's libm.so.6 with its version),
# undefined-symbol (a name nothing defines, with close names),
# missing-dev-symlink (only libanswer.so.1), wrong-architecture (an x86-64
# object in an AArch64 link) and pic-required (a non-PIC object in a PIE).
# The linker's own message comes first and the exit status is the linker's.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
need_cmd python3
cc=$SHIMS/$TRIPLE-cc

report_kinds() {
    python3 -c 'import json,sys; print(" ".join(f["kind"] for f in json.load(open(sys.argv[1]))["findings"]))' "$1"
}

echo "== library-not-on-command-line: cos without -lm"
printf '#include <math.h>\n#include <stdio.h>\nint main(int c, char **v) { printf("%%f\\n", cos((double)c)); return 0; }\n' >cos.c
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/cos.json" "$cc" cos.c -o cos
expect_contains "$ERR" "ld.lld: error: undefined symbol: cos" "the linker's own message"
expect_contains "$ERR" "error [library-not-on-command-line]: undefined symbol cos: libm.so.6 defines it, but it is not linked" "stderr"
expect_contains "$ERR" "$CROSS_ROOT/lib/libm.so.6: cos: defined here (GLIBC_" "evidence"
expect_contains "$ERR" "fix: add -lm to the link" "fix"
expect_eq "$(report_kinds "$WORK/cos.json")" "library-not-on-command-line" "CROSSHIM_REPORT"
[[ $ERR == *"ld.lld: error"*"[library-not-on-command-line]"* ]] || fail "the findings must follow the linker's output"

echo "== undefined-symbol: a name nothing defines, close names offered"
printf 'int puts_(const char *);\nint main(void) { return puts_("x"); }\n' >typo.c
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/typo.json" "$cc" typo.c -o typo
expect_contains "$ERR" "error [undefined-symbol]: undefined symbol puts_: no library" "stderr"
expect_contains "$ERR" "puts" "close names"
expect_eq "$(report_kinds "$WORK/typo.json")" "undefined-symbol" "CROSSHIM_REPORT"

echo "== missing-dev-symlink: only libanswer.so.1"
mkdir -p libs
printf 'int answer(void) { return 42; }\n' >answer.c
ok "$cc" -shared -fPIC answer.c -o libs/libanswer.so.1 -Wl,-soname,libanswer.so.1
printf 'int answer(void);\nint main(void) { return answer() == 42 ? 0 : 1; }\n' >main.c
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/dev.json" "$cc" main.c -Llibs -lanswer -o main
expect_contains "$ERR" "unable to find library -lanswer" "the linker's own message"
expect_contains "$ERR" "error [missing-dev-symlink]: -lanswer finds no libanswer.so, only libanswer.so.1" "stderr"
expect_contains "$ERR" "fix: link -l:libanswer.so.1" "fix"
expect_eq "$(report_kinds "$WORK/dev.json")" "missing-dev-symlink" "CROSSHIM_REPORT"
ok "$cc" main.c -Llibs -l:libanswer.so.1 -o main
expect_eq "$ERR" "" "the suggested fix links cleanly"

echo "== wrong-architecture: an x86-64 object in an AArch64 link"
ok "$SHIMS/x86_64-unknown-linux-gnu-cc" -c answer.c -o answer-x86.o
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/arch.json" "$cc" main.c answer-x86.o -o mixed
expect_contains "$ERR" "error [wrong-architecture]: answer-x86.o is not built for the target" "stderr"
expect_eq "$(report_kinds "$WORK/arch.json")" "wrong-architecture" "CROSSHIM_REPORT"

echo "== pic-required: a non-PIC object in a PIE (x86-64)"
printf 'const char *name(void) { return "crosshim"; }\n' >nopic.c
printf 'const char *name(void);\nint main(void) { return name()[0] == 99 ? 0 : 1; }\n' >usepic.c
ok "$SHIMS/x86_64-unknown-linux-gnu-cc" -O2 -fno-pic -c nopic.c -o nopic.o
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/pic.json" \
    "$SHIMS/x86_64-unknown-linux-gnu-cc" -pie -fPIE usepic.c nopic.o -o usepic
expect_contains "$ERR" "recompile with -fPIC" "the linker's own message"
expect_contains "$ERR" "error [pic-required]" "stderr"
expect_eq "$(report_kinds "$WORK/pic.json")" "pic-required" "CROSSHIM_REPORT"

echo "== missing-crt-object: a --sysroot of one's own that lacks the gcc runtime"
write_hello_c hello.c
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/crt.json" "$cc" --sysroot="$CROSS_ROOT" hello.c -o crt
expect_contains "$ERR" "cannot open crtbeginS.o" "the linker's own message"
expect_contains "$ERR" "error [missing-crt-object]: the C runtime start file crtbeginS.o was not found" "stderr"
expect_contains "$(report_kinds "$WORK/crt.json")" "missing-crt-object" "CROSSHIM_REPORT"

echo "== linker-script-path: Debian's libc.so script under a --sysroot of one's own"
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/script.json" \
    "$cc" --sysroot="$CROSS_ROOT" --gcc-toolchain=/usr hello.c -o script
expect_contains "$ERR" "cannot find $CROSS_ROOT/lib/libc.so.6 inside $CROSS_ROOT" "the linker's own message"
expect_contains "$ERR" "error [linker-script-path]" "stderr"
expect_eq "$(report_kinds "$WORK/script.json")" "linker-script-path" "CROSSHIM_REPORT"

echo "== unwinder-missing: -lgcc_s in a musl link"
if [[ -e /usr/lib/x86_64-linux-musl/crt1.o ]]; then
    expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/unwind.json" \
        "$SHIMS/x86_64-unknown-linux-musl-cc" hello.c -lgcc_s -o unwind
    expect_contains "$ERR" "unable to find library -lgcc_s" "the linker's own message"
    expect_contains "$ERR" "error [unwinder-missing]" "stderr"
    expect_eq "$(report_kinds "$WORK/unwind.json")" "unwinder-missing" "CROSSHIM_REPORT"
else
    fail "musl-dev is not installed (the README's test command installs it)"
fi

echo "== CROSSHIM_DIAGNOSE=0: the linker's message only, same exit status"
expect_fail_with_code 1 env CROSSHIM_DIAGNOSE=0 "$cc" cos.c -o cos
expect_not_contains "$ERR" "crosshim:" "stderr with CROSSHIM_DIAGNOSE=0"

pass
