#!/usr/bin/env bash
# runtime-kinds KIND: failed links whose cause is runtime support or code
# generation, each made for real from source through the shims, with what
# crosshim says after the linker (kind in CROSSHIM_REPORT, key evidence on
# stderr, the linker's exit status 1), then the suggested fix linking and
# running, with none of these kinds reported:
#   atomics    16-byte atomics on x86-64 and 8-byte atomics for -march=i386
#              without -latomic; aarch64 outline atomics with -nodefaultlibs
#              and no libgcc (what a rustc-style link line does)
#   float-abi  an object that declares soft-float arguments (Tag_ABI_VFP_args
#              = 0) in an armhf link: ld.lld 14 rejects it. (clang's own
#              -mfloat-abi=soft objects carry no Tag_ABI_VFP_args at all, and
#              lld 14 links those silently: nothing to explain then.)
#   bitcode    clang-16 -flto objects linked by the default ld.lld 14; fixed
#              with CROSSHIM_LLVM=/usr/lib/llvm-16; GNU ld without an LTO
#              plugin through `crosshim explain` (producer read from the file)
#   duplicate  two Rust staticlibs (Debian rustc, -C lto: each is one object
#              holding std) linked into one C program; without -C lto lld
#              takes each std member once, from the first archive, and the
#              link succeeds: nothing to explain then
source "$(dirname "$0")/common.sh"

need_stage
need_cmd python3
KIND=${1:?usage: runtime-kinds.sh atomics|float-abi|bitcode|duplicate}
OURS='atomics-helper-missing|float-abi-mismatch|bitcode-version-skew|duplicate-runtime'

report_kinds() {
    python3 -c 'import json,sys; print(" ".join(f["kind"] for f in json.load(open(sys.argv[1]))["findings"]))' "$1"
}
# The evidence of the first finding, one "file | symbol | detail" per line.
report_evidence() {
    python3 -c 'import json,sys
for e in json.load(open(sys.argv[1]))["findings"][0]["evidence"]:
    print(e.get("file", ""), "|", e.get("symbol", ""), "|", e.get("detail", ""))' "$1"
}
expect_none_of_ours() { # REPORT WHAT
    expect_file "$1"
    local kinds
    kinds=$(report_kinds "$1")
    if grep -Eq "$OURS" <<<"$kinds"; then fail "$2: unexpected finding(s): $kinds"; fi
}

case $KIND in
atomics)
    x86=$SHIMS/x86_64-unknown-linux-gnu-cc
    cat >a16.c <<'EOF'
#include <stdio.h>
static unsigned __int128 counter;
int main(void) {
    unsigned __int128 v = __atomic_load_n(&counter, __ATOMIC_SEQ_CST);
    __atomic_store_n(&counter, v + 42, __ATOMIC_SEQ_CST);
    printf("atomic %d\n", (int)__atomic_load_n(&counter, __ATOMIC_SEQ_CST));
    return 0;
}
EOF
    echo "== x86-64: 16-byte atomics without -mcx16 and without -latomic"
    expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/a16.json" "$x86" -w a16.c -o a16
    expect_contains "$ERR" "ld.lld: error: undefined symbol: __atomic_load" "the linker's own message"
    expect_contains "$ERR" "error [atomics-helper-missing]: undefined symbol __atomic_load: " "stderr"
    expect_contains "$ERR" "libatomic, which is not linked" "stderr"
    expect_contains "$ERR" "fix: add -latomic to the link" "fix"
    expect_eq "$(report_kinds "$WORK/a16.json")" "atomics-helper-missing" "CROSSHIM_REPORT"
    evidence=$(report_evidence "$WORK/a16.json")
    expect_match "$evidence" '\.o \| __atomic_load \| referenced in main' "evidence: who references it"
    expect_match "$evidence" '/libatomic\.so \|  \| libatomic for this target' "evidence: libatomic"
    echo "== the fix: -latomic"
    ok env CROSSHIM_REPORT="$WORK/a16-fixed.json" "$x86" -w a16.c -o a16 -latomic
    expect_none_of_ours "$WORK/a16-fixed.json" "x86-64 with -latomic"
    ok ./a16
    expect_eq "$OUT" "atomic 42" "output of a16"

    cat >a8.c <<'EOF'
