#!/usr/bin/env bash
# caches: ccache 4.7 and sccache 0.4 behind crosshim (CROSSHIM_LAUNCHER) and
# in front of it (`ccache <shim>`, `sccache <shim>`, /usr/lib/ccache on PATH).
# Each object equals the one a plain shim compile makes; a second compile is
# a hit; another target (by name, or the masquerade cc with CROSSHIM_TARGET),
# another crosshim.toml, another LLVM and another sysroot miss.
source "$(dirname "$0")/common.sh"

need_stage
need_cmd ccache "apt-get install ccache"
need_cmd sccache "apt-get install sccache"
need_cmd distcc "apt-get install distcc"
need_cmd clang-16 "apt-get install clang-16"
arch_info armv7
need_cross_packages
arch_info aarch64
need_cross_packages
A64=aarch64-unknown-linux-gnu ARM=armv7-unknown-linux-gnueabihf

export CCACHE_DIR=$WORK/ccache CCACHE_CONFIGPATH=$WORK/ccache.conf CCACHE_NOHASHDIR=1
: >"$CCACHE_CONFIGPATH"
export SCCACHE_DIR=$WORK/sccache SCCACHE_NO_DAEMON=1 SCCACHE_IDLE_TIMEOUT=0
export SCCACHE_SERVER_PORT=$((20000 + RANDOM % 20000))
export SCCACHE_ERROR_LOG=$WORK/sccache-error.log

# The sccache server in the foreground of a background job: stopped by its PID.
# The server in the foreground (SCCACHE_START_SERVER=1) of a background job,
# stopped by its PID; clients find it on the port, or would start another.
start_sccache_server

cat >k.c <<'EOF'
int k(int x) { return x * 3 + (int)sizeof(long); }
EOF
cat >h.c <<'EOF'
#include <stdio.h>
int h(void) { return printf("%d\n", (int)sizeof(void *)); }
EOF

ccache_stat() { # hits|misses
    local key v sum=0
    while IFS=$'\t' read -r key v; do
        case $1:$key in
            hits:direct_cache_hit | hits:preprocessed_cache_hit | misses:cache_miss) sum=$((sum + v)) ;;
        esac
    done < <(ccache --print-stats)
    echo "$sum"
}
sccache_stat() { # hits|misses
    sccache --show-stats | awk -v w="$1" '$1 == "Cache" && $2 == w && NF == 3 { print $3 }'
}
N=0
# compile TOOL EXPECT CMD...: runs CMD (which writes out.o), checks that the
# cache TOOL (ccache, sccache) counted EXPECT (hit or miss), copies out.o to
# c<N>.o and prints its name in $OBJ.
compile() {
    local tool=$1 expect=$2 h0 m0 h1 m1
    shift 2
    h0=$(${tool}_stat hits) m0=$(${tool}_stat misses)
    rm -f out.o
    ok "$@"
    h1=$(${tool}_stat hits) m1=$(${tool}_stat misses)
    case $expect in
        hit) [[ $h1 == $((h0 + 1)) && $m1 == "$m0" ]] || fail "$tool: expected a hit (hits $h0 -> $h1, misses $m0 -> $m1): $*" ;;
        miss) [[ $m1 == $((m0 + 1)) && $h1 == "$h0" ]] || fail "$tool: expected a miss (hits $h0 -> $h1, misses $m0 -> $m1): $*" ;;
    esac
    N=$((N + 1))
    OBJ=c$N.o
    cp out.o "$OBJ"
}
# plain NAME ARGS...: the object the shim makes without any cache, in $PLAIN.
plain() {
    rm -f out.o
    ok "$@"
    N=$((N + 1))
    PLAIN=p$N.o
    cp out.o "$PLAIN"
}
same() { cmp -s "$1" "$2" || fail "$1 and $2 differ: the cache returned another object than a plain compile"; }

mkdir -p conf-a conf-b
printf 'cflags = ["-O2"]\n' >conf-a/crosshim.toml
# Code generation only: the preprocessed text is the same as with conf-a's.
printf 'cflags = ["-O2", "-ffunction-sections"]\n' >conf-b/crosshim.toml
# Another sysroot for aarch64: the same files under another path.
ln -s "$CROSS_ROOT" sysroot2
SYSVAR=CROSSHIM_SYSROOT_AARCH64_UNKNOWN_LINUX_GNU

