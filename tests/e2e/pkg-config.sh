#!/usr/bin/env bash
# pkg-config: the <triple>-pkg-config shim runs the system pkg-config on the
# target's sysroot only. Against the debsysroot-arm64-sqlite fixture (a real
# libsqlite3-dev:arm64 unpacked from Debian's .debs): sqlite3's flags come
# back prefixed with the sysroot, --modversion is the sysroot's, a package only
# the build machine has (zlib, from zlib1g-dev:amd64) is not found even with
# PKG_CONFIG_PATH pointing at the host's .pc files, exit statuses pass through,
# and `crosshim which` shows the variables. Then Debian's cross packages
# (/usr/aarch64-linux-gnu: no .pc files, no sysroot prefix), the host target
# (pkg-config as it is), the bare name and a missing pkg-config.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cmd pkg-config "apt-get install pkgconf"
SYSROOT=$FIXTURES/sysroot-arm64-sqlite
[[ -f $SYSROOT/.crosshim-fixture-stamp ]] ||
    fail "fixture sysroot $SYSROOT is missing (the debsysroot-arm64-sqlite fixture makes it)"
SQLITE_PC=$SYSROOT/usr/lib/$MULTIARCH/pkgconfig/sqlite3.pc
expect_file "$SQLITE_PC"
# zlib: on the build machine (zlib1g-dev is a build dependency), not in the sysroot.
HOST_PC_DIR=/usr/lib/x86_64-linux-gnu/pkgconfig
need_path "$HOST_PC_DIR/zlib.pc" "apt-get install zlib1g-dev"
[[ ! -e $SYSROOT/usr/lib/$MULTIARCH/pkgconfig/zlib.pc ]] || fail "the fixture sysroot has zlib.pc"

PC=$SHIMS/$TRIPLE-pkg-config
GNU_PC=$SHIMS/$GNU-pkg-config
for n in "$PC" "$GNU_PC"; do
    [[ -L $n ]] || fail "$n is not installed by install-links"
done
export "$SYSROOT_VAR=$SYSROOT"
sqlite_version=$(sed -n 's/^Version: *//p' "$SQLITE_PC")
[[ -n $sqlite_version ]] || fail "no Version in $SQLITE_PC"

echo "== the sysroot's sqlite3"
ok "$PC" --modversion sqlite3
expect_eq "$OUT" "$sqlite_version" "--modversion sqlite3"
ok "$PC" --cflags --libs sqlite3
flags=$OUT
expect_contains "$flags" "-L$SYSROOT/usr/lib/$MULTIARCH" "--libs sqlite3"
expect_contains "$flags" "-lsqlite3" "--libs sqlite3"
expect_paths_under "sqlite3 flags" "$(tr ' ' '\n' <<<"$flags" | sed -n 's/^-[IL]//p')" "$SYSROOT"
ok "$PC" --variable=libdir sqlite3
expect_eq "$OUT" "$SYSROOT/usr/lib/$MULTIARCH" "--variable=libdir sqlite3"
# The GNU spelling autoconf looks for (--host=aarch64-linux-gnu) is the same shim.
ok "$GNU_PC" --cflags --libs sqlite3
expect_eq "$OUT" "$flags" "flags from $GNU-pkg-config"
# The user's own PKG_CONFIG_LIBDIR and PKG_CONFIG_SYSROOT_DIR are replaced.
ok env PKG_CONFIG_LIBDIR=$HOST_PC_DIR PKG_CONFIG_SYSROOT_DIR=/nonexistent "$PC" --cflags --libs sqlite3
expect_eq "$OUT" "$flags" "flags with the user's PKG_CONFIG_LIBDIR and PKG_CONFIG_SYSROOT_DIR set"

echo "== exit statuses pass through"
ok "$PC" --atleast-version=3 sqlite3
expect_fail_with_code 1 "$PC" --atleast-version=999 sqlite3
expect_fail_with_code 1 "$PC" --libs no-such-package-anywhere
expect_contains "$OUT$ERR" "no-such-package-anywhere" "pkg-config's message"

