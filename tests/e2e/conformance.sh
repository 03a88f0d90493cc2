#!/usr/bin/env bash
# conformance TARGET (aarch64, armv7, i686, mingw64): the same probes through
# Debian's GNU cross compiler (gcc-<triple>, mingw-w64 gcc) and through the
# shim, by its GNU name (<gnu>-gcc) and its Rust name (<triple>-cc), and the
# c++:* probes through the C++ drivers (<gnu>-g++, <triple>-c++). Each
# probe's answer is normalised to what build systems read from it (an exit
# status, a path's real location, a macro's value, the order of include
# folders). A difference between gcc and either shim name must be listed, with
# its reason, in the probe table of docs/compatibility.md; a listed difference
# that no longer shows is a failure too, so the table stays true.
source "$(dirname "$0")/common.sh"

case ${1:?usage: conformance.sh aarch64|armv7|i686|mingw64} in
    mingw64)
        TRIPLE=x86_64-pc-windows-gnu GNU=x86_64-w64-mingw32 MACHINE_RE='x86-64'
        WINDOWS=1 ;;
    *)
        arch_info "$1"
        WINDOWS=0 ;;
esac
KEY=$1
need_stage
GCC=/usr/bin/$GNU-gcc
need_cmd "$GCC" "apt-get install gcc-$GNU (install/debian-packages.sh --tests)"
need_cmd "/usr/bin/$GNU-g++" "apt-get install g++-$GNU"
need_cmd "$GNU-ld" "binutils-$GNU comes with gcc-$GNU"
TABLE=$SRC/docs/compatibility.md
expect_file "$TABLE"

SHIM_GNU=$SHIMS/$GNU-gcc
SHIM_RUST=$SHIMS/$TRIPLE-cc
if ((WINDOWS)); then EXE=.exe SOEXT=.dll; else EXE= SOEXT=.so; fi

# ---------------------------------------------------------------- inputs
mkdir -p in
cat >in/hello.c <<'EOF'
#include <stdio.h>
int twice(int x) { return 2 * x; }
int main(void) { printf("%d\n", twice(21)); return 0; }
EOF
cat >in/lib.c <<'EOF'
int lib_value(void) { return 42; }
EOF
cat >in/deps.c <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) { return (int)strlen(getenv("X") ? "a" : "") + puts(""); }
EOF
cat >in/omp.c <<'EOF'
#include <omp.h>
#include <stdio.h>
int main(void) {
    int n = 0;
#pragma omp parallel reduction(+ : n)
    n += 1;
    printf("%d %d\n", n > 0, omp_get_max_threads() > 0);
    return 0;
}
EOF
cat >in/start.c <<'EOF'
void _start(void) { for (;;) {} }
void mainCRTStartup(void) { for (;;) {} }
EOF
cat >in/hello.cpp <<'EOF'
#include <string>
int main() { return std::string("ab").size() == 2 ? 0 : 1; }
EOF
cat >in/cxx17.cpp <<'EOF'
#include <optional>
#include <string_view>
template <typename T> constexpr int kind() { if constexpr (sizeof(T) > 4) return 8; else return 4; }
std::optional<std::string_view> name() { return std::string_view("x"); }
int main() { return kind<long long>() == 8 && name()->size() == 1 ? 0 : 1; }
EOF
cat >in/asm.S <<'EOF'
#define VALUE 42
        .text
        .globl asm_value
asm_value:
        .long VALUE
EOF
printf -- '-c\n%s/in/lib.c\n-o\nrsp.o\n' "$WORK" >in/args.rsp

