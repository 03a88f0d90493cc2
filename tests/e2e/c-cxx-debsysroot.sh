#!/usr/bin/env bash
# c-cxx-debsysroot ARCH (aarch64, armv7, i686): C and C++ hello against a
# merged multiarch sysroot unpacked from Debian .debs (the debsysroot-<arch>
# fixture), named (1) by CROSSHIM_SYSROOT_<TRIPLE> and (2) by a crosshim.toml
# found from the current directory. The cross packages in /usr/<gnu-triple>
# are installed too: nothing may come from them, nor from the build machine.
# Programs run under qemu -L <fixture sysroot>.
source "$(dirname "$0")/common.sh"

arch_info "${1:?usage: c-cxx-debsysroot.sh ARCH}"
need_stage
need_cmd "$QEMU" "apt-get install qemu-user"
need_fixture_sysroot
ROOT=$FIXTURE_SYSROOT

write_hello_c hello.c
write_hello_cpp hello.cpp
if [[ $CLASS == ELF64 ]]; then c_line=$HELLO_C_LINE_64; else c_line=$HELLO_C_LINE_32; fi
cc=$SHIMS/$TRIPLE-cc cxx=$SHIMS/$TRIPLE-c++

build_and_run() { # TAG: the sysroot is already configured
    local tag=$1 resource_dir
    ok "$cc" -print-resource-dir
    resource_dir=$OUT
    local allowed=("$ROOT" "$resource_dir")

    # C: compile, link; libm must be a shared dependency (the fixture's
    # relative libm.so link works; an absolute one would silently pick libm.a).
    ok "$cc" -O2 -Wall -Wextra -std=c11 -c hello.c -o "c-$tag.o"
    expect_machine "c-$tag.o" "$MACHINE" "$CLASS"
    ok "$cc" "c-$tag.o" -lm -o "c-$tag"
    expect_machine "c-$tag" "$MACHINE" "$CLASS"
    expect_interp "c-$tag" "$LOADER"
    expect_needed "c-$tag" libm.so.6
    ok timeout 120 "$QEMU" -L "$ROOT" "./c-$tag" 2
    expect_eq "$OUT" "$c_line" "output of c-$tag"
    # C, one step, with the GNU name.
    ok "$SHIMS/$GNU-gcc" -O2 -Wall -Wextra -std=c11 hello.c -lm -o "c1-$tag"
    expect_machine "c1-$tag" "$MACHINE" "$CLASS"
    ok timeout 120 "$QEMU" -L "$ROOT" "./c1-$tag" 2
    expect_eq "$OUT" "$c_line" "output of c1-$tag"

    # C++: one step, and compile + link with the GNU name.
    ok "$cxx" -O2 -Wall -Wextra -std=c++17 hello.cpp -o "cpp-$tag"
    expect_machine "cpp-$tag" "$MACHINE" "$CLASS"
    expect_interp "cpp-$tag" "$LOADER"
    expect_needed "cpp-$tag" libstdc++.so.6
    ok timeout 120 "$QEMU" -L "$ROOT" "./cpp-$tag" 4 5 6
    expect_eq "$OUT" "$HELLO_CPP_LINE" "output of cpp-$tag"
    ok "$SHIMS/$GNU-g++" -O2 -std=c++17 -c hello.cpp -o "cpp2-$tag.o"
    ok "$SHIMS/$GNU-g++" "cpp2-$tag.o" -o "cpp2-$tag"
    ok timeout 120 "$QEMU" -L "$ROOT" "./cpp2-$tag" 4 5 6
    expect_eq "$OUT" "$HELLO_CPP_LINE" "output of cpp2-$tag"

    # Headers and link inputs: the fixture sysroot and clang's resource dir
    # only (not /usr/<gnu-triple>, not the build machine's /usr/include).
    ok "$cxx" -std=c++17 -M hello.cpp
    expect_paths_under "C++ headers ($tag)" "$OUT" "${allowed[@]}"
    ok "$cc" -M hello.c
    expect_paths_under "C headers ($tag)" "$OUT" "${allowed[@]}"
    ok "$cxx" "cpp2-$tag.o" -o "cpp-trace-$tag" -Wl,--trace
    expect_paths_under "C++ link inputs ($tag)" "$OUT" "${allowed[@]}"
    expect_contains "$OUT" "libstdc++.so" "C++ link inputs ($tag)"
}

