#!/usr/bin/env bash
# diag-precision: no false alarm on any stock set-up. `crosshim doctor` must
# report no error and no warning (notes are allowed), and a clean C, C++ and
# Rust link through every shim must print nothing on stderr, on:
#   - Debian's cross trees /usr/<gnu> for aarch64, armv7, i686 as installed,
#     with Debian's GNU cross compilers (gcc-<gnu>: binutils' relative links
#     in /usr/<gnu>/bin, GCC's host plugins in /usr/lib/gcc-cross/<gnu>/12);
#   - the same trees without the gcc/binutils packages: the files of every
#     other package owning /usr/<gnu> and /usr/lib/gcc-cross/<gnu>, hard-linked
#     into a folder of this test with their linker scripts naming it (a tree
#     installed at another prefix);
#   - `crosshim sysroot create` output for aarch64, and the debsysroot-*
#     fixtures (the same Debian packages unpacked) for aarch64, armv7, i686;
#   - x86_64 musl (musl-dev), x86_64 and i686 MinGW (mingw-w64), the host.
# Also with CROSSHIM_STRICT=1 (any finding fails the link): a shared library
# linked by path as libtool does (../src/.libs/libfoo.so, libfoo.so.1 beside
# it) and through -rpath-link gives no needed-library-missing.
source "$(dirname "$0")/common.sh"

need_stage
need_cmd python3
need_path /usr/bin/rustc "apt-get install rustc"
need_cmd apt-get "a Debian machine"
need_cmd dpkg-deb "a Debian machine"
for a in aarch64 armv7 i686; do
    arch_info $a
    need_cross_packages
    need_fixture_rust_std
    need_path "/usr/bin/$GNU-gcc" "apt-get install gcc-$GNU"
done
need_path /usr/lib/x86_64-linux-musl/libc.a "apt-get install musl-dev"
need_path /usr/x86_64-w64-mingw32/lib/libkernel32.a "apt-get install mingw-w64-x86-64-dev"
need_path /usr/i686-w64-mingw32/lib/libkernel32.a "apt-get install mingw-w64-i686-dev"
need_path /usr/lib/rustlib/x86_64-pc-windows-gnu "apt-get install libstd-rust-dev-windows"

write_hello_c hello.c
write_hello_cpp hello.cpp
cat >hello.rs <<'RS'
fn main() {
    let v: Vec<String> = std::env::args().collect();
    println!("hello from Rust, {} args", v.len());
}
RS

SETUPS=0
# doctor_clean NAME ARGS...: doctor --json exits 0 with no error or warning;
# the text form says the same.
doctor_clean() {
    local name=$1
    shift
    run "$CROSSHIM" doctor --json "$@"
    ((RC == 0)) || fail "doctor on $name: exit $RC"
    printf '%s\n' "$OUT" >"doctor-$name.json"
    ok python3 - "doctor-$name.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bad = [f for f in r["findings"] if f["severity"] != "note"]
assert not bad, json.dumps(bad, indent=1)
PY
    ok "$CROSSHIM" doctor "$@"
    expect_match "$OUT" "crosshim: doctor: (no problems found|0 error\(s\), 0 warning\(s\))" "doctor on $name"
    SETUPS=$((SETUPS + 1))
}

# links_clean NAME TRIPLE [nocxx] [norust] [RUST_SYSROOT]: C, C++ and Rust
# links through the target's shims: exit 0, nothing on stderr (the Rust link's
# stderr through a wrapper, since rustc shows it only on failure).
links_clean() {
    local name=$1 t=$2 cxx=$3 rust=$4 rust_sysroot=${5:-}
    local ext=""
    [[ $t == *windows* ]] && ext=.exe
    CROSSHIM_STRICT=1 ok "$SHIMS/$t-cc" hello.c -lm -o "c-$name$ext"
    if [[ $cxx == cxx ]]; then
        CROSSHIM_STRICT=1 ok "$SHIMS/$t-c++" hello.cpp -o "cxx-$name$ext"
    fi
    if [[ $rust == rust ]]; then
        printf '#!/bin/sh\nexec "%s" "$@" 2>>"%s"\n' "$SHIMS/$t-cc" "$WORK/rust-$name.err" >"linker-$name.sh"
        chmod +x "linker-$name.sh"
        : >"rust-$name.err"
        local sr=()
        [[ -n $rust_sysroot ]] && sr=(--sysroot "$rust_sysroot")
        CROSSHIM_STRICT=1 ok_noisy /usr/bin/rustc --target "$t" "${sr[@]}" -C linker="$WORK/linker-$name.sh" \
            hello.rs -o "rs-$name$ext"
        expect_eq "$(<"rust-$name.err")" "" "stderr of the Rust link through $t-cc ($name)"
    fi
}

