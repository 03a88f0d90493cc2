#include "shims/shim.h"

#include "shims/args.h"
#include "shims/launcher.h"
#include "shims/masquerade.h"
#include "shims/objdump_names.h"
#include "shims/xcrun.h"
#include "support/env.h"
#include "support/errors.h"
#include "support/log.h"
#include "support/process.h"
#include "support/safe_file.h"

#include "diagnostics/audit.h"
#include "diagnostics/coff.h"
#include "diagnostics/explain.h"
#include "diagnostics/explain_darwin.h"
#include "diagnostics/linker_output.h"
#include "diagnostics/report.h"
#include "diagnostics/resolve.h"
#include "diagnostics/symbol_index.h"

#include <llvm/ADT/Triple.h>
#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <unistd.h>

namespace crosshim {
namespace {

// Above this, the final command goes to clang in a response file: the
// kernel refuses any single argument over 128 KiB and a whole command line
// over a quarter of the stack limit (rustc hits it with big link lines).
constexpr size_t kMaxSingleArgument = 128 * 1024 - 1;
constexpr size_t kMaxCommandLine = 512 * 1024;
// How much of a failed link's stderr is kept for diagnostics.
constexpr size_t kStderrCopyLimit = 1 << 20;

std::optional<std::string> targetInArgs(llvm::ArrayRef<std::string> args) {
  for (size_t i = 0; i < args.size(); ++i)
    if (auto option = targetOptionAt(args, i))
      return option->value.str();
  return std::nullopt;
}

// clang's resource directory holds compiler-rt: <bindir>/../lib/clang/<v>/lib/linux/
// (or lib/<triple>/ with per-target runtime directories).
bool haveCompilerRtBuiltins(llvm::StringRef clang, const Target &target) {
  const std::string real = realPath(clang);
  llvm::SmallString<256> root(llvm::sys::path::parent_path(llvm::sys::path::parent_path(real)));
  llvm::sys::path::append(root, "lib", "clang");
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (llvm::sys::fs::exists(it->path() + "/lib/linux/" + compilerRtBuiltinsName(target)) ||
        llvm::sys::fs::exists(it->path() + "/lib/" + target.clang + "/libclang_rt.builtins.a"))
      return true;
  }
  return false;
}

// A tool with no LLVM counterpart (widl): the GNU cross tool of that name on
// PATH, skipping crosshim's own names.
llvm::Expected<ToolLocation> findGnuTool(const Target &target, llvm::StringRef tool,
                                         const Env &env) {
  const std::string name = target.gnu.str() + "-" + tool.str();
  auto found = findRealTool(name, env.getOr("PATH"), selfExecutable());
  if (!found)
    return makeError(ExitCode::Failure,
                     name + " not found on PATH (apt-get install mingw-w64-tools): " +
                         llvm::toString(found.takeError()));
  return ToolLocation{*found, "PATH, skipping crosshim (" + name + ")"};
}

// A C++ standard library for musl: Debian's musl-dev has none.
bool muslHasCxxLibrary(const Sysroot &s) {
  return llvm::sys::fs::exists(s.includeDir + "/c++") ||
         llvm::sys::fs::exists(s.libDir + "/libstdc++.a") ||
         llvm::sys::fs::exists(s.libDir + "/libc++.a");
}

// Replaces argv[1..] by one @file in a fresh private directory (removed
// with the returned TempDir).
llvm::Expected<TempDir> moveToResponseFile(std::vector<std::string> &argv, const Env &env) {
  if (llvm::any_of(argv, [](const std::string &a) { return a.empty(); }))
    return makeError(ExitCode::Failure,
                     "the command is too long to run directly and has an empty argument, which "
                     "a response file cannot carry (clang's reader drops \"\")");
  auto dir = TempDir::create(env, "crosshim");
  if (!dir)
    return dir.takeError();
  std::string rsp = dir->path() + "/args.rsp";
  std::error_code ec;
  llvm::raw_fd_ostream os(rsp, ec);
  if (!ec) {
    for (size_t i = 1; i < argv.size(); ++i)
      os << quoteForResponseFile(argv[i]) << "\n";
    os.close();
    ec = os.error();
    // Handled here: an unchecked error makes raw_fd_ostream abort the
    // process ("LLVM ERROR: IO failure") and leave the directory behind.
    os.clear_error();
  }
  if (ec)
    return makeError(ExitCode::Failure,
                     "cannot write the response file " + rsp + ": " + ec.message());
  argv = {argv.front(), "@" + rsp};
  return dir;
}

// ccache in front, in a mode where the fingerprint header cannot reach its
// key (launcher.h): an error, before anything runs.
llvm::Error refuseCcacheKeyGap(llvm::ArrayRef<std::string> args, const Env &env) {
  if (toolInFront() != ToolInFront::Ccache ||
      llvm::StringRef(env.getOr("CCACHE_COMPILERCHECK")).contains("--crosshim-fingerprint"))
    return llvm::Error::success();
  const std::string gap = ccacheKeyGap(args, env);
  if (gap.empty())
    return llvm::Error::success();
  return makeError(ExitCode::Usage, gap);
}

} // namespace

