#!/usr/bin/env bash
# diag-recall: failures made for real, each checked for the finding's kind,
# message and fix (CROSSHIM_REPORT), and the fix then tried for real:
#   linker-script-path     a copy of Debian's aarch64 cross tree used as the
#                          sysroot: its libc.so script names the original tree
#                          (doctor, warning, exit 0); a copy with the scripts
#                          rewritten as the fix says is clean
#   unwinder-missing       C++ with exceptions linked -nodefaultlibs -lstdc++
#                          -lc (aarch64, and the host where LLVM's libunwind is
#                          installed): the fix is libgcc's -lgcc_s, never
#                          -lunwind; GCC fails the same way and -lgcc_s fixes both
#   libc-link-mismatch     a sysroot whose libc.so is a symlink loop: ld.lld
#                          silently takes libc.a into a dynamic PIE
#   cxx-stdlib-mix         a libc++ object linked with libstdc++ (aarch64) and
#                          a libstdc++ object linked with libc++ (host)
#   openmp-runtime-missing -fopenmp taking the host's libomp.so (aarch64), and
#                          -lomp missing on MinGW: the fix -fopenmp=libgomp
#   wrong-linker           -fuse-ld=gold with an unpacked sysroot runs the host's
#                          gold, which cannot read the (correct) AArch64 Scrt1.o
#   undefined-symbol       setUp is not offered setjmp as a close name
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
need_fixture_sysroot
need_cmd python3
need_path "/usr/bin/$GNU-g++" "apt-get install g++-$GNU"
need_path "/usr/bin/$GNU-ld.gold" "apt-get install binutils-$GNU"
need_cmd ld.gold "apt-get install binutils"
need_path /usr/lib/llvm-14/lib/libomp.so "apt-get install libomp-14-dev"
need_path /usr/lib/llvm-14/include/c++/v1/string "apt-get install libc++-14-dev libc++abi-14-dev"
need_path /usr/x86_64-w64-mingw32/lib/libkernel32.a "apt-get install mingw-w64-x86-64-dev"
cc=$SHIMS/$TRIPLE-cc
cxx=$SHIMS/$TRIPLE-c++
export CROSSHIM_REPORT=$WORK/report.json

# finding KIND EXPR...: the Python lines run with f = the first finding of
# KIND in $CROSSHIM_REPORT (or in the file given as REPORT=...), `kinds` = all
# kinds, `ev` = its evidence as one text.
finding() {
    local kind=$1
    shift
    ok python3 - "${REPORT:-$CROSSHIM_REPORT}" "$kind" "$@" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
kind = sys.argv[2]
kinds = [f["kind"] for f in r["findings"]]
assert kind in kinds, kinds
f = next(x for x in r["findings"] if x["kind"] == kind)
ev = " | ".join((e.get("file", "") + ": " + e.get("symbol", "") + ": " + e.get("detail", "")) for e in f["evidence"])
for line in sys.argv[3:]:
    assert eval(line), (line, f)
PY
}
KINDS=0

echo "== linker-script-path: a copy of Debian's cross tree as the sysroot"
mkdir -p copy/lib/gcc-cross
cp -al "$CROSS_ROOT" copy/"$GNU"
rm -rf copy/"$GNU"/bin
cp -al "/usr/lib/gcc-cross/$GNU" copy/lib/gcc-cross/
export "$SYSROOT_VAR=$WORK/copy/$GNU"
run "$CROSSHIM" doctor --json --target "$TRIPLE"
((RC == 0)) || fail "doctor exit $RC: a warning keeps the status 0"
printf '%s\n' "$OUT" >copy.json
REPORT=copy.json finding linker-script-path \
    "f['severity'] == 'warning'" \
    "f['message'].startswith('the linker script $WORK/copy/$GNU/lib/libc.so names 3 file(s) outside $WORK/copy/$GNU')" \
    "'names $CROSS_ROOT/lib/libc.so.6; this sysroot\\'s own file is $WORK/copy/$GNU/lib/libc.so.6' in ev" \
    "\"sed -i 's|$CROSS_ROOT/lib/|$WORK/copy/$GNU/lib/|g' $WORK/copy/$GNU/lib/libc.so\" in f['fix']"
