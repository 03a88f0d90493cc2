// crosshim doctor [--target T] [--sysroot DIR] [--json]: the toolchain and
// sysroot of one target checked before anything is linked. The target's
// tools and sysroot are found exactly as a link through its shim finds them
// (config, CROSSHIM_SYSROOT_<TRIPLE>, the system layouts); the checks are
// diagnostics/doctor.*.
//
// Exit status: 0 when no finding is an error, 1 when one is (or clang or
// ld.lld is missing), 2 for a bad command line.
#include "cli/commands.h"
#include "support/env.h"
#include "support/errors.h"
#include "shims/shim.h"

#include "diagnostics/doctor.h"
#include "diagnostics/explain_darwin.h"
#include "diagnostics/libc_info.h"
#include "diagnostics/report.h"

#include <llvm/ADT/Triple.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <optional>

namespace crosshim {
namespace {

constexpr const char *kSynopsis = "doctor [--target T] [--sysroot DIR] [--json]";

void printHelp(llvm::raw_ostream &os) {
  os << "usage: crosshim " << kSynopsis << "\n"
     << "Checks the toolchain and sysroot of one target, found as a link through its shim finds\n"
        "them, and prints what would break or silently change a link:\n"
        "  dangling-symlink, absolute-symlink  symlinks in the library and include dirs\n"
        "  linker-script-path    GROUP/INPUT paths of libc.so, libm.so, ... that ld.lld cannot\n"
        "                        find in this layout, or that name the tree a copy came from\n"
        "  missing-crt-object    crt1.o, Scrt1.o, crti.o, crtn.o, crtbegin*.o, crtend*.o\n"
        "  missing-dev-symlink   libX.so.N without libX.so for libraries links name (-lm, -lz, "
        "...)\n"
        "  wrong-architecture, float-abi-mismatch  ELF files and archive members in the library\n"
        "                        dirs built for another machine or ARM float ABI\n"
        "  host-path-leak        LIBRARY_PATH, CPATH, C_INCLUDE_PATH, CPLUS_INCLUDE_PATH naming\n"
        "                        the build machine's system dirs (other dirs: a note)\n\n"
        "  --target T     the target (Rust, clang or GNU triple); default: CROSSHIM_TARGET\n"
        "  --sysroot DIR  check DIR instead of the sysroot crosshim would use\n"
        "  --json         print the report as JSON (docs/report-format.md)\n\n"
        "Exit status: 0 when no finding is an error, 1 when one is (or clang or ld.lld is\n"
        "missing), 2 for usage errors.\n";
}

llvm::Error usage(const std::string &message) {
  return makeError(ExitCode::Usage, "doctor: " + message + " (usage: crosshim " + kSynopsis +
                                        "; crosshim doctor --help)");
}

std::vector<unsigned> versionKey(llvm::StringRef name) {
  std::vector<unsigned> key;
  llvm::SmallVector<llvm::StringRef, 4> parts;
  name.split(parts, '.');
  for (llvm::StringRef p : parts) {
    unsigned n = 0;
    if (p.getAsInteger(10, n))
      return {};
    key.push_back(n);
  }
  return key;
}

// The GCC installation clang selects for the layout: the highest version
// under <base>/<version> that has crtbegin files (as `clang -v` shows it:
// "Selected GCC installation: ...").
std::string findGccDir(const Target &target, const Sysroot &s) {
  std::vector<std::string> bases;
  if (s.layout == Layout::DebianCross) {
    bases.push_back((s.gccToolchain.empty() ? std::string("/usr") : s.gccToolchain) +
                    "/lib/gcc-cross/" + target.gnu.str());
  } else {
    const std::string root = s.path == "/" ? "" : s.path;
    for (llvm::StringRef t : {target.multiarch, target.gnu}) {
      if (t.empty())
        continue;
      bases.push_back(root + "/usr/lib/gcc/" + t.str());
      bases.push_back(root + "/lib/gcc/" + t.str());
    }
  }
  std::string best;
  std::vector<unsigned> bestKey;
  bool bestHasCrt = false;
  for (const std::string &base : bases) {
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(base, ec), end; !ec && it != end; it.increment(ec)) {
      std::vector<unsigned> key = versionKey(llvm::sys::path::filename(it->path()));
      if (key.empty() || !llvm::sys::fs::is_directory(it->path()))
        continue;
      const bool hasCrt = llvm::sys::fs::exists(it->path() + "/crtbeginS.o") ||
                          llvm::sys::fs::exists(it->path() + "/crtbegin.o");
      if (best.empty() || (hasCrt && !bestHasCrt) || (hasCrt == bestHasCrt && key > bestKey)) {
        best = it->path();
        bestKey = std::move(key);
        bestHasCrt = hasCrt;
      }
    }
  }
  return best;
}

diag::DoctorLayout makeLayout(const Plan &plan) {
  const Target &target = *plan.target;
  const Sysroot &s = *plan.sysroot;
  const std::string ma = target.multiarch.str();
  diag::AuditExpectations expect = auditExpectations(plan);

  diag::DoctorLayout layout;
  layout.target = target.rust.str();
  layout.machine = expect.machine;
  layout.is64 = expect.is64;
  layout.armFloatAbi = expect.armFloatAbi;
  layout.musl = target.isMusl();
  layout.root = s.path;
  layout.libraryDirs = targetLibraryDirs(plan);
  if (!target.isMusl()) {
    layout.needsGccRuntime = true;
    layout.gccDir = findGccDir(target, s);
  }

  switch (s.layout) {
  case Layout::DebianCross: {
    // Installed in place: absolute links are this machine's paths.
    const std::string gccCross = (s.gccToolchain.empty() ? std::string("/usr") : s.gccToolchain) +
                                 "/lib/gcc-cross/" + target.gnu.str();
    layout.hostRooted = true;
    layout.ownedDirs = {s.path, gccCross};
    // The library and include dirs only: bin/ holds binutils' links to the
    // build machine's <gnu>-ar, <gnu>-ld, ... (binutils-<gnu>), which are
    // tools, not files a link reads.
    layout.symlinkDirs = {s.path + "/lib", s.path + "/include", gccCross};
    break;
  }
  case Layout::DebianMusl:
    // On the build machine (/usr/lib/<musl>) or unpacked into a root of its own.
    layout.hostRooted = s.path == s.libDir;
    layout.ownedDirs = {s.libDir, s.includeDir};
    layout.symlinkDirs = {s.libDir, s.includeDir};
    if (!layout.hostRooted)
      layout.symlinkDirs.insert(layout.symlinkDirs.end(), {s.path + "/lib", s.path + "/usr/lib"});
    layout.linkerSysroot = s.libDir; // clang passes its --sysroot on to the linker
    break;
  default:
    if (s.path == "/") {
      // The build machine itself: its own absolute links are right by
      // definition; only the multiarch library dirs, never the whole disk.
      layout.hostRooted = true;
      layout.symlinkDirs = {"/lib/" + ma, "/usr/lib/" + ma};
      layout.recurse = false;
      // /lib and /usr/lib of a multiarch machine hold other architectures'
      // loaders and multilib files by design (libc6-i386's /lib/ld-linux.so.2).
      layout.libraryDirs = layout.symlinkDirs;
    } else {
      for (const char *d :
           {"lib", "lib32", "lib64", "libx32", "usr/lib", "usr/lib32", "usr/lib64", "usr/libx32",
            "usr/include", "usr/local/lib", "usr/local/include", "include"})
        layout.symlinkDirs.push_back(s.path + "/" + d);
      layout.linkerSysroot = s.path;
    }
    break;
  }
  return layout;
}

} // namespace

