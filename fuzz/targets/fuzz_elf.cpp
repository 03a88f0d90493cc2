// libFuzzer target: the ELF reader (diag::readElf) with and without the
// dynamic symbols, the way the audit and the symbol index call it.
// The seeds (tiny objects, executables and shared libraries for several
// machines, classes and endiannesses) are built at fuzz.build time from
// source: no binary is checked in.
#include "diagnostics/elf.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace crosshim::diag;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::MemoryBufferRef buffer(bytes, "fuzz.so");
  auto withSymbols = readElf(buffer, /*readSymbols=*/true);
  auto without = readElf(buffer, /*readSymbols=*/false);
  if (withSymbols && !without)
    std::abort(); // the headers alone are less to read: they cannot fail where all succeeds
  if (withSymbols && without) {
    // Reading the symbols must not change what the headers say.
    if (withSymbols->machine != without->machine || withSymbols->needed != without->needed ||
        withSymbols->interp != without->interp || !without->dynamicSymbols.empty())
      std::abort();
    (void)machineName(withSymbols->machine);
  }
  if (!withSymbols)
    llvm::consumeError(withSymbols.takeError());
  if (!without)
    llvm::consumeError(without.takeError());
  return 0;
}
