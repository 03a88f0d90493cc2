#!/usr/bin/env bash
# doctor: `crosshim doctor` on real sysroots. Debian's aarch64 cross packages
# are healthy (exit 0, no findings); a copy of the raw .deb sysroot
# (debsysroot-arm64-raw: the .debs' absolute links) reports absolute-symlink
# warnings and is clean after `crosshim sysroot fix`; faults planted in a
# hard-linked copy of the fixed sysroot, each made for real at test time
# (an x86-64 .so and an x86-64 archive member built by the x86_64 shim, crt1.o
# removed, a libc.so script with Debian-cross paths that a real link through
# the shim then fails on) give wrong-architecture, missing-crt-object and
# linker-script-path errors (exit 1); a soft-float object in an armhf copy
# gives float-abi-mismatch; LIBRARY_PATH and -L/usr/lib give host-path-leak in
# doctor and in a real link (CROSSHIM_REPORT); bad command lines exit 2.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
need_cmd python3
RAW=$FIXTURES/sysroot-$DEB_ARCH-raw
ARMHF=$FIXTURES/sysroot-armhf
[[ -f $RAW/.crosshim-fixture-stamp ]] || fail "fixture sysroot $RAW is missing (debsysroot-arm64-raw)"
[[ -f $ARMHF/.crosshim-fixture-stamp ]] || fail "fixture sysroot $ARMHF is missing (debsysroot-armhf)"
cc=$SHIMS/$TRIPLE-cc

# check_json FILE PYTHON...: runs the Python lines with `r` = the report.
check_json() {
    local file=$1
    shift
    ok python3 -c "import json, sys
r = json.load(open(sys.argv[1]))
kinds = [f['kind'] for f in r['findings']]
sev = {f['kind']: f['severity'] for f in r['findings']}
def ev(kind): return ' | '.join((e.get('file', '') + ': ' + e.get('detail', '')) for f in r['findings'] if f['kind'] == kind for e in f['evidence'])
$*" "$file"
}

doctor_json() { # OUT.json ARGS...: runs doctor --json, keeps stdout in OUT.json
    local out=$1
    shift
    run "$CROSSHIM" doctor --json "$@"
    printf '%s\n' "$OUT" >"$out"
}

echo "== usage errors"
# Without a target, --sysroot cannot say which target it is for (doctor with
# no target at all checks every target with a sysroot: e2e.diag-precision).
expect_fail_with_code 2 "$CROSSHIM" doctor --sysroot "$WORK"
expect_contains "$ERR" "--sysroot needs --target" "stderr for --sysroot without a target"
expect_fail_with_code 2 "$CROSSHIM" doctor --target no-such-target
expect_contains "$ERR" "no-such-target" "stderr for an unknown target"
expect_fail_with_code 2 "$CROSSHIM" doctor --target "$TRIPLE" --frobnicate
expect_contains "$ERR" "unknown option '--frobnicate'" "stderr for an unknown option"
expect_fail_with_code 2 "$CROSSHIM" doctor --target
expect_fail_with_code 2 "$CROSSHIM" doctor --target "$TRIPLE" extra
expect_fail_with_code 1 "$CROSSHIM" doctor --target "$TRIPLE" --sysroot "$WORK/missing"
expect_contains "$ERR" "is not a directory" "stderr for a missing --sysroot"
ok "$CROSSHIM" doctor --help
expect_contains "$OUT" "usage: crosshim doctor [--target T] [--sysroot DIR] [--json]" "--help"
ok "$CROSSHIM" doctor --target "$TRIPLE" --help
expect_contains "$OUT" "Exit status: 0 when no finding is an error" "--help after --target"

echo "== Debian's cross packages: healthy"
ok "$CROSSHIM" doctor --target "$TRIPLE"
expect_contains "$OUT" "sysroot: $CROSS_ROOT [debian-cross]" "doctor header"
expect_match "$OUT" "libc: +glibc 2\.[0-9]+" "doctor header"
expect_contains "$OUT" "crosshim: doctor: no problems found" "doctor verdict"
doctor_json cross.json --target "$TRIPLE"
((RC == 0)) || fail "doctor --json on $CROSS_ROOT: exit $RC"
check_json cross.json "assert r['findings'] == [], r['findings']
assert r['target'] == '$TRIPLE' and r['sysroot'] == '$CROSS_ROOT' and r['layout'] == 'debian-cross', r
assert r['libc'] == 'glibc' and r['glibc'].startswith('2.'), r
assert r['toolchain']['clang'] and r['toolchain']['ld.lld'], r"
# CROSSHIM_TARGET instead of --target.
CROSSHIM_TARGET=$TRIPLE ok "$CROSSHIM" doctor

