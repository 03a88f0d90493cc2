#!/usr/bin/env bash
# masquerade: <stage>/lib/crosshim/masquerade first on PATH. With no target
# asked for, cc/c++/ar are the host's own tools (found on PATH after skipping
# crosshim); CROSSHIM_TARGET or --target= makes them cross-compile. A PATH
# holding only crosshim, or a wrapper script that calls cc again, must stop
# with "recursive invocation" quickly instead of looping.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
host_cc=$(command -v cc) || skip "no host cc on PATH (apt-get install gcc)"
host_cxx=$(command -v c++) || skip "no host c++ on PATH (apt-get install g++)"
host_ar=$(command -v ar) || skip "no host ar on PATH (apt-get install binutils)"
for name in cc c++ gcc g++ ar ld; do
    [[ -L $MASQ/$name ]] || fail "the masquerade folder has no $name"
done
write_hello_c hello.c
write_hello_cpp hello.cpp
MPATH=$MASQ:$PATH

echo "== no target: the host's tools"
ok "$host_cc" --version
want=$OUT
ok env PATH="$MPATH" cc --version
expect_eq "$OUT" "$want" "cc --version through the masquerade folder"
ok "$host_cxx" --version
want=$OUT
ok env PATH="$MPATH" c++ --version
expect_eq "$OUT" "$want" "c++ --version through the masquerade folder"
ok "$host_ar" --version
want=$OUT
ok env PATH="$MPATH" ar --version
expect_eq "$OUT" "$want" "ar --version through the masquerade folder"
ok env PATH="$MPATH" gcc -dumpmachine
expect_eq "$OUT" "$("$host_cc" -dumpmachine)" "gcc -dumpmachine"
# objcopy --target= names an object format, not a target: still the host's objcopy.
ok env PATH="$MPATH" cc -c hello.c -o hello-host.o
ok env PATH="$MPATH" objcopy --target=elf64-x86-64 hello-host.o hello-host-copy.o
ok readelf -h hello-host-copy.o
expect_contains "$OUT" "X86-64" "objcopy --target=elf64-x86-64 through the masquerade folder"
ok env PATH="$MPATH" cc -O2 hello.c -lm -o hello-host
expect_machine hello-host "Advanced Micro Devices X86-64" ELF64
ok ./hello-host 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of hello-host"
# A second spelling of the masquerade folder (a symlink to it) is skipped too.
ln -s "$MASQ" "$WORK/masq-link"
ok env PATH="$WORK/masq-link:$MPATH" cc --version
expect_eq "$OUT" "$("$host_cc" --version)" "cc --version with the folder on PATH twice"

echo "== CROSSHIM_TARGET=$TRIPLE"
ok env PATH="$MPATH" CROSSHIM_TARGET="$TRIPLE" cc -O2 -Wall hello.c -lm -o hello-env
expect_machine hello-env "$MACHINE" "$CLASS"
expect_interp hello-env "$LOADER"
run_on_target "$CROSS_ROOT" ./hello-env 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of hello-env"
ok env PATH="$MPATH" CROSSHIM_TARGET="$TRIPLE" c++ -O2 -c hello.cpp -o hello-env-cpp.o
expect_machine hello-env-cpp.o "$MACHINE" "$CLASS"
ok env PATH="$MPATH" CROSSHIM_TARGET="$TRIPLE" g++ hello-env-cpp.o -o hello-env-cpp
run_on_target "$CROSS_ROOT" ./hello-env-cpp 4 5 6
expect_eq "$OUT" "$HELLO_CPP_LINE" "output of hello-env-cpp"
ok env PATH="$MPATH" CROSSHIM_TARGET="$TRIPLE" gcc -dumpmachine
expect_contains "$OUT" "aarch64" "gcc -dumpmachine with CROSSHIM_TARGET"

echo "== --target=$GNU"
ok env PATH="$MPATH" cc --target="$GNU" -O2 hello.c -lm -o hello-flag
expect_machine hello-flag "$MACHINE" "$CLASS"
expect_interp hello-flag "$LOADER"
run_on_target "$CROSS_ROOT" ./hello-flag 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of hello-flag"
ok env PATH="$MPATH" cc -target "$GNU" -c hello.c -o hello-flag2.o
expect_machine hello-flag2.o "$MACHINE" "$CLASS"

echo "== recursion: only crosshim on PATH"
start=$SECONDS
expect_fail_with_code 1 timeout 20 env PATH="$MASQ:$MASQ" cc --version
expect_contains "$ERR" "recursive invocation" "stderr"
expect_fail_with_code 1 timeout 20 env PATH="$MASQ:$WORK/masq-link" cc hello.c -o never
expect_contains "$ERR" "recursive invocation" "stderr"
expect_no_file never

echo "== recursion: a wrapper script named cc that calls cc again"
mkdir -p "$WORK/loop"
printf '#!/bin/sh\nexec cc "$@"\n' >"$WORK/loop/cc"
chmod +x "$WORK/loop/cc"
expect_fail_with_code 1 timeout 20 env PATH="$MASQ:$WORK/loop:$PATH" cc --version
expect_contains "$ERR" "recursive invocation" "stderr"
expect_contains "$ERR" "CROSSHIM_DEPTH" "stderr"
expect_fail_with_code 1 timeout 20 env PATH="$MASQ:$WORK/loop:$PATH" cc hello.c -o never
expect_contains "$ERR" "recursive invocation" "stderr"
expect_no_file never
((SECONDS - start < 20)) || fail "the recursion checks took $((SECONDS - start))s"

pass
