#include "runner.h"

#include "env.h"
#include "errors.h"
#include "process.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/Triple.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Program.h>

namespace crosshim {
namespace {

std::vector<llvm::StringRef> splitPath(llvm::StringRef pathEnv) {
  llvm::SmallVector<llvm::StringRef, 16> parts;
  pathEnv.split(parts, ':', -1, /*KeepEmpty=*/false);
  return {parts.begin(), parts.end()};
}

// The sysroot's library directories as the guest sees them (qemu's -L
// prefix maps them into the sysroot).
std::vector<std::string> guestLibraryDirs(const Target &target, const Sysroot &sysroot) {
  if (sysroot.layout == Layout::DebianCross)
    return {"/lib"};
  const std::string ma = target.multiarch.str();
  return {"/lib/" + ma, "/usr/lib/" + ma, "/lib", "/usr/lib"};
}

} // namespace

bool hostRunsNatively(const Target &target) {
  const Target *host = hostTarget();
  if (!host)
    return false;
  if (&target == host)
    return true;
  // musl programs on a glibc host of the same architecture: static ones need
  // nothing, dynamic ones the musl loader (musl's package installs it).
  return target.isMusl() &&
         llvm::Triple(target.clang).getArch() == llvm::Triple(host->clang).getArch();
}

llvm::Expected<RunPlan> planRun(const Target &target, const Sysroot &sysroot,
                                llvm::ArrayRef<std::string> args, llvm::StringRef pathEnv) {
  if (args.empty() || args.front().empty())
    return makeError(ExitCode::Usage, "nothing to run: give the program and its arguments");
  std::string program = args.front();
  if (program.find('/') == std::string::npos) {
    // Like a shell: a name without a slash is looked up on PATH.
    auto found = llvm::sys::findProgramByName(program, splitPath(pathEnv));
    if (!found)
      return makeError(ExitCode::NotFound,
                       program + ": not found on PATH (give a path, e.g. ./" + program + ")");
    program = *found;
  } else if (!llvm::sys::fs::exists(program)) {
    return makeError(ExitCode::NotFound, program + ": no such file");
  }

  RunPlan plan;
  if (hostRunsNatively(target)) {
    plan.program = program;
    plan.argv.assign(args.begin(), args.end());
    plan.argv.front() = program;
    plan.how = "natively";
    return plan;
  }
  if (target.emulator.empty() || target.isWindows())
    return makeError(ExitCode::Failure,
                     "crosshim does not know how to run " + target.rust.str() + " programs here");
  auto qemu = llvm::sys::findProgramByName(target.emulator, splitPath(pathEnv));
  if (!qemu)
    qemu = llvm::sys::findProgramByName((target.emulator + "-static").str(), splitPath(pathEnv));
  if (!qemu)
    return makeError(ExitCode::NotFound,
                     target.emulator.str() + " is needed to run " + target.rust.str() +
                         " programs and is not on PATH (Debian: apt-get install qemu-user)");
  plan.program = *qemu;
  plan.argv = {plan.program, "-L", sysroot.path};
  const llvm::Triple triple(target.clang);
  if (triple.isX86() && !llvm::sys::fs::exists(sysroot.path + "/etc/ld.so.cache")) {
    std::string dirs = llvm::join(guestLibraryDirs(target, sysroot), ":");
    if (auto user = envVar("LD_LIBRARY_PATH"); user && !user->empty())
      dirs += ":" + *user;
    plan.argv.insert(plan.argv.end(), {"-E", "LD_LIBRARY_PATH=" + dirs});
  }
  plan.argv.push_back(program);
  plan.argv.insert(plan.argv.end(), args.begin() + 1, args.end());
  plan.how = "under " + target.emulator.str() + " -L " + sysroot.path;
  return plan;
}

llvm::Error runOnTarget(const Target &target, const Sysroot &sysroot,
                        llvm::ArrayRef<std::string> args) {
  auto plan = planRun(target, sysroot, args, envOr("PATH"));
  if (!plan)
    return plan.takeError();
  return execProgram(plan->program, plan->argv, childEnvironment({}, plan->env));
}

} // namespace crosshim
