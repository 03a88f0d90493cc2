#!/usr/bin/env bash
# libc-kinds: the C-library failures, each made for real through the shims:
#   glibc-too-new-dependency  a libdep.so linked against a stub libc.so.6 that
#                             defines GLIBC_2.99, then linked with the real
#                             aarch64 glibc (2.36): the failed link, and the
#                             links that succeed (a plugin .so, a program with
#                             --allow-shlib-undefined) but would not start,
#                             shown with qemu and the target's loader;
#   musl-glibc-mix            an archive built by the glibc shim with
#                             _FORTIFY_SOURCE in a musl link, and a glibc .so
#                             in a musl program;
#   libc-link-mismatch        -static with a sysroot that has no libc.a;
# and no finding of these kinds for healthy aarch64 and musl links, dynamic
# and static. (crt-libc-mismatch needs glibc 2.31's start files:
# libc-crt-bullseye.sh.)
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
need_cmd python3
need_cmd ar "apt-get install binutils"
cc=$SHIMS/$TRIPLE-cc
gnucc=$SHIMS/x86_64-unknown-linux-gnu-cc
muslcc=$SHIMS/x86_64-unknown-linux-musl-cc
[[ -e /usr/lib/x86_64-linux-musl/crt1.o ]] || fail "musl-dev is not installed (the README's test command installs it)"

report_kinds() {
    python3 -c 'import json,sys; print(" ".join(f["kind"] for f in json.load(open(sys.argv[1]))["findings"]))' "$1"
}
# The evidence of the first finding, one "file|symbol|detail" per line.
report_evidence() {
    python3 -c 'import json,sys
f = json.load(open(sys.argv[1]))["findings"][0]
for e in f["evidence"]: print(e.get("file", "") + "|" + e.get("symbol", "") + "|" + e.get("detail", ""))' "$1"
}
sysroot_glibc=$(readelf -V "$CROSS_ROOT/lib/libc.so.6" | sed -n 's/.*Name: GLIBC_\([0-9.]*\)$/\1/p' | sort -V | tail -1)
[[ -n $sysroot_glibc ]] || fail "cannot read the glibc version of $CROSS_ROOT/lib/libc.so.6"
echo "  the aarch64 sysroot's glibc: $sysroot_glibc"

echo "== glibc-too-new-dependency: libdep.so built against a glibc with GLIBC_2.99"
mkdir -p newglibc
printf 'int newfunc(void) { return 0; }\nint puts(const char *s) { return s == 0; }\n' >stub.c
# newfunc exists only at 2.99; puts moves to 2.99 in the second stub (a new
# version of an old symbol, as glibc does with fcntl64 or memcpy).
printf 'GLIBC_2.17 { global: puts; local: *; };\nGLIBC_2.99 { global: newfunc; } GLIBC_2.17;\n' >new.map
printf 'GLIBC_2.17 { local: *; };\nGLIBC_2.99 { global: puts; newfunc; } GLIBC_2.17;\n' >moved.map
mkdir -p moved
ok "$cc" -shared -fPIC -nostdlib stub.c -Wl,--version-script=new.map -Wl,-soname,libc.so.6 -o newglibc/libc.so.6
ok "$cc" -shared -fPIC -nostdlib stub.c -Wl,--version-script=moved.map -Wl,-soname,libc.so.6 -o moved/libc.so.6
printf 'int newfunc(void);\nint dep(void) { return newfunc(); }\n' >dep1.c
printf '#include <stdio.h>\nint dep(void) { return puts("from libdep2") < 0; }\n' >dep2.c
ok "$cc" -shared -fPIC -nostdlib dep1.c newglibc/libc.so.6 -Wl,-soname,libdep1.so -o libdep1.so
ok "$cc" -shared -fPIC -nostdlib dep2.c moved/libc.so.6 -Wl,-soname,libdep2.so -o libdep2.so
expect_contains "$(readelf -V libdep1.so)" "Name: GLIBC_2.99" "libdep1.so's verneed"
printf 'int dep(void);\nint main(void) { return dep(); }\n' >usedep.c