# copy_without_gcc GNU DEST: the files of the packages owning /usr/<gnu> and
# /usr/lib/gcc-cross/<gnu>, except binutils and GCC's own, hard-linked under
# DEST (which plays /usr); linker scripts rewritten to name DEST.
copy_without_gcc() {
    ok python3 - "$1" "$2" <<'PY'
import os, subprocess, sys
gnu, dest = sys.argv[1], sys.argv[2]
roots = ["/usr/" + gnu, "/usr/lib/gcc-cross/" + gnu]
owners = subprocess.run(["dpkg", "-S"] + roots, capture_output=True, text=True, check=True).stdout
pkgs = set()
for line in owners.splitlines():
    for p in line.split(":", 1)[0].split(","):
        p = p.strip()
        if p and not p.startswith(("binutils-", "gcc-", "g++-", "cpp-")):
            pkgs.add(p)
files = subprocess.run(["dpkg", "-L"] + sorted(pkgs), capture_output=True, text=True, check=True).stdout
n = 0
for path in sorted(set(files.splitlines())):
    if not any(path == r or path.startswith(r + "/") for r in roots):
        continue
    out = dest + path[len("/usr"):]
    if os.path.islink(path):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        os.symlink(os.readlink(path), out)
    elif os.path.isdir(path):
        os.makedirs(out, exist_ok=True)
    elif os.path.isfile(path):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(path, "rb") as f:
            head = f.read(64)
        if head.startswith(b"/* GNU ld script"):
            text = open(path).read().replace("/usr/" + gnu + "/", dest + "/" + gnu + "/")
            open(out, "w").write(text)
        else:
            os.link(path, out)
    n += 1
print(f"{n} files of {len(pkgs)} packages")
PY
}

# `sysroot create` for aarch64 runs in the background (the time is the
# download) while the rest is checked; the other architectures' sysroots of
# the same packages are the debsysroot-* fixtures.
export XDG_CACHE_HOME=$FIXTURES/diag-precision-cache
mkdir -p "$XDG_CACHE_HOME"
arch_info aarch64
echo "+ crosshim sysroot create --target $TRIPLE --dir $WORK/created-aarch64 (in the background)"
"$CROSSHIM" sysroot create --target "$TRIPLE" --dir "$WORK/created-aarch64" >create.log 2>&1 &
CREATE_PID=$!
for a in aarch64 armv7 i686; do
    arch_info $a
    echo "== $TRIPLE: Debian's cross tree with gcc-$GNU installed"
    doctor_clean "cross-$a" --target "$TRIPLE"
    links_clean "cross-$a" "$TRIPLE" cxx rust "$FIXTURE_RUST_STD"

    echo "== $TRIPLE: the cross tree without the gcc/binutils packages"
    copy_without_gcc "$GNU" "$WORK/nogcc-$a"
    [[ ! -e $WORK/nogcc-$a/$GNU/bin/ld && ! -e $WORK/nogcc-$a/lib/gcc-cross/$GNU/12/liblto_plugin.so ]] ||
        fail "the copy has binutils' or GCC's files"
    export "$SYSROOT_VAR=$WORK/nogcc-$a/$GNU"
    doctor_clean "nogcc-$a" --target "$TRIPLE"
    expect_contains "$OUT" "sysroot: $WORK/nogcc-$a/$GNU [debian-cross]" "doctor header"
    links_clean "nogcc-$a" "$TRIPLE" cxx rust "$FIXTURE_RUST_STD"
    run_on_target "$WORK/nogcc-$a/$GNU" "./c-nogcc-$a" 2
    unset "$SYSROOT_VAR"

    echo "== $TRIPLE: the debsysroot-$DEB_ARCH fixture (Debian's packages unpacked, merged /usr)"
    need_fixture_sysroot
    export "$SYSROOT_VAR=$FIXTURE_SYSROOT"
    doctor_clean "fixture-$a" --target "$TRIPLE"
    links_clean "fixture-$a" "$TRIPLE" cxx norust
    unset "$SYSROOT_VAR"
done

