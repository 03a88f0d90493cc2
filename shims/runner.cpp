#include "shims/runner.h"

#include "support/env.h"
#include "support/errors.h"
#include "support/process.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/Triple.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
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

// Debian's /usr/bin/wine is a script choosing between /usr/lib/wine/wine
// (wine32) and wine64; for a 32-bit program without wine32 it would print a
// hint only when WINEDEBUG allows it, and then fail. The loader it names on
// its `wine32=` line, if it is such a script; empty otherwise.
std::string wine32LoaderOf(const std::string &wine) {
  auto text = llvm::MemoryBuffer::getFile(wine, /*IsText=*/true);
  if (!text || !(*text)->getBuffer().startswith("#!"))
    return {};
  llvm::StringRef rest = (*text)->getBuffer();
  size_t at = rest.find("\nwine32=");
  if (at == llvm::StringRef::npos)
    return {};
  return rest.substr(at + 8).split('\n').first.trim().trim('"').str();
}

llvm::Expected<RunPlan> planWine(const Target &target, const Sysroot &sysroot,
                                 const std::string &program, llvm::ArrayRef<std::string> args,
                                 const Env &env) {
  const std::string pathEnv = env.getOr("PATH");
  auto wine = findInPath("wine", pathEnv);
  if (!wine)
    return makeError(ExitCode::NotFound,
                     "wine is needed to run " + target.rust.str() +
                         " programs and is not on PATH (Debian: apt-get install wine wine64)");
  if (target.pointerBits == 32) {
    std::string loader = wine32LoaderOf(*wine);
    if (!loader.empty() && !llvm::sys::fs::exists(loader))
      return makeError(ExitCode::NotFound,
                       target.rust.str() + " programs need 32-bit wine (" + loader +
                           ", package wine32:i386), which is not installed (Debian: dpkg "
                           "--add-architecture i386 && apt-get update && apt-get install "
                           "wine32:i386)");
  }
  RunPlan plan;
  plan.program = *wine;
  plan.argv = {plan.program, program};
  plan.argv.insert(plan.argv.end(), args.begin() + 1, args.end());
  plan.how = "under wine";
  // wine's own debug chatter would mix with the program's stderr.
  if (!env.get("WINEDEBUG"))
    plan.env.push_back("WINEDEBUG=-all");
  // The MinGW runtime DLLs (libstdc++-6.dll, libgcc_s_seh-1.dll,
  // libwinpthread-1.dll) are not in the prefix: without WINEPATH a
  // dynamically linked program exits 53 and, with WINEDEBUG=-all, says nothing.
  std::vector<std::string> dirs;
  // Wine looks for DLLs on WINEPATH, not on the Unix PATH where build tools
  // put the folders of a build's own DLLs (Meson's `meson test` does, and
  // sets WINEPATH itself only for a wrapper named wine*): such folders, those
  // on PATH holding a .dll, go first.
  for (llvm::StringRef dir : splitPath(pathEnv)) {
    if (!llvm::sys::path::is_absolute(dir) || llvm::is_contained(dirs, dir))
      continue;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (llvm::StringRef(it->path()).endswith_insensitive(".dll")) {
        dirs.push_back(dir.str());
        break;
      }
  }
  if (sysroot.layout == Layout::Mingw) {
    if (!sysroot.gccRuntimeDir.empty())
      dirs.insert(dirs.end(), {sysroot.gccRuntimeDir, sysroot.path + "/lib"});
    else // llvm-mingw keeps libc++.dll and libunwind.dll in <root>/<gnu>/bin
      dirs.push_back(sysroot.path + "/" + target.gnu.str() + "/bin");
  }
  if (!dirs.empty()) {
    std::string winePath = llvm::join(dirs, ";");
    if (auto user = env.get("WINEPATH"))
      winePath += ";" + std::string(*user);
    plan.env.push_back("WINEPATH=" + winePath);
    plan.how += " with WINEPATH=" + winePath;
  }
  return plan;
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
                                llvm::ArrayRef<std::string> args, const Env &env) {
  const std::string pathEnv = env.getOr("PATH");
  if (args.empty() || args.front().empty())
    return makeError(ExitCode::Usage, "nothing to run: give the program and its arguments");
  std::string program = args.front();
  if (program.find('/') == std::string::npos) {
    // A name without a slash is the file of that name in the current
    // directory when there is one, as qemu-user and wine take it: CMake
    // projects write add_test(name ${CMAKE_CROSSCOMPILING_EMULATOR} prog ...)
    // and ctest runs that in the folder holding prog. Otherwise it is looked
    // up on PATH, like a shell.
    if (llvm::sys::fs::is_regular_file(program)) {
      program = "./" + program;
    } else {
      auto found = findInPath(program, pathEnv);
      if (!found)
        return makeError(ExitCode::NotFound, program +
                                                 ": not in the current directory nor on PATH "
                                                 "(give a path, e.g. ./" +
                                                 program + ")");
      program = *found;
    }
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
  if (target.isWindows() && target.emulator == "wine")
    return planWine(target, sysroot, program, args, env);
  if (target.emulator.empty() || target.isWindows())
    return makeError(ExitCode::Failure,
                     "crosshim does not know how to run " + target.rust.str() + " programs here");
  auto qemu = findInPath(target.emulator, pathEnv);
  if (!qemu)
    qemu = findInPath((target.emulator + "-static").str(), pathEnv);
  if (!qemu)
    return makeError(ExitCode::NotFound,
                     target.emulator.str() + " is needed to run " + target.rust.str() +
                         " programs and is not on PATH (Debian: apt-get install qemu-user)");
  plan.program = *qemu;
  plan.argv = {plan.program, "-L", sysroot.path};
  const llvm::Triple triple(target.clang);
  if (triple.isX86() && !llvm::sys::fs::exists(sysroot.path + "/etc/ld.so.cache")) {
    std::string dirs = llvm::join(guestLibraryDirs(target, sysroot), ":");
    if (auto user = env.get("LD_LIBRARY_PATH"))
      dirs += ":" + std::string(*user);
    plan.argv.insert(plan.argv.end(), {"-E", "LD_LIBRARY_PATH=" + dirs});
  }
  plan.argv.push_back(program);
  plan.argv.insert(plan.argv.end(), args.begin() + 1, args.end());
  plan.how = "under " + target.emulator.str() + " -L " + sysroot.path;
  return plan;
}

llvm::Error runOnTarget(const Target &target, const Sysroot &sysroot,
                        llvm::ArrayRef<std::string> args, const Env &env) {
  auto plan = planRun(target, sysroot, args, env);
  if (!plan)
    return plan.takeError();
  return execProgram(plan->program, plan->argv, childEnvironment(env, {}, plan->env));
}

} // namespace crosshim
