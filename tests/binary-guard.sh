#!/usr/bin/env bash
# binary-guard: what every compile pays for before crosshim does any work.
# The shim starts on every compile, so its static constructors run every time
# and its size shows up as page faults. Hand-written readers (archive, COFF,
# bitcode producer) exist so that llvm::object's createBinary, which pulls in
# LLVM's bitcode reader and IR with their cl::opt registrations, stays out.
# This test fails when the binary grows past the recorded bounds or when the
# bitcode reader comes back.
#   binary-guard.sh CROSSHIM MAX_CONSTRUCTORS MAX_BYTES
set -euo pipefail
bin=$1 max_ctors=$2 max_bytes=$3
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
exit $status
