#!/usr/bin/env bash
# One ctest fuzz.<target>: runs the libFuzzer target for a bounded time on a
# fresh copy of its seed corpus (checked-in text seeds from fuzz/corpus/<target>
# plus the seeds fuzz.build generated), everything under the build folder.
# Fails on any crash, sanitizer report, leak, out-of-memory or slow input; the
# input that did it is printed (hex) and kept in <build>/fuzz/work/<target>/artifacts.
# Usage: run.sh TARGET   (environment: CROSSHIM_FUZZ_DIR, CROSSHIM_FUZZ_SOURCE_DIR,
#                         CROSSHIM_FUZZ_SECONDS)
set -euo pipefail
t=$1
dir=${CROSSHIM_FUZZ_DIR:?} src=${CROSSHIM_FUZZ_SOURCE_DIR:?} secs=${CROSSHIM_FUZZ_SECONDS:-15}
bin=$dir/fuzz_$t

if [ ! -x "$bin" ]; then
  why=$(cat "$dir/SKIPPED" 2>/dev/null || echo "$bin was not built")
  echo "fuzz.$t: $why" >&2
  if [ -n "${CI:-}" ]; then exit 1; fi
  exit 77
fi

# Longest input per target: enough for the structures each parser reads
# (the ELF and archive seeds are under 4 KiB), short enough to stay fast.
case $t in
  program_name) max_len=256 ;;
  elf | symbol_index | coff) max_len=16384 ;;
  linker_output | bitcode) max_len=8192 ;;
  *) max_len=4096 ;;
esac

work=$dir/work/$t
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts" "$work/tmp"
for seeds in "$src/fuzz/corpus/$t" "$dir/seeds/$t"; do
  if [ -d "$seeds" ]; then cp -R "$seeds/." "$work/corpus/"; fi
done
dict=()
if [ -f "$src/fuzz/dict/$t.dict" ]; then dict=(-dict="$src/fuzz/dict/$t.dict"); fi

export TMPDIR=$work/tmp
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
rc=0
# -timeout: one input taking 30 s is a hang (10 s gave false alarms on a loaded
# 2-core machine: a 20 ms input was once stalled for 13 s); -rss_limit_mb: memory blow-up.
"$bin" -max_total_time="$secs" -max_len="$max_len" -timeout=30 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "${dict[@]}" "$work/corpus" \
  >"$work/fuzz.log" 2>&1 || rc=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log" | tail -1)
if [ "$rc" -eq 0 ]; then
  echo "fuzz.$t: ${runs:-?} inputs in ${secs}s, corpus $(find "$work/corpus" -type f | wc -l) files, no failure"
  exit 0
fi
echo "fuzz.$t: FAILED (libFuzzer exit $rc) after ${runs:-?} inputs; log: $work/fuzz.log" >&2
tail -n 60 "$work/fuzz.log" >&2
for a in "$work"/artifacts/*; do
  [ -f "$a" ] || continue
  echo "--- $a ($(wc -c <"$a") bytes); reproduce: $bin $a" >&2
  od -A d -c "$a" | head -n 40 >&2
done
exit 1
