#!/usr/bin/env bash
# cli-exit-status: the real tool's exit status passes through the shim, in
# compile mode (exec) and link mode (spawn and wait): 0, 1 for a compile
# error, 1 with lld's message for an undefined symbol, and clang's own 70
# (`#pragma clang __debug llvm_fatal_error`) -- compared with clang run
# directly with the same arguments. stderr of the failing tool arrives intact.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
cc=$SHIMS/$TRIPLE-cc
write_hello_c hello.c
printf 'int main(void) { return not_declared; }\n' >compile-error.c
printf 'extern int crosshim_e2e_missing(void);\nint main(void) { return crosshim_e2e_missing(); }\n' >undefined.c
printf '#pragma clang __debug llvm_fatal_error\nint x;\n' >fatal.c

ok "$CROSSHIM" explain-args "$TRIPLE-cc" -c hello.c
clang=$(sed -n 's/^program: \([^ ]*\) .*/\1/p' <<<"$OUT")
[[ -x $clang ]] || fail "explain-args gave no program"
ok "$CROSSHIM" explain-args "$TRIPLE-cc" -c hello.c
expect_match "$OUT" "^mode: +compile \(exec\)" "explain-args -c"
ok "$CROSSHIM" explain-args "$TRIPLE-cc" hello.c
expect_match "$OUT" "^mode: +link \(spawn" "explain-args (link)"

echo "== success"
ok "$cc" -c hello.c -o hello.o
ok "$cc" hello.o -lm -o hello

echo "== compile error: exit 1, clang's diagnostic on stderr"
expect_fail_with_code 1 "$cc" -c compile-error.c -o ce.o
expect_contains "$ERR" "compile-error.c:1:" "stderr"
expect_contains "$ERR" "not_declared" "stderr"
expect_no_file ce.o
expect_fail_with_code 1 "$cc" compile-error.c -o ce
expect_contains "$ERR" "not_declared" "stderr (compile error in link mode)"
expect_no_file ce

echo "== undefined symbol at link time: exit 1, lld's message"
ok "$cc" -c undefined.c -o undefined.o
expect_fail_with_code 1 "$cc" undefined.o -o undef
expect_contains "$ERR" "ld.lld: error: undefined symbol: crosshim_e2e_missing" "stderr"
expect_no_file undef
expect_fail_with_code 1 "$SHIMS/$GNU-g++" undefined.c -o undef2
expect_contains "$ERR" "undefined symbol: crosshim_e2e_missing" "stderr"

echo "== clang's own exit status 70 (internal fatal error) passes through"
for mode in compile link; do
    if [[ $mode == compile ]]; then args=(-c fatal.c -o fatal.o); else args=(fatal.c -o fatal); fi
    run "$clang" --target=aarch64-linux-gnu -fno-crash-diagnostics "${args[@]}"
    direct=$RC
    expect_eq "$direct" 70 "exit status of clang itself ($mode)"
    expect_fail_with_code "$direct" "$cc" -fno-crash-diagnostics "${args[@]}"
    expect_contains "$ERR" "fatal" "stderr ($mode)"
done

echo "== the failing ar, ld and nm names pass their status too"
expect_fail_with_code 1 "$SHIMS/$TRIPLE-ar" t no-such-archive.a
run "$SHIMS/$TRIPLE-nm" no-such-file.o
((RC != 0)) || fail "nm of a missing file succeeded"
ok "$SHIMS/$TRIPLE-nm" hello.o
expect_contains "$OUT" " T main" "nm hello.o"

pass