for tool in ccache sccache; do
    echo "== $tool behind crosshim (CROSSHIM_LAUNCHER=$tool)"
    export CROSSHIM_LAUNCHER=$tool
    for src in k.c h.c; do
        plain env -u CROSSHIM_LAUNCHER "$SHIMS/$A64-cc" -c "$src" -o out.o
        compile $tool miss "$SHIMS/$A64-cc" -c "$src" -o out.o
        same "$OBJ" "$PLAIN"
        expect_machine "$OBJ" AArch64 ELF64
        compile $tool hit "$SHIMS/$A64-cc" -c "$src" -o out.o
        same "$OBJ" "$PLAIN"
        plain env -u CROSSHIM_LAUNCHER "$SHIMS/$ARM-cc" -c "$src" -o out.o
        compile $tool miss "$SHIMS/$ARM-cc" -c "$src" -o out.o
        same "$OBJ" "$PLAIN"
    done
    run env CROSSHIM_DRY_RUN=1 "$SHIMS/$A64-cc" -c k.c -o out.o
    expect_match "$OUT" "^$tool /usr/bin/clang-14 .*--target=aarch64" "the launched command"
    run env CROSSHIM_DRY_RUN=1 "$SHIMS/$A64-cc" k.c -o out
    expect_not_contains "$OUT" "$tool " "a link (no launcher)"
    unset CROSSHIM_LAUNCHER
    # The configuration's launcher, with cflags: both from crosshim.toml.
    printf 'launcher = "%s"\ncflags = ["-O2"]\n' $tool >conf-a/crosshim.toml
    plain env CROSSHIM_CONFIG=conf-b/crosshim.toml "$SHIMS/$A64-cc" -c k.c -o out.o
    compile $tool miss env CROSSHIM_CONFIG=conf-a/crosshim.toml "$SHIMS/$A64-cc" -c k.c -o out.o
    compile $tool hit env CROSSHIM_CONFIG=conf-a/crosshim.toml "$SHIMS/$A64-cc" -c k.c -o out.o
    cmp -s "$OBJ" "$PLAIN" && fail "conf-a and conf-b made the same object; the config case proves nothing"
    printf 'cflags = ["-O2"]\n' >conf-a/crosshim.toml
done

# In front: every way the cache keys the shim's name, not what it does.
# FRONT_ARGS: more arguments for each compile (-MD for ccache's depend mode).
FRONT_ARGS=()
front() { # TOOL ENV... -- SHIM: cross-target, config, LLVM and sysroot cases
    local tool=$1
    shift
    echo "== $tool in front of crosshim ($*)"
    local o
    # Another target under the same masquerade name (a key without the target
    # returns the first target's object).
    plain env CROSSHIM_TARGET=$A64 "$MASQ/cc" -c k.c -o out.o
    compile "$tool" miss env "$@" CROSSHIM_TARGET=$A64 "$tool" "$MASQ/cc" "${FRONT_ARGS[@]}" -c k.c -o out.o
    same "$OBJ" "$PLAIN"
    compile "$tool" hit env "$@" CROSSHIM_TARGET=$A64 "$tool" "$MASQ/cc" "${FRONT_ARGS[@]}" -c k.c -o out.o
    same "$OBJ" "$PLAIN"
    compile "$tool" miss env "$@" CROSSHIM_TARGET=$ARM "$tool" "$MASQ/cc" "${FRONT_ARGS[@]}" -c k.c -o out.o
    expect_machine "$OBJ" ARM ELF32
    # The same name for the host, then for a target.
    compile "$tool" miss env "$@" "$tool" "$MASQ/cc" "${FRONT_ARGS[@]}" -c k.c -o out.o
    expect_machine "$OBJ" "Advanced Micro Devices X86-64" ELF64
    compile "$tool" hit env "$@" "$tool" "$MASQ/cc" "${FRONT_ARGS[@]}" -c k.c -o out.o
    sed 's/3/5/' k.c >k2.c
    compile "$tool" miss env "$@" "$tool" "$MASQ/cc" "${FRONT_ARGS[@]}" -c k2.c -o out.o
    compile "$tool" miss env "$@" CROSSHIM_TARGET=$A64 "$tool" "$MASQ/cc" "${FRONT_ARGS[@]}" -c k2.c -o out.o
    expect_machine "$OBJ" AArch64 ELF64
    # Another target by name (sccache keys on the file's content, one binary).
    compile "$tool" miss env "$@" "$tool" "$SHIMS/$A64-cc" "${FRONT_ARGS[@]}" -c h.c -o out.o
    compile "$tool" miss env "$@" "$tool" "$SHIMS/$ARM-cc" "${FRONT_ARGS[@]}" -c h.c -o out.o
    expect_machine "$OBJ" ARM ELF32
    # Another crosshim.toml.
    compile "$tool" miss env "$@" CROSSHIM_CONFIG=conf-a/crosshim.toml "$tool" "$SHIMS/$A64-cc" "${FRONT_ARGS[@]}" -c k.c -o out.o
    compile "$tool" hit env "$@" CROSSHIM_CONFIG=conf-a/crosshim.toml "$tool" "$SHIMS/$A64-cc" "${FRONT_ARGS[@]}" -c k.c -o out.o
    o=$OBJ
    plain env CROSSHIM_CONFIG=conf-b/crosshim.toml "$SHIMS/$A64-cc" -c k.c -o out.o
    compile "$tool" miss env "$@" CROSSHIM_CONFIG=conf-b/crosshim.toml "$tool" "$SHIMS/$A64-cc" "${FRONT_ARGS[@]}" -c k.c -o out.o
    same "$OBJ" "$PLAIN"
    cmp -s "$o" "$OBJ" && fail "conf-a and conf-b made the same object; the config case proves nothing"
    # Another LLVM.
    plain env CROSSHIM_LLVM=/usr/lib/llvm-16 "$SHIMS/$A64-cc" -c h.c -o out.o
    compile "$tool" miss env "$@" CROSSHIM_LLVM=/usr/lib/llvm-16 "$tool" "$SHIMS/$A64-cc" "${FRONT_ARGS[@]}" -c h.c -o out.o
    same "$OBJ" "$PLAIN"
    # Another sysroot (the same files under another path).
    compile "$tool" miss env "$@" "$SYSVAR=$WORK/sysroot2" "$tool" "$SHIMS/$A64-cc" "${FRONT_ARGS[@]}" -c h.c -o out.o
    compile "$tool" hit env "$@" "$SYSVAR=$WORK/sysroot2" "$tool" "$SHIMS/$A64-cc" "${FRONT_ARGS[@]}" -c h.c -o out.o
}
front sccache
front ccache
# ccache with the fingerprint as its compiler check keeps its direct mode.
ccache --clear >/dev/null
front ccache "CCACHE_COMPILERCHECK=%compiler% --crosshim-fingerprint"
d0=$(ccache --print-stats | awk '$1 == "direct_cache_hit" { print $2 }')
compile ccache hit env "CCACHE_COMPILERCHECK=%compiler% --crosshim-fingerprint" ccache "$SHIMS/$A64-cc" -c h.c -o out.o
d1=$(ccache --print-stats | awk '$1 == "direct_cache_hit" { print $2 }')
expect_eq "$d1" "$((d0 + 1))" "ccache direct hits with compiler_check = %compiler% --crosshim-fingerprint"

