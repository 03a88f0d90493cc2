#!/usr/bin/env bash
# binutils-names: the GNU binutils/GCC names a cross toolchain has besides the
# compilers -- <prefix>-as, -c++filt, -gcc-ar, -gcc-nm, -gcc-ranlib, -dwp --
# against Debian's GNU tools of the same name. The same sources are assembled
# by GNU's <gnu>-as and by crosshim's GNU and Rust spellings for aarch64,
# armhf, i686 and x86_64 MinGW, and what a link or a loader reads is compared:
# object format and machine, ELF class, ARM float-ABI attributes, the symbols
# with their binding, the section names, --defsym, -I and .note.GNU-stack
# (--noexecstack). Then c++filt against GNU's on a list of mangled names,
# gcc-ar/gcc-nm on LTO objects whose archive a link uses, and a kernel-style
# Makefile driven with `make CROSS_COMPILE=aarch64-linux-gnu-` with only the
# crosshim names on PATH ($(CROSS_COMPILE)as, gcc, ld, objcopy): its program
# runs under qemu; autoconf's AC_CHECK_TOOL(AS, as) for --host=x86_64-w64-mingw32
# finds crosshim's name with every GNU assembler off PATH.
source "$(dirname "$0")/common.sh"

need_stage
for t in aarch64-linux-gnu arm-linux-gnueabihf i686-linux-gnu x86_64-w64-mingw32; do
    need_cmd "$t-as" "apt-get install binutils-$t (binutils-mingw-w64-x86-64)"
done
need_cmd aarch64-linux-gnu-c++filt "apt-get install binutils-aarch64-linux-gnu"
need_cmd i686-w64-mingw32-c++filt "apt-get install binutils-mingw-w64-i686"
need_cmd llvm-readelf "apt-get install llvm"
need_cmd qemu-aarch64 "apt-get install qemu-user"
need_cmd make

# ---------------------------------------------------------------- sources
mkdir -p inc
printf '\t.set FROMINC, 7\n' >inc/defs.inc
# The same directives for every target; COFF has no .type/.size and its
# section flags are spelled differently.
write_source() { # FILE COFF
    local type='' size='' flags='"aw"'
    if (($2 == 0)); then
        type=$'\t.type\tentry, %function'
        size=$'\t.size\tentry, .-entry'
    else
        flags='"dw"'
    fi
    cat >"$1" <<EOF
	.include "defs.inc"
	.text
	.globl	entry
$type
entry:
	.if	DEFVAL == 42
	.globl	defval_was_42
defval_was_42:
	.endif
	.skip	4
$size
	.weak	weak_fn
weak_fn:
	.skip	4
local_fn:
	.skip	4
	.section .rodata
	.globl	table
table:
	.long	FROMINC
	.long	undefined_sym
	.section .mysec,$flags
	.long	0
	.data
	.globl	data_word
data_word:
	.long	1
	.bss
	.globl	bss_word
bss_word:
	.zero	4
EOF
}
write_source elf.s 0
write_source coff.s 1
# What GCC's armhf output carries: the float-ABI attribute (Tag_ABI_VFP_args).
cat >armhf.s <<'EOF'
	.syntax unified
	.eabi_attribute 28, 1
	.text
	.globl	add_d
	.type	add_d, %function
add_d:
	vadd.f64 d0, d0, d1
	bx	lr
EOF