echo "== no host .pc files"
# The control: the host's own pkg-config finds zlib.
ok pkg-config --exists zlib
expect_fail_with_code 1 "$PC" --exists zlib
expect_fail_with_code 1 "$PC" --libs zlib
expect_contains "$OUT$ERR" "zlib" "pkg-config's message for zlib"
expect_fail_with_code 1 env PKG_CONFIG_PATH=$HOST_PC_DIR "$PC" --exists zlib
expect_fail_with_code 1 env PKG_CONFIG_PATH=$HOST_PC_DIR "$PC" --modversion zlib
ok env PKG_CONFIG_PATH=$HOST_PC_DIR "$PC" --modversion sqlite3
expect_eq "$OUT" "$sqlite_version" "--modversion sqlite3 with PKG_CONFIG_PATH set"

echo "== crosshim which, dry run"
real_pc=$(command -v pkg-config)
ok "$CROSSHIM" which "$TRIPLE-pkg-config"
expect_contains "$OUT" "runs:    $real_pc" "which"
expect_contains "$OUT" "sysroot: $SYSROOT [multiarch, merged /usr]" "which"
expect_contains "$OUT" "PKG_CONFIG_LIBDIR=$SYSROOT/usr/lib/$MULTIARCH/pkgconfig:$SYSROOT/usr/lib/pkgconfig:$SYSROOT/usr/share/pkgconfig" "which"
expect_contains "$OUT" "PKG_CONFIG_SYSROOT_DIR=$SYSROOT" "which"
expect_contains "$OUT" "unsets:  PKG_CONFIG_PATH" "which"
ok env CROSSHIM_DRY_RUN=1 "$PC" --libs sqlite3
expect_contains "$OUT" "env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR=$SYSROOT/usr/lib/$MULTIARCH/pkgconfig:" "dry run"
expect_contains "$OUT" "PKG_CONFIG_SYSROOT_DIR=$SYSROOT $real_pc --libs sqlite3" "dry run"

echo "== Debian's cross packages: no .pc files of the target, none of the host"
if [[ -e $CROSS_ROOT/lib/libc.so.6 ]]; then
    unset "$SYSROOT_VAR"
    ok "$CROSSHIM" which "$TRIPLE-pkg-config"
    expect_contains "$OUT" "sysroot: $CROSS_ROOT [debian-cross]" "which (cross packages)"
    expect_contains "$OUT" "PKG_CONFIG_LIBDIR=$CROSS_ROOT/lib/pkgconfig:/usr/lib/$MULTIARCH/pkgconfig:/usr/share/pkgconfig" "which (cross packages)"
    expect_contains "$OUT" "unsets:  PKG_CONFIG_SYSROOT_DIR" "which (cross packages)"
    expect_fail_with_code 1 "$PC" --exists zlib
    expect_fail_with_code 1 env PKG_CONFIG_PATH=$HOST_PC_DIR "$PC" --exists zlib
    export "$SYSROOT_VAR=$SYSROOT"
else
    echo "  (no $CROSS_ROOT: Debian's cross packages are not installed; part skipped)"
fi

echo "== the host target: pkg-config as it is"
HOST_PC=$SHIMS/x86_64-unknown-linux-gnu-pkg-config
ok "$HOST_PC" --modversion zlib
expect_eq "$OUT" "$(pkg-config --modversion zlib)" "host --modversion zlib"
mkdir -p own-pc
printf 'Name: mine\nDescription: mine\nVersion: 4.5.6\n' >own-pc/mine.pc
ok env PKG_CONFIG_PATH="$WORK/own-pc" "$HOST_PC" --modversion mine
expect_eq "$OUT" "4.5.6" "the host target keeps PKG_CONFIG_PATH"
ok "$CROSSHIM" which x86_64-unknown-linux-gnu-pkg-config
expect_contains "$OUT" "env:     unchanged" "which (host)"

echo "== errors"
mkdir -p bin empty
ln -s "$CROSSHIM" bin/pkg-config
expect_fail_with_code 2 bin/pkg-config --libs sqlite3
expect_contains "$ERR" "only with a target in front: <target>-pkg-config" "the bare name"
# No pkg-config on PATH: a clear error naming the package, status 127.
expect_fail_with_code 127 env PATH="$WORK/empty" "$PC" --libs sqlite3
expect_contains "$ERR" "apt-get install pkgconf" "no pkg-config"
# A PATH whose only pkg-config is crosshim itself.
expect_fail_with_code 127 env PATH="$WORK/bin" "$PC" --libs sqlite3

pass
