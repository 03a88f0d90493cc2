#!/usr/bin/env bash
# icecc: Debian's icecream 1.4 behind crosshim (CROSSHIM_LAUNCHER=icecc)
# compiles for every Linux target the suite has (aarch64, armv7, i686 against
# Debian's cross packages, x86_64 musl, the host) on another daemon: a
# scheduler, the client's own daemon (which lends no CPU: -m 0) and a remote
# daemon that stands for another machine (127.0.0.2). The remote gets the
# explicit clang command and an environment tarball of plain clang
# (icecc-create-env <a shim>); every object equals the plain
# shim's, and the scheduler's and the remote daemon's logs show the job.
#
# The farm runs in private network and mount namespaces (the test re-runs
# itself under `unshare --net --mount`): icecream's daemons listen on every
# address (iceccd's --interface binds the loopback twice and fails), which is
# only the loopback there; its fixed paths (/run/icecc, pid files in /run,
# icecc-create-env's /tmp) are this test's folders mounted there; and the
# daemons read a frozen copy of /proc/stat, an idle machine, since the
# scheduler gives no job to a daemon whose machine is busy (load 1000),
# which a test machine running other tests in parallel may be.
if [[ -z ${E2E_ICECC_NAMESPACES:-} ]]; then
    E2E_ICECC_NAMESPACES=1 exec unshare --net --mount -- bash "$0" "$@"
fi
source "$(dirname "$0")/common.sh"

need_stage
need_cmd icecc "apt-get install icecc"
need_cmd iceccd "apt-get install icecc"
need_cmd icecc-scheduler "apt-get install icecc"
need_cmd icecc-create-env "apt-get install icecc"
need_cmd zstd "apt-get install zstd"
need_cmd ip "apt-get install iproute2"
need_path /usr/lib/x86_64-linux-musl/libc.so "apt-get install musl-dev"
id icecc >/dev/null 2>&1 || fail "no icecc user (the icecc package makes it; iceccd runs as it)"
for a in aarch64 armv7 i686; do
    arch_info $a
    need_cross_packages
done

