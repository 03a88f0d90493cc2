#!/usr/bin/env bash
# hardening-signals: SIGTERM and SIGINT sent to the shim (and to nothing
# else) while it links reach clang AND ld.lld, the shim ends like the signal
# (128+N to the shell), and afterwards no process of the link is left and
# TMPDIR is empty. The link is slowed for real: one of its inputs is a FIFO,
# so ld.lld blocks opening it while clang waits for ld.lld. Every process of
# a case carries a unique marker in its environment (inherited from the
# shim), which finds clang, ld.lld and any cc1 whatever their command lines
# (with a long command, ld.lld gets clang's own response file).
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
cc=$SHIMS/$TRIPLE-cc
write_hello_c hello.c
ok "$cc" -O2 -c hello.c -o hello.o

marker_var=CROSSHIM_E2E_SIGNAL_MARKER
fifos=()
release() { # FIFO: a reader blocked in open() gets EOF
    local fd
    exec {fd}<>"$1"
    exec {fd}>&-
}
# marked MARKER: "pid comm state" of every live process carrying MARKER.
marked() {
    local p
    for p in /proc/[0-9]*; do
        grep -qzx "$marker_var=$1" "$p/environ" 2>/dev/null || continue
        echo "${p#/proc/} $(cut -d' ' -f2-3 "$p/stat" 2>/dev/null)"
    done
}
cleanup() {
    local f m p
    for f in "${fifos[@]}"; do [[ -p $f ]] && release "$f"; done
    for m in "${markers[@]}"; do
        for p in $(marked "$m" | cut -d' ' -f1); do kill -KILL "$p" 2>/dev/null || true; done
    done
    wait 2>/dev/null || true
}
markers=()
trap cleanup EXIT

# A long command: ~1.2 MB of -L arguments makes the shim pass clang a
# response file of its own (in a private directory in TMPDIR), and clang pass
# ld.lld one of its own.
longdir=$WORK/$(printf 'long-directory-name-%.0s' {1..6})
mkdir -p "$longdir"
long=()
for ((i = 0; i < 4500; i++)); do long+=("-L$longdir/../${longdir##*/}"); done

failures=()
check() { # CONDITION-TEXT WHAT
    if [[ $1 == ok ]]; then
        echo "  ok: $2"
    else
        echo "  WRONG: $2: $1"
        failures+=("$2: $1")
    fi
}

signals_sent=0
# case_ SIG NAME ARGS...: links hello.o + a FIFO object + ARGS through the
# shim, waits until ld.lld blocks on the FIFO, sends SIG to the shim only.
case_() {
    local sig=$1 name=$2 i pid status procs
    shift 2
    local marker=m-$name-$sig-$$-$RANDOM$RANDOM
    markers+=("$marker")
    local fifo=$WORK/fifo-$name-$sig.o
    mkfifo "$fifo"
    fifos+=("$fifo")
    echo "== SIG$sig to the shim during a link ($name)"
    # A background job of a non-interactive shell starts with SIGINT ignored;
    # give the shim default dispositions, as a terminal would.
    env --default-signal=INT,TERM "$marker_var=$marker" \
        "$cc" hello.o "$fifo" "$@" -o "$WORK/out-$name-$sig" 2>"$WORK/err-$name-$sig" &
    pid=$!
    for ((i = 0; i < 200; i++)); do
        procs=$(marked "$marker")
        # ld.lld blocked in open() on the FIFO: the link is under way.
        if grep -q ' (ld.lld) ' <<<"$procs"; then
            local lld
            lld=$(awk '$2 == "(ld.lld)" {print $1}' <<<"$procs")
            [[ $(cat "/proc/$lld/wchan" 2>/dev/null) == wait_for_partner ]] && break
        fi
        sleep 0.1
    done
    echo "  running before the signal:"
    sed 's/^/    /' <<<"$procs"
    grep -q ' (clang[^ ]*) ' <<<"$procs" && grep -q ' (ld.lld) ' <<<"$procs" ||
        fail "clang and ld.lld are not both running 20 s after the start ($name)"
    if [[ $name == rsp ]]; then
        local rsp
        rsp=$(find "$TMPDIR" -path '*/crosshim-*/args.rsp')
        [[ -n $rsp ]] || fail "the shim wrote no response file in TMPDIR for the long command"
        echo "  the shim's response file: $rsp"
    fi
    kill "-$sig" "$pid"
    signals_sent=$((signals_sent + 1))
    status=hung
    for ((i = 0; i < 100; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            set +e
            wait "$pid"
            status=$?
            set -e
            break
        fi
        sleep 0.1
    done
    local want=$((128 + $(kill -l "$sig")))
    [[ $status == "$want" ]] && check ok "exit status $want" ||
        check "status $status, expected $want" "exit status ($name, SIG$sig)"
    # The shim has ended: nothing of its link may still run (a short grace
    # for the kernel to finish tearing processes down).
    for ((i = 0; i < 20; i++)); do
        procs=$(marked "$marker" | awk '$3 != "Z"')
        [[ -z $procs ]] && break
        sleep 0.1
    done
    [[ -z $procs ]] && check ok "no process of the link left" ||
        check "still running after the shim ended: $(tr '\n' ';' <<<"$procs")" \
            "no process left ($name, SIG$sig)"
    local left
    left=$(find "$TMPDIR" -mindepth 1 | sed 's/^/    /')
    [[ -z $left ]] && check ok "TMPDIR empty" ||
        check "left in TMPDIR: $(tr '\n' ' ' <<<"$left")" "TMPDIR empty ($name, SIG$sig)"
    [[ ! -e $WORK/out-$name-$sig ]] && check ok "no output file" ||
        check "the output file exists" "no output ($name, SIG$sig)"
    release "$fifo"
    rm -rf -- "${TMPDIR:?}"/* # the next case starts from an empty TMPDIR
}

for sig in TERM INT; do
    case_ "$sig" link -lm
    # clang compiles a C file to a temporary object in TMPDIR first.
    case_ "$sig" compile-link hello.c -DCROSSHIM_E2E_SECOND_MAIN=1 -Dmain=second_main -lm
    case_ "$sig" rsp "${long[@]}" -lm
done

echo "signals sent to the shim: $signals_sent"
((${#failures[@]} == 0)) || fail "$(printf '%s; ' "${failures[@]}")"
pass
