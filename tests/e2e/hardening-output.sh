#!/usr/bin/env bash
# hardening-output: what the forwarded tool says and how it ends reaches the
# caller unchanged, in compile mode (the shim execs clang) and link mode (the
# shim spawns clang, tees its stderr through a pipe keeping a 1 MiB copy for
# the diagnostics, and waits):
#   - every exit status 0..255;
#   - a tool killed by SIGTERM, SIGKILL or SIGSEGV: the shell sees 128+N, as
#     for the tool run directly;
#   - stdout and stderr byte for byte: all 256 byte values without a final
#     newline, and 10 MB on each stream (stderr full of lld-style errors, so
#     the diagnostics copy overflows), through files and through pipes.
#
# Why a test program stands in for clang: a real clang cannot be made to exit
# with any status 0..255, to die by a chosen signal, or to print 10 MB of
# binary data on request. crosshim forwards to whichever clang it finds, so
# the test compiles fake-tool.c at test time into an LLVM prefix of its own
# (bin/clang; bin/ld.lld links to the real lld) and points CROSSHIM_LLVM at
# it: the shim's real forwarding code runs, only the tool is scripted
# (FAKE_TOOL_* variables, which the shim passes through).
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
need_cmd sha256sum
cc=$SHIMS/$TRIPLE-cc
ok "$CROSSHIM" explain-args "$TRIPLE-cc" -c x.c
real_clang=$(sed -n 's/^program: \([^ ]*\) .*/\1/p' <<<"$OUT")
[[ -x $real_clang ]] || fail "explain-args gave no program"
real_lld=$(dirname "$(readlink -f "$real_clang")")/ld.lld
[[ -x $real_lld ]] || fail "no ld.lld next to $real_clang"
ulimit -c 0 # the SIGSEGV case must not leave core files

# ---------------------------------------------------------------- the tool
cat >fake-tool.c <<'EOF'
/* A scripted stand-in for clang (see hardening-output.sh). It writes the
 * files named by FAKE_TOOL_STDOUT and FAKE_TOOL_STDERR to its stdout and
 * stderr, alternating chunks of varying size (1 byte .. 64 KiB + 1) between
 * the two streams, then dies by FAKE_TOOL_SIGNAL or exits FAKE_TOOL_EXIT. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char *slurp(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(120); }
    size_t cap = 1 << 16, n = 0, got;
    char *data = malloc(cap);
    while ((got = fread(data + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) data = realloc(data, cap *= 2);
    }
    fclose(f);
    *size = n;
    return data;
}

static void put(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) exit(121);
        p += w;
        n -= (size_t)w;
    }
}

int main(void) {
    const char *outPath = getenv("FAKE_TOOL_STDOUT"), *errPath = getenv("FAKE_TOOL_STDERR");
    size_t no = 0, ne = 0, io = 0, ie = 0, chunk = 1;
    char *bo = outPath ? slurp(outPath, &no) : NULL, *be = errPath ? slurp(errPath, &ne) : NULL;
    while (io < no || ie < ne) {
        chunk = chunk * 7 % 65537 + 1;
        size_t k = no - io < chunk ? no - io : chunk;
        put(1, bo + io, k);
        io += k;
        k = ne - ie < chunk ? ne - ie : chunk;
        put(2, be + ie, k);
        ie += k;
    }
    const char *sig = getenv("FAKE_TOOL_SIGNAL");
    if (sig) {
        int n = atoi(sig);
        if (n == SIGSEGV)
            *(volatile int *)0 = 1; /* a real crash */
        signal(n, SIG_DFL);
        raise(n);
        return 122;
    }
    const char *code = getenv("FAKE_TOOL_EXIT");
    return code ? atoi(code) : 0;
}
EOF
mkdir -p fake-llvm/bin
ok "$real_clang" -O2 -Wall -o fake-llvm/bin/clang fake-tool.c
ln -s "$real_lld" fake-llvm/bin/ld.lld
export CROSSHIM_LLVM=$WORK/fake-llvm
printf 'int x;\n' >x.c
printf 'not an object\n' >x.o

