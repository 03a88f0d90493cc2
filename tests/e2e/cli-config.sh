#!/usr/bin/env bash
# cli-config: crosshim.toml. Found in the current directory or a parent, else
# $CROSSHIM_CONFIG wins, else ~/.config/crosshim/config.toml. Settings apply
# (cflags, cxxflags, ldflags, relative sysroot paths). A bad file (unknown
# key, syntax error, wrong type, unknown target) is exit 2 with
# "crosshim.toml:<line>:" and nothing runs: no output file, no final command.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
cc=$SHIMS/$TRIPLE-cc cxx=$SHIMS/$TRIPLE-c++
mkdir -p proj/sub
cd proj/sub
cat >flags.c <<'C'
#include <stdio.h>
#ifndef FROM_CONFIG
#define FROM_CONFIG 0
#endif
#ifndef FROM_CXXFLAGS
#define FROM_CXXFLAGS 0
#endif
int main(void) {
    printf("cflags %d cxxflags %d\n", FROM_CONFIG, FROM_CXXFLAGS);
    return 0;
}
C
cp flags.c flags.cpp

echo "== settings from the nearest crosshim.toml (in a parent directory)"
cat >"$WORK/proj/crosshim.toml" <<'TOML'
# crosshim e2e: a good file
[target.aarch64-unknown-linux-gnu]
cflags = ["-DFROM_CONFIG=42"]
cxxflags = ["-DFROM_CXXFLAGS=7"]
ldflags = ["-Wl,--defsym,crosshim_e2e_from_ldflags=0x1234"]
TOML
ok "$cc" -O2 flags.c -o flags-c
run_on_target "$CROSS_ROOT" ./flags-c
expect_eq "$OUT" "cflags 42 cxxflags 0" "output of flags-c"
syms=$(readelf -Ws flags-c)
expect_contains "$syms" " crosshim_e2e_from_ldflags" "symbols of flags-c (ldflags from crosshim.toml)"
ok "$cxx" -O2 flags.cpp -o flags-cpp
run_on_target "$CROSS_ROOT" ./flags-cpp
expect_eq "$OUT" "cflags 42 cxxflags 7" "output of flags-cpp"
ok "$CROSSHIM" which "$TRIPLE-cc"
expect_contains "$OUT" "config:  $WORK/proj/crosshim.toml" "crosshim which"
# Other targets are not affected by this target's table.
ok "$SHIMS/x86_64-unknown-linux-gnu-cc" flags.c -o flags-host
ok ./flags-host
expect_eq "$OUT" "cflags 0 cxxflags 0" "output of flags-host"

echo "== a relative sysroot is relative to the file"
mkdir -p "$WORK/proj/rel/sysroot"
cat >"$WORK/proj/crosshim.toml" <<'TOML'
[target.armv7-unknown-linux-gnueabihf]
sysroot = "rel/sysroot"
TOML
ok "$CROSSHIM" which armv7-unknown-linux-gnueabihf-cc
expect_contains "$OUT" "sysroot: $WORK/proj/rel/sysroot [" "crosshim which"
expect_contains "$OUT" "from:    config $WORK/proj/crosshim.toml:2" "crosshim which"

