// crosshim install-links: the name farm (<target>-<tool> symlinks to the
// crosshim binary) and the masquerade folder (cc, c++, ar, ... symlinks).
// Links are relative, so an installed tree can be moved or packaged; each is
// created under a temporary name and renamed into place, and nothing that is
// not a link to crosshim is ever replaced or removed.
#include "cli/commands.h"
#include "shims/program_name.h"
#include "shims/targets.h"
#include "shims/toolchain.h"
#include "support/errors.h"
#include "support/fs.h"

#include <llvm/ADT/StringSet.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace crosshim {
namespace {

// Tools installed under each triple; GNU spellings also get gcc/g++.
// pkg-config gets both spellings: autoconf's PKG_CHECK_MODULES looks for
// <gnu>-pkg-config with --host=<gnu>.
// The GNU binutils/GCC names (as, c++filt, gcc-ar, ...) exist for the
// targets ToolInfo::supports: Linux and MinGW (dwp: Linux).
constexpr llvm::StringRef kTargetTools[] = {
    "cc",      "c++",         "cpp",     "clang",     "clang++",    "ar",     "ranlib",
    "llvm-ar", "llvm-ranlib", "ld",      "nm",        "objcopy",    "objdump", "readelf",
    "strip",   "size",        "strings", "addr2line", "pkg-config", "as",     "c++filt",
    "gcc-ar",  "gcc-nm",      "gcc-ranlib", "dwp"};
constexpr llvm::StringRef kGnuOnlyTools[] = {"gcc", "g++"};
// Only for the targets ToolInfo::supports (Windows, MinGW, MSVC, Darwin); `ld` is left out for
// MSVC.
constexpr llvm::StringRef kWindowsTools[] = {"dlltool", "windres", "widl",  "cl",
                                             "link",    "lib",     "xcrun", "lipo"};
// crosshim's own tools, named after the Rust triple only (cargo's runner).
constexpr llvm::StringRef kRustOnlyTools[] = {"run"};
constexpr llvm::StringRef kMasqueradeTools[] = {"cc",      "c++",     "gcc",   "g++",  "cpp",
                                                "ar",      "ranlib",  "ld",    "nm",   "objcopy",
                                                "objdump", "readelf", "strip", "xcrun"};

// `to` relative to directory `fromDir` (both canonical, absolute).
std::string relativePath(llvm::StringRef fromDir, llvm::StringRef to) {
  llvm::SmallVector<llvm::StringRef, 16> a, b;
  llvm::StringRef(fromDir).split(a, '/', -1, false);
  llvm::StringRef(to).split(b, '/', -1, false);
  size_t common = 0;
  while (common < a.size() && common < b.size() && a[common] == b[common])
    ++common;
  std::string out;
  for (size_t i = common; i < a.size(); ++i)
    out += "../";
  for (size_t i = common; i < b.size(); ++i)
    out += b[i].str() + (i + 1 < b.size() ? "/" : "");
  return out;
}

bool pointsToSelf(llvm::StringRef link) {
  if (!isSymlink(link.str()))
    return false;
  return realPath(link) == selfExecutable();
}

struct Farm {
  std::string dir;
  std::vector<std::string> names;
};

llvm::Error checkFarm(const Farm &farm) {
  for (const std::string &name : farm.names) {
    std::string path = farm.dir + "/" + name;
    if (lexists(path) && !pointsToSelf(path))
      return makeError(ExitCode::Failure,
                       path + " exists and is not a link to crosshim; not replacing it");
  }
  return llvm::Error::success();
}

llvm::Expected<unsigned> writeFarm(const Farm &farm) {
  // LLVM defaults to owner+group only; a name farm is for every user (umask applies).
  if (std::error_code ec = llvm::sys::fs::create_directories(farm.dir, /*IgnoreExisting=*/true,
                                                             llvm::sys::fs::all_all))
    return makeError(ExitCode::Failure, "cannot create " + farm.dir + ": " + ec.message());
  const std::string target = relativePath(realPath(farm.dir), selfExecutable());
  llvm::StringSet<> wanted;
  for (const std::string &name : farm.names) {
    wanted.insert(name);
    std::string path = farm.dir + "/" + name;
    std::string temp = farm.dir + "/.crosshim-link-" + std::to_string(getpid());
    ::unlink(temp.c_str());
    if (::symlink(target.c_str(), temp.c_str()) != 0 || ::rename(temp.c_str(), path.c_str()) != 0) {
      std::string why = std::strerror(errno);
      ::unlink(temp.c_str());
      return makeError(ExitCode::Failure, "cannot create " + path + ": " + why);
    }
  }
  // Links to crosshim for names no longer installed (a target was dropped).
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(farm.dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (!wanted.count(name) && pointsToSelf(it->path()))
      llvm::sys::fs::remove(it->path());
  }
  return farm.names.size();
}

} // namespace

