#!/usr/bin/env bash
# example: the README's example command, examples/run.sh --prefix <stage>
# --work $WORK (C, C++ and a Rust crate that calls C through the cc crate, for
# aarch64-unknown-linux-gnu, each run under qemu-aarch64), must end with
# "3 passed, 0 failed". run.sh fetches Debian's libstd-rust-dev:arm64 into
# WORK/deb-cache; it starts from a copy of the debsysroot-arm64 fixture's apt
# cache, so the test needs no network (the script works offline from a warm
# cache) but still goes through run.sh's own std set-up.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
need_path /usr/bin/rustc "apt-get install rustc"
need_path /usr/bin/cargo "apt-get install cargo"
cache=$FIXTURES/apt/$DEB_ARCH
[[ -d $cache ]] || fail "no apt cache at $cache (the debsysroot-$DEB_ARCH fixture makes it)"
mkdir -p "$WORK/deb-cache"
# The lock file stays behind: the copy gets its own.
cp -a "$cache" "$WORK/deb-cache/"

run bash "$SRC/examples/run.sh" --prefix "$STAGE" --work "$WORK"
echo "--- examples/run.sh output (tail)"
tail -n 30 "$WORK/log/$RUN_N.out"
((RC == 0)) || fail "examples/run.sh exited with status $RC"
expect_contains "$OUT" "examples: 3 passed, 0 failed" "the output of examples/run.sh"
for line in "crosshim example (C): aarch64 64-bit, norm(1,1) = 1.414214" \
    "crosshim example (C++): aarch64 64-bit, built-by-crosshim (3 words), sum = 15, caught \"empty input\"" \
    "crosshim example (Rust): aarch64 64-bit, C via cc crate: sum(1..=10) = 55"; do
    expect_contains "$OUT" "$line" "the output of examples/run.sh"
done
expect_machine "$WORK/$TRIPLE/c/example-c" "$MACHINE" "$CLASS"
expect_machine "$WORK/$TRIPLE/cpp/example-cpp" "$MACHINE" "$CLASS"
expect_machine "$WORK/$TRIPLE/rust/target/$TRIPLE/debug/crosshim-example" "$MACHINE" "$CLASS"
# Nothing was written into the source tree.
[[ ! -e $SRC/examples/rust/target && ! -e $SRC/examples/rust/Cargo.lock ]] ||
    fail "examples/run.sh wrote into the source tree (examples/rust/target or Cargo.lock)"

pass