// The directories the driver gives the linker for this target's C library
// (before the link's own -L, which come first on the linker's line).
std::vector<std::string> targetLibraryDirs(const Plan &plan) {
  const Sysroot &s = *plan.sysroot;
  const std::string ma = plan.target->multiarch.str();
  const std::string root = s.path == "/" ? "" : s.path;
  switch (s.layout) {
  case Layout::DebianCross:
    return {s.path + "/lib"};
  case Layout::DebianMusl:
    if (!s.gccRuntimeDir.empty())
      return {s.libDir, s.gccRuntimeDir};
    return {s.libDir};
  case Layout::MsvcXwin:
  case Layout::MsvcWinsysroot:
    return s.libDirs;
  case Layout::MacSdk: // ld64.lld's -syslibroot: <sdk>/usr/lib
    return {s.path + "/usr/lib"};
  case Layout::Mingw: // clang's MinGW driver: <root>/<gnu>/lib and <root>/lib
    return {s.path + "/" + plan.target->gnu.str() + "/lib", s.path + "/lib", s.gccRuntimeDir};
  default:
    return {root + "/lib/" + ma, root + "/usr/lib/" + ma, root + "/lib", root + "/usr/lib"};
  }
}

// Where the linker looks for -l: the link's own -L in order, then the target's.
std::vector<std::string> linkerSearchDirs(const Plan &plan) {
  const std::vector<std::string> &argv = plan.command.argv;
  // doctor's plan has no command: drop_front() of nothing is out of bounds.
  const llvm::ArrayRef<std::string> args =
      argv.empty() ? llvm::ArrayRef<std::string>() : llvm::ArrayRef<std::string>(argv).drop_front();
  std::vector<std::string> dirs = diag::libraryDirsOf(args, plan.sysroot->path);
  for (llvm::StringRef a : args)
    if (a.consume_front_insensitive("/libpath:") || a.consume_front_insensitive("-libpath:"))
      dirs.push_back(a.str()); // lld-link's own, and clang-cl's -Wl-less link options
  // lld-link searches LIB after /libpath:, like link.exe.
  if (plan.tool && plan.tool->kind == ToolKind::CoffLinker)
    if (auto lib = plan.env.get("LIB"))
      for (llvm::StringRef dir : llvm::split(llvm::StringRef(*lib), ';'))
        if (!dir.empty())
          dirs.push_back(dir.str());
  for (std::string &dir : targetLibraryDirs(plan))
    dirs.push_back(std::move(dir));
  return dirs;
}

// Where else the loader or the linker finds a DT_NEEDED library of this
// link: next to a shared library given by path (libtool links
// ../src/.libs/libfoo.so, whose libfoo.so.N lies beside it), and in the
// -rpath and -rpath-link directories (also -Wl,-R), in the order given.
static std::vector<std::string> linkedLibraryDirs(llvm::ArrayRef<std::string> argv) {
  std::vector<std::string> dirs;
  auto add = [&](llvm::StringRef dir) {
    if (!dir.empty() && llvm::find(dirs, dir) == dirs.end())
      dirs.push_back(dir.str());
  };
  // The linker's own words, from -Wl,a,b and -Xlinker a.
  std::vector<std::string> linkerArgs;
  for (size_t i = 1; i < argv.size(); ++i) {
    llvm::StringRef a = argv[i];
    if (a.startswith("-Wl,")) {
      llvm::SmallVector<llvm::StringRef, 8> parts;
      a.drop_front(4).split(parts, ',');
      for (llvm::StringRef p : parts)
        linkerArgs.push_back(p.str());
    } else if (a == "-Xlinker" && i + 1 < argv.size()) {
      linkerArgs.push_back(argv[++i]);
    } else if (!a.startswith("-")) {
      llvm::StringRef name = llvm::sys::path::filename(a);
      if ((name.endswith(".so") || name.contains(".so.")) && llvm::sys::fs::exists(a)) {
        llvm::StringRef parent = llvm::sys::path::parent_path(a);
        add(parent.empty() ? llvm::StringRef(".") : parent);
      }
    }
  }
  auto addList = [&](llvm::StringRef list) {
    for (llvm::StringRef d : llvm::split(list, ':'))
      add(d);
  };
  for (size_t i = 0; i < linkerArgs.size(); ++i) {
    llvm::StringRef a = linkerArgs[i];
    if (!a.consume_front("-"))
      continue;
    a.consume_front("-"); // --rpath and -rpath alike
    const bool hasNext = i + 1 < linkerArgs.size();
    if (a == "rpath" || a == "rpath-link") {
      if (hasNext)
        addList(linkerArgs[++i]);
    } else if (a.consume_front("rpath=") || a.consume_front("rpath-link=")) {
      addList(a);
    } else if (a == "R") {
      // -R DIR is an rpath only when DIR is a directory (else --just-symbols).
      if (hasNext && llvm::sys::fs::is_directory(linkerArgs[i + 1]))
        addList(linkerArgs[++i]);
    } else if (a.startswith("R") && llvm::sys::fs::is_directory(a.drop_front())) {
      addList(a.drop_front());
    }
  }
  return dirs;
}

