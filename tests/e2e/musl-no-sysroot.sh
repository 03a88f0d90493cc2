#!/usr/bin/env bash
# musl-no-sysroot: a musl target without a musl sysroot is an error that says
# so (exit 1, mentions musl), never a silent build against glibc. Checked for
# compile (-c) and link, through the Rust name and the GNU name.
source "$(dirname "$0")/common.sh"

need_stage
T=aarch64-unknown-linux-musl
if [[ -e /usr/lib/aarch64-linux-musl ]]; then
    skip "/usr/lib/aarch64-linux-musl exists on this machine: there is no 'missing musl sysroot' to test"
fi
write_hello_c hello.c

for name in "$T-cc" aarch64-linux-musl-gcc "$T-c++"; do
    [[ -L $SHIMS/$name ]] || fail "the stage has no $name"
    expect_fail_with_code 1 timeout 20 "$SHIMS/$name" -c hello.c -o "hello-$name.o"
    expect_contains "$ERR" "musl" "stderr of $name -c"
    expect_contains "$ERR" "crosshim: error:" "stderr of $name -c"
    expect_no_file "hello-$name.o"
    expect_fail_with_code 1 timeout 20 "$SHIMS/$name" hello.c -o "hello-$name"
    expect_contains "$ERR" "musl" "stderr of $name (link)"
    expect_no_file "hello-$name"
done
# Not even with a glibc sysroot for the same architecture at hand.
expect_fail_with_code 1 env CROSSHIM_SYSROOT_AARCH64_UNKNOWN_LINUX_GNU=/usr/aarch64-linux-gnu \
    "$SHIMS/$T-cc" -c hello.c -o hello2.o
expect_contains "$ERR" "musl"
expect_no_file hello2.o

# crosshim targets shows it as missing.
ok "$CROSSHIM" targets
expect_match "$OUT" "^$T +✓ +✓ +✗ " "crosshim targets row for $T"

pass