# The namespaces: only the loopback, with 127.0.0.2 as a second host.
ok ip link set lo up
ok ip addr add 127.0.0.2/32 dev lo
mkdir -p run slash-tmp farm
ok mount --bind "$WORK/run" /run
# What the test reads and writes (the sources, the build and this folder)
# may itself lie under /tmp: each such top folder is bound into the new /tmp
# at its own name first, so its paths still work once /tmp is replaced.
for path in "$SRC" "$BUILD" "$STAGE" "$WORK"; do
    [[ $path == /tmp/* ]] || continue
    top=${path#/tmp/}
    top=${top%%/*}
    [[ -d $WORK/slash-tmp/$top ]] && continue
    mkdir -p "$WORK/slash-tmp/$top"
    ok mount --bind "/tmp/$top" "$WORK/slash-tmp/$top"
done
ok mount --rbind "$WORK/slash-tmp" /tmp
cp /proc/stat "$WORK/proc-stat"
ok mount --bind "$WORK/proc-stat" /proc/stat
# iceccd started by root works as the icecc user: its logs and environments
# go to a folder it owns.
chown icecc:icecc farm

stop_daemons_at_exit

icecc-scheduler -p 8765 -n crosshim -l "$WORK/farm/scheduler.log" -vvv &
PIDS+=($!)
# The remote reaches the scheduler from 127.0.0.2, which is then its address
# for the clients; its Unix socket (for local clients) is out of the way.
ICECC_TEST_SOCKET=$WORK/farm/remote.socket \
    iceccd -s 127.0.0.2:8765 -n crosshim -N remote -m 2 -b "$WORK/farm/envs-remote" \
    -l "$WORK/farm/remote.log" -vvv &
PIDS+=($!)
# The client's daemon: its socket is the usual /run/icecc/iceccd.socket,
# where icecc looks.
iceccd --no-remote -m 0 -s 127.0.0.1:8765 -n crosshim -N client -b "$WORK/farm/envs-client" \
    -l "$WORK/farm/client.log" -vvv &
PIDS+=($!)
for i in $(seq 150); do
    grep -qs "Connected to scheduler (I am known as 127.0.0.2)" farm/remote.log &&
        grep -qs "Connected to scheduler" farm/client.log && break
    for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null || fail "an icecream daemon exited: $(tail -n 5 farm/*.log)"; done
    ((i < 150)) || fail "the daemons did not reach the scheduler: $(tail -n 5 farm/*.log)"
    sleep 0.2
done
[[ -S run/icecc/iceccd.socket ]] || fail "the client's daemon has no socket in /run/icecc"

# The environment: plain clang, which compiles for every target. Made from a
# GNU shim name: given a compiler (not --clang <path>), icecc-create-env asks
# it for -print-prog-name=<its name> to find the real compiler behind a
# wrapper, which the shim answers with its clang (clang itself would find
# Debian's aarch64-linux-gnu-gcc on PATH, and the remote would run GCC).
mkdir env
cd env
ok_noisy icecc-create-env "$SHIMS/aarch64-linux-gnu-gcc" --compression zstd
cd "$WORK"
expect_contains "$OUT" "adding file /usr/bin/clang=/usr/lib/llvm-14/bin/clang"
ENVS=("$WORK"/env/*.tar.zst)
((${#ENVS[@]} == 1)) || fail "icecc-create-env made no environment"
export ICECC_VERSION=${ENVS[0]} ICECC_DEBUG=debug ICECC_LOGFILE=$WORK/icecc.log

write_farm_sources

n=0
distribute() { # TRIPLE SOURCE COMPILER
    local triple=$1 src=$2 shim=$SHIMS/$1-$3 jobs
    n=$((n + 1))
    jobs=$(grep -c "END .* status=0 .*server=remote" farm/scheduler.log || true)
    ok "$shim" -O2 -c "$src" -o plain$n.o
    : >icecc.log
    ok env CROSSHIM_LAUNCHER=icecc "$shim" -O2 -c "$src" -o farm$n.o
    cmp -s plain$n.o farm$n.o || fail "$triple: the object compiled by icecream differs from the plain one ($src)"
    # The client's own account: the scheduler chose the remote, which compiled.
    expect_contains "$(<icecc.log)" "Have to use host 127.0.0.2:10245" "icecc's log ($triple $src)"
    expect_not_contains "$(<icecc.log)" "building_local" "icecc's log ($triple $src)"
    # The scheduler's: one more job ended there, compiled by the remote.
    local i
    for i in $(seq 50); do
        (($(grep -c "END .* status=0 .*server=remote" farm/scheduler.log) > jobs)) && break
        sleep 0.1
    done
    expect_eq "$(grep -c "END .* status=0 .*server=remote" farm/scheduler.log)" "$((jobs + 1))" \
        "jobs the scheduler saw the remote finish, after $triple $src"
    echo "  ok: $triple $src compiled by the remote daemon, byte-identical"
}
for triple in aarch64-unknown-linux-gnu armv7-unknown-linux-gnueabihf i686-unknown-linux-gnu \
    x86_64-unknown-linux-musl x86_64-unknown-linux-gnu; do
    distribute $triple k.c cc
done
distribute aarch64-unknown-linux-gnu k.cpp c++
distribute armv7-unknown-linux-gnueabihf k.cpp c++
# The remote ran clang with the target crosshim chose, and i686's -march.
expect_match "$(<farm/remote.log)" "remote compile arguments: .*--target=aarch64-[a-z-]*linux-gnu" "the remote's log"
expect_match "$(<farm/remote.log)" "remote compile arguments: .*--target=armv7-[a-z-]*linux-gnueabihf" "the remote's log"
expect_match "$(<farm/remote.log)" "remote compile arguments: .*--target=i686-[a-z-]*linux-gnu .*-march=pentium4" "the remote's log"

echo "== icecc in front of a GNU name: compiled here by the shim, never another compiler's object"
# icecc would preprocess with the shim, then have the remote run the
# environment's gcc (a wrapper around clang, for the host). The shim refuses
# to preprocess for icecc, which then compiles locally through the shim.
: >icecc.log
ok_noisy icecc "$SHIMS/aarch64-linux-gnu-gcc" -O2 -c k.c -o front.o
expect_contains "$ERR" "CROSSHIM_LAUNCHER=icecc"
expect_contains "$(<icecc.log)" "local cpp invocation failed, trying to recompile locally" "icecc's log"
ok "$SHIMS/aarch64-linux-gnu-gcc" -O2 -c k.c -o plain-front.o
cmp -s front.o plain-front.o || fail "icecc in front of the GNU name made another object than the shim alone"
expect_machine front.o AArch64 ELF64

for p in "${PIDS[@]}"; do kill -0 "$p" || fail "an icecream daemon exited during the test"; done
stop_daemons
trap - EXIT
pass