// What the output of a link for this target must look like.
diag::AuditExpectations auditExpectations(const Plan &plan) {
  const Target &target = *plan.target;
  diag::AuditExpectations expect;
  llvm::Triple triple(target.clang);
  switch (triple.getArch()) {
  case llvm::Triple::x86_64:
    expect.machine = llvm::ELF::EM_X86_64;
    break;
  case llvm::Triple::x86:
    expect.machine = llvm::ELF::EM_386;
    break;
  case llvm::Triple::aarch64:
    expect.machine = llvm::ELF::EM_AARCH64;
    break;
  case llvm::Triple::arm:
    expect.machine = llvm::ELF::EM_ARM;
    break;
  case llvm::Triple::riscv64:
    expect.machine = llvm::ELF::EM_RISCV;
    break;
  case llvm::Triple::ppc64le:
    expect.machine = llvm::ELF::EM_PPC64;
    break;
  case llvm::Triple::systemz:
    expect.machine = llvm::ELF::EM_S390;
    break;
  default:
    break;
  }
  expect.is64 = target.pointerBits == 64;
  if (triple.isARM())
    expect.armFloatAbi = triple.getEnvironment() == llvm::Triple::GNUEABIHF ||
                                 triple.getEnvironment() == llvm::Triple::MuslEABIHF
                             ? diag::ArmFloatAbi::Hard
                             : diag::ArmFloatAbi::Soft;
  expect.loader = target.loader.str();

  expect.libraryDirs = linkerSearchDirs(plan);
  for (std::string &dir : linkedLibraryDirs(plan.command.argv))
    expect.libraryDirs.push_back(std::move(dir));
  const std::string root = plan.sysroot->path == "/" ? "" : plan.sysroot->path;
  if (!root.empty())
    expect.buildPaths.push_back(root);
  llvm::SmallString<256> cwd;
  if (!llvm::sys::fs::current_path(cwd))
    expect.buildPaths.push_back(std::string(cwd));
  if (plan.glibcFloor)
    expect.glibcFloor = std::make_pair(plan.glibcFloor->major, plan.glibcFloor->minor);
  expect.linksLibc = llvm::none_of(plan.command.argv, [](const std::string &a) {
    return a == "-nostdlib" || a == "-nostartfiles" || a == "-nolibc";
  });
  expect.libc = target.libc;
  return expect;
}

// The sysroot and the target's directories outside it, for host-path-leak.
diag::HostPathContext hostPathContext(const Plan &plan) {
  const Target &target = *plan.target;
  diag::HostPathContext context;
  context.sysroot = plan.sysroot ? plan.sysroot->path : "/";
  const std::string ma = target.multiarch.str(), gnu = target.gnu.str();
  context.targetDirs = {"/usr/lib/" + ma, "/lib/" + ma, "/usr/include/" + ma};
  if (!gnu.empty())
    context.targetDirs.insert(context.targetDirs.end(),
                              {"/usr/" + gnu, "/usr/lib/gcc-cross/" + gnu});
  if (plan.sysroot && !plan.sysroot->libDir.empty())
    context.targetDirs.push_back(plan.sysroot->libDir);
  if (plan.sysroot && !plan.sysroot->includeDir.empty())
    context.targetDirs.push_back(plan.sysroot->includeDir);
  if (const Target *host = hostTarget())
    context.hostMultiarch = host->multiarch.str();
  return context;
}

// What a link writes: -o (clang), and for Windows also /out: (lld-link);
// clang's default a.out, or a.exe for Windows targets.
static std::string linkOutput(llvm::ArrayRef<std::string> argv, bool windows) {
  std::string out = windows ? "a.exe" : "a.out";
  for (size_t i = 1; i < argv.size(); ++i) {
    llvm::StringRef a = argv[i];
    if (a == "-o" && i + 1 < argv.size())
      out = argv[++i];
    else if (a.startswith("-o") && a.size() > 2)
      out = a.substr(2).str();
    else if (windows &&
             (a.consume_front_insensitive("/out:") || a.consume_front_insensitive("-out:")))
      out = a.str();
  }
  return out;
}

// Reads what the failed link printed against the libraries it could see.
diag::LinkContext linkContext(const Plan &plan) {
  diag::LinkContext context;
  context.arguments.assign(plan.command.argv.begin() + 1, plan.command.argv.end());
  context.libraryDirs = linkerSearchDirs(plan);
  if (plan.target) {
    context.target = plan.target->rust.str();
    context.libc = plan.target->libc;
  }
  if (plan.sysroot)
    context.sysroot = plan.sysroot->path;
  if (plan.target && plan.target->isWindows())
    context.coffMachine = diag::coffMachineForTriple(plan.target->clang);
  return context;
}

// What a Darwin link's messages are read against: the SDK and the architecture.
static diag::DarwinLinkContext darwinLinkContext(const Plan &plan) {
  diag::DarwinLinkContext context;
  if (plan.sysroot && plan.sysroot->layout == Layout::MacSdk)
    context.sdk = plan.sysroot->path;
  context.arch =
      llvm::Triple(plan.target->clang).getArch() == llvm::Triple::x86_64 ? "x86_64" : "arm64";
  context.arguments.assign(plan.command.argv.begin() + 1, plan.command.argv.end());
  return context;
}

void explainFailedLink(const Plan &plan, llvm::StringRef linkerOutput, diag::Report &report) {
  if (plan.target && plan.target->isDarwin()) {
    diag::explainDarwinLink(linkerOutput, darwinLinkContext(plan), report);
    return;
  }
  std::vector<diag::LinkerEvent> events = diag::parseLinkerOutput(linkerOutput);
  if (events.empty())
    return;
  diag::LinkContext context = linkContext(plan);
  diag::SymbolIndex index;
  if (llvm::any_of(events, [](const diag::LinkerEvent &e) { return !e.symbol.empty(); }))
    index.addDirectories(context.libraryDirs);
  diag::explainLinkFailure(events, index, context, report);
}

