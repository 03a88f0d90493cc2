#!/usr/bin/env bash
# hardening-faults: the fault guarantees (docs/reliability.md). Each fault below gives one
# clear message naming the problem and a non-zero exit -- never a crash
# (134/139, "Segmentation fault", sanitizer or "LLVM ERROR" text), a hang
# (everything runs under `timeout 20`) or a partial output file.
#
# Covered elsewhere, not repeated here: a malformed config (exit 2 with
# file:line: cli-config), a CROSSHIM_CONFIG that does not exist (cli-config),
# a sysroot that does not exist at all for a compile (c-cxx-debsysroot),
# PATH recursion through the masquerade folder twice or a wrapper script that
# calls cc again (masquerade). This test adds: clang missing (CROSSHIM_LLVM,
# PATH), clang not executable, ld.lld missing for a link, a missing sysroot
# for a link, a sysroot that vanishes mid-run, an unreadable config (a
# directory, a FIFO), HOME unset / missing / read-only, TMPDIR missing /
# read-only / full with a >1 MB command line, a missing @file for a link,
# @files that include themselves (exit 2 naming the cycle; 100 levels of
# nesting work), PATH recursion through a copy of crosshim named cc.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
need_cmd clang
cc=$SHIMS/$TRIPLE-cc
write_hello_c hello.c
ok "$cc" -O2 -c hello.c -o hello.o
ok "$CROSSHIM" which clang
real_clang=$(sed -n 's/^ *runs: *//p' <<<"$OUT")
ok "$CROSSHIM" which ld.lld
real_lld=$(sed -n 's/^ *runs: *//p' <<<"$OUT")
[[ -x $real_clang && -x $real_lld ]] || fail "crosshim which gave '$real_clang' and '$real_lld'"

FAULTS=0
# fault WHAT CODE STDERR-NEEDLE CMD...: CMD (under timeout 20) must exit with
# CODE (any non-zero one for CODE=nz), say NEEDLE on stderr, and not crash.
fault() {
    local what=$1 code=$2 needle=$3
    shift 3
    FAULTS=$((FAULTS + 1))
    echo "== fault $FAULTS: $what"
    run timeout 20 "$@"
    ((RC != 124)) || fail "$what: timed out (a hang)"
    ((RC != 0)) || fail "$what: exit status 0"
    ((RC < 128)) || fail "$what: exit status $RC (killed by signal $((RC - 128)))"
    [[ $code == nz ]] || ((RC == code)) || fail "$what: exit status $RC, expected $code"
    local bad
    for bad in "Segmentation fault" "Sanitizer" "runtime error:" "LLVM ERROR" "PLEASE submit a bug report" "Stack dump"; do
        expect_not_contains "$ERR" "$bad" "stderr ($what)"
    done
    expect_contains "$ERR" "$needle" "stderr ($what)"
}
leftovers() { find "$1" -mindepth 1 -maxdepth 1 -name 'crosshim*' | sed 's/^/    /'; }

# with_mount OPTS DIR CMD...: runs CMD with a tmpfs (mount options OPTS) on
# DIR, in a private mount namespace (nothing stays mounted whatever happens).
# A script, not a function, so that `timeout` can run it.
with_mount=$WORK/with-mount
cat >"$with_mount" <<'END'
#!/bin/sh
exec unshare -m sh -c 'mount -t tmpfs -o "$1" tmpfs "$2" || exit 99; shift 2; exec "$@"' sh "$@"
END
chmod 755 "$with_mount"
can_mount=0
mkdir -p "$WORK/mnt-probe"
if "$with_mount" size=64k "$WORK/mnt-probe" true 2>/dev/null; then can_mount=1; fi

echo "######## clang and ld.lld"
mkdir -p "$WORK/llvm-empty/bin"
fault "CROSSHIM_LLVM without clang" 1 "CROSSHIM_LLVM=$WORK/llvm-empty has no clang" \
    env CROSSHIM_LLVM="$WORK/llvm-empty" "$cc" -c hello.c -o never.o
expect_no_file never.o

# A PATH holding only a test-made folder: no clang, no clang-<N>, no
# llvm-config anywhere (the shim is called by its full path).
mkdir -p "$WORK/path-only"
ln -s "$(command -v env)" "$WORK/path-only/env"
fault "no clang on PATH" 1 "cannot find clang" \
    env PATH="$WORK/path-only" "$cc" hello.o -o never
expect_contains "$ERR" "apt-get install clang" "stderr"
expect_no_file never

