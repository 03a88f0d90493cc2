#!/usr/bin/env bash
# cli-response-files: `@file` arguments written the way rustc writes
# @.../linker-arguments -- one argument per line, GNU escaping (space -> "\ ",
# backslash -> "\\") -- are honoured: a -D whose value has a space (and quotes),
# an include directory with a space, a source in a directory whose name has a
# backslash, an output path with a space. The shim reads them too (a
# contradicting --target inside one is caught), and nested files work.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
cc=$SHIMS/$TRIPLE-cc

# GNU escaping as rustc does it (plus quotes, which GNU tokenizers also treat
# specially): one argument per line.
gnu_escape() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s// /\\ }
    s=${s//\"/\\\"}
    s=${s//\'/\\\'}
    printf '%s\n' "$s"
}
write_rsp() { # FILE ARG...
    local f=$1 a
    shift
    : >"$f"
    for a in "$@"; do gnu_escape "$a" >>"$f"; done
    echo "--- $f"
    cat "$f"
}

srcdir='back\slash'
incdir='inc dir'
outdir='out dir'
mkdir -p "$srcdir" "$incdir" "$outdir"
cat >"$incdir/greet.h" <<'H'
#define GREET_FROM "from inc dir"
H
cat >"$srcdir/main.c" <<'C'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "greet.h"
int main(int argc, char **argv) {
    double v = argc > 1 ? atof(argv[1]) : 2.0;
    printf("%s %s, sqrt=%.3f\n", GREETING, GREET_FROM, sqrt(v));
    return 0;
}
C
want='hello "quoted" world from inc dir, sqrt=1.414'

echo "== one-step build from a response file"
write_rsp args.rsp -O2 '-DGREETING="hello \"quoted\" world"' "-I$WORK/$incdir" \
    "$WORK/$srcdir/main.c" -lm -o "$WORK/$outdir/hello"
ok "$cc" @args.rsp
expect_machine "$outdir/hello" "$MACHINE" "$CLASS"
run_on_target "$CROSS_ROOT" "$outdir/hello" 2
expect_eq "$OUT" "$want" "output of the program built from args.rsp"

echo "== compile, then link, each from a response file (relative paths)"
write_rsp compile.rsp -c '-DGREETING="hello \"quoted\" world"' "-I$incdir" "$srcdir/main.c" -o "$outdir/main.o"
ok "$cc" @compile.rsp
expect_machine "$outdir/main.o" "$MACHINE" "$CLASS"
write_rsp link.rsp "$outdir/main.o" -lm -o "$outdir/hello2"
ok "$SHIMS/$GNU-gcc" @link.rsp
run_on_target "$CROSS_ROOT" "$outdir/hello2" 2
expect_eq "$OUT" "$want" "output of hello2"

echo "== nested response files and arguments around them"
write_rsp inner.rsp '-DGREETING="hello \"quoted\" world"' "-I$incdir"
printf '@inner.rsp\n%s\n' "$(gnu_escape "$srcdir/main.c")" >outer.rsp
ok "$cc" -O1 @outer.rsp -lm -o "$outdir/hello3"
run_on_target "$CROSS_ROOT" "$outdir/hello3" 2
expect_eq "$OUT" "$want" "output of hello3"

echo "== the shim reads response files too"
write_rsp target.rsp --target=x86_64-linux-gnu
expect_fail_with_code 2 "$cc" @target.rsp -c "$srcdir/main.c" -o never.o
expect_contains "$ERR" "x86_64-linux-gnu" "stderr"
expect_no_file never.o
write_rsp m32.rsp -m32 "-I$incdir" -DGREETING='"x"'
expect_fail_with_code 2 "$SHIMS/x86_64-unknown-linux-gnu-cc" @m32.rsp -c "$srcdir/main.c" -o never.o
expect_contains "$ERR" "-m32" "stderr"
# A matching --target in a response file is dropped.
write_rsp same.rsp --target=aarch64-linux-gnu '-DGREETING="hello \"quoted\" world"' "-I$incdir" -c "$srcdir/main.c" -o "$outdir/same.o"
ok "$cc" @same.rsp
expect_machine "$outdir/same.o" "$MACHINE" "$CLASS"
# An @file that does not exist is passed on for clang to report.
expect_fail_with_code 1 "$cc" @no-such-file.rsp -c "$srcdir/main.c" -o never.o
expect_no_file never.o

pass
