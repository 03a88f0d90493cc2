#!/usr/bin/env bash
# sysroot-fix: `crosshim sysroot fix` on a raw Debian arm64 sysroot (the
# debsysroot-arm64-raw fixture: the .debs' absolute links kept, like a docker
# export). First the real failure: through the shim, `-lm` silently links
# libm.a (no libm.so.6 in NEEDED) and `-lthread_db` (no .a) fails. Then
# `sysroot fix --json` rewrites the absolute links (the report is checked),
# the same links work and the program runs under qemu; a second run has
# nothing to fix; `--dry-run` on a fresh copy changes nothing; a link only the
# build machine can satisfy is reported and left alone; bad command lines and
# directories give the documented exit codes.
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

# Every link as `path target`, and the absolute ones.
tree_listing() { (cd "$1" && find . -printf '%p %y %l\n' | LC_ALL=C sort); }
absolute_links() { (cd "$1" && find . -type l -lname '/*' -printf '%p -> %l\n' | LC_ALL=C sort); }

mapfile -t abs_before < <(absolute_links "$ROOT")
echo "absolute links in the raw sysroot: ${#abs_before[@]}"
((${#abs_before[@]} >= 5)) || fail "the raw fixture should have the .debs' absolute links, has: ${abs_before[*]}"
expect_eq "$(readlink "$LIBDIR/libm.so")" "/lib/$MULTIARCH/libm.so.6" "libm.so in the raw sysroot"
expect_eq "$(readlink "$LIBDIR/libthread_db.so")" "/lib/$MULTIARCH/libthread_db.so.1" "libthread_db.so"
[[ ! -e /lib/$MULTIARCH/libm.so.6 ]] ||
    echo "note: this machine has /lib/$MULTIARCH/libm.so.6: the absolute links resolve to its files"

write_hello_c hello.c
# td_init is libthread_db's; the library expects the program to provide the
# ps_* callbacks of proc_service.h, hence --allow-shlib-undefined.
printf 'extern int td_init(void);\nint main(void) { return td_init(); }\n' >td.c
td_flags=('-Wl,--allow-shlib-undefined')

echo "== before: -lm silently takes libm.a, -lthread_db fails"
# The link succeeds (crosshim's own pre-link check may warn about it).
ok_noisy "$cc" -O2 hello.c -lm -o hello-before
expect_machine hello-before "$MACHINE" "$CLASS"
needed=$(elf_needed hello-before)
grep -qxF libm.so.6 <<<"$needed" &&
    fail "hello-before has NEEDED libm.so.6; the raw sysroot's dangling libm.so should make lld take libm.a"
expect_fail_with_code 1 "$cc" td.c -lthread_db "${td_flags[@]}" -o td-before
expect_contains "$ERR" "unable to find library -lthread_db" "stderr of the -lthread_db link"
expect_no_file td-before

echo "== --dry-run on a fresh copy changes nothing"
DRY=$WORK/dry
cp -a "$RAW" "$DRY"
listing_before=$(tree_listing "$DRY")
ok "$CROSSHIM" sysroot fix --dry-run "$DRY"
expect_contains "$OUT" "would rewrite $DRY/usr/lib/$MULTIARCH/libm.so: /lib/$MULTIARCH/libm.so.6 -> libm.so.6" "dry-run output"
expect_contains "$OUT" "would rewrite ${#abs_before[@]} absolute symlink(s) in $DRY" "dry-run output"
expect_not_contains "$OUT" "rewrote" "dry-run output"
expect_eq "$(tree_listing "$DRY")" "$listing_before" "the dry-run copy after --dry-run"
ok "$CROSSHIM" sysroot fix --dry-run --json "$DRY"
printf '%s\n' "$OUT" >dry.json
ok python3 - dry.json "${#abs_before[@]}" "$DRY" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
count, root = int(sys.argv[2]), sys.argv[3]
f = report["findings"]
assert len(f) == count, f"{len(f)} findings, expected {count}"
for x in f:
    assert (x["kind"], x["severity"]) == ("absolute-symlink", "note"), x
    assert x["message"].startswith("would rewrite"), x
    assert x["evidence"][0]["file"].startswith(root + "/"), x
    assert " would be -> " in x["evidence"][0]["detail"], x
EOF
expect_eq "$(tree_listing "$DRY")" "$listing_before" "the dry-run copy after --dry-run --json"

echo "== fix, with the JSON report"
ok "$CROSSHIM" sysroot fix --json "$ROOT"
printf '%s\n' "$OUT" >fix.json
ok python3 - fix.json "$ROOT" "${abs_before[@]}" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
root, before = sys.argv[2], sys.argv[3:]
assert report["version"] == 1 and report["tool"] == "crosshim", report
f = report["findings"]
kinds = sorted({(x["kind"], x["severity"]) for x in f})
assert kinds == [("absolute-symlink", "note")], kinds
assert len(f) == len(before), f"{len(f)} findings for {len(before)} absolute links"
want = {}
for line in before:                      # ./usr/lib/x/libm.so -> /lib/x/libm.so.6
    path, target = line.split(" -> ")
    want[root + path[1:]] = target
for x in f:
    ev = x["evidence"]
    assert len(ev) == 1, x
    file, detail = ev[0]["file"], ev[0]["detail"]
    assert file in want, file
    assert detail.startswith(f"was -> {want.pop(file)}, now -> "), detail
    assert not detail.split(", now -> ")[1].startswith("/"), detail
    assert x["message"].startswith("rewrote"), x
    assert x["fix"] == "", x
assert not want, f"not reported: {want}"
print(f"ok: {len(f)} absolute-symlink notes")
EOF
mapfile -t abs_after < <(absolute_links "$ROOT")
((${#abs_after[@]} == 0)) || fail "absolute links left after the fix: ${abs_after[*]}"
expect_eq "$(readlink "$LIBDIR/libm.so")" "libm.so.6" "libm.so after the fix"
expect_eq "$(realpath "$LIBDIR/libthread_db.so")" "$(realpath "$ROOT/usr/lib/$MULTIARCH/libthread_db.so.1")" \
    "libthread_db.so after the fix"
leftovers=("$LIBDIR"/.crosshim-fix.*)
((${#leftovers[@]} == 0)) || fail "temporary links left behind: ${leftovers[*]}"

echo "== after: libm.so.6 is NEEDED, the program runs, -lthread_db links"
ok "$cc" -O2 hello.c -lm -o hello-after
expect_machine hello-after "$MACHINE" "$CLASS"
expect_interp hello-after "$LOADER"
expect_needed hello-after libm.so.6
run_on_target "$ROOT" ./hello-after 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of hello-after"
ok "$cc" td.c -lthread_db "${td_flags[@]}" -o td-after
expect_needed td-after libthread_db.so.1

echo "== a second run has nothing to fix and changes nothing"
listing_fixed=$(tree_listing "$ROOT")
ok "$CROSSHIM" sysroot fix "$ROOT"
expect_contains "$OUT" "nothing to fix in $ROOT" "second run"
expect_not_contains "$OUT" "rewrote" "second run"
ok "$CROSSHIM" sysroot fix --json "$ROOT"
printf '%s\n' "$OUT" >second.json
ok python3 -c 'import json, sys; f = json.load(open(sys.argv[1]))["findings"]; assert f == [], f' second.json
expect_eq "$(tree_listing "$ROOT")" "$listing_fixed" "the sysroot after the second run"

echo "== a link only the build machine can satisfy: reported, left alone, exit 0"
need_path /bin/sh
ln -s /bin/sh "$ROOT/usr/bin-sh-link"
ln -s ../../../../outside "$LIBDIR/escape"
ok "$CROSSHIM" sysroot fix "$ROOT"
expect_contains "$OUT" "warning [dangling-symlink]: the absolute symlink usr/bin-sh-link -> /bin/sh" "output"
expect_contains "$OUT" "/bin/sh: exists on this machine" "output"
expect_contains "$OUT" "warning [absolute-symlink]: the symlink usr/lib/$MULTIARCH/escape -> ../../../../outside leaves $ROOT" "output"
expect_contains "$OUT" "2 symlink(s) left as they are" "output"
expect_eq "$(readlink "$ROOT/usr/bin-sh-link")" /bin/sh "the link to /bin/sh"
expect_eq "$(readlink "$LIBDIR/escape")" ../../../../outside "the escaping link"
ok "$CROSSHIM" sysroot fix --json "$ROOT"
printf '%s\n' "$OUT" >left.json
ok python3 - left.json <<'EOF'
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
assert sorted((x["kind"], x["severity"]) for x in f) == [
    ("absolute-symlink", "warning"), ("dangling-symlink", "warning")], f
EOF
rm "$ROOT/usr/bin-sh-link" "$LIBDIR/escape"

echo "== command line and directory errors"
expect_fail_with_code 2 "$CROSSHIM" sysroot
expect_contains "$ERR" "fix" "stderr of crosshim sysroot"
expect_fail_with_code 2 "$CROSSHIM" sysroot frobnicate "$ROOT"
expect_contains "$ERR" "unknown sysroot subcommand 'frobnicate'" "stderr"
expect_contains "$ERR" "sysroot fix DIR" "stderr"
expect_fail_with_code 2 "$CROSSHIM" sysroot fix
expect_fail_with_code 2 "$CROSSHIM" sysroot fix --force "$ROOT"
expect_fail_with_code 2 "$CROSSHIM" sysroot fix "$ROOT" "$DRY"
expect_fail_with_code 1 "$CROSSHIM" sysroot fix "$WORK/no-such-dir"
expect_contains "$ERR" "$WORK/no-such-dir does not exist" "stderr"
expect_fail_with_code 1 "$CROSSHIM" sysroot fix hello.c
expect_contains "$ERR" "hello.c is not a directory" "stderr"
ok "$CROSSHIM" sysroot fix --help
expect_contains "$OUT" "usage: crosshim sysroot fix DIR [--dry-run] [--dev-links] [--json]" "help"
ok "$CROSSHIM" --help
expect_contains "$OUT" "fix DIR [--dry-run] [--dev-links] [--json]" "crosshim --help"
expect_eq "$(tree_listing "$ROOT")" "$listing_fixed" "the sysroot at the end"

pass
