#!/usr/bin/env bash
# security: the trust boundaries of docs/security.md, tried as a hostile
# user would, with the installed crosshim:
#   - a crosshim.toml planted in a parent directory by another user (chown
#     nobody) or writable by anyone is not obeyed, and said only by `which`,
#     `doctor` and the log, never on a compile's stderr; seen as root and as
#     nobody (runuser);
#   - -o, CROSSHIM_REPORT and `init` write a device (mknod in this folder)
#     or FIFO in place, write a symlink through, refuse a read-only file
#     unless --force, and never wait on a FIFO they read;
#   - @file naming a device (mknod 1,5: what /dev/zero is) stops at once,
#     a directory says so (as gcc does, compared here);
#   - an unwritable CROSSHIM_REPORT or CROSSHIM_LOG is said once with its
#     path and fails the command; a log record stays one line.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
need_cmd gcc
need_cmd runuser "util-linux"
need_cmd mknod
cc=$SHIMS/$TRIPLE-cc
write_hello_c hello.c
# Every command that could wait runs under a bound, and a runaway read under
# a memory limit: a regression fails here instead of hanging or swapping.
# A sanitizer build reserves terabytes of address space for its shadow memory
# at start, so there only the time bound applies.
if [[ -n $SANITIZED ]]; then
    bounded() { timeout 20 "$@"; }
else
    bounded() { (ulimit -v 2000000 && exec timeout 20 "$@"); }
fi

# nobody must reach the work folder (the build tree is root's, 0755).
chmod 0755 "$WORK"

echo "######## config trust"
# An llvm prefix whose clang only leaves a mark: if crosshim obeys the
# planted file, the mark appears.
mkdir -p evil/bin
printf '#!/bin/sh\ntouch %q/EVIL-RAN\nexit 0\n' "$WORK" >evil/bin/clang
chmod 0755 evil/bin/clang
mkdir -p shared/project
cp hello.c shared/project/
printf 'llvm = "%s"\n' "$WORK/evil" >shared/crosshim.toml
chown nobody shared/crosshim.toml
planted=$WORK/shared/crosshim.toml
cd shared/project
ok env CROSSHIM_LOG="$WORK/trust.log" "$cc" -c hello.c -o hello.o
[[ ! -e $WORK/EVIL-RAN ]] || fail "the planted crosshim.toml was obeyed: its clang ran"
expect_machine hello.o "$MACHINE" "$CLASS"
expect_contains "$(<"$WORK/trust.log")" "note: skipped the configuration file $planted: it is owned by uid 65534, not by you (uid 0) or root" "the log"
ok "$CROSSHIM" which "$TRIPLE-cc"
expect_contains "$OUT" "  config:  (none)" "which"
expect_contains "$OUT" "  skipped: $planted (it is owned by uid 65534" "which"
run "$CROSSHIM" doctor --target "$TRIPLE"
expect_contains "$OUT" "  skipped: $planted (it is owned by uid 65534" "doctor"
# Root's own file, but anyone may write it: the same.
chown root "$planted"
chmod 0666 "$planted"
ok "$cc" -c hello.c -o hello.o
[[ ! -e $WORK/EVIL-RAN ]] || fail "a world-writable crosshim.toml was obeyed"
ok "$CROSSHIM" which "$TRIPLE-cc"
expect_contains "$OUT" "  skipped: $planted (anyone may write it (mode 0666))" "which"
# Named explicitly, it is the user's choice: obeyed.
chmod 0644 "$planted"
printf 'cflags = ["-DFROM_CONFIG=1"]\n' >"$planted"
chown nobody "$planted"
ok env CROSSHIM_CONFIG="$planted" "$CROSSHIM" explain-args "$TRIPLE-cc" -c hello.c
expect_contains "$OUT" "-DFROM_CONFIG=1" "explain-args with CROSSHIM_CONFIG"
# As nobody: root's file is trusted, nobody's own too, another user's
# (here: a uid of its own) is not.
chown root "$planted"
ok runuser -u nobody -- "$CROSSHIM" explain-args "$TRIPLE-cc" -c hello.c
expect_contains "$OUT" "-DFROM_CONFIG=1" "explain-args as nobody, root's config"
expect_contains "$OUT" "config:  $planted" "explain-args as nobody"
chown 4242 "$planted"
ok runuser -u nobody -- "$CROSSHIM" explain-args "$TRIPLE-cc" -c hello.c
expect_not_contains "$OUT" "-DFROM_CONFIG=1" "explain-args as nobody, uid 4242's config"
expect_contains "$OUT" "skipped: $planted (it is owned by uid 4242, not by you (uid 65534) or root)" "explain-args as nobody"
cd "$WORK"

