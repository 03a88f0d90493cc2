// libFuzzer target: the linker-stderr parser (diag::parseLinkerOutput).
// Besides "no crash, no hang" it checks what linker_output.h promises: every
// string of the result is valid UTF-8 (the report is JSON).
#include "diagnostics/linker_output.h"

#include <llvm/Support/JSON.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void requireUtf8(const std::string &s, const char *field) {
  if (!llvm::json::isUTF8(s)) {
    std::fprintf(stderr, "parseLinkerOutput: %s is not valid UTF-8\n", field);
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace crosshim::diag;
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  for (const LinkerEvent &e : parseLinkerOutput(text)) {
    (void)linkerEventKindName(e.kind);
    (void)linkerFlavorName(e.flavor);
    requireUtf8(e.symbol, "symbol");
    requireUtf8(e.version, "version");
    requireUtf8(e.file, "file");
    requireUtf8(e.detail, "detail");
    for (const SymbolReference &r : e.references) {
      requireUtf8(r.object, "reference object");
      requireUtf8(r.archive, "reference archive");
      requireUtf8(r.function, "reference function");
      requireUtf8(r.source, "reference source");
    }
  }
  return 0;
}
