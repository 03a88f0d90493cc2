#!/usr/bin/env bash
# sysroot-dev-links: `crosshim sysroot fix --dev-links` on a copy of the raw
# Debian arm64 sysroot, with a library installed the way a run-time package
# installs it (libanswer.so.1.0.0, libanswer.so.1 -> it, and a newer
# libanswer.so.2, but no libanswer.so). Before: `-lanswer` fails and
# crosshim says missing-dev-symlink. --dry-run lists the links and changes
# nothing; the fix creates libanswer.so -> libanswer.so.2 (the highest
# SONAME), but none for glibc's own libraries (libpthread.so.0 must stay
# without libpthread.so) nor for those GCC's runtime directory provides
# (libgcc_s.so there is GROUP(libgcc_s.so.1 -lgcc): a plain link in the
# multiarch directory would shadow it and lose libgcc.a); the link
# then works and the program runs under qemu; a second run creates nothing;
# a libc.so.6 without libc6-dev's libc.so is a warning, not a link.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cmd "$QEMU" "apt-get install qemu-user"
need_cmd python3
RAW=$FIXTURES/sysroot-$DEB_ARCH-raw
[[ -f $RAW/.crosshim-fixture-stamp ]] ||
    fail "fixture sysroot $RAW is missing (the debsysroot-$DEB_ARCH-raw fixture makes it)"

ROOT=$WORK/sysroot
cp -a "$RAW" "$ROOT"
LIBDIR=$ROOT/usr/lib/$MULTIARCH
cc=$SHIMS/$TRIPLE-cc
export "$SYSROOT_VAR=$ROOT"
tree_listing() { (cd "$1" && find . -printf '%p %y %l\n' | LC_ALL=C sort); }
report_kinds() {
    python3 -c 'import json,sys; print(" ".join(sorted({f["kind"] for f in json.load(open(sys.argv[1]))["findings"]})))' "$1"
}

# The absolute links first, so that only the dev links change below.
ok "$CROSSHIM" sysroot fix "$ROOT"

echo "== a library installed without its -dev link"
printf 'int answer(void) { return 41; }\n' >answer1.c
printf 'int answer(void) { return 42; }\n' >answer2.c
ok "$cc" -shared -fPIC answer1.c -o "$LIBDIR/libanswer.so.1.0.0" -Wl,-soname,libanswer.so.1
ln -s libanswer.so.1.0.0 "$LIBDIR/libanswer.so.1"
ok "$cc" -shared -fPIC answer2.c -o "$LIBDIR/libanswer.so.2" -Wl,-soname,libanswer.so.2
printf '#include <stdio.h>\nint answer(void);\nint main(void) { printf("%%d\\n", answer()); return 0; }\n' >main.c
expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/before.json" "$cc" main.c -lanswer -o main
expect_contains "$ERR" "unable to find library -lanswer" "the linker's message"
expect_eq "$(report_kinds "$WORK/before.json")" "missing-dev-symlink" "kinds before the fix"

echo "== --dry-run lists the links and changes nothing"
listing=$(tree_listing "$ROOT")
ok "$CROSSHIM" sysroot fix --dry-run --dev-links "$ROOT"
expect_contains "$OUT" "would create $LIBDIR/libanswer.so -> libanswer.so.2" "dry-run output"
expect_contains "$OUT" "would create 1 dev link(s)" "dry-run output"
expect_eq "$(tree_listing "$ROOT")" "$listing" "the sysroot after --dry-run"

echo "== --dev-links creates them, with a JSON report"
ok "$CROSSHIM" sysroot fix --dev-links --json "$ROOT"
printf '%s\n' "$OUT" >fix.json
ok python3 - fix.json "$LIBDIR" <<'PY'
import json, sys
findings = json.load(open(sys.argv[1]))["findings"]
libdir = sys.argv[2]
created = {}
for f in findings:
    assert (f["kind"], f["severity"]) == ("missing-dev-symlink", "note"), f
    assert f["message"].startswith("created "), f
    link, target = f["message"][len("created "):].split(" (for -l")[0].split(" -> ")
    created[link] = (target, f["evidence"][0]["file"])
want = f"usr/lib/{libdir.rsplit('/', 1)[1]}/libanswer.so"
assert created[want] == ("libanswer.so.2", f"{libdir}/libanswer.so.2"), created
assert list(created) == [want], created  # libgcc_s, libstdc++: GCC's dir has them
print("created:", " ".join(sorted(created)))
PY
expect_eq "$(readlink "$LIBDIR/libanswer.so")" libanswer.so.2 "libanswer.so"
expect_no_file "$LIBDIR/libgcc_s.so"
expect_no_file "$LIBDIR/libstdc++.so"
expect_no_file "$LIBDIR/libpthread.so"
expect_no_file "$LIBDIR/libdl.so"

echo "== the link works now, and the program runs"
ok "$cc" main.c -lanswer -o main
expect_eq "$ERR" "" "stderr of the link"
expect_needed main libanswer.so.2
run_on_target "$ROOT" ./main
expect_eq "$OUT" "42" "output of main"

echo "== a second run creates nothing"
listing=$(tree_listing "$ROOT")
ok "$CROSSHIM" sysroot fix --dev-links "$ROOT"
expect_contains "$OUT" "created 0 dev link(s)" "second run"
expect_eq "$(tree_listing "$ROOT")" "$listing" "the sysroot after the second run"

echo "== libc.so.6 without libc6-dev's libc.so: a warning, no link"
rm "$LIBDIR/libc.so"
ok "$CROSSHIM" sysroot fix --dev-links --json "$ROOT"
printf '%s\n' "$OUT" >glibc.json
ok python3 - glibc.json <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
assert [(x["kind"], x["severity"]) for x in f] == [("missing-dev-symlink", "warning")], f
assert "libc6-dev" in f[0]["fix"], f
PY
expect_no_file "$LIBDIR/libc.so"

ok "$CROSSHIM" sysroot fix --help
expect_contains "$OUT" "--dev-links" "help"
pass
