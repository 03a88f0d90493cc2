#!/usr/bin/env bash
# musl-x86_64: C hello for x86_64-unknown-linux-musl with Debian's musl-dev,
# dynamic (musl's loader, NEEDED libc.so only) and -static, both run natively;
# with LIBRARY_PATH naming glibc's directory in the environment the musl link
# still takes nothing from glibc. -print-search-dirs names musl's folder.
source "$(dirname "$0")/common.sh"

need_stage
need_path /usr/lib/x86_64-linux-musl/libc.so "apt-get install musl-dev"
need_path /lib/ld-musl-x86_64.so.1 "apt-get install musl (musl-dev depends on it)"

T=x86_64-unknown-linux-musl
cc=$SHIMS/$T-cc
write_hello_c hello.c

ok "$cc" -print-resource-dir
allowed=(/usr/lib/x86_64-linux-musl /usr/include/x86_64-linux-musl "$OUT")

check_musl_inputs() { # LINK-TRACE
    expect_paths_under "musl link inputs" "$1" "${allowed[@]}"
    expect_not_contains "$1" "x86_64-linux-gnu" "musl link inputs"
    expect_not_contains "$1" "libc.so.6" "musl link inputs"
    expect_not_contains "$1" "libgcc" "musl link inputs"
}

echo "== dynamic"
ok "$cc" -O2 -Wall -Wextra -c hello.c -o hello.o
ok "$cc" hello.o -lm -o hello-dyn
expect_machine hello-dyn "Advanced Micro Devices X86-64" ELF64
expect_interp hello-dyn /lib/ld-musl-x86_64.so.1
expect_eq "$(elf_needed hello-dyn)" "libc.so" "NEEDED of hello-dyn (musl: libm is in libc.so)"
run file hello-dyn
expect_contains "$OUT" "dynamically linked, interpreter /lib/ld-musl-x86_64.so.1" "file hello-dyn"
ok ./hello-dyn 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of hello-dyn"

echo "== -print-search-dirs: musl's library folder, which the links search"
# libtool's sys_lib_search_path_spec and Meson's find_library() read it.
ok "$cc" -print-search-dirs
expect_eq "$(sed -n 's/^libraries: =//p' <<<"$OUT")" /usr/lib/x86_64-linux-musl "libraries: line"

echo "== headers: musl's, not glibc's"
ok "$cc" -M hello.c
expect_paths_under "musl headers" "$OUT" "${allowed[@]}"

echo "== static"
ok "$cc" -static -O2 hello.c -lm -o hello-static
expect_machine hello-static "Advanced Micro Devices X86-64" ELF64
expect_eq "$(elf_interp hello-static)" "" "program interpreter of hello-static"
expect_eq "$(elf_needed hello-static)" "" "NEEDED of hello-static"
run file hello-static
expect_contains "$OUT" "statically linked" "file hello-static"
ok ./hello-static 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of hello-static"
ok "$cc" -static hello.o -lm -o hello-static-trace -Wl,--trace
check_musl_inputs "$OUT"

echo "== LIBRARY_PATH=/usr/lib/x86_64-linux-gnu in the environment"
ok env LIBRARY_PATH=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu "$cc" hello.o -lm -o hello-lp
expect_interp hello-lp /lib/ld-musl-x86_64.so.1
expect_eq "$(elf_needed hello-lp)" "libc.so" "NEEDED of hello-lp"
ok ./hello-lp 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of hello-lp"
ok env LIBRARY_PATH=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu "$cc" hello.o -lm -o hello-lp-trace -Wl,--trace
check_musl_inputs "$OUT"
ok env LIBRARY_PATH=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu "$cc" -static hello.o -lm -o hello-lp-static -Wl,--trace
check_musl_inputs "$OUT"
ok ./hello-lp-static 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of hello-lp-static"
# CPATH / C_INCLUDE_PATH must not bring glibc's headers in either.
ok env CPATH=/usr/include C_INCLUDE_PATH=/usr/include/x86_64-linux-gnu "$cc" -M hello.c
expect_paths_under "musl headers with CPATH set" "$OUT" "${allowed[@]}"

pass
