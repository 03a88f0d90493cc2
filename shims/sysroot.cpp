#include "shims/sysroot.h"

#include "support/env.h"
#include "support/errors.h"
#include "support/fs.h"
#include "support/version.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace crosshim {
namespace {

bool exists(const llvm::Twine &path) {
  return llvm::sys::fs::exists(path);
}

// A GCC runtime dir name ("12-win32", "10-posix", "12.2.0") as comparable
// numbers plus a rank for the thread model: -win32 is what Debian's mingw-w64
// gcc uses by default, so it wins a tie with -posix.
std::pair<std::vector<unsigned>, int> gccDirKey(llvm::StringRef name) {
  auto [version, suffix] = name.split('-');
  std::vector<unsigned> numbers = versionKey(version, NonNumeric::Reject);
  if (numbers.empty())
    return {{}, 0};
  return {numbers, suffix == "win32" ? 2 : suffix.empty() ? 1 : 0};
}

} // namespace

std::string findMingwGccRuntime(llvm::StringRef gccRoot) {
  std::string best;
  std::pair<std::vector<unsigned>, int> bestKey;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(gccRoot, ec), end; !ec && it != end; it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    auto key = gccDirKey(name);
    if (key.first.empty() || !exists(it->path() + "/libgcc.a"))
      continue;
    if (best.empty() || key > bestKey || (key == bestKey && name < llvm::StringRef(best))) {
      bestKey = key;
      best = it->path();
    }
  }
  return best;
}

llvm::StringRef layoutName(Layout layout) {
  switch (layout) {
  case Layout::Host:
    return "host";
  case Layout::Multiarch:
    return "multiarch";
  case Layout::DebianCross:
    return "debian-cross";
  case Layout::DebianMusl:
    return "debian-musl";
  case Layout::Musl:
    return "musl";
  case Layout::Mingw:
    return "mingw";
  case Layout::MsvcXwin:
    return "msvc-xwin";
  case Layout::MsvcWinsysroot:
    return "msvc-winsysroot";
  case Layout::MacSdk:
    return "macos-sdk";
  case Layout::Plain:
    return "plain";
  }
  return "unknown";
}

std::string describeLayout(const Sysroot &sysroot) {
  std::string text = layoutName(sysroot.layout).str();
  if (sysroot.layout == Layout::Multiarch && sysroot.path != "/")
    text += sysroot.mergedUsr ? ", merged /usr" : ", split /usr";
  if (sysroot.layout == Layout::MacSdk && !sysroot.sdkVersion.empty())
    text += " " + sysroot.sdkVersion;
  if (sysroot.layout == Layout::DebianMusl && !sysroot.gccRuntimeDir.empty())
    text += ", GCC runtime " + sysroot.gccRuntimeDir;
  if (sysroot.layout == Layout::Mingw)
    text += sysroot.gccRuntimeDir.empty() ? ", no GCC runtime (llvm-mingw style)"
                                          : ", GCC runtime " + sysroot.gccRuntimeDir;
  return text;
}

std::string userSysrootDir(const Target &target, const Env &env) {
  std::string base = env.getOr("XDG_DATA_HOME");
  if (base.empty()) {
    std::string home = env.getOr("HOME");
    if (home.empty())
      return {};
    base = home + "/.local/share";
  }
  return base + "/crosshim/sysroots/" + target.rust.str();
}

