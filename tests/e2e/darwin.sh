#!/usr/bin/env bash
# darwin: x86_64-apple-darwin and aarch64-apple-darwin with a stand-in macOS
# SDK of text stubs (tests/fixtures/make-macos-sdk.sh; no Apple file). Nothing
# here runs a Mach-O: the output is linked and checked with llvm-objdump
# --macho (CPU type, minimum macOS in LC_VERSION_MIN_MACOSX/LC_BUILD_VERSION,
# libSystem.B.dylib, dylib install names, the ad-hoc signature on arm64, a
# universal binary from lipo). Covers: SDKROOT, osxcross's layout found on
# PATH and its versioned tool names, MACOSX_DEPLOYMENT_TARGET and a caller's
# versioned --target, C++ with the SDK's libc++ headers, LIBRARY_PATH kept
# out, <triple>-xcrun and the masquerade xcrun, doctor, the Mach-O link
# findings, and Rust #![no_core] crates linked through the shim by Debian's
# rustc (and rustup's, when this machine has it).
source "$(dirname "$0")/common.sh"

need_stage
need_cmd python3
OBJDUMP=$(command -v llvm-objdump || command -v llvm-objdump-16 || command -v llvm-objdump-14) ||
    fail "llvm-objdump is missing (apt-get install llvm-14)"
ok bash "$SRC/tests/fixtures/make-macos-sdk.sh" --dir "$WORK/sdks"
SDK=$WORK/sdks/MacOSX13.3.sdk
export SDKROOT=$SDK
report_kinds() { python3 -c 'import json,sys; print(" ".join(sorted({f["kind"] for f in json.load(open(sys.argv[1]))["findings"]})))' "$1"; }
headers() { "$OBJDUMP" --macho --private-headers "$1"; }
# The load command CMD's field FIELD (first occurrence): minos, version, name...
field() { headers "$1" | awk -v cmd="$2" -v f="$3" '$1 == "cmd" { inside = ($2 == cmd) } inside && $1 == f { print $2; exit }'; }

cat >hello.c <<'EOF'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    printf("sqrt = %f\n", sqrt(argc > 1 ? atof(argv[1]) : 2.0));
    return 0;
}
EOF

echo "== crosshim targets: both usable with the SDK from SDKROOT"
ok "$CROSSHIM" targets
for t in x86_64-apple-darwin aarch64-apple-darwin; do
    expect_match "$OUT" "$t +✓ +✓ +✓ macos-sdk $SDK" "crosshim targets"
done

echo "== C for x86_64 and arm64 (LIBRARY_PATH set: nothing of it reaches the link)"
mkdir -p lp && cp "$SDK/usr/lib/libSystem.tbd" lp/libm.tbd
for t in x86_64-apple-darwin aarch64-apple-darwin; do
    ok env LIBRARY_PATH="$WORK/lp:/usr/lib/x86_64-linux-gnu" "$SHIMS/$t-cc" -O2 -Wall -c hello.c -o hello-$t.o
    expect_eq "$ERR" "" "stderr of the compile (no unused-argument warnings)"
    ok env LIBRARY_PATH="$WORK/lp:/usr/lib/x86_64-linux-gnu" "$SHIMS/$t-cc" hello-$t.o -lm -o hello-$t -Wl,-t
    expect_not_contains "$OUT$ERR" "$WORK/lp" "link inputs"
    expect_contains "$OUT$ERR" "$SDK/usr/lib/libm.tbd" "link inputs"