# ---------------------------------------------------------------- compare
# What a link and a loader read of an object, one fact per line.
describe_object() { # OBJ COFF
    local obj=$1
    llvm-objdump -f "$obj" | sed -n 's/.*file format /format: /p; s/^architecture: /architecture: /p'
    if (($2 == 0)); then
        llvm-readelf -h "$obj" | sed -n 's/^ *\(Class\|Machine\|Flags\): */\1: /p'
    fi
    # Name, type letter (binding: upper case global, W/V weak, U undefined,
    # a/A absolute) and, for absolute symbols, the value.
    # COFF: a weak definition is a weak external plus a default symbol whose
    # name LLVM and GNU spell differently (.weak.<sym>.default.<x> and
    # .weak.<sym>.<x>), which llvm-nm shows as W or w; both say "weak".
    llvm-nm "$obj" | awk '{ if (NF == 2) print "symbol: " $2 " " $1; else if ($2 ~ /^[aA]$/) print "symbol: " $3 " " $2 " " $1; else print "symbol: " $3 " " $2 }' |
        if (($2 == 1)); then grep -v '^symbol: \.weak\.' | sed 's/ [wW]$/ weak/'; else cat; fi | sort
    # Section names (the string and symbol tables aside: GNU has .shstrtab,
    # clang shares .strtab; COFF's relocations live in their section).
    llvm-readelf -S "$obj" 2>/dev/null | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*/section: \1/p' |
        grep -v -e ': \.strtab$' -e ': \.shstrtab$' -e ': \.symtab$' -e ': \.llvm_addrsig$' | sort
    if (($2 == 1)); then
        llvm-objdump -h "$obj" | awk '$1 ~ /^[0-9]+$/ {print "section: " $2}' | sort
    fi
}

# arm_attributes OBJ: the build attributes that decide how objects link.
arm_attributes() {
    llvm-readelf -A "$1" | awk '/TagName:/ {tag=$2} /Value:/ {v=$2} /Value:|TagName:/ {if (tag != "" && v != "") {print tag "=" v; tag=""; v=""}}' |
        grep -E '^(CPU_arch|FP_arch|ABI_VFP_args)=' | sort
}

declare -A RUST=([aarch64-linux-gnu]=aarch64-unknown-linux-gnu
    [arm-linux-gnueabihf]=armv7-unknown-linux-gnueabihf
    [i686-linux-gnu]=i686-unknown-linux-gnu [x86_64-w64-mingw32]=x86_64-pc-windows-gnu)
declare -A WIDTH=([i686-linux-gnu]=--32 [x86_64-w64-mingw32]=--64)

for gnu in aarch64-linux-gnu arm-linux-gnueabihf i686-linux-gnu x86_64-w64-mingw32; do
    coff=0 src=elf.s stack=(--noexecstack)
    if [[ $gnu == *mingw32 ]]; then coff=1 src=coff.s stack=(); fi
    # GCC's own as options for the target (gcc -v), then the common ones.
    args=(${WIDTH[$gnu]:-} -I inc --defsym DEFVAL=42 "${stack[@]}")
    echo "== $gnu-as: GNU's against $gnu-as and ${RUST[$gnu]}-as"
    ok "$gnu-as" "${args[@]}" -o "gnu-$gnu.o" "$src"
    want=$(describe_object "gnu-$gnu.o" $coff)
    expect_match "$want" "symbol: DEFVAL a 0*2a" "GNU's symbols (--defsym)"
    expect_contains "$want" "symbol: defval_was_42 T" "GNU's symbols (.if on the --defsym)"
    expect_match "$want" "symbol: FROMINC a 0*7" "GNU's symbols (-I)"
    for name in "$gnu" "${RUST[$gnu]}"; do
        ok "$SHIMS/$name-as" "${args[@]}" -o "shim-$name.o" "$src"
        expect_eq "$(describe_object "shim-$name.o" $coff)" "$want" "$name-as's object against GNU's $gnu-as's"
    done
    if ((!coff)); then
        expect_contains "$want" "section: .note.GNU-stack" "GNU's sections with --noexecstack"
        # Without --noexecstack neither writes the note (the linker's default applies).
        ok "$gnu-as" -I inc --defsym DEFVAL=1 ${WIDTH[$gnu]:-} -o gnu-stack.o "$src"
        ok "$SHIMS/$gnu-as" -I inc --defsym DEFVAL=1 ${WIDTH[$gnu]:-} -o shim-stack.o "$src"
        expect_eq "$(describe_object shim-stack.o 0)" "$(describe_object gnu-stack.o 0)" "objects without --noexecstack"
        expect_not_contains "$(describe_object shim-stack.o 0)" "defval_was_42" "DEFVAL=1's object"
    fi
    # No -o: GNU as writes a.out.
    mkdir -p "default-$gnu" && cp -r "$src" inc "default-$gnu/"
    (cd "default-$gnu" && ok "$SHIMS/$gnu-as" ${WIDTH[$gnu]:-} -I inc --defsym DEFVAL=42 "${stack[@]}" "$src")
    expect_eq "$(describe_object "default-$gnu/a.out" $coff)" "$want" "$gnu-as's a.out"
    # The standard input, and several files assembled as one (.include of
    # the first is seen by the second).
    ok "$SHIMS/$gnu-as" -I inc --defsym DEFVAL=42 "${stack[@]}" -o "stdin-$gnu.o" <"$src"
    expect_eq "$(describe_object "stdin-$gnu.o" $coff)" "$want" "$gnu-as reading its standard input"
    printf '\t.macro SETVAL\n\t.set DEFVAL, 42\n\t.endm\n' >macro.s
    printf '\tSETVAL\n' >use.s
    sed '/^\t.include/d' "$src" >body.s
    ok "$gnu-as" -I inc "${stack[@]}" -o "gnu-several-$gnu.o" macro.s use.s inc/defs.inc body.s
    ok "$SHIMS/$gnu-as" -I inc "${stack[@]}" -o "shim-several-$gnu.o" macro.s use.s inc/defs.inc body.s
    expect_eq "$(describe_object "shim-several-$gnu.o" $coff)" "$(describe_object "gnu-several-$gnu.o" $coff)" \
        "several inputs assembled as one"
    if [[ $gnu == aarch64-linux-gnu ]]; then
        ok "$CROSSHIM" explain-args "$gnu-as" -o x.o macro.s use.s
        expect_contains "$OUT" $'stdin:\n  .include "macro.s"\n  .include "use.s"' "explain-args of several inputs"
    fi
