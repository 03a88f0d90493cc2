#!/usr/bin/env bash
# distcc: Debian's distcc 3.4 behind crosshim (CROSSHIM_LAUNCHER=distcc)
# distributes cross compiles for every Linux target the suite has (aarch64,
# armv7, i686 against Debian's cross packages, x86_64 musl, the host) to two
# distccd on loopback (127.0.0.2 stands for another machine). The server
# gets a plain clang command that it allows (/usr/bin/clang-14, in its
# /usr/lib/distcc allow-list) and needs no crosshim, configuration or
# sysroot; every object equals the plain shim's, and the daemon's log shows
# the remote compile.
source "$(dirname "$0")/common.sh"

need_stage
need_cmd distcc "apt-get install distcc"
need_cmd distccd "apt-get install distcc"
need_path /usr/lib/distcc/clang-14 "apt-get install distcc clang-14 (distcc's allow-list)"
need_path /usr/lib/x86_64-linux-musl/libc.so "apt-get install musl-dev"
for a in aarch64 armv7 i686; do
    arch_info $a
    need_cross_packages
done

# One process per daemon (--no-fork: no preforked children to leave behind).
# distccd started by root serves as the distccd user: its temporary files go
# to a folder it may write.
mkdir -p "$WORK/distccd-tmp"
chmod 1777 "$WORK/distccd-tmp"
stop_daemons_at_exit

PORT=$((20000 + RANDOM % 20000))
start_distccd() { # ADDRESS LOG
    TMPDIR=$WORK/distccd-tmp distccd --daemon --no-detach --no-fork --listen "$1" --allow 127.0.0.1 --allow "$1" \
        --port "$PORT" --log-stderr --log-level=info 2>"$2" &
    PIDS+=($!)
    local i
    for i in $(seq 100); do
        if (exec 3<>"/dev/tcp/$1/$PORT") 2>/dev/null; then return 0; fi
        kill -0 "${PIDS[-1]}" 2>/dev/null || fail "distccd on $1 exited: $(<"$2")"
        sleep 0.1
    done
    fail "distccd on $1:$PORT did not start listening"
}
start_distccd 127.0.0.2 "$WORK/distccd-2.log"
start_distccd 127.0.0.1 "$WORK/distccd-1.log"

export DISTCC_DIR=$WORK/distcc DISTCC_FALLBACK=0 DISTCC_BACKOFF_PERIOD=0 DISTCC_SKIP_LOCAL_RETRY=1
mkdir -p "$DISTCC_DIR"
write_farm_sources

n=0
distribute() { # HOST TRIPLE SOURCE COMPILER
    local host=$1 triple=$2 src=$3 shim=$SHIMS/$2-$4 log=$WORK/distccd-${1##*.}.log before
    n=$((n + 1))
    before=$(grep -c "COMPILE_OK .*/usr/bin/clang-14 $src" "$log" || true)
    ok "$shim" -O2 -c "$src" -o plain$n.o
    ok env CROSSHIM_LAUNCHER=distcc DISTCC_HOSTS="$host:$PORT" "$shim" -O2 -c "$src" -o farm$n.o
    cmp -s plain$n.o farm$n.o || fail "$triple: the distributed object differs from the plain one ($src)"
    # distccd's summary of the job: COMPILE_OK and the command it ran, logged
    # once the client has its object (so it may come a moment later).
    local i
    for i in $(seq 50); do
        (($(grep -c "COMPILE_OK .*/usr/bin/clang-14 $src" "$log") > before)) && break
        sleep 0.1
    done
    expect_eq "$(grep -c "COMPILE_OK .*/usr/bin/clang-14 $src" "$log")" "$((before + 1))" \
        "the compiles of $src in $host's distccd log, after $triple"
    echo "  ok: $triple $src compiled on $host, byte-identical"
}
for triple in aarch64-unknown-linux-gnu armv7-unknown-linux-gnueabihf i686-unknown-linux-gnu \
    x86_64-unknown-linux-musl x86_64-unknown-linux-gnu; do
    distribute 127.0.0.2 $triple k.c cc
done
distribute 127.0.0.2 aarch64-unknown-linux-gnu k.cpp c++
distribute 127.0.0.1 armv7-unknown-linux-gnueabihf k.cpp c++
distribute 127.0.0.1 i686-unknown-linux-gnu k.c cc

echo "== pump mode (distcc-pump, ',cpp' hosts)"
# Pump mode asks distcc-pump's include server for the headers a compile
# reads and sends them, to have the server preprocess. Debian bookworm's
# include server (distcc 3.4 on Python 3.11) fails on every file: its C
# extension parses "s#" arguments without PY_SSIZE_T_CLEAN, an error since
# Python 3.10 (fixed in distcc after 3.4). distcc then preprocesses locally,
# as without pump, and the server compiles: the same object. When a fixed
# distcc-pump arrives, the last check fails and pump proper is to be tested.
need_cmd distcc-pump "apt-get install distcc-pump"
log=$WORK/distccd-2.log
before=$(grep -c "COMPILE_OK .*/usr/bin/clang-14 k.c" "$log" || true)
ok "$SHIMS/aarch64-unknown-linux-gnu-cc" -O2 -c k.c -o plain-pump.o
ok_noisy env CROSSHIM_LAUNCHER=distcc DISTCC_HOSTS="127.0.0.2:$PORT,cpp,lzo" DISTCC_VERBOSE=1 \
    distcc-pump "$SHIMS/aarch64-unknown-linux-gnu-cc" -O2 -c k.c -o pump.o
cmp -s plain-pump.o pump.o || fail "pump mode: the distributed object differs from the plain one"
expect_contains "$OUT" "Using 1 distcc server in pump mode" "distcc-pump's output"
expect_contains "$ERR" "compiled on 127.0.0.2" "distcc's output in pump mode"
for i in $(seq 50); do
    (($(grep -c "COMPILE_OK .*/usr/bin/clang-14 k.c" "$log") > before)) && break
    sleep 0.1
done
expect_eq "$(grep -c "COMPILE_OK .*/usr/bin/clang-14 k.c" "$log")" "$((before + 1))" "the compiles of k.c in pump mode in 127.0.0.2's distccd log"
expect_contains "$ERR" "PY_SSIZE_T_CLEAN macro must be defined" "the include server's failure"
expect_contains "$ERR" "failed to get includes from include server, preprocessing locally" "distcc's fallback"

# The remote's command is plain clang with the target's flags crosshim added.
run env CROSSHIM_LAUNCHER=distcc CROSSHIM_DRY_RUN=1 "$SHIMS/i686-unknown-linux-gnu-cc" -c k.c
expect_match "$OUT" "^distcc /usr/bin/clang-14 .*--target=i686-[a-z-]*linux-gnu .*-march=pentium4" "the launched command"

for p in "${PIDS[@]}"; do kill -0 "$p" || fail "a distccd exited during the test"; done
stop_daemons
trap - EXIT
pass
