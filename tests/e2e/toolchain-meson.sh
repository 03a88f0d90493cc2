#!/usr/bin/env bash
# toolchain-meson ARCH (aarch64, armv7, i686): a Meson project (C library,
# C++ program, a thread, libm, a compiler run check and a test()) set up with
# the cross file `crosshim toolchain meson` writes, compiled, and tested with
# `meson test`, which runs the program under qemu-user through exe_wrapper
# (the runner). aarch64 and i686 use Debian's cross packages; armv7 the
# debsysroot-armhf fixture (CROSSHIM_SYSROOT_<TRIPLE>, sys_root). With
# aarch64 it also checks the command line: --help, usage errors (exit 2), a
# missing name farm (exit 1) and the atomic -o FILE.
source "$(dirname "$0")/common.sh"

arch_info "${1:?usage: toolchain-meson.sh ARCH}"
need_stage
need_cmd meson "apt-get install meson"
need_cmd ninja "apt-get install ninja-build"
need_cmd "$QEMU" "apt-get install qemu-user"
if [[ $1 == armv7 ]]; then
    need_fixture_sysroot
    ROOT=$FIXTURE_SYSROOT
    export "$SYSROOT_VAR=$ROOT"
else
    need_cross_packages
    ROOT=$CROSS_ROOT
fi
if [[ $CLASS == ELF64 ]]; then bits=64; else bits=32; fi

mkdir -p proj
cat >proj/meson.build <<'EOF'
project('tcdemo', 'c', 'cpp', default_options: ['cpp_std=c++17'])
cc = meson.get_compiler('c')
m = cc.find_library('m')
threads = dependency('threads')
# A compiler run check: runs through exe_wrapper at configure time.
r = cc.run('int main(void) { return sizeof(void *) == 8 ? 0 : 1; }', name: 'pointers are 64-bit')
message('TARGET_IS_64BIT=' + (r.returncode() == 0).to_string())
geom = shared_library('geom', 'geom.c', dependencies: m)
app = executable('app', 'app.cpp', link_with: geom, dependencies: threads)
test('app', app, args: ['3', '4'])
EOF
write_geom_sources proj

echo "== the cross file for $TRIPLE"
cf=$WORK/$TRIPLE.ini
ok "$CROSSHIM" toolchain meson --target "$TRIPLE" -o "$cf"
cat "$cf"
expect_contains "$(<"$cf")" "c = '$SHIMS/$TRIPLE-cc'" "cross file"
expect_contains "$(<"$cf")" "exe_wrapper = '$SHIMS/$TRIPLE-run'" "cross file"
expect_contains "$(<"$cf")" "needs_exe_wrapper = true" "cross file"
if [[ $1 == armv7 ]]; then
    expect_contains "$(<"$cf")" "sys_root = '$ROOT'" "cross file"
else
    expect_not_contains "$(<"$cf")" "sys_root" "cross file"
fi

echo "== setup, compile"
ok_noisy meson setup --cross-file "$cf" build proj
family=$(case $1 in aarch64) echo aarch64 ;; armv7) echo arm ;; i686) echo x86 ;; esac)
expect_contains "$OUT" "Host machine cpu family: $family" "meson setup"
expect_match "$OUT" "C compiler for the host machine: $SHIMS/$TRIPLE-cc \(clang " "meson setup"
expect_match "$OUT" "C\+\+ linker for the host machine: $SHIMS/$TRIPLE-c\+\+ ld.lld " "meson setup"
if ((bits == 64)); then
    expect_contains "$OUT" "TARGET_IS_64BIT=true" "meson setup (cc.run)"
else
    expect_contains "$OUT" "TARGET_IS_64BIT=false" "meson setup (cc.run)"
fi
ok_noisy meson compile -C build
# No finding about the build: libgeom.so beside the program is found through
# RUNPATH $ORIGIN.
expect_eq "$(grep '^crosshim: ' <<<"$OUT$ERR" || true)" "" "crosshim findings in the build's output"
expect_machine build/app "$MACHINE" "$CLASS"
expect_interp build/app "$LOADER"
expect_machine build/libgeom.so "$MACHINE" "$CLASS"
expect_needed build/libgeom.so libm.so.6
expect_needed build/app libgeom.so
expect_not_contains "$(<build/build.ninja)" "x86_64-linux-gnu" "build.ninja"

echo "== meson test runs the program under qemu through exe_wrapper"
ok_noisy meson test -C build -v
expect_contains "$OUT" "hypot(3, 4) = 5 from a thread, $bits-bit" "meson test -v"
expect_match "$OUT" "1/1 app +OK" "meson test"
expect_contains "$(<build/meson-logs/testlog.txt)" "$SHIMS/$TRIPLE-run" "testlog.txt (the wrapper)"