mkdir -p "$WORK/llvm-noexec/bin"
printf '#!/bin/sh\nexec %q "$@"\n' "$real_clang" >"$WORK/llvm-noexec/bin/clang"
chmod 644 "$WORK/llvm-noexec/bin/clang"
ln -s "$real_lld" "$WORK/llvm-noexec/bin/ld.lld"
fault "clang not executable (CROSSHIM_LLVM)" 1 "$WORK/llvm-noexec/bin/clang" \
    env CROSSHIM_LLVM="$WORK/llvm-noexec" "$cc" hello.o -o never
expect_no_file never
# On PATH a non-executable clang is skipped, as a shell skips it.
mkdir -p "$WORK/path-noexec"
cp "$WORK/llvm-noexec/bin/clang" "$WORK/path-noexec/clang"
fault "clang not executable (PATH)" 1 "cannot find clang" \
    env PATH="$WORK/path-noexec:$WORK/path-only" "$cc" hello.o -o never
expect_no_file never

mkdir -p "$WORK/llvm-nolld/bin"
ln -s "$real_clang" "$WORK/llvm-nolld/bin/clang"
ok env CROSSHIM_LLVM="$WORK/llvm-nolld" "$cc" -c hello.c -o compiled-without-lld.o
expect_machine compiled-without-lld.o "$MACHINE" "$CLASS"
fault "ld.lld missing for a link" 1 "has no ld.lld" \
    env CROSSHIM_LLVM="$WORK/llvm-nolld" "$cc" hello.o -lm -o never
expect_no_file never
# ld.lld present but a dangling link (removed after installation).
mkdir -p "$WORK/llvm-danglinglld/bin"
ln -s "$real_clang" "$WORK/llvm-danglinglld/bin/clang"
ln -s "$WORK/no-such-lld" "$WORK/llvm-danglinglld/bin/ld.lld"
fault "ld.lld a dangling link" 1 "ld.lld" \
    env CROSSHIM_LLVM="$WORK/llvm-danglinglld" "$cc" hello.o -lm -o never
expect_no_file never

echo "######## sysroots"
fault "a missing sysroot for a link" 1 "$WORK/no-such-sysroot" \
    env "$SYSROOT_VAR=$WORK/no-such-sysroot" "$cc" hello.o -lm -o never
expect_contains "$ERR" "$SYSROOT_VAR" "stderr"
expect_no_file never
: >"$WORK/sysroot-file"
fault "a sysroot that is a file" 1 "not a directory" \
    env "$SYSROOT_VAR=$WORK/sysroot-file" "$cc" hello.o -lm -o never
expect_no_file never

# A sysroot shaped like Debian's /usr/<gnu> (links into the real one), and an
# LLVM prefix whose clang removes that sysroot, then runs the real clang:
# the sysroot exists when crosshim looks it up and is gone when clang and
# ld.lld use it. Deterministic: the removal happens inside the one clang run.
vroot=$WORK/vanish/$GNU
mkdir -p "$vroot" "$WORK/vanish/lib"
ln -s "$CROSS_ROOT/lib" "$vroot/lib"
ln -s "$CROSS_ROOT/include" "$vroot/include"
ln -s /usr/lib/gcc-cross "$WORK/vanish/lib/gcc-cross"
mkdir -p "$WORK/llvm-vanish/bin"
cat >"$WORK/llvm-vanish/bin/clang" <<EOF
#!/bin/sh
# crosshim-e2e: removes the sysroot (links only, never what they point at)
case " \$* " in *vanished*) rm -rf -- "$WORK/vanish" ;; esac
exec "$real_clang" "\$@"
EOF
chmod 755 "$WORK/llvm-vanish/bin/clang"
ln -s "$real_lld" "$WORK/llvm-vanish/bin/ld.lld"
# Control: the same sysroot and prefix link when nothing vanishes.
ok env CROSSHIM_LLVM="$WORK/llvm-vanish" "$SYSROOT_VAR=$vroot" "$cc" hello.o -lm -o stays
expect_machine stays "$MACHINE" "$CLASS"
run_on_target "$CROSS_ROOT" ./stays 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of stays"
fault "the sysroot vanishes mid-run" 1 "crosshim: error: the sysroot $vroot (from $SYSROOT_VAR) no longer exists" \
    env CROSSHIM_LLVM="$WORK/llvm-vanish" "$SYSROOT_VAR=$vroot" CROSSHIM_REPORT="$WORK/vanish.json" \
    "$cc" hello.o -lm -o vanished
[[ ! -e $WORK/vanish ]] || fail "the fake clang did not remove $WORK/vanish"
[[ -e $CROSS_ROOT/lib/libc.so.6 ]] || fail "$CROSS_ROOT was damaged"
expect_no_file vanished
# Not findings that say to install packages into the sysroot that is gone.
expect_not_contains "$ERR" "[missing-crt-object]" "stderr"