done

echo "== armhf: float-ABI attributes and flags of GCC's as line"
arm=(-march=armv7-a+fp -mfloat-abi=hard -meabi=5)
ok arm-linux-gnueabihf-as "${arm[@]}" -o gnu-armhf.o armhf.s
want=$(arm_attributes gnu-armhf.o; llvm-readelf -h gnu-armhf.o | sed -n 's/^ *Flags: */Flags: /p')
expect_contains "$want" "ABI_VFP_args=1" "GNU's armhf attributes"
for name in arm-linux-gnueabihf armv7-unknown-linux-gnueabihf; do
    ok "$SHIMS/$name-as" "${arm[@]}" -o "shim-armhf-$name.o" armhf.s
    expect_eq "$(arm_attributes "shim-armhf-$name.o"; llvm-readelf -h "shim-armhf-$name.o" | sed -n 's/^ *Flags: */Flags: /p')" \
        "$want" "$name-as's ARM attributes and flags"
done

echo "== refused options: an error naming the option, exit 1 (GNU as's status)"
expect_fail_with_code 1 "$SHIMS/aarch64-linux-gnu-as" --frobnicate -o x.o elf.s
expect_contains "$ERR" "aarch64-linux-gnu-as: --frobnicate: unknown option" "stderr"
expect_fail_with_code 1 "$SHIMS/aarch64-linux-gnu-as" -al -o x.o elf.s
expect_contains "$ERR" "listings are not supported" "stderr"
expect_fail_with_code 1 "$SHIMS/i686-linux-gnu-as" --64 -o x.o elf.s
expect_contains "$ERR" "--64: contradicts the target i686-unknown-linux-gnu" "stderr"
expect_no_file x.o

echo "== --version: GNU's first line, as configure scripts read it"
ok "$SHIMS/aarch64-linux-gnu-as" --version
first=${OUT%%$'\n'*}
expect_match "$first" '^GNU assembler \(.*\) [0-9]+\.[0-9]+$' "first line of --version"
# The kernel's scripts/as-version.sh (which reads the first line of an
# assembler's --version): words 1 and 2 "GNU assembler", the version last.
read -r -a words <<<"$first"
expect_eq "${words[0]} ${words[1]}" "GNU assembler" "the first two words of --version"
expect_match "${words[${#words[@]}-1]}" '^[0-9]+\.[0-9]+$' "the last word of --version"
# glibc's configure: AC_CHECK_PROG_VER(AS, ..., --version, [GNU assembler.* \([0-9]*\.[0-9.]*\)])
expect_eq "$(sed -n 's/^.*GNU assembler.* \([0-9]*\.[0-9.]*\).*$/\1/p' <<<"$first")" \
    "$(aarch64-linux-gnu-as --version | sed -n '1s/^.*GNU assembler.* \([0-9]*\.[0-9.]*\).*$/\1/p')" \
    "the version a configure script reads, against GNU's"
