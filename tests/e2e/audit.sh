#!/usr/bin/env bash
# audit: the post-link audit of every successful link through the shim
# (glibc-floor-exceeded, interp-mismatch, rpath-leak, needed-library-missing),
# each failure made for real; CROSSHIM_REPORT's JSON; CROSSHIM_STRICT and
# CROSSHIM_DIAGNOSE=0.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
need_cmd python3

write_hello_c hello.c
cc=$SHIMS/$TRIPLE-cc

# report_kinds FILE: the finding kinds in a CROSSHIM_REPORT file, one per line.
report_kinds() {
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["version"]==1 and r["tool"]=="crosshim"; print("\n".join(f["kind"] + " " + f["severity"] for f in r["findings"]))' "$1"
}

echo "== a clean cross link: no findings, an empty report"
ok env CROSSHIM_REPORT="$WORK/clean.json" "$cc" hello.c -lm -o hello
expect_eq "$ERR" "" "stderr of a clean link"
expect_eq "$(report_kinds "$WORK/clean.json")" "" "findings of a clean link"

echo "== glibc-floor-exceeded: the host's glibc 2.36 against a 2.17 floor"
ln -s "$CROSSHIM" "$WORK/x86_64-unknown-linux-gnu.2.17-cc"
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/floor.json" \
    "$WORK/x86_64-unknown-linux-gnu.2.17-cc" hello.c -lm -o hello-floor
expect_contains "$ERR" "[glibc-floor-exceeded]" "stderr"
expect_contains "$ERR" "__libc_start_main@GLIBC_2.34" "the offending symbol"
expect_eq "$(report_kinds "$WORK/floor.json")" "glibc-floor-exceeded error" "report"
[[ -x hello-floor ]] || fail "the audit removed the output; it must keep what the user built"
# the same floor from crosshim.toml, and the floor met
printf '[target.x86_64-unknown-linux-gnu]\nglibc = "2.34"\n' >crosshim.toml
ok "$SHIMS/x86_64-unknown-linux-gnu-cc" hello.c -lm -o hello-floor-ok
expect_eq "$ERR" "" "stderr with a floor of 2.34"
printf '[target.x86_64-unknown-linux-gnu]\nglibc = "2.33"\n' >crosshim.toml
expect_fail_with_code 1 "$SHIMS/x86_64-unknown-linux-gnu-cc" hello.c -lm -o hello-floor-cfg
expect_contains "$ERR" "the floor is 2.33" "stderr with glibc = 2.33 in crosshim.toml"
rm crosshim.toml

echo "== interp-mismatch: a program asking for another loader (warning; strict: error)"
ok_noisy env CROSSHIM_REPORT="$WORK/interp.json" "$cc" hello.c -lm -o hello-interp \
    -Wl,--dynamic-linker=/lib/ld-linux-x86-64.so.2
expect_contains "$ERR" "[interp-mismatch]" "stderr"
expect_contains "$ERR" "/lib/ld-linux-aarch64.so.1" "the target's loader in the message"
expect_eq "$(report_kinds "$WORK/interp.json")" "interp-mismatch warning" "report"
expect_fail_with_code 1 env CROSSHIM_STRICT=1 "$cc" hello.c -lm -o hello-interp2 \
    -Wl,--dynamic-linker=/lib/ld-linux-x86-64.so.2
expect_contains "$ERR" "[interp-mismatch]" "stderr under CROSSHIM_STRICT=1"

echo "== rpath-leak: a RUNPATH into the build tree"
mkdir -p libs
ok_noisy env CROSSHIM_REPORT="$WORK/rpath.json" "$cc" hello.c -lm -o hello-rpath -Wl,-rpath,"$WORK/libs"
expect_contains "$ERR" "[rpath-leak]" "stderr"
expect_contains "$ERR" "$WORK/libs" "the leaked path"
expect_eq "$(report_kinds "$WORK/rpath.json")" "rpath-leak warning" "report"
ok "$cc" hello.c -lm -o hello-origin '-Wl,-rpath,$ORIGIN/../lib'
expect_eq "$ERR" "" "stderr with an \$ORIGIN RUNPATH"

echo "== needed-library-missing: a DT_NEEDED name found nowhere the loader or linker looks"
printf 'int answer(void) { return 42; }\n' >answer.c
# The soname libanswer.so.1 has no file: neither beside the library linked by
# path, nor in the sysroot or the link's -L.
ok "$cc" -shared -fPIC answer.c -o libs/libanswer.so -Wl,-soname,libanswer.so.1
printf 'int answer(void);\nint main(void) { return answer() == 42 ? 0 : 1; }\n' >main.c
ok_noisy env CROSSHIM_REPORT="$WORK/needed.json" "$cc" main.c libs/libanswer.so -o main-needed
expect_contains "$ERR" "[needed-library-missing]" "stderr"
expect_contains "$ERR" "libanswer.so.1" "the missing library"
expect_eq "$(report_kinds "$WORK/needed.json")" "needed-library-missing warning" "report"
ok_noisy "$cc" main.c -Llibs -lanswer -o main-l
expect_contains "$ERR" "[needed-library-missing]" "stderr of the same link through -L"
# libanswer.so.1 beside the library linked by path (as libtool's .libs/ has
# it), or found through -L: no finding.
ln -s libanswer.so libs/libanswer.so.1
ok "$cc" main.c libs/libanswer.so -o main-needed
expect_eq "$ERR" "" "stderr when the soname's file is beside the library linked by path"
ok "$cc" main.c -Llibs -lanswer -o main-l
expect_eq "$ERR" "" "stderr when -L names the library's directory"

echo "== float-abi-mismatch: a soft-float program for the hard-float armv7 target"
need_path /usr/arm-linux-gnueabihf/lib/crt1.o "apt-get install libc6-dev-armhf-cross"
printf 'int main(void) { return 0; }\n' >tiny.c
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/float.json" "$SHIMS/armv7-unknown-linux-gnueabihf-cc" \
    -mfloat-abi=soft -nostdlib -static -Wl,-e,main tiny.c -o tiny-soft
expect_contains "$ERR" "error [float-abi-mismatch]: the output uses the soft-float ABI, the target the hard-float one" "stderr"
expect_eq "$(report_kinds "$WORK/float.json")" "float-abi-mismatch error" "report"
ok "$SHIMS/armv7-unknown-linux-gnueabihf-cc" -nostdlib -static -Wl,-e,main tiny.c -o tiny-hard
expect_eq "$ERR" "" "stderr of the same link with the target's float ABI"

echo "== CROSSHIM_DIAGNOSE=0 turns the audit off"
ok env CROSSHIM_DIAGNOSE=0 "$WORK/x86_64-unknown-linux-gnu.2.17-cc" hello.c -lm -o hello-nodiag
expect_eq "$ERR" "" "stderr with CROSSHIM_DIAGNOSE=0"

pass