# Debian's arm64 libm.so is a link to libm.so.6; libc.so is the one script.
REPORT=copy.json finding linker-script-path "kinds.count('linker-script-path') == 1"
# What the finding says is real: the link reads the original tree's libc.so.6.
write_hello_c hello.c
ok "$cc" hello.c -lm -Wl,--trace -o hello-copy
expect_contains "$OUT" "$CROSS_ROOT/lib/libc.so.6" "files the link took"
# The fix as given (on the copy's own file: cp -al shares it with the original).
rm copy/"$GNU"/lib/libc.so
cp "$CROSS_ROOT/lib/libc.so" copy/"$GNU"/lib/libc.so
ok sed -i "s|$CROSS_ROOT/lib/|$WORK/copy/$GNU/lib/|g" "$WORK/copy/$GNU/lib/libc.so"
run "$CROSSHIM" doctor --json --target "$TRIPLE"
((RC == 0)) || fail "doctor exit $RC after the fix"
expect_not_contains "$OUT" linker-script-path "doctor after the fix"
ok "$cc" hello.c -lm -Wl,--trace -o hello-copy
expect_not_contains "$OUT" "$CROSS_ROOT/lib/libc.so.6" "files the link took after the fix"
unset "$SYSROOT_VAR"
KINDS=$((KINDS + 1))

echo "== unwinder-missing: C++ exceptions with -nodefaultlibs -lstdc++ -lc"
write_hello_cpp hello.cpp
expect_fail_with_code 1 "$cxx" hello.cpp -nodefaultlibs -lstdc++ -lc -lm -o ex
expect_contains "$ERR" "undefined symbol: _Unwind_Resume" "the linker's message"
finding unwinder-missing \
    "f['message'].startswith('undefined symbol _Unwind_Resume: the stack unwinder')" \
    "'libgcc_s.so: : libgcc\\'s shared unwinder' in ev" \
    "f['fix'].startswith('libstdc++ unwinds through libgcc\\'s unwinder: add -lgcc_s after -lstdc++')" \
    "'unwind' not in f['fix'].replace('unwinds', '').replace('unwinder', '')"
# GCC fails the same way; -lgcc_s fixes both.
run "/usr/bin/$GNU-g++" hello.cpp -nodefaultlibs -lstdc++ -lc -lm -o ex-gcc
((RC != 0)) || fail "g++ linked without the unwinder"
expect_contains "$ERR" "_Unwind_Resume" "g++'s message"
ok "/usr/bin/$GNU-g++" hello.cpp -nodefaultlibs -lstdc++ -lc -lm -lgcc_s -o ex-gcc
ok "$cxx" hello.cpp -nodefaultlibs -lstdc++ -lc -lm -lgcc_s -o ex
run_on_target "$CROSS_ROOT" ./ex 4 5 6
expect_eq "$OUT" "$HELLO_CPP_LINE" "output"
echo "-- the host, where LLVM's libunwind is installed too"
expect_fail_with_code 1 "$SHIMS/x86_64-unknown-linux-gnu-c++" hello.cpp -nodefaultlibs -lstdc++ -lc -lm -o ex-host
finding unwinder-missing "'-lgcc_s' in f['fix']" "'-lunwind' not in f['fix'] and 'libunwind' not in ev"
ok "$SHIMS/x86_64-unknown-linux-gnu-c++" hello.cpp -nodefaultlibs -lstdc++ -lc -lm -lgcc_s -o ex-host
KINDS=$((KINDS + 1))

echo "== libc-link-mismatch: libc.so is a symlink loop, libc.a is taken silently"
cp -al "$FIXTURE_SYSROOT" loop
L=loop/usr/lib/$MULTIARCH
rm "$L/libc.so"
ln -s libc.so "$L/libc.so"
export "$SYSROOT_VAR=$WORK/loop"
expect_fail_with_code 1 "$cc" hello.c -lm -o hello-loop
expect_not_contains "$ERR" "ld.lld: error" "the linker's own output (it takes libc.a silently)"
finding libc-link-mismatch "f['severity'] == 'error'" \
    "f['message'].startswith('the program is dynamic (PT_INTERP $LOADER) but does not need libc.so.6')" \
    "'$WORK/loop/lib/$MULTIARCH/libc.so: : unusable (a symlink loop)' in ev" \
    "'libc.a: : taken instead' in ev" \
    "f['fix'].startswith('repair $WORK/loop/lib/$MULTIARCH/libc.so')"
# The program really lacks libc.so.6 and does not run.
[[ -z $(elf_needed hello-loop | grep -x libc.so.6) ]] || fail "hello-loop needs libc.so.6"
run timeout 60 "$QEMU" -L "$WORK/loop" ./hello-loop 2
((RC != 0)) || fail "the program with a static libc in a dynamic PIE ran"
# The fix: libc.so as libc6-dev ships it.
rm "$L/libc.so"
cp "$FIXTURE_SYSROOT/usr/lib/$MULTIARCH/libc.so" "$L/libc.so"
ok "$cc" hello.c -lm -o hello-loop
run_on_target "$WORK/loop" ./hello-loop 2
unset "$SYSROOT_VAR"
KINDS=$((KINDS + 1))

