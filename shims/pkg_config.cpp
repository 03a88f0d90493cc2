#include "shims/pkg_config.h"

#include "shims/args.h"
#include "shims/config.h"
#include "support/env.h"
#include "support/errors.h"
#include "shims/masquerade.h"
#include "support/process.h"
#include "shims/toolchain.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/Path.h>

namespace crosshim {

PkgConfigSearch pkgConfigSearch(const Target &target, const Sysroot &sysroot) {
  PkgConfigSearch search;
  const std::string ma = target.multiarch.str();
  switch (sysroot.layout) {
  case Layout::Host:
    search.passThrough = true;
    return search;
  case Layout::DebianCross: {
    // /usr/<gnu> holds only the C library; the target's -dev packages
    // (libsqlite3-dev:arm64) put their .pc files in /usr/lib/<multiarch>,
    // with /usr paths that are right as they are: no sysroot prefix. The
    // arch-independent /usr/share/pkgconfig is what Debian's own
    // <gnu>-pkg-config reads too.
    llvm::StringRef parent = llvm::sys::path::parent_path(sysroot.path);
    search.libdirs = {sysroot.path + "/lib/pkgconfig", parent.str() + "/lib/" + ma + "/pkgconfig",
                      parent.str() + "/share/pkgconfig"};
    return search;
  }
  case Layout::DebianMusl:
    // /usr/lib/<musl-multiarch> in the host's tree: only its own .pc files;
    // /usr/share/pkgconfig belongs to the host's glibc headers.
    search.libdirs = {(sysroot.libDir.empty() ? sysroot.path : sysroot.libDir) + "/pkgconfig"};
    return search;
  case Layout::Mingw:
    // Debian's mingw-w64 -dev packages (libz-mingw-w64-dev) keep .pc files in
    // /usr/<gnu>/lib/pkgconfig naming /usr/<gnu> paths in full: no prefix.
    search.libdirs = {sysroot.path + "/lib/pkgconfig", sysroot.path + "/share/pkgconfig"};
    return search;
  case Layout::MsvcXwin:
  case Layout::MsvcWinsysroot:
  case Layout::MacSdk:
    // The Microsoft and Apple SDKs have no .pc files: only PKG_CONFIG_PATH's.
    return search;
  case Layout::Musl:
  case Layout::Multiarch:
  case Layout::Plain:
    break;
  }
  // A root of the target: its .pc files name /usr/... as the target sees it.
  if (sysroot.path == "/") {
    // The build machine's own tree (libc6-dev:<arch> installed on the host):
    // only the target's multiarch directory, never the host's /usr/lib/pkgconfig.
    search.libdirs = {"/usr/lib/" + ma + "/pkgconfig", "/usr/share/pkgconfig"};
    return search;
  }
  if (sysroot.layout != Layout::Musl)
    search.libdirs.push_back(sysroot.path + "/usr/lib/" + ma + "/pkgconfig");
  search.libdirs.push_back(sysroot.path + "/usr/lib/pkgconfig");
  search.libdirs.push_back(sysroot.path + "/usr/share/pkgconfig");
  search.sysrootDir = sysroot.path;
  return search;
}

PkgConfigEnv pkgConfigEnvironment(const PkgConfigSearch &search) {
  PkgConfigEnv env;
  if (search.passThrough)
    return env;
  env.set.push_back("PKG_CONFIG_LIBDIR=" + llvm::join(search.libdirs, ":"));
  if (search.sysrootDir.empty())
    env.unset.push_back("PKG_CONFIG_SYSROOT_DIR");
  else
    env.set.push_back("PKG_CONFIG_SYSROOT_DIR=" + search.sysrootDir);
  env.unset.push_back("PKG_CONFIG_PATH");
  return env;
}

llvm::Expected<std::string> findSystemPkgConfig(llvm::StringRef pathEnv, llvm::StringRef self) {
  for (llvm::StringRef name : {"pkg-config", "pkgconf"}) {
    auto found = findRealTool(name, pathEnv, self);
    if (found)
      return found;
    llvm::consumeError(found.takeError());
  }
  return makeError(ExitCode::NotFound, "neither pkg-config nor pkgconf is on PATH (besides "
                                       "crosshim); Debian: apt-get install pkgconf");
}

llvm::Expected<PkgConfigPlan> planPkgConfig(const Target &target, const Sysroot &sysroot,
                                            llvm::ArrayRef<std::string> args,
                                            llvm::StringRef pathEnv, llvm::StringRef self) {
  auto program = findSystemPkgConfig(pathEnv, self);
  if (!program)
    return program.takeError();
  PkgConfigPlan plan;
  plan.program = *program;
  // argv[0] is the real program, not our name: pkgconf picks a "personality"
  // (its own search and system directories) from an argv[0] of the form
  // <triplet>-pkg-config, and those would be the build machine's guesses.
  plan.argv.push_back(*program);
  plan.argv.insert(plan.argv.end(), args.begin(), args.end());
  plan.sysroot = sysroot;
  plan.search = pkgConfigSearch(target, sysroot);
  plan.env = pkgConfigEnvironment(plan.search);
  return plan;
}

llvm::Expected<PkgConfigPlan>
planPkgConfigForTarget(const Target &target, llvm::ArrayRef<std::string> args, const Env &env) {
  auto config = loadConfig(env);
  if (!config)
    return config.takeError();
  auto sysroot = findSysroot(target, config->forTarget(target), config->path, env);
  if (!sysroot)
    return sysroot.takeError();
  return planPkgConfig(target, *sysroot, args, env.getOr("PATH"), selfExecutable());
}

std::string pkgConfigCommandLine(const PkgConfigPlan &plan) {
  std::vector<std::string> words;
  if (!plan.env.set.empty() || !plan.env.unset.empty()) {
    words.push_back("env");
    for (const std::string &name : plan.env.unset) {
      words.push_back("-u");
      words.push_back(name);
    }
    words.insert(words.end(), plan.env.set.begin(), plan.env.set.end());
  }
  words.insert(words.end(), plan.argv.begin(), plan.argv.end());
  return shellJoin(words);
}

void describePkgConfig(const PkgConfigPlan &plan, llvm::raw_ostream &os) {
  os << "  runs:    " << plan.program << "\n  found:   PATH, skipping crosshim\n";
  os << "  sysroot: " << plan.sysroot.path << " [" << describeLayout(plan.sysroot) << "]\n";
  if (!plan.sysroot.source.empty())
    os << "  from:    " << plan.sysroot.source << "\n";
  if (plan.search.passThrough) {
    os << "  env:     unchanged (the host's own pkg-config search path)\n";
    return;
  }
  const char *label = "  env:     ";
  for (const std::string &s : plan.env.set) {
    os << label << s << "\n";
    label = "           ";
  }
  for (const std::string &name : plan.env.unset) {
    os << "  unsets:  " << name;
    if (name == "PKG_CONFIG_PATH")
      os << " (it would add the build machine's .pc files)";
    else if (name == "PKG_CONFIG_SYSROOT_DIR")
      os << " (these .pc files name their real paths)";
    os << "\n";
  }
}

llvm::Error runPkgConfig(const Target &target, llvm::ArrayRef<std::string> args, const Env &env) {
  auto depth = checkRecursionDepth(env);
  if (!depth)
    return depth.takeError();
  auto plan = planPkgConfigForTarget(target, args, env);
  if (!plan)
    return plan.takeError();
  if (env.flag("CROSSHIM_DRY_RUN")) {
    llvm::outs() << pkgConfigCommandLine(*plan) << "\n";
    llvm::outs().flush();
    std::exit(0);
  }
  std::vector<std::string> set = plan->env.set;
  set.push_back("CROSSHIM_DEPTH=" + std::to_string(*depth + 1));
  return execProgram(plan->program, plan->argv, childEnvironment(env, plan->env.unset, set));
}

} // namespace crosshim
