#!/usr/bin/env bash
# binutils-aarch64: the tool names beside the compilers -- ar, ranlib, nm,
# strip, objcopy, objdump, readelf, size, ld (-r), cpp -- through the Rust and
# GNU spellings, as a Makefile or cc-rs uses them: a static library made with
# <triple>-ar is linked into a program that runs under qemu.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
cat >lib.c <<'C'
int e2e_add(int a, int b) { return a + b; }
C
cat >main.c <<'C'
#include <stdio.h>
int e2e_add(int, int);
int main(void) { printf("e2e_add(40, 2) = %d\n", e2e_add(40, 2)); return 0; }
C

for p in "$TRIPLE" "$GNU"; do
    echo "== $p-*"
    ok "$SHIMS/$p-cc" -O2 -c lib.c -o "lib-$p.o"
    ok "$SHIMS/$p-ar" rc "libe2e-$p.a" "lib-$p.o"
    ok "$SHIMS/$p-ranlib" "libe2e-$p.a"
    ok "$SHIMS/$p-ar" t "libe2e-$p.a"
    expect_eq "$OUT" "lib-$p.o" "$p-ar t"
    ok "$SHIMS/$p-nm" "libe2e-$p.a"
    expect_contains "$OUT" "T e2e_add" "$p-nm"
    ok "$SHIMS/$p-cc" -O2 main.c -L. "-le2e-$p" -o "prog-$p"
    expect_machine "prog-$p" "$MACHINE" "$CLASS"
    run_on_target "$CROSS_ROOT" "./prog-$p"
    expect_eq "$OUT" "e2e_add(40, 2) = 42" "output of prog-$p"

    cp "prog-$p" "prog-$p.stripped"
    ok "$SHIMS/$p-strip" "prog-$p.stripped"
    run file "prog-$p.stripped"
    expect_contains "$OUT" ", stripped" "file of the stripped program"
    run_on_target "$CROSS_ROOT" "./prog-$p.stripped"
    expect_eq "$OUT" "e2e_add(40, 2) = 42" "output of the stripped program"
    ok "$SHIMS/$p-objcopy" --only-keep-debug "prog-$p" "prog-$p.debug"
    expect_file "prog-$p.debug"
    ok "$SHIMS/$p-objdump" -d "lib-$p.o"
    expect_contains "$OUT" "<e2e_add>:" "$p-objdump -d"
    ok "$SHIMS/$p-readelf" -h "prog-$p"
    expect_contains "$OUT" "AArch64" "$p-readelf -h"
    ok "$SHIMS/$p-size" "prog-$p"
    expect_contains "$OUT" "prog-$p" "$p-size"
    ok "$SHIMS/$p-ld" -r "lib-$p.o" -o "relocatable-$p.o"
    run file "relocatable-$p.o"
    expect_contains "$OUT" "relocatable, ARM aarch64" "file of the ld -r output"
    ok "$SHIMS/$p-cpp" -P main.c
    expect_contains "$OUT" "int e2e_add(int, int);" "$p-cpp"
    printf '#ifdef __aarch64__\ntarget_is_aarch64\n#endif\n' >probe.h
    ok "$SHIMS/$p-cpp" -P probe.h
    expect_eq "$(tr -d '[:space:]' <<<"$OUT")" target_is_aarch64 "$p-cpp predefines"
done

pass
