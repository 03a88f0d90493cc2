// crosshim doctor [--target T] [--sysroot DIR] [--json]: the toolchain and
// sysroot of one target checked before anything is linked. The target's
// tools and sysroot are found exactly as a link through its shim finds them
// (config, CROSSHIM_SYSROOT_<TRIPLE>, the system layouts); the checks are
// diagnostics/doctor.*.
//
// Exit status: 0 when no finding is an error, 1 when one is (or clang or
// ld.lld is missing), 2 for a bad command line.
#include "cli/commands.h"
#include "shims/shim.h"
#include "support/env.h"
#include "support/errors.h"
#include "support/version.h"

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

void printHelp(llvm::raw_ostream &os) {
  os << "usage: crosshim " << synopsisOf("doctor") << "\n"
     << "Checks the toolchain and sysroot of one target (without --target and CROSSHIM_TARGET:\n"
        "of every target crosshim finds a sysroot for), found as a link through its shim\n"
        "finds them, and prints what would break or silently change a link:\n"
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
        "  --target T     the target (Rust, clang or GNU triple); default: CROSSHIM_TARGET, and\n"
        "                 without either every target with a sysroot, then those without\n"
        "  --sysroot DIR  check DIR instead of the sysroot crosshim would use\n"
        "  --json         print the report as JSON (docs/report-format.md)\n\n"
        "Exit status: 0 when no finding is an error, 1 when one is (or clang or ld.lld is\n"
        "missing), 2 for usage errors.\n";
}

llvm::Error usage(const std::string &message) {
  return makeError(ExitCode::Usage, "doctor: " + message + " (usage: crosshim " +
                                        synopsisOf("doctor") + "; crosshim doctor --help)");
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
      std::vector<unsigned> key =
          versionKey(llvm::sys::path::filename(it->path()), NonNumeric::Reject);
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

struct DoctorOptions {
  bool help = false, json = false;
  std::optional<std::string> target, sysroot;
};

llvm::Expected<DoctorOptions> parseDoctorArgs(CommandArgs args, const Env &env) {
  DoctorOptions o;
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
      o.help = true;
      return o;
    }
    if (a == "--json") {
      o.json = true;
      continue;
    }
    auto isTarget = value("--target", o.target);
    if (!isTarget)
      return isTarget.takeError();
    if (*isTarget)
      continue;
    auto isSysroot = value("--sysroot", o.sysroot);
    if (!isSysroot)
      return isSysroot.takeError();
    if (*isSysroot)
      continue;
    if (a.startswith("-"))
      return usage("unknown option '" + a.str() + "'");
    return usage("unexpected argument '" + a.str() + "' (the target goes after --target)");
  }
  if (!o.target)
    if (auto fromEnv = env.get("CROSSHIM_TARGET"))
      o.target = std::string(*fromEnv);
  if (!o.target && o.sysroot)
    return usage("--sysroot needs --target (or CROSSHIM_TARGET): which target is it for?");
  return o;
}

// The sysroot to check: --sysroot DIR, or the one a link would use.
llvm::Expected<Sysroot> doctorSysroot(const Target &target, const Config &config,
                                      const TargetSettings &settings,
                                      const std::optional<std::string> &sysrootDir,
                                      const Env &env) {
  if (!sysrootDir)
    return findSysroot(target, settings, config.path, env);
  llvm::SmallString<256> dir(*sysrootDir);
  if (std::error_code ec = llvm::sys::fs::make_absolute(dir))
    return makeError(ExitCode::Failure, "doctor: --sysroot " + *sysrootDir + ": " + ec.message());
  llvm::sys::path::remove_dots(dir, /*remove_dot_dot=*/true);
  if (!llvm::sys::fs::is_directory(dir))
    return makeError(ExitCode::Failure, "doctor: --sysroot " + *sysrootDir + " is not a directory");
  Sysroot s = classifySysroot(target, dir);
  s.source = "--sysroot";
  return s;
}

// What doctor found: the tools, the sysroot and the checks' findings.
struct DoctorResult {
  const Target *target = nullptr;
  std::string configPath;
  std::vector<SkippedConfig> skippedConfigs;
  llvm::StringRef linkerName;
  std::optional<std::string> clang, lld; // their paths, when found
  std::string clangError, lldError;
  Sysroot sysroot;
  diag::DoctorLayout layout;
  diag::DoctorStats stats;
  diag::Report report;
  size_t tbdRead = 0;               // Apple targets: the SDK's .tbd stubs read
  std::optional<std::string> glibc; // the sysroot's glibc version
  int status() const { return report.hasErrors() || !clang || !lld ? 1 : 0; }
};