llvm::Expected<int> cmdInstallLinks(CommandArgs args, const Env & /*env*/) {
  // <prefix>/bin/crosshim -> <prefix>/lib/crosshim/{bin,masquerade}
  std::string dir = installedNamesDir();
  std::string masquerade = installPrefix() + "/lib/crosshim/masquerade";
  bool withMasquerade = true;
  std::vector<const Target *> targets;

  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    auto value = [&](llvm::StringRef opt) -> llvm::Expected<std::string> {
      if (a.startswith(opt.str() + "="))
        return a.substr(opt.size() + 1).str();
      if (i + 1 < args.size())
        return args[++i];
      return makeError(ExitCode::Usage, opt.str() + " needs a value");
    };
    if (a == "--dir" || a.startswith("--dir=")) {
      auto v = value("--dir");
      if (!v)
        return v.takeError();
      dir = *v;
    } else if (a == "--masquerade-dir" || a.startswith("--masquerade-dir=")) {
      auto v = value("--masquerade-dir");
      if (!v)
        return v.takeError();
      masquerade = *v;
    } else if (a == "--no-masquerade") {
      withMasquerade = false;
    } else if (a == "--target" || a.startswith("--target=")) {
      auto v = value("--target");
      if (!v)
        return v.takeError();
      auto t = lookupTarget(*v);
      if (!t)
        return t.takeError();
      targets.push_back(&*t);
    } else {
      return makeError(ExitCode::Usage, "install-links: unknown option '" + a.str() + "'");
    }
  }
  if (targets.empty())
    for (const Target &t : allTargets())
      targets.push_back(&t);

  Farm names{dir, {}};
  llvm::StringSet<> seen;
  auto addName = [&](std::string n) {
    if (seen.insert(n).second)
      names.names.push_back(std::move(n));
  };
  for (const Target *t : targets) {
    for (llvm::StringRef tool : kTargetTools) {
      if (!findTool(tool)->supports(*t))
        continue;
      addName(t->rust.str() + "-" + tool.str());
      if (!t->gnu.empty())
        addName(t->gnu.str() + "-" + tool.str());
    }
    if (!t->gnu.empty())
      for (llvm::StringRef tool : kGnuOnlyTools)
        addName(t->gnu.str() + "-" + tool.str());
    for (llvm::StringRef tool : kWindowsTools) {
      if (!findTool(tool)->supports(*t))
        continue;
      addName(t->rust.str() + "-" + tool.str());
      if (!t->gnu.empty())
        addName(t->gnu.str() + "-" + tool.str());
    }
    for (llvm::StringRef tool : kRustOnlyTools)
      addName(t->rust.str() + "-" + tool.str());
  }
  Farm masq{masquerade, {}};
  for (llvm::StringRef tool : kMasqueradeTools)
    masq.names.push_back(tool.str());

  if (auto err = checkFarm(names))
    return err;
  if (withMasquerade)
    if (auto err = checkFarm(masq))
      return err;
  auto n = writeFarm(names);
  if (!n)
    return n.takeError();
  llvm::outs() << "crosshim: " << *n << " shim names in " << dir << "\n";
  if (withMasquerade) {
    auto m = writeFarm(masq);
    if (!m)
      return m.takeError();
    llvm::outs() << "crosshim: " << *m << " masquerade names in " << masquerade << "\n";
  }
  return 0;
}

} // namespace crosshim