ok "$CROSSHIM" which aarch64-linux-gnu-as aarch64-unknown-linux-gnu-gcc-ar
expect_match "$OUT" "runs: +/[^ ]*/clang" "which of the as name"
expect_contains "$OUT" "clang's integrated assembler" "which of the as name"
expect_contains "$OUT" "llvm-ar stands for GNU's gcc-ar" "which of the gcc-ar name"
# A target without the tool: the name's own error, not "not installed".
expect_fail_with_code 2 "$CROSSHIM" which x86_64-pc-windows-msvc-as
expect_contains "$ERR" "x86_64-pc-windows-msvc has no as" "which of an MSVC -as"
expect_fail_with_code 2 "$CROSSHIM" which x86_64-w64-mingw32-dwp
expect_contains "$ERR" "an ELF tool (for Linux targets)" "which of a MinGW -dwp"

echo "== c++filt against GNU's"
cat >mangled.txt <<'EOF'
_Z3foov
_ZN3bar3bazEi
_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEC1EPKcRKS3_
_ZNKSt6vectorIiSaIiEE4sizeEv
_ZN9containerIiEixEm
_ZplRK7ComplexS1_
_ZTV5Shape
_ZTI5Shape
_ZThn8_N7Derived1fEv
_ZN5Outer5InnerC2ERKS0_
_Z1fPFviEPKc
main
not_mangled_at_all
EOF
ok aarch64-linux-gnu-c++filt <mangled.txt
want=$OUT
expect_contains "$want" "bar::baz(int)" "GNU's c++filt"
for name in aarch64-linux-gnu aarch64-unknown-linux-gnu; do
    ok "$SHIMS/$name-c++filt" <mangled.txt
    expect_eq "$OUT" "$want" "$name-c++filt against GNU's"
done
# The one spelling that differs (docs/compatibility.md): a closure type is
# GNU's {lambda()#1}, LLVM's 'lambda'().
ok aarch64-linux-gnu-c++filt _ZZ4mainENKUlvE_clEv
expect_eq "$OUT" "main::{lambda()#1}::operator()() const" "GNU's c++filt of a lambda"
ok "$SHIMS/aarch64-linux-gnu-c++filt" _ZZ4mainENKUlvE_clEv
expect_eq "$OUT" "main::'lambda'()::operator()() const" "crosshim's c++filt of a lambda"
# i686 Windows symbols carry an underscore in front: GNU strips it.
sed 's/^_Z/__Z/' mangled.txt >mangled-i686.txt
ok i686-w64-mingw32-c++filt <mangled-i686.txt
want=$OUT
ok "$SHIMS/i686-w64-mingw32-c++filt" <mangled-i686.txt
expect_eq "$OUT" "$want" "i686-w64-mingw32-c++filt against GNU's"

echo "== gcc-ar, gcc-nm, gcc-ranlib: an LTO archive the link uses"
cat >lib.c <<'C'
int e2e_add(int a, int b) { return a + b; }
C
cat >main.c <<'C'
#include <stdio.h>
int e2e_add(int, int);
int main(void) { printf("e2e_add(40, 2) = %d\n", e2e_add(40, 2)); return 0; }
C
arch_info aarch64
need_cross_packages
for p in "$GNU" "$TRIPLE"; do
    cc=$SHIMS/$p-cc
    ok "$cc" -O2 -flto -c lib.c -o "lto-$p.o"
    ok "$SHIMS/$p-gcc-ar" rc "liblto-$p.a" "lto-$p.o"
    ok "$SHIMS/$p-gcc-ranlib" "liblto-$p.a"
    ok "$SHIMS/$p-gcc-nm" "liblto-$p.a"
    expect_contains "$OUT" "T e2e_add" "$p-gcc-nm of the LTO archive"
    ok "$cc" -O2 -flto main.c -L. "-llto-$p" -o "lto-prog-$p"
    expect_machine "lto-prog-$p" "$MACHINE" "$CLASS"
    run_on_target "$CROSS_ROOT" "./lto-prog-$p"
    expect_eq "$OUT" "e2e_add(40, 2) = 42" "output of the LTO program"