echo "######## writes: devices, FIFOs, symlinks, read-only files"
mknod null c 1 3
ok "$CROSSHIM" toolchain cmake --target "$TRIPLE" -o "$WORK/null"
[[ -c null ]] || fail "toolchain -o replaced the character device $WORK/null"
# /dev/stdout through a link in this folder: written to stdout, link kept.
ln -s /dev/stdout to-stdout
ok "$CROSSHIM" toolchain cmake --target "$TRIPLE" -o "$WORK/to-stdout"
expect_contains "$OUT" "CMAKE_SYSTEM_NAME" "toolchain -o to-stdout"
[[ -L to-stdout ]] || fail "the link to /dev/stdout was replaced"
# A symlink: the file it leads to is written, the link stays.
mkdir -p real
ln -s real/toolchain.cmake linked.cmake
ok "$CROSSHIM" toolchain cmake --target "$TRIPLE" -o "$WORK/linked.cmake"
[[ -L linked.cmake ]] || fail "toolchain -o replaced the symlink linked.cmake"
expect_contains "$(<real/toolchain.cmake)" "CMAKE_SYSTEM_NAME" "real/toolchain.cmake"
# Read-only: refused, then replaced with --force (mode kept).
printf 'read-only\n' >ro.cmake
chmod 0444 ro.cmake
expect_fail_with_code 1 "$CROSSHIM" toolchain cmake --target "$TRIPLE" -o "$WORK/ro.cmake"
expect_contains "$ERR" "cannot write $WORK/ro.cmake: it is read-only (mode 0444); --force replaces it" "stderr"
expect_eq "$(<ro.cmake)" "read-only" "ro.cmake"
ok "$CROSSHIM" toolchain cmake --target "$TRIPLE" -o "$WORK/ro.cmake" --force
expect_contains "$(<ro.cmake)" "CMAKE_SYSTEM_NAME" "ro.cmake"
expect_eq "$(stat -c %a ro.cmake)" 444 "mode of ro.cmake"
# CROSSHIM_REPORT on a device, after a link.
ok "$cc" -c hello.c -o hello.o
ok env CROSSHIM_REPORT="$WORK/null" "$cc" hello.o -lm -o hello
[[ -c null ]] || fail "CROSSHIM_REPORT replaced the character device $WORK/null"
expect_machine hello "$MACHINE" "$CLASS"