echo "== the raw .deb sysroot: absolute links, then sysroot fix"
ROOT=$WORK/sysroot
cp -a "$RAW" "$ROOT"
LIBDIR=$ROOT/usr/lib/$MULTIARCH
doctor_json raw.json --target "$TRIPLE" --sysroot "$ROOT"
if [[ -e /lib/$MULTIARCH/libm.so.6 ]]; then
    echo "note: this machine has /lib/$MULTIARCH/libm.so.6; the raw links reach its files"
fi
# Warnings only (this machine's files, if any, are the target's arch): exit 0.
((RC == 0)) || fail "doctor on the raw sysroot: exit $RC, expected 0 (warnings only)"
check_json raw.json "assert 'error' not in sev.values(), r['findings']
absolute = [f for f in r['findings'] if f['kind'] == 'absolute-symlink']
assert len(absolute) >= 5, absolute
assert all(f['severity'] == 'warning' for f in absolute), absolute
assert '$LIBDIR/libm.so: -> /lib/$MULTIARCH/libm.so.6, should be -> libm.so.6' in ev('absolute-symlink'), ev('absolute-symlink')
assert all(f['fix'] == 'crosshim sysroot fix $ROOT' for f in absolute), absolute
assert r['layout'] == 'multiarch, merged /usr', r['layout']"
ok "$CROSSHIM" sysroot fix "$ROOT"
doctor_json fixed.json --target "$TRIPLE" --sysroot "$ROOT"
((RC == 0)) || fail "doctor on the fixed sysroot: exit $RC"
# Clean: at most the note about dev links of run-time packages the fixture
# does not install (usr/lib/gcc/.../libasan.so -> libasan.so.8).
check_json fixed.json "assert all(f['severity'] == 'note' and f['kind'] == 'dangling-symlink' for f in r['findings']), r['findings']"
# Through CROSSHIM_SYSROOT_<TRIPLE>, as a link would find it: the same.
env "$SYSROOT_VAR=$ROOT" "$CROSSHIM" doctor --target "$TRIPLE" >via-env.txt || fail "doctor via $SYSROOT_VAR failed"
expect_contains "$(<via-env.txt)" "sysroot: $ROOT [multiarch, merged /usr] from $SYSROOT_VAR" "doctor via $SYSROOT_VAR"

echo "== planted faults in a hard-linked copy of the fixed sysroot"
PLANT=$WORK/planted
cp -al "$ROOT" "$PLANT"
PLIB=$PLANT/usr/lib/$MULTIARCH
# The directory as the linker's first search dir names it (lib -> usr/lib).
SEEN=$PLANT/lib/$MULTIARCH
x86=$SHIMS/x86_64-unknown-linux-gnu-cc
printf 'int x86_function(void) { return 86; }\n' >x86.c
printf 'int good_function(void) { return 64; }\n' >good.c
ok "$x86" -shared -fPIC x86.c -o "$PLIB/libx86only.so"
ok "$x86" -c x86.c -o bad-member.o
ok "$cc" -c good.c -o good-member.o
ok "$SHIMS/$TRIPLE-ar" rcs "$PLIB/libmixed.a" good-member.o bad-member.o
# crt1.o removed (unlinked: the hard-linked original stays).
rm -- "$PLIB/crt1.o"
# libc.so with the paths of Debian's cross packages: under --sysroot lld
# looks for them inside the sysroot.
rm -- "$PLIB/libc.so"
printf '/* GNU ld script */\nOUTPUT_FORMAT(elf64-littleaarch64)\nGROUP ( %s/lib/libc.so.6 %s/lib/libc_nonshared.a AS_NEEDED ( %s/lib/ld-linux-aarch64.so.1 ) )\n' \
    "$CROSS_ROOT" "$CROSS_ROOT" "$CROSS_ROOT" >"$PLIB/libc.so"
expect_fail_with_code 1 "$CROSSHIM" doctor --target "$TRIPLE" --sysroot "$PLANT"
expect_contains "$OUT" "error [wrong-architecture]: $SEEN/libmixed.a is not for the target's machine (AArch64 (64-bit))" "doctor text"
expect_contains "$OUT" "member bad-member.o is x86-64 (64-bit)" "doctor text"
expect_not_contains "$OUT" "member good-member.o" "doctor text"
expect_contains "$OUT" "$SEEN/libx86only.so: x86-64 (64-bit)" "doctor text"
expect_match "$OUT" "error \[missing-crt-object\]: the C library's start files are missing: crt1\.o " "doctor text"
expect_contains "$OUT" "error [linker-script-path]: the linker script $SEEN/libc.so" "doctor text"
expect_contains "$OUT" "cannot find $CROSS_ROOT/lib/libc.so.6 inside $PLANT" "doctor text"
expect_match "$OUT" "crosshim: doctor: [0-9]+ error\(s\)" "doctor verdict"
doctor_json planted.json --target "$TRIPLE" --sysroot "$PLANT"
((RC == 1)) || fail "doctor --json on the planted sysroot: exit $RC, expected 1"
check_json planted.json "for k in ('wrong-architecture', 'missing-crt-object', 'linker-script-path'):
    assert sev.get(k) == 'error', (k, r['findings'])