# ---------------------------------------------------------------- helpers
# What a file is: ELF type and machine, or PE, or "none".
kind_of() {
    local f=$1
    if [[ ! -e $f ]]; then echo none; return; fi
    if ((WINDOWS)); then
        local fmt
        fmt=$(file -b "$f")
        case $fmt in
            *PE32+*DLL*) echo "pe-dll" ;;
            *PE32+*) echo "pe-exe" ;;
            *COFF*|*data*) echo "coff-object" ;;
            *) echo "other: $fmt" ;;
        esac
        return
    fi
    local type machine interp
    type=$(readelf -h "$f" 2>/dev/null | sed -n 's/^ *Type: *\([A-Z]*\).*/\1/p')
    machine=$(readelf -h "$f" 2>/dev/null | sed -n 's/^ *Machine: *//p')
    interp=$(readelf -l "$f" 2>/dev/null | grep -c 'Requesting program interpreter' || true)
    echo "$type $machine interp=$interp"
}

# The real location of each path on stdin (one per line), missing ones dropped.
real_paths() {
    local p
    while IFS= read -r p; do
        [[ -n $p && -e $p ]] && realpath -- "$p"
    done
    return 0
}

# A compiler's own builtin header folder (gcc's or clang's): left out of
# include-order comparisons, since each compiler brings its own.
is_builtin_dir() {
    [[ $1 == /usr/lib/gcc*/*/include || $1 == /usr/lib/gcc*/*/include-fixed || $1 == /usr/lib/llvm-*/lib/clang/*/include ]]
}

# probe NAME CC: prints the normalised answer of compiler CC to probe NAME.
# Runs in a fresh folder per (probe, compiler); never fails itself.
probe() {
    local name=$1 cc=$2 rc out
    if [[ $name == c++:* ]]; then
        # The same probe through the compiler's C++ driver (g++, c++).
        case $cc in
            "$GCC") cc=${GCC%-gcc}-g++ ;;
            "$SHIM_GNU") cc=${SHIM_GNU%-gcc}-g++ ;;
            "$SHIM_RUST") cc=${SHIM_RUST%-cc}-c++ ;;
        esac
        probe "${name#c++:}" "$cc"
        return
    fi
    case $name in
        dumpmachine | dumpversion | print-multiarch | print-multi-os-directory)
            out=$("$cc" "-$name" 2>&1) && rc=0 || rc=$?
            echo "exit=$rc $out" ;;
        dumpfullversion)
            out=$("$cc" -dumpfullversion 2>/dev/null) && rc=0 || rc=$?
            [[ $out =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] && out=X.Y.Z
            echo "exit=$rc $out" ;;
        print-sysroot)
            out=$("$cc" -print-sysroot 2>&1) && rc=0 || rc=$?
            echo "exit=$rc ${out:+$(realpath -m -- "$out")}" ;;
        v)
            "$cc" -v >out 2>err && rc=0 || rc=$?
            echo "exit=$rc files=$(ls | grep -v -e '^out$' -e '^err$' | tr '\n' ' ')" ;;
        v-target)
            "$cc" -v 2>&1 | sed -n 's/^Target: //p' ;;
        print-search-dirs)
            # The library folders that hold the C library or libgcc: the ones
            # a link cannot do without, in order.
            "$cc" -print-search-dirs 2>/dev/null | sed -n 's/^libraries: =//p' | tr ':' '\n' |
                real_paths | while read -r d; do
                    [[ -e $d/libc.so || -e $d/libc.a || -e $d/libgcc.a || -e $d/libmsvcrt.a ]] && echo "$d"
                done | awk '!seen[$0]++' | tr '\n' ' ' ;;
        print-libgcc-file-name)
            "$cc" -print-libgcc-file-name 2>/dev/null | real_paths ;;
        print-file-name=*)
            out=$("$cc" "-$name" 2>/dev/null)
            if [[ $out == /* ]]; then realpath -m -- "$out"; else echo "not found: $out"; fi ;;
        print-prog-name=*)
            # Which program, and whether it works on the target's objects.
            local tool=${name#print-prog-name=} prog
            prog=$("$cc" "-$name" 2>/dev/null)
            if [[ $prog != /* ]]; then echo "bare name: $prog"; return; fi
            case $(realpath -- "$prog") in
                /usr/bin/"$tool" | /usr/bin/x86_64-linux-gnu-"$tool"*) echo "build machine's $tool"; return ;;
            esac
            "$cc" -c "$WORK/in/lib.c" -o t.o 2>/dev/null
            "$cc" -c "$WORK/in/hello.c" -o u.o 2>/dev/null
            case $tool in
                ld) "$prog" -r t.o u.o -o r.o >/dev/null 2>&1 && kind_of r.o || echo "ld -r failed" ;;
                ar) "$prog" rc l.a t.o && echo "ar ok" || echo "ar failed" ;;
                nm) "$prog" t.o | grep -q lib_value && echo "nm ok" || echo "nm failed" ;;
                objdump) "$prog" -f t.o >od 2>&1 && sed -n 's/.*file format //p' od | head -1 || echo "objdump failed" ;;
                as) printf '\t.text\n' >a.s && "$prog" -o a.o a.s >/dev/null 2>&1 && kind_of a.o || echo "as failed" ;;
                *) [[ -x $prog ]] && echo executable || echo "not executable" ;;
            esac ;;
        E-dM:* | E-dM-c++:*)
            local macro=${name#*:} lang=c
            [[ $name == E-dM-c++:* ]] && lang=c++
            out=$("$cc" -E -dM -x "$lang" /dev/null 2>/dev/null | awk -v m="$macro" '$1 == "#define" && $2 == m { $1 = ""; $2 = ""; sub(/^  /, ""); print; f = 1 } END { if (!f) print "(undefined)" }')
            # A type in either spelling (short unsigned int = unsigned short).
            if [[ $macro == *_TYPE__ ]]; then
                out=$(tr ' ' '\n' <<<"$out" | sort | tr '\n' ' ')
                [[ $out == "int " ]] || out=${out//int /}
            fi
            echo "$out" ;;
        E-v-c | E-v-c++)
            # The include folders in search order, without the compiler's own.
            local lang=${name#E-v-}
            "$cc" -x "$lang" -E -v - </dev/null 2>&1 >/dev/null |
                sed -n '/#include <...> search starts here:/,/End of search list./p' | sed '1d;$d' |
                sed 's/^ *//; s/ (framework directory)$//' | real_paths | while read -r d; do
                    is_builtin_dir "$d" || echo "$d"
                done | awk '!seen[$0]++' | tr '\n' ' ' ;;
        compile-c++)
            "$cc" -c "$WORK/in/hello.cpp" -o x.o 2>/dev/null && rc=0 || rc=$?
            echo "exit=$rc $(kind_of x.o)" ;;
        compile-c++17)
            # C++17 without -std= (GCC 11 and later default to gnu++17).
            "$cc" -c "$WORK/in/cxx17.cpp" -o x.o >err 2>&1 && rc=0 || rc=$?
            echo "exit=$rc $(kind_of x.o)" ;;
        link-c++)
            "$cc" "$WORK/in/hello.cpp" -o "p$EXE" >err 2>&1 && rc=0 || rc=$?
            echo "exit=$rc warnings=$(grep -c -i warning err || true) $(kind_of "p$EXE")" ;;
        asm-cpp)
            # Preprocessed assembly (-x assembler-with-cpp).
            "$cc" -x assembler-with-cpp -c "$WORK/in/asm.S" -o a.o >err 2>&1 && rc=0 || rc=$?
            echo "exit=$rc warnings=$(grep -c -i warning err || true) $(kind_of a.o)" ;;
        noexecstack)
            # -Wa,--noexecstack: the object and, for ELF, whether it asks for
            # a stack that is not executable.
            "$cc" -Wa,--noexecstack -c "$WORK/in/asm.S" -o a.o >err 2>&1 && rc=0 || rc=$?
            out="exit=$rc warnings=$(grep -c -i warning err || true) $(kind_of a.o)"
            ((WINDOWS)) || out+=" note.GNU-stack=$(readelf -S a.o 2>/dev/null | grep -c 'GNU-stack')"
            echo "$out" ;;
        MMD-MF)
            # -MMD -MF into another folder than the object's: the file named,
            # its target the object, no other .d file.
            mkdir -p obj dep
            "$cc" -MMD -MF dep/lib.d -c "$WORK/in/lib.c" -o obj/lib.o 2>/dev/null && rc=0 || rc=$?
            echo "exit=$rc files=$(find . -name '*.d' | sort | tr '\n' ' ')target=$(cut -d: -f1 dep/lib.d 2>/dev/null | head -1)" ;;
        pipe)
            "$cc" -pipe -O2 -c "$WORK/in/lib.c" -o l.o >err 2>&1 && rc=0 || rc=$?
            echo "exit=$rc warnings=$(grep -c -i warning err || true) $(kind_of l.o)" ;;
        save-temps)
            # The intermediate files `-save-temps -c lib.c -o x.o` keeps.
            "$cc" -save-temps -c "$WORK/in/lib.c" -o x.o >/dev/null 2>&1 && rc=0 || rc=$?
            echo "exit=$rc files=$(ls | sort | tr '\n' ' ')" ;;
        dash-dash-dash)
            # A link's start files and libraries, in order.
            "$cc" -### "$WORK/in/hello.c" -o h 2>&1 | grep -E 'crtbegin|crt2\.o' | tail -1 | tr ' ' '\n' | tr -d '"' |
                grep -E '\.o$|^-l' | grep -v -e '/tmp/' -e 'hello' | sed 's,.*/,,' | tr '\n' ' ' ;;
        M)
            # The headers of the target's C library a dependency list names.
            "$cc" -M "$WORK/in/deps.c" 2>/dev/null | tr ' \\' '\n\n' | grep '^/' | real_paths |
                while read -r d; do is_builtin_dir "${d%/*}" || echo "$d"; done | sort -u | tr '\n' ' ' ;;
        MD)
            "$cc" -MD -c "$WORK/in/lib.c" -o l.o 2>/dev/null && rc=0 || rc=$?
            echo "exit=$rc d=$(ls *.d 2>/dev/null | tr '\n' ' ')target=$(head -c 4 l.d 2>/dev/null)" ;;
        shared-no-input)
            "$cc" -shared >/dev/null 2>&1 && rc=0 || rc=$?
            echo "exit=$rc files=$(ls | tr '\n' ' ')" ;;
        shared)
            "$cc" -shared -fPIC "$WORK/in/lib.c" -o "libx$SOEXT" 2>/dev/null && rc=0 || rc=$?
            echo "exit=$rc $(kind_of "libx$SOEXT")" ;;
        static | static-pie | flto | fopenmp | nostdlib | fuse-ld=*)
            local flags=() src=$WORK/in/hello.c
            case $name in
                static) flags=(-static) ;;
                static-pie) flags=(-static-pie) ;;
                flto) flags=(-flto -O2) ;;
                fopenmp) flags=(-fopenmp); src=$WORK/in/omp.c ;;
                nostdlib) flags=(-nostdlib); src=$WORK/in/start.c ;;
                fuse-ld=*) flags=("-$name") ;;
            esac
            "$cc" "${flags[@]}" "$src" -o "p$EXE" >err 2>&1 && rc=0 || rc=$?
            echo "exit=$rc warnings=$(grep -c -i warning err || true) $(kind_of "p$EXE")" ;;
        c-link-flags)
            # Linker options in a command that does not link: gcc ignores
            # them without a word (libtool and cc-rs read stderr).
            "$cc" -c "$WORK/in/lib.c" -o l.o -pie -s -Wl,-z,now -L. -lm >err 2>&1 && rc=0 || rc=$?
            echo "exit=$rc warnings=$(grep -c -i warning err || true) $(kind_of l.o)" ;;
        static-with-pie)
            # -pie in a -static link (LDFLAGS with -pie, libtool's `-static
            # works` check): -static wins, without a word.
            "$cc" -pie "$WORK/in/hello.c" -static -o "p$EXE" >err 2>&1 && rc=0 || rc=$?
            echo "exit=$rc warnings=$(grep -c -i warning err || true) $(kind_of "p$EXE")" ;;
        soname)
            # -Wl,-soname from Makefiles written for Linux: GNU's mingw ld
            # ignores it.
            "$cc" -shared -fPIC "$WORK/in/lib.c" -Wl,-soname,libs.so.1 -o "libs$SOEXT" >err 2>&1 && rc=0 || rc=$?
            echo "exit=$rc warnings=$(grep -c -i warning err || true) $(kind_of "libs$SOEXT")" ;;
        elf-linker-options)
            # ELF linker options of Linux Makefiles and LDFLAGS: GNU's mingw
            # ld accepts them too (and ignores them for a PE image).
            "$cc" -shared -fPIC "$WORK/in/lib.c" -Wl,-rpath,/opt/x -Wl,-rpath-link,. -Wl,-Bsymbolic \
                -Wl,--no-as-needed,--sort-common -Wl,--exclude-libs,ALL -o "libe$SOEXT" >err 2>&1 && rc=0 || rc=$?
            echo "exit=$rc warnings=$(grep -c -i warning err || true) $(kind_of "libe$SOEXT")" ;;
        mdll)
            # GNU's older spelling of -shared for MinGW (gcc's -mdll); on
            # Linux both compilers refuse it.
            "$cc" -mdll -fPIC "$WORK/in/lib.c" -o "libd$SOEXT" >err 2>&1 && rc=0 || rc=$?
            echo "exit=$rc $(kind_of "libd$SOEXT")" ;;
        version-script)
            printf 'DEMO_1 { global: lib_value; local: *; };\n' >v.map
            "$cc" -shared -fPIC "$WORK/in/lib.c" -Wl,--version-script=v.map -o "libv$SOEXT" >err 2>&1 && rc=0 || rc=$?
            echo "exit=$rc warnings=$(grep -c -i warning err || true) $(kind_of "libv$SOEXT")" ;;
        r)
            "$cc" -c "$WORK/in/lib.c" -o t.o 2>/dev/null
            "$cc" -c "$WORK/in/hello.c" -o u.o 2>/dev/null
            "$cc" -r t.o u.o -o r.o >/dev/null 2>&1 && rc=0 || rc=$?
            echo "exit=$rc $(kind_of r.o)" ;;
        @file)
            "$cc" "@$WORK/in/args.rsp" >/dev/null 2>&1 && rc=0 || rc=$?
            echo "exit=$rc $(kind_of rsp.o)" ;;
        @missing)
            "$cc" "@$WORK/in/no-such.rsp" -c "$WORK/in/lib.c" >/dev/null 2>&1 && rc=0 || rc=$?
            echo "exit=$rc" ;;
        @empty)
            "$cc" @/dev/null >/dev/null 2>&1 && rc=0 || rc=$?
            echo "exit=$rc" ;;
        *) fail "unknown probe $name" ;;
    esac
}

