// libFuzzer target: the stamp file (.crosshim-sysroot) of a sysroot, which
// may come from anywhere (an archive, another machine): parseStamp, then
// formatStamp of what it read, which must parse back to the same stamp.
#include "setup/sysroot_create.h"

#include <cstdint>

namespace {
bool same(const crosshim::SysrootStamp &a, const crosshim::SysrootStamp &b) {
  if (a.target != b.target || a.arch != b.arch || a.distro != b.distro || a.mirror != b.mirror ||
      a.with != b.with || a.packages.size() != b.packages.size())
    return false;
  for (size_t i = 0; i < a.packages.size(); ++i)
    if (a.packages[i].name != b.packages[i].name ||
        a.packages[i].version != b.packages[i].version || a.packages[i].arch != b.packages[i].arch)
      return false;
  return true;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace crosshim;
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  auto stamp = parseStamp(text);
  if (!stamp) {
    (void)llvm::toString(stamp.takeError());
    return 0;
  }
  auto back = parseStamp(formatStamp(*stamp));
  if (!back || !same(*stamp, *back))
    __builtin_trap();
  return 0;
}
