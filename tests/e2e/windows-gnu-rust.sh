#!/usr/bin/env bash
# windows-gnu-rust: Debian's rustc 1.63 with its x86_64-pc-windows-gnu std
# (libstd-rust-dev-windows) links through -C linker=<shims>/x86_64-pc-windows-gnu-cc
# and the program runs under wine through x86_64-pc-windows-gnu-run: stdout and
# exit status checked. rustc shows its linker's stderr only when the link
# fails, so a wrapper keeps it: it must be empty (no "argument unused" for
# rustc's -no-pie, no lld warnings for its MinGW flags).
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/windows-common.sh"

T=x86_64-pc-windows-gnu
need_stage
need_mingw x86_64-w64-mingw32
need_path /usr/bin/rustc "apt-get install rustc"
need_path /usr/lib/rustlib/$T/lib "apt-get install libstd-rust-dev-windows"
use_wine

cat >hello.rs <<'RS'
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let v: Vec<String> = vec!["from".into(), "Rust".into()];
    println!("hello {} on {} ({}), args {:?}", v.join(" "), std::env::consts::OS,
             std::env::consts::ARCH, args);
    let caught = std::panic::catch_unwind(|| panic!("unwinding works"));
    println!("panic caught: {}", caught.is_err());
    std::process::exit(7);
}
RS
# The linker rustc calls: the shim, with its stderr kept in a file.
cat >linker.sh <<SH
#!/bin/sh
exec "$SHIMS/$T-cc" "\$@" 2>>"$WORK/link.stderr"
SH
chmod +x linker.sh
: >link.stderr

echo "== rustc --target $T -C linker=<wrapper of $T-cc>"
ok_noisy env CROSSHIM_LOG="$WORK/shim.log" /usr/bin/rustc --target $T -C linker="$WORK/linker.sh" \
    -C panic=unwind hello.rs -o hello.exe
expect_eq "$(<link.stderr)" "" "the link's stderr"
expect_match "$(<shim.log)" "\] in: $SHIMS/$T-cc .*-nodefaultlibs" "rustc linked through the shim"
expect_match "$(<shim.log)" "rsbegin\.o" "rustc's line went through the shim"
expect_eq "$(pe_machine hello.exe)" AMD64 "PE machine of hello.exe"

echo "== run under wine through $T-run"
run "$SHIMS/$T-run" ./hello.exe one "two words"
expect_eq "$RC" 7 "exit status of hello.exe"
expect_eq "$OUT" $'hello from Rust on windows (x86_64), args ["one", "two words"]\npanic caught: true' \
    "hello.exe output"
# The panic message goes to stderr; nothing from wine itself.
expect_not_contains "$ERR" "fixme" "stderr"
expect_contains "$ERR" "unwinding works" "the panic message"

echo "== rustc -C linker=<the shim itself>: stderr clean as a whole"
ok /usr/bin/rustc --target $T -C linker="$SHIMS/$T-cc" hello.rs -o hello2.exe
pass