done
expect_match "$(headers hello-x86_64-apple-darwin)" "MH_MAGIC_64 +X86_64 " "cputype"
expect_eq "$(field hello-x86_64-apple-darwin LC_VERSION_MIN_MACOSX version)" 10.12 "x86_64 minimum (rustc's default)"
expect_match "$(headers hello-aarch64-apple-darwin)" "MH_MAGIC_64 +ARM64 " "cputype"
expect_eq "$(field hello-aarch64-apple-darwin LC_BUILD_VERSION minos)" 11.0 "arm64 minimum (rustc's default)"
expect_eq "$(field hello-aarch64-apple-darwin LC_BUILD_VERSION sdk)" 13.3 "SDK version in LC_BUILD_VERSION"
expect_eq "$(field hello-aarch64-apple-darwin LC_LOAD_DYLIB name)" /usr/lib/libSystem.B.dylib "arm64 LC_LOAD_DYLIB"
expect_contains "$(headers hello-aarch64-apple-darwin)" "cmd LC_CODE_SIGNATURE" "arm64 ad-hoc signature"

echo "== minimum macOS: MACOSX_DEPLOYMENT_TARGET, and the caller's own (also inside --target)"
ok env MACOSX_DEPLOYMENT_TARGET=12.3 "$SHIMS/aarch64-apple-darwin-cc" hello.c -o hello-12
expect_eq "$(field hello-12 LC_BUILD_VERSION minos)" 12.3 "MACOSX_DEPLOYMENT_TARGET"
ok env MACOSX_DEPLOYMENT_TARGET=10.15 "$SHIMS/x86_64-apple-darwin-cc" hello.c -o hello-x15
expect_eq "$(field hello-x15 LC_BUILD_VERSION minos)" 10.15 "x86_64 from 10.14 on: LC_BUILD_VERSION"
ok "$SHIMS/aarch64-apple-darwin-cc" --target=arm64-apple-macosx13.0 -Werror hello.c -o hello-13
expect_eq "$ERR" "" "stderr with a versioned --target (no -Woverriding-t-option)"
expect_eq "$(field hello-13 LC_BUILD_VERSION minos)" 13.0 "versioned --target"
ok env MACOSX_DEPLOYMENT_TARGET=12.0 "$SHIMS/aarch64-apple-darwin-cc" -mmacosx-version-min=11.5 hello.c -o hello-115
expect_eq "$(field hello-115 LC_BUILD_VERSION minos)" 11.5 "the caller's -mmacosx-version-min"

echo "== a dylib and its install name; a universal binary"
printf 'double half(double x) { return x / 2; }\n' >half.c
printf 'double half(double);\nint main(void) { return (int)half(4.0) - 2; }\n' >usehalf.c
ok "$SHIMS/aarch64-apple-darwin-cc" -dynamiclib half.c -install_name @rpath/libhalf.dylib -o libhalf.dylib
expect_eq "$(field libhalf.dylib LC_ID_DYLIB name)" @rpath/libhalf.dylib "LC_ID_DYLIB"
ok "$SHIMS/aarch64-apple-darwin-cc" usehalf.c -L. -lhalf -Wl,-rpath,@executable_path -o usehalf
expect_contains "$(headers usehalf)" "name @rpath/libhalf.dylib" "LC_LOAD_DYLIB of usehalf"
ok "$SHIMS/x86_64-apple-darwin-lipo" -create hello-x86_64-apple-darwin hello-aarch64-apple-darwin -output hello-universal
ok "$SHIMS/aarch64-apple-darwin-lipo" -archs hello-universal
expect_eq "$(echo $OUT)" "x86_64 arm64" "lipo -archs"

echo "== C++: the SDK's libc++ headers and libc++.1.dylib"
cat >hello.cpp <<'EOF'
#include <cstddef>
#ifndef CROSSHIM_STANDIN_LIBCXX
#error "not the SDK's libc++ headers"
#endif
struct Box { int v; };
int main() {
    Box *b = new Box{3};
    int v = 0;
    try { throw b->v; } catch (int e) { v = e; }
    delete b;
    return v - 3;
}
EOF
for t in x86_64-apple-darwin aarch64-apple-darwin; do
    ok "$SHIMS/$t-c++" -O2 hello.cpp -o hello-cpp-$t
    expect_contains "$(headers hello-cpp-$t)" "name /usr/lib/libc++.1.dylib" "LC_LOAD_DYLIB of hello-cpp-$t"