echo "== sysroot from $SYSROOT_VAR"
export "$SYSROOT_VAR=$ROOT"
ok "$CROSSHIM" which "$TRIPLE-cc"
expect_contains "$OUT" "sysroot: $ROOT [multiarch, merged /usr]" "crosshim which"
expect_contains "$OUT" "from:    $SYSROOT_VAR" "crosshim which"
build_and_run env
unset "$SYSROOT_VAR"

echo "== sysroot from crosshim.toml in the current directory's parent"
cat >"$WORK/crosshim.toml" <<EOF
# written by tests/e2e/c-cxx-debsysroot.sh
[target.$TRIPLE]
sysroot = $(toml_str "$ROOT")
EOF
mkdir -p "$WORK/project"
cd "$WORK/project"
cp ../hello.c ../hello.cpp .
ok "$CROSSHIM" which "$TRIPLE-cc"
expect_contains "$OUT" "sysroot: $ROOT [multiarch, merged /usr]" "crosshim which"
expect_contains "$OUT" "config:  $WORK/crosshim.toml" "crosshim which"
expect_contains "$OUT" "from:    config $WORK/crosshim.toml:3" "crosshim which"
ok "$CROSSHIM" which "$GNU-g++"
expect_contains "$OUT" "sysroot: $ROOT [multiarch, merged /usr]" "crosshim which (GNU name)"
build_and_run toml

echo "== sysroot from \$XDG_DATA_HOME/crosshim/sysroots/$TRIPLE (a link to the fixture)"
cd "$WORK"
rm "$WORK/crosshim.toml"
user_dir=$XDG_DATA_HOME/crosshim/sysroots/$TRIPLE
mkdir -p "${user_dir%/*}"
ln -s "$ROOT" "$user_dir"
ok "$CROSSHIM" which "$TRIPLE-cc"
expect_contains "$OUT" "sysroot: $user_dir [multiarch, merged /usr]" "crosshim which"
ok "$cc" -O2 hello.c -lm -o c-user
expect_machine c-user "$MACHINE" "$CLASS"
expect_needed c-user libm.so.6
ok timeout 120 "$QEMU" -L "$ROOT" ./c-user 2
expect_eq "$OUT" "$c_line" "output of c-user"
ok "$cc" -print-resource-dir
resource_dir=$OUT
ok "$cc" -M hello.c
expect_paths_under "C headers (user sysroot dir)" "$OUT" "$ROOT" "$resource_dir"

echo "== precedence: crosshim.toml, then $SYSROOT_VAR, then the user dir, then the system"
ok env "$SYSROOT_VAR=$CROSS_ROOT" "$CROSSHIM" which "$TRIPLE-cc"
expect_contains "$OUT" "from:    $SYSROOT_VAR" "crosshim which ($SYSROOT_VAR over the user dir)"
printf '[target.%s]\nsysroot = %s\n' "$TRIPLE" "$(toml_str "$ROOT")" >"$WORK/crosshim.toml"
ok env "$SYSROOT_VAR=$CROSS_ROOT" "$CROSSHIM" which "$TRIPLE-cc"
expect_contains "$OUT" "sysroot: $ROOT [multiarch, merged /usr]" "crosshim which (crosshim.toml over $SYSROOT_VAR)"
expect_contains "$OUT" "from:    config $WORK/crosshim.toml:2" "crosshim which"
rm "$WORK/crosshim.toml" "$user_dir"
if [[ -d $CROSS_ROOT ]]; then
    ok "$CROSSHIM" which "$TRIPLE-cc"
    expect_contains "$OUT" "sysroot: $CROSS_ROOT [debian-cross]" "crosshim which (nothing configured)"
fi
expect_fail_with_code 1 env "$SYSROOT_VAR=$WORK/no-such-sysroot" "$cc" -c hello.c -o never.o
expect_contains "$ERR" "$SYSROOT_VAR" "stderr"
expect_contains "$ERR" "$WORK/no-such-sysroot" "stderr"
expect_no_file never.o

pass