// The checks for the target's kind. They read ELF files, glibc/musl start
// files and linker scripts: a Windows sysroot has none of them, and every
// finding would be false.
void runChecks(const Plan &plan, DoctorResult &r) {
  const Target &target = *plan.target;
  r.layout = makeLayout(plan);
  if (target.isLinux())
    r.report = diag::runDoctorChecks(r.layout, r.stats);
  if (target.isLinux() && &target != hostTarget())
    diag::checkHostPaths(diag::hostPathVariables(plan.env), {}, hostPathContext(plan), r.report);
  if (target.isDarwin() && r.sysroot.layout == Layout::MacSdk)
    r.tbdRead = diag::checkMacSdk(
        r.sysroot.path,
        llvm::Triple(target.clang).getArch() == llvm::Triple::x86_64 ? "x86_64" : "arm64",
        r.report);
  r.report.sortBySeverity();
  if (target.isGlibc())
    if (auto found = diag::findSysrootGlibc(r.layout.libraryDirs))
      r.glibc = diag::glibcVersionText(found->version);
}

llvm::Expected<DoctorResult> runDoctor(const DoctorOptions &o, const Env &env) {
  auto found = lookupTarget(*o.target);
  if (!found)
    return found.takeError();
  const Target &target = *found;
  auto config = loadConfig(env);
  if (!config)
    return config.takeError();
  const TargetSettings settings = config->forTarget(target);

  DoctorResult r;
  r.target = &target;
  r.configPath = config->path;
  r.skippedConfigs = config->skipped;
  Toolchain toolchain(settings, config->path, env);
  r.linkerName = target.isDarwin() ? "ld64.lld" : "ld.lld";
  if (auto clang = toolchain.find("clang"))
    r.clang = clang->path;
  else
    r.clangError = llvm::toString(clang.takeError());
  if (auto lld = toolchain.find(r.linkerName))
    r.lld = lld->path;
  else
    r.lldError = llvm::toString(lld.takeError());

  auto sysroot = doctorSysroot(target, *config, settings, o.sysroot, env);
  if (!sysroot)
    return sysroot.takeError();
  r.sysroot = *sysroot;
  Plan plan;
  plan.target = &target;
  plan.configPath = config->path;
  plan.env = env;
  plan.sysroot = r.sysroot;
  runChecks(plan, r);
  return r;
}

llvm::json::Value doctorJson(const DoctorResult &r) {
  const Target &target = *r.target;
  llvm::json::Value value = r.report.toJson();
  (*value.getAsObject())["target"] = target.rust;
  llvm::json::Object &root = *value.getAsObject();
  root["sysroot"] = r.sysroot.path;
  root["config"] =
      r.configPath.empty() ? llvm::json::Value(nullptr) : llvm::json::Value(r.configPath);
  llvm::json::Array skippedConfigs;
  for (const SkippedConfig &s : r.skippedConfigs)
    skippedConfigs.push_back(llvm::json::Object{{"path", s.path}, {"reason", s.reason}});
  root["skipped_configs"] = std::move(skippedConfigs);
  root["layout"] = describeLayout(r.sysroot);
  root["libc"] = target.isMusl()     ? "musl"
                 : target.isMingw()  ? "mingw-w64"
                 : target.isMsvc()   ? "msvc"
                 : target.isDarwin() ? "libSystem"
                                     : "glibc";
  root["glibc"] = r.glibc ? llvm::json::Value(*r.glibc) : llvm::json::Value(nullptr);
  root["toolchain"] = llvm::json::Object{
      {"clang", r.clang ? llvm::json::Value(*r.clang) : llvm::json::Value(nullptr)},
      {r.linkerName, r.lld ? llvm::json::Value(*r.lld) : llvm::json::Value(nullptr)}};
  return value;
}