echo "== cxx-stdlib-mix: libc++ objects with libstdc++, and the reverse"
cat >greet.cpp <<'EOF'
#include <string>
std::string greet(const std::string &n) { return "hello " + n; }
EOF
cat >main.cpp <<'EOF'
#include <cstdio>
#include <string>
std::string greet(const std::string &n);
int main() { std::puts(greet("x").c_str()); return 0; }
EOF
ok "$cxx" -stdlib=libc++ -c greet.cpp -o greet-libcxx.o
expect_fail_with_code 1 "$cxx" main.cpp greet-libcxx.o -o mix
finding cxx-stdlib-mix "'compiled against LLVM\\'s libc++' in f['message'] and 'the link uses libstdc++' in f['message']" \
    "'greet-libcxx.o' in ev" "'without -stdlib=libc++' in f['fix']" \
    "kinds == ['cxx-stdlib-mix']"
ok "$cxx" main.cpp greet.cpp -o mix
host=$SHIMS/x86_64-unknown-linux-gnu-c++
ok "$host" -c greet.cpp -o greet-gnu.o
expect_fail_with_code 1 "$host" -stdlib=libc++ main.cpp greet-gnu.o -o mix-host
finding cxx-stdlib-mix "'compiled against GCC\\'s libstdc++' in f['message'] and 'the link uses libc++' in f['message']" \
    "'greet-gnu.o' in ev" "'with -stdlib=libc++' in f['fix']" "kinds == ['cxx-stdlib-mix']"
KINDS=$((KINDS + 1))

echo "== openmp-runtime-missing: -fopenmp takes the host's libomp.so"
cat >omp.c <<'EOF'
#include <omp.h>
#include <stdio.h>
int main(void) {
    int n = 0;
#pragma omp parallel reduction(+ : n)
    n += 1;
    printf("threads: %d\n", n > 0);
    return 0;
}
EOF
expect_fail_with_code 1 "$cc" -fopenmp omp.c -o omp
expect_contains "$ERR" "libomp.so is incompatible" "the linker's message"
finding openmp-runtime-missing "'the only libomp the linker finds is the build machine\\'s' in f['message']" \
    "'/usr/lib/gcc-cross/$GNU/12/libgomp.so: : GCC\\'s OpenMP runtime for the target' in ev" \
    "f['fix'].startswith('compile and link with -fopenmp=libgomp')" \
    "'rebuild' not in f['fix']" "kinds == ['openmp-runtime-missing']"
ok "$cc" -fopenmp=libgomp omp.c -o omp
run_on_target "$CROSS_ROOT" ./omp
expect_eq "$OUT" "threads: 1" "output"
echo "-- MinGW: no libomp at all"
mingw=$SHIMS/x86_64-pc-windows-gnu-cc
expect_fail_with_code 1 "$mingw" -fopenmp omp.c -o omp.exe
expect_contains "$ERR" "unable to find library -lomp" "the linker's message"
finding openmp-runtime-missing "'there is no libomp for x86_64-pc-windows-gnu' in f['message']" \
    "'libgomp' in ev" "f['fix'].startswith('compile and link with -fopenmp=libgomp')"
ok "$mingw" -fopenmp=libgomp omp.c -o omp.exe
KINDS=$((KINDS + 1))

echo "== wrong-linker: -fuse-ld=gold with an unpacked sysroot"
export "$SYSROOT_VAR=$FIXTURE_SYSROOT"
expect_fail_with_code 1 "$cc" -fuse-ld=gold hello.c -lm -o gold
expect_contains "$ERR" "Scrt1.o: unsupported ELF machine number" "gold's message"
finding wrong-linker "kinds == ['wrong-linker']" \
    "'Scrt1.o: : AArch64, the target\\'s machine, as it should be' in ev" \
    "'-fuse-ld=gold runs the build machine\\'s ld.gold' in ev" \
    "f['fix'] == 'drop -fuse-ld=gold (crosshim links with ld.lld), or name the target\\'s own linker: -fuse-ld=/usr/bin/$GNU-ld.gold'"
ok "$cc" -fuse-ld="/usr/bin/$GNU-ld.gold" hello.c -lm -o gold
expect_machine gold "$MACHINE" "$CLASS"
unset "$SYSROOT_VAR"
KINDS=$((KINDS + 1))

echo "== undefined-symbol: setUp is not a misspelt setjmp"
printf '#include <setjmp.h>\nvoid setUp(void);\nint main(void) { jmp_buf b; setUp(); return setjmp(b); }\n' >setup.c
expect_fail_with_code 1 "$cc" setup.c -o setup
finding undefined-symbol "f['message'].startswith('undefined symbol setUp: no library')" \
    "'setjmp' not in f['fix'] and 'close names' not in f['fix']"

echo "kinds with a real-failure test here: $KINDS"
pass