assert 'member bad-member.o is x86-64 (64-bit)' in ev('wrong-architecture'), ev('wrong-architecture')
assert 'crt1.o' in ev('missing-crt-object'), ev('missing-crt-object')
assert r['findings'][0]['severity'] == 'error', r['findings'][0]"
# What doctor predicted, for real: lld cannot take the script.
printf 'int main(void) { return 0; }\n' >main.c
expect_fail_with_code 1 env "$SYSROOT_VAR=$PLANT" "$cc" main.c -o main-planted
expect_contains "$ERR" "cannot find $CROSS_ROOT/lib/libc.so.6 inside $PLANT" "the planted link's stderr"
# The original (hard-linked) sysroot is untouched.
expect_file "$LIBDIR/crt1.o"
ok env "$SYSROOT_VAR=$ROOT" "$cc" main.c -o main-fixed

echo "== a soft-float object in an armhf sysroot"
arch_info armv7
ARMROOT=$WORK/armhf
cp -al "$ARMHF" "$ARMROOT"
run "$CROSSHIM" doctor --target "$TRIPLE" --sysroot "$ARMROOT"
((RC == 0)) || fail "doctor on the armhf fixture: exit $RC"
expect_not_contains "$OUT" "float-abi-mismatch" "doctor on the armhf fixture"
printf 'float soft_half(float x) { return x / 2; }\n' >soft.c
ok "$SHIMS/$TRIPLE-cc" -mfloat-abi=soft -c soft.c -o "$ARMROOT/usr/lib/$MULTIARCH/soft-float.o"
doctor_json armhf.json --target "$TRIPLE" --sysroot "$ARMROOT"
((RC == 1)) || fail "doctor with a soft-float object: exit $RC, expected 1"
check_json armhf.json "assert sev.get('float-abi-mismatch') == 'error', r['findings']
assert '$ARMROOT/lib/$MULTIARCH/soft-float.o: soft-float' in ev('float-abi-mismatch'), ev('float-abi-mismatch')"
arch_info aarch64

echo "== host-path-leak: LIBRARY_PATH and -L/usr/lib"
LIBRARY_PATH=/usr/lib/x86_64-linux-gnu doctor_json leak.json --target "$TRIPLE"
((RC == 0)) || fail "doctor with LIBRARY_PATH: exit $RC, expected 0 (a warning)"
check_json leak.json "assert kinds == ['host-path-leak'] and sev['host-path-leak'] == 'warning', r['findings']
assert '/usr/lib/x86_64-linux-gnu: in LIBRARY_PATH' in ev('host-path-leak'), ev('host-path-leak')"
write_hello_c hello.c
export CROSSHIM_REPORT=$WORK/link-report.json
# In a link through the shim the variables are harmless (crosshim keeps them
# from clang): no finding, nothing on stderr.
LIBRARY_PATH=/usr/lib/x86_64-linux-gnu CPATH=/usr/local/include ok "$cc" hello.c -lm -o hello-leak
expect_machine hello-leak "$MACHINE" "$CLASS"
check_json "$CROSSHIM_REPORT" "assert r['findings'] == [], r['findings']"
ok_noisy "$cc" hello.c -L/usr/lib -I/usr/include -lm -o hello-args
check_json "$CROSSHIM_REPORT" "assert kinds == ['host-path-leak'], r['findings']
assert '/usr/lib: -L/usr/lib on the command line (-L)' in ev('host-path-leak'), ev('host-path-leak')"
# A clean link: no finding, nothing on stderr.
ok "$cc" hello.c -lm -o hello-clean
check_json "$CROSSHIM_REPORT" "assert r['findings'] == [], r['findings']"
# The host target is never a leak.
LIBRARY_PATH=/usr/lib/x86_64-linux-gnu ok "$SHIMS/x86_64-unknown-linux-gnu-cc" hello.c -lm -o hello-host
check_json "$CROSSHIM_REPORT" "assert 'host-path-leak' not in kinds, r['findings']"
unset CROSSHIM_REPORT

pass