echo "== init: read-only, symlinked and FIFO .cargo/config.toml"
mkdir -p ro/.cargo link/.cargo fifo/.cargo real-cargo
printf '[build]\njobs = 2\n' >ro/.cargo/config.toml
chmod 0444 ro/.cargo/config.toml
expect_fail_with_code 1 "$CROSSHIM" init --target "$TRIPLE" --dir ro
expect_contains "$ERR" "it is read-only (mode 0444); --force replaces it" "stderr"
expect_eq "$(<ro/.cargo/config.toml)" $'[build]\njobs = 2' "ro/.cargo/config.toml"
ok "$CROSSHIM" init --target "$TRIPLE" --dir ro --force
expect_contains "$(<ro/.cargo/config.toml)" "linker = \"$SHIMS/$TRIPLE-cc\"" "ro/.cargo/config.toml"
expect_eq "$(stat -c %a ro/.cargo/config.toml)" 444 "mode of ro/.cargo/config.toml"
printf '[build]\njobs = 2\n' >real-cargo/config.toml
ln -s ../../real-cargo/config.toml link/.cargo/config.toml
ok "$CROSSHIM" init --target "$TRIPLE" --dir link --dry-run
expect_contains "$OUT" "link/.cargo/config.toml is a symlink: crosshim replaces link/.cargo/../../real-cargo/config.toml" "init --dry-run"
ok "$CROSSHIM" init --target "$TRIPLE" --dir link
[[ -L link/.cargo/config.toml ]] || fail "init replaced the symlink link/.cargo/config.toml"
expect_contains "$(<real-cargo/config.toml)" "linker = \"$SHIMS/$TRIPLE-cc\"" "real-cargo/config.toml"
mkfifo fifo/.cargo/config.toml
run bounded "$CROSSHIM" init --target "$TRIPLE" --dir fifo
expect_eq "$RC" 1 "exit status of init on a FIFO (124: it waited)"
expect_contains "$ERR" "fifo/.cargo/config.toml: it is a FIFO (a named pipe), not a file" "stderr"
[[ -p fifo/.cargo/config.toml ]] || fail "init replaced the FIFO"

echo "######## reads: @device, @directory"
mknod zero c 1 5
SECONDS_BEFORE=$SECONDS
run bounded "$cc" "@$WORK/zero" -c hello.c -o never.o
expect_eq "$RC" 2 "exit status of @zero (124: it kept reading)"
expect_contains "$ERR" "crosshim: error: @$WORK/zero: it is a device, not a response file" "stderr"
((SECONDS - SECONDS_BEFORE < 10)) || fail "@zero took $((SECONDS - SECONDS_BEFORE)) s"
expect_no_file never.o
mkdir -p rspdir
run gcc "@rspdir" -c hello.c -o never.o
((RC != 0)) || fail "gcc accepted @rspdir"
expect_contains "$ERR" "@-file refers to a directory" "gcc's stderr"
expect_fail_with_code 2 "$cc" "@rspdir" -c hello.c -o never.o
expect_contains "$ERR" "@rspdir: it is a directory, not a response file" "stderr"
expect_no_file never.o

echo "######## exit status: an unwritable report or log"
printf 'x\n' >a-file
run env CROSSHIM_REPORT="$WORK/a-file/report.json" "$cc" hello.o -lm -o linked
expect_eq "$RC" 1 "exit status with an unwritable CROSSHIM_REPORT"
expect_eq "$(grep -c "cannot write" <<<"$ERR")" 1 "times the report error is said"
expect_contains "$ERR" "crosshim: error: CROSSHIM_REPORT: cannot write $WORK/a-file/report.json: Not a directory (the link itself succeeded)" "stderr"
expect_machine linked "$MACHINE" "$CLASS"
run env CROSSHIM_LOG="$WORK/a-file/cc.log" "$cc" -c hello.c -o logged.o
expect_eq "$RC" 1 "exit status with an unwritable CROSSHIM_LOG"
expect_eq "$(grep -c "cannot write" <<<"$ERR")" 1 "times the log error is said"
expect_contains "$ERR" "crosshim: error: CROSSHIM_LOG: cannot write $WORK/a-file/cc.log" "stderr"
expect_no_file logged.o
# An argument with a newline: every record is still one line.
ok env CROSSHIM_LOG="$WORK/nl.log" "$cc" -c hello.c $'-Iinclude\ndir' -o nl.o
expect_eq "$(wc -l <nl.log)" 2 "lines in the log (the in and out records)"
expect_eq "$(grep -c '^crosshim\[[0-9]*\] \(in\|out\): ' nl.log)" 2 "records in the log"
expect_contains "$(<nl.log)" "\$'-Iinclude\\ndir'" "the log"

pass
