#!/usr/bin/env bash
# hardening-sysroot-fix: `crosshim sysroot fix` on a hostile tree, watched
# from outside. DIR holds symlink loops, relative links that climb out through
# `..`, absolute links to paths outside, and many fixable absolute links; a
# "canary" tree next to DIR holds what those links reach, including absolute
# links of its own that fix would rewrite if it ever wandered there. While
# `sysroot fix` runs again and again, a background loop keeps swapping, inside
# DIR: a directory <-> a symlink to the canary's twin of that directory, a
# file <-> a directory, and a link's target between inside, `..`-escaping and
# absolute-outside. The canary's full state (paths, types, link targets,
# modes, sizes, mtimes, content hashes) must be the same afterwards. Then, on
# the quiet tree, a first run settles it and a second run changes nothing.
source "$(dirname "$0")/common.sh"

need_stage
need_cmd sha256sum
need_cmd python3

ROOT=$WORK/root
CANARY=$WORK/canary
MA=aarch64-linux-gnu

# ---------------------------------------------------------------- the trees
mkdir -p "$CANARY/lib/$MA" "$CANARY/d-twin" "$CANARY/deep/er"
echo 'canary libm' >"$CANARY/lib/$MA/libm.so.6"
echo 'canary data' >"$CANARY/deep/er/data"
# Absolute links in the canary: the very thing fix rewrites, if it got here.
ln -s "/lib/$MA/libm.so.6" "$CANARY/d-twin/libm.so"
ln -s "/lib/$MA/libm.so.6" "$CANARY/lib/$MA/libm.so"
ln -s /deep/er/data "$CANARY/deep/abs"
ln -s ../lib "$CANARY/deep/rel"

mkdir -p "$ROOT/lib/$MA" "$ROOT/usr/lib/$MA" "$ROOT/swap/d" "$ROOT/loop"
echo 'root libm' >"$ROOT/lib/$MA/libm.so.6"
ln -s "/lib/$MA/libm.so.6" "$ROOT/usr/lib/$MA/libm.so"  # fixable
ln -s /loop/b "$ROOT/loop/a"                             # loops
ln -s /loop/a "$ROOT/loop/b"
ln -s self "$ROOT/loop/self"
ln -s ../../../canary "$ROOT/usr/lib/esc-dir"            # `..` escapes
ln -s "../../../../canary/lib/$MA/libm.so" "$ROOT/usr/lib/$MA/esc-link"
ln -s ../../canary/d-twin "$ROOT/swap/esc"
ln -s "$CANARY/lib/$MA/libm.so.6" "$ROOT/usr/lib/abs-out"  # absolute, outside
ln -s "$CANARY" "$ROOT/usr/lib/abs-canary"
ln -s "$CANARY/d-twin/libm.so" "$ROOT/usr/lib/abs-out-link"
ln -s /usr/lib/esc-dir/d-twin/libm.so "$ROOT/usr/lib/through-escape"
# Many fixable links make each run long enough for the swaps to race it.
for ((i = 0; i < 1000; i++)); do
    ln -s "/lib/$MA/libm.so.6" "$ROOT/usr/lib/$MA/libm-$i.so"
done
ln -s "/lib/$MA/libm.so.6" "$ROOT/swap/d/libm.so"

# state DIR: every entry with its type, link target, mode, size, mtime and,
# for files, a content hash.
state() {
    (cd "$1" && find . -printf '%p %y %l %m %s %T@\n' | LC_ALL=C sort)
    (cd "$1" && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
}
canary_before=$(state "$CANARY")
entries=$(find "$CANARY" | wc -l)
echo "canary: $entries entries"

# ---------------------------------------------------------------- the swapper
# swap_loop: runs until $WORK/stop-swapping exists; counts its iterations.
# Each step may lose a race with the fixer, which briefly holds a temporary
# link inside the directory it rewrites (so `rm -rf fd` can find `fd` not
# empty, and then `echo file >fd` meets a directory): a lost step is skipped,
# never fatal, so errexit is off in this loop.
swap_loop() {
    local n=0 rel=../../canary/d-twin
    set +e
    cd "$ROOT/swap" || return 1
    while [[ ! -e $WORK/stop-swapping ]]; do
        # A directory (with an absolute link in it) <-> a link to the canary's
        # twin of it, which holds the same absolute link.
        mv -T d d.dir 2>/dev/null && ln -s "$rel" d 2>/dev/null
        rm -f d 2>/dev/null
        if [[ -d d.dir ]]; then
            ln -sfn "/lib/$MA/libm.so.6" d.dir/libm.so 2>/dev/null
            mv -T d.dir d 2>/dev/null
        fi
        # A file <-> a directory holding an absolute link.
        rm -rf fd 2>/dev/null
        if ((n % 2)); then
            mkdir fd 2>/dev/null && ln -s "/lib/$MA/libm.so.6" fd/l 2>/dev/null
        else
            { echo file >fd; } 2>/dev/null
        fi
        # One link's target: inside, escaping through `..`, absolute outside.
        case $((n % 3)) in
            0) ln -sfn "/lib/$MA/libm.so.6" l 2>/dev/null ;;
            1) ln -sfn ../../canary/lib l 2>/dev/null ;;
            2) ln -sfn "$CANARY/lib/$MA/libm.so" l 2>/dev/null ;;
        esac
        n=$((n + 1))
        echo "$n" >"$WORK/swaps.tmp" && mv "$WORK/swaps.tmp" "$WORK/swaps"
    done
    return 0
}
swapper=
cleanup() {
    touch "$WORK/stop-swapping"
    [[ -n $swapper ]] && wait "$swapper" 2>/dev/null || true
}
trap cleanup EXIT
swap_loop &
swapper=$!

