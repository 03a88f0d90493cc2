#!/usr/bin/env bash
# libc-crt-bullseye: crt-libc-mismatch with real old start files. glibc 2.31
# (Debian bullseye) is downloaded from deb.debian.org with apt-get and a
# private apt state (the host's package state is not touched), cached under
# the build folder (fixtures/bullseye-libc6). Its Scrt1.o calls
# __libc_csu_init/__libc_csu_fini, which glibc >= 2.34 no longer provides:
# linked against bookworm's glibc (2.36) it fails for real. (The reverse,
# bookworm's Scrt1.o with glibc 2.31's libc.so.6, links: the unversioned
# __libc_start_main binds to the old version.) Skips (77) only when the
# network is unreachable and CI is not set.
source "$(dirname "$0")/common.sh"
# shellcheck source=../fixtures/private-apt.sh
source "$SRC/tests/fixtures/private-apt.sh"

need_stage
need_cmd python3
need_cmd apt-get
need_cmd dpkg-deb
need_cmd flock
gnucc=$SHIMS/x86_64-unknown-linux-gnu-cc
ma=x86_64-linux-gnu
[[ -e /usr/lib/$ma/Scrt1.o ]] || fail "the host's libc6-dev is missing"

report_kinds() {
    python3 -c 'import json,sys; print(" ".join(f["kind"] for f in json.load(open(sys.argv[1]))["findings"]))' "$1"
}

# ------------------------------------------------ glibc 2.31, cached
cache=$FIXTURES/bullseye-libc6
old=$cache/root
mkdir -p "$cache"
exec 9>"$cache.lock"
flock 9
if [[ ! -f $cache/stamp ]]; then
    rm -rf "${cache:?}"/{state,lists,cache,debs,root,tmp,empty.d}
    mkdir -p "$cache"/{debs,root}
    kr=/usr/share/keyrings/debian-archive-keyring.gpg
    opt=''
    [[ -f $kr ]] && opt="[signed-by=$kr] "
    printf 'deb %shttp://deb.debian.org/debian bullseye main\n' "$opt" >"$cache/sources.list"
    write_private_apt_conf "$cache" amd64
    apt_private() { TMPDIR=$cache/tmp apt-get -c "$cache/apt.conf" "$@"; }
    if ! apt_private -qq update >"$cache/tmp/update.log" 2>&1; then
        cat "$cache/tmp/update.log"
        skip "cannot reach deb.debian.org for bullseye's libc6 (network unreachable?)"
    fi
    (cd "$cache/debs" && apt_private -qq download libc6-dev libc6) >"$cache/tmp/download.log" 2>&1 ||
        { cat "$cache/tmp/download.log"; fail "apt-get download libc6-dev libc6 (bullseye) failed"; }
    for d in "$cache"/debs/*.deb; do dpkg-deb -x "$d" "$old"; done
    touch "$cache/stamp"
fi
exec 9>&-
for f in usr/lib/$ma/Scrt1.o usr/lib/$ma/crti.o usr/lib/$ma/crtn.o lib/$ma/libc.so.6 usr/lib/$ma/libc_nonshared.a; do
    expect_file "$old/$f"
done
# glibc 2.31 added no symbol version: its highest is GLIBC_2.30.
expect_contains "$(readelf -V "$old/lib/$ma/libc.so.6")" "Name: GLIBC_2.30" "bullseye's libc.so.6"
expect_not_contains "$(readelf -V "$old/lib/$ma/libc.so.6")" "GLIBC_2.34" "bullseye's libc.so.6"

printf '#include <stdio.h>\nint main(void) { return puts("hello") < 0; }\n' >hello.c

echo "== crt-libc-mismatch: glibc 2.31's start files with glibc 2.36"
oldcrt=$old/usr/lib/$ma
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/oldcrt.json" \
    "$gnucc" -nostartfiles "$oldcrt/Scrt1.o" "$oldcrt/crti.o" hello.c "$oldcrt/crtn.o" -o hello-oldcrt
expect_contains "$ERR" "undefined symbol: __libc_csu_fini" "the linker's own message"
expect_contains "$ERR" "error [crt-libc-mismatch]: $oldcrt/Scrt1.o is from a glibc older than 2.34" "stderr"
expect_contains "$ERR" "is from a glibc older than 2.34 (it calls __libc_csu_" "stderr"
expect_contains "$ERR" "but the C library is glibc 2.34 or newer (versions up to GLIBC_2.3" "stderr"
expect_contains "$ERR" "/libc.so.6: the sysroot's glibc: symbol versions up to GLIBC_2.3" "evidence: the libc"
expect_eq "$(report_kinds "$WORK/oldcrt.json")" "crt-libc-mismatch" "CROSSHIM_REPORT"

echo "== no finding: the matching start files"
ok env CROSSHIM_REPORT="$WORK/ok.json" "$gnucc" hello.c -o hello
expect_eq "$(report_kinds "$WORK/ok.json")" "" "a healthy link"
ok ./hello

pass