llvm::Error writeReportFile(const diag::Report &report, const Env &env) {
  auto path = env.get("CROSSHIM_REPORT");
  if (!path)
    return llvm::Error::success();
  if (llvm::Error err = writeFileSafely(std::string(*path), report.jsonText()))
    return makeError(ExitCode::Failure, "CROSSHIM_REPORT: " + llvm::toString(std::move(err)));
  return llvm::Error::success();
}

// Prints the findings after the linker's own output and writes
// CROSSHIM_REPORT. Returns the exit status of a link that succeeded: 1 when
// a finding is an error (CROSSHIM_STRICT=1: any finding) or the report the
// user asked for cannot be written, else 0.
int finishReport(diag::Report &report, bool linked, const Env &env) {
  report.sortBySeverity();
  if (!report.empty())
    report.printText(llvm::errs(), /*maxLines=*/24);
  int verdict = report.hasErrors() || (env.flag("CROSSHIM_STRICT") && !report.empty()) ? 1 : 0;
  if (llvm::Error err = writeReportFile(report, env)) {
    // Said once, with the file's own name, and what became of the link.
    printError(llvm::toString(std::move(err)) +
               (linked ? " (the link itself succeeded)" : " (the link failed too, see above)"));
    verdict = 1;
  }
  return verdict;
}