echo "== ccache's other modes in front"
# The fingerprint header reaches the key by the preprocessed text: with
# direct mode off, or any compiler_check.
ccache --clear >/dev/null
front ccache CCACHE_NODIRECT=1
ccache --clear >/dev/null
front ccache CCACHE_COMPILERCHECK=content
# Depend mode (a compile that writes dependencies) never preprocesses, and
# sloppiness = time_macros keeps the direct mode: without the fingerprint as
# compiler_check their keys would return the first target's object, so the
# shim refuses such a compile, whether the setting comes from the
# environment or from ccache.conf.
ccache --clear >/dev/null
for how in "CCACHE_DEPEND=1" "CCACHE_SLOPPINESS=time_macros" "CCACHE_CONFIGPATH=$WORK/slop.conf"; do
    printf 'sloppiness = include_file_mtime, time_macros\n' >slop.conf
    for cc in "$MASQ/cc" "$SHIMS/$A64-cc"; do
        expect_fail_with_code 2 env "$how" CROSSHIM_TARGET=$ARM ccache "$cc" -MD -c k.c -o out.o
        expect_contains "$ERR" "compiler_check = %compiler% --crosshim-fingerprint"
    done
    # The host's compiler under the masquerade name too: its entry would be
    # found by the same name with CROSSHIM_TARGET.
    expect_fail_with_code 2 env "$how" ccache "$MASQ/cc" -MD -c k.c -o out.o
done
# Depend mode without -MD is ccache's usual mode: the header does the work.
compile ccache miss env CCACHE_DEPEND=1 CROSSHIM_TARGET=$A64 ccache "$MASQ/cc" -c k.c -o out.o
# With the fingerprint as compiler_check, from the environment or from
# ccache.conf, every case is right in both modes.
FRONT_ARGS=(-MD)
front ccache CCACHE_DEPEND=1 "CCACHE_COMPILERCHECK=%compiler% --crosshim-fingerprint"
expect_contains "$(<out.d)" "h.c" "the dependency file of a depend-mode compile"
ccache --clear >/dev/null
printf 'sloppiness = time_macros\ncompiler_check = %%compiler%% --crosshim-fingerprint\n' >slop.conf
front ccache "CCACHE_CONFIGPATH=$WORK/slop.conf"
FRONT_ARGS=()

