#!/usr/bin/env bash
# cli: `crosshim --help`, `targets`, `which` and `explain-args` of the
# installed binary.
source "$(dirname "$0")/common.sh"

need_stage
cat >x.c <<'C'
int main(void) { return 0; }
C

echo "== --help and --version"
ok "$CROSSHIM" --help
for cmd in targets which install-links explain-args; do
    expect_match "$OUT" "^  $cmd( |$)" "crosshim --help (command $cmd)"
done
for var in CROSSHIM_CONFIG CROSSHIM_SYSROOT_ CROSSHIM_LLVM CROSSHIM_TARGET CROSSHIM_LOG CROSSHIM_DRY_RUN; do
    expect_contains "$OUT" "$var" "crosshim --help"
done
ok "$CROSSHIM" --version
expect_match "$OUT" "^crosshim [0-9]+\.[0-9]+" "crosshim --version"
for cmd in targets which install-links explain-args; do
    ok "$CROSSHIM" "$cmd" --help
    expect_contains "$OUT" "usage: crosshim $cmd" "crosshim $cmd --help"
done
expect_fail_with_code 2 "$CROSSHIM" no-such-command
expect_contains "$ERR" "unknown command 'no-such-command'"

echo "== one usage line per command: README, crosshim --help and <command> --help agree"
# The lines of README.md's Commands block, without "crosshim " and the summary.
readme=$(awk '/^## Commands$/ {s = 1; next}
              s && /^```/ {if (f) exit; f = 1; next}
              f && /^crosshim / {sub(/^crosshim /, ""); sub(/  .*/, ""); print}' "$SRC/README.md" |
         grep -v -- '^--help')
[[ $(wc -l <<<"$readme") -ge 12 ]] || fail "README.md's Commands section has too few usage lines: $readme"
ok "$CROSSHIM" --help
# "  SYNOPSIS   summary" or "  SYNOPSIS" (a long one, its summary below).
listed=$(sed -n 's/^  \([a-z][^ ].*\)$/\1/p' <<<"$OUT" | sed 's/  .*//')
expect_eq "$(sort <<<"$listed")" "$(sort <<<"$readme")" "usage lines of crosshim --help and README.md"
while IFS= read -r synopsis; do
    read -r -a words <<<"$synopsis"
    command=("${words[0]}")
    [[ ${words[0]} == sysroot ]] && command+=("${words[1]}")
    ok "$CROSSHIM" "${command[@]}" --help
    expect_eq "$(head -1 <<<"$OUT")" "usage: crosshim $synopsis" "crosshim ${command[*]} --help"
done <<<"$readme"

echo "== targets"
ok "$CROSSHIM" targets
targets_out=$OUT
for t in x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu i686-unknown-linux-gnu \
    armv7-unknown-linux-gnueabihf arm-unknown-linux-gnueabihf arm-unknown-linux-gnueabi \
    riscv64gc-unknown-linux-gnu powerpc64le-unknown-linux-gnu s390x-unknown-linux-gnu \
    x86_64-unknown-linux-musl aarch64-unknown-linux-musl i686-unknown-linux-musl \
    armv7-unknown-linux-musleabihf; do
    expect_match "$targets_out" "^$t +[✓✗] +[✓✗] +[✓✗] " "crosshim targets (row $t)"
done
# What this machine has (the README's test command installs it).
expect_match "$targets_out" "^x86_64-unknown-linux-gnu +✓ +✓ +✓ host /\$" "crosshim targets"
for row in "aarch64-unknown-linux-gnu /usr/aarch64-linux-gnu" \
    "armv7-unknown-linux-gnueabihf /usr/arm-linux-gnueabihf" "i686-unknown-linux-gnu /usr/i686-linux-gnu"; do
    read -r t d <<<"$row"
    [[ -d $d ]] || continue
    expect_match "$targets_out" "^$t +✓ +✓ +✓ debian-cross $d\$" "crosshim targets"
done
if [[ -d /usr/lib/x86_64-linux-musl ]]; then
    expect_match "$targets_out" "^x86_64-unknown-linux-musl +✓ +✓ +✓ debian-musl /usr/lib/x86_64-linux-musl\$" "crosshim targets"
fi
expect_contains "$targets_out" "host: x86_64-unknown-linux-gnu" "crosshim targets"
expect_fail_with_code 2 "$CROSSHIM" targets extra-argument

echo "== explain-args"
ok "$CROSSHIM" explain-args aarch64-unknown-linux-gnu-cc -m64 --target=aarch64-linux-gnu x.c
explain=$OUT
expect_contains "$explain" "target:  aarch64-unknown-linux-gnu" "explain-args"
expect_contains "$explain" "[pointer-width-flag] dropped -m64" "explain-args"
expect_contains "$explain" "[target-flag] dropped --target=aarch64-linux-gnu" "explain-args"
expect_contains "$explain" "[target-from-name] added --target=aarch64-unknown-linux-gnu" "explain-args"
expect_contains "$explain" "[use-lld] added --ld-path=" "explain-args"
expect_contains "$explain" "[quiet-added-flags]" "explain-args"
expect_match "$explain" "^      why: " "explain-args (reasons)"
expect_match "$explain" "^mode: +link" "explain-args"
final=$(sed -n 's/^final: *//p' <<<"$explain")
expect_not_contains "$final" " -m64" "the final command"
expect_not_contains "$final" "--target=aarch64-linux-gnu " "the final command"
expect_contains "$final" "--target=aarch64-unknown-linux-gnu" "the final command"
clang_used=$(sed -n 's/^program: \([^ ]*\) .*/\1/p' <<<"$explain")
[[ -x $clang_used ]] || fail "explain-args names program '$clang_used', which is not executable"
ok "$CROSSHIM" explain-args aarch64-unknown-linux-gnu-cc -c x.c
expect_match "$OUT" "^mode: +compile \(exec\)" "explain-args -c"
expect_not_contains "$OUT" "[use-lld]" "explain-args -c (no linker flags for a compile)"
ok "$CROSSHIM" explain-args x86_64-unknown-linux-gnu-cc -m64 x.c
expect_contains "$OUT" "[pointer-width-flag] dropped -m64" "explain-args (x86_64, -m64)"
expect_fail_with_code 2 "$CROSSHIM" explain-args x86_64-unknown-linux-gnu-cc -m32 x.c
expect_contains "$ERR" "-m32 contradicts the target x86_64-unknown-linux-gnu" "stderr"
expect_fail_with_code 2 "$CROSSHIM" explain-args crosshim x.c

echo "== which"
ok "$CROSSHIM" which aarch64-unknown-linux-gnu-cc
expect_contains "$OUT" "target:  aarch64-unknown-linux-gnu" "which aarch64-unknown-linux-gnu-cc"
expect_contains "$OUT" "runs:    $clang_used" "which aarch64-unknown-linux-gnu-cc"
if [[ -d /usr/aarch64-linux-gnu ]]; then
    expect_contains "$OUT" "sysroot: /usr/aarch64-linux-gnu [debian-cross]" "which aarch64-unknown-linux-gnu-cc"
fi
ok "$CROSSHIM" which aarch64-linux-gnu-g++
expect_contains "$OUT" "target:  aarch64-unknown-linux-gnu" "which aarch64-linux-gnu-g++"
ok "$CROSSHIM" which ld.lld llvm-ar
lld_path=$(sed -n '2s/^  runs: *//p' <<<"$OUT")
[[ -x $lld_path ]] || fail "which ld.lld gave '$lld_path'"
expect_contains "$OUT" "llvm-ar" "which llvm-ar"
llvm_prefix=$(dirname "$(dirname "$(realpath "$clang_used")")")
ok env CROSSHIM_LLVM="$llvm_prefix" "$CROSSHIM" which ld.lld
expect_contains "$OUT" "runs:    $llvm_prefix/bin/ld.lld" "which ld.lld with CROSSHIM_LLVM=$llvm_prefix"
expect_contains "$OUT" "CROSSHIM_LLVM" "which ld.lld with CROSSHIM_LLVM=$llvm_prefix"
expect_fail_with_code 1 "$CROSSHIM" which no-such-llvm-tool
expect_contains "$ERR" "crosshim: error:" "stderr"
expect_fail_with_code 2 "$CROSSHIM" which

# `which clang` answers "which clang does crosshim run": the program the shim
# names use (explain-args' program line), found the same way as ld.lld, and
# CROSSHIM_LLVM chooses it like every other LLVM tool.
ok "$CROSSHIM" which clang
expect_contains "$OUT" "runs:    $clang_used" "crosshim which clang (the clang the shims run)"
ok env CROSSHIM_LLVM="$llvm_prefix" "$CROSSHIM" which clang
expect_contains "$OUT" "runs:    $llvm_prefix/bin/clang" "which clang with CROSSHIM_LLVM=$llvm_prefix"

pass
