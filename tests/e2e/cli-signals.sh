#!/usr/bin/env bash
# cli-signals: a shim that is killed ends the way the tool would have, and
# promptly. clang reads its input from a FIFO, so it blocks until the test
# lets it go. SIGTERM/SIGINT to the shim, in compile mode (exec: the shim IS
# clang) and link mode (spawn: the shim forwards the signal and must then
# exit like clang, 128+N to the shell, as clang run directly does), even
# though clang's own cc1 child -- which clang does not forward signals to --
# still holds the stderr pipe.
source "$(dirname "$0")/common.sh"

arch_info aarch64
need_stage
need_cross_packages
cc=$SHIMS/$TRIPLE-cc
ok "$CROSSHIM" explain-args "$TRIPLE-cc" -c hello.c
clang=$(sed -n 's/^program: \([^ ]*\) .*/\1/p' <<<"$OUT")

fifos=()
# release FIFO: a reader blocked in open() gets EOF. Opening read-write never
# blocks, even when nobody reads any more.
release() {
    local fd
    exec {fd}<>"$1"
    exec {fd}>&-
}
cleanup() {
    local f
    # Let every clang still blocked on a FIFO read EOF and finish.
    for f in "${fifos[@]}"; do
        [[ -p $f ]] && release "$f"
    done
    wait 2>/dev/null || true
}
trap cleanup EXIT

# fifo_reader_waiting FIFO: some process whose command line names FIFO is
# blocked in open() on it (wchan wait_for_partner).
fifo_reader_waiting() {
    local p
    for p in /proc/[0-9]*; do
        [[ $(cat "$p/wchan" 2>/dev/null) == wait_for_partner ]] || continue
        tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "$1" && return 0
    done
    return 1
}

# killed_status SIG CMD...: starts CMD (reading the FIFO $fifo), waits until
# clang runs, sends SIG to CMD's process, and sets STATUS to what the shell
# reports, or to "hung" if it has not ended 5 s later.
killed_status() {
    local sig=$1 pid i
    shift
    printf '+ %s   (then kill -%s)\n' "$(_e2e_quote "$@")" "$sig"
    local t0=$SECONDS
    # A background job of a non-interactive shell starts with SIGINT
    # ignored; give the command default dispositions, as a terminal would.
    env --default-signal=INT,TERM "$@" 2>"$WORK/killed.err" &
    pid=$!
    # Wait until clang (the exec'd shim, or clang's cc1 child) is blocked
    # opening the FIFO.
    for ((i = 0; i < 100; i++)); do
        fifo_reader_waiting "$fifo" && break
        sleep 0.1
    done
    ((i < 100)) || echo "  (no process seen waiting on $fifo; sending the signal anyway)"
    sleep 0.2
    kill "-$sig" "$pid"
    STATUS=hung
    for ((i = 0; i < 50; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            set +e
            wait "$pid"
            STATUS=$?
            set -e
            break
        fi
        sleep 0.1
    done
    if [[ $STATUS == hung ]]; then
        echo "  still running 5 s after SIG$sig; its children:"
        local c
        for c in $(cat "/proc/$pid/task/"*/children 2>/dev/null); do
            echo "    $c $(cat "/proc/$c/stat" 2>/dev/null | cut -d' ' -f2-3) $(tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null | cut -c1-120)"
        done
        # Release it so the test can end.
        release "$fifo"
        set +e
        wait "$pid"
        echo "  after the FIFO was released it ended with status $?"
        set -e
    fi
    echo "  status: $STATUS ($((SECONDS - t0))s)"
}

n=0
new_fifo() {
    n=$((n + 1))
    fifo=$WORK/in-$n.c
    mkfifo "$fifo"
    fifos+=("$fifo")
}

# Every case runs; the failures are reported together at the end.
failures=()
check_status() { # WHAT
    if [[ $STATUS == "$want" ]]; then
        echo "  ok: $1"
    else
        echo "  WRONG: $1: expected $want, got $STATUS"
        failures+=("$1: expected $want, got $STATUS")
    fi
}

for sig in TERM INT; do
    want=$((128 + $(kill -l "$sig")))
    echo "== SIG$sig, clang run directly (the reference)"
    new_fifo
    killed_status "$sig" "$clang" --target=aarch64-linux-gnu -x c "$fifo" -o "$WORK/direct-$n"
    # The reference itself must behave, or the test proves nothing.
    expect_eq "$STATUS" "$want" "status of clang itself killed by SIG$sig"
    release "$fifo"   # clang's orphaned cc1 is still waiting

    echo "== SIG$sig, compile mode (exec)"
    new_fifo
    killed_status "$sig" "$cc" -c -x c "$fifo" -o "$WORK/c-$n.o"
    check_status "status of the shim (compile, exec) killed by SIG$sig"
    expect_no_file "$WORK/c-$n.o"

    echo "== SIG$sig, link mode (spawn)"
    new_fifo
    killed_status "$sig" "$cc" -x c "$fifo" -o "$WORK/l-$n"
    check_status "status of the shim (link, spawn) killed by SIG$sig"
    expect_no_file "$WORK/l-$n"
done

((${#failures[@]} == 0)) || fail "$(printf '%s; ' "${failures[@]}")"
pass