echo "######## configuration"
mkdir -p "$WORK/config-dir"
fault "CROSSHIM_CONFIG is a directory" 2 "$WORK/config-dir" \
    env CROSSHIM_CONFIG="$WORK/config-dir" "$cc" -c hello.c -o never.o
expect_no_file never.o
mkdir -p "$WORK/proj-dir/crosshim.toml"
cp hello.c "$WORK/proj-dir/"
fault "crosshim.toml is a directory" 2 "$WORK/proj-dir/crosshim.toml" \
    sh -c 'cd "$1" && shift && exec "$@"' sh "$WORK/proj-dir" "$cc" -c hello.c -o never.o
expect_no_file "$WORK/proj-dir/never.o"
# A FIFO with no writer: opening it for reading would block for ever.
mkdir -p "$WORK/proj-fifo"
mkfifo "$WORK/proj-fifo/crosshim.toml"
fault "crosshim.toml is a FIFO" 2 "$WORK/proj-fifo/crosshim.toml" \
    sh -c 'cd "$1" && shift && exec "$@"' sh "$WORK/proj-fifo" "$cc" -c "$WORK/hello.c" -o never.o
expect_no_file "$WORK/proj-fifo/never.o"
if (($(id -u) != 0)); then
    printf '[target.%s]\ncflags = ["-O2"]\n' "$TRIPLE" >"$WORK/unreadable.toml"
    chmod 000 "$WORK/unreadable.toml"
    fault "an unreadable config (chmod 000)" 2 "$WORK/unreadable.toml" \
        env CROSSHIM_CONFIG="$WORK/unreadable.toml" "$cc" -c hello.c -o never.o
    expect_no_file never.o
else
    echo "(root: chmod 000 does not stop root from reading; the directory and FIFO cases stand in)"
fi

echo "######## HOME: nothing is written there, so compile and link work"
ok env -u HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME "$cc" -O2 hello.c -lm -o home-unset
run_on_target "$CROSS_ROOT" ./home-unset 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of home-unset"
ok env HOME="$WORK/no-such-home" XDG_CONFIG_HOME="$WORK/no-such-home/.config" \
    XDG_DATA_HOME="$WORK/no-such-home/.local/share" "$cc" -O2 hello.c -lm -o home-missing
run_on_target "$CROSS_ROOT" ./home-missing 2
expect_eq "$OUT" "$HELLO_C_LINE_64" "output of home-missing"
expect_no_file "$WORK/no-such-home"
mkdir -p "$WORK/ro-home"
if ((can_mount)); then
    ok "$with_mount" ro,size=64k "$WORK/ro-home" env HOME="$WORK/ro-home" \
        XDG_CONFIG_HOME="$WORK/ro-home/.config" XDG_DATA_HOME="$WORK/ro-home/.local/share" \
        "$cc" -O2 hello.c -lm -o home-ro
elif (($(id -u) != 0)); then
    chmod 555 "$WORK/ro-home"
    ok env HOME="$WORK/ro-home" XDG_CONFIG_HOME="$WORK/ro-home/.config" \
        XDG_DATA_HOME="$WORK/ro-home/.local/share" "$cc" -O2 hello.c -lm -o home-ro
else
    echo "(root without mount namespaces: no read-only HOME can be made; left out)"
fi
if [[ -e home-ro ]]; then
    run_on_target "$CROSS_ROOT" ./home-ro 2
    expect_eq "$OUT" "$HELLO_C_LINE_64" "output of home-ro"
fi

echo "######## TMPDIR with a >1 MB command line (crosshim writes a response file)"
longdir=$WORK/$(printf 'long-directory-name-%.0s' {1..6})
mkdir -p "$longdir"
long=()
for ((i = 0; i < 4500; i++)); do long+=("-L$longdir/../${longdir##*/}"); done
# Control: this command line links with a working TMPDIR.
ok "$cc" hello.o "${long[@]}" -lm -o long-ok
expect_machine long-ok "$MACHINE" "$CLASS"
[[ -z $(leftovers "$TMPDIR") ]] || fail "left in TMPDIR:"$'\n'"$(leftovers "$TMPDIR")"

fault "TMPDIR does not exist" 1 "cannot create a temporary directory from $WORK/no-such-tmp/crosshim-" \
    env TMPDIR="$WORK/no-such-tmp" "$cc" hello.o "${long[@]}" -lm -o never
expect_contains "$ERR" "No such file or directory" "stderr"
expect_no_file never
expect_no_file "$WORK/no-such-tmp"
: >"$WORK/tmp-file"
fault "TMPDIR is a file" 1 "cannot create a temporary directory from $WORK/tmp-file/crosshim-" \
    env TMPDIR="$WORK/tmp-file" "$cc" hello.o "${long[@]}" -lm -o never
