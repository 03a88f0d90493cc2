#!/usr/bin/env bash
# musl-debian ARCH (aarch64, armv7, i686): the <arch> musl target from Debian's
# own musl build. `crosshim sysroot create` makes the sysroot from
# musl-dev:<deb-arch>, musl:<deb-arch> and libgcc-12-dev:<deb-arch> only (not
# their glibc dependencies; apt state and .debs cached in
# $FIXTURES/sysroot-create-cache). The shims find it with no configuration;
# a C program links dynamically (the musl loader, NEEDED libc.so only) and
# statically, both run under qemu-user through <triple>-run, and the link
# takes nothing from glibc or the build machine, LIBRARY_PATH or not. doctor
# finds nothing wrong; a glibc-built library in the musl link is a
# musl-glibc-mix finding. Debian's rustc links a #![no_core] crate (Debian has
# no musl Rust std) that runs. C++ has no musl libstdc++ in Debian: a clear error.
source "$(dirname "$0")/common.sh"

arch_info "${1:?usage: musl-debian.sh aarch64|armv7|i686}"
case $1 in
    aarch64) T=aarch64-unknown-linux-musl MUSL_MA=aarch64-linux-musl MUSL_LOADER=/lib/ld-musl-aarch64.so.1 ;;
    armv7) T=armv7-unknown-linux-musleabihf MUSL_MA=arm-linux-musleabihf MUSL_LOADER=/lib/ld-musl-armhf.so.1 ;;
    i686) T=i686-unknown-linux-musl MUSL_MA=i386-linux-musl MUSL_LOADER=/lib/ld-musl-i386.so.1 ;;
esac
need_stage
need_cross_packages
need_cmd apt-get "a Debian or Ubuntu machine"
need_cmd dpkg-deb "a Debian or Ubuntu machine"
need_cmd python3
need_path /usr/share/keyrings/debian-archive-keyring.gpg "apt-get install debian-archive-keyring"

export XDG_CACHE_HOME=$FIXTURES/sysroot-create-cache
mkdir -p "$XDG_CACHE_HOME"
DIR=$XDG_DATA_HOME/crosshim/sysroots/$T
cc=$SHIMS/$T-cc
report_kinds() { python3 -c 'import json,sys; print(" ".join(sorted({f["kind"] for f in json.load(open(sys.argv[1]))["findings"]})))' "$1"; }

echo "== sysroot create --target $T"
ok "$CROSSHIM" sysroot create --target "$T"
expect_match "$OUT" "^crosshim: (created|rebuilt) $DIR \($T, debian:bookworm $DEB_ARCH, 3 packages; debian-musl, GCC runtime $DIR/usr/lib/gcc/$GNU/12;" "summary"
expect_eq "$(sed -n 's/^package \([^ ]*\) .*/\1/p' "$DIR/.crosshim-sysroot" | sort | tr '\n' ' ')" "libgcc-12-dev musl musl-dev " "packages in the stamp (no glibc)"
expect_file "$DIR/usr/lib/$MUSL_MA/crt1.o"
expect_file "$DIR/usr/include/$MUSL_MA/stdio.h"
expect_eq "$(find "$DIR" -name 'libc.so.6' -o -name 'libgcc_s.so*' | head -1)" "" "glibc or libgcc_s files in the sysroot"
expect_eq "$(find "$DIR/usr/lib" -xtype l -printf "%P\n")" "" "dangling symlinks in usr/lib"
expect_eq "$(find "$DIR" -lname '/*' -printf '%P\n')" "" "absolute symlinks in the sysroot"
ok "$CROSSHIM" which "$T-cc"
expect_contains "$OUT" "sysroot: $DIR [debian-musl, GCC runtime $DIR/usr/lib/gcc/$GNU/12]" "which"
ok "$CROSSHIM" targets
expect_match "$OUT" "$T +✓ +✓ +✓ debian-musl $DIR" "crosshim targets"

echo "== dynamic"
write_hello_c hello.c
ok "$cc" -O2 -Wall -Wextra -c hello.c -o hello.o
ok "$cc" hello.o -lm -o hello-dyn
expect_machine hello-dyn "$MACHINE" "$CLASS"
expect_interp hello-dyn "$MUSL_LOADER"
expect_eq "$(elf_needed hello-dyn)" "libc.so" "NEEDED of hello-dyn (musl: libm is in libc.so)"
ok "$SHIMS/$T-run" ./hello-dyn 9
expect_eq "$OUT" "hello from C: sqrt(9) = 3.000000, $(( ${CLASS#ELF} ))-bit" "output of hello-dyn"

