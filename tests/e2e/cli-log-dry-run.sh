#!/usr/bin/env bash
# cli-log-dry-run: CROSSHIM_DRY_RUN=1 prints the final command (shell-quoted)
# and runs nothing; CROSSHIM_LOG=<file> gets one `in:` and one `out:` line per
# invocation (compile, link, ar), CROSSHIM_LOG=stderr writes them to stderr.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
cc=$SHIMS/$TRIPLE-cc
write_hello_c hello.c
mkdir -p 'dir with space'

echo "== CROSSHIM_DRY_RUN=1"
ok env CROSSHIM_DRY_RUN=1 "$cc" -O2 -DMSG='"a b"' hello.c -lm -o 'dir with space/dry'
expect_no_file 'dir with space/dry'
dry=$OUT
expect_eq "$(wc -l <<<"$dry")" 1 "lines printed by the dry run"
expect_contains "$dry" "--target=aarch64-unknown-linux-gnu" "the dry run's command"
expect_contains "$dry" "'-DMSG=\"a b\"'" "the dry run's command (shell-quoted)"
expect_contains "$dry" "'dir with space/dry'" "the dry run's command (shell-quoted)"
# The printed command is the real one: running it builds the program.
ok bash -c "$dry"
expect_machine 'dir with space/dry' "$MACHINE" "$CLASS"
ok env CROSSHIM_DRY_RUN=1 "$cc" -c hello.c -o dry.o
expect_no_file dry.o
ok env CROSSHIM_DRY_RUN=1 "$SHIMS/$TRIPLE-ar" rcs dry.a hello.c
expect_no_file dry.a
expect_contains "$OUT" "llvm-ar" "the dry run of ar"
ok env CROSSHIM_DRY_RUN=0 "$cc" -c hello.c -o not-dry.o
expect_file not-dry.o

echo "== CROSSHIM_LOG=<file>"
log=$WORK/shim.log
ok env CROSSHIM_LOG="$log" "$cc" -O2 -c hello.c -o hello.o
ok env CROSSHIM_LOG="$log" "$SHIMS/$TRIPLE-ar" rcs libhello.a hello.o
ok env CROSSHIM_LOG="$log" "$cc" hello.o -lm -o 'dir with space/hello'
run_on_target "$CROSS_ROOT" 'dir with space/hello'
expect_file "$log"
cat "$log"
expect_eq "$(grep -c '\] in: ' "$log")" 3 "'in:' lines in the log"
expect_eq "$(grep -c '\] out: ' "$log")" 3 "'out:' lines in the log"
expect_eq "$(grep -vc '^crosshim\[[0-9]*\] \(in\|out\): ' "$log" || true)" 0 "other lines in the log"
mapfile -t lines <"$log"
expect_contains "${lines[0]}" "in: $cc -O2 -c hello.c -o hello.o" "log line 1"
expect_match "${lines[1]}" "out: [^ ]*clang .*--target=aarch64-unknown-linux-gnu.* -O2 -c hello.c -o hello.o\$" "log line 2"
expect_contains "${lines[2]}" "in: $SHIMS/$TRIPLE-ar rcs libhello.a hello.o" "log line 3"
expect_match "${lines[3]}" "out: [^ ]*llvm-ar rcs libhello.a hello.o\$" "log line 4"
expect_contains "${lines[4]}" "'dir with space/hello'" "log line 5 (shell-quoted)"
expect_match "${lines[5]}" "out: [^ ]*clang .*--ld-path=" "log line 6"
# Each pair comes from one process.
for i in 0 2 4; do
    p1=${lines[i]%%]*} p2=${lines[i + 1]%%]*}
    expect_eq "$p1" "$p2" "pid of log lines $((i + 1)) and $((i + 2))"
done
# A failing command is logged too.
printf 'int main(void) { return undefined_thing; }\n' >bad.c
expect_fail_with_code 1 env CROSSHIM_LOG="$log" "$cc" -c bad.c -o bad.o
expect_eq "$(grep -c '\] in: ' "$log")" 4 "'in:' lines after a failing compile"

echo "== CROSSHIM_LOG=stderr"
run env CROSSHIM_LOG=stderr "$cc" -c hello.c -o hello2.o
expect_eq "$RC" 0 "exit status"
expect_match "$ERR" "^crosshim\[[0-9]+\] in: " "stderr"
expect_match "$ERR" "^crosshim\[[0-9]+\] out: " "stderr"
expect_eq "$(wc -l <<<"$ERR")" 2 "stderr lines"
# An empty CROSSHIM_LOG logs nothing.
ok env CROSSHIM_LOG= "$cc" -c hello.c -o hello3.o

pass