done
ok "$SHIMS/$GNU-gcc" -g -gsplit-dwarf -c lib.c -o split.o
expect_file split.dwo
ok "$SHIMS/$GNU-dwp" -o split.dwp split.dwo
expect_file split.dwp

echo "== a kernel-style Makefile: make CROSS_COMPILE=aarch64-linux-gnu-, crosshim's names only"
mkdir -p kbuild/include
cat >kbuild/Makefile <<'MK'
AS      = $(CROSS_COMPILE)as
CC      = $(CROSS_COMPILE)gcc
LD      = $(CROSS_COMPILE)ld
OBJCOPY = $(CROSS_COMPILE)objcopy
ASFLAGS = --noexecstack -I include --defsym EXIT_CODE=7
CFLAGS  = -O2 -ffreestanding -fno-stack-protector -fno-pic

all: hello hello.bin

hello: start.o msg.o main.o
	$(LD) -static -nostdlib -e _start -o $@ $^

hello.bin: hello
	$(OBJCOPY) -O binary -j .rodata $< $@

%.o: %.s
	$(AS) $(ASFLAGS) -o $@ $<

%.o: %.c
	$(CC) $(CFLAGS) -c -o $@ $<
MK
cat >kbuild/include/sys.inc <<'EOF'
	.set	SYS_write, 64
	.set	SYS_exit, 93
EOF
cat >kbuild/start.s <<'EOF'
	.include "sys.inc"
	.text
	.globl	_start
_start:
	bl	message_length
	mov	x2, x0
	mov	x0, #1
	adrp	x1, message
	add	x1, x1, :lo12:message
	mov	x8, #SYS_write
	svc	#0
	mov	x0, #EXIT_CODE
	mov	x8, #SYS_exit
	svc	#0
EOF
cat >kbuild/msg.s <<'EOF'
	.section .rodata
	.globl	message
message:
	.ascii	"hello from as\n"
EOF
cat >kbuild/main.c <<'C'
extern const char message[];
long message_length(void) {
    long n = 0;
    while (message[n] != '\n')
        n++;
    return n + 1;
}
C
# PATH: the name farm and nothing else; Debian's GNU tools (/usr/bin) are
# out of reach, and the log shows that every tool was crosshim.
llvm_prefix=$(dirname "$(dirname "$(realpath "$(command -v clang)")")")
make_bin=$(command -v make)
ok_noisy /usr/bin/env PATH="$SHIMS" CROSSHIM_LLVM="$llvm_prefix" CROSSHIM_LOG="$WORK/kbuild.log" \
    "$make_bin" -C kbuild CROSS_COMPILE=aarch64-linux-gnu-
for tool in as gcc ld objcopy; do
    grep -q "^crosshim\[[0-9]*\] in: aarch64-linux-gnu-$tool " "$WORK/kbuild.log" ||
        fail "the Makefile's \$(CROSS_COMPILE)$tool did not run crosshim's aarch64-linux-gnu-$tool (log: $WORK/kbuild.log)"
done
expect_machine kbuild/hello AArch64 ELF64
expect_eq "$(cat kbuild/hello.bin)" "hello from as" "the objcopy -O binary of .rodata"
expect_fail_with_code 7 "$SHIMS/aarch64-unknown-linux-gnu-run" kbuild/hello
expect_eq "$OUT" "hello from as" "output of the kernel-style program under qemu"

echo "== autoconf's AC_CHECK_TOOL(AS, as) for a MinGW host, GNU's assemblers hidden"
# The build machine's PATH without any assembler (as, <gnu>-as), after the name farm:
# without a <host>-as, AC_CHECK_TOOL would fall back to the build machine's as.
mkdir -p hostbin autoconf-as
for f in /usr/bin/*; do
    case ${f##*/} in as | *-as | *-as-*) continue ;; esac
    ln -s "$f" "hostbin/${f##*/}"