PROBES=(dumpmachine dumpversion dumpfullversion v v-target print-sysroot print-multiarch
    print-multi-os-directory print-search-dirs print-libgcc-file-name
    print-prog-name=ld print-prog-name=ar print-prog-name=nm print-prog-name=objdump
    print-prog-name=as
    E-dM:__SIZEOF_POINTER__ E-dM:__SIZEOF_LONG__ E-dM:__SIZEOF_LONG_DOUBLE__
    E-dM:__CHAR_UNSIGNED__ E-dM:__BYTE_ORDER__ E-dM:__SIZE_TYPE__ E-dM:__WCHAR_TYPE__
    E-dM:__INT64_TYPE__ E-dM:__USER_LABEL_PREFIX__ E-dM:__STDC_VERSION__ E-dM:__GNUC__
    E-dM:__linux__ E-dM:_WIN32 E-dM:__MINGW32__ E-dM:__SSE2__ E-dM:__ARM_ARCH
    E-dM:__ARM_PCS_VFP E-dM:__ARM_NEON E-dM:__PIE__ E-dM:__pic__ E-dM-c++:__cplusplus
    E-v-c E-v-c++ compile-c++ dash-dash-dash M MD shared-no-input shared static static-pie
    version-script r nostdlib fuse-ld=bfd fuse-ld=gold fuse-ld=lld flto fopenmp @file @missing @empty
    asm-cpp noexecstack MMD-MF pipe save-temps c-link-flags static-with-pie soname elf-linker-options mdll
    c++:dumpmachine c++:print-sysroot c++:print-multiarch c++:E-v-c++ c++:link-c++ c++:shared
    c++:compile-c++17 print-file-name=include)
