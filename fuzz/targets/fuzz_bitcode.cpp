// libFuzzer target: the producer string of LLVM bitcode (bitcodeProducer),
// read from the head of an object a failed link names, which may be anything
// a build tree holds: the 0x0B17C0DE wrapper and its offset and size, the
// IDENTIFICATION block's abbreviations (fixed, VBR, array, char6, blob) and
// records. Then the LLVM major version of the producer, and of raw text (the
// linker's own words go through llvmMajorVersion too).
#include "diagnostics/explain_runtime.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace crosshim::diag;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  const std::string producer = bitcodeProducer(bytes);
  (void)llvmMajorVersion(producer);
  (void)llvmMajorVersion(bytes.take_front(256));
  return 0;
}
