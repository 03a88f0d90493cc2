// libFuzzer target: GNU ld text scripts as found in library directories
// (diag::parseLinkerScript, diag::looksLikeLinkerScript). Checks what
// linker_script.h promises: never a crash or a loop, and an output no longer
// than the input.
#include "diagnostics/linker_script.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace crosshim::diag;
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  (void)looksLikeLinkerScript(text);
  LinkerScript script = parseLinkerScript(text);
  size_t out = script.outputFormat.size();
  for (const LinkerScriptInput &in : script.inputs) {
    if (in.path.empty())
      std::abort(); // an input names a file
    out += in.path.size();
  }
  if (out > size)
    std::abort();
  return 0;
}
