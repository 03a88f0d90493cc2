// libFuzzer target: crosshim.toml (parseConfig: toml++ built with
// TOML_EXCEPTIONS=0, then crosshim's own checks), and the merge a shim does
// with what it parsed (Config::forTarget for every known target).
#include "shims/config.h"
#include "shims/targets.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace crosshim;
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  auto config = parseConfig(text, "/fuzz/project/crosshim.toml");
  if (!config) {
    (void)llvm::toString(config.takeError()); // builds the message a user would see
    return 0;
  }
  for (const Target &t : allTargets())
    (void)config->forTarget(t);
  return 0;
}
