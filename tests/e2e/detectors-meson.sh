#!/usr/bin/env bash
# detectors-meson: Debian's Meson 1.0 with the cross file `crosshim toolchain
# meson` writes, for an aarch64 sysroot with libsqlite3-dev (the
# debsysroot-arm64-sqlite fixture): dependency('sqlite3') through the
# pkg-config shim (Meson 1.0 reads the `pkgconfig` key of [binaries]; 1.3 and
# later `pkg-config`), cc.run() through the exe wrapper, meson test under
# qemu-user, and a test script that runs the program through the wrapper it
# reads with meson.get_external_property('exe_wrapper') (serd's and its sibling
# projects' Python test drivers do this).
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cmd meson "apt-get install meson"
need_cmd ninja "apt-get install ninja-build"
need_cmd "$QEMU" "apt-get install qemu-user"
SYSROOT=$FIXTURES/sysroot-arm64-sqlite
[[ -d $SYSROOT/usr/lib/$MULTIARCH/pkgconfig ]] ||
    fail "fixture sysroot $SYSROOT is missing (the debsysroot-arm64-sqlite fixture makes it)"
export "$SYSROOT_VAR=$SYSROOT"
version=$(sed -n 's/^Version: *//p' "$SYSROOT/usr/lib/$MULTIARCH/pkgconfig/sqlite3.pc")

mkdir -p proj
cat >proj/meson.build <<'EOF2'
project('detect', 'c')
cc = meson.get_compiler('c')
sqlite = dependency('sqlite3')
message('SQLITE_VERSION=' + sqlite.version())
r = cc.run('#include <stdio.h>\nint main(void) { printf("%d", (int)sizeof(long)); return 0; }',
           name: 'sizeof(long) on the target')
message('RUN=' + r.returncode().to_string() + ':' + r.stdout())
app = executable('app', 'app.c', dependencies: sqlite)
test('app', app)
wrapper = meson.get_external_property('exe_wrapper', '')
message('PROPERTY_WRAPPER=' + wrapper)
test('app-by-script', find_program('sh'), args: ['-c', wrapper + ' "$1"', 'sh', app])
EOF2
cat >proj/app.c <<'EOF2'
#include <sqlite3.h>
#include <stdio.h>
int main(void) {
    sqlite3 *db;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
    printf("sqlite %s\n", sqlite3_libversion());
    return sqlite3_close(db);
}
EOF2

ok "$CROSSHIM" toolchain meson --target "$TRIPLE" -o cross.ini
expect_contains "$(<cross.ini)" "pkgconfig = '$SHIMS/$TRIPLE-pkg-config'" "cross file"
ok_noisy meson setup --cross-file cross.ini build proj
expect_contains "$OUT" "Run-time dependency sqlite3 found: YES $version" "meson setup"
expect_contains "$OUT" "SQLITE_VERSION=$version" "meson setup"
expect_contains "$OUT" "RUN=0:8" "meson setup (cc.run through exe_wrapper)"
expect_contains "$OUT" "PROPERTY_WRAPPER=$SHIMS/$TRIPLE-run" "meson setup ([properties] exe_wrapper)"
ok_noisy meson compile -C build
expect_machine build/app "$MACHINE" "$CLASS"
expect_needed build/app libsqlite3.so.0
ok_noisy meson test -C build -v
expect_contains "$OUT" "sqlite $version" "meson test"
expect_match "$OUT" "app-by-script +OK" "meson test (the script through the property's wrapper)"
pass