Sysroot classifySysroot(const Target &target, llvm::StringRef givenPath) {
  // "/usr/aarch64-linux-gnu/" and "/usr/aarch64-linux-gnu" are the same place.
  llvm::StringRef path = givenPath.size() > 1 ? givenPath.rtrim('/') : givenPath;
  if (path.empty())
    path = "/";
  Sysroot s;
  s.path = path.str();
  s.mergedUsr = isSymlink(s.path + "/lib");
  const std::string multiarch = target.multiarch.str();
  if (target.isMsvc()) {
    s.mergedUsr = false;
    classifyMsvcSysroot(target, path, s); // Plain when it is neither layout
    return s;
  }
  if (target.isDarwin()) {
    s.mergedUsr = false;
    classifyMacSdk(path, s); // Plain when there is no SDK
    return s;
  }
  if (target.isMingw()) {
    // Never Multiarch/Host: a Windows target has no Linux libraries to find.
    const std::string gnu = target.gnu.str();
    if (exists(path + "/include/_mingw.h") && exists(path + "/lib/libmingw32.a")) {
      // Shaped like Debian's /usr/<gnu>: the GCC runtime is in
      // <path>/../lib/gcc/<gnu>/<ver>.
      s.layout = Layout::Mingw;
      s.gccRuntimeDir =
          findMingwGccRuntime((llvm::sys::path::parent_path(path) + "/lib/gcc/" + gnu).str());
    } else if (exists(path + "/" + gnu + "/include/_mingw.h") &&
               exists(path + "/" + gnu + "/lib")) {
      // A toolchain folder (llvm-mingw, or a mingw gcc tree): clang given it as
      // --sysroot looks in <path>/<gnu>/{include,lib} itself.
      s.layout = Layout::Mingw;
      s.gccRuntimeDir = findMingwGccRuntime((path + "/lib/gcc/" + gnu).str());
    }
    return s;
  }
  if (target.isMusl()) {
    s.layout = Layout::Musl;
    const std::string lib = s.path + "/usr/lib/" + multiarch;
    const std::string include = s.path + "/usr/include/" + multiarch;
    if (exists(lib + "/crt1.o") && exists(include + "/stdio.h")) {
      // Debian's musl-dev unpacked into a root (`sysroot create`): musl's
      // flat directories, and GCC's runtime from libgcc-<v>-dev beside them.
      s.layout = Layout::DebianMusl;
      s.libDir = lib;
      s.includeDir = include;
      s.gccToolchain = lib;
      std::error_code ec;
      for (llvm::sys::fs::directory_iterator it(s.path + "/usr/lib/gcc", ec), end;
           !ec && it != end && s.gccRuntimeDir.empty(); it.increment(ec))
        s.gccRuntimeDir = findMingwGccRuntime(it->path());
    }
  } else if (exists(path + "/usr/lib/" + multiarch) || exists(path + "/lib/" + multiarch)) {
    s.layout = Layout::Multiarch;
  } else if (exists(path + "/lib/libc.so.6") && exists(path + "/include/stdio.h")) {
    // Shaped like Debian's /usr/<gnu-triple>: the gcc runtime is in
    // <path>/../lib/gcc-cross/<gnu-triple>.
    s.layout = Layout::DebianCross;
    llvm::StringRef parent = llvm::sys::path::parent_path(path);
    llvm::StringRef dirName = llvm::sys::path::filename(path);
    if (exists(parent + "/lib/gcc-cross/" + dirName))
      s.gccToolchain = parent.str();
  }
  return s;
}

namespace {

// MinGW: Debian's mingw-w64 packages, with a GCC runtime folder.
llvm::Expected<Sysroot> findDebianMingw(const Target &target, std::vector<std::string> looked,
                                        const std::string &envKey) {
  const std::string cross = "/usr/" + target.gnu.str();
  const std::string gccRoot = "/usr/lib/gcc/" + target.gnu.str();
  const std::string pkg = target.pointerBits == 64 ? "x86-64" : "i686";
  if (exists(cross + "/include/_mingw.h") && exists(cross + "/lib/libmingw32.a")) {
    Sysroot s = classifySysroot(target, cross);
    if (!s.gccRuntimeDir.empty()) {
      s.source = "Debian mingw-w64 packages (" + cross + ", GCC runtime " + s.gccRuntimeDir +
                 ", the newest version found)";
      return s;
    }
    looked.push_back(gccRoot + "/<version> (libgcc, libstdc++: missing; apt-get install " +
                     "g++-mingw-w64-" + pkg + "-win32)");
  } else {
    looked.push_back(cross + " (Debian mingw-w64 packages: missing)");
  }
  return sysrootNotFound("no MinGW sysroot for " + target.rust.str(), looked,
                         "install Debian's mingw-w64 (apt-get install mingw-w64, or just "
                         "mingw-w64-" +
                             pkg + "-dev g++-mingw-w64-" + pkg +
                             "-win32), or set `sysroot` under [target." + target.rust.str() +
                             "] in crosshim.toml or " + envKey +
                             " to a mingw-w64 root or an llvm-mingw folder");
}

// glibc: Debian's cross packages (/usr/<gnu>), or the build machine's
// multiarch libraries.
llvm::Expected<Sysroot> findDebianGlibc(const Target &target, std::vector<std::string> looked,
                                        const std::string &envKey) {
  const std::string multiarch = target.multiarch.str();
  if (!target.gnu.empty()) {
    const std::string cross = "/usr/" + target.gnu.str();
    if (exists(cross + "/lib/crt1.o") && exists("/usr/lib/gcc-cross/" + target.gnu)) {
      Sysroot s;
      s.path = cross;
      s.layout = Layout::DebianCross;
      s.gccToolchain = "/usr";
      s.source = "Debian cross packages (" + cross + ")";
      for (const std::string &dir : {"/lib/" + multiarch, "/usr/lib/" + multiarch})
        if (llvm::sys::fs::is_directory(dir))
          s.multiarchLibDirs.push_back(dir);
      return s;
    }
    looked.push_back(cross + " (Debian cross packages: missing; apt-get install libc6-dev-" +
                     target.debianArch.str() + "-cross libgcc-12-dev-" + target.debianArch.str() +
                     "-cross libstdc++-12-dev-" + target.debianArch.str() + "-cross)");
  }
  if (exists("/usr/lib/" + multiarch + "/crt1.o")) {
    Sysroot s;
    s.path = "/";
    s.layout = Layout::Multiarch;
    s.source = "the build machine's multiarch libraries (/usr/lib/" + multiarch + ")";
    return s;
  }
  looked.push_back("/usr/lib/" + multiarch + " (multiarch libc6-dev:" + target.debianArch.str() +
                   ": missing)");
  return sysrootNotFound("no sysroot for " + target.rust.str(), looked,
                         "set `sysroot` under [target." + target.rust.str() +
                             "] in crosshim.toml or " + envKey +
                             ", or install the Debian cross packages named above");
}

// musl: Debian's musl-dev; never a fallback to glibc (clang without a musl
// sysroot silently does).
llvm::Expected<Sysroot> findDebianMusl(const Target &target, std::vector<std::string> looked,
                                       const std::string &envKey, const Target *host) {
  const std::string multiarch = target.multiarch.str();
  const std::string muslLib = "/usr/lib/" + multiarch, muslInclude = "/usr/include/" + multiarch;
  if (exists(muslLib + "/crt1.o") && exists(muslInclude + "/stdio.h")) {
    Sysroot s;
    s.path = muslLib;
    s.layout = Layout::DebianMusl;
    s.gccToolchain = muslLib; // keeps clang from adopting the host's glibc GCC
    s.includeDir = muslInclude;
    s.libDir = muslLib;
    s.source = "Debian musl-dev (" + muslLib + ")";
    return s;
  }
  looked.push_back(muslLib + " (Debian musl-dev: missing)");
  return sysrootNotFound(
      "no musl sysroot for " + target.rust.str() +
          " (without one, clang silently builds against glibc)",
      looked,
      std::string(host && target.debianArch == host->debianArch
                      ? "install musl-dev (apt-get install musl-dev), or "
                      : "") +
          "set `sysroot` under [target." + target.rust.str() + "] in crosshim.toml or " + envKey +
          " to a musl root (for example an unpacked Alpine minirootfs with musl-dev)");
}

} // namespace