#include <stdio.h>
static unsigned long long counter;
int main(void) {
    __atomic_fetch_add(&counter, 40, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&counter, 2, __ATOMIC_SEQ_CST);
    printf("atomic %llu\n", __atomic_load_n(&counter, __ATOMIC_SEQ_CST));
    return 0;
}
EOF
    echo "== healthy: 8-byte atomics on x86-64 are inline"
    ok env CROSSHIM_REPORT="$WORK/a8-x86.json" "$x86" -w a8.c -o a8-x86
    expect_none_of_ours "$WORK/a8-x86.json" "x86-64 8-byte atomics"

    arch_info i686
    need_cross_packages
    echo "== i686: 8-byte atomics for -march=i386 (no cmpxchg8b)"
    expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/a8.json" "$SHIMS/$TRIPLE-cc" -w -march=i386 a8.c -o a8
    expect_contains "$ERR" "undefined symbol: __atomic_fetch_add_8" "the linker's own message"
    expect_contains "$ERR" "error [atomics-helper-missing]: undefined symbol __atomic_fetch_add_8" "stderr"
    expect_eq "$(report_kinds "$WORK/a8.json")" "atomics-helper-missing" "CROSSHIM_REPORT"
    expect_match "$(report_evidence "$WORK/a8.json")" "/usr/lib/gcc-cross/$GNU/[0-9]+/libatomic\.so" "evidence: the cross libatomic"
    ok env CROSSHIM_REPORT="$WORK/a8-fixed.json" "$SHIMS/$TRIPLE-cc" -w -march=i386 a8.c -o a8 -latomic
    expect_none_of_ours "$WORK/a8-fixed.json" "i686 with -latomic"
    expect_needed a8 libatomic.so.1
    run_on_target "$CROSS_ROOT" ./a8
    expect_eq "$OUT" "atomic 42" "output of a8 (i686)"

    arch_info aarch64
    need_cross_packages
    echo "== aarch64: outline atomics (clang's default) with -nodefaultlibs and no libgcc"
    expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/lse.json" \
        "$SHIMS/$TRIPLE-cc" -w a8.c -nodefaultlibs -lc -o lse
    expect_contains "$ERR" "undefined symbol: __aarch64_ldadd8_acq_rel" "the linker's own message"
    expect_contains "$ERR" "error [atomics-helper-missing]: undefined symbol __aarch64_ldadd8_acq_rel" "stderr"
    expect_contains "$ERR" "-C target-feature=-outline-atomics" "fix"
    expect_eq "$(report_kinds "$WORK/lse.json")" "atomics-helper-missing" "CROSSHIM_REPORT"
    expect_match "$(report_evidence "$WORK/lse.json")" "/libgcc\.a \| __aarch64_ldadd8_acq_rel \| defined here" "evidence: libgcc.a"
    echo "== the fixes: -lgcc, or -mno-outline-atomics; and the default link is healthy"
    ok env CROSSHIM_REPORT="$WORK/lse-fixed.json" "$SHIMS/$TRIPLE-cc" -w a8.c -nodefaultlibs -lc -lgcc -o lse
    expect_none_of_ours "$WORK/lse-fixed.json" "aarch64 with -lgcc"
    run_on_target "$CROSS_ROOT" ./lse
    expect_eq "$OUT" "atomic 42" "output of lse"
    ok "$SHIMS/$TRIPLE-cc" -w -mno-outline-atomics a8.c -nodefaultlibs -lc -o lse-inline
    ok env CROSSHIM_REPORT="$WORK/lse-default.json" "$SHIMS/$TRIPLE-cc" -w a8.c -o lse-default
    expect_none_of_ours "$WORK/lse-default.json" "aarch64 default link"
    ;;

float-abi)
    arch_info armv7
    need_cross_packages
    cc=$SHIMS/$TRIPLE-cc
    # twice(float): the base procedure call standard passes the float in r0.
    cat >twice-soft.s <<'EOF'
	.syntax unified
	.fpu vfpv3-d16
	.eabi_attribute 28, 0	@ Tag_ABI_VFP_args: base AAPCS (soft-float arguments)
	.text
	.globl twice
	.type twice, %function
twice:
	vmov s0, r0
	vadd.f32 s0, s0, s0
	vmov r0, s0
	bx lr
EOF
    # The same for the VFP variant: the float comes and goes in s0.
    cat >twice-hard.s <<'EOF'
	.syntax unified
	.fpu vfpv3-d16
	.eabi_attribute 28, 1	@ Tag_ABI_VFP_args: VFP registers (hard-float arguments)
	.text
	.globl twice
	.type twice, %function
twice:
	vadd.f32 s0, s0, s0
	bx lr