# The failed link: lld checks the .so's references against the real libc.
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/new.json" "$cc" usedep.c -L. -ldep1 -o usedep1
expect_contains "$ERR" "undefined reference to newfunc@GLIBC_2.99" "the linker's own message"
expect_contains "$ERR" "error [glibc-too-new-dependency]: ./libdep1.so needs glibc 2.99 (newfunc@GLIBC_2.99), but the sysroot's glibc provides up to GLIBC_$sysroot_glibc" "stderr"
expect_contains "$ERR" "needs GLIBC_2.99; its highest needed version: GLIBC_2.99" "evidence: the input's verneed"
expect_contains "$ERR" "$CROSS_ROOT/lib/libc.so.6: the sysroot's glibc: symbol versions up to GLIBC_$sysroot_glibc" "evidence: the sysroot"
expect_eq "$(report_kinds "$WORK/new.json")" "glibc-too-new-dependency" "CROSSHIM_REPORT"
expect_contains "$(report_evidence "$WORK/new.json")" "./libdep1.so|newfunc@GLIBC_2.99|needs GLIBC_2.99" "JSON evidence"

# A shared library output allows undefined references in its dependencies:
# the link succeeds, the audit fails it.
printf 'int dep(void);\nint plugin(void) { return dep(); }\n' >plugin.c
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/plugin.json" "$cc" -shared -fPIC plugin.c -L. -ldep2 -o libplugin.so
expect_file libplugin.so
expect_contains "$ERR" "error [glibc-too-new-dependency]: libdep2.so needs glibc 2.99, but the sysroot's glibc provides up to GLIBC_$sysroot_glibc" "stderr"
expect_contains "$ERR" "puts@GLIBC_2.99: needs GLIBC_2.99" "evidence: the symbol"
expect_eq "$(report_kinds "$WORK/plugin.json")" "glibc-too-new-dependency" "CROSSHIM_REPORT"

# A program linked with --allow-shlib-undefined: links, and really fails to
# start on the target.
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/allow.json" "$cc" usedep.c -L. -ldep2 -Wl,--allow-shlib-undefined -o usedep2
expect_file usedep2
expect_eq "$(report_kinds "$WORK/allow.json")" "glibc-too-new-dependency" "CROSSHIM_REPORT"
expect_contains "$ERR" "would fail to start (version \`GLIBC_2.99' not found)" "stderr"
run timeout 120 "$QEMU" -L "$CROSS_ROOT" -E "LD_LIBRARY_PATH=$WORK" ./usedep2
((RC != 0)) || fail "usedep2 ran although libdep2.so needs GLIBC_2.99"
expect_contains "$ERR" "version \`GLIBC_2.99' not found (required by $WORK/libdep2.so)" "the target loader"

echo "== musl-glibc-mix: a glibc-built archive with _FORTIFY_SOURCE in a musl link"
cat >fortify.c <<'EOF'
#include <stdio.h>
int describe(char *buf, unsigned long n, int v) {
    fprintf(stderr, "describing %d\n", v);
    printf("value %d\n", v);
    return snprintf(buf, n, "v=%d", v);
}
EOF
printf '#include <stdio.h>\nint describe(char *, unsigned long, int);\nint main(void) { char b[32]; describe(b, sizeof b, 7); return puts(b) < 0; }\n' >usefortify.c
ok "$gnucc" -O2 -D_FORTIFY_SOURCE=2 -c fortify.c -o fortify.o
ok ar rcs libfortify.a fortify.o
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/musl.json" "$muslcc" usefortify.c -L. -lfortify -o usefortify
expect_match "$ERR" "undefined symbol: __(snprintf|fprintf|printf)_chk" "the linker's own message"
expect_match "$ERR" "error \[musl-glibc-mix\]: .*libfortify.a\(fortify.o\) was built for glibc, not musl: it needs __(snprintf|fprintf|printf)_chk" "stderr"
expect_contains "$ERR" "a glibc fortify wrapper (_FORTIFY_SOURCE)" "evidence"
expect_eq "$(report_kinds "$WORK/musl.json")" "musl-glibc-mix" "CROSSHIM_REPORT"
# The same archive in a glibc link is fine.
ok "$gnucc" usefortify.c -L. -lfortify -o usefortify-gnu
ok_noisy ./usefortify-gnu
expect_eq "$ERR" "describing 7" "the glibc program's stderr"