void printDoctorText(llvm::raw_ostream &os, const DoctorResult &r) {
  const Target &target = *r.target;
  const Sysroot &sysroot = r.sysroot;
  os << "crosshim doctor: " << target.rust << "\n";
  os << "  clang:   " << (r.clang ? *r.clang : "not found: " + r.clangError) << "\n";
  os << "  " << (target.isDarwin() ? "ld64.lld:" : "ld.lld: ") << " "
     << (r.lld ? *r.lld : "not found: " + r.lldError) << "\n";
  os << "  sysroot: " << sysroot.path << " [" << describeLayout(sysroot) << "] from "
     << sysroot.source << "\n";
  os << "  config:  " << (r.configPath.empty() ? "(none)" : r.configPath) << "\n";
  for (const SkippedConfig &s : r.skippedConfigs)
    os << "  skipped: " << s.path << " (" << s.reason << ")\n";
  os << "  libc:    "
     << (target.isMusl()    ? std::string("musl")
         : target.isMingw() ? std::string("mingw-w64 (msvcrt)")
         : target.isMsvc()  ? std::string("Microsoft CRT")
         : target.isDarwin()
             ? std::string("libSystem (macOS SDK " + sysroot.sdkVersion + ")")
             : "glibc " + r.glibc.value_or("(version unknown: no readable libc.so.6)"))
     << "\n";
  const diag::DoctorStats &stats = r.stats;
  if (target.isDarwin())
    os << "  checked: SDKSettings.json, " << r.tbdRead << " .tbd stubs (usr/lib and frameworks)\n";
  else if (target.isWindows())
    os << "  checked: nothing: the sysroot checks are for ELF targets (Windows link failures are "
          "explained when they happen)\n";
  else
    os << "  checked: " << r.layout.libraryDirs.size() + (r.layout.gccDir.empty() ? 0 : 1)
       << " library dirs (" << stats.files << " ELF files and archives, " << stats.members
       << " archive members, " << stats.scripts << " linker scripts), " << stats.symlinks
       << " symlinks\n";
  r.report.printText(os);
  size_t counts[3] = {0, 0, 0};
  for (const diag::Finding &f : r.report.findings())
    ++counts[static_cast<int>(f.severity)];
  os << "crosshim: doctor: ";
  if (r.report.empty())
    os << "no problems found";
  else
    os << counts[2] << " error(s), " << counts[1] << " warning(s), " << counts[0] << " note(s)";
  if (!r.clang || !r.lld)
    os << "; " << (!r.clang ? llvm::StringRef("clang") : r.linkerName) << " not found";
  os << "\n";
}

// No target named: every target crosshim finds a sysroot for, one report
// each, then which targets have none. The build machine's own target is left
// out (its tools and libraries are the system's).
llvm::Expected<int> doctorEveryTarget(DoctorOptions options, const Env &env) {
  if (auto config = loadConfig(env); !config)
    return config.takeError();
  std::vector<DoctorResult> checked;
  std::vector<std::string> notSetUp;
  for (const Target &t : allTargets()) {
    if (&t == hostTarget())
      continue;
    options.target = t.rust.str();
    auto result = runDoctor(options, env);
    if (!result) {
      llvm::consumeError(result.takeError());
      notSetUp.push_back(t.rust.str());
      continue;
    }
    checked.push_back(std::move(*result));
  }
  int status = 0;
  for (const DoctorResult &r : checked)
    status = std::max(status, r.status());
  llvm::raw_ostream &os = llvm::outs();
  if (options.json) {
    llvm::json::Array targets, missing;
    for (const DoctorResult &r : checked)
      targets.push_back(doctorJson(r));
    for (const std::string &name : notSetUp)
      missing.push_back(name);
    os << llvm::formatv("{0:2}",
                        llvm::json::Value(llvm::json::Object{{"targets", std::move(targets)},
                                                             {"no_sysroot", std::move(missing)}}))
       << "\n";
    return status;
  }
  for (const DoctorResult &r : checked) {
    printDoctorText(os, r);
    os << "\n";
  }
  size_t withErrors = llvm::count_if(checked, [](const DoctorResult &r) { return r.status(); });
  os << "crosshim: doctor: " << checked.size() << " target(s) with a sysroot checked, "
     << withErrors << " with errors";
  if (!notSetUp.empty())
    os << "; no sysroot for " << llvm::join(notSetUp, ", ")
       << " (crosshim doctor --target T says where it looked)";
  os << "\n";
  return status;
}

} // namespace

llvm::Expected<int> cmdDoctor(CommandArgs args, const Env &env) {
  auto options = parseDoctorArgs(args, env);
  if (!options)
    return options.takeError();
  if (options->help) {
    printHelp(llvm::outs());
    return 0;
  }
  if (!options->target)
    return doctorEveryTarget(*options, env);
  auto result = runDoctor(*options, env);
  if (!result)
    return result.takeError();
  if (options->json)
    llvm::outs() << llvm::formatv("{0:2}", doctorJson(*result)) << "\n";
  else
    printDoctorText(llvm::outs(), *result);
  return result->status();
}

} // namespace crosshim
