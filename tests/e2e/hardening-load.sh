#!/usr/bin/env bash
# hardening-load: `cargo build -j` style parallelism. 200 shim invocations
# started at once (xargs -P), mixing names (<triple>-cc, <triple>-c++,
# <gnu>-g++, <triple>-ar, <triple>-nm) and targets (aarch64, armv7, i686),
# compiling and linking small real C and C++ programs with the real clang and
# lld. About one in seven is a link with a ~1.2 MB argv, which the shim passes
# to clang as a response file in a private TempDir: that path runs under load
# too. Every invocation must succeed with an empty stderr and a correct output
# (ELF machine and class of each object, archive member and program; nm's
# listing), and afterwards the test-owned TMPDIR must be empty and no process
# started by the test may be left running. All of them read one crosshim.toml.
# The figures (invocations, peak concurrency, wall time) are printed at the
# end, on the FIGURES line, for docs/reliability.md.
source "$(dirname "$0")/common.sh"

ARCHES=(aarch64 armv7 i686)
KINDS=(cc-compile cc-link cxx-compile cxx-link ar nm long-link)
INVOCATIONS=200
PARALLEL=200 # all at once: the point is to race on shared state

need_stage
need_cmd xargs
need_cmd readelf
for a in "${ARCHES[@]}"; do
    arch_info "$a"
    need_cross_packages
done

# Every invocation reads the same crosshim.toml (found from the current
# directory, $WORK): `llvm` names the LLVM the shim would find anyway, so the
# config is read under load without changing the outputs.
ok "$CROSSHIM" explain-args aarch64-unknown-linux-gnu-cc -c x.c
real_clang=$(sed -n 's/^program: \([^ ]*\) .*/\1/p' <<<"$OUT")
[[ -x $real_clang ]] || fail "explain-args gave no program"
llvm_prefix=$(dirname "$(dirname "$(readlink -f "$real_clang")")")
for t in clang ld.lld llvm-ar llvm-nm; do need_path "$llvm_prefix/bin/$t"; done
printf 'llvm = %s\n' "$(toml_str "$llvm_prefix")" >crosshim.toml
ok "$CROSSHIM" explain-args aarch64-unknown-linux-gnu-cc -c x.c
expect_contains "$OUT" "$WORK/crosshim.toml" "explain-args with the config"

write_hello_c hello.c
write_hello_cpp hello.cpp
mkdir -p pre out res
# One object per target for the ar, nm and long-link jobs, made before the
# load (sequentially, so a failure here is not blamed on the load).
for a in "${ARCHES[@]}"; do
    arch_info "$a"
    ok "$SHIMS/$TRIPLE-cc" -O2 -c hello.c -o "pre/$TRIPLE.o"
    expect_machine "pre/$TRIPLE.o" "$MACHINE" "$CLASS"
done
# The long argv: 4500 -L arguments naming one existing directory.
longdir=$WORK/$(printf 'long-directory-name-%.0s' {1..6})
mkdir -p "$longdir"

cat >job.sh <<'EOF'
#!/usr/bin/env bash
# job.sh ID TRIPLE GNU MACHINE CLASS KIND: one invocation of the load test.
# Leaves res/ID.ok, or res/ID.fail with the reason.
set -u
id=$1 triple=$2 gnu=$3 machine=$4 class=$5 kind=$6
res=$WORK/res/$id out=$WORK/out/$id
bad() {
    printf '%s %s %s: %s\n' "$id" "$triple" "$kind" "$*" >"$res.fail"
    exit 1
}
file=$out
case $kind in
    cc-compile) cmd=("$SHIMS/$triple-cc" -O2 -c "$WORK/hello.c" -o "$out.o") file=$out.o ;;
    cc-link) cmd=("$SHIMS/$triple-cc" "$WORK/hello.c" -lm -o "$out") ;;
    cxx-compile) cmd=("$SHIMS/$triple-c++" -O2 -c "$WORK/hello.cpp" -o "$out.o") file=$out.o ;;
    cxx-link) cmd=("$SHIMS/$gnu-g++" "$WORK/hello.cpp" -o "$out") ;;
    ar) cmd=("$SHIMS/$triple-ar" rcs "$out.a" "$WORK/pre/$triple.o") file=$out.a ;;
    nm) cmd=("$SHIMS/$triple-nm" "$WORK/pre/$triple.o") file= ;;
    long-link)
        cmd=("$SHIMS/$triple-cc" "$WORK/pre/$triple.o")
        for ((i = 0; i < 4500; i++)); do cmd+=("-L$LONGDIR/../${LONGDIR##*/}"); done
        cmd+=(-lm -o "$out") ;;
    *) bad "unknown kind" ;;
