// libFuzzer target: the COFF reader (diag::readCoff, forEachCoffInBuffer,
// parseDirectives) the way the Windows link diagnostics and the MSVC
// library-name aliases call it: a plain object, import member or PE image,
// or an archive of them, then the .drectve text of each. The seeds (x64, x86
// and arm64 objects with directives, a /bigobj object, import libraries from
// llvm-dlltool and llvm-lib, an archive and a PE image from lld-link) are
// built at fuzz.build time from source: no binary is checked in.
#include "diagnostics/coff.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace crosshim::diag;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  size_t visited = 0;
  forEachCoffInBuffer(bytes, [&](const CoffInput &input) {
    ++visited;
    (void)coffMachineName(input.file.machine);
    for (const Directive &d : parseDirectives(input.file.directives)) {
      // Options come back lower case and end at the first ':'.
      for (char c : d.first)
        if ((c >= 'A' && c <= 'Z') || c == ':')
          std::abort();
    }
    // Only objects carry directives; only import members name a DLL.
    if (input.file.kind != CoffFile::Kind::Object && input.file.kind != CoffFile::Kind::BigObject &&
        !input.file.directives.empty())
      std::abort();
    if (input.file.kind != CoffFile::Kind::Import && !input.file.dll.empty())
      std::abort();
  });
  // A plain file is visited at most once; readCoff agrees with the walk.
  if (!bytes.startswith("!<arch>\n") && visited != (readCoff(bytes) ? 1u : 0u))
    std::abort();
  // The directive parser also takes any text.
  (void)parseDirectives(bytes);
  return 0;
}