# ---------------------------------------------------------------- the runs
runs=150
mkdir -p "$WORK/runs"
statuses=()
for ((r = 0; r < runs; r++)); do
    set +e
    timeout 60 "$CROSSHIM" sysroot fix "$ROOT" >"$WORK/runs/$r.out" 2>"$WORK/runs/$r.err"
    rc=$?
    set -e
    statuses+=("$rc")
    # 0, or 1 when a rewrite lost a race: never a crash or a hang.
    ((rc <= 1)) || { cat "$WORK/runs/$r.err"; fail "run $r: exit status $rc"; }
    for bad in "Segmentation fault" "LLVM ERROR" "Stack dump" "runtime error:"; do
        expect_not_contains "$(<"$WORK/runs/$r.err")" "$bad" "stderr of run $r"
    done
done
touch "$WORK/stop-swapping"
wait "$swapper"
swapper=
swaps=$(<"$WORK/swaps")
failed=$(printf '%s\n' "${statuses[@]}" | grep -c 1 || true)
echo "sysroot fix runs: $runs ($failed lost a race: exit 1); swapper iterations: $swaps"
((swaps >= 50)) || fail "only $swaps swaps during $runs runs: the race was not exercised"
grep -l "rewrote" "$WORK"/runs/*.out >/dev/null || fail "no run rewrote anything: the tree was not fixable?"

# ---------------------------------------------------------------- outside
canary_after=$(state "$CANARY")
if [[ $canary_after != "$canary_before" ]]; then
    diff <(echo "$canary_before") <(echo "$canary_after") | head -20
    fail "the canary outside DIR changed"
fi
echo "ok: the canary ($entries entries) is unchanged"
# Nothing new next to DIR either.
expect_eq "$(cd "$WORK" && ls -A | LC_ALL=C sort | tr '\n' ' ')" \
    "$(printf '%s\n' canary cargo-home home log root runs stop-swapping swaps tmp | LC_ALL=C sort | tr '\n' ' ')" \
    "the entries of the work directory"
[[ -z $(ls -A "$TMPDIR") ]] || fail "left in TMPDIR: $(ls -A "$TMPDIR")"

# ---------------------------------------------------------------- quiet tree
echo "== the quiet tree: a run settles it, the next changes nothing"
run "$CROSSHIM" sysroot fix "$ROOT"
((RC <= 1)) || fail "settling run: exit status $RC"
expect_eq "$(readlink "$ROOT/usr/lib/$MA/libm-7.so")" "../../../lib/$MA/libm.so.6" "a fixed link"
expect_eq "$(readlink "$ROOT/loop/a")" /loop/b "a loop (left alone)"
expect_eq "$(readlink "$ROOT/usr/lib/esc-dir")" ../../../canary "an escape (left alone)"
expect_eq "$(readlink "$ROOT/usr/lib/abs-out")" "$CANARY/lib/$MA/libm.so.6" "an absolute link outside (left alone)"
root_settled=$(state "$ROOT")
run "$CROSSHIM" sysroot fix "$ROOT"
((RC == 0)) || fail "second run on the quiet tree: exit status $RC"
expect_not_contains "$OUT" "rewrote" "second run"
expect_eq "$(state "$ROOT")" "$root_settled" "DIR after the second run (paths, types, targets, mtimes)"
run "$CROSSHIM" sysroot fix --dry-run --json "$ROOT"
printf '%s\n' "$OUT" >dry.json
# Only links left as they are (warnings); not one rewrite.
ok python3 - dry.json <<'EOF'
import json, sys
findings = json.load(open(sys.argv[1]))["findings"]
bad = [f for f in findings if f["severity"] != "warning"]
assert not bad, bad
EOF
expect_eq "$(state "$CANARY")" "$canary_before" "the canary after the quiet runs"

echo "figures: $runs runs, $swaps swap iterations, $entries canary entries checked"
pass