done
cat >autoconf-as/configure.ac <<'AC'
AC_INIT([astest], [1])
AC_CHECK_TOOL([AS], [as], [false])
AC_SUBST([AS])
AC_CONFIG_FILES([tools.txt])
AC_OUTPUT
AC
printf 'AS=@AS@\n' >autoconf-as/tools.txt.in
(cd autoconf-as && ok_noisy autoconf)
printf '\t.text\n\t.globl\tf\nf:\tret\n' >autoconf-as/f.s
(cd autoconf-as && ok_noisy /usr/bin/env PATH="$SHIMS:$WORK/hostbin" ./configure --host=x86_64-w64-mingw32 &&
    expect_eq "$(cat tools.txt)" "AS=x86_64-w64-mingw32-as" "the AS configure found" &&
    ok /usr/bin/env PATH="$SHIMS:$WORK/hostbin" x86_64-w64-mingw32-as -o f.o f.s)
expect_eq "$(llvm-objdump -f autoconf-as/f.o | sed -n 's/.*file format //p')" coff-x86-64 "the object of configure's AS"

echo "== -fno-integrated-as: the compiler runs the target's as, as gcc does"
# Differential: Debian's gcc always runs its target's GNU as (it has no
# -fno-integrated-as); clang alone would run the build machine's ELF `as` for
# MinGW ("unknown pseudo-op: .def").
printf 'int triple(int x) { return 3 * x; }\n' >ext-as.c
for gnu in x86_64-w64-mingw32 i686-w64-mingw32 aarch64-linux-gnu; do
    ok "/usr/bin/$gnu-gcc" -c ext-as.c -o "ext-as-gcc-$gnu.o"
    # PATH without crosshim's folder: the -as name must come from beside the compiler.
    CROSSHIM_LOG=$WORK/ext-as-$gnu.log ok /usr/bin/env PATH=/usr/bin:/bin \
        "$SHIMS/$gnu-gcc" -fno-integrated-as -c ext-as.c -o "ext-as-shim-$gnu.o"
    expect_eq "$(llvm-objdump -f "ext-as-shim-$gnu.o" | sed -n 's/.*file format //p')" \
        "$(llvm-objdump -f "ext-as-gcc-$gnu.o" | sed -n 's/.*file format //p')" \
        "the object format of $gnu-gcc -fno-integrated-as"
    expect_contains "$(llvm-nm "ext-as-shim-$gnu.o")" "triple" "the symbols of the -fno-integrated-as object"
    grep -q "^crosshim\[[0-9]*\] in: [^ ]*-as " "$WORK/ext-as-$gnu.log" ||
        fail "$gnu-gcc -fno-integrated-as did not run crosshim's -as (log: $WORK/ext-as-$gnu.log)"
done

echo "== install-links: the names for Linux and MinGW targets, not MSVC or Darwin"
ok "$CROSSHIM" install-links --dir "$WORK/farm" --no-masquerade \
    --target aarch64-unknown-linux-gnu --target x86_64-pc-windows-gnu --target x86_64-pc-windows-msvc
for n in aarch64-linux-gnu-as aarch64-unknown-linux-gnu-as aarch64-linux-gnu-c++filt \
    aarch64-linux-gnu-gcc-ar aarch64-linux-gnu-gcc-nm aarch64-linux-gnu-gcc-ranlib aarch64-linux-gnu-dwp \
    x86_64-w64-mingw32-as x86_64-pc-windows-gnu-as x86_64-w64-mingw32-gcc-ar x86_64-w64-mingw32-c++filt; do
    [[ -L $WORK/farm/$n ]] || fail "install-links made no $n"
done
for n in x86_64-pc-windows-msvc-as x86_64-w64-mingw32-dwp aarch64-linux-gnu-ld.bfd aarch64-linux-gnu-ld.gold; do
    expect_no_file "$WORK/farm/$n"
done

echo "== README and --help name the GNU binutils names"
for n in '`-as`' '`-c++filt`' '`-gcc-ar`' '`-gcc-nm`' '`-gcc-ranlib`' '`-dwp`'; do
    grep -q -F -- "$n" "$SRC/README.md" || fail "README.md's shim names do not list $n"
done
ok "$CROSSHIM" --help
expect_contains "$OUT" "as,c++filt" "crosshim --help's shim names"

pass