EOF
    printf '#include <stdio.h>\nfloat twice(float);\nint main(void) { printf("twice(1.5) = %%.1f\\n", twice(1.5f)); return 0; }\n' >main.c
    ok "$cc" -c twice-soft.s -o twice-soft.o
    ok "$cc" -c twice-hard.s -o twice-hard.o
    echo "== armhf link with a soft-float-arguments object"
    expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/fabi.json" "$cc" main.c twice-soft.o -o fabi
    expect_contains "$ERR" "ld.lld: error: twice-soft.o: incompatible Tag_ABI_VFP_args" "the linker's own message"
    expect_contains "$ERR" "error [float-abi-mismatch]: twice-soft.o was built for the soft-float ABI, the target is hard-float" "stderr"
    expect_contains "$ERR" "fix: rebuild twice-soft.o for the target's ABI" "fix"
    expect_eq "$(report_kinds "$WORK/fabi.json")" "float-abi-mismatch" "CROSSHIM_REPORT"
    evidence=$(report_evidence "$WORK/fabi.json")
    expect_contains "$evidence" "twice-soft.o |  | incompatible Tag_ABI_VFP_args; its .ARM.attributes say Tag_ABI_VFP_args = 0 (soft-float arguments)" "evidence"
    expect_contains "$evidence" "in VFP registers (hard-float)" "evidence"
    echo "== the fix: the hard-float build of the object links and runs"
    ok env CROSSHIM_REPORT="$WORK/fabi-fixed.json" "$cc" main.c twice-hard.o -o fabi
    expect_none_of_ours "$WORK/fabi-fixed.json" "armhf with the hard-float object"
    run_on_target "$CROSS_ROOT" ./fabi
    expect_eq "$OUT" "twice(1.5) = 3.0" "output of fabi"
    ;;

bitcode)
    need_cmd clang-16 "apt-get install clang-16"
    need_path /usr/lib/llvm-16/bin/ld.lld "apt-get install lld-16"
    x86=$SHIMS/x86_64-unknown-linux-gnu-cc
    run "$SHIMS/x86_64-unknown-linux-gnu-ld" --version
    lld_major=$(sed -n 's/.*LLD \([0-9]*\)\..*/\1/p' <<<"$OUT")
    [[ -n $lld_major ]] || fail "cannot read the version of the shim's ld.lld: $OUT"
    ((lld_major < 16)) || skip "the default ld.lld is LLVM $lld_major, which reads LLVM 16 bitcode"
    printf 'int answer(void) { return 42; }\n' >answer.c
    printf 'int answer(void);\nint main(void) { return answer() == 42 ? 0 : 1; }\n' >main.c
    ok clang-16 --target=x86_64-linux-gnu -O2 -flto -c answer.c -o answer-lto.o

    echo "== x86-64: clang-16 -flto object, the shim's ld.lld $lld_major"
    expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/lto.json" "$x86" main.c answer-lto.o -o lto
    expect_contains "$ERR" "(Producer: 'LLVM16." "the linker's own message"
    expect_contains "$ERR" "error [bitcode-version-skew]: answer-lto.o is LLVM bitcode from LLVM16." "stderr"
    expect_contains "$ERR" "newer than the linker's LLVM $lld_major." "stderr"
    expect_contains "$ERR" "CROSSHIM_LLVM=/usr/lib/llvm-16" "fix"
    expect_eq "$(report_kinds "$WORK/lto.json")" "bitcode-version-skew" "CROSSHIM_REPORT"
    expect_match "$(report_evidence "$WORK/lto.json")" "answer-lto\.o \|  \| LLVM bitcode written by LLVM16\." "evidence"
    echo "== the fix: the LLVM 16 toolchain"
    ok env CROSSHIM_LLVM=/usr/lib/llvm-16 CROSSHIM_REPORT="$WORK/lto-fixed.json" "$x86" main.c answer-lto.o -o lto
    expect_none_of_ours "$WORK/lto-fixed.json" "LTO link with LLVM 16"
    ok ./lto

    arch_info aarch64
    need_cross_packages
    echo "== aarch64: the same with ThinLTO"
    ok clang-16 --target=aarch64-linux-gnu -O2 -flto=thin -c answer.c -o answer-thin.o
    expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/thin.json" "$SHIMS/$TRIPLE-cc" main.c answer-thin.o -o thin
    expect_contains "$ERR" "error [bitcode-version-skew]: answer-thin.o is LLVM bitcode from LLVM16." "stderr"
    expect_eq "$(report_kinds "$WORK/thin.json")" "bitcode-version-skew" "CROSSHIM_REPORT"

    echo "== GNU ld without an LTO plugin: the producer read from the file"
    need_cmd ld.bfd "apt-get install binutils"
    run clang-14 -fuse-ld=bfd main.c answer-lto.o -o bfd
    ((RC != 0)) || fail "GNU ld linked LLVM bitcode without a plugin"
    printf '%s\n' "$ERR" >bfd.log
    expect_contains "$ERR" "answer-lto.o: file not recognized" "GNU ld's own message"
    expect_fail_with_code 1 "$CROSSHIM" explain --target x86_64-unknown-linux-gnu --json bfd.log
    printf '%s\n' "$OUT" >bfd.json
    expect_eq "$(report_kinds bfd.json)" "bitcode-version-skew" "explain --json (not wrong-architecture)"
    expect_match "$(report_evidence bfd.json)" "LLVM bitcode written by LLVM16\.[0-9.]+ \(its IDENTIFICATION block\)" "evidence"
    ;;

