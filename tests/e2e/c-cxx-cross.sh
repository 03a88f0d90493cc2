#!/usr/bin/env bash
# c-cxx-cross ARCH (aarch64, armv7, i686): C and C++ hello through the
# installed shim names against Debian's cross packages (/usr/<gnu-triple>, no
# sysroot configured), both the Rust-triple names (<triple>-cc, <triple>-c++)
# and the GNU names (aarch64-linux-gnu-gcc, arm-linux-gnueabihf-g++, ...), one
# step and separate -c and link steps. Every compile and link must print
# nothing on stderr; each program must be for the right machine and loader,
# need the target's libm/libstdc++, and print the expected line under qemu.
source "$(dirname "$0")/common.sh"

arch_info "${1:?usage: c-cxx-cross.sh ARCH}"
need_stage
need_cross_packages

write_hello_c hello.c
write_hello_cpp hello.cpp
if [[ $CLASS == ELF64 ]]; then c_line=$HELLO_C_LINE_64; else c_line=$HELLO_C_LINE_32; fi

# Where headers and link inputs may come from: the cross packages and clang's
# own resource directory; never the build machine's /usr/include or
# /usr/lib/x86_64-linux-gnu.
ok "$SHIMS/$TRIPLE-cc" -print-resource-dir
resource_dir=$OUT
[[ -d $resource_dir ]] || fail "-print-resource-dir through the shim gave '$resource_dir'"
allowed=("$CROSS_ROOT" "/usr/lib/gcc-cross/$GNU" "$resource_dir")

check_c() { # PROGRAM
    expect_machine "$1" "$MACHINE" "$CLASS"
    expect_interp "$1" "$LOADER"
    expect_needed "$1" libm.so.6
    run_on_target "$CROSS_ROOT" "$1" 2
    expect_eq "$OUT" "$c_line" "output of ${1##*/}"
}

check_cpp() { # PROGRAM
    expect_machine "$1" "$MACHINE" "$CLASS"
    expect_interp "$1" "$LOADER"
    expect_needed "$1" libstdc++.so.6
    run_on_target "$CROSS_ROOT" "$1" 4 5 6
    expect_eq "$OUT" "$HELLO_CPP_LINE" "output of ${1##*/}"
}

for spelling in rust gnu; do
    if [[ $spelling == rust ]]; then
        cc=$SHIMS/$TRIPLE-cc cxx=$SHIMS/$TRIPLE-c++
    else
        cc=$SHIMS/$GNU-gcc cxx=$SHIMS/$GNU-g++
    fi
    [[ -L $cc && -L $cxx ]] || fail "the stage has no $cc / $cxx"
    echo "== $spelling names: ${cc##*/}, ${cxx##*/}"

    # C, one step.
    ok "$cc" -O2 -Wall -Wextra -std=c11 hello.c -lm -o "c1-$spelling"
    check_c "c1-$spelling"
    # C, compile then link.
    ok "$cc" -O2 -Wall -Wextra -std=c11 -c hello.c -o "c-$spelling.o"
    expect_machine "c-$spelling.o" "$MACHINE" "$CLASS"
    ok "$cc" "c-$spelling.o" -lm -o "c2-$spelling"
    check_c "c2-$spelling"

    # C++, one step.
    ok "$cxx" -O2 -Wall -Wextra -std=c++17 hello.cpp -o "cpp1-$spelling"
    check_cpp "cpp1-$spelling"
    # C++, compile then link.
    ok "$cxx" -O2 -Wall -Wextra -std=c++17 -c hello.cpp -o "cpp-$spelling.o"
    expect_machine "cpp-$spelling.o" "$MACHINE" "$CLASS"
    ok "$cxx" "cpp-$spelling.o" -o "cpp2-$spelling"
    check_cpp "cpp2-$spelling"
done

echo "== headers and link inputs come from the cross packages only"
ok "$SHIMS/$TRIPLE-c++" -std=c++17 -M hello.cpp
expect_paths_under "C++ headers" "$OUT" "${allowed[@]}"
ok "$SHIMS/$TRIPLE-c++" cpp-rust.o -o cpp-trace -Wl,--trace
expect_paths_under "C++ link inputs" "$OUT" "${allowed[@]}"
ok "$SHIMS/$TRIPLE-cc" c-rust.o -lm -o c-trace -Wl,--trace
expect_paths_under "C link inputs" "$OUT" "${allowed[@]}"
expect_contains "$OUT" "libc.so.6" "the C link inputs"

pass