expect_no_file never
mkdir -p "$WORK/tmp-ro" "$WORK/tmp-full"
if ((can_mount)); then
    fault "TMPDIR read-only" 1 "cannot create a temporary directory from $WORK/tmp-ro/crosshim-" \
        "$with_mount" ro,size=64k "$WORK/tmp-ro" env TMPDIR="$WORK/tmp-ro" "$cc" hello.o "${long[@]}" -lm -o never
    expect_contains "$ERR" "Read-only file system" "stderr"
    expect_no_file never
    # 64 KiB of tmpfs: the ~1.2 MB response file does not fit.
    fault "TMPDIR full (a 64 KiB tmpfs)" 1 "cannot write the response file $WORK/tmp-full/crosshim-" \
        "$with_mount" size=64k "$WORK/tmp-full" env TMPDIR="$WORK/tmp-full" \
        sh -c '"$@"; rc=$?; ls -A "$TMPDIR" | sed "s/^/LEFTOVER: /" >&2; exit $rc' sh \
        "$cc" hello.o "${long[@]}" -lm -o never
    expect_contains "$ERR" "No space left on device" "stderr"
    expect_not_contains "$ERR" "LEFTOVER: " "the tmpfs's listing after the run"
    expect_no_file never
elif (($(id -u) != 0)); then
    chmod 555 "$WORK/tmp-ro"
    fault "TMPDIR read-only" 1 "cannot create a temporary directory from $WORK/tmp-ro/crosshim-" \
        env TMPDIR="$WORK/tmp-ro" "$cc" hello.o "${long[@]}" -lm -o never
    expect_no_file never
else
    echo "(no mount namespace: the read-only TMPDIR case is left out)"
fi
# A full disk without privileges: a file-size limit makes the write fail
# with EFBIG (SIGXFSZ ignored, as ENOSPC gives no signal).
fault "TMPDIR full (ulimit -f)" 1 "cannot write the response file $TMPDIR/crosshim-" \
    sh -c 'trap "" XFSZ; ulimit -f 64; exec "$@"' sh "$cc" hello.o "${long[@]}" -lm -o never
expect_no_file never
[[ -z $(leftovers "$TMPDIR") ]] || fail "left in TMPDIR after the failed write:"$'\n'"$(leftovers "$TMPDIR")"

echo "######## a response file that does not exist (a link)"
fault "@missing.rsp in a link" 1 "missing.rsp" "$cc" hello.o @missing.rsp -lm -o never
expect_no_file never

echo "######## response files that include themselves (clang alone calls them missing files)"
printf -- '-O2\n@self.rsp\n' >self.rsp
fault "@self.rsp includes itself (a link)" 2 "response file cycle: @self.rsp -> @self.rsp (the file includes itself)" \
    "$cc" hello.o @self.rsp -lm -o never
expect_not_contains "$ERR" "no such file" "stderr (@self.rsp)"
expect_no_file never
printf -- '-DA\n@b.rsp\n' >a.rsp
printf -- '-DB\n"@a.rsp"\n' >b.rsp
fault "a.rsp -> b.rsp -> a.rsp (a compile)" 2 "response file cycle: @a.rsp -> @b.rsp -> @a.rsp" \
    "$cc" -c hello.c @a.rsp -o never.o
expect_no_file never.o
# 100 levels work: level i defines Li; the innermost names the source, whose
# #if fails to compile unless all 100 macros arrived.
{
    printf '#if'
    for ((i = 1; i <= 100; i++)); do printf ' %sdefined(L%d)' "$( ((i > 1)) && echo '&& ')" "$i"; done
    printf '\nint deep_ok;\n#else\n#error a level is missing\n#endif\n'
} >deep.c
for ((i = 1; i <= 100; i++)); do
    if ((i < 100)); then next="@deep-$((i + 1)).rsp"; else next=deep.c; fi
    printf -- '-DL%d\n%s\n' "$i" "$next" >"deep-$i.rsp"
done
ok "$cc" -c @deep-1.rsp -o deep.o
expect_machine deep.o "$MACHINE" "$CLASS"

echo "######## recursion: a copy of crosshim named cc after the masquerade folder"
mkdir -p "$WORK/farm"
cp "$CROSSHIM" "$WORK/farm/cc"
fault "PATH recursion through a copy of crosshim" 1 "recursive invocation" \
    env PATH="$MASQ:$WORK/farm" cc hello.c -o never
expect_contains "$ERR" "CROSSHIM_DEPTH" "stderr"
expect_no_file never

echo "faults injected: $FAULTS"
echo "$FAULTS" >"$WORK/FAULTS"
pass