duplicate)
    need_path /usr/bin/rustc "apt-get install rustc"
    RUSTC=/usr/bin/rustc
    x86=$SHIMS/x86_64-unknown-linux-gnu-cc
    cat >a.rs <<'EOF'
#[no_mangle]
pub extern "C" fn rust_a(x: i32) -> i32 { (0..x).collect::<Vec<i32>>().iter().sum() }
EOF
    cat >b.rs <<'EOF'
#[no_mangle]
pub extern "C" fn rust_b(x: i32) -> i32 { format!("{}", x).len() as i32 }
EOF
    printf '#include <stdio.h>\nint rust_a(int);\nint rust_b(int);\nint main(void) { printf("%%d %%d\\n", rust_a(4), rust_b(12345)); return 0; }\n' >main.c
    lto=(-C lto -C opt-level=1 -C codegen-units=1)
    ok "$RUSTC" --edition 2021 --crate-type staticlib "${lto[@]}" a.rs -o liba.a
    ok "$RUSTC" --edition 2021 --crate-type staticlib "${lto[@]}" b.rs -o libb.a

    echo "== two Rust staticlibs, each with std, in one C program"
    expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/dup.json" "$x86" main.c -L. -la -lb -lpthread -ldl -o dup
    expect_contains "$ERR" "ld.lld: error: duplicate symbol: rust_eh_personality" "the linker's own message"
    expect_contains "$ERR" "error [duplicate-runtime]: two Rust static libraries each carry their own copy of the Rust standard library: liba.a and libb.a both define rust_eh_personality" "stderr"
    expect_contains "$ERR" "wrapper crate" "fix"
    # lld reports up to 20 colliding std symbols: one finding for the pair.
    expect_eq "$(report_kinds "$WORK/dup.json")" "duplicate-runtime" "CROSSHIM_REPORT"
    evidence=$(report_evidence "$WORK/dup.json")
    expect_match "$evidence" '^\./liba\.a \| rust_eh_personality \| a copy of the Rust runtime' "evidence: liba.a"
    expect_match "$evidence" '^\./libb\.a \| rust_eh_personality \| a copy of the Rust runtime' "evidence: libb.a"

    echo "== the fix: one staticlib from a wrapper crate over both (as rlibs)"
    ok "$RUSTC" --edition 2021 --crate-type rlib --crate-name a a.rs -o liba.rlib
    ok "$RUSTC" --edition 2021 --crate-type rlib --crate-name b b.rs -o libb.rlib
    printf 'pub use a::rust_a;\npub use b::rust_b;\n' >both.rs
    ok "$RUSTC" --edition 2021 --crate-type staticlib "${lto[@]}" --crate-name both \
        --extern a=liba.rlib --extern b=libb.rlib both.rs -o libboth.a
    ok env CROSSHIM_REPORT="$WORK/both.json" "$x86" main.c -L. -lboth -lpthread -ldl -o both
    expect_none_of_ours "$WORK/both.json" "the combined staticlib"
    ok ./both
    expect_eq "$OUT" "6 5" "output of both"

    echo "== a duplicate C function is not the Rust runtime"
    printf 'int dup(void) { return 1; }\n' >d1.c
    printf 'int dup(void) { return 2; }\nint main(void) { return dup(); }\n' >d2.c
    expect_fail_with_code 1 env CROSSHIM_REPORT="$WORK/cdup.json" "$x86" d1.c d2.c -o cdup
    expect_contains "$ERR" "duplicate symbol: dup" "the linker's own message"
    expect_none_of_ours "$WORK/cdup.json" "two C definitions of dup"
    ;;

*) fail "unknown kind '$KIND' (atomics, float-abi, bitcode, duplicate)" ;;
esac

pass