llvm::Expected<int> cmdDoctor(CommandArgs args, const Env &env) {
  std::optional<std::string> targetName, sysrootDir;
  bool json = false;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    auto value = [&](llvm::StringRef option,
                     std::optional<std::string> &out) -> llvm::Expected<bool> {
      if (a == option) {
        if (i + 1 >= args.size() || args[i + 1].empty())
          return usage(option.str() + " needs a value");
        out = args[++i];
        return true;
      }
      if (a.startswith(option.str() + "=")) {
        out = a.drop_front(option.size() + 1).str();
        if (out->empty())
          return usage(option.str() + " needs a value");
        return true;
      }
      return false;
    };
    if (a == "-h" || a == "--help") {
      printHelp(llvm::outs());
      return 0;
    }
    if (a == "--json") {
      json = true;
      continue;
    }
    auto isTarget = value("--target", targetName);
    if (!isTarget)
      return isTarget.takeError();
    if (*isTarget)
      continue;
    auto isSysroot = value("--sysroot", sysrootDir);
    if (!isSysroot)
      return isSysroot.takeError();
    if (*isSysroot)
      continue;
    if (a.startswith("-"))
      return usage("unknown option '" + a.str() + "'");
    return usage("unexpected argument '" + a.str() + "' (the target goes after --target)");
  }
  if (!targetName)
    if (auto fromEnv = env.get("CROSSHIM_TARGET"))
      targetName = std::string(*fromEnv);
  if (!targetName)
    return usage("which target? give --target T or set CROSSHIM_TARGET (`crosshim targets` "
                 "lists them)");
  auto found = lookupTarget(*targetName);
  if (!found)
    return found.takeError();
  const Target &target = *found;

  auto config = loadConfig(env);
  if (!config)
    return config.takeError();
  const TargetSettings settings = config->forTarget(target);
  Toolchain toolchain(settings, config->path, env);
  auto clang = toolchain.find("clang");
  const llvm::StringRef linkerName = target.isDarwin() ? "ld64.lld" : "ld.lld";
  auto lld = toolchain.find(linkerName);
  std::string clangError, lldError;
  if (!clang)
    clangError = llvm::toString(clang.takeError());
  if (!lld)
    lldError = llvm::toString(lld.takeError());

  Plan plan;
  plan.target = &target;
  plan.configPath = config->path;
  plan.env = env;
  if (sysrootDir) {
    llvm::SmallString<256> dir(*sysrootDir);
    if (std::error_code ec = llvm::sys::fs::make_absolute(dir))
      return makeError(ExitCode::Failure, "doctor: --sysroot " + *sysrootDir + ": " + ec.message());
    llvm::sys::path::remove_dots(dir, /*remove_dot_dot=*/true);
    if (!llvm::sys::fs::is_directory(dir))
      return makeError(ExitCode::Failure,
                       "doctor: --sysroot " + *sysrootDir + " is not a directory");
    Sysroot s = classifySysroot(target, dir);
    s.source = "--sysroot";
    plan.sysroot = s;
  } else {
    auto s = findSysroot(target, settings, config->path, env);
    if (!s)
      return s.takeError();
    plan.sysroot = *s;
  }
  const Sysroot &sysroot = *plan.sysroot;

  const diag::DoctorLayout layout = makeLayout(plan);
  diag::DoctorStats stats;
  // The checks read ELF files, glibc/musl start files and linker scripts: a
  // Windows sysroot has none of them, and every finding would be false.
  diag::Report report;
  if (target.isLinux())
    report = diag::runDoctorChecks(layout, stats);
  if (target.isLinux() && &target != hostTarget())
    diag::checkHostPaths(diag::hostPathVariables(env), {}, hostPathContext(plan), report);
  size_t tbdRead = 0;
  if (target.isDarwin() && sysroot.layout == Layout::MacSdk)
    tbdRead = diag::checkMacSdk(
        sysroot.path,
        llvm::Triple(target.clang).getArch() == llvm::Triple::x86_64 ? "x86_64" : "arm64", report);
  report.sortBySeverity();

  std::optional<std::string> glibc;
  if (target.isGlibc())
    if (auto found = diag::findSysrootGlibc(layout.libraryDirs))
      glibc = diag::glibcVersionText(found->version);
  const int status = report.hasErrors() || !clang || !lld ? 1 : 0;

  llvm::raw_ostream &os = llvm::outs();
  if (json) {
    llvm::json::Value value = report.toJson();
    llvm::json::Object &root = *value.getAsObject();
    root["sysroot"] = sysroot.path;
    root["config"] =
        config->path.empty() ? llvm::json::Value(nullptr) : llvm::json::Value(config->path);
    llvm::json::Array skippedConfigs;
    for (const SkippedConfig &s : config->skipped)
      skippedConfigs.push_back(llvm::json::Object{{"path", s.path}, {"reason", s.reason}});
    root["skipped_configs"] = std::move(skippedConfigs);
    root["layout"] = describeLayout(sysroot);
    root["libc"] = target.isMusl()     ? "musl"
                   : target.isMingw()  ? "mingw-w64"
                   : target.isMsvc()   ? "msvc"
                   : target.isDarwin() ? "libSystem"
                                       : "glibc";
    root["glibc"] = glibc ? llvm::json::Value(*glibc) : llvm::json::Value(nullptr);
    root["toolchain"] = llvm::json::Object{
        {"clang", clang ? llvm::json::Value(clang->path) : llvm::json::Value(nullptr)},
        {linkerName, lld ? llvm::json::Value(lld->path) : llvm::json::Value(nullptr)}};
    os << llvm::formatv("{0:2}", value) << "\n";
    return status;
  }

  os << "crosshim doctor: " << target.rust << "\n";
  os << "  clang:   " << (clang ? clang->path : "not found: " + clangError) << "\n";
  os << "  " << (target.isDarwin() ? "ld64.lld:" : "ld.lld: ") << " "
     << (lld ? lld->path : "not found: " + lldError) << "\n";
  os << "  sysroot: " << sysroot.path << " [" << describeLayout(sysroot) << "] from "
     << sysroot.source << "\n";
  os << "  config:  " << (config->path.empty() ? "(none)" : config->path) << "\n";
  for (const SkippedConfig &s : config->skipped)
    os << "  skipped: " << s.path << " (" << s.reason << ")\n";
  os << "  libc:    "
     << (target.isMusl()    ? std::string("musl")
         : target.isMingw() ? std::string("mingw-w64 (msvcrt)")
         : target.isMsvc()  ? std::string("Microsoft CRT")
         : target.isDarwin()
             ? std::string("libSystem (macOS SDK " + sysroot.sdkVersion + ")")
             : "glibc " + glibc.value_or("(version unknown: no readable libc.so.6)"))
     << "\n";
  if (target.isDarwin())
    os << "  checked: SDKSettings.json, " << tbdRead << " .tbd stubs (usr/lib and frameworks)\n";
  else if (target.isWindows())
    os << "  checked: nothing: the sysroot checks are for ELF targets (Windows link failures are "
          "explained when they happen)\n";
  else
    os << "  checked: " << layout.libraryDirs.size() + (layout.gccDir.empty() ? 0 : 1)
       << " library dirs (" << stats.files << " ELF files and archives, " << stats.members
       << " archive members, " << stats.scripts << " linker scripts), " << stats.symlinks
       << " symlinks\n";
  report.printText(os);
  size_t counts[3] = {0, 0, 0};
  for (const diag::Finding &f : report.findings())
    ++counts[static_cast<int>(f.severity)];
  os << "crosshim: doctor: ";
  if (report.empty())
    os << "no problems found";
  else
    os << counts[2] << " error(s), " << counts[1] << " warning(s), " << counts[0] << " note(s)";
  if (!clang || !lld)
    os << "; " << (!clang ? llvm::StringRef("clang") : linkerName) << " not found";
  os << "\n";
  return status;
}

} // namespace crosshim
