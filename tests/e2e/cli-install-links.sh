#!/usr/bin/env bash
# cli-install-links: `crosshim install-links --dir D --target T
# --no-masquerade` makes relative links to crosshim; a second run with another
# target removes the links it no longer wants but never a file that is not a
# link to crosshim; a name that collides with such a file is refused and
# nothing changes.
source "$(dirname "$0")/common.sh"

need_stage
farm=$WORK/farm
self=$(realpath "$CROSSHIM")

# The stage's own farm: relative links (the install tree can be moved).
for n in aarch64-unknown-linux-gnu-cc aarch64-linux-gnu-gcc arm-linux-gnueabihf-g++ i686-linux-gnu-gcc \
    x86_64-unknown-linux-musl-cc x86_64-unknown-linux-gnu-ar; do
    [[ -L $SHIMS/$n ]] || fail "$SHIMS/$n is not a link"
    l=$(readlink "$SHIMS/$n")
    [[ $l != /* ]] || fail "$SHIMS/$n -> $l is absolute"
    expect_eq "$(realpath "$SHIMS/$n")" "$self" "$SHIMS/$n resolves to"
done
for n in cc c++ gcc g++ ar ld; do
    [[ -L $MASQ/$n && $(readlink "$MASQ/$n") != /* ]] || fail "$MASQ/$n is not a relative link"
done

echo "== first run: aarch64"
umask 022
ok_noisy "$CROSSHIM" install-links --dir "$farm" --target aarch64-unknown-linux-gnu --no-masquerade
expect_contains "$OUT" "shim names in $farm" "install-links output"
expect_not_contains "$OUT" "masquerade" "install-links output (--no-masquerade)"
# Every user may run the names: the new directories follow the umask (022 here).
expect_eq "$(stat -c %a "$farm")" "755" "mode of the new name farm directory"
expect_eq "$(stat -c %a "$STAGE/lib/crosshim/bin")" "755" "mode of the installed name farm"
for n in aarch64-unknown-linux-gnu-cc aarch64-unknown-linux-gnu-c++ aarch64-unknown-linux-gnu-ar \
    aarch64-linux-gnu-gcc aarch64-linux-gnu-g++ aarch64-linux-gnu-ld \
    aarch64-unknown-linux-gnu-pkg-config aarch64-linux-gnu-pkg-config; do
    [[ -L $farm/$n ]] || fail "$farm/$n was not created"
    l=$(readlink "$farm/$n")
    [[ $l != /* ]] || fail "$farm/$n -> $l is absolute, expected a relative link"
    expect_eq "$(realpath "$farm/$n")" "$self" "$farm/$n resolves to"
done
expect_no_file "$farm/armv7-unknown-linux-gnueabihf-cc"
expect_no_file "$farm/cc"
expect_no_file "$WORK/masquerade"
# The links work: a compile through the new farm.
printf 'int f(void) { return 1; }\n' >f.c
ok "$farm/aarch64-linux-gnu-gcc" -c f.c -o f.o
expect_machine f.o AArch64 ELF64

echo "== foreign files in the farm"
printf 'my notes\n' >"$farm/NOTES"
ln -s /bin/true "$farm/aarch64-unknown-linux-gnu-mytool"
ln -s "$self" "$WORK/other-crosshim-link"   # a link to crosshim OUTSIDE the farm
mkdir "$farm/subdir"

echo "== second run: armv7 only; aarch64 links go, foreign files stay"
ok_noisy "$CROSSHIM" install-links --dir "$farm" --target armv7-unknown-linux-gnueabihf --no-masquerade
for n in armv7-unknown-linux-gnueabihf-cc arm-linux-gnueabihf-gcc arm-linux-gnueabihf-g++; do
    [[ -L $farm/$n ]] || fail "$farm/$n was not created"
    expect_eq "$(realpath "$farm/$n")" "$self" "$farm/$n resolves to"
done
for n in aarch64-unknown-linux-gnu-cc aarch64-linux-gnu-gcc aarch64-unknown-linux-gnu-ar; do
    expect_no_file "$farm/$n"
done
expect_eq "$(cat "$farm/NOTES")" "my notes" "the foreign file NOTES"
[[ -L $farm/aarch64-unknown-linux-gnu-mytool ]] || fail "the foreign link aarch64-unknown-linux-gnu-mytool was removed"
expect_eq "$(readlink "$farm/aarch64-unknown-linux-gnu-mytool")" /bin/true "the foreign link"
[[ -L $WORK/other-crosshim-link ]] || fail "a link outside the farm was removed"
[[ -d $farm/subdir ]] || fail "the subdirectory was removed"
temps=("$farm"/.crosshim-link*)
((${#temps[@]} == 0)) || fail "temporary links were left in the farm: ${temps[*]}"

echo "== a regular file where a link should go: refused, nothing changes"
printf 'not crosshim\n' >"$farm/i686-linux-gnu-gcc"
before=$(cd "$farm" && ls -lA --time-style=+ | sort)
expect_fail_with_code 1 "$CROSSHIM" install-links --dir "$farm" --target i686-unknown-linux-gnu --no-masquerade
expect_contains "$ERR" "$farm/i686-linux-gnu-gcc exists and is not a link to crosshim" "stderr"
expect_eq "$(cat "$farm/i686-linux-gnu-gcc")" "not crosshim" "the colliding file"
after=$(cd "$farm" && ls -lA --time-style=+ | sort)
expect_eq "$after" "$before" "the farm after a refused install-links"
# The same for a foreign symlink in the way.
rm "$farm/i686-linux-gnu-gcc"
ln -s /bin/true "$farm/i686-linux-gnu-gcc"
expect_fail_with_code 1 "$CROSSHIM" install-links --dir "$farm" --target i686-unknown-linux-gnu --no-masquerade
expect_eq "$(readlink "$farm/i686-linux-gnu-gcc")" /bin/true "the colliding link"
[[ -L $farm/armv7-unknown-linux-gnueabihf-cc ]] || fail "a refused run removed the armv7 links"

echo "== masquerade folder"
ok_noisy "$CROSSHIM" install-links --dir "$WORK/farm2" --masquerade-dir "$WORK/masq" --target aarch64-unknown-linux-gnu
for n in cc c++ gcc g++ ar ld; do
    [[ -L $WORK/masq/$n && $(readlink "$WORK/masq/$n") != /* ]] || fail "$WORK/masq/$n is not a relative link"
done
printf 'mine\n' >"$WORK/masq2-cc"
mkdir -p "$WORK/masq2" && cp "$WORK/masq2-cc" "$WORK/masq2/cc"
expect_fail_with_code 1 "$CROSSHIM" install-links --dir "$WORK/farm3" --masquerade-dir "$WORK/masq2"
expect_eq "$(cat "$WORK/masq2/cc")" "mine" "the masquerade folder's foreign cc"
expect_no_file "$WORK/farm3"

echo "== bad usage"
expect_fail_with_code 2 "$CROSSHIM" install-links --dir "$farm" --target aarch64-unknown-linux-gnux
expect_contains "$ERR" "did you mean" "stderr"
expect_fail_with_code 2 "$CROSSHIM" install-links --bogus
expect_fail_with_code 2 "$CROSSHIM" install-links --dir

pass