llvm::Expected<Sysroot> findSysroot(const Target &target, const TargetSettings &settings,
                                    llvm::StringRef configPath, const Env &env) {
  auto named = [&](const std::string &path, const std::string &source) -> llvm::Expected<Sysroot> {
    if (!llvm::sys::fs::is_directory(path))
      return makeError(ExitCode::Failure, "the sysroot for " + target.rust.str() + " from " +
                                              source + " is " + path +
                                              ", which is not a directory");
    Sysroot s = classifySysroot(target, path);
    s.source = source;
    if (target.isMsvc())
      if (auto err = checkMsvcSysroot(target, s))
        return err;
    if (target.isDarwin() && s.layout != Layout::MacSdk)
      return makeError(ExitCode::Failure,
                       "the sysroot for " + target.rust.str() + " from " + source + " is " + path +
                           ", which is not a macOS SDK (no SDKSettings.json or "
                           "usr/lib/libSystem.tbd) and holds none (SDKs/MacOSX*.sdk)");
    return s;
  };

  if (settings.sysroot)
    return named(*settings.sysroot,
                 "config " + configPath.str() + ":" + std::to_string(settings.sysrootLine));
  const std::string envKey = envKeyForTriple("CROSSHIM_SYSROOT_", target.rust);
  if (auto value = env.get(envKey))
    return named(std::string(*value), envKey);
  const std::string user = userSysrootDir(target, env);
  if (!user.empty() && llvm::sys::fs::is_directory(user))
    return named(user, "crosshim's sysroot folder");

  std::vector<std::string> looked = {
      "config `sysroot` (" +
          (configPath.empty() ? std::string("no crosshim.toml")
                              : "not set in " + configPath.str()) +
          ")",
      envKey + " (not set)",
      (user.empty() ? std::string("~/.local/share/crosshim/sysroots (HOME not set)")
                    : user + " (missing)")};

  const Target *host = hostTarget();
  if (host == &target) {
    Sysroot s;
    s.path = "/";
    s.layout = Layout::Host;
    s.source = "the build machine (" + target.rust.str() + " is the host)";
    return s;
  }

  if (target.isMsvc())
    return findMsvcSysroot(target, std::move(looked), envKey, env);
  if (target.isDarwin())
    return findMacSdk(target, std::move(looked), envKey, env);

  if (target.isMingw())
    return findDebianMingw(target, std::move(looked), envKey);

  if (target.isGlibc())
    return findDebianGlibc(target, std::move(looked), envKey);
  return findDebianMusl(target, std::move(looked), envKey, host);
}

llvm::Error sysrootNotFound(llvm::StringRef what, llvm::ArrayRef<std::string> looked,
                            llvm::StringRef advice) {
  std::string msg = what.str() + "; looked at:";
  for (const std::string &l : looked)
    msg += "\n  - " + l;
  msg += "\n" + advice.str();
  return makeError(ExitCode::Failure, msg);
}

} // namespace crosshim