echo "== CROSSHIM_CONFIG, then the nearest file, then ~/.config/crosshim/config.toml"
mkdir -p "$XDG_CONFIG_HOME/crosshim"
printf '[target.aarch64-unknown-linux-gnu]\ncflags = ["-DFROM_CONFIG=3"]\n' >"$XDG_CONFIG_HOME/crosshim/config.toml"
printf '[target.aarch64-unknown-linux-gnu]\ncflags = ["-DFROM_CONFIG=2"]\n' >"$WORK/explicit.toml"
printf '[target.aarch64-unknown-linux-gnu]\ncflags = ["-DFROM_CONFIG=1"]\n' >"$WORK/proj/crosshim.toml"
ok "$cc" flags.c -o near
run_on_target "$CROSS_ROOT" ./near
expect_eq "$OUT" "cflags 1 cxxflags 0" "with the nearest crosshim.toml"
ok env CROSSHIM_CONFIG="$WORK/explicit.toml" "$cc" flags.c -o explicit
run_on_target "$CROSS_ROOT" ./explicit
expect_eq "$OUT" "cflags 2 cxxflags 0" "with CROSSHIM_CONFIG"
rm "$WORK/proj/crosshim.toml"
ok "$cc" flags.c -o user
run_on_target "$CROSS_ROOT" ./user
expect_eq "$OUT" "cflags 3 cxxflags 0" "with ~/.config/crosshim/config.toml"
ok "$CROSSHIM" which "$TRIPLE-cc"
expect_contains "$OUT" "config:  $XDG_CONFIG_HOME/crosshim/config.toml" "crosshim which"
rm "$XDG_CONFIG_HOME/crosshim/config.toml"
expect_fail_with_code 2 env CROSSHIM_CONFIG="$WORK/missing.toml" "$cc" -c flags.c -o missing.o
expect_contains "$ERR" "missing.toml" "stderr"
expect_no_file missing.o

# bad_config LINE TEXT: the file must be rejected at LINE, and nothing runs.
n=0
bad_config() {
    local line=$1 text=$2 tool
    n=$((n + 1))
    printf '%s' "$text" >"$WORK/proj/crosshim.toml"
    echo "--- crosshim.toml #$n:"
    cat -n "$WORK/proj/crosshim.toml"
    for tool in "$TRIPLE-cc" "$GNU-g++" "$TRIPLE-ar"; do
        local out=bad-$n-$tool
        rm -f "$WORK/bad.log"
        if [[ $tool == *-ar ]]; then
            expect_fail_with_code 2 env CROSSHIM_LOG="$WORK/bad.log" "$SHIMS/$tool" rcs "$out.a"
        else
            expect_fail_with_code 2 env CROSSHIM_LOG="$WORK/bad.log" "$SHIMS/$tool" flags.c -o "$out"
        fi
        expect_contains "$ERR" "crosshim: error: $WORK/proj/crosshim.toml:$line:" "stderr ($tool)"
        expect_no_file "$out"
        expect_no_file "$out.a"
        if [[ -f $WORK/bad.log ]] && grep -q '\] out: ' "$WORK/bad.log"; then
            fail "a command was run (or about to be) despite the bad crosshim.toml: $(cat "$WORK/bad.log")"
        fi
    done
    expect_fail_with_code 2 "$CROSSHIM" which "$TRIPLE-cc"
    expect_contains "$ERR" "crosshim.toml:$line:" "stderr (crosshim which)"
    expect_fail_with_code 2 "$CROSSHIM" targets
    expect_contains "$ERR" "crosshim.toml:$line:" "stderr (crosshim targets)"
}

echo "== bad files"
bad_config 4 $'# e2e\n[target.aarch64-unknown-linux-gnu]\ncflags = ["-O2"]\nsysrot = "/x"\n'
expect_contains "$ERR" "sysrot" "stderr"
bad_config 2 $'llvm = "/usr"\nbogus = 1\n'
expect_contains "$ERR" "bogus" "stderr"
bad_config 3 $'[target.aarch64-unknown-linux-gnu]\ncflags = ["-O2"]\nsysroot = = "/x"\nldflags = []\n'
bad_config 2 $'# e2e\nllvm = 3\n'
expect_contains "$ERR" "llvm" "stderr"
bad_config 1 $'[target.aarch64-unknown-linux-gnux]\nsysroot = "/x"\n'
expect_contains "$ERR" "did you mean" "stderr"
bad_config 2 $'[target.aarch64-unknown-linux-gnu]\nrust-lld = "maybe"\n'
bad_config 3 $'[target.aarch64-unknown-linux-gnu]\ncflags = []\nglibc = "2.x"\n'
bad_config 2 $'[target.aarch64-unknown-linux-gnu]\ncflags = ["-O2", 3]\n'

pass
