# shellcheck shell=bash disable=SC2034  # variables are for the test scripts
# tests/e2e/common.sh - sourced by every end-to-end test (like mold's
# test/common.inc). The tests drive the INSTALLED crosshim (the `stage`
# fixture: cmake --install into ${CMAKE_BINARY_DIR}/stage) with real tools:
# clang, ld.lld, qemu-user, Debian's cross packages, musl-dev, rustc, cargo.
#
# Environment (set by tests/e2e/CMakeLists.txt; read here, then unset with
# every other CROSSHIM_* variable so that the shim sees only what a test sets):
#   CROSSHIM_BUILD_DIR       the CMake build folder; tests write only below it
#   CROSSHIM_E2E_STAGE       the install prefix of the `stage` fixture
#   CROSSHIM_E2E_FIXTURES    where the debsysroot-* fixtures put sysroots
#   CROSSHIM_E2E_SOURCE_DIR  the source tree (examples/, tests/fixtures/)
#   CROSSHIM_E2E_SANITIZE    the sanitizers of a sanitizer build (SANITIZED)
#   CROSSHIM_E2E_NO_SKIP=1   a missing tool fails the test instead of skipping
#                            it (default 1 when CI is set, else 0)
#
# What a test gets:
#   $WORK        ${CROSSHIM_BUILD_DIR}/e2e/<test-name>, wiped at start; cwd
#   $HOME        $WORK/home (XDG_CONFIG_HOME, XDG_DATA_HOME inside it)
#   $TMPDIR      $WORK/tmp
#   $CARGO_HOME  $WORK/cargo-home; RUSTUP_HOME stays the real one
#   $STAGE $SHIMS $MASQ $CROSSHIM $FIXTURES $SRC $ORIG_HOME
#   run / ok / expect_* / skip helpers below.

set -euo pipefail
shopt -s nullglob

# ---------------------------------------------------------------- inputs
_e2e_need_var() {
    if [[ -z ${!1:-} ]]; then
        echo "e2e: $1 is not set; run the tests through ctest (tests/e2e/CMakeLists.txt sets it)" >&2
        exit 1
    fi
}
_e2e_need_var CROSSHIM_BUILD_DIR
_e2e_need_var CROSSHIM_E2E_STAGE
_e2e_need_var CROSSHIM_E2E_FIXTURES
_e2e_need_var CROSSHIM_E2E_SOURCE_DIR

BUILD=$(cd "$CROSSHIM_BUILD_DIR" && pwd -P)
STAGE=$CROSSHIM_E2E_STAGE
FIXTURES=$CROSSHIM_E2E_FIXTURES
SRC=$CROSSHIM_E2E_SOURCE_DIR
# The -fsanitize= list of a sanitizer build of crosshim; empty otherwise.
SANITIZED=${CROSSHIM_E2E_SANITIZE:-}
# On CI (CI=true, as GitHub Actions and most CI systems set it) nothing may
# skip: the README's test command installs every tool.
if [[ -n ${CI:-} && ${CI:-} != false && ${CI:-} != 0 ]]; then NO_SKIP=${CROSSHIM_E2E_NO_SKIP:-1}; else NO_SKIP=${CROSSHIM_E2E_NO_SKIP:-0}; fi

CROSSHIM=$STAGE/bin/crosshim
SHIMS=$STAGE/lib/crosshim/bin
MASQ=$STAGE/lib/crosshim/masquerade

# The test's name: the script name plus its first argument (c-cxx-cross aarch64
# -> c-cxx-cross-aarch64), as in the ctest name e2e.<name>.
TEST_SCRIPT=$(basename "$0" .sh)
TEST_NAME=${E2E_TEST_NAME:-$TEST_SCRIPT${1:+-$1}}

