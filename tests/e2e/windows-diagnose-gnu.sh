#!/usr/bin/env bash
# windows-diagnose-gnu: failed x86_64-pc-windows-gnu links through the shim
# (clang + MinGW's ld.lld + Debian's mingw-w64), each failure made for real,
# and what crosshim says after the linker:
#   dllimport-mismatch  a caller built with __declspec(dllimport) linked
#                       against the static libfoo.a (-lfoo): ld.lld leaves
#                       __imp_foo undefined; the fix -DFOO_STATIC links;
#                       and the import library libfoo.dll.a on -L but not linked
#   wrong-architecture  an i686 object in an x86_64 link (its COFF machine read
#                       from the file)
# and no finding for a healthy link. Linking only: nothing runs under wine.
source "$(dirname "$0")/common.sh"

need_stage
need_cmd python3
need_path /usr/x86_64-w64-mingw32/lib/libkernel32.a "apt-get install mingw-w64-x86-64-dev"
need_path /usr/i686-w64-mingw32/lib/libkernel32.a "apt-get install mingw-w64-i686-dev"
cc=$SHIMS/x86_64-pc-windows-gnu-cc
cc32=$SHIMS/i686-pc-windows-gnu-cc
need_path "$cc"

# kinds FILE: the findings' kinds; field FILE EXPR: a Python expression over f (the first finding).
kinds() {
    python3 -c 'import json,sys; print(" ".join(f["kind"] for f in json.load(open(sys.argv[1]))["findings"]))' "$1"
}
evidence() {
    python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["findings"]:
    for e in f["evidence"]: print(e.get("file", ""), "|", e.get("symbol", ""), "|", e.get("detail", ""))
    print("fix:", f["fix"])' "$1"
}

cat >foo.h <<'EOF'
#if defined(FOO_STATIC)
#define FOO_API
#elif defined(FOO_BUILD)
#define FOO_API __declspec(dllexport)
#else
#define FOO_API __declspec(dllimport)
#endif
FOO_API int foo(int);
EOF
printf '#include "foo.h"\nint foo(int x) { return x + 1; }\n' >foo.c
printf '#include "foo.h"\nint main(void) { return foo(41) == 42 ? 0 : 1; }\n' >main.c

echo "== healthy: no finding"
ok env CROSSHIM_REPORT="$WORK/hello.json" "$cc" main.c foo.c -DFOO_STATIC -o hello.exe
expect_eq "$(kinds "$WORK/hello.json")" "" "findings of a healthy link"

echo "== dllimport-mismatch: the static libfoo.a is linked, the caller imports"
mkdir -p static
ok "$cc" -DFOO_STATIC -c foo.c -o foo.o
ok "$SHIMS/x86_64-pc-windows-gnu-ar" rcs static/libfoo.a foo.o
ok "$cc" -c main.c -o main.o
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/static.json" "$cc" main.o -Lstatic -lfoo -o main.exe
expect_contains "$ERR" "undefined symbol: __declspec(dllimport) foo" "the linker's own message"
expect_contains "$ERR" "error [dllimport-mismatch]" "stderr"
expect_eq "$(kinds "$WORK/static.json")" "dllimport-mismatch" "CROSSHIM_REPORT"
expect_contains "$(evidence "$WORK/static.json")" "static/libfoo.a(foo.o) | foo | defines it statically" "evidence"
expect_contains "$(evidence "$WORK/static.json")" "-DFOO_STATIC" "fix"
echo "== the fix: -DFOO_STATIC"
ok env CROSSHIM_REPORT="$WORK/fixed.json" "$cc" -DFOO_STATIC main.c -Lstatic -lfoo -o main.exe
expect_eq "$(kinds "$WORK/fixed.json")" "" "findings after the fix"

echo "== dllimport-mismatch: the import library libfoo.dll.a is on -L, not linked"
mkdir -p dll
ok "$cc" -DFOO_BUILD -shared foo.c -o dll/foo.dll -Wl,--out-implib,dll/libfoo.dll.a
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/implib.json" "$cc" main.o -Ldll -o main.exe
expect_eq "$(kinds "$WORK/implib.json")" "dllimport-mismatch" "CROSSHIM_REPORT"
expect_contains "$(evidence "$WORK/implib.json")" "dll/libfoo.dll.a | __imp_foo | the import library" "evidence"
expect_contains "$(evidence "$WORK/implib.json")" "fix: add -lfoo" "fix"
ok "$cc" main.o -Ldll -lfoo -o main.exe

echo "== wrong-architecture: an i686 object in an x86_64 link"
ok "$cc32" -DFOO_STATIC -c foo.c -o foo32.o
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/arch.json" "$cc" -DFOO_STATIC main.c foo32.o -o mixed.exe
expect_contains "$ERR" "machine type x86 conflicts with x64" "the linker's own message"
expect_eq "$(kinds "$WORK/arch.json")" "wrong-architecture" "CROSSHIM_REPORT"
expect_contains "$(evidence "$WORK/arch.json")" "foo32.o |  | COFF machine x86" "evidence"

pass