esac
# The long links log, to show that the shim took its response-file path.
start=$(date +%s.%N)
log=()
[[ $kind != long-link ]] || log=(env "CROSSHIM_LOG=$res.log")
"${log[@]}" "${cmd[@]}" >"$res.out" 2>"$res.err"
rc=$?
((rc == 0)) || bad "exit status $rc: $(head -c 400 "$res.err")"
[[ ! -s $res.err ]] || bad "stderr: $(head -c 400 "$res.err")"
if [[ $kind == long-link ]]; then
    grep -qF "command too long; passing @$TMPDIR/crosshim-" "$res.log" ||
        bad "the shim did not pass a response file from TMPDIR: $(head -c 300 "$res.log")"
fi
if [[ -z $file ]]; then
    grep -q ' T main$' "$res.out" || bad "nm output has no ' T main': $(head -c 200 "$res.out")"
else
    [[ -f $file ]] || bad "no output file $file"
    # For an archive readelf prints one header per member.
    machines=$(readelf -h "$file" | sed -n 's/^ *Machine: *//p' | sort -u)
    classes=$(readelf -h "$file" | sed -n 's/^ *Class: *//p' | sort -u)
    [[ $machines == "$machine" && $classes == "$class" ]] ||
        bad "$file is '$machines' '$classes', expected '$machine' '$class'"
    case $kind in
        *link) readelf -h "$file" | grep -Eq 'Type: +(EXEC|DYN)' || bad "$file is not a program" ;;
    esac
fi
echo "$start $(date +%s.%N)" >"$res.ok"
EOF

# The job list: arch i % 3, kind i % 7 (coprime: every pair occurs).
for ((i = 0; i < INVOCATIONS; i++)); do
    arch_info "${ARCHES[i % ${#ARCHES[@]}]}"
    printf '%03d %s %s %q %s %s\n' "$i" "$TRIPLE" "$GNU" "$MACHINE" "$CLASS" "${KINDS[i % ${#KINDS[@]}]}"
done >jobs.txt
long_jobs=$(grep -c ' long-link$' jobs.txt)

export WORK SHIMS LONGDIR=$longdir
echo "== $INVOCATIONS invocations, $PARALLEL at a time ($long_jobs with a ~1.2 MB argv)"
t0=$(date +%s.%N)
set +e
xargs -P "$PARALLEL" -L 1 bash "$WORK/job.sh" <jobs.txt
xargs_rc=$?
set -e
t1=$(date +%s.%N)
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')

okays=(res/*.ok)
fails=(res/*.fail)
echo "  $((${#okays[@]})) ok, ${#fails[@]} failed, wall time ${wall}s (xargs status $xargs_rc)"
if ((${#fails[@]} > 0)); then
    cat "${fails[@]}" | head -n 20
    fail "${#fails[@]} of $INVOCATIONS invocations failed"
fi
expect_eq "${#okays[@]}" "$INVOCATIONS" "number of invocations that succeeded"
expect_eq "$xargs_rc" 0 "xargs status"
# How many ran at the same time (from each job's start and end): the load
# must really be concurrent, not 200 jobs one after the other.
peak=$(cat res/*.ok | awk '{ print $1, 1; print $2, -1 }' | sort -k1,1n -k2,2n |
    awk '{ n += $2; if (n > max) max = n } END { print max + 0 }')
echo "  peak concurrency: $peak"
((peak >= 25)) || fail "only $peak invocations ran at the same time"

echo "== nothing left behind"
left=$(find "$TMPDIR" -mindepth 1 | head -n 20)
[[ -z $left ]] || fail "left in TMPDIR after the load:"$'\n'"$left"
# No process whose command line names this test's folder (clang, lld, a
# shim) may still run: every child was waited for.
stray=()
for p in /proc/[0-9]*; do
    [[ ${p#/proc/} != "$$" && ${p#/proc/} != "$BASHPID" ]] || continue
    if tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "$WORK/"; then
        stray+=("${p#/proc/}: $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null | cut -c1-160)")
    fi
done
((${#stray[@]} == 0)) || fail "processes left running:"$'\n'"$(printf '  %s\n' "${stray[@]}")"

echo "== a sample of the programs runs"
for a in "${ARCHES[@]}"; do
    arch_info "$a"
    id=$(awk -v t="$TRIPLE" '$2 == t && $NF == "cc-link" { print $1; exit }' jobs.txt)
    run_on_target "$CROSS_ROOT" "out/$id" 2
    if [[ $CLASS == ELF64 ]]; then want=$HELLO_C_LINE_64; else want=$HELLO_C_LINE_32; fi
    expect_eq "$OUT" "$want" "output of out/$id ($a)"
    id=$(awk -v t="$TRIPLE" '$2 == t && $NF == "cxx-link" { print $1; exit }' jobs.txt)
    run_on_target "$CROSS_ROOT" "out/$id" 4 5 6
    expect_eq "$OUT" "$HELLO_CPP_LINE" "output of out/$id ($a)"
done

echo "FIGURES: $INVOCATIONS invocations ($long_jobs long links), xargs -P $PARALLEL, peak concurrency $peak, wall time ${wall}s, $(nproc) CPUs"
pass