if [[ $1 != aarch64 ]]; then pass; fi

echo "== the command line"
ok "$CROSSHIM" toolchain --help
expect_contains "$OUT" "usage: crosshim toolchain cmake|meson --target T [-o FILE]" "help"
ok "$CROSSHIM" toolchain meson --help
expect_contains "$OUT" "usage: crosshim toolchain cmake|meson --target T [-o FILE]" "help"
expect_contains "$OUT" "exe_wrapper" "help"
ok "$CROSSHIM" --help
expect_contains "$OUT" "toolchain cmake|meson --target T [-o FILE]" "crosshim --help"
expect_fail_with_code 2 "$CROSSHIM" toolchain ninja --target "$TRIPLE"
expect_contains "$ERR" "unknown file kind 'ninja' (cmake or meson)" "stderr"
expect_fail_with_code 2 "$CROSSHIM" toolchain cmake
expect_contains "$ERR" "toolchain needs --target" "stderr"
expect_fail_with_code 2 "$CROSSHIM" toolchain --target "$TRIPLE"
expect_contains "$ERR" "toolchain needs the kind of file: cmake or meson" "stderr"
expect_fail_with_code 2 "$CROSSHIM" toolchain cmake --target aarch64-unknown-linux-gnx
expect_contains "$ERR" "unknown target 'aarch64-unknown-linux-gnx'; did you mean aarch64-unknown-linux-gnu" "stderr"
expect_fail_with_code 2 "$CROSSHIM" toolchain cmake meson --target "$TRIPLE"
expect_fail_with_code 2 "$CROSSHIM" toolchain cmake --target "$TRIPLE" --bogus
expect_contains "$ERR" "unknown option '--bogus'" "stderr"
expect_fail_with_code 2 "$CROSSHIM" toolchain cmake --target "$TRIPLE" -o
expect_contains "$ERR" "-o needs a file name" "stderr"
# No sysroot: the same error as the shims (exit 1), and no file.
expect_fail_with_code 1 env "$SYSROOT_VAR=$WORK/missing" "$CROSSHIM" toolchain cmake --target "$TRIPLE" -o never.cmake
expect_contains "$ERR" "$WORK/missing" "stderr"
expect_no_file never.cmake

echo "== a crosshim without its name farm"
mkdir -p bare/bin
cp "$CROSSHIM" bare/bin/crosshim
expect_fail_with_code 1 bare/bin/crosshim toolchain meson --target "$TRIPLE"
expect_contains "$ERR" "$WORK/bare/lib/crosshim/bin/$TRIPLE-cc is not installed" "stderr"
expect_contains "$ERR" "crosshim install-links" "stderr"
ok bare/bin/crosshim install-links --target "$TRIPLE" --no-masquerade
ok bare/bin/crosshim toolchain meson --target "$TRIPLE"
expect_contains "$OUT" "c = '$WORK/bare/lib/crosshim/bin/$TRIPLE-cc'" "cross file of the copy"

echo "== -o FILE replaces the file in one step"
# A reader holding the old file keeps the old text: the new one is renamed in.
printf 'old\n' >out.ini
exec 3<out.ini
ok "$CROSSHIM" toolchain meson --target "$TRIPLE" -o out.ini
expect_eq "$(cat <&3)" "old" "the old file, still open"
exec 3<&-
expect_eq "$(<out.ini)" "$(<"$cf")" "the new file"
expect_eq "$(stat -c %a out.ini)" "$(touch perm-probe; stat -c %a perm-probe)" "mode of the new file"
expect_eq "$(find . -maxdepth 1 -name '.out.ini.crosshim-*' | wc -l)" 0 "temporary files left"
# A directory that cannot be written: an error, the old file untouched.
mkdir ro
printf 'keep\n' >ro/file.ini
chmod a-w ro
if [[ ! -w ro ]]; then
    expect_fail_with_code 1 "$CROSSHIM" toolchain meson --target "$TRIPLE" -o ro/file.ini
    expect_contains "$ERR" "cannot write ro/file.ini" "stderr"
    expect_eq "$(<ro/file.ini)" "keep" "the old file"
else
    echo "  (running as a user who can write a read-only directory: skipped that check)"
fi
chmod u+w ro
expect_fail_with_code 1 "$CROSSHIM" toolchain meson --target "$TRIPLE" -o no-such-dir/file.ini
expect_contains "$ERR" "cannot write no-such-dir/file.ini" "stderr"

pass
