// libFuzzer target: program names (parseProgramName) and the target table
// lookups they use (lookupTarget, findTarget, closestTargetNames), plus
// parseGlibcVersion. Cheap, and the first thing every shim run does.
#include "shims/program_name.h"
#include "shims/targets.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace crosshim;
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);

  if (auto name = parseProgramName(text)) {
    // A shim name must name a known tool and target, and a floor only on glibc.
    if (name->kind != ProgramName::Kind::Main && !name->tool)
      std::abort();
    if (name->kind == ProgramName::Kind::Shim &&
        (!name->target || (name->glibcFloor && !name->target->isGlibc())))
      std::abort();
  } else {
    llvm::consumeError(name.takeError());
  }

  if (auto target = lookupTarget(text)) {
    if (findTarget(text) != &*target)
      std::abort(); // the two lookups must agree
  } else {
    llvm::consumeError(target.takeError());
  }
  (void)closestTargetNames(text);

  if (auto v = parseGlibcVersion(text)) {
    // What parses prints back to something that parses to the same version.
    auto again = parseGlibcVersion(v->str());
    if (!again || !(*again == *v))
      std::abort();
  } else {
    llvm::consumeError(v.takeError());
  }
  return 0;
}