if ((WINDOWS)); then
    PROBES+=(print-file-name=libstdc++.a print-file-name=libmsvcrt.a print-file-name=crt2.o
        c++:print-file-name=libstdc++.a)
else
    PROBES+=(print-file-name=libc.so print-file-name=libstdc++.so print-file-name=crt1.o
        print-file-name=libgcc_s.so print-file-name=libm.a c++:print-file-name=libstdc++.so
        c++:print-libgcc-file-name)
fi

# ---------------------------------------------------------------- the table
# Rows of docs/compatibility.md between the conformance-table markers:
# | probe | targets | gcc | crosshim | why |   (targets: all, or a list)
declare -A LISTED=()
while IFS='|' read -r _ probe targets _; do
    probe=$(sed 's/^ *`\{0,1\}//; s/`\{0,1\} *$//' <<<"$probe")
    targets=$(tr -d ' ' <<<"$targets")
    [[ -n $probe && $probe != probe && $probe != ---* ]] || continue
    if [[ $targets == all || ,$targets, == *,$KEY,* ]]; then LISTED[$probe]=1; fi
done < <(sed -n '/<!-- conformance-table:start -->/,/<!-- conformance-table:end -->/p' "$TABLE" | grep '^|')
echo "== ${#LISTED[@]} differences listed for $KEY in docs/compatibility.md"