echo "== crosshim toolchain cmake|meson --cache ccache, env --cache sccache: a rebuild is all hits"
need_cmd cmake
need_cmd meson
need_cmd ninja
mkdir -p proj
cp k.c h.c proj/
cat >proj/CMakeLists.txt <<'EOF'
cmake_minimum_required(VERSION 3.16)
project(p C)
add_library(p k.c h.c)
EOF
cat >proj/meson.build <<'EOF'
project('p', 'c')
static_library('p', 'k.c', 'h.c')
EOF
ok "$CROSSHIM" toolchain cmake --target $A64 --cache ccache -o tc.cmake
ok "$CROSSHIM" toolchain meson --target $A64 --cache ccache -o cross.ini
for kind in cmake meson; do
    for round in 1 2; do
        rm -rf "b-$kind"
        if [[ $kind == cmake ]]; then
            ok_noisy cmake -S proj -B "b-$kind" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$WORK/tc.cmake"
        else
            ok_noisy meson setup --cross-file "$WORK/cross.ini" "b-$kind" proj
        fi
        h0=$(ccache_stat hits) m0=$(ccache_stat misses)
        ok_noisy ninja -C "b-$kind" -v
        expect_contains "$OUT" "CROSSHIM_LAUNCHER=ccache" "$kind's compile commands"
        h1=$(ccache_stat hits) m1=$(ccache_stat misses)
        if ((round == 1)); then
            ((m1 - m0 == 2 && h1 == h0)) || fail "$kind: a first build should miss twice (hits $h0 -> $h1, misses $m0 -> $m1)"
        else
            ((h1 - h0 == 2 && m1 == m0)) || fail "$kind: the rebuild is not all hits (hits $h0 -> $h1, misses $m0 -> $m1)"
        fi
    done
done
ok "$CROSSHIM" env --target $A64 --cache sccache
expect_contains "$OUT" "export CROSSHIM_LAUNCHER='sccache'"

echo "== the fingerprint"
ok "$SHIMS/$A64-cc" --crosshim-fingerprint
fp_a=$OUT
expect_match "$fp_a" "^crosshim-fingerprint [0-9a-f]{40}" "the fingerprint's first line"
expect_contains "$fp_a" "target $A64"
ok env CROSSHIM_TARGET=$A64 "$MASQ/cc" --crosshim-fingerprint
expect_eq "$OUT" "$fp_a" "the masquerade cc with CROSSHIM_TARGET and the shim name"
for change in CROSSHIM_TARGET=$ARM CROSSHIM_LLVM=/usr/lib/llvm-16 CROSSHIM_CONFIG=conf-a/crosshim.toml \
    "$SYSVAR=$WORK/sysroot2" CROSSHIM_LAUNCHER=ccache; do
    ok env CROSSHIM_TARGET=$A64 "$change" "$MASQ/cc" --crosshim-fingerprint
    [[ ${OUT%%$'\n'*} != "${fp_a%%$'\n'*}" ]] || fail "$change does not change the fingerprint"
done

echo "== distcc and icecream in front: the shim refuses to preprocess for them"
# distcc preprocesses locally, then would send the shim's name to the server.
export DISTCC_DIR=$WORK/distcc DISTCC_HOSTS=127.0.0.1:1 DISTCC_BACKOFF_PERIOD=0
mkdir -p "$DISTCC_DIR"
expect_fail_with_code 2 distcc "$SHIMS/$A64-cc" -E k.c
expect_contains "$ERR" "CROSSHIM_LAUNCHER=distcc"
# icecc's client runs the local preprocessor the same way; a copy of bash
# named icecc stands for it (a real icecc needs a scheduler and a daemon).
cp "$(command -v bash)" "$WORK/icecc"
expect_fail_with_code 2 "$WORK/icecc" -c '"$0" -E k.c; exit $?' "$SHIMS/$A64-cc"
expect_contains "$ERR" "CROSSHIM_LAUNCHER=icecc"
unset DISTCC_DIR DISTCC_HOSTS DISTCC_BACKOFF_PERIOD

echo "== /usr/lib/ccache on PATH around the masquerade folder"
printf 'int main(void) { return 0; }\n' >host.c
for order in "/usr/lib/ccache:$MASQ" "$MASQ:/usr/lib/ccache"; do
    ok env PATH="$order:$PATH" cc -c host.c -o host.o
    expect_machine host.o "Advanced Micro Devices X86-64" ELF64
done

echo "== -print-prog-name names the target's tools"
for tool in ar ranlib nm objcopy strip ld; do
    ok "$SHIMS/$A64-cc" -print-prog-name=$tool
    expect_eq "$OUT" "$SHIMS/$A64-$tool" "-print-prog-name=$tool"
done
# The tools named work on the target's objects.
rm -f lib.a
ok "$("$SHIMS/$A64-cc" -print-prog-name=ar)" rcs lib.a p1.o
ok "$("$SHIMS/$A64-cc" -print-prog-name=nm)" lib.a
expect_match "$OUT" " T k$" "nm of the archive"

kill -0 "$SCCACHE_PID" || fail "the sccache server exited during the test"
kill "$SCCACHE_PID"
wait "$SCCACHE_PID" 2>/dev/null || true
trap - EXIT
pass
