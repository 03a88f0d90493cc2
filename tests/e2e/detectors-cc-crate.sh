#!/usr/bin/env bash
# detectors-cc-crate: the cc crate's flag detection (Debian's cc 1.0.73) for
# aarch64-unknown-linux-gnu, differential: the same build.rs asks
# is_flag_supported() for a list of flags with CC_<triple> set to Debian's
# aarch64-linux-gnu-gcc, to the shim by its Rust name (what `crosshim init`
# writes) and to the shim by its GNU name. cc-rs calls a flag supported when
# compiling and linking a small program with it prints nothing on stderr, so a
# word from the shim itself would turn a supported flag into an unsupported
# one. Every answer must be gcc's, except the flags in DIFFERENT (clang is not
# gcc there; docs/compatibility.md, Detectors). Then flag_if_supported() in
# the real build: the supported flag reaches the compile (its macro is seen by
# the C code, checked by `cargo test` under qemu), the unsupported one does not.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cmd "$QEMU" "apt-get install qemu-user"
need_path /usr/bin/rustc "apt-get install rustc"
need_path /usr/bin/cargo "apt-get install cargo"
GCC=/usr/bin/$GNU-gcc
need_cmd "$GCC" "apt-get install gcc-$GNU"
need_fixture_rust_std
need_debian_crates librust-cc-dev cc
export RUSTC=/usr/bin/rustc

# Flags build scripts try, for this and for other targets: each compiler must
# give gcc's answer.
FLAGS=(-mno-foo -fstack-protector-strong -Wall -Wextra -Wunreachable-code -Wno-unused-parameter
    -Werror=implicit-function-declaration -std=c11 -std=gnu99 -fPIC -ffunction-sections
    -fdata-sections -fvisibility=hidden -fno-plt -fno-omit-frame-pointer -g -gdwarf-4
    -D_FORTIFY_SOURCE=2 -pthread -march=armv8-a+crc -mcpu=cortex-a72 -mbranch-protection=standard
    -moutline-atomics -mstrict-align -msse4.2 -mavx2 -mfpu=neon -m32 -fcf-protection
    -static-libgcc -Wl,--as-needed -Wl,-z,relro -Wl,--gc-sections -fuse-ld=bfd -fuse-ld=gold
    -rdynamic -flto -s)
# Where clang answers otherwise than gcc, whatever the shim does.
declare -A DIFFERENT=(
    [-Wlogical-op]="a GCC-only warning: clang warns 'unknown warning option'"
    [-flto=thin]="a clang-only LTO mode: gcc rejects it"
    [-fuse-ld=lld]="gcc looks for <gnu>-ld.lld, which Debian does not ship"
    [-fsanitize=address]="clang's sanitizer runtimes exist only for the build machine"
)
FLAGS+=("${!DIFFERENT[@]}")

write_cc_crate e2e-cc-flags probe.c
cat >crate/src/probe.c <<'C'
int probe_ssp(void) {
#ifdef __SSP_STRONG__
    return 1;
#else
    return 0;
#endif
}
C
cat >crate/build.rs <<'RS'
fn main() {
    println!("cargo:rerun-if-changed=flags.txt");
    println!("cargo:rerun-if-changed=src/probe.c");
    println!("cargo:rerun-if-env-changed=CC_aarch64_unknown_linux_gnu");
    let flags = std::fs::read_to_string("flags.txt").unwrap();
    let build = cc::Build::new();
    let mut report = String::new();
    for flag in flags.lines().filter(|l| !l.is_empty()) {
        let yes = build.is_flag_supported(flag).expect("is_flag_supported");
        report += &format!("{} {}\n", flag, if yes { "supported" } else { "unsupported" });
    }
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out.join("flag-report.txt"), report).unwrap();
    cc::Build::new()
        .file("src/probe.c")
        .flag_if_supported("-fstack-protector-strong")
        .flag_if_supported("-mno-foo")
        .compile("probe");
}
RS
cat >crate/src/lib.rs <<'RS'
#[allow(dead_code)]
extern "C" {
    fn probe_ssp() -> i32;
}
#[cfg(test)]
mod tests {
    #[test]
    fn supported_flag_reached_the_compile() {
        assert_eq!(unsafe { super::probe_ssp() }, 1, "__SSP_STRONG__ not defined");
        println!("ssp=on arch={}", std::env::consts::ARCH);
    }
}
RS
printf '%s\n' "${FLAGS[@]}" >crate/flags.txt
cat >crate/.cargo/config.toml <<TOML
$(offline_registry_toml)