namespace {

// A masquerade name that nothing asks to cross-compile: the host's own tool,
// found on PATH past crosshim's folders.
llvm::Expected<Plan> planHostTool(Plan plan, const ProgramName &name,
                                  llvm::ArrayRef<std::string> rawArgs, const Env &env) {
  // Nothing asks for a target: be the host's own tool.
  auto real = findRealTool(name.tool->name, env.getOr("PATH"), selfExecutable());
  if (!real)
    return real.takeError();
  plan.program = {*real,
                  "PATH, skipping crosshim (masquerade name, no --target and no CROSSHIM_TARGET)"};
  plan.command.mode = Mode::Info;
  plan.command.argv.push_back(*real);
  // A cache in front keys the host's compiles on this name too: the
  // same name with CROSSHIM_TARGET must not find them (launcher.h).
  if (name.tool->isCompilerDriver() && name.tool->kind != ToolKind::ClCompiler &&
      llvm::is_contained(rawArgs, "-E")) {
    const ToolInFront front = toolInFront();
    if (front == ToolInFront::Ccache || front == ToolInFront::Sccache) {
      plan.fingerprint = hostFingerprintText(*real);
      auto header = fingerprintHeaderPath(plan.fingerprint, env);
      if (!header)
        return header.takeError();
      plan.fingerprintPath = *header;
      plan.command.argv.insert(plan.command.argv.end(), {"-include", *header});
    }
  }
  if (name.tool->isCompilerDriver() && name.tool->kind != ToolKind::ClCompiler &&
      !llvm::is_contained(rawArgs, "-E"))
    if (llvm::Error err = refuseCcacheKeyGap(rawArgs, env))
      return err;
  plan.command.argv.insert(plan.command.argv.end(), rawArgs.begin(), rawArgs.end());
  return plan;
}

// What the Windows (MSVC) and macOS rewrites read besides the arguments:
// the MSVC alias and tool links to make (listed in the plan, made by
// runShim), cargo's target features, and the macOS deployment target.
void addPlatformInputs(Plan &plan, const ProgramName &name, const Target &target, const Env &env,
                       RewriteInput &in) {
  if (target.isMsvc()) {
    // Where the links the MSVC tools need go; runShim makes them, not the plan.
    const std::string cache = env.userCacheDir();
    if (name.tool->kind == ToolKind::CoffLinker) {
      MsvcAliases aliases =
          msvcLibraryAliases(msvcRequestedLibraries(in.args), in.sysroot.libDirs, cache);
      in.libAliasDir = aliases.dir;
      plan.links = std::move(aliases.links);
    } else if (name.tool->isCompilerDriver()) {
      for (llvm::StringRef tool : {"link", "lib"}) {
        LinkToMake shim = msvcToolShim(target, tool, cache);
        (tool == "link" ? in.coffLinkerShim : in.coffLibShim) = shim.link;
        if (!shim.link.empty())
          plan.links.push_back(std::move(shim));
      }
    }
    in.crtStatic = llvm::StringRef(env.getOr("CARGO_CFG_TARGET_FEATURE")).contains("crt-static");
    // What cargo sets for build scripts and the compilers they run (cc-rs,
    // cmake-rs): msvc-dependency-archive applies there only.
    in.cargoBuildScript = env.get("CARGO_CFG_TARGET_ENV") == std::string_view("msvc") &&
                          env.get("TARGET") && env.get("OUT_DIR");
    in.keepDll = env.flag("CROSSHIM_MSVC_DLL");
  }
  if (target.isDarwin())
    in.macosDeploymentTarget = env.getOr("MACOSX_DEPLOYMENT_TARGET");
}

// Debian's musl-dev has C only: a C++ compile or link for musl against it
// cannot work, and would otherwise take the build machine's glibc libstdc++.
llvm::Error checkMuslCxx(const ProgramName &name, const Target &target, const RewriteInput &in,
                         Mode mode) {
  if (!(target.isMusl() && name.tool->kind == ToolKind::CxxCompiler && mode != Mode::Info &&
        in.sysroot.layout == Layout::DebianMusl && !muslHasCxxLibrary(in.sysroot) &&
        !llvm::any_of(in.args, [](const std::string &a) {
          return a == "-nostdinc++" || a == "-nostdlib++" || a == "-nostdlib" ||
                 a == "-ffreestanding";
        })))
    return llvm::Error::success();
  return makeError(ExitCode::Failure,
                   "Debian has no libstdc++ for musl (nor libc++): the " + target.rust.str() +
                       " sysroot " + in.sysroot.path +
                       " has C only; build the C++ parts for the -gnu target, or set `sysroot` "
                       "under [target." +
                       target.rust.str() +
                       "] in crosshim.toml to a musl root with a C++ library (an Alpine "
                       "minirootfs with libstdc++-dev)");
}

// For a link (or a query that may become one): ld.lld, and for musl the
// compiler-rt builtins or a GCC runtime the link needs.
llvm::Error addLinkTools(const Toolchain &toolchain, const Target &target,
                         const ToolLocation &program, Mode mode, const PlanOptions &options,
                         RewriteInput &in) {
  // A link needs ld.lld (ld64.lld for Darwin, which clang finds itself through
  // -fuse-ld=lld); an information query (--version, -print-*) can do without.
  auto lld = toolchain.find(target.isDarwin() ? "ld64.lld" : "ld.lld");
  if (lld)
    in.lld = lld->path;
  else if (mode == Mode::Link && !options.toolsMayBeMissing)
    return lld.takeError();
  else
    llvm::consumeError(lld.takeError());
  if (target.isMusl()) {
    in.compilerRtBuiltins = haveCompilerRtBuiltins(program.path, target);
    if (!in.compilerRtBuiltins && in.sysroot.layout == Layout::DebianMusl &&
        in.sysroot.gccRuntimeDir.empty() && !options.toolsMayBeMissing)
      return makeError(
          ExitCode::Failure,
          "musl links with Debian's musl-dev need compiler-rt's " + compilerRtBuiltinsName(target) +
              " next to " + program.path +
              " (apt-get install libclang-rt-<version>-dev, e.g. libclang-rt-14-dev), or a "
              "GCC runtime in the sysroot (`crosshim sysroot create --target " +
              target.rust.str() + "` adds libgcc-12-dev's)");
  }
  return llvm::Error::success();
}

// A cache in front that preprocesses through this shim must see what
// decides the object (launcher.h); a compile farm in front would send the
// shim's name to a server that does not know it.
llvm::Error checkToolInFront(Plan &plan, const ProgramName &name, const Target &target, Mode mode,
                             const std::vector<std::string> &userArgs, const Env &env) {
  if (mode == Mode::Compile && name.tool->isCompilerDriver() &&
      name.tool->kind != ToolKind::ClCompiler && llvm::is_contained(userArgs, "-E")) {
    const ToolInFront front = toolInFront();
    if (front == ToolInFront::Distcc || front == ToolInFront::Icecc) {
      const char *tool = front == ToolInFront::Distcc ? "distcc" : "icecc";
      return makeError(ExitCode::Usage, std::string(tool) +
                                            " runs a crosshim name, which its servers cannot run " +
                                            "for " + target.rust.str() + "; put " + tool +
                                            " behind crosshim instead: CROSSHIM_LAUNCHER=" + tool +
                                            " (or launcher = \"" + tool +
                                            "\" in crosshim.toml) and call the " + "shim itself");
    }
    const bool ccacheChecksFingerprint =
        front == ToolInFront::Ccache &&
        llvm::StringRef(env.getOr("CCACHE_COMPILERCHECK")).contains("--crosshim-fingerprint");
    if ((front == ToolInFront::Ccache || front == ToolInFront::Sccache) &&
        !ccacheChecksFingerprint) {
      plan.fingerprint = fingerprintText(target.rust.str(), plan.command, plan.launcherSetting);
      auto header = fingerprintHeaderPath(plan.fingerprint, env);
      if (!header)
        return header.takeError();
      plan.fingerprintPath = *header;
      std::vector<std::string> &argv = plan.command.argv;
      auto end = llvm::find(argv, "--end-no-unused-arguments");
      argv.insert(end, {"-include", *header});
    }
  }
  // A compile that ccache in front would store under a key without the
  // fingerprint (launcher.h): refused, so no such entry exists.
  if (mode == Mode::Compile && name.tool->isCompilerDriver() &&
      name.tool->kind != ToolKind::ClCompiler && !llvm::is_contained(userArgs, "-E"))
    if (llvm::Error err = refuseCcacheKeyGap(userArgs, env))
      return err;
  return llvm::Error::success();
}

// The sysroot the rewrite passes: for compilers and linkers the one found
// (or PlanOptions' --sysroot), which is required; for MinGW's windres the one
// found, if any.
llvm::Error addSysroot(Plan &plan, const ProgramName &name, const Target &target,
                       const TargetSettings &settings, const std::string &configPath,
                       const Env &env, const PlanOptions &options, RewriteInput &in) {
  if (name.tool->isCompilerDriver() || name.tool->kind == ToolKind::Linker ||
      name.tool->kind == ToolKind::CoffLinker) {
    auto sysroot = options.sysroot
                       ? llvm::Expected<Sysroot>(classifySysroot(target, *options.sysroot))
                       : findSysroot(target, settings, configPath, env);
    if (!sysroot)
      return sysroot.takeError();
    plan.sysroot = *sysroot;
    in.sysroot = *sysroot;
  } else if (name.tool->name == "windres" && target.isMingw()) {
    // llvm-windres preprocesses with clang, whose MinGW driver takes its root
    // from the first <gnu>-gcc on PATH: with the name farm on PATH that is the
    // shim's folder, and <winresrc.h> is not found. The rewrite passes the
    // sysroot to the preprocessor; without one, clang's own search is kept.
    if (auto sysroot = findSysroot(target, settings, configPath, env))
      in.sysroot = *sysroot;
    else
      llvm::consumeError(sysroot.takeError());
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<Plan> makePlan(const ProgramName &name, llvm::ArrayRef<std::string> rawArgs,
                              const Env &env, const PlanOptions &options) {
  Plan plan;
  plan.env = env;
  plan.tool = name.tool;
  plan.glibcFloor = name.glibcFloor;
  // lld-link and clang-cl read @rsp themselves, with Windows quoting (rustc
  // writes them so); expanding them with GNU rules would change backslashes.
  const bool keepResponseFiles =
      name.tool->kind == ToolKind::CoffLinker || name.tool->kind == ToolKind::ClCompiler;
  auto expanded = keepResponseFiles ? llvm::Expected<std::vector<std::string>>(
                                          std::vector<std::string>(rawArgs.begin(), rawArgs.end()))
                                    : expandResponseFilesChecked(rawArgs);
  if (!expanded)
    return expanded.takeError();
  std::vector<std::string> args = std::move(*expanded);

  const Target *target = name.target;
  if (name.kind == ProgramName::Kind::Masquerade) {
    // For binary tools --target names an object format (objcopy), not a triple.
    std::optional<std::string> asked;
    if (name.tool->isCompilerDriver())
      asked = targetInArgs(args);
    if (!asked)
      if (auto fromEnv = env.get("CROSSHIM_TARGET"))
        asked = std::string(*fromEnv);
    if (!asked)
      return planHostTool(std::move(plan), name, rawArgs, env);
    auto found = lookupTarget(*asked);
    if (!found)
      return found.takeError();
    target = &*found;
  }
  plan.target = target;

  auto config = loadConfig(env);
  if (!config)
    return config.takeError();
  plan.configPath = config->path;
  plan.configSkipped = config->skipped;
  const TargetSettings settings = config->forTarget(*target);
  if (!plan.glibcFloor)
    plan.glibcFloor = settings.glibc;
  if (plan.glibcFloor && !target->isGlibc())
    return makeError(ExitCode::Usage, "a glibc floor is set for " + target->rust.str() +
                                          ", which is not a glibc target");

  Toolchain toolchain(settings, config->path, env);
  if (name.tool->kind == ToolKind::Xcrun) {
    // Answered by crosshim itself (xcrun.cpp), from the SDK.
    auto sysroot = findSysroot(*target, settings, config->path, env);
    if (!sysroot)
      return sysroot.takeError();
    plan.sysroot = *sysroot;
    plan.program = {selfExecutable(), "crosshim answers xcrun from the macOS SDK"};
    plan.command.mode = Mode::Info;
    plan.command.argv.push_back(selfExecutable());
    plan.command.argv.insert(plan.command.argv.end(), args.begin(), args.end());
    return plan;
  }
  // ld64.lld for Darwin: <triple>-ld is Apple's ld64 to build systems.
  auto program = name.tool->llvmName.empty()
                     ? findGnuTool(*target, name.tool->name, env)
                     : toolchain.find(target->isDarwin() && name.tool->kind == ToolKind::Linker
                                          ? llvm::StringRef("ld64.lld")
                                          : name.tool->llvmName);
  if (!program) {
    if (!options.toolsMayBeMissing)
      return program.takeError();
    program = ToolLocation{name.tool->llvmName.str(), llvm::toString(program.takeError())};
  }
  plan.program = *program;

  RewriteInput in;
  in.target = target;
  in.tool = name.tool;
  in.settings = settings;
  in.program = program->path;
  in.crossTarget = target != hostTarget();
  in.args = std::move(args);
  in.pathVar = env.getOr("PATH");
  in.invokedAs = invokedPath(name.argv0, in.pathVar);

  if (llvm::Error err = addSysroot(plan, name, *target, settings, config->path, env, options, in))
    return err;
  addPlatformInputs(plan, name, *target, env, in);
  const Mode mode = classifyMode(in.args);
  if (llvm::Error err = checkMuslCxx(name, *target, in, mode))
    return err;
  // Only links keep colours on a terminal: no ioctl on the compile path.
  in.stderrIsTerminal = mode == Mode::Link && isatty(STDERR_FILENO);
  if (name.tool->isCompilerDriver() && name.tool->kind != ToolKind::Preprocessor &&
      mode != Mode::Compile)
    if (llvm::Error err = addLinkTools(toolchain, *target, *program, mode, options, in))
      return err;

  const std::vector<std::string> userArgs = in.args;
  auto command = rewriteCommand(in);
  if (!command)
    return command.takeError();
  plan.command = std::move(*command);
  if (!plan.command.argv.empty() && plan.command.argv[0] != plan.program.path)
    plan.program = {plan.command.argv[0], "chosen by the rewrite (crosshim explain-args)"};

  plan.launcherSetting = launcherCommand(settings, env);
  if (!plan.launcherSetting.empty() && launcherApplies(*name.tool, userArgs))
    plan.launcher = plan.launcherSetting;

  if (llvm::Error err = checkToolInFront(plan, name, *target, mode, userArgs, env))
    return err;
  return plan;
}

llvm::Expected<LinkRun> runLink(const Plan &plan, const std::string &program,
                                const std::vector<std::string> &argv,
                                std::vector<std::string> childEnv, const std::string &tmpDir) {
  const RewriteResult &cmd = plan.command;
  const Env &env = plan.env;
  const bool link = (plan.tool->isCompilerDriver() || plan.tool->kind == ToolKind::CoffLinker) &&
                    cmd.mode == Mode::Link;
  LinkRun run;
  // Before the link: which file each -l takes (stat and readlink only).
  std::optional<diag::Report> &report = run.report;
  const bool elfTarget = plan.target && plan.target->isLinux();
  // An MSVC driver's link runs the -link shim (msvc-link-through-shim), which
  // explains a failure itself: once is enough. One that runs the -lib shim
  // makes an archive: no image to audit, no linker messages to explain.
  const bool linkShimExplains =
      plan.target && plan.target->isMsvc() && plan.tool->isCompilerDriver() &&
      (llvm::is_contained(cmd.argv, "-fuse-ld=" + plan.target->rust.str() + "-link") ||
       llvm::is_contained(cmd.argv, "-fuse-ld=" + plan.target->rust.str() + "-lib"));
  if (link && plan.target && !linkShimExplains && env.getOr("CROSSHIM_DIAGNOSE", "1") != "0")
    report.emplace(plan.target->rust.str());
  if (report && elfTarget) {
    const llvm::ArrayRef<std::string> linkArgs = llvm::ArrayRef<std::string>(cmd.argv).drop_front();
    const std::vector<std::string> implicitDirs = targetLibraryDirs(plan);
    const std::vector<diag::LibraryResolution> resolutions =
        diag::resolveLibraries(linkArgs, implicitDirs, plan.sysroot->path);
    diag::checkLibraryResolution(resolutions, *report);
    diag::checkLibcLinkMode(linkArgs, resolutions, implicitDirs, plan.sysroot->path, *report);
    // Build-machine directories on the command line (the argv only). Not
    // the environment: the rewrite keeps LIBRARY_PATH and CPATH from clang,
    // so they cannot reach this link (`crosshim doctor` reports them).
    if (plan.target != hostTarget())
      diag::checkHostPaths({}, linkArgs, hostPathContext(plan), *report);
  }

  // clang's own temporary files go to a private TMPDIR removed afterwards: a
  // clang ended by a signal leaves them. It makes them only for an object
  // compiled on the way, or for the response file it gives ld.lld when the
  // command is too long, which is when crosshim has made its own private
  // directory already. A plain link (rustc's) makes none and pays no mkdir
  // (0.26 ms measured, docs/benchmarks.md). If no directory can be made, clang gets TMPDIR as is.
  std::optional<TempDir> childTmp;
  std::string clangTmp = tmpDir;
  if (clangTmp.empty() && link &&
      (llvm::any_of(llvm::ArrayRef<std::string>(cmd.argv).drop_front(), isCompilerInput) ||
       llvm::is_contained(cmd.argv, "-x"))) {
    if (auto dir = TempDir::create(env, "crosshim-tmp")) {
      childTmp.emplace(std::move(*dir));
      clangTmp = childTmp->path();
    } else {
      llvm::consumeError(dir.takeError());
    }
  }
  if (!clangTmp.empty()) {
    llvm::erase_if(childEnv,
                   [](const std::string &e) { return llvm::StringRef(e).startswith("TMPDIR="); });
    childEnv.push_back("TMPDIR=" + clangTmp);
  }

  auto status = runProgram(program, argv, childEnv, kStderrCopyLimit);
  childTmp.reset();
  if (!status)
    return status.takeError();
  run.status = std::move(*status);
  if (report && run.status.signal == 0) {
    const bool linked = run.status.exitCode == 0;
    if (linked && elfTarget)
      diag::auditLinkOutputFile(linkOutput(cmd.argv, false), auditExpectations(plan), *report);
    else if (linked && plan.target->isWindows()) {
      // The warnings that point at a problem (LNK4217), and the PE's machine.
      const diag::LinkContext context = linkContext(plan);
      diag::explainWindowsLinkWarnings(diag::parseLinkerOutput(run.status.stderrCopy), context,
                                       *report);
      diag::auditWindowsOutput(linkOutput(cmd.argv, true), context.coffMachine, *report);
    } else if (linked && plan.target->isDarwin()) {
      // ld64.lld's warnings that point at a problem (a newer minimum macOS).
      diag::explainDarwinLink(run.status.stderrCopy, darwinLinkContext(plan), *report);
    } else if (!llvm::sys::fs::is_directory(plan.sysroot->path))
      // Removed while the link ran: findings about the files it lacks would
      // send the user installing packages into a sysroot that is gone.
      printError("the sysroot " + plan.sysroot->path + " (from " + plan.sysroot->source +
                 ") no longer exists: it was removed while the link ran");
    else
      explainFailedLink(plan, run.status.stderrCopy, *report);
    int verdict = finishReport(*report, linked, env);
    if (linked)
      run.status.exitCode = verdict;
  }
  return run;
}

llvm::Error runShim(const ProgramName &name, llvm::StringRef argv0,
                    llvm::ArrayRef<std::string> args, const Env &env) {
  auto depth = checkRecursionDepth(env);
  if (!depth)
    return depth.takeError();

  CommandLog log(env);
  if (log.enabled()) {
    std::vector<std::string> incoming{argv0.str()};
    incoming.insert(incoming.end(), args.begin(), args.end());
    log.line("in", incoming);
  }

  if (name.tool->kind == ToolKind::Xcrun)
    return runXcrun(name, argv0, args, env);
  // `<shim> --crosshim-fingerprint`: for ccache's compiler_check (launcher.h).
  if (args.size() == 1 && args[0] == "--crosshim-fingerprint" && name.tool->isCompilerDriver()) {
    auto plan = makePlan(name, {"-c", "-"}, env);
    if (!plan)
      return plan.takeError();
    if (plan->target)
      llvm::outs() << fingerprintText(plan->target->rust.str(), plan->command,
                                      plan->launcherSetting);
    else // a masquerade name with no target: the host's compiler
      llvm::outs() << hostFingerprintText(plan->program.path);
    llvm::outs().flush();
    std::exit(0);
  }

  auto plan = makePlan(name, args, env);
  if (!plan)
    return plan.takeError();
  RewriteResult &cmd = plan->command;
  // An untrusted crosshim.toml is not obeyed, and said only here (and by
  // `crosshim which` and `doctor`): a build system's probe reads stderr.
  for (const SkippedConfig &s : plan->configSkipped)
    log.text("note", "skipped the configuration file " + s.path + ": " + s.reason);
  if (cmd.answer) { // gcc-query: nothing to run
    llvm::outs() << *cmd.answer;
    llvm::outs().flush();
    std::exit(0);
  }
  if (cmd.dlltoolIdentify) { // dlltool-identify: nothing to run
    auto dlls = identifyImportLibrary(*cmd.dlltoolIdentify);
    if (!dlls)
      return dlls.takeError();
    for (const std::string &dll : *dlls)
      llvm::outs() << dll << "\n";
    llvm::outs().flush();
    std::exit(0);
  }

  std::vector<std::string> argv = cmd.argv;
  std::string program = plan->program.path;
  if (!plan->launcher.empty()) {
    auto launcher = applyLauncher(plan->launcher, argv, env);
    if (!launcher)
      return launcher.takeError();
    program = *launcher;
  }
  log.line("out", argv);
  // The log the user asked for cannot be written: said once, before the
  // tool runs, and nothing runs.
  if (llvm::Error err = log.takeError())
    return err;

  if (env.flag("CROSSHIM_DRY_RUN")) {
    llvm::outs() << shellJoin(argv) << "\n";
    llvm::outs().flush();
    std::exit(0);
  }

  makeLinks(plan->links);
  if (!plan->fingerprintPath.empty())
    if (llvm::Error err = writeFingerprintHeader(plan->fingerprintPath, plan->fingerprint))
      return err;
  std::vector<std::string> childEnv =
      childEnvironment(env, cmd.unsetEnv, {"CROSSHIM_DEPTH=" + std::to_string(*depth + 1)});

  // A command the kernel would refuse goes to clang as a fresh response file
  // in a private directory, removed once clang is done.
  std::optional<TempDir> rspDir;
  const bool tooLong =
      commandLineBytes(argv) + commandLineBytes(childEnv) > kMaxCommandLine ||
      llvm::any_of(argv, [](const std::string &a) { return a.size() > kMaxSingleArgument; });
  if (tooLong && plan->tool->isCompilerDriver()) {
    if (!plan->launcher.empty()) { // clang's own response file, without the launcher
      argv = cmd.argv;
      program = plan->program.path;
      log.text("note", "command too long for the launcher; running clang itself");
    }
    auto dir = moveToResponseFile(argv, env);
    if (!dir)
      return dir.takeError();
    rspDir.emplace(std::move(*dir));
    log.text("note", "command too long; passing " + argv.back());
  }

  const bool link = (plan->tool->isCompilerDriver() || plan->tool->kind == ToolKind::CoffLinker) &&
                    cmd.mode == Mode::Link;
  if (cmd.gnuObjectFormatNames)
    runWithGnuCoffFormatNames(program, argv, childEnv);
  if (cmd.stdinText) // gnu-as-several-inputs
    if (llvm::Error err = setStandardInput(*cmd.stdinText))
      return err;
  if (cmd.dlltoolHelp)
    runDlltoolHelp(program, argv, childEnv);
  if (!rspDir && !link)
    return execProgram(program, argv, childEnv);

  auto run = runLink(*plan, program, argv, std::move(childEnv), rspDir ? rspDir->path() : "");
  rspDir.reset(); // remove the response file before we exit like the child
  if (!run)
    return run.takeError();
  exitLike(run->status);
}

} // namespace crosshim
