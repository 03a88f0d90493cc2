// crosshim targets: every row of the target table, with whether this machine
// can compile, link and find a sysroot for it.
#include "cli/commands.h"
#include "shims/config.h"
#include "support/errors.h"
#include "shims/sysroot.h"
#include "shims/targets.h"
#include "shims/toolchain.h"

#include <fmt/format.h>
#include <llvm/Support/raw_ostream.h>

namespace crosshim {

llvm::Expected<int> cmdTargets(CommandArgs args, const Env &env) {
  if (!args.empty())
    return makeError(ExitCode::Usage, "targets takes no arguments");
  auto config = loadConfig(env);
  if (!config)
    return config.takeError();

  llvm::raw_ostream &os = llvm::outs();
  os << fmt::format("{:<32} {:<9} {:<9} {}\n", "TARGET", "COMPILER", "LINKER", "SYSROOT");
  for (const Target &t : allTargets()) {
    TargetSettings settings = config->forTarget(t);
    Toolchain toolchain(settings, config->path, env);
    auto clang = toolchain.find("clang");
    auto lld = toolchain.find("ld.lld");
    auto sysroot = findSysroot(t, settings, config->path, env);
    std::string sysrootText;
    if (sysroot)
      sysrootText = "\u2713 " + layoutName(sysroot->layout).str() + " " + sysroot->path;
    else {
      llvm::consumeError(sysroot.takeError());
      sysrootText = "\u2717 none (crosshim which " + t.rust.str() + "-cc says where it looked)";
    }
    os << fmt::format("{:<32} {:<9} {:<9} {}\n", t.rust.str(), clang ? "\u2713" : "\u2717",
                      lld ? "\u2713" : "\u2717", sysrootText);
    if (!clang)
      os << "    compiler: " << llvm::toString(clang.takeError()) << "\n";
    if (!lld)
      os << "    linker: " << llvm::toString(lld.takeError()) << "\n";
  }
  if (hostTarget())
    os << "\nhost: " << hostTarget()->rust << "\n";
  return 0;
}

} // namespace crosshim
