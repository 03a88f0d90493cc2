#!/usr/bin/env bash
# llvm16: the shim driving Debian's LLVM 16 (CROSSHIM_LLVM=/usr/lib/llvm-16)
# instead of the default 14. clang 16 fails on its own against Debian's cross
# packages (`cannot open crtbeginS.o`) and without a musl sysroot; through the
# shim, C and C++ for aarch64 and C for x86_64-musl build with clang 16 and
# ld.lld 16 and run.
source "$(dirname "$0")/common.sh"

need_stage
need_path /usr/lib/llvm-16/bin/clang "apt-get install clang-16"
need_path /usr/lib/llvm-16/bin/ld.lld "apt-get install lld-16"
need_path /usr/aarch64-linux-gnu/lib/crt1.o "apt-get install libc6-dev-arm64-cross"
export CROSSHIM_LLVM=/usr/lib/llvm-16

write_hello_c hello.c
write_hello_cpp hello.cpp

echo "== which: the LLVM 16 tools, and why"
ok "$CROSSHIM" which aarch64-unknown-linux-gnu-cc
expect_contains "$OUT" "/usr/lib/llvm-16/bin/clang" "crosshim which"
expect_contains "$OUT" "CROSSHIM_LLVM=/usr/lib/llvm-16" "crosshim which"
ok "$CROSSHIM" which ld.lld
expect_contains "$OUT" "/usr/lib/llvm-16/bin/ld.lld" "crosshim which ld.lld"

echo "== aarch64 C and C++ with clang 16 and ld.lld 16"
ok "$SHIMS/aarch64-unknown-linux-gnu-cc" -O2 -c hello.c -o hello.o
expect_eq "$ERR" "" "stderr of the compile"
ok readelf -p .comment hello.o
expect_contains "$OUT" "clang version 16" "the compiler that made hello.o"
ok "$SHIMS/aarch64-unknown-linux-gnu-cc" hello.o -lm -o hello
expect_eq "$ERR" "" "stderr of the link"
ok readelf -p .comment hello
expect_contains "$OUT" "Linker: Debian LLD 16" "the linker that made hello"
expect_machine hello AArch64 ELF64
ok qemu-aarch64 -L /usr/aarch64-linux-gnu ./hello 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of hello"

ok "$SHIMS/aarch64-unknown-linux-gnu-c++" -O2 hello.cpp -o hello-cpp
expect_eq "$ERR" "" "stderr of the C++ build"
ok qemu-aarch64 -L /usr/aarch64-linux-gnu ./hello-cpp 1 2 3 4 5
expect_eq "$OUT" "$HELLO_CPP_LINE" "output of hello-cpp"

echo "== x86_64-musl with clang 16 (needs libclang-rt-16-dev)"
need_path /usr/lib/x86_64-linux-musl/crt1.o "apt-get install musl-dev"
ok "$SHIMS/x86_64-unknown-linux-musl-cc" -O2 hello.c -o hello-musl
expect_interp hello-musl /lib/ld-musl-x86_64.so.1
ok ./hello-musl 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of hello-musl"

pass