[target.$TRIPLE]
rustflags = ["--sysroot", $(toml_str "$FIXTURE_RUST_STD")]
TOML
ok "$CROSSHIM" init --target "$TRIPLE" --dir crate

# flag_report WHO [CC]: cargo test with CC_<triple> = CC (none: the value
# `crosshim init` wrote); REPORT is a copy of the build script's report. One
# target folder for the three: the build script runs again when CC_<triple>
# changes, and the report is removed before each run.
cc_var=CC_${TRIPLE//-/_}
flag_report() {
    local who=$1 cc=${2:-} env=(env "CROSSHIM_LOG=$WORK/shim-$1.log") report
    [[ -n $cc ]] && env+=("$cc_var=$cc")
    rm -f crate/target/"$TRIPLE"/debug/build/e2e-cc-flags-*/out/flag-report.txt
    pushd crate >/dev/null
    run "${env[@]}" /usr/bin/cargo test --target "$TRIPLE" -- --nocapture
    popd >/dev/null
    ((RC == 0)) || fail "cargo test with $cc_var=${cc:-(crosshim init)} failed (exit status $RC): $ERR"
    expect_contains "$OUT" "ssp=on arch=aarch64" "cargo test ($who)"
    report=(crate/target/"$TRIPLE"/debug/build/e2e-cc-flags-*/out/flag-report.txt)
    expect_file "${report[0]}"
    REPORT=$WORK/flags-$who.txt
    cp "${report[0]}" "$REPORT"
}

echo "== cc crate with $cc_var=$GCC"
flag_report gcc "$GCC"
gcc_report=$REPORT
echo "== cc crate with $cc_var from crosshim init ($TRIPLE-cc)"
flag_report rust
rust_report=$REPORT
echo "== cc crate with $cc_var=$SHIMS/$GNU-gcc"
flag_report gnu "$SHIMS/$GNU-gcc"
gnu_report=$REPORT

declare -A GCC_SAYS=()
while read -r flag answer; do GCC_SAYS[$flag]=$answer; done <"$gcc_report"
expect_eq "${GCC_SAYS[-mno-foo]:-}" unsupported "gcc on -mno-foo"
expect_eq "${GCC_SAYS[-fstack-protector-strong]:-}" supported "gcc on -fstack-protector-strong"
problems=()
for report in "$rust_report" "$gnu_report"; do
    n=0
    while read -r flag answer; do
        n=$((n + 1))
        gcc=${GCC_SAYS[$flag]:-missing}
        if [[ -n ${DIFFERENT[$flag]:-} ]]; then
            printf '  %-38s gcc: %-11s shim: %-11s (%s)\n' "$flag" "$gcc" "$answer" "${DIFFERENT[$flag]}"
            [[ $answer != "$gcc" ]] || problems+=("$flag is listed as different but both say $answer")
        else
            printf '  %-38s gcc: %-11s shim: %s\n' "$flag" "$gcc" "$answer"
            [[ $answer == "$gcc" ]] || problems+=("$flag: gcc says $gcc, the shim says $answer")
        fi
    done <"$report"
    expect_eq "$n" "${#FLAGS[@]}" "flags in $report"
done
((${#problems[@]} == 0)) || fail "is_flag_supported differs from gcc: ${problems[*]}"

# flag_if_supported: the supported flag reached the compile of probe.c
# through the shim, the unsupported one did not.
for who in rust gnu; do
    line=$(grep '\] in: .*src/probe\.c' "$WORK/shim-$who.log" | tail -1)
    [[ -n $line ]] || fail "probe.c was not compiled through the shim ($who)"
    expect_contains "$line" "-fstack-protector-strong" "probe.c's compile ($who)"
    expect_not_contains "$line" "-mno-foo" "probe.c's compile ($who)"
done
pass
