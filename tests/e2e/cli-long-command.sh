#!/usr/bin/env bash
# cli-long-command: link lines far beyond what execve() accepts. A response
# file that expands to ~3 MB (15000 long -Wl,--defsym arguments, as a huge
# rustc link line) and a ~1.2 MB argv (repeated long -L directories) both
# link; every symbol arrives; the shim passes clang a response file of its own
# from a private directory in TMPDIR and removes it afterwards.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
cc=$SHIMS/$TRIPLE-cc
write_hello_c hello.c
ok "$cc" -O2 -c hello.c -o hello.o

leftovers() { find "$TMPDIR" -mindepth 1 -maxdepth 1 -name 'crosshim*' | sed 's/^/    /'; }

echo "== a response file that expands to ~3 MB"
pad=$(printf 'x%.0s' {1..170})
nsyms=15000
for ((i = 0; i < nsyms; i++)); do
    printf -- '-Wl,--defsym,crosshim_e2e_sym_%s_%05d=0x%x\n' "$pad" "$i" "$((i + 4096))"
done >big.rsp
size=$(stat -c %s big.rsp)
echo "big.rsp: $size bytes, $nsyms arguments"
((size > 2900000)) || fail "big.rsp is only $size bytes"
ok env CROSSHIM_LOG="$WORK/big.log" "$cc" hello.o @big.rsp -lm -o big
expect_machine big "$MACHINE" "$CLASS"
count=$(readelf -Ws big | grep -c " crosshim_e2e_sym_${pad}_" || true)
expect_eq "$count" "$nsyms" "number of --defsym symbols in the program"
last=$(readelf -Ws big | grep " crosshim_e2e_sym_${pad}_$(printf '%05d' $((nsyms - 1)))\$" || true)
expect_contains "$last" "$(printf '%016x' $((nsyms - 1 + 4096)))" "the last symbol's value"
run_on_target "$CROSS_ROOT" ./big 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of big"
[[ -z $(leftovers) ]] || fail "left in TMPDIR after the link:"$'\n'"$(leftovers)"
log=$(<"$WORK/big.log")
expect_contains "$log" "command too long; passing @$TMPDIR/crosshim-" "big.log (the shim's own response file)"

echo "== a ~1.2 MB argv"
longdir=$WORK/$(printf 'long-directory-name-%.0s' {1..6})
mkdir -p "$longdir"
args=()
for ((i = 0; i < 4500; i++)); do args+=("-L$longdir/../${longdir##*/}"); done
total=0
for a in "${args[@]}"; do total=$((total + ${#a} + 1)); done
echo "argv: $total bytes in ${#args[@]} -L arguments"
((total > 1000000)) || fail "the argv is only $total bytes"
ok env CROSSHIM_LOG="$WORK/argv.log" "$cc" hello.o "${args[@]}" -lm -o argv
expect_machine argv "$MACHINE" "$CLASS"
run_on_target "$CROSS_ROOT" ./argv 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of argv"
[[ -z $(leftovers) ]] || fail "left in TMPDIR after the link:"$'\n'"$(leftovers)"
expect_contains "$(<"$WORK/argv.log")" "command too long; passing @" "argv.log"

echo "== a failing long link cleans up too"
printf 'extern int crosshim_e2e_missing(void);\nint main(void) { return crosshim_e2e_missing(); }\n' >undefined.c
ok "$cc" -c undefined.c -o undefined.o
expect_fail_with_code 1 "$cc" undefined.o @big.rsp -o never
expect_contains "$ERR" "undefined symbol: crosshim_e2e_missing" "stderr"
expect_no_file never
[[ -z $(leftovers) ]] || fail "left in TMPDIR after a failed link:"$'\n'"$(leftovers)"

echo "== the C++ name and a compile-mode command line that long"
ok "$SHIMS/$TRIPLE-c++" hello.o @big.rsp -o big-cxx
expect_machine big-cxx "$MACHINE" "$CLASS"
defs=()
for ((i = 0; i < 4000; i++)); do defs+=("-DCROSSHIM_E2E_MACRO_${pad}_$i=$i"); done
ok "$cc" -c hello.c "${defs[@]}" -o defs.o
expect_machine defs.o "$MACHINE" "$CLASS"
[[ -z $(leftovers) ]] || fail "left in TMPDIR after the compile:"$'\n'"$(leftovers)"

pass
