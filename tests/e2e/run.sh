#!/usr/bin/env bash
# run: `crosshim run` and the `<triple>-run` names, the runner cargo, CMake and
# Meson call. Programs built through the shims for aarch64, armv7 and i686
# (Debian's cross packages) run under qemu-user with the sysroot as prefix —
# i686 without help from the build machine's ld.so.cache — and for the
# build machine's own target and x86_64 musl natively. Arguments arrive
# exactly, the exit status and a death by signal pass through, a missing
# emulator or program is exit 127 with the package to install, and
# CROSSHIM_DRY_RUN shows the command. A program named without a slash is the
# current directory's, as for qemu-user.
source "$(dirname "$0")/common.sh"

need_stage
cat >args.c <<'C'
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
    for (int i = 1; i < argc; ++i)
        printf("[%s]", argv[i]);
    printf(" %d-bit\n", (int)(sizeof(void *) * 8));
    if (argc > 1 && strcmp(argv[1], "exit") == 0)
        return atoi(argv[2]);
    if (argc > 1 && strcmp(argv[1], "kill") == 0)
        raise(SIGTERM);
    return 0;
}
C

for arch in aarch64 armv7 i686; do
    arch_info "$arch"
    need_cross_packages
    echo "== $TRIPLE under $QEMU"
    ok "$SHIMS/$TRIPLE-cc" args.c -o "args-$arch"
    bits=$([[ $arch == aarch64 ]] && echo 64 || echo 32)
    ok "$SHIMS/$TRIPLE-run" "./args-$arch" "a b" '' 'q"uote'
    expect_eq "$OUT" "[a b][][q\"uote] $bits-bit" "output through $TRIPLE-run"
    ok "$CROSSHIM" run --target "$TRIPLE" -- "./args-$arch" x
    expect_eq "$OUT" "[x] $bits-bit" "output through crosshim run"
    ok "$CROSSHIM" run --target="$TRIPLE" "$WORK/args-$arch"
    expect_eq "$OUT" " $bits-bit" "output with an absolute path and no --"
    expect_fail_with_code 42 "$SHIMS/$TRIPLE-run" "./args-$arch" exit 42
    expect_fail_with_code 143 "$SHIMS/$TRIPLE-run" "./args-$arch" kill
    CROSSHIM_DRY_RUN=1 ok "$SHIMS/$TRIPLE-run" "./args-$arch" x
    expect_contains "$OUT" "$QEMU -L $CROSS_ROOT" "dry run"
done
# The i686 guest must not see the build machine's ld.so.cache.
expect_contains "$OUT" "-E LD_LIBRARY_PATH=/lib" "dry run for i686"
# A name without a slash: qemu-user runs the file in the current directory
# (what CMake projects' add_test(name ${CMAKE_CROSSCOMPILING_EMULATOR} prog)
# relies on); the runner too.
arch_info aarch64
ok "$QEMU" -L "$CROSS_ROOT" "args-aarch64" bare
expect_eq "$OUT" "[bare] 64-bit" "qemu-user with a bare name"
ok "$SHIMS/$TRIPLE-run" "args-aarch64" bare
expect_eq "$OUT" "[bare] 64-bit" "$TRIPLE-run with a bare name"

echo "== natively: the build machine's target and x86_64 musl"
ok "$SHIMS/x86_64-unknown-linux-gnu-cc" args.c -o args-host
ok "$SHIMS/x86_64-unknown-linux-gnu-run" ./args-host y
expect_eq "$OUT" "[y] 64-bit" "native output"
CROSSHIM_DRY_RUN=1 ok "$SHIMS/x86_64-unknown-linux-gnu-run" ./args-host y
expect_eq "$OUT" "./args-host y" "native command"
expect_fail_with_code 3 "$CROSSHIM" run --target x86_64-unknown-linux-gnu ./args-host exit 3
need_path /usr/lib/x86_64-linux-musl/libc.so "apt-get install musl-dev"
ok "$SHIMS/x86_64-unknown-linux-musl-cc" args.c -o args-musl
ok "$SHIMS/x86_64-unknown-linux-musl-run" ./args-musl z
expect_eq "$OUT" "[z] 64-bit" "musl output"
CROSSHIM_DRY_RUN=1 ok "$SHIMS/x86_64-unknown-linux-musl-run" ./args-musl
expect_eq "$OUT" "./args-musl" "musl runs without qemu"

echo "== errors"
arch_info aarch64
expect_fail_with_code 127 env PATH="$WORK/no-bin" "$SHIMS/$TRIPLE-run" ./args-aarch64
expect_contains "$ERR" "qemu-aarch64 is needed to run $TRIPLE programs and is not on PATH (Debian: apt-get install qemu-user)" "stderr"
expect_fail_with_code 127 "$SHIMS/$TRIPLE-run" ./no-such-program
expect_contains "$ERR" "./no-such-program: no such file" "stderr"
expect_fail_with_code 2 "$SHIMS/$TRIPLE-run"
expect_contains "$ERR" "nothing to run" "stderr"
expect_fail_with_code 2 "$CROSSHIM" run ./args-aarch64
expect_contains "$ERR" "run needs --target" "stderr"
expect_fail_with_code 2 "$CROSSHIM" run --target "$TRIPLE"
expect_contains "$ERR" "run needs the program to run" "stderr"
expect_fail_with_code 2 "$CROSSHIM" run --target no-such-target ./args-aarch64
expect_fail_with_code 2 "$CROSSHIM" run --bogus --target "$TRIPLE" ./args-aarch64
expect_contains "$ERR" "unknown option '--bogus'" "stderr"
CROSSHIM_SYSROOT_AARCH64_UNKNOWN_LINUX_GNU=$WORK/missing expect_fail_with_code 1 "$SHIMS/$TRIPLE-run" ./args-aarch64
expect_contains "$ERR" "$WORK/missing" "stderr names the missing sysroot"
ok "$CROSSHIM" run --help
expect_contains "$OUT" "usage: crosshim run --target T [--sysroot DIR] [--] PROGRAM [ARGS...]" "help"
pass
