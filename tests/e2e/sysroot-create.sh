#!/usr/bin/env bash
# sysroot-create: `crosshim sysroot create` for aarch64 from Debian bookworm's
# real packages (network to deb.debian.org; the apt state and .debs are kept
# in $FIXTURES/sysroot-create-cache, so reruns download nothing). With the
# default DIR the shims find the sysroot by themselves: a C program using
# sqlite3 links with -lsqlite3 through the shim and runs under qemu through
# <triple>-run; doctor finds nothing wrong. A second --with adds zlib and
# keeps sqlite; `sysroot list` shows it with its layout and glibc 2.36. An
# interrupted run (SIGINT while apt waits on a mirror that never answers) and
# a failed one (a refused connection) leave neither DIR nor a temp dir.
# Usage errors, an unknown distro, a Windows or Apple target, a directory crosshim did
# not make, and apt-get missing are clear errors.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cmd apt-get "a Debian or Ubuntu machine"
need_cmd dpkg-deb "a Debian or Ubuntu machine"
need_cmd "$QEMU" "apt-get install qemu-user"
need_cmd python3
need_path /usr/share/keyrings/debian-archive-keyring.gpg "apt-get install debian-archive-keyring"

export XDG_CACHE_HOME=$FIXTURES/sysroot-create-cache
mkdir -p "$XDG_CACHE_HOME"
DIR=$XDG_DATA_HOME/crosshim/sysroots/$TRIPLE
STAMP=$DIR/.crosshim-sysroot
cc=$SHIMS/$TRIPLE-cc
leftovers() { # PARENT BASE: temp dirs of create runs
    local p=$1 b=$2
    printf '%s\n' "$p/.$b.tmp."* "$p/.$b.old."*
}
expect_no_leftovers() {
    local l
    l=$(leftovers "$1" "$2")
    [[ -z $l ]] || fail "temporary directories left next to $1/$2: $l"
}
report_errors() { # JSON -> the error findings' kinds
    python3 -c 'import json,sys; print(" ".join(f["kind"] for f in json.load(open(sys.argv[1]))["findings"] if f["severity"] == "error"))' "$1"
}

echo "== create with libsqlite3-dev, default DIR"
ok "$CROSSHIM" sysroot create --target "$TRIPLE" --with libsqlite3-dev
expect_match "$OUT" "^crosshim: (created|rebuilt) $DIR \($TRIPLE, debian:bookworm arm64, [0-9]+ packages with libsqlite3-dev; multiarch, merged /usr; glibc 2\.36;" "summary"
expect_eq "$(wc -l <<<"$OUT")" 1 "lines of output (not a terminal: one summary line)"
expect_file "$STAMP"
expect_eq "$(sed -n 2p "$STAMP")" "target $TRIPLE" "stamp"
grep -q '^package libsqlite3-0 ' "$STAMP" || fail "the stamp lists no libsqlite3-0 (the closure of libsqlite3-dev)"
grep -q '^package libc6 2\.36-' "$STAMP" || fail "the stamp lists no libc6 2.36"
expect_eq "$(readlink "$DIR/lib")" usr/lib "lib (merged /usr)"
[[ -f $DIR/etc/ld.so.cache && ! -s $DIR/etc/ld.so.cache ]] || fail "etc/ld.so.cache must be an empty file"
expect_file "$DIR/usr/include/sqlite3.h"
expect_file "$DIR/usr/lib/$MULTIARCH/crt1.o"
absolute=$(find "$DIR" -lname '/*' -printf '%P -> %l\n')
expect_eq "$absolute" "" "absolute symlinks in the sysroot"
expect_no_leftovers "${DIR%/*}" "$TRIPLE"
[[ ! -e /var/lib/dpkg/info/libsqlite3-dev:arm64.list ]] || echo "  note: the host has libsqlite3-dev:arm64 installed (not by this test)"

echo "== the shims find it with no configuration"
ok "$CROSSHIM" which "$TRIPLE-cc"
expect_contains "$OUT" "sysroot: $DIR [multiarch, merged /usr]" "which"
expect_contains "$OUT" "from:    crosshim's sysroot folder" "which"
cat >sq.c <<'C'
#include <sqlite3.h>
#include <stdio.h>

