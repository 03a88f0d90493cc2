#!/usr/bin/env bash
# examples/run.sh - build the C, C++ and Rust examples for one target through
# the installed crosshim names only, run each under qemu-user and check the
# line it prints.
#
#   examples/run.sh [--prefix PREFIX] [--target TARGET] [--work DIR] [--rust-std DIR]
#
#   --prefix    where crosshim is installed (cmake --install build --prefix ...);
#               the shim names are PREFIX/lib/crosshim/bin/<target>-cc etc.
#               Default: /usr/local
#   --target    a Rust target triple from the table below.
#               Default: aarch64-unknown-linux-gnu
#   --work      all output goes here, nothing is written elsewhere.
#               Default: $PWD/example-build
#   --rust-std  an existing directory such that `rustc --sysroot DIR --target
#               TARGET` finds the target's std (as tests/fixtures/make-deb-sysroot.sh
#               --rust-std makes). Default: WORK/<target>/rust-std, made by that
#               script (downloads Debian's libstd-rust-dev:<arch>; apt cache in
#               WORK/deb-cache).
#
# Environment: RUSTC_BIN (default /usr/bin/rustc) and CARGO_BIN (default
# /usr/bin/cargo): Debian's Rust 1.63, whose std matches libstd-rust-dev.
#
# Exit status: 0 if all three examples passed, 1 if any failed, 2 for a usage
# error.
set -uo pipefail

# target                        qemu          qemu -L sysroot            Debian arch  std::env::consts::ARCH  bits
TARGET_TABLE='
aarch64-unknown-linux-gnu       qemu-aarch64  /usr/aarch64-linux-gnu     arm64        aarch64                 64
armv7-unknown-linux-gnueabihf   qemu-arm      /usr/arm-linux-gnueabihf   armhf        arm                     32
i686-unknown-linux-gnu          qemu-i386     /usr/i686-linux-gnu        i386         x86                     32
'

PREFIX=/usr/local
TARGET=aarch64-unknown-linux-gnu
WORK=$PWD/example-build
RUST_STD=
RUSTC_BIN=${RUSTC_BIN:-/usr/bin/rustc}
CARGO_BIN=${CARGO_BIN:-/usr/bin/cargo}
# Debian's cargo packages (librust-cc-dev, ...) as an offline crates.io.
DEBIAN_REGISTRY=/usr/share/cargo/registry

EXAMPLES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$EXAMPLES_DIR")
MAKE_DEB_SYSROOT=$REPO_DIR/tests/fixtures/make-deb-sysroot.sh

usage() { sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
die_usage() { echo "run.sh: $*" >&2; echo "Try: $0 --help" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case $1 in
        --prefix|--target|--work|--rust-std)
            if [ $# -lt 2 ] || [ -z "$2" ]; then die_usage "$1 needs a value"; fi
            opt=$1; val=$2; shift 2 ;;
        --prefix=*|--target=*|--work=*|--rust-std=*)
            opt=${1%%=*}; val=${1#*=}; shift
            [ -n "$val" ] || die_usage "$opt needs a value" ;;
        -h|--help) usage; exit 0 ;;
        *) die_usage "unknown argument: $1" ;;
    esac
    case $opt in
        --prefix) PREFIX=$val ;;
        --target) TARGET=$val ;;
        --work) WORK=$val ;;
        --rust-std) RUST_STD=$val ;;
    esac
done

row=$(awk -v t="$TARGET" '$1 == t' <<<"$TARGET_TABLE")
if [ -z "$row" ]; then
    die_usage "unsupported target '$TARGET'; known: $(awk 'NF {printf "%s ", $1}' <<<"$TARGET_TABLE")"
fi
read -r _ QEMU SYSROOT DEB_ARCH ARCH BITS <<<"$row"

BIN=$PREFIX/lib/crosshim/bin
CC_SHIM=$BIN/$TARGET-cc
CXX_SHIM=$BIN/$TARGET-c++
AR_SHIM=$BIN/$TARGET-ar

mkdir -p "$WORK" || { echo "run.sh: cannot create work directory $WORK" >&2; exit 1; }
WORK=$(cd "$WORK" && pwd)
OUT=$WORK/$TARGET
# Compilers, rustc and cc-rs put temporary files in TMPDIR: keep them in WORK too.
export TMPDIR=$WORK/tmp
mkdir -p "$OUT" "$TMPDIR"

PASSED=0
FAILED=0
FAILED_NAMES=()

# Prints a command (shell-quoted, so it can be pasted) and runs it; says so
# if it fails.
run() {
    printf '+'; printf ' %q' "$@"; printf '\n'
    "$@"
    local rc=$?
    [ $rc -eq 0 ] || echo "FAIL: exit status $rc from: $*" >&2
    return $rc
}