ORIG_HOME=${HOME:-/root}
if [[ $ORIG_HOME == "$BUILD"/e2e/* ]]; then ORIG_HOME=/root; fi
REAL_RUSTUP_HOME=${RUSTUP_HOME:-$ORIG_HOME/.rustup}
REAL_CARGO_HOME=${CARGO_HOME:-$ORIG_HOME/.cargo}
RUSTUP_CARGO=$REAL_CARGO_HOME/bin/cargo
RUSTUP_RUSTC=$REAL_CARGO_HOME/bin/rustc

# ---------------------------------------------------------------- environment
# Nothing from the caller's environment may steer the shim, the compilers or
# cargo: every CROSSHIM_* variable, the variables clang and gcc read as extra
# search paths, and the cargo/cc-rs overrides.
for _v in $(compgen -e); do
    case $_v in
        CROSSHIM_* | CARGO_* | RUSTC | RUSTC_* | RUSTDOC* | RUSTFLAGS | \
            CC_* | CXX_* | AR_* | CFLAGS_* | CXXFLAGS_* | HOST_* | TARGET_* | QEMU_*)
            unset "$_v" ;;
    esac
done
unset _v
unset LIBRARY_PATH CPATH C_INCLUDE_PATH CPLUS_INCLUDE_PATH OBJC_INCLUDE_PATH \
    LD_LIBRARY_PATH LD_PRELOAD GCC_EXEC_PREFIX COMPILER_PATH SDKROOT \
    CC CXX CPP AR LD NM RANLIB STRIP OBJCOPY CFLAGS CXXFLAGS CPPFLAGS LDFLAGS LIBS \
    CROSS_COMPILE MAKEFLAGS MFLAGS MAKELEVEL CONFIG_SITE
export LC_ALL=C.UTF-8 LANG=C.UTF-8
export NO_COLOR=1 TERM=dumb

WORK=$BUILD/e2e/$TEST_NAME
[[ $TEST_NAME =~ ^[A-Za-z0-9._-]+$ ]] || { echo "e2e: bad test name '$TEST_NAME'" >&2; exit 1; }
rm -rf -- "$WORK"
mkdir -p -- "$WORK/home/.config" "$WORK/home/.local/share" "$WORK/tmp" "$WORK/log" "$WORK/cargo-home"
export HOME=$WORK/home
export XDG_CONFIG_HOME=$HOME/.config XDG_DATA_HOME=$HOME/.local/share
export TMPDIR=$WORK/tmp
export RUSTUP_HOME=$REAL_RUSTUP_HOME
export CARGO_HOME=$WORK/cargo-home
cd "$WORK"

RUN_N=0
RC=0 OUT='' ERR=''
E2E_START=$SECONDS

echo "e2e: $TEST_NAME (work dir $WORK)"

# ---------------------------------------------------------------- reporting
_e2e_show() { # LABEL FILE: the first 60 lines, indented
    [[ -s $2 ]] || return 0
    local n
    n=$(wc -l <"$2")
    echo "  $1:"
    sed -n '1,60s/^/    | /p' "$2"
    ((n <= 60)) || echo "    | ... ($((n - 60)) more lines in $2)"
}

fail() {
    echo "FAIL [$TEST_NAME]: $*"
    exit 1
}

# skip REASON: only for a tool or package that is genuinely absent. Exits 77,
# which ctest reports as "Skipped" (SKIP_RETURN_CODE); the reason is in the
# test's output and in $WORK/SKIPPED (`cat build/e2e/*/SKIPPED` lists them
# all). With CROSSHIM_E2E_NO_SKIP=1 (the default on CI, where the README's test
# command installed everything) a skip is a failure, shown by
# --output-on-failure.
skip() {
    if [[ $NO_SKIP == 1 ]]; then
        fail "would skip, but skipping is not allowed here (CI or CROSSHIM_E2E_NO_SKIP=1): $*"
    fi
    echo "SKIP [$TEST_NAME]: $*" | tee "$WORK/SKIPPED"
    exit 77
}

pass() {
    echo "PASS [$TEST_NAME] ($((SECONDS - E2E_START))s)"
    exit 0
}

need_cmd() { # CMD [HINT]
    command -v "$1" >/dev/null 2>&1 || skip "$1 not found${2:+ ($2)}"
}

need_path() { # PATH [HINT]
    [[ -e $1 ]] || skip "$1 not found${2:+ ($2)}"
}

need_stage() {
    [[ -x $CROSSHIM && -d $SHIMS && -d $MASQ ]] ||
        fail "no installed crosshim in $STAGE (the 'stage' fixture runs cmake --install)"
}

# ---------------------------------------------------------------- running
# The command, shell-quoted; long ones shortened (for logs and messages).
_e2e_quote() {
    local q
    printf -v q ' %q' "$@"
    q=${q# }
    ((${#q} <= 2000)) || q="${q:0:2000} ... (${#q} bytes, $# arguments)"
    printf '%s' "$q"
}

# run CMD...: runs CMD with stdout and stderr captured (kept in $WORK/log/),
# sets RC, OUT and ERR. Never fails by itself. Long argument lists are shown
# shortened.
run() {
    RUN_N=$((RUN_N + 1))
    local o=$WORK/log/$RUN_N.out e=$WORK/log/$RUN_N.err
    printf '+ %s\n' "$(_e2e_quote "$@")"
    set +e
    "$@" >"$o" 2>"$e"
    RC=$?
    set -e
    OUT=$(<"$o")
    ERR=$(<"$e")
    if ((RC != 0)); then echo "  exit status $RC"; fi
    _e2e_show stdout "$o"
    _e2e_show stderr "$e"
    return 0
}

# ok CMD...: must exit 0 and print nothing on stderr (cc-rs and autoconf
# treat anything on a probe's stderr as a failure).
ok() {
    run "$@"
    ((RC == 0)) || fail "exit status $RC, expected 0: $(_e2e_quote "$@")"
    [[ -z $ERR ]] || fail "stderr is not empty: $(_e2e_quote "$@")"
}

# ok_noisy CMD...: must exit 0; stderr is allowed (cargo, configure, make).
ok_noisy() {
    run "$@"
    ((RC == 0)) || fail "exit status $RC, expected 0: $(_e2e_quote "$@")"
}

# expect_fail_with_code CODE CMD...: CMD must exit with exactly CODE.
expect_fail_with_code() {
    local code=$1
    shift
    run "$@"
    ((RC == code)) || fail "exit status $RC, expected $code: $(_e2e_quote "$@")"
}

# ---------------------------------------------------------------- checks
expect_eq() { # ACTUAL EXPECTED [WHAT]
    [[ $1 == "$2" ]] || fail "${3:-value}: expected '$2', got '$1'"
}

expect_contains() { # HAYSTACK NEEDLE [WHAT]
    [[ $1 == *"$2"* ]] || fail "${3:-output} does not contain '$2'; it is:"$'\n'"$(printf '%s' "$1" | head -c 4000)"
}

expect_not_contains() { # HAYSTACK NEEDLE [WHAT]
    [[ $1 != *"$2"* ]] || fail "${3:-output} contains '$2' and must not; it is:"$'\n'"$(printf '%s' "$1" | head -c 4000)"
}

expect_match() { # HAYSTACK ERE [WHAT]
    grep -Eq -- "$2" <<<"$1" || fail "${3:-output} does not match /$2/; it is:"$'\n'"$(printf '%s' "$1" | head -c 4000)"
}

expect_file() { [[ -f $1 ]] || fail "expected file $1 does not exist"; }
expect_no_file() { [[ ! -e $1 && ! -L $1 ]] || fail "$1 exists and must not"; }

# ELF checks, from readelf (binutils) and file(1).
elf_machine() { readelf -h "$1" | sed -n 's/^ *Machine: *//p'; }
elf_class() { readelf -h "$1" | sed -n 's/^ *Class: *//p'; }
elf_interp() { readelf -l "$1" | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]/\1/p'; }
elf_needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

expect_machine() { # FILE MACHINE CLASS
    expect_file "$1"
    expect_eq "$(elf_machine "$1")" "$2" "ELF machine of ${1##*/}"
    expect_eq "$(elf_class "$1")" "$3" "ELF class of ${1##*/}"
}

expect_interp() { # FILE LOADER
    expect_eq "$(elf_interp "$1")" "$2" "program interpreter of ${1##*/}"
}

expect_needed() { # FILE LIB
    local needed
    needed=$(elf_needed "$1")
    grep -qxF -- "$2" <<<"$needed" || fail "${1##*/} does not have NEEDED $2 (NEEDED: ${needed//$'\n'/ })"
}

# expect_paths_under WHAT LIST PREFIX...: every absolute path in LIST (one
# per line or space-separated, as in `-M` or `-Wl,--trace` output) resolves
# (realpath) to a place under one of the PREFIXes. Relative paths are the
# test's own files. Catches build-machine headers and libraries (e.g.
# /usr/include, /usr/lib/x86_64-linux-gnu) leaking into a cross build.
expect_paths_under() {
    local what=$1 list=$2 p real pre okp count=0
    shift 2
    local prefixes=()
    for pre in "$@"; do prefixes+=("$(realpath -m -- "$pre")"); done
    while read -r p; do
        [[ $p == /* ]] || continue
        real=$(realpath -m -- "$p")
        okp=0
        for pre in "${prefixes[@]}"; do
            if [[ $real == "$pre" || $real == "$pre"/* ]]; then okp=1; break; fi
        done
        ((okp)) || fail "$what: $p (= $real) is outside ${prefixes[*]}"
        count=$((count + 1))
    done < <(tr ' \\' '\n\n' <<<"$list")
    ((count > 0)) || fail "$what: no absolute paths found in the list"
    echo "  ok: $count paths of $what under ${prefixes[*]}"
}

# ---------------------------------------------------------------- targets
# arch_info ARCH: the Debian-packaged cross targets the suite builds and runs.
#   TRIPLE GNU DEB_ARCH MULTIARCH QEMU MACHINE CLASS LOADER RUST_ARCH CROSS_ROOT
#   SYSROOT_VAR (CROSSHIM_SYSROOT_<TRIPLE>)
arch_info() {
    case $1 in
        aarch64)
            TRIPLE=aarch64-unknown-linux-gnu GNU=aarch64-linux-gnu DEB_ARCH=arm64
            MULTIARCH=aarch64-linux-gnu QEMU=qemu-aarch64 MACHINE=AArch64 CLASS=ELF64
            LOADER=/lib/ld-linux-aarch64.so.1 RUST_ARCH=aarch64 ;;
        armv7)
            TRIPLE=armv7-unknown-linux-gnueabihf GNU=arm-linux-gnueabihf DEB_ARCH=armhf
            MULTIARCH=arm-linux-gnueabihf QEMU=qemu-arm MACHINE=ARM CLASS=ELF32
            LOADER=/lib/ld-linux-armhf.so.3 RUST_ARCH=arm ;;
        i686)
            TRIPLE=i686-unknown-linux-gnu GNU=i686-linux-gnu DEB_ARCH=i386
            MULTIARCH=i386-linux-gnu QEMU=qemu-i386 MACHINE="Intel 80386" CLASS=ELF32
            LOADER=/lib/ld-linux.so.2 RUST_ARCH=x86 ;;
        *) fail "arch_info: unknown arch '$1' (aarch64, armv7, i686)" ;;
    esac
    CROSS_ROOT=/usr/$GNU
    local up=${TRIPLE^^}
    SYSROOT_VAR=CROSSHIM_SYSROOT_${up//[-.]/_}
    FIXTURE_SYSROOT=$FIXTURES/sysroot-$DEB_ARCH
    FIXTURE_RUST_STD=$FIXTURES/rust-std-$DEB_ARCH
}

need_cross_packages() { # needs arch_info
    need_cmd "$QEMU" "apt-get install qemu-user"
    need_path "$CROSS_ROOT/lib/libc.so.6" "apt-get install libc6-dev-$DEB_ARCH-cross"
    need_path "$CROSS_ROOT/include/c++" "apt-get install libstdc++-12-dev-$DEB_ARCH-cross"
}

need_fixture_sysroot() { # needs arch_info
    [[ -f $FIXTURE_SYSROOT/.crosshim-fixture-stamp ]] ||
        fail "fixture sysroot $FIXTURE_SYSROOT is missing (the debsysroot-$DEB_ARCH fixture makes it)"
}

need_fixture_rust_std() { # needs arch_info
    [[ -f $FIXTURE_RUST_STD/.crosshim-fixture-stamp ]] ||
        fail "fixture Rust std $FIXTURE_RUST_STD is missing (the debsysroot-$DEB_ARCH fixture makes it)"
}

# run_on_target ROOT PROG [ARGS...]: runs a target program under qemu-user
# with the given library root (ok: exit 0, empty stderr). For i686 against
# Debian's cross packages, LD_LIBRARY_PATH keeps qemu-i386's loader away from
# the host's ld.so.cache and /lib32.
run_on_target() {
    local root=$1
    shift
    local env=()
    if [[ $QEMU == qemu-i386 && $root == "$CROSS_ROOT" ]]; then
        env=(-E "LD_LIBRARY_PATH=$root/lib")
    fi
    ok timeout 120 "$QEMU" "${env[@]}" -L "$root" "$@"
}

# The sources most tests build. hello.c needs libm at run time (sqrt of a
# value read from argv), hello.cpp needs libstdc++ and the unwinder.
# The sources of the CMake and Meson test projects (toolchain-*.sh): a C
# library using libm and a C++ program calling it from a thread; `app 3 4`
# prints "hypot(3, 4) = 5 from a thread, N-bit" and exits 0.
write_geom_sources() { # DIR
    mkdir -p "$1"
    cat >"$1/geom.h" <<'EOF'
#ifdef __cplusplus
extern "C"
#endif
double geom_hypot(double a, double b);
EOF
    cat >"$1/geom.c" <<'EOF'
#include "geom.h"
#include <math.h>
double geom_hypot(double a, double b) { return hypot(a, b); }
EOF
    cat >"$1/app.cpp" <<'EOF'
#include "geom.h"
#include <cstdio>
#include <cstdlib>
#include <thread>
int main(int argc, char **argv) {
    if (argc < 3)
        return 2;
    double r = 0;
    std::thread t([&] { r = geom_hypot(std::atof(argv[1]), std::atof(argv[2])); });
    t.join();
    std::printf("hypot(%s, %s) = %g from a thread, %d-bit\n", argv[1], argv[2], r,
                (int)(sizeof(void *) * 8));
    return r == 5.0 ? 0 : 1;
}
EOF
}

# Debian's vendored crates (librust-*-dev), the registry the cargo tests use.
REGISTRY=/usr/share/cargo/registry

# need_debian_crates PACKAGES CRATE...: skip unless $REGISTRY has each CRATE,
# naming the Debian PACKAGES that provide them.
need_debian_crates() {
    local packages=$1 crate found
    shift
    for crate in "$@"; do
        found=("$REGISTRY/$crate"-[0-9]*)
        ((${#found[@]} > 0)) || skip "the $crate crate is not in $REGISTRY (apt-get install $packages)"
    done
}

# offline_registry_toml: the .cargo/config.toml lines that make cargo take
# every crate from $REGISTRY, offline.
offline_registry_toml() {
    cat <<TOML
[source.crates-io]
replace-with = "debian"
[source.debian]
directory = $(toml_str "$REGISTRY")
[net]
offline = true
TOML
}

# write_cc_crate NAME SOURCE... [-- DEPENDENCY...]: the skeleton of a crate
# in ./crate whose build.rs compiles each SOURCE (a file in crate/src; .cpp
# with .cpp(true)) with the cc crate into a static library named after the
# file's stem. Each DEPENDENCY ('libsqlite3-sys = "0.25"') goes under
# [dependencies]. The caller writes the sources, src/main.rs or src/lib.rs,
# and crate/.cargo/config.toml.
write_cc_crate() {
    local name=$1 src deps=() sources=()
    shift
    while (($#)); do
        if [[ $1 == -- ]]; then
            shift
            deps=("$@")
            break
        fi
        sources+=("$1")
        shift
    done
    mkdir -p crate/src crate/.cargo
    {
        printf '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n' "$name"
        if ((${#deps[@]})); then printf '\n[dependencies]\n'; printf '%s\n' "${deps[@]}"; fi
        printf '\n[build-dependencies]\ncc = "1"\n'
    } >crate/Cargo.toml
    {
        echo 'fn main() {'
        for src in "${sources[@]}"; do
            echo "    println!(\"cargo:rerun-if-changed=src/$src\");"
        done
        for src in "${sources[@]}"; do
            local cpp=""
            [[ $src == *.cpp ]] && cpp=".cpp(true)"
            echo "    cc::Build::new()$cpp.file(\"src/$src\").warnings(true).compile(\"${src%.*}\");"
        done
        echo '}'
    } >crate/build.rs
}

write_hello_c() { # FILE
    cat >"$1" <<'EOF'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    double v = argc > 1 ? atof(argv[1]) : 2.0;
    printf("hello from C: sqrt(%g) = %.6f, %d-bit\n", v, sqrt(v), (int)(sizeof(void *) * 8));
    return 0;
}
EOF
}

write_hello_cpp() { # FILE
    cat >"$1" <<'EOF'
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

static int parse(const std::string &s) {
    if (s.empty())
        throw std::invalid_argument("empty input");
    return std::stoi(s);
}

int main(int argc, char **argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    int sum = 0;
    for (const auto &a : args)
        sum += parse(a);
    try {
        parse("");
        std::cout << "no exception" << std::endl;
    } catch (const std::invalid_argument &e) {
        std::cout << "hello from C++: sum = " << sum << ", caught \"" << e.what() << "\"" << std::endl;
    }
    return 0;
}
EOF
}

# Expected lines for `prog 2` and `prog 4 5 6`.
HELLO_C_LINE_32='hello from C: sqrt(2) = 1.414214, 32-bit'
HELLO_C_LINE_64='hello from C: sqrt(2) = 1.414214, 64-bit'
HELLO_CPP_LINE='hello from C++: sum = 15, caught "empty input"'

# A TOML basic string.
toml_str() {
    local s=${1//\\/\\\\}
    printf '"%s"' "${s//\"/\\\"}"
}

# The configuration search walks up from the current directory: a stray
# crosshim.toml above the build folder would change every test.
_e2e_check_no_parent_config() {
    local d=$WORK
    while [[ $d != / && -n $d ]]; do
        d=${d%/*}
        [[ -n $d ]] || d=/
        if [[ -e $d/crosshim.toml ]]; then
            fail "$d/crosshim.toml exists above the test folder; crosshim would read it in every test (move it away)"
        fi
        [[ $d != / ]] || break
    done
}
_e2e_check_no_parent_config

# start_sccache_server: an sccache server in the foreground
# (SCCACHE_START_SERVER=1) of a background job on $SCCACHE_SERVER_PORT, its
# PID in SCCACHE_PID and killed when the test exits; returns once the server
# listens (clients would otherwise start a second one). Its output goes to
# $WORK/sccache-server.log.
start_sccache_server() {
    SCCACHE_START_SERVER=1 sccache >"$WORK/sccache-server.log" 2>&1 &
    SCCACHE_PID=$!
    trap 'kill "$SCCACHE_PID" 2>/dev/null || true' EXIT
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$SCCACHE_SERVER_PORT") 2>/dev/null && return 0
        kill -0 "$SCCACHE_PID" 2>/dev/null || fail "sccache server exited: $(<"$WORK/sccache-server.log")"
        sleep 0.1
    done
    fail "the sccache server does not listen on $SCCACHE_SERVER_PORT"
}

# write_farm_sources: k.c (libc and libm headers, a long double whose size
# differs between targets) and k.cpp (libstdc++ headers) in the current
# folder: the sources the compile-farm tests distribute.
write_farm_sources() {
cat >k.c <<'EOF'
#include <stdio.h>
#include <math.h>
double k(double x) { return sqrt(x) + printf("%zu\n", sizeof(long double)); }
EOF
cat >k.cpp <<'EOF'
#include <string>
#include <vector>
std::size_t k(const std::vector<std::string> &v) { return v.size() + v.at(0).size(); }
EOF
}

# stop_daemons_at_exit: the daemons a test starts go in PIDS (PIDS+=($!));
# each is stopped by its PID, and waited for, when the test exits or when it
# calls stop_daemons.
stop_daemons() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
stop_daemons_at_exit() {
    PIDS=()
    trap stop_daemons EXIT
}