int main(void) {
    sqlite3 *db;
    sqlite3_stmt *st;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return 1;
    if (sqlite3_prepare_v2(db, "select 6 * 7", -1, &st, 0) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
        return 2;
    printf("sqlite %s: %d\n", sqlite3_libversion(), sqlite3_column_int(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}
C
ok "$cc" sq.c -lsqlite3 -o sq
expect_machine sq "$MACHINE" "$CLASS"
expect_needed sq libsqlite3.so.0
sqlite_version=$(sed -n 's/^package libsqlite3-0 \([0-9.]*\)-.*/\1/p' "$STAMP")
ok "$SHIMS/$TRIPLE-run" ./sq
expect_eq "$OUT" "sqlite $sqlite_version: 42" "the program's output under qemu"
run "$CROSSHIM" doctor --target "$TRIPLE" --json
printf '%s\n' "$OUT" >doctor.json
((RC == 0)) || fail "doctor exit status $RC on the created sysroot"
expect_eq "$(report_errors doctor.json)" "" "doctor's errors"
expect_contains "$OUT" "\"glibc\": \"2.36\"" "doctor"

echo "== the same again: nothing to do"
inode=$(stat -c %i "$DIR")
ok "$CROSSHIM" sysroot create --target "$TRIPLE" --with libsqlite3-dev
expect_contains "$OUT" "crosshim: $DIR is up to date" "second run"
expect_eq "$(stat -c %i "$DIR")" "$inode" "DIR's inode (not rebuilt)"

echo "== --with zlib1g-dev adds zlib and keeps sqlite"
ok "$CROSSHIM" sysroot create --target "$TRIPLE" --with zlib1g-dev
expect_contains "$OUT" "crosshim: rebuilt $DIR ($TRIPLE, debian:bookworm arm64, " "summary"
expect_contains "$OUT" "with libsqlite3-dev zlib1g-dev" "summary"
expect_eq "$(sed -n 's/^with //p' "$STAMP")" "libsqlite3-dev zlib1g-dev" "stamp's with"
expect_file "$DIR/usr/include/zlib.h"
expect_file "$DIR/usr/include/sqlite3.h"
expect_no_leftovers "${DIR%/*}" "$TRIPLE"
cat >both.c <<'C'
#include <sqlite3.h>
#include <stdio.h>
#include <zlib.h>

int main(void) {
    printf("zlib %s, sqlite %s\n", zlibVersion(), sqlite3_libversion());
    return 0;
}
C
ok "$cc" both.c -lz -lsqlite3 -o both
expect_needed both libz.so.1
ok "$SHIMS/$TRIPLE-run" ./both
expect_match "$OUT" "^zlib 1\.[0-9.]+, sqlite $sqlite_version$" "the program's output"

echo "== sysroot list"
ok "$CROSSHIM" sysroot list
expect_contains "$OUT" "$TRIPLE"$'\n'"  $DIR  [multiarch, merged /usr]  glibc 2.36" "list"
expect_contains "$OUT" "made by crosshim sysroot create: debian:bookworm arm64, " "list"
expect_contains "$OUT" "with libsqlite3-dev zlib1g-dev" "list"
ok "$CROSSHIM" sysroot list --target "$TRIPLE"
expect_eq "$(head -n 1 <<<"$OUT")" "$TRIPLE" "list --target"
expect_contains "$OUT" "glibc 2.36" "list --target"
# An explicit setting comes first; the created one is still listed, as not used.
run env "$SYSROOT_VAR=$CROSS_ROOT" "$CROSSHIM" sysroot list --target "$TRIPLE"
((RC == 0)) || fail "sysroot list exit status $RC"
expect_contains "$OUT" "from: $SYSROOT_VAR" "list with $SYSROOT_VAR"
expect_contains "$OUT" "$DIR  [multiarch, merged /usr]  glibc 2.36"$'\n'"    not used: $SYSROOT_VAR comes first" "list"

echo "== an interrupted run leaves nothing behind"
python3 - "$WORK/port" "$WORK/connected" <<'PY' &
# A mirror that accepts connections and never answers.
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
while True:
    c, _ = s.accept()
    held.append(c)
    with open(sys.argv[2], "a") as f:
        f.write("connected\n")
PY
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -s $WORK/port ]] && break; sleep 0.1; done
port=$(<"$WORK/port")
INT=$WORK/interrupted
XDG_CACHE_HOME=$WORK/cache-interrupted "$CROSSHIM" sysroot create --target "$TRIPLE" \
    --dir "$INT" --mirror "http://127.0.0.1:$port/debian" >int.out 2>int.err &
pid=$!
for _ in $(seq 300); do
    [[ -s $WORK/connected && -n $(leftovers "$WORK" interrupted) ]] && break
    sleep 0.1
done
[[ -s $WORK/connected ]] || fail "apt-get never reached the test's mirror"
[[ -n $(leftovers "$WORK" interrupted) ]] || fail "no temp dir next to $INT while the run is going on"
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
expect_eq "$rc" 130 "exit status of the interrupted run (128 + SIGINT)"
expect_contains "$(<int.err)" "interrupted; $INT is as it was" "stderr"
expect_no_file "$INT"
expect_no_leftovers "$WORK" interrupted
kill "$server" 2>/dev/null || true

echo "== a failed run (network) leaves nothing behind"
FAILED=$WORK/failed
expect_fail_with_code 1 env XDG_CACHE_HOME="$WORK/cache-refused" "$CROSSHIM" sysroot create \
    --target "$TRIPLE" --dir "$FAILED" --mirror http://127.0.0.1:1/debian
expect_contains "$ERR" "apt-get update failed: cannot reach the package mirror (network failure?)" "stderr"
expect_contains "$ERR" "Connection refused" "stderr (apt's own words)"
expect_no_file "$FAILED"
expect_no_leftovers "$WORK" failed

echo "== a package Debian does not have"
expect_fail_with_code 1 "$CROSSHIM" sysroot create --target "$TRIPLE" --dir "$WORK/nopkg" \
    --with libno-such-package-dev
expect_contains "$ERR" "no package 'libno-such-package-dev' in the archive" "stderr"
expect_no_file "$WORK/nopkg"
expect_no_leftovers "$WORK" nopkg

echo "== directories crosshim did not make are never replaced"
mkdir -p mine
echo precious >mine/file
expect_fail_with_code 1 "$CROSSHIM" sysroot create --target "$TRIPLE" --dir mine
expect_contains "$ERR" "$WORK/mine exists and is not a sysroot made by crosshim" "stderr"
expect_eq "$(<mine/file)" precious "the user's file"
expect_fail_with_code 1 "$CROSSHIM" sysroot create --target i686-unknown-linux-gnu --dir "$DIR"
expect_contains "$ERR" "holds crosshim's sysroot for $TRIPLE, not i686-unknown-linux-gnu" "stderr"

echo "== usage errors"
expect_fail_with_code 2 "$CROSSHIM" sysroot create
expect_contains "$ERR" "--target is required" "stderr"
expect_fail_with_code 2 "$CROSSHIM" sysroot create --target "$TRIPLE" --distro debian:sid
expect_contains "$ERR" "unsupported --distro 'debian:sid'; supported: debian:bookworm" "stderr"
expect_fail_with_code 2 "$CROSSHIM" sysroot create --target "$TRIPLE" --distro ubuntu:jammy
expect_fail_with_code 2 "$CROSSHIM" sysroot create --target aarch64-linux-gnux
expect_contains "$ERR" "unknown target 'aarch64-linux-gnux'" "stderr"
expect_fail_with_code 2 "$CROSSHIM" sysroot create --target "$TRIPLE" --with
expect_fail_with_code 2 "$CROSSHIM" sysroot create --target "$TRIPLE" --with 'bad name'
expect_fail_with_code 2 "$CROSSHIM" sysroot create --target "$TRIPLE" --frobnicate
expect_fail_with_code 2 "$CROSSHIM" sysroot list --frobnicate
expect_fail_with_code 1 "$CROSSHIM" sysroot create --target x86_64-pc-windows-gnu
expect_contains "$ERR" "needs no sysroot of its own" "stderr"
expect_contains "$ERR" "mingw-w64" "stderr"
expect_fail_with_code 1 "$CROSSHIM" sysroot create --target aarch64-apple-darwin
expect_contains "$ERR" "Debian has no architecture for aarch64-apple-darwin" "stderr"
expect_fail_with_code 1 env PATH=/nonexistent "$CROSSHIM" sysroot create --target "$TRIPLE" --dir "$WORK/nopath"
expect_contains "$ERR" "apt-get is not in PATH; sysroot create runs it" "stderr"
expect_no_file "$WORK/nopath"
ok "$CROSSHIM" sysroot create --help
expect_contains "$OUT" "usage: crosshim sysroot create --target T" "help"
ok "$CROSSHIM" sysroot list --help
expect_contains "$OUT" "usage: crosshim sysroot list [--target T]" "help"
ok "$CROSSHIM" --help
expect_contains "$OUT" "sysroot create --target T" "crosshim --help"

pass
