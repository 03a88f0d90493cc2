#!/usr/bin/env bash
# Seeds for the binary-format fuzz targets, built from source at fuzz.build
# time (nothing binary is checked in):
#   elf/      for each of x86-64, AArch64, ARM hard- and soft-float, i386,
#             PowerPC64 (big-endian) and 32-bit MIPS (big-endian): a relocatable
#             object, a shared library with DT_SONAME, DT_RUNPATH, version
#             definitions and a version need, and a dynamic executable with
#             PT_INTERP and DT_NEEDED
#   symbol_index/  GNU archives (symbol table "/", long-name table "//"), a
#             BSD one and a thin one, from the same objects, and the shared
#             libraries (.gnu.hash and, for MIPS, .hash only)
#   args/     argument lists for the quoting round trip: the target splits its
#             input at NUL bytes, which a checked-in text seed cannot hold
#   bitcode/  LTO objects (full and thin, x86-64 and AArch64) and a Darwin one
#             with the bitcode wrapper header
#   coff/     x64, x86 and arm64 objects with /DEFAULTLIB and /FAILIFMISMATCH
#             directives, a /bigobj object, import libraries (llvm-dlltool,
#             llvm-lib), archives of objects (llvm-lib; llvm-ar with two
#             machines) and a PE image (lld-link)
# Usage: make-seeds.sh OUTDIR CLANG LLVM_AR LLVM_BINDIR
set -euo pipefail
out=$1 clang=$2 ar=$3 llvmbin=$4
rm -rf "$out"
mkdir -p "$out/elf" "$out/symbol_index" "$out/args" "$out/coff" "$out/src"
src=$out/src

# The first byte picks the separator the target joins with (odd: newline).
printf 'x\0-o\0out dir/prog\0a"b\0back\\slash\0line\nfeed\0@not-a-file\0--target=armv7-linux-gnueabihf\0-c' \
  >"$out/args/spaces-quotes-newlines"
printf '\001-target\0i686-linux-gnu\0-print-sysroot\0tab\there\0quote'"'"'s\0\0\377\376' \
  >"$out/args/one-per-line"

cat >"$src/dep.c" <<'C'
int dep_value(void) { return 7; }
C
cat >"$src/dep.map" <<'MAP'
DEP_1.0 { global: dep_value; local: *; };
MAP
cat >"$src/tiny.c" <<'C'
int counter;
int dep_value(void);
__attribute__((weak)) int weak_hook(void);
int answer(void) { return 42 + counter + dep_value(); }
int use_hook(void) { return weak_hook ? weak_hook() : 0; }
C
cat >"$src/tiny.map" <<'MAP'
TINY_1.0 { global: answer; local: *; };
TINY_2.0 { global: use_hook; } TINY_1.0;
MAP
cat >"$src/main.c" <<'C'
int answer(void);
void _start(void) { answer(); for (;;) {} }
C
cat >"$src/a_rather_long_member_name_for_the_table.c" <<'C'
long long_named_function(long x) { return x * 3; }
C

# triple, loader, extra flags
targets=(
  "x86_64-linux-gnu|/lib64/ld-linux-x86-64.so.2|"
  "aarch64-linux-gnu|/lib/ld-linux-aarch64.so.1|"
  "armv7-linux-gnueabihf|/lib/ld-linux-armhf.so.3|-march=armv7-a -mfloat-abi=hard"
  "armv7-linux-gnueabi|/lib/ld-linux.so.3|-march=armv7-a -mfloat-abi=soft"
  "i686-linux-gnu|/lib/ld-linux.so.2|"
  "powerpc64-linux-gnu|/lib64/ld64.so.1|"
  "mips-linux-gnu|/lib/ld.so.1|"
)
cc() { "$clang" -x c -O1 -fPIC -w "$@"; }
link() { "$clang" -nostdlib -fuse-ld=lld -Wl,-s -Wl,-z,norelro "$@"; }
for row in "${targets[@]}"; do
  IFS='|' read -r triple loader flags <<<"$row"
  d=$src/$triple
  mkdir -p "$d"
  # shellcheck disable=SC2086 # flags: zero or more words
  {
    cc --target="$triple" $flags -c "$src/dep.c" -o "$d/dep.o"
    cc --target="$triple" $flags -c "$src/tiny.c" -o "$d/tiny.o"
    cc --target="$triple" $flags -c "$src/main.c" -o "$d/main.o"
    cc --target="$triple" $flags -c "$src/a_rather_long_member_name_for_the_table.c" -o "$d/a_rather_long_member_name_for_the_table.o"
    link --target="$triple" -shared -Wl,--version-script="$src/dep.map" -Wl,-soname,libdep.so.1 \
      "$d/dep.o" -o "$d/libdep.so"
    link --target="$triple" -shared -Wl,--version-script="$src/tiny.map" -Wl,-soname,libtiny.so.1 \
      -Wl,--enable-new-dtags -Wl,-rpath,/opt/tiny/lib:/usr/local/lib "$d/tiny.o" "$d/libdep.so" \
      -o "$d/libtiny.so"
    link --target="$triple" -Wl,-e,_start -Wl,--dynamic-linker="$loader" -Wl,-rpath,/home/user/lib "$d/main.o" \
      "$d/libtiny.so" "$d/libdep.so" -o "$d/prog"
  }
  cp "$d/tiny.o" "$out/elf/$triple.o"
  cp "$d/libtiny.so" "$out/elf/libtiny-$triple.so"
  cp "$d/prog" "$out/elf/prog-$triple"
