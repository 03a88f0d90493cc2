// libFuzzer target: `crosshim init`'s editor of a project's
// .cargo/config.toml (editCargoConfig): toml++ (TOML_EXCEPTIONS=0) on the
// user's text, then crosshim's own line-based reading of it (table headers
// with quoted and dotted keys, comments, the marker blocks of an earlier
// run, key = value lines) and the edit itself, with and without --force,
// and the --dry-run diff. The first byte picks the targets and --force.
#include "setup/cargo_config.h"
#include "shims/targets.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace crosshim;
  if (size == 0)
    return 0;
  const uint8_t pick = data[0];
  llvm::StringRef text(reinterpret_cast<const char *>(data + 1), size - 1);
  std::vector<const Target *> targets;
  const Target *candidates[] = {findTarget("aarch64-unknown-linux-gnu"),
                                findTarget("x86_64-pc-windows-msvc"),
                                findTarget("armv7-unknown-linux-gnueabihf")};
  for (unsigned i = 0; i < 3; ++i)
    if ((pick & (1u << i)) && candidates[i])
      targets.push_back(candidates[i]);
  if (targets.empty() && candidates[0])
    targets.push_back(candidates[0]);
  const bool force = pick & 0x80;
  auto edit = editCargoConfig(text, "/fuzz/.cargo/config.toml",
                              cargoEntriesFor(targets, "/fuzz/names"), force);
  if (!edit) {
    (void)llvm::toString(edit.takeError());
    return 0;
  }
  (void)unifiedDiff(text, edit->text, "/fuzz/.cargo/config.toml", "/fuzz/.cargo/config.toml");
  // A second run over crosshim's own output replaces its block: it must
  // accept what it wrote.
  auto again = editCargoConfig(edit->text, "/fuzz/.cargo/config.toml",
                               cargoEntriesFor(targets, "/fuzz/names"), force);
  if (!again)
    __builtin_trap();
  return 0;
}