fail() { echo "FAIL: $*" >&2; return 1; }

need_exe() {
    if [ ! -x "$1" ]; then
        fail "$1 not found or not executable${2:+ ($2)}"
        return 1
    fi
}

# Runs a target binary under qemu-user and compares its stdout with $2.
# LD_LIBRARY_PATH=<sysroot>/lib makes the target's loader take the libraries
# from the sysroot: without it qemu-i386 reads the host's /etc/ld.so.cache and
# silently loads the host's /lib32 libc and libstdc++ (if installed).
run_and_check() {
    local prog=$1 expected=$2 got
    printf '+ %q -E %q -L %q %q\n' "$QEMU" "LD_LIBRARY_PATH=$SYSROOT/lib" "$SYSROOT" "$prog"
    got=$(timeout 120 "$QEMU" -E "LD_LIBRARY_PATH=$SYSROOT/lib" -L "$SYSROOT" "$prog")
    local rc=$?
    printf '%s\n' "$got"
    if [ $rc -ne 0 ]; then
        fail "$prog exited with status $rc under $QEMU"
        return 1
    fi
    if [ "$got" != "$expected" ]; then
        fail "unexpected output from $prog"$'\n'"  expected: $expected"$'\n'"  got:      $got"
        return 1
    fi
}

# Debian's cross sysroots have libm.so as a working symlink; a sysroot whose
# libm.so dangles makes the link fall back to libm.a without any error. Check
# that libm really is a shared dependency.
check_needed_libm() {
    local prog=$1 readelf
    readelf=$(command -v readelf || command -v llvm-readelf || true)
    if [ -z "$readelf" ]; then
        echo "note: no readelf/llvm-readelf, not checking that libm.so.6 is NEEDED"
        return 0
    fi
    if ! "$readelf" -d "$prog" | grep -q 'NEEDED.*\[libm\.so\.6\]'; then
        fail "$prog does not list libm.so.6 as NEEDED (libm linked statically? check the sysroot's libm.so)"
        return 1
    fi
    echo "ok: $prog needs libm.so.6"
}

example_c() {
    local d=$OUT/c src=$EXAMPLES_DIR/c
    local cflags=(-O2 -Wall -Wextra -std=c11)
    need_exe "$CC_SHIM" "is crosshim installed under $PREFIX?" || return 1
    need_exe "$AR_SHIM" "is crosshim installed under $PREFIX?" || return 1
    rm -rf "$d" && mkdir -p "$d" || return 1
    # Compile, archive, compile, link: each step through a shim name.
    run "$CC_SHIM" "${cflags[@]}" -c "$src/exmath.c" -o "$d/exmath.o" || return 1
    run "$AR_SHIM" rcs "$d/libexmath.a" "$d/exmath.o" || return 1
    run "$CC_SHIM" "${cflags[@]}" -c "$src/main.c" -o "$d/main.o" || return 1
    run "$CC_SHIM" "$d/main.o" -L"$d" -lexmath -lm -o "$d/example-c" || return 1
    check_needed_libm "$d/example-c" || return 1
    run_and_check "$d/example-c" \
        "crosshim example (C): $ARCH $BITS-bit, norm(1,1) = 1.414214"
}

example_cpp() {
    local d=$OUT/cpp src=$EXAMPLES_DIR/cpp
    need_exe "$CXX_SHIM" "is crosshim installed under $PREFIX?" || return 1
    rm -rf "$d" && mkdir -p "$d" || return 1
    # Compile and link in one step.
    run "$CXX_SHIM" -O2 -Wall -Wextra -std=c++17 "$src/main.cpp" -o "$d/example-cpp" || return 1
    run_and_check "$d/example-cpp" \
        "crosshim example (C++): $ARCH $BITS-bit, built-by-crosshim (3 words), sum = 15, caught \"empty input\""
}

