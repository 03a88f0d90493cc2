#!/usr/bin/env bash
# explain-logfile: `crosshim explain` on logs of real failed links, saved with
# CROSSHIM_DIAGNOSE=0 so that they hold only what the linker (or cargo)
# printed. (1) an AArch64 C link without -lm, explained with --target and the
# link's arguments after --: the same findings as the shim's own; (2) Debian's
# cargo building for aarch64-unknown-linux-gnu through the shim, calling
# td_init (libthread_db) without linking it: explain finds the target and the
# link arguments in cargo's output; (3) --json; (4) usage errors, stdin, a log
# without linker errors, --sysroot.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
need_cmd python3
need_path /usr/bin/rustc "apt-get install rustc"
need_path /usr/bin/cargo "apt-get install cargo"
need_fixture_rust_std
need_fixture_sysroot
cc=$SHIMS/$TRIPLE-cc

# findings FILE: one line per finding: kind, message, evidence, fix.
findings() {
    python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for f in r["findings"]:
    ev = "; ".join("%s|%s|%s" % (e["file"], e["symbol"], e["detail"]) for e in f["evidence"])
    print(f["kind"], f["severity"], f["message"], ev, f["fix"], sep=" || ")
' "$1"
}
json_field() { # FILE EXPR (python, r = the report)
    python3 -c 'import json,sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

echo "== (1) a C link without -lm, saved and explained with the link's arguments"
printf '#include <math.h>\n#include <stdio.h>\nint main(int c, char **v) { printf("%%f\\n", cos((double)c)); return 0; }\n' >cos.c
# A compiled object: clang's temporary object would have a new name in each run.
ok "$cc" -c cos.c -o cos.o
expect_fail_with_code 1 env CROSSHIM_DIAGNOSE=0 "$cc" cos.o -o cos
cp "$WORK/log/$RUN_N.err" link.log
expect_contains "$(<link.log)" "ld.lld: error: undefined symbol: cos" "the saved log"
expect_not_contains "$(<link.log)" "crosshim: " "the saved log (CROSSHIM_DIAGNOSE=0)"
expect_fail_with_code 1 "$CROSSHIM" explain --target "$TRIPLE" link.log -- cos.o -o cos
expect_contains "$OUT" "crosshim: error [library-not-on-command-line]: undefined symbol cos: libm.so.6 defines it, but it is not linked" "stdout"
expect_contains "$OUT" "$CROSS_ROOT/lib/libm.so.6: cos: defined here (GLIBC_" "evidence"
expect_contains "$OUT" "fix: add -lm to the link" "fix"
expect_eq "$ERR" "" "stderr"
# The same findings as the shim's own after the same failed link.
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/shim-cos.json" "$cc" cos.o -o cos
expect_fail_with_code 1 "$CROSSHIM" explain --json --target "$TRIPLE" link.log -- cos.o -o cos
printf '%s\n' "$OUT" >explain-cos.json
expect_eq "$(findings explain-cos.json)" "$(findings shim-cos.json)" "explain's findings vs the shim's"
expect_eq "$(json_field explain-cos.json 'r["target"]')" "$TRIPLE" "JSON target"

echo "== the link's arguments matter: with -lm on them, libm is not the missing piece"
expect_fail_with_code 1 "$CROSSHIM" explain --json --target "$TRIPLE" link.log -- cos.o -lm -o cos
printf '%s\n' "$OUT" >explain-lm.json
expect_eq "$(json_field explain-lm.json '[f["kind"] for f in r["findings"]]')" "['undefined-symbol']" "kinds"
expect_contains "$(json_field explain-lm.json 'r["findings"][0]["message"]')" "on the command line already" "message"

echo "== --sysroot: the same log against the Debian multiarch fixture"
expect_fail_with_code 1 "$CROSSHIM" explain --target "$TRIPLE" --sysroot "$FIXTURE_SYSROOT" link.log
expect_contains "$OUT" "[library-not-on-command-line]" "stdout"
expect_match "$OUT" "$FIXTURE_SYSROOT/(usr/)?lib/$MULTIARCH/libm\\.so\\.6: cos: defined here \\(GLIBC_" "evidence from the fixture sysroot"

echo "== no clang and no ld.lld where the log is explained: the same finding"
mkdir -p "$WORK/no-llvm/bin"
expect_fail_with_code 1 env CROSSHIM_LLVM="$WORK/no-llvm" "$CROSSHIM" explain --target "$TRIPLE" --sysroot "$FIXTURE_SYSROOT" link.log
expect_contains "$OUT" "[library-not-on-command-line]" "stdout"

echo "== no target anywhere: the host, with a note"
expect_fail_with_code 1 "$CROSSHIM" explain link.log
expect_contains "$ERR" "nothing in link.log names the target; explaining it for the host, x86_64-unknown-linux-gnu" "stderr"
expect_contains "$OUT" "[library-not-on-command-line]" "stdout"
expect_match "$OUT" "/(usr/)?lib/x86_64-linux-gnu/libm\\.so\\.6: cos: defined here" "evidence from the host"

echo "== standard input"
run bash -c '"$0" explain --target "$1" - <link.log' "$CROSSHIM" "$TRIPLE"
((RC == 1)) || fail "exit status $RC, expected 1"
expect_contains "$OUT" "[library-not-on-command-line]: undefined symbol cos" "stdout"

echo "== (2) cargo for $TRIPLE through the shim: td_init without -lthread_db"
export RUSTC=/usr/bin/rustc
mkdir -p crate/src crate/.cargo
cat >crate/Cargo.toml <<'TOML'
[package]
name = "e2e-explain"
version = "0.1.0"
edition = "2021"
publish = false
TOML
cat >crate/src/main.rs <<'RS'
extern "C" {
    fn td_init() -> i32; // libthread_db, which nothing links here
}
fn main() {
    println!("td_init: {}", unsafe { td_init() });
}
RS
cat >crate/.cargo/config.toml <<TOML
[net]
offline = true
[target.$TRIPLE]
linker = $(toml_str "$cc")
rustflags = ["--sysroot", $(toml_str "$FIXTURE_RUST_STD")]
TOML
# Not in a subshell: run sets RC and RUN_N for the checks below.
cd crate || fail "no crate dir"
run env CROSSHIM_DIAGNOSE=0 /usr/bin/cargo build --target "$TRIPLE"
cd "$WORK" || fail "cannot return to $WORK"
((RC == 101)) || fail "cargo build: exit status $RC, expected 101 (a failed link)"
cp "$WORK/log/$RUN_N.err" cargo.log
expect_contains "$(<cargo.log)" "error: linking with \`$cc\` failed" "cargo.log"
expect_contains "$(<cargo.log)" "undefined symbol: td_init" "cargo.log"
expect_not_contains "$(<cargo.log)" "crosshim: " "cargo.log (CROSSHIM_DIAGNOSE=0)"
expect_fail_with_code 1 "$CROSSHIM" explain cargo.log
expect_eq "$ERR" "" "stderr (the target comes from the log: no note)"
expect_match "$OUT" "error \[library-not-on-command-line\]: undefined symbol td_init: libthread_db\.so(\.1)? defines it" "stdout"
expect_match "$OUT" "$CROSS_ROOT/lib/libthread_db\.so(\.1)?: td_init: defined here \(GLIBC_2\.17\)" "evidence"
expect_contains "$OUT" "fix: add -lthread_db to the link" "fix"

echo "== (3) --json for the cargo log, and the same findings as the shim's"
expect_fail_with_code 1 "$CROSSHIM" explain --json cargo.log
printf '%s\n' "$OUT" >explain-cargo.json
expect_eq "$(json_field explain-cargo.json 'r["target"]')" "$TRIPLE" "JSON target"
expect_eq "$(json_field explain-cargo.json '[f["kind"] for f in r["findings"]]')" "['library-not-on-command-line']" "kinds"
expect_eq "$(json_field explain-cargo.json 'r["findings"][0]["evidence"][-1]["symbol"]')" "td_init" "evidence symbol"
cd crate || fail "no crate dir"
run env CROSSHIM_REPORT="$WORK/shim-cargo.json" /usr/bin/cargo build --target "$TRIPLE"
cd "$WORK" || fail "cannot return to $WORK"
((RC == 101)) || fail "cargo build: exit status $RC, expected 101"
expect_eq "$(findings explain-cargo.json)" "$(findings shim-cargo.json)" "explain's findings vs the shim's"

echo "== (4) usage errors"
expect_fail_with_code 2 "$CROSSHIM" explain
expect_contains "$ERR" "explain: needs the log file" "stderr"
expect_fail_with_code 2 "$CROSSHIM" explain "$WORK/no-such.log"
expect_contains "$ERR" "cannot read the log file $WORK/no-such.log: No such file or directory" "stderr"
expect_fail_with_code 2 "$CROSSHIM" explain --frobnicate link.log
expect_contains "$ERR" "unknown option '--frobnicate'" "stderr"
expect_fail_with_code 2 "$CROSSHIM" explain --target no-such-target link.log
expect_contains "$ERR" "unknown target 'no-such-target'" "stderr"
expect_fail_with_code 2 "$CROSSHIM" explain --target "$TRIPLE" link.log cargo.log
expect_contains "$ERR" "one log file only" "stderr"
expect_fail_with_code 2 "$CROSSHIM" explain --sysroot "$WORK/no-such-dir" link.log
expect_contains "$ERR" "the sysroot $WORK/no-such-dir is not a directory" "stderr"
expect_fail_with_code 2 "$CROSSHIM" explain --target
expect_contains "$ERR" "--target needs a value" "stderr"
expect_fail_with_code 2 "$CROSSHIM" explain "$WORK"
expect_contains "$ERR" "is a directory" "stderr"
ok "$CROSSHIM" explain --help
expect_contains "$OUT" "usage: crosshim explain [--target T] [--sysroot DIR] [--json] LOGFILE" "--help"
ok "$CROSSHIM" explain link.log --help
expect_contains "$OUT" "Exit status: 1 when a finding is an error" "--help after a file"

echo "== a log of a link that worked: no linker errors, exit 0"
run "$cc" cos.o -lm -o cos
((RC == 0)) || fail "the fixed link failed"
cp "$WORK/log/$RUN_N.err" good.log
printf '   Compiling e2e v0.1.0\n    Finished dev [unoptimized + debuginfo] target(s) in 0.31s\n' >>good.log
ok "$CROSSHIM" explain --target "$TRIPLE" good.log -- cos.o -lm -o cos
expect_eq "$OUT" "crosshim: no linker errors found in good.log" "stdout"
ok "$CROSSHIM" explain --json --target "$TRIPLE" good.log
expect_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))')" "0" "JSON findings"

pass
