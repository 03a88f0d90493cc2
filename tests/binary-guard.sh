#!/usr/bin/env bash
# binary-guard: what every compile pays for before crosshim does any work.
# The shim starts on every compile, so its static constructors run every time
# and its size shows up as page faults. Hand-written readers (archive, COFF,
# bitcode producer) exist so that llvm::object's createBinary, which pulls in
# LLVM's bitcode reader and IR with their cl::opt registrations, stays out.
# This test fails when the binary grows past the recorded bounds or when the
# bitcode reader comes back. With ORDER_FILE (the link's symbol ordering file,
# cli/hot-functions.txt), it also fails when the hot functions no longer sit
# together at most MAX_SPAN bytes apart (the order was lost, or the file no
# longer names the functions this build runs: regenerate it with
# bench/hot-functions.sh).
#   binary-guard.sh CROSSHIM MAX_CONSTRUCTORS MAX_BYTES [ORDER_FILE MAX_SPAN]
set -euo pipefail
bin=$1 max_ctors=$2 max_bytes=$3 order_file=${4:-} max_span=${5:-}
nm_out=$(nm "$bin")
ctors=$(grep -c '_GLOBAL__sub_I' <<<"$nm_out" || true)
bitcode=$(grep -c 'BitcodeReader' <<<"$nm_out" || true)
bytes=$(stat -c %s "$bin")
echo "static constructors: $ctors (at most $max_ctors)"
echo "bitcode reader symbols: $bitcode (none allowed)"
echo "size: $bytes bytes (at most $max_bytes)"
status=0
if ((ctors > max_ctors)); then
  echo "error: $((ctors - max_ctors)) more static constructors run at every compile:" >&2
  grep '_GLOBAL__sub_I' <<<"$nm_out" >&2
  status=1
fi
if ((bitcode > 0)); then
  echo "error: LLVM's bitcode reader is linked into crosshim (llvm::object::createBinary?)" >&2
  status=1
fi
if ((bytes > max_bytes)); then
  echo "error: crosshim grew past $max_bytes bytes; measure the start-up cost (bench/run.sh) and raise the bound in tests/CMakeLists.txt with the figures" >&2
  status=1
fi
if [ -n "$order_file" ]; then
  # Decimal addresses and sizes of the defined code symbols the file names.
  read -r found span < <(nm -S -t d --defined-only "$bin" | awk '
    NR == FNR { if ($0 !~ /^#/ && NF) want[$1] = 1; next }
    NF == 4 && $3 ~ /^[TtWw]$/ && ($4 in want) {
      a = $1 + 0; e = a + $2
      if (!n || a < lo) lo = a
      if (!n || e > hi) hi = e
      n++
      if (!($4 in seen)) { seen[$4] = 1; names++ }
    }
    END { print names + 0, (n ? hi - lo : 0) }' "$order_file" -)
  listed=$(grep -vc '^#' "$order_file" || true)
  echo "hot functions: $found of the $listed listed are in the binary, spanning $span bytes (at most $max_span)"
  if ((found * 2 < listed)); then
    echo "error: most functions of $order_file are not in crosshim; regenerate it with bench/hot-functions.sh" >&2
    status=1
  fi
  if ((span > max_span)); then
    echo "error: the hot functions are spread over $span bytes: crosshim was linked without its symbol order (ld.lld --symbol-ordering-file)?" >&2
    status=1
  fi
fi
exit $status