# A TOML basic string.
toml_str() {
    local s=${1//\\/\\\\}
    printf '"%s"' "${s//\"/\\\"}"
}

ensure_rust_std() {
    if [ -n "$RUST_STD" ]; then
        RUST_STD=$(cd "$RUST_STD" 2>/dev/null && pwd) || { fail "--rust-std: no such directory"; return 1; }
    else
        # Debian's libstd-rust-dev:<arch> unpacked into WORK. The script is
        # idempotent: it returns at once if RUST_STD is complete for the
        # installed rustc version.
        RUST_STD=$OUT/rust-std
        need_exe "$MAKE_DEB_SYSROOT" "needed to fetch Debian's std for $TARGET" || return 1
        run "$MAKE_DEB_SYSROOT" --arch "$DEB_ARCH" --cache "$WORK/deb-cache" --rust-std "$RUST_STD" ||
            { fail "could not get Debian's Rust std for $TARGET (libstd-rust-dev:$DEB_ARCH)"; return 1; }
    fi
    if ! ls "$RUST_STD/lib/rustlib/$TARGET/lib/"libstd-*.rlib >/dev/null 2>&1; then
        fail "no std for $TARGET in $RUST_STD/lib/rustlib/$TARGET/lib"
        return 1
    fi
}

example_rust() {
    local d=$OUT/rust src=$EXAMPLES_DIR/rust
    local crate=$d/crate tu=${TARGET//-/_}
    need_exe "$CC_SHIM" "is crosshim installed under $PREFIX?" || return 1
    need_exe "$RUSTC_BIN" "Debian's rustc; set RUSTC_BIN" || return 1
    need_exe "$CARGO_BIN" "Debian's cargo; set CARGO_BIN" || return 1
    if ! ls -d "$DEBIAN_REGISTRY"/cc-[0-9]* >/dev/null 2>&1; then
        fail "the cc crate is not in $DEBIAN_REGISTRY (apt-get install librust-cc-dev)"
        return 1
    fi
    ensure_rust_std || return 1

    # Build a copy, so that Cargo.lock and .cargo/ land in WORK, not in the repo.
    rm -rf "$crate" && mkdir -p "$crate/.cargo" "$d/cargo-home" || return 1
    cp -R "$src/Cargo.toml" "$src/build.rs" "$src/src" "$crate/" || return 1
    cat >"$crate/.cargo/config.toml" <<EOF
# Generated by examples/run.sh for $TARGET.

# Crates (here: cc) come from Debian's librust-*-dev packages, offline.
[source.crates-io]
replace-with = "debian"
[source.debian]
directory = $(toml_str "$DEBIAN_REGISTRY")
[net]
offline = true

[target.$TARGET]
linker = $(toml_str "$CC_SHIM")
# Only because Debian's std for $TARGET (libstd-rust-dev:$DEB_ARCH) is unpacked
# outside rustc's own sysroot; with \`rustup target add\` this line is not needed.
rustflags = ["--sysroot", $(toml_str "$RUST_STD")]

[env]
# cc-rs (build.rs) compiles C for the target with this.
CC_$tu = $(toml_str "$CC_SHIM")
EOF
    echo "--- $crate/.cargo/config.toml"
    cat "$crate/.cargo/config.toml"
    echo "---"
    # Variables that would override the config above ([env] never overrides a
    # variable that is already set; RUSTFLAGS replaces target.rustflags).
    local tuu=${tu^^}
    local unset_vars=(-u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u CARGO_BUILD_RUSTFLAGS
        -u "CARGO_TARGET_${tuu}_LINKER" -u "CARGO_TARGET_${tuu}_RUSTFLAGS"
        -u "CC_$TARGET" -u "CC_$tu" -u TARGET_CC -u CROSS_COMPILE -u CARGO_BUILD_TARGET)
    (cd "$crate" && run env "${unset_vars[@]}" RUSTC="$RUSTC_BIN" CARGO_HOME="$d/cargo-home" \
        CARGO_TARGET_DIR="$d/target" "$CARGO_BIN" build --target "$TARGET") || return 1
    run_and_check "$d/target/$TARGET/debug/crosshim-example" \
        "crosshim example (Rust): $ARCH $BITS-bit, C via cc crate: sum(1..=10) = 55"
}

echo "crosshim examples: target $TARGET, shims in $BIN, work dir $WORK"
if [ ! -d "$BIN" ]; then
    echo "run.sh: no crosshim installation under $PREFIX ($BIN does not exist);" \
        "build crosshim and run: cmake --install build --prefix $PREFIX" >&2
    exit 1
fi
if ! command -v "$QEMU" >/dev/null; then
    echo "run.sh: $QEMU not found (apt-get install qemu-user)" >&2
    exit 1
fi
if [ ! -d "$SYSROOT" ]; then
    echo "run.sh: $SYSROOT not found (apt-get install libc6-dev-$DEB_ARCH-cross libstdc++-12-dev-$DEB_ARCH-cross)" >&2
    exit 1
fi

for ex in c cpp rust; do
    case $ex in c) name=C ;; cpp) name=C++ ;; rust) name=Rust ;; esac
    echo
    echo "== $name example ($TARGET)"
    if "example_$ex"; then
        echo "PASS: $name"
        PASSED=$((PASSED + 1))
    else
        echo "FAIL: $name example" >&2
        FAILED=$((FAILED + 1))
        FAILED_NAMES+=("$name")
    fi
done

echo
echo "examples: $PASSED passed, $FAILED failed${FAILED_NAMES:+ (${FAILED_NAMES[*]})}"
[ "$FAILED" -eq 0 ]