# The two modes, checked with explain-args so that a change in the mode
# rules cannot make this test silently exercise only one path.
compile_args=(-c x.c -o compiled.o)
link_args=(x.o -o linked)
ok "$CROSSHIM" explain-args "$TRIPLE-cc" "${compile_args[@]}"
expect_match "$OUT" "^mode: +compile \(exec\)" "explain-args (compile)"
expect_contains "$OUT" "$WORK/fake-llvm/bin/clang" "explain-args (compile)"
ok "$CROSSHIM" explain-args "$TRIPLE-cc" "${link_args[@]}"
expect_match "$OUT" "^mode: +link \(spawn" "explain-args (link)"

mode_args() { # MODE -> ARGS
    if [[ $1 == compile ]]; then ARGS=("${compile_args[@]}"); else ARGS=("${link_args[@]}"); fi
}

# ---------------------------------------------------------------- exit status
echo "== every exit status 0..255, compile and link mode"
bad=()
for mode in compile link; do
    mode_args "$mode"
    for ((code = 0; code <= 255; code++)); do
        set +e
        FAKE_TOOL_EXIT=$code "$cc" "${ARGS[@]}" >/dev/null 2>"$WORK/log/status.err"
        got=$?
        set -e
        ((got == code)) || bad+=("$mode: $code -> $got")
        # The fake tool says nothing: neither may the shim (no finding about
        # the link's output, no message of its own).
        [[ ! -s $WORK/log/status.err ]] || bad+=("$mode: $code: stderr: $(head -c 300 "$WORK/log/status.err")")
    done
