#!/usr/bin/env bash
# rust-debian ARCH (aarch64, armv7, i686): Debian's rustc 1.63 (/usr/bin/rustc,
# called directly, never rustup's) with the target's std unpacked from
# libstd-rust-dev:<arch> (the debsysroot-<arch> fixture) and
# -C linker=<stage>/lib/crosshim/bin/<triple>-cc, linking against Debian's
# cross packages (no sysroot configured); then Debian's cargo building a crate
# whose build.rs compiles C through the cc crate (librust-cc-dev, from
# /usr/share/cargo/registry as an offline directory source) with
# CC_<triple> = the shim. Both run under qemu (the crate also through cargo run
# with runner = <triple>-run); cargo must print no warnings
# (cc-rs reports a probe that printed anything on stderr as one).
source "$(dirname "$0")/common.sh"

arch_info "${1:?usage: rust-debian.sh ARCH}"
need_stage
need_cross_packages
need_path /usr/bin/rustc "apt-get install rustc"
need_path /usr/bin/cargo "apt-get install cargo"
need_fixture_rust_std
need_debian_crates librust-cc-dev cc

shim=$SHIMS/$TRIPLE-cc
export RUSTC=/usr/bin/rustc
ok_noisy "$RUSTC" -vV
echo "Debian rustc: $(head -1 <<<"$OUT")"
if [[ $CLASS == ELF64 ]]; then bits=64; else bits=32; fi

echo "== rustc --target $TRIPLE -C linker=${shim##*/}"
cat >hello.rs <<'RS'
fn main() {
    let n: usize = std::env::args().count();
    println!("hello from Rust: {} {}-bit, {} args", std::env::consts::ARCH, usize::BITS, n - 1);
}
RS
ok env CROSSHIM_LOG="$WORK/rustc-link.log" "$RUSTC" --edition 2021 --target "$TRIPLE" \
    --sysroot "$FIXTURE_RUST_STD" -C linker="$shim" hello.rs -o hello-rs
expect_machine hello-rs "$MACHINE" "$CLASS"
expect_interp hello-rs "$LOADER"
log=$(<"$WORK/rustc-link.log")
expect_eq "$(grep -c '\] in: ' <<<"$log")" 1 "number of links through the shim"
expect_contains "$log" "] out: " "rustc-link.log"
run_on_target "$CROSS_ROOT" ./hello-rs a b
expect_eq "$OUT" "hello from Rust: $RUST_ARCH $bits-bit, 2 args" "output of hello-rs"

echo "== the same, optimised and with the GNU name as the linker"
ok "$RUSTC" --edition 2021 --target "$TRIPLE" --sysroot "$FIXTURE_RUST_STD" \
    -C linker="$SHIMS/$GNU-gcc" -C opt-level=2 hello.rs -o hello-rs-gnu
run_on_target "$CROSS_ROOT" ./hello-rs-gnu
expect_eq "$OUT" "hello from Rust: $RUST_ARCH $bits-bit, 0 args" "output of hello-rs-gnu"

echo "== cargo: build.rs compiles C with the cc crate through $TRIPLE-cc"
write_cc_crate e2e-rust-c twice.c
cat >crate/src/twice.c <<'C'
#include <math.h>
#include <stdint.h>

const char *e2e_c_arch(void) {
#if defined(__aarch64__)
    return "aarch64";
#elif defined(__arm__) && defined(__ARM_PCS_VFP)
    return "arm";
#elif defined(__i386__)
    return "x86";
#else
    return "unexpected";
#endif
}

uint64_t e2e_twice(uint64_t v) { return v * 2; }
C
cat >crate/src/main.rs <<'RS'
use std::ffi::CStr;
use std::os::raw::c_char;
extern "C" {
    fn e2e_c_arch() -> *const c_char;
    fn e2e_twice(v: u64) -> u64;
}
fn main() {
    let arch = unsafe { CStr::from_ptr(e2e_c_arch()) }.to_str().unwrap();
    println!("Rust {} + C {}: twice(21) = {}", std::env::consts::ARCH, arch, unsafe { e2e_twice(21) });
}
RS
tu=${TRIPLE//-/_}
cat >crate/.cargo/config.toml <<TOML
$(offline_registry_toml)

[target.$TRIPLE]
linker = $(toml_str "$shim")
runner = $(toml_str "$SHIMS/$TRIPLE-run")
rustflags = ["--sysroot", $(toml_str "$FIXTURE_RUST_STD")]

[env]
CC_$tu = $(toml_str "$shim")
TOML
# Not in a ( subshell ): run's RC, OUT and ERR must reach this shell.
pushd crate >/dev/null
run env CROSSHIM_LOG="$WORK/cargo-shim.log" /usr/bin/cargo build --target "$TRIPLE" -vv
popd >/dev/null
((RC == 0)) || fail "cargo build failed with exit status $RC"
cargo_output=$OUT$'\n'$ERR
if grep -n 'warning' <<<"$cargo_output"; then
    fail "cargo printed warnings (above); cc-rs prints one when a compiler probe writes to stderr"
fi
log=$(<"$WORK/cargo-shim.log")
expect_match "$log" "\] in: $shim .*src/twice\.c" "cargo-shim.log: the cc crate compiled twice.c through the shim"
expect_match "$log" "\] in: $shim .*-nodefaultlibs" "cargo-shim.log: rustc linked through the shim"
prog=crate/target/$TRIPLE/debug/e2e-rust-c
expect_machine "$prog" "$MACHINE" "$CLASS"
expect_interp "$prog" "$LOADER"
run_on_target "$CROSS_ROOT" "$prog"
expect_eq "$OUT" "Rust $RUST_ARCH + C $RUST_ARCH: twice(21) = 42" "output of the cargo build"

echo "== cargo run through the runner ($TRIPLE-run)"
pushd crate >/dev/null
run /usr/bin/cargo run -q --target "$TRIPLE"
popd >/dev/null
((RC == 0)) || fail "cargo run failed with exit status $RC: $ERR"
expect_eq "$OUT" "Rust $RUST_ARCH + C $RUST_ARCH: twice(21) = 42" "output of cargo run"

pass