arch_info aarch64
echo "== $TRIPLE: crosshim sysroot create"
wait "$CREATE_PID" || { cat create.log; fail "sysroot create for $TRIPLE failed"; }
tail -1 create.log
export "$SYSROOT_VAR=$WORK/created-aarch64"
doctor_clean created-aarch64 --target "$TRIPLE"
links_clean created-aarch64 "$TRIPLE" cxx rust "$FIXTURE_RUST_STD"
run_on_target "$WORK/created-aarch64" ./c-created-aarch64 2
unset "$SYSROOT_VAR"

echo "== x86_64-unknown-linux-musl (musl-dev)"
doctor_clean musl --target x86_64-unknown-linux-musl
links_clean musl x86_64-unknown-linux-musl nocxx norust
echo "== MinGW (mingw-w64)"
for t in x86_64-pc-windows-gnu i686-pc-windows-gnu; do
    doctor_clean "$t" --target "$t"
done
links_clean mingw64 x86_64-pc-windows-gnu cxx rust
links_clean mingw32 i686-pc-windows-gnu cxx norust
echo "== the host"
doctor_clean host --target x86_64-unknown-linux-gnu
links_clean host x86_64-unknown-linux-gnu cxx rust

echo "== the environment's LIBRARY_PATH (a CUDA stubs dir): a note at most"
LIBRARY_PATH=$WORK/cuda/lib64/stubs doctor_clean musl-library-path --target x86_64-unknown-linux-musl
SETUPS=$((SETUPS - 1)) # the same set-up

echo "== doctor without a target: every stock target with a sysroot, none with an error or warning"
run "$CROSSHIM" doctor --json
((RC == 0)) || fail "doctor without a target: exit $RC"
printf '%s\n' "$OUT" >doctor-all.json
ok python3 - doctor-all.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
checked = [t["target"] for t in r["targets"]]
for want in ["aarch64-unknown-linux-gnu", "armv7-unknown-linux-gnueabihf", "i686-unknown-linux-gnu",
             "x86_64-unknown-linux-musl", "x86_64-pc-windows-gnu", "i686-pc-windows-gnu"]:
    assert want in checked, (want, checked)
assert "x86_64-unknown-linux-gnu" not in checked, "the build machine's own target is not a cross target"
assert "riscv64gc-unknown-linux-gnu" in r["no_sysroot"], r["no_sysroot"]
bad = [(t["target"], f) for t in r["targets"] for f in t["findings"] if f["severity"] != "note"]
assert not bad, json.dumps(bad, indent=1)
PY
ok "$CROSSHIM" doctor
expect_match "$OUT" "crosshim: doctor: [0-9]+ target\(s\) with a sysroot checked, 0 with errors; no sysroot for .*riscv64gc-unknown-linux-gnu" "doctor without a target"
expect_contains "$OUT" "crosshim doctor: armv7-unknown-linux-gnueabihf" "the armv7 report"
run "$CROSSHIM" doctor --sysroot "$WORK"
((RC == 2)) || fail "doctor --sysroot without a target: exit $RC, expected 2"

echo "== a shared library linked by path, as libtool does, with CROSSHIM_STRICT=1"
arch_info aarch64
mkdir -p lt/src/.libs lt/tests
printf 'int foo(void) { return 42; }\n' >lt/src/foo.c
printf 'int foo(void);\nint main(void) { return foo() == 42 ? 0 : 1; }\n' >lt/tests/main.c
ok "$SHIMS/$TRIPLE-cc" -shared -fPIC -Wl,-soname,libfoo.so.1 lt/src/foo.c -o lt/src/.libs/libfoo.so.1.0.0
ln -s libfoo.so.1.0.0 lt/src/.libs/libfoo.so.1
ln -s libfoo.so.1.0.0 lt/src/.libs/libfoo.so
cd lt/tests
CROSSHIM_STRICT=1 ok "$SHIMS/$TRIPLE-cc" main.c ../src/.libs/libfoo.so -o by-path
expect_needed by-path libfoo.so.1
CROSSHIM_STRICT=1 ok "$SHIMS/$TRIPLE-cc" main.c -Wl,-rpath-link,../src/.libs -Wl,--as-needed \
    ../src/.libs/libfoo.so -o rpath-link
CROSSHIM_STRICT=1 ok "$SHIMS/$TRIPLE-cc" main.c -Wl,-rpath -Wl,"$WORK/lt/src/.libs" -L../src/.libs -lfoo -o by-l
cd "$WORK"

echo "stock set-ups checked with no error or warning: $SETUPS"
pass
