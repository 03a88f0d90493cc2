#!/usr/bin/env bash
# cli-names: what a program name may be. Unknown targets and tools are usage
# errors (exit 2) with close matches; a glibc floor rides on the triple
# (x86_64-unknown-linux-gnu.2.17-cc) and a malformed one is rejected; version
# and .exe suffixes are tolerated; a --target= that contradicts the name is an
# error, a matching one is accepted. An error runs nothing.
source "$(dirname "$0")/common.sh"

need_stage
arch_info aarch64
need_cross_packages
cat >x.c <<'C'
int main(void) { return 0; }
C
names=$WORK/names
mkdir -p "$names"
link() { ln -sf "$CROSSHIM" "$names/$1"; }

echo "== unknown target name"
link aarch64-unknown-linux-gnux-cc
expect_fail_with_code 2 "$names/aarch64-unknown-linux-gnux-cc" -c x.c -o bad1.o
expect_contains "$ERR" "unknown target 'aarch64-unknown-linux-gnux'" "stderr"
expect_contains "$ERR" "did you mean" "stderr"
expect_contains "$ERR" "aarch64-unknown-linux-gnu" "stderr (close match)"
expect_no_file bad1.o
link aarch64-linux-gnux-gcc
expect_fail_with_code 2 "$names/aarch64-linux-gnux-gcc" -c x.c -o bad2.o
expect_contains "$ERR" "did you mean" "stderr"
expect_no_file bad2.o
link aarch64-unknown-linux-gnu-bogus
expect_fail_with_code 2 "$names/aarch64-unknown-linux-gnu-bogus" --version
expect_contains "$ERR" "unknown tool 'bogus'" "stderr"

echo "== glibc floor on the name"
link x86_64-unknown-linux-gnu.2.x-cc
expect_fail_with_code 2 "$names/x86_64-unknown-linux-gnu.2.x-cc" -c x.c -o bad3.o
expect_contains "$ERR" "2.x" "stderr"
expect_no_file bad3.o
link x86_64-unknown-linux-gnu.2-cc
expect_fail_with_code 2 "$names/x86_64-unknown-linux-gnu.2-cc" -c x.c -o bad4.o
expect_no_file bad4.o
link x86_64-unknown-linux-musl.2.17-cc
expect_fail_with_code 2 "$names/x86_64-unknown-linux-musl.2.17-cc" -c x.c -o bad5.o
expect_contains "$ERR" "glibc" "stderr"
expect_no_file bad5.o
link x86_64-unknown-linux-gnu.2.17-cc
# A compile is not audited; the link is, and the build machine's glibc is newer
# than 2.17 (e2e.audit covers glibc-floor-exceeded in full).
ok "$names/x86_64-unknown-linux-gnu.2.17-cc" -O2 -c x.c -o floor.o
expect_fail_with_code 1 "$names/x86_64-unknown-linux-gnu.2.17-cc" floor.o -o floor
expect_contains "$ERR" "[glibc-floor-exceeded]" "a link under a 2.17 floor"
ok ./floor
ok "$CROSSHIM" which x86_64-unknown-linux-gnu.2.17-cc
expect_contains "$OUT" "glibc floor: 2.17" "crosshim which"
link aarch64-linux-gnu.2.28-gcc
ok "$names/aarch64-linux-gnu.2.28-gcc" -c x.c -o floor-arm.o
expect_machine floor-arm.o "$MACHINE" "$CLASS"

echo "== version and .exe suffixes"
link aarch64-linux-gnu-gcc-12
ok "$names/aarch64-linux-gnu-gcc-12" -c x.c -o v12.o
expect_machine v12.o "$MACHINE" "$CLASS"
link aarch64-unknown-linux-gnu-cc.exe
ok "$names/aarch64-unknown-linux-gnu-cc.exe" -c x.c -o exe.o
expect_machine exe.o "$MACHINE" "$CLASS"

echo "== --target= in the arguments"
cc=$SHIMS/$TRIPLE-cc
expect_fail_with_code 2 "$cc" --target=x86_64-linux-gnu -c x.c -o bad6.o
expect_contains "$ERR" "x86_64-linux-gnu" "stderr"
expect_no_file bad6.o
expect_fail_with_code 2 "$cc" -target armv7-linux-gnueabihf x.c -o bad7
expect_no_file bad7
expect_fail_with_code 2 "$SHIMS/$GNU-g++" --target=aarch64-unknown-linux-musl x.c -o bad8
expect_no_file bad8
for spelling in --target=aarch64-linux-gnu --target=aarch64-unknown-linux-gnu --target=aarch64-pc-linux-gnu; do
    ok "$cc" "$spelling" x.c -o "good-${spelling#--target=}"
    expect_machine "good-${spelling#--target=}" "$MACHINE" "$CLASS"
done
ok "$cc" -target aarch64-linux-gnu -c x.c -o good2.o
expect_machine good2.o "$MACHINE" "$CLASS"
# -m32 on a 64-bit x86 target contradicts it.
expect_fail_with_code 2 "$SHIMS/x86_64-unknown-linux-gnu-cc" -m32 -c x.c -o bad9.o
expect_no_file bad9.o
if [[ -d /usr/i686-linux-gnu ]]; then
    ok "$SHIMS/i686-unknown-linux-gnu-cc" -m32 -c x.c -o m32.o
    expect_machine m32.o "Intel 80386" ELF32
fi

pass