done

x=$src/x86_64-linux-gnu
a=$src/aarch64-linux-gnu
"$ar" rcs --format=gnu "$out/symbol_index/libtiny-gnu.a" "$x/tiny.o" "$x/dep.o" \
  "$x/a_rather_long_member_name_for_the_table.o"
"$ar" rcs --format=gnu "$out/symbol_index/libtiny-aarch64.a" "$a/tiny.o" "$a/dep.o"
"$ar" rcs --format=bsd "$out/symbol_index/libtiny-bsd.a" "$x/tiny.o" "$x/dep.o"
"$ar" rcsT "$out/symbol_index/libtiny-thin.a" "$x/tiny.o" "$x/a_rather_long_member_name_for_the_table.o"
"$ar" rcS --format=gnu "$out/symbol_index/libtiny-nosymtab.a" "$x/tiny.o"
# Shared libraries are the other thing the index reads.
for triple in x86_64-linux-gnu powerpc64-linux-gnu mips-linux-gnu armv7-linux-gnueabihf; do
  cp "$src/$triple/libtiny.so" "$out/symbol_index/libtiny-$triple.so"
done
# ... and one with only the SysV .hash table, as older toolchains made them.
link --target=x86_64-linux-gnu -shared -Wl,--hash-style=sysv -Wl,--version-script="$src/tiny.map" \
  "$x/tiny.o" "$x/libdep.so" -o "$out/symbol_index/libtiny-sysv-hash.so"

# COFF: what the Windows diagnostics read.
cat >"$src/win.c" <<'C'
#pragma comment(lib, "kernel32.lib")
#pragma detect_mismatch("RuntimeLibrary", "MT_StaticRelease")
__declspec(dllimport) int imported(void);
__declspec(dllexport) int exported(void) { return imported() + 1; }
int mainCRTStartup(void) { return exported(); }
C
printf 'LIBRARY imp.dll\nEXPORTS\n  imported\n  other_data DATA\n' >"$src/imp.def"
for m in x86_64:x64:i386:x86-64 i686:x86:i386 aarch64:arm64:arm64; do
  IFS=: read -r arch name dm <<<"$m"
  "$clang" -x c --target="$arch-pc-windows-msvc" -c "$src/win.c" -o "$out/coff/win-$name.obj"
  "$llvmbin/llvm-dlltool" -m "$dm" -d "$src/imp.def" -l "$out/coff/imp-$name.lib"
done
"$clang" -x c --target=x86_64-pc-windows-msvc -Wa,-mbig-obj -c "$src/win.c" -o "$out/coff/win-bigobj.obj"
"$llvmbin/llvm-lib" /out:"$out/coff/objects.lib" "$out/coff/win-x64.obj" "$out/coff/win-bigobj.obj"
"$ar" rcs --format=gnu "$out/coff/mixed-machines.a" "$out/coff/win-x64.obj" "$out/coff/win-arm64.obj"
"$llvmbin/lld-link" /nodefaultlib /entry:mainCRTStartup /subsystem:console /dll \
  /out:"$out/coff/win.dll" /implib:"$out/coff/win-implib.lib" "$out/coff/win-x64.obj" \
  "$out/coff/imp-x64.lib" >/dev/null

# Bitcode: what the LTO objects of a failed link look like (the
# IDENTIFICATION block with its producer string), full and thin LTO, for two
# machines, and the 0x0B17C0DE wrapper Darwin objects carry.
mkdir -p "$out/bitcode"
for triple in x86_64-linux-gnu aarch64-linux-gnu; do
  "$clang" -x c --target="$triple" -flto -c "$src/tiny.c" -o "$out/bitcode/tiny-lto-$triple.o"
  "$clang" -x c --target="$triple" -flto=thin -c "$src/tiny.c" -o "$out/bitcode/tiny-thinlto-$triple.o"
done
"$clang" -x c --target=x86_64-apple-macosx11 -flto -c "$src/tiny.c" -o "$out/bitcode/tiny-lto-darwin.o"

rm -rf "$src"
touch "$out/stamp"