echo "== musl-glibc-mix: a glibc shared library in a musl program"
printf '#include <stdio.h>\nint dep(void) { return printf("glibc dep\\n") < 0; }\n' >gdep.c
ok "$gnucc" -shared -fPIC gdep.c -Wl,-soname,libgdep.so -o libgdep.so
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/muslso.json" "$muslcc" usedep.c -L. -lgdep -o usegdep
expect_contains "$ERR" "error [musl-glibc-mix]: libgdep.so was built against glibc; the program is linked for musl" "stderr"
expect_eq "$(report_kinds "$WORK/muslso.json")" "musl-glibc-mix" "CROSSHIM_REPORT"

echo "== libc-link-mismatch: -static with a sysroot that has no libc.a"
# Debian's cross sysroot without libc.a, as symlinks (the gcc runtime too).
nolibca=$WORK/nolibca/usr/$GNU
mkdir -p "$nolibca/lib" "$WORK/nolibca/usr/lib"
ln -s "$CROSS_ROOT/include" "$nolibca/include"
for f in "$CROSS_ROOT"/lib/*; do [[ ${f##*/} == libc.a ]] || ln -s "$f" "$nolibca/lib/"; done
# Real directories for the gcc runtime: clang reaches the sysroot's lib from
# it through ../../../.., which a symlinked directory would lead back to /usr.
mkdir -p "$WORK/nolibca/usr/lib/gcc-cross"
cp -rs "/usr/lib/gcc-cross/$GNU" "$WORK/nolibca/usr/lib/gcc-cross/"
write_hello_c hello.c
expect_fail_with_code 1 env "$SYSROOT_VAR=$nolibca" CROSSHIM_REPORT="$WORK/static.json" "$cc" -static hello.c -lm -o hello-static
expect_contains "$ERR" "unable to find library -lc" "the linker's own message"
expect_contains "$ERR" "error [libc-link-mismatch]: a static link, but -lc finds no libc.a, only the shared $nolibca/lib/libc.so" "stderr"
expect_contains "$ERR" "no libc.a in " "evidence"
expect_eq "$(report_kinds "$WORK/static.json")" "libc-link-mismatch" "CROSSHIM_REPORT (and not missing-dev-symlink)"
[[ $ERR == *"unable to find library -lc"*"[libc-link-mismatch]"* ]] || fail "the findings must follow the linker's output"

echo "== no false positives: healthy links, dynamic and static"
write_hello_cpp hello.cpp
ok env CROSSHIM_REPORT="$WORK/ok-dyn.json" "$cc" hello.c -lm -o hello-dyn
expect_eq "$(report_kinds "$WORK/ok-dyn.json")" "" "aarch64 dynamic"
ok env CROSSHIM_REPORT="$WORK/ok-static.json" "$cc" -static hello.c -lm -o hello-static
expect_eq "$(report_kinds "$WORK/ok-static.json")" "" "aarch64 static"
run_on_target "$CROSS_ROOT" ./hello-static 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "static program output"
ok env CROSSHIM_REPORT="$WORK/ok-cxx.json" "$SHIMS/$TRIPLE-c++" hello.cpp -o hello-cxx
expect_eq "$(report_kinds "$WORK/ok-cxx.json")" "" "aarch64 C++ (libstdc++.so.6 read)"
ok env CROSSHIM_REPORT="$WORK/ok-musl.json" "$muslcc" hello.c -lm -lpthread -o hello-musl
expect_eq "$(report_kinds "$WORK/ok-musl.json")" "" "musl dynamic"
ok ./hello-musl 2
ok env CROSSHIM_REPORT="$WORK/ok-musl-static.json" "$muslcc" -static hello.c -lm -o hello-musl-static
expect_eq "$(report_kinds "$WORK/ok-musl-static.json")" "" "musl static"
ok ./hello-musl-static 2
ok env CROSSHIM_REPORT="$WORK/ok-gnu.json" "$gnucc" hello.c -lm -lpthread -o hello-gnu
expect_eq "$(report_kinds "$WORK/ok-gnu.json")" "" "host dynamic"
ok env CROSSHIM_REPORT="$WORK/ok-gnu-static.json" "$gnucc" -static-pie hello.c -lm -o hello-gnu-static
expect_eq "$(report_kinds "$WORK/ok-gnu-static.json")" "" "host static-pie"
ok ./hello-gnu-static 2

pass
