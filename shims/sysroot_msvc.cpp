// The Microsoft CRT and Windows SDK for *-pc-windows-msvc targets, in the two
// layouts cross builds use: cargo-xwin's cache (what `xwin splat` writes) and
// clang-cl's /winsysroot (a copy of a Visual Studio + Windows Kits install).
// crosshim cannot install either: Microsoft's licence makes the user fetch it.
#include "shims/sysroot.h"

#include "support/env.h"
#include "support/errors.h"
#include "support/version.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/Triple.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace crosshim {
namespace {

bool isDir(const llvm::Twine &path) {
  return llvm::sys::fs::is_directory(path);
}

// The highest-versioned subdirectory of `dir` that has `inside` (what clang-cl
// /winsysroot picks too); empty when there is none.
std::string newestVersionDir(const std::string &dir, llvm::StringRef inside) {
  std::string best;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (name.empty() || !llvm::isDigit(name.front()) || !isDir(it->path() + "/" + inside))
      continue;
    // "14.38.33130" < "14.40.1"; a part that is no number counts as 0.
    if (best.empty() ||
        versionKey(name, NonNumeric::AsZero) > versionKey(best, NonNumeric::AsZero))
      best = name.str();
  }
  return best;
}

void addIfDir(std::vector<std::string> &dirs, const std::string &dir) {
  if (isDir(dir))
    dirs.push_back(dir);
}

} // namespace

std::string msvcArchName(const Target &target, Layout layout) {
  const bool xwin = layout == Layout::MsvcXwin;
  switch (llvm::Triple(target.clang).getArch()) {
  case llvm::Triple::x86_64:
    return xwin ? "x86_64" : "x64";
  case llvm::Triple::x86:
    return "x86";
  case llvm::Triple::aarch64:
    return xwin ? "aarch64" : "arm64";
  default:
    return {};
  }
}

bool classifyMsvcSysroot(const Target &target, llvm::StringRef path, Sysroot &s) {
  s.includeDirs.clear();
  s.libDirs.clear();
  const std::string root = path.str();
  if (isDir(root + "/crt/include") && isDir(root + "/sdk/include")) {
    // xwin splat: crt/{include,lib/<arch>}, sdk/include/*, sdk/lib/{um,ucrt}/<arch>
    s.layout = Layout::MsvcXwin;
    const std::string arch = msvcArchName(target, s.layout);
    s.includeDirs.push_back(root + "/crt/include");
    for (const char *sub : {"ucrt", "um", "shared", "winrt"})
      addIfDir(s.includeDirs, root + "/sdk/include/" + sub);
    for (const std::string &dir :
         {root + "/crt/lib/" + arch, root + "/sdk/lib/um/" + arch, root + "/sdk/lib/ucrt/" + arch})
      addIfDir(s.libDirs, dir);
    return true;
  }
  const std::string vcRoot = root + "/VC/Tools/MSVC", kits = root + "/Windows Kits/10";
  const std::string vc = newestVersionDir(vcRoot, "include");
  const std::string sdk = newestVersionDir(kits + "/Include", "um");
  if (vc.empty() || sdk.empty())
    return false;
  s.layout = Layout::MsvcWinsysroot;
  const std::string arch = msvcArchName(target, s.layout);
  const std::string sdkLib = newestVersionDir(kits + "/Lib", "um");
  s.includeDirs.push_back(vcRoot + "/" + vc + "/include");
  for (const char *sub : {"ucrt", "um", "shared", "winrt"})
    addIfDir(s.includeDirs, kits + "/Include/" + sdk + "/" + sub);
  addIfDir(s.libDirs, vcRoot + "/" + vc + "/lib/" + arch);
  if (!sdkLib.empty()) {
    addIfDir(s.libDirs, kits + "/Lib/" + sdkLib + "/um/" + arch);
    addIfDir(s.libDirs, kits + "/Lib/" + sdkLib + "/ucrt/" + arch);
  }
  return true;
}

std::vector<std::string> xwinCacheDirs(const Env &env) {
  std::vector<std::string> dirs;
  if (auto named = env.get("XWIN_CACHE_DIR")) {
    // cargo-xwin splats into <cache>/xwin; a splat output named directly works too.
    dirs.push_back(std::string(*named) + "/xwin");
    dirs.push_back(std::string(*named));
    return dirs;
  }
  std::string cache = env.getOr("XDG_CACHE_HOME");
  if (cache.empty()) {
    std::string home = env.getOr("HOME");
    if (home.empty())
      return dirs;
    cache = home + "/.cache";
  }
  dirs.push_back(cache + "/cargo-xwin/xwin");
  return dirs;
}

llvm::Error checkMsvcSysroot(const Target &target, const Sysroot &s) {
  if (s.layout != Layout::MsvcXwin && s.layout != Layout::MsvcWinsysroot)
    return makeError(ExitCode::Failure,
                     "the sysroot for " + target.rust.str() + " (" + s.path + ", from " + s.source +
                         ") is not a Microsoft CRT + Windows SDK: expected cargo-xwin's layout "
                         "(crt/include, sdk/include, crt/lib/<arch>) or the /winsysroot layout "
                         "(VC/Tools/MSVC/<version>, Windows Kits/10)");
  if (s.libDirs.empty())
    return makeError(ExitCode::Failure, "the Windows SDK at " + s.path + " (" + s.source +
                                            ") has no libraries for " +
                                            msvcArchName(target, s.layout) +
                                            (s.layout == Layout::MsvcXwin
                                                 ? " (crt/lib/" + msvcArchName(target, s.layout) +
                                                       "); make it with xwin splat --arch " +
                                                       msvcArchName(target, s.layout)
                                                 : std::string()));
  return llvm::Error::success();
}

llvm::Expected<Sysroot> findMsvcSysroot(const Target &target, std::vector<std::string> looked,
                                        llvm::StringRef envKey, const Env &env) {
  for (const std::string &dir : xwinCacheDirs(env)) {
    if (!isDir(dir))
      continue;
    Sysroot s;
    s.path = dir;
    s.source = "cargo-xwin's cache";
    if (!classifyMsvcSysroot(target, dir, s)) {
      looked.push_back(dir + " (cargo-xwin's cache: not a CRT + SDK layout)");
      continue;
    }
    if (auto err = checkMsvcSysroot(target, s))
      return err;
    return s;
  }
  for (const std::string &dir : xwinCacheDirs(env))
    if (!isDir(dir))
      looked.push_back(dir + " (cargo-xwin's cache: missing)");
  return sysrootNotFound(
      "no Microsoft CRT and Windows SDK for " + target.rust.str(), looked,
      "crosshim cannot install them (Microsoft's licence asks each user to accept it): make "
      "one with `xwin --accept-license splat --output DIR` (or let `cargo xwin` fill its "
      "cache), then set `sysroot` under [target." +
          target.rust.str() + "] in crosshim.toml or " + envKey.str() +
          " to DIR (a /winsysroot folder with VC/Tools/MSVC and Windows Kits/10 works too)");
}

} // namespace crosshim
