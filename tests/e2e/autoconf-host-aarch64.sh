#!/usr/bin/env bash
# autoconf-host-aarch64: a small autoconf project (written here) configured
# with --host=aarch64-linux-gnu and the shim folder first on PATH: configure
# must pick aarch64-linux-gnu-gcc, see libm, compute sizeof(long) = 8 for the
# target (a compile-time probe: the program cannot run on the build machine),
# and make must build an AArch64 program that runs under qemu-aarch64.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
need_cmd autoconf "apt-get install autoconf"
need_cmd make "apt-get install make"

mkdir -p proj
cd proj
cat >configure.ac <<'AC'
AC_INIT([crosshim-e2e], [1.0])
AC_CONFIG_SRCDIR([hello.c])
AC_PROG_CC
AC_CHECK_LIB([m], [sqrt])
AC_CHECK_SIZEOF([long])
AC_CONFIG_FILES([Makefile])
AC_OUTPUT
AC
cat >Makefile.in <<'MK'
CC = @CC@
CFLAGS = @CFLAGS@
CPPFLAGS = @CPPFLAGS@
LDFLAGS = @LDFLAGS@
DEFS = @DEFS@
LIBS = @LIBS@

hello: hello.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEFS) $(LDFLAGS) -o $@ hello.c $(LIBS)

clean:
	rm -f hello
MK
cat >hello.c <<'C'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    double v = argc > 1 ? atof(argv[1]) : 2.0;
    printf("autoconf hello: SIZEOF_LONG=%d sizeof(long)=%d sqrt=%.6f\n",
           SIZEOF_LONG, (int)sizeof(long), sqrt(v));
    return 0;
}
C

ok_noisy autoconf
expect_file configure
ok_noisy env PATH="$SHIMS:$PATH" ./configure --host=aarch64-linux-gnu
expect_contains "$OUT" "checking for aarch64-linux-gnu-gcc... aarch64-linux-gnu-gcc" "configure output"
expect_contains "$OUT" "checking whether the C compiler works... yes" "configure output"
expect_contains "$OUT" "checking for sqrt in -lm... yes" "configure output"
expect_contains "$OUT" "checking size of long... 8" "configure output"
[[ -z $ERR ]] || fail "configure printed on stderr: $ERR"
config_log=$(<config.log)
expect_contains "$config_log" "CC='aarch64-linux-gnu-gcc'" "config.log"
expect_contains "$config_log" "#define SIZEOF_LONG 8" "config.log"
expect_contains "$config_log" "#define HAVE_LIBM 1" "config.log"
expect_contains "$config_log" "host_alias='aarch64-linux-gnu'" "config.log"

ok_noisy env PATH="$SHIMS:$PATH" make
[[ -z $ERR ]] || fail "make printed on stderr: $ERR"
expect_contains "$OUT" "aarch64-linux-gnu-gcc" "make output"
expect_machine hello "$MACHINE" "$CLASS"
expect_interp hello "$LOADER"
expect_needed hello libm.so.6
run_on_target "$CROSS_ROOT" ./hello 2
expect_eq "$OUT" "autoconf hello: SIZEOF_LONG=8 sizeof(long)=8 sqrt=1.414214" "output of hello"

pass