done

echo "== xcrun"
ok "$SHIMS/aarch64-apple-darwin-xcrun" --sdk macosx --show-sdk-path
expect_eq "$OUT" "$SDK" "--show-sdk-path"
ok "$SHIMS/aarch64-apple-darwin-xcrun" --show-sdk-version
expect_eq "$OUT" 13.3 "--show-sdk-version"
ok "$SHIMS/aarch64-apple-darwin-xcrun" --show-sdk-platform-version
expect_eq "$OUT" 13.3 "--show-sdk-platform-version"
ok "$SHIMS/x86_64-apple-darwin-xcrun" -f clang
expect_eq "$OUT" "$SHIMS/x86_64-apple-darwin-cc" "-f clang"
ok env CROSSHIM_TARGET=aarch64-apple-darwin "$MASQ/xcrun" clang -c hello.c -o xcrun-hello.o
expect_match "$("$OBJDUMP" --macho --private-headers xcrun-hello.o)" "ARM64" "xcrun clang"
expect_fail_with_code 1 "$SHIMS/aarch64-apple-darwin-xcrun" --sdk iphoneos --show-sdk-path
expect_contains "$ERR" 'SDK "iphoneos" cannot be located' "xcrun --sdk iphoneos"

echo "== osxcross: the SDK next to target/bin on PATH, and its versioned tool names"
mkdir -p osxcross/target/bin osxcross/target/SDK
ln -s "$SDK" osxcross/target/SDK/MacOSX13.3.sdk
ln -s "$CROSSHIM" osxcross/target/bin/x86_64-apple-darwin20.4-cc
ok env -u SDKROOT PATH="$WORK/osxcross/target/bin:$PATH" "$CROSSHIM" which x86_64-apple-darwin-cc
expect_contains "$OUT" "osxcross ($WORK/osxcross/target/bin on PATH)" "which"
ok env -u SDKROOT PATH="$WORK/osxcross/target/bin:$PATH" x86_64-apple-darwin20.4-cc hello.c -o hello-osxcross
expect_eq "$(field hello-osxcross LC_VERSION_MIN_MACOSX version)" 10.12 "osxcross name"
expect_fail_with_code 1 env -u SDKROOT "$SHIMS/x86_64-apple-darwin-cc" -c hello.c
expect_contains "$ERR" "no macOS SDK for x86_64-apple-darwin" "without an SDK"

echo "== doctor"
ok "$CROSSHIM" doctor --target x86_64-apple-darwin
expect_contains "$OUT" "sysroot: $SDK [macos-sdk 13.3] from SDKROOT" "doctor"
expect_contains "$OUT" "no problems found" "doctor x86_64"
run "$CROSSHIM" doctor --target aarch64-apple-darwin
expect_contains "$OUT" "warning [macos-tbd-arch-missing]: $SDK/usr/lib/libz.tbd has no arm64 slice" "doctor arm64"
cp -r "$SDK" broken.sdk
rm broken.sdk/usr/lib/libSystem.tbd
expect_fail_with_code 1 env SDKROOT="$WORK/broken.sdk" "$CROSSHIM" doctor --target x86_64-apple-darwin
expect_contains "$OUT" "error [macos-sdk-incomplete]: the SDK has no usr/lib/libSystem.tbd" "doctor, broken SDK"

