#!/usr/bin/env bash
# rust-host-rustup: rustup's cargo/rustc (~/.cargo/bin, a current stable) with
# `linker = <stage>/lib/crosshim/bin/x86_64-unknown-linux-gnu-cc` in
# .cargo/config.toml: a default (dynamic) build and a +crt-static build, both
# run. CROSSHIM_LOG proves the link went through the shim. rustup's rustc adds
# -B<toolchain>/.../gcc-ld -fuse-ld=lld (its bundled rust-lld): by default
# crosshim keeps it; with `rust-lld = "replace"` in crosshim.toml it links with
# its own ld.lld (--ld-path=) instead. Offline, no dependencies.
source "$(dirname "$0")/common.sh"

need_stage
[[ -x $RUSTUP_CARGO && -x $RUSTUP_RUSTC ]] ||
    skip "rustup's cargo/rustc not found in $REAL_CARGO_HOME/bin (install rustup with a stable toolchain)"
T=x86_64-unknown-linux-gnu
shim=$SHIMS/$T-cc

ok_noisy "$RUSTUP_RUSTC" -vV
expect_contains "$OUT" "host: $T" "rustc -vV"
echo "rustup rustc: $(head -1 <<<"$OUT")"

mkdir -p crate/src crate/.cargo
cat >crate/Cargo.toml <<'TOML'
[package]
name = "e2e-hello"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
TOML
cat >crate/src/main.rs <<'RS'
fn main() {
    let v: Vec<u64> = std::env::args().skip(1).map(|a| a.parse().unwrap()).collect();
    println!("hello from Rust: {} {}, sum = {}", std::env::consts::ARCH, std::env::consts::OS,
             v.iter().sum::<u64>());
}
RS

write_config() { # [RUSTFLAGS-TOML]
    {
        echo "[net]"
        echo "offline = true"
        echo "[target.$T]"
        echo "linker = $(toml_str "$shim")"
        if [[ -n ${1:-} ]]; then echo "rustflags = $1"; fi
    } >crate/.cargo/config.toml
    echo "--- crate/.cargo/config.toml"
    cat crate/.cargo/config.toml
}

# cargo_build TAG: builds into target-TAG with the shim logging to link-TAG.log.
cargo_build() {
    local tag=$1
    (cd crate && run env CROSSHIM_LOG="$WORK/link-$tag.log" CARGO_TARGET_DIR="$WORK/target-$tag" \
        "$RUSTUP_CARGO" build --offline)
    ((RC == 0)) || fail "cargo build ($tag) failed with exit status $RC"
    expect_not_contains "$ERR" "warning" "cargo's output ($tag)"
    expect_file "$WORK/link-$tag.log"
    LOG=$(<"$WORK/link-$tag.log")
    expect_eq "$(grep -c '\] in: ' <<<"$LOG")" 1 "number of 'in:' lines in link-$tag.log"
    expect_eq "$(grep -c '\] out: ' <<<"$LOG")" 1 "number of 'out:' lines in link-$tag.log"
    IN_LINE=$(grep '\] in: ' <<<"$LOG")
    OUT_LINE=$(grep '\] out: ' <<<"$LOG")
    expect_contains "$IN_LINE" "$shim " "the shim's 'in:' line ($tag)"
    expect_contains "$IN_LINE" " -nodefaultlibs" "the shim's 'in:' line ($tag)"
    expect_contains "$IN_LINE" "/gcc-ld" "the shim's 'in:' line ($tag): rustup's rustc passes -B<toolchain>/lib/rustlib/$T/bin/gcc-ld (rustc >= 1.90)"
    BIN=$WORK/target-$tag/debug/e2e-hello
    expect_machine "$BIN" "Advanced Micro Devices X86-64" ELF64
    ok "$BIN" 1 2 3
    expect_eq "$OUT" "hello from Rust: x86_64 linux, sum = 6" "output of the $tag build"
}

echo "== default: dynamic, rust-lld kept"
write_config
cargo_build default
expect_interp "$BIN" /lib64/ld-linux-x86-64.so.2
expect_needed "$BIN" libc.so.6
expect_contains "$OUT_LINE" "/gcc-ld" "the shim's 'out:' line (rust-lld kept)"
expect_contains "$OUT_LINE" "-fuse-ld=lld" "the shim's 'out:' line (rust-lld kept)"
expect_not_contains "$OUT_LINE" "--ld-path=" "the shim's 'out:' line (rust-lld kept)"

echo "== +crt-static"
write_config '["-C", "target-feature=+crt-static"]'
cargo_build static
run file "$BIN"
expect_match "$OUT" "static-pie linked|statically linked" "file of the +crt-static build"
expect_eq "$(elf_interp "$BIN")" "" "program interpreter of the +crt-static build"
expect_eq "$(elf_needed "$BIN")" "" "NEEDED of the +crt-static build"

echo "== rust-lld = \"replace\" in crosshim.toml"
write_config
printf '# written by tests/e2e/rust-host-rustup.sh\nrust-lld = "replace"\n' >"$WORK/crosshim.toml"
cargo_build replace
expect_interp "$BIN" /lib64/ld-linux-x86-64.so.2
expect_contains "$OUT_LINE" "--ld-path=" "the shim's 'out:' line (rust-lld replaced)"
expect_not_contains "$OUT_LINE" "gcc-ld" "the shim's 'out:' line (rust-lld replaced)"

echo "== rust-lld = \"replace\" for the target only, +crt-static"
printf '[target.%s]\nrust-lld = "replace"\n' "$T" >"$WORK/crosshim.toml"
write_config '["-C", "target-feature=+crt-static"]'
cargo_build replace-static
expect_contains "$OUT_LINE" "--ld-path=" "the shim's 'out:' line (rust-lld replaced, static)"
expect_not_contains "$OUT_LINE" "gcc-ld" "the shim's 'out:' line (rust-lld replaced, static)"
run file "$BIN"
expect_match "$OUT" "static-pie linked|statically linked" "file of the replace +crt-static build"

pass