# ---------------------------------------------------------------- compare
unlisted=() stale=() n=0
for p in "${PROBES[@]}"; do
    answers=()
    for who in gcc gnu rust; do
        case $who in gcc) cc=$GCC ;; gnu) cc=$SHIM_GNU ;; rust) cc=$SHIM_RUST ;; esac
        d=$WORK/p/$n-$who
        mkdir -p "$d"
        # Probes look at failures on purpose: no errexit or pipefail inside.
        answers+=("$(cd "$d" && set +e +o pipefail && probe "$p" "$cc")") || true
    done
    n=$((n + 1))
    if [[ ${answers[0]} == "${answers[1]}" && ${answers[0]} == "${answers[2]}" ]]; then
        printf '  same     %-32s %s\n' "$p" "${answers[0]:0:100}"
        [[ -z ${LISTED[$p]:-} ]] || stale+=("$p")
    else
        printf '  DIFFERS  %-32s\n      gcc:  %s\n      %s: %s\n      %s: %s\n' "$p" "${answers[0]:0:300}" \
            "${SHIM_GNU##*/}" "${answers[1]:0:300}" "${SHIM_RUST##*/}" "${answers[2]:0:300}"
        [[ -n ${LISTED[$p]:-} ]] || unlisted+=("$p")
    fi
done

# @/dev/zero: a clear error, quickly (gcc reads it forever).
run timeout 20 "$SHIM_RUST" -c in/lib.c @/dev/zero
((RC == 2)) || fail "@/dev/zero: exit status $RC, expected 2 (a usage error)"
expect_contains "$ERR" "@/dev/zero" "@/dev/zero"

((${#unlisted[@]} == 0)) || fail "differences from $GCC not listed for $KEY in docs/compatibility.md: ${unlisted[*]}"
((${#stale[@]} == 0)) || fail "listed for $KEY in docs/compatibility.md but the same as gcc now (remove them): ${stale[*]}"
pass
