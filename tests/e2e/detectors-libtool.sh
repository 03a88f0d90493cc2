#!/usr/bin/env bash
# detectors-libtool: an automake + libtool project (a shared library, a
# program using it, and a relocatable object made by libtool's `$LD -r`),
# configured with the shim folder first on PATH, for aarch64-linux-gnu with
# --with-sysroot (libtool asks `$CC -print-sysroot`) and for
# x86_64-w64-mingw32, where libtool builds a DLL only if `objdump -f` of
# ws2_32's import library says GNU's `pe-x86-64` and `$CC -print-prog-name=ld`
# names a linker that does `ld -r` on COFF objects, and finds the DLL of an
# import library with `dlltool --identify`. Debian's GNU toolchains
# build the same tree the same way (checked alongside).
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
for tool in autoreconf libtoolize automake make "$GNU-gcc" x86_64-w64-mingw32-gcc; do need_cmd "$tool"; done
need_path /usr/bin/x86_64-w64-mingw32-dlltool "apt-get install binutils-mingw-w64-x86-64"

mkdir -p proj/m4
cd proj
cat >configure.ac <<'AC'
AC_INIT([lt-demo], [1.0])
AC_CONFIG_SRCDIR([demo.c])
AC_CONFIG_MACRO_DIRS([m4])
AM_INIT_AUTOMAKE([foreign])
LT_INIT([win32-dll])
AC_CANONICAL_HOST
case $host_os in mingw*) SOCKLIB=-lws2_32 ;; *) SOCKLIB= ;; esac
AC_SUBST([SOCKLIB])
AC_CONFIG_FILES([Makefile])
AC_OUTPUT
AC
cat >Makefile.am <<'AM'
lib_LTLIBRARIES = libdemo.la
libdemo_la_SOURCES = demo.c
libdemo_la_LDFLAGS = -no-undefined -version-info 1:0:0
libdemo_la_LIBADD = $(SOCKLIB)
bin_PROGRAMS = app
app_SOURCES = app.c
app_LDADD = libdemo.la
# libtool links two objects into one with $LD -r (reload_cmds).
noinst_DATA = combined.lo
combined.lo: part1.lo part2.lo
	$(LIBTOOL) --mode=link $(CC) $(CFLAGS) -o $@ part1.lo part2.lo
part1.lo: part1.c
	$(LIBTOOL) --mode=compile $(CC) $(CFLAGS) -c -o $@ $(srcdir)/part1.c
part2.lo: part2.c
	$(LIBTOOL) --mode=compile $(CC) $(CFLAGS) -c -o $@ $(srcdir)/part2.c
AM
cat >demo.c <<'C'
#ifdef _WIN32
#include <winsock2.h>
__declspec(dllexport) int demo_value(void) { return (int)htons(0x0100); }
#else
int demo_value(void) { return 1; }
#endif
C
printf 'int demo_value(void);\nint main(void) { return demo_value() == 1 ? 0 : 1; }\n' >app.c
printf 'int part1(void) { return 1; }\n' >part1.c
printf 'int part2(void) { return 2; }\n' >part2.c
ok_noisy autoreconf -fi
cd ..

# build NAME HOST PATH-PREFIX [CONFIGURE-ARGS...]
build() {
    local name=$1 host=$2 pathdir=$3
    shift 3
    mkdir -p "b-$name"
    cd "b-$name"
    PATH="$pathdir:$PATH" ok_noisy ../proj/configure --host="$host" "$@"
    PATH="$pathdir:$PATH" ok_noisy make -j2 V=1
    cd "$WORK"
}

echo "== aarch64-linux-gnu through the shims, --with-sysroot"
build shim-aarch64 "$GNU" "$SHIMS" --with-sysroot
expect_eq "$(sed -n "s/^lt_sysroot=//p" b-shim-aarch64/libtool)" "$CROSS_ROOT" "libtool's lt_sysroot (-print-sysroot)"
ld=$(sed -n 's/^LD="\(.*\)"$/\1/p' b-shim-aarch64/libtool | head -1)
[[ $ld == "$SHIMS/$GNU-ld" || $ld == "$SHIMS/$TRIPLE-ld" ]] || fail "libtool's LD (-print-prog-name=ld) is $ld, not the -ld shim"
expect_machine b-shim-aarch64/.libs/libdemo.so.1.0.0 "$MACHINE" "$CLASS"
expect_machine b-shim-aarch64/combined.o "$MACHINE" "$CLASS"
ok timeout 120 "$QEMU" -L "$CROSS_ROOT" -E LD_LIBRARY_PATH="$WORK/b-shim-aarch64/.libs" b-shim-aarch64/.libs/app

echo "== x86_64-w64-mingw32: Debian's GNU toolchain, then the shims"
mkdir -p gnu-bin
build gnu-mingw x86_64-w64-mingw32 "$WORK/gnu-bin"
expect_file b-gnu-mingw/.libs/libdemo-1.dll
build shim-mingw x86_64-w64-mingw32 "$SHIMS"
ld=$(sed -n 's/^LD="\(.*\)"$/\1/p' b-shim-mingw/libtool | head -1)
[[ $ld == "$SHIMS/x86_64-w64-mingw32-ld" || $ld == "$SHIMS/x86_64-pc-windows-gnu-ld" ]] || fail "libtool's LD is $ld, not the -ld shim"
# The import-library check: objdump -f on ws2_32 says pe-x86-64.
ok "$SHIMS/x86_64-w64-mingw32-objdump" -f /usr/x86_64-w64-mingw32/lib/libws2_32.a
expect_contains "$OUT" "file format pe-x86-64"
expect_not_contains "$OUT" "coff-x86-64"
expect_file b-shim-mingw/.libs/libdemo-1.dll
expect_file b-shim-mingw/.libs/libdemo.dll.a
expect_contains "$(file -b b-shim-mingw/.libs/libdemo-1.dll)" "PE32+" "libdemo-1.dll"
expect_contains "$(file -b b-shim-mingw/combined.o)" "COFF" "combined.o (ld -r)"
# How libtool finds the DLL of an import library (sharedlib_from_linklib_cmd):
# `$DLLTOOL --identify` when `$DLLTOOL --help` names --identify-strict, as
# GNU's dlltool does; its fallback reads .idata$7 sections, which lld's short
# import members do not have.
from_linklib() { sed -n 's/^sharedlib_from_linklib_cmd=//p' "$1/libtool" | head -1; }
expect_eq "$(from_linklib b-shim-mingw)" "$(from_linklib b-gnu-mingw)" "libtool's sharedlib_from_linklib_cmd"
for lib in b-shim-mingw/.libs/libdemo.dll.a b-gnu-mingw/.libs/libdemo.dll.a /usr/x86_64-w64-mingw32/lib/libws2_32.a; do
    ok /usr/bin/x86_64-w64-mingw32-dlltool --identify-strict --identify "$lib"
    gnu=$OUT
    ok "$SHIMS/x86_64-w64-mingw32-dlltool" --identify-strict --identify "$lib"
    expect_eq "$OUT" "$gnu" "dlltool --identify $lib"
done
expect_eq "$OUT" WS2_32.dll "dlltool --identify libws2_32.a"
expect_fail_with_code 1 "$SHIMS/x86_64-w64-mingw32-dlltool" --identify /usr/x86_64-w64-mingw32/lib/libmingwex.a
expect_contains "$ERR" "not an import library" "stderr"
pass
