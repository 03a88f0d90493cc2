// crosshim run --target T [--sysroot DIR] [--] PROGRAM [ARGS...], and the
// `<triple>-run PROGRAM [ARGS...]` name: run a program built for T (runner.h).
#include "cli/commands.h"

#include "shims/args.h"
#include "shims/runner.h"
#include "support/errors.h"

#include "shims/config.h"
#include "shims/shim.h"
#include "support/env.h"

#include <llvm/Support/raw_ostream.h>

#include <optional>

namespace crosshim {
namespace {

void printRunHelp(llvm::raw_ostream &os) {
  os << "usage: crosshim " << synopsisOf("run") << "\n"
     << "       <triple>-run PROGRAM [ARGS...]   (e.g. aarch64-unknown-linux-gnu-run)\n\n"
        "Runs PROGRAM, built for target T: natively when this machine can (its own target,\n"
        "and x86_64 musl on x86_64), else under qemu-user with T's sysroot as the prefix\n"
        "(qemu-<arch> -L SYSROOT); Windows programs under wine, with WINEDEBUG=-all unless\n"
        "set and the folders on PATH that hold a .dll (a build's own DLLs), then the MinGW\n"
        "runtime DLL folders (GCC runtime, SYSROOT/lib) put before WINEPATH. The sysroot is the "
        "one the shims use (crosshim which <triple>-cc shows\n"
        "it), or DIR. The exit status is PROGRAM's. i686 Windows programs need wine32.\n"
        "This is what cargo's runner, CMAKE_CROSSCOMPILING_EMULATOR and Meson's\n"
        "exe_wrapper call.\n\n"
        "  --target T     the target (crosshim targets lists them); default CROSSHIM_TARGET\n"
        "  --sysroot DIR  the sysroot to run against\n\n"
        "With CROSSHIM_DRY_RUN=1 the command is printed instead of run.\n"
        "Exit status: PROGRAM's; 127 when PROGRAM or the emulator (qemu-user, wine, wine32)\n"
        "is not there (the package to install is named), 2 for usage errors, 1 when the\n"
        "target has no sysroot.\n";
}

llvm::Error usage(const std::string &message) {
  return makeError(ExitCode::Usage,
                   message + " (usage: crosshim " + synopsisOf("run") + "; crosshim run --help)");
}

} // namespace

llvm::Error runProgramFor(const Target &target, std::optional<std::string> sysrootDir,
                          llvm::ArrayRef<std::string> args, const Env &env) {
  Sysroot sysroot;
  if (sysrootDir) {
    sysroot = classifySysroot(target, *sysrootDir);
  } else if (!hostRunsNatively(target)) {
    auto config = loadConfig(env);
    if (!config)
      return config.takeError();
    auto found = findSysroot(target, config->forTarget(target), config->path, env);
    if (!found)
      return found.takeError();
    sysroot = std::move(*found);
  }
  if (env.flag("CROSSHIM_DRY_RUN")) {
    auto plan = planRun(target, sysroot, args, env);
    if (!plan)
      return plan.takeError();
    if (!plan->env.empty()) // what the runner sets, as a shell would take it
      llvm::outs() << shellJoin(plan->env) << " ";
    llvm::outs() << shellJoin(plan->argv) << "\n";
    llvm::outs().flush();
    std::exit(0);
  }
  return runOnTarget(target, sysroot, args, env);
}

llvm::Expected<int> cmdRun(CommandArgs args, const Env &env) {
  std::optional<std::string> targetName, sysroot;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "-h" || a == "--help") {
      printRunHelp(llvm::outs());
      return 0;
    }
    if (isOption(a, "--target")) {
      if (!(targetName = optionValue(args, i, "--target")))
        return usage("--target needs a value");
    } else if (isOption(a, "--sysroot")) {
      if (!(sysroot = optionValue(args, i, "--sysroot")))
        return usage("--sysroot needs a value");
    } else if (a.startswith("-")) {
      return usage("run: unknown option '" + a.str() + "'");
    } else {
      break;
    }
  }
  if (!targetName)
    if (auto fromEnv = env.get("CROSSHIM_TARGET"))
      targetName = std::string(*fromEnv);
  if (!targetName)
    return usage("run needs --target (crosshim targets lists them)");
  auto target = lookupTarget(*targetName);
  if (!target)
    return target.takeError();
  if (i >= args.size())
    return usage("run needs the program to run");
  if (auto err = runProgramFor(*target, sysroot, args.drop_front(i), env))
    return err;
  return 0; // not reached: the program replaced us
}

} // namespace crosshim