echo "== static"
ok "$cc" -static -O2 hello.c -lm -o hello-static
expect_eq "$(elf_interp hello-static)" "" "program interpreter of hello-static"
ok "$CROSSHIM" run --target "$T" ./hello-static 16
expect_eq "$OUT" "hello from C: sqrt(16) = 4.000000, $(( ${CLASS#ELF} ))-bit" "output of hello-static"

echo "== only musl's headers and libraries, also with LIBRARY_PATH and CPATH set"
# clang's resource dir: compiler-rt where Debian has it (i386), and its own headers.
resource=$("$cc" -print-resource-dir)
for mode in "" -static; do
    ok env LIBRARY_PATH=/usr/lib/$MULTIARCH:/usr/lib/x86_64-linux-gnu "$cc" $mode hello.o -lm -o trace -Wl,--trace
    expect_paths_under "link inputs ($mode)" "$OUT" "$DIR/usr/lib/$MUSL_MA" "$DIR/usr/lib/gcc/$GNU/12" "$resource" "$WORK"
    expect_not_contains "$OUT" "libgcc_s" "link inputs"
done
ok env CPATH=/usr/include C_INCLUDE_PATH=/usr/$GNU/include "$cc" -M hello.c
expect_paths_under "headers" "$OUT" "$DIR/usr/include/$MUSL_MA" "$resource" "$WORK"

echo "== doctor"
ok "$CROSSHIM" doctor --target "$T"
expect_contains "$OUT" "sysroot: $DIR [debian-musl" "doctor"
expect_contains "$OUT" "libc:    musl" "doctor"

echo "== musl-glibc-mix: a library built for glibc in the musl program"
printf '#include <stdio.h>\nint dep(void) { return printf("glibc dep\\n") < 0; }\n' >gdep.c
printf 'int dep(void);\nint main(void) { return dep(); }\n' >usedep.c
ok "$SHIMS/$TRIPLE-cc" -shared -fPIC gdep.c -Wl,-soname,libgdep.so -o libgdep.so
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/mix.json" "$cc" usedep.c -L. -lgdep -o usegdep
expect_contains "$ERR" "error [musl-glibc-mix]: libgdep.so was built against glibc; the program is linked for musl" "stderr"
expect_eq "$(report_kinds "$WORK/mix.json")" "musl-glibc-mix" "CROSSHIM_REPORT"

echo "== Rust: Debian's rustc links a #![no_core] crate (no musl std in Debian) through the shim"
need_cmd /usr/bin/rustc "apt-get install rustc"
cat >nocore.rs <<'EOF'
#![feature(no_core, lang_items)]
#![no_core]
#![no_main]
#[lang = "sized"] pub trait Sized {}
#[lang = "copy"] pub trait Copy {}
#[link(name = "c")] extern "C" { fn puts(s: *const u8) -> i32; }
#[no_mangle] pub extern "C" fn main() -> i32 { unsafe { puts("no_core on musl\0" as *const str as *const u8); } 0 }
EOF
# -C link-self-contained=no: the sysroot's crt1.o and libc, not rustup's self-contained copies.
rust=(env RUSTC_BOOTSTRAP=1 /usr/bin/rustc --target "$T" -C panic=abort -C link-self-contained=no
    -C linker="$cc" nocore.rs -o nocore)
extra=()
if [[ $1 == armv7 ]]; then
    # A #![no_core] crate has no compiler_builtins: musl's libc.a needs
    # __aeabi_uidiv, and rustc's -nodefaultlibs keeps libgcc out. The finding says so.
    expect_fail_with_code 1 "${rust[@]}"
    expect_contains "$ERR" "error [library-not-on-command-line]: undefined symbol __aeabi_uidiv: libgcc.a defines it, but it is not linked" "rustc's link"
    extra=(-C link-arg=-lgcc)
fi
ok "${rust[@]}" "${extra[@]}"
expect_eq "$(elf_interp nocore)" "" "program interpreter of the Rust program (+crt-static)"
ok "$SHIMS/$T-run" ./nocore
expect_eq "$OUT" "no_core on musl" "output of the Rust program"

echo "== C++: no musl libstdc++ in Debian"
printf '#include <cstdio>\nint main() { std::puts("c++"); }\n' >hello.cpp
expect_fail_with_code 1 "$SHIMS/$T-c++" hello.cpp -o hello-cpp
expect_contains "$ERR" "Debian has no libstdc++ for musl" "c++ error"

pass