done
((${#bad[@]} == 0)) || fail "exit status not passed through: $(printf '%s; ' "${bad[@]:0:20}")"
echo "  ok: 512 exit statuses"

# ---------------------------------------------------------------- signals
echo "== a tool killed by SIGTERM, SIGKILL, SIGSEGV"
for sig in TERM KILL SEGV; do
    n=$(kill -l "$sig")
    want=$((128 + n))
    set +e
    FAKE_TOOL_SIGNAL=$n "$WORK/fake-llvm/bin/clang" 2>/dev/null
    direct=$?
    set -e
    expect_eq "$direct" "$want" "status of the test tool itself killed by SIG$sig"
    for mode in compile link; do
        mode_args "$mode"
        run env FAKE_TOOL_SIGNAL="$n" "$cc" "${ARGS[@]}"
        expect_eq "$RC" "$want" "status of the shim ($mode) when the tool dies by SIG$sig"
        expect_eq "$ERR" "" "stderr of the shim ($mode) when the tool dies by SIG$sig"
    done
done

# ---------------------------------------------------------------- output
# check_streams WHAT OUTFILE ERRFILE EXPECTED_OUT EXPECTED_ERR: byte for byte.
# In link mode crosshim may add its own report AFTER the tool's stderr (the
# lld-style errors below are findings); the tool's bytes must still all come
# first, unchanged.
check_streams() {
    local what=$1 out=$2 err=$3 want_out=$4 want_err=$5 size
    expect_eq "$(stat -c %s "$out")" "$(stat -c %s "$want_out")" "$what: stdout size"
    expect_eq "$(sha256sum <"$out")" "$(sha256sum <"$want_out")" "$what: stdout sha256"
    size=$(stat -c %s "$want_err")
    (($(stat -c %s "$err") >= size)) || fail "$what: stderr has $(stat -c %s "$err") bytes, expected $size"
    expect_eq "$(head -c "$size" "$err" | sha256sum)" "$(sha256sum <"$want_err")" "$what: stderr sha256"
    if (($(stat -c %s "$err") > size)); then
        echo "  $what: crosshim's report after the tool's stderr: $(tail -c +"$((size + 1))" "$err" | head -c 200 | tr '\n' ' ')"
        tail -c +"$((size + 1))" "$err" | head -n1 | grep -q '^crosshim' ||
            fail "$what: stderr has more than the tool wrote, and it is not crosshim's report"
    fi
    echo "  ok: $what ($(stat -c %s "$out") + $size bytes)"
}

echo "== all 256 byte values, no final newline"
# shellcheck disable=SC2059 # the format IS the data: one \NNN escape per byte
for ((i = 0; i < 256; i++)); do printf "\\$(printf %03o "$i")"; done >bytes.bin
# shellcheck disable=SC2059
for ((i = 255; i >= 0; i--)); do printf "\\$(printf %03o "$i")"; done >bytes-rev.bin
expect_eq "$(stat -c %s bytes.bin)" 256 "size of bytes.bin"
expect_eq "$(od -An -tu1 -j255 bytes.bin | tr -d ' ')" 255 "last byte of bytes.bin"
for mode in compile link; do
    mode_args "$mode"
    set +e
    FAKE_TOOL_STDOUT=bytes.bin FAKE_TOOL_STDERR=bytes-rev.bin FAKE_TOOL_EXIT=3 "$cc" "${ARGS[@]}" \
        >"bin-$mode.out" 2>"bin-$mode.err"
    rc=$?
    set -e
    expect_eq "$rc" 3 "exit status ($mode, binary output)"
    check_streams "binary, $mode" "bin-$mode.out" "bin-$mode.err" bytes.bin bytes-rev.bin
    expect_eq "$(stat -c %s "bin-$mode.err")" 256 "stderr size ($mode): nothing added"
done

echo "== 10 MB on stdout and 10 MB of linker errors on stderr"
# Numbered lines: a lost, repeated or reordered chunk changes the hash. The
# stderr lines are lld's undefined-symbol errors, so the 1 MiB diagnostics
# copy fills up and is cut while the forwarded stream must stay whole.
# (seq || true: head ends the pipe early, and pipefail would see seq's SIGPIPE.)
{ seq -f 'stdout line %09g: the quick brown fox jumps over the lazy dog 0123456789' 1 150000 || true; } |
    head -c 10485759 >big.out
{ seq -f 'ld.lld: error: undefined symbol: crosshim_e2e_missing_%09g' 1 250000 || true; } |
    head -c 10485760 >big.err
(($(stat -c %s big.out) == 10485759 && $(stat -c %s big.err) == 10485760)) || fail "big inputs are too small"
for mode in compile link; do
    mode_args "$mode"
    echo "-- $mode mode, into files"
    set +e
    FAKE_TOOL_STDOUT=big.out FAKE_TOOL_STDERR=big.err FAKE_TOOL_EXIT=1 "$cc" "${ARGS[@]}" \
        >"big-$mode.out" 2>"big-$mode.err"
    rc=$?
    set -e
    expect_eq "$rc" 1 "exit status ($mode, 10 MB)"
    check_streams "10 MB, $mode, files" "big-$mode.out" "big-$mode.err" big.out big.err

    echo "-- $mode mode, into pipes (64 KiB buffers) read by other processes"
    rm -f out.fifo err.fifo
    mkfifo out.fifo err.fifo
    cat <out.fifo >"pipe-$mode.out" &
    out_reader=$!
    # A slow reader: small reads, so the shim's writes block on a full pipe.
    dd if=err.fifo of="pipe-$mode.err" bs=4096 status=none &
    err_reader=$!
    set +e
    FAKE_TOOL_STDOUT=big.out FAKE_TOOL_STDERR=big.err FAKE_TOOL_EXIT=1 "$cc" "${ARGS[@]}" \
        >out.fifo 2>err.fifo
    rc=$?
    set -e
    wait "$out_reader" "$err_reader"
    expect_eq "$rc" 1 "exit status ($mode, 10 MB through pipes)"
    check_streams "10 MB, $mode, pipes" "pipe-$mode.out" "pipe-$mode.err" big.out big.err
done

pass