echo "== Mach-O link findings"
printf '#include <CoreFoundation/CoreFoundation.h>\nint main(void) { CFRelease(0); return 0; }\n' >cf.c
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/cf.json" "$SHIMS/aarch64-apple-darwin-cc" -F"$SDK/System/Library/Frameworks" cf.c -o cf
expect_contains "$ERR" "error [macos-library-missing]: _CFRelease is exported by /System/Library/Frameworks/CoreFoundation.framework/Versions/A/CoreFoundation" "stderr"
expect_contains "$ERR" "fix: add -framework CoreFoundation" "fix"
expect_eq "$(report_kinds "$WORK/cf.json")" macos-library-missing "CROSSHIM_REPORT"
ok "$SHIMS/aarch64-apple-darwin-cc" cf.c -framework CoreFoundation -o cf
printf 'int main(void) { if (__builtin_available(macOS 12.0, *)) return 0; return 1; }\n' >avail.c
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/avail.json" "$SHIMS/aarch64-apple-darwin-cc" avail.c -o avail
expect_eq "$(report_kinds "$WORK/avail.json")" macos-compiler-rt-missing "__builtin_available"
printf '#include <zlib.h>\nint main(void) { return zlibVersion() == 0; }\n' >z.c
ok "$SHIMS/x86_64-apple-darwin-cc" z.c -lz -o z-x86_64
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/z.json" "$SHIMS/aarch64-apple-darwin-cc" z.c -lz -o z-arm64
expect_eq "$(report_kinds "$WORK/z.json")" macos-tbd-arch-missing "libz.tbd without arm64"
ok env MACOSX_DEPLOYMENT_TARGET=13.0 "$SHIMS/aarch64-apple-darwin-cc" -c hello.c -o hello-13.o
ok_noisy env CROSSHIM_REPORT="$WORK/newer.json" "$SHIMS/aarch64-apple-darwin-cc" hello-13.o -o hello-newer
expect_contains "$ERR" "warning [macos-min-version-newer]: hello-13.o was built for macOS 13.0.0, newer than the link's minimum 11.0.0" "stderr"
expect_eq "$(report_kinds "$WORK/newer.json")" macos-min-version-newer "CROSSHIM_REPORT"

echo "== Rust: a #![no_core] crate linked through the shim (no Apple std exists here)"
write_no_core() { # FILE NEW-LANG-ITEMS(0|1)
    {
        echo '#![feature(no_core, lang_items)]'
        echo '#![no_core]'
        echo '#![allow(unknown_lints)]'
        echo '#![allow(internal_features)]'
        echo '#![no_main]'
        if (($2)); then
            echo '#[lang = "pointee_sized"] pub trait PointeeSized {}'
            echo '#[lang = "meta_sized"] pub trait MetaSized: PointeeSized {}'
            echo '#[lang = "sized"] pub trait Sized: MetaSized {}'
        else
            echo '#[lang = "sized"] pub trait Sized {}'
        fi
        echo '#[lang = "copy"] pub trait Copy {}'
        echo '#[link(name = "System")] extern "C" { fn puts(s: *const u8) -> i32; }'
        echo '#[no_mangle] pub extern "C" fn main() -> i32 { unsafe { puts("no_core\0" as *const str as *const u8); } 0 }'
    } >"$1"
}
rustcs=(/usr/bin/rustc)
[[ -x $RUSTUP_RUSTC ]] && rustcs+=("$RUSTUP_RUSTC") || echo "  note: no rustup rustc in $REAL_CARGO_HOME/bin: Debian's rustc only"
need_cmd /usr/bin/rustc "apt-get install rustc"
for rustc in "${rustcs[@]}"; do
    new=0
    [[ $rustc == /usr/bin/rustc ]] || new=1
    write_no_core nocore.rs $new
    for t in x86_64-apple-darwin aarch64-apple-darwin; do
        ok env RUSTC_BOOTSTRAP=1 CROSSHIM_LOG="$WORK/log/rustc.log" "$rustc" --target $t -C panic=abort \
            -C linker="$SHIMS/$t-cc" nocore.rs -o nocore-$t-$new
        expect_contains "$(headers nocore-$t-$new)" "name /usr/lib/libSystem.B.dylib" "$rustc $t"
    done
    expect_eq "$(field nocore-aarch64-apple-darwin-$new LC_BUILD_VERSION minos)" 11.0 "$rustc arm64 minimum"
    expect_contains "$(cat "$WORK/log/rustc.log")" "-fuse-ld=lld" "the link went through the shim"
done

pass
