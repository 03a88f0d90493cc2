#!/usr/bin/env bash
# cargo-sccache: a crate with C (cc-rs) for aarch64-unknown-linux-gnu set up by
# `crosshim init --cache sccache` and built with RUSTC_WRAPPER=sccache, twice
# (cargo clean between): the second build's C and Rust compiles are all hits,
# and the C object is the one the plain shim makes.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cmd sccache "apt-get install sccache"
need_path /usr/bin/rustc "apt-get install rustc"
need_path /usr/bin/cargo "apt-get install cargo"
need_fixture_rust_std
need_debian_crates "librust-cc-dev" cc
export RUSTC=/usr/bin/rustc

export SCCACHE_DIR=$WORK/sccache SCCACHE_NO_DAEMON=1 SCCACHE_IDLE_TIMEOUT=0
export SCCACHE_SERVER_PORT=$((20000 + RANDOM % 20000))
# The server in the foreground (SCCACHE_START_SERVER=1) of a background job,
# stopped by its PID; clients find it on the port, or would start another.
start_sccache_server
stat_line() { # "Cache hits (C/C++)" ...: the count on that line of sccache -s, 0 when absent
    local v
    v=$(sccache --show-stats | sed -n "s/^$1  *\([0-9][0-9]*\)\$/\1/p" | sed 's/^\(.*\)$/\1/')
    echo "${v:-0}"
}

write_cc_crate e2e-sccache mix.c
cat >crate/src/mix.c <<'C'
unsigned e2e_mix(unsigned a, unsigned b) { return (a * 2654435761u) ^ (b + 0x9e3779b9u); }
C
cat >crate/src/main.rs <<'RS'
extern "C" {
    fn e2e_mix(a: u32, b: u32) -> u32;
}
fn main() {
    println!("{}", unsafe { e2e_mix(1, 2) });
}
RS
cat >crate/.cargo/config.toml <<TOML
$(offline_registry_toml)

[target.$TRIPLE]
rustflags = ["--sysroot", $(toml_str "$FIXTURE_RUST_STD")]
TOML
ok "$CROSSHIM" init --target "$TRIPLE" --cache sccache --dir crate
expect_contains "$(<crate/.cargo/config.toml)" 'CROSSHIM_LAUNCHER = "sccache"' "init --cache sccache"

build() {
    pushd crate >/dev/null
    run env RUSTC_WRAPPER=sccache CROSSHIM_LOG="$WORK/shim.log" /usr/bin/cargo build --target "$TRIPLE"
    popd >/dev/null
    ((RC == 0)) || fail "cargo build failed with exit status $RC: $ERR"
}
echo "== first build"
build
c_miss=$(stat_line "Cache misses (C\/C++)") rust_miss=$(stat_line "Cache misses (Rust)")
((c_miss >= 1)) || fail "the first build compiled no C through sccache"
expect_match "$(<"$WORK/shim.log")" "\] out: sccache /usr/bin/clang-14 .*--target=aarch64.*src/mix\.c" "cc-rs's compile ran behind the shim through sccache"
obj=(crate/target/"$TRIPLE"/debug/build/e2e-sccache-*/out/src/mix.o)
((${#obj[@]} == 1)) || fail "no single mix.o: ${obj[*]}"
expect_machine "${obj[0]}" "$MACHINE" "$CLASS"
cp "${obj[0]}" first.o

echo "== second build after cargo clean"
ok_noisy /usr/bin/cargo clean --manifest-path crate/Cargo.toml
c_hit0=$(stat_line "Cache hits (C\/C++)") rust_hit0=$(stat_line "Cache hits (Rust)")
build
expect_eq "$(stat_line "Cache misses (C\/C++)")" "$c_miss" "C misses in the second build"
expect_eq "$(stat_line "Cache misses (Rust)")" "$rust_miss" "Rust misses in the second build"
(($(stat_line "Cache hits (C\/C++)") > c_hit0)) || fail "no C hit in the second build"
(($(stat_line "Cache hits (Rust)") > rust_hit0)) || fail "no Rust hit in the second build"
obj=(crate/target/"$TRIPLE"/debug/build/e2e-sccache-*/out/src/mix.o)
cmp -s first.o "${obj[0]}" || fail "the cached object differs from the first build's"
expect_machine crate/target/"$TRIPLE"/debug/e2e-sccache "$MACHINE" "$CLASS"

kill -0 "$SCCACHE_PID" || fail "the sccache server exited during the test"
kill "$SCCACHE_PID"
wait "$SCCACHE_PID" 2>/dev/null || true
trap - EXIT
pass
