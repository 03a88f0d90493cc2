// Turning what a build system passed to a shim name into the command crosshim
// runs. Every change is made by a named rule with a reason (`crosshim
// explain-args` prints them), and each rule has a unit test that fails
// without it.
#pragma once

#include "shims/args.h"
#include "shims/config.h"
#include "shims/dlltool_identify.h"
#include "shims/program_name.h"
#include "shims/sysroot.h"
#include "shims/targets.h"

#include <llvm/Support/Error.h>

#include <optional>
#include <string>
#include <vector>

namespace crosshim {

struct RuleInfo {
  llvm::StringRef name;
  llvm::StringRef reason;
};

/// Every rule crosshim knows, in the order they apply.
llvm::ArrayRef<RuleInfo> allRules();
const RuleInfo &rule(llvm::StringRef name);

/// One change a rule made.
struct Rewrite {
  const RuleInfo *rule;
  std::string change; // "added --target=...", "dropped -m64", ...
};

/// What the rewriter needs to know; discovered before (toolchain, sysroot)
/// so that the rewriting itself is a pure function.
struct RewriteInput {
  const Target *target = nullptr;
  const ToolInfo *tool = nullptr;
  TargetSettings settings;
  Sysroot sysroot;
  std::string program;             // the real tool (clang, ld.lld, llvm-ar, ...)
  std::string lld;                 // ld.lld for link mode; may be empty when not needed
  bool compilerRtBuiltins = false; // clang's resource dir has the builtins for the target
  bool crossTarget = true;         // the target is not the build machine
  bool stderrIsTerminal = false;   // crosshim's stderr is a terminal
  // MSVC targets (rewrite_msvc.cpp):
  std::string coffLinkerShim; // <cache>/msvc-bin/<triple>-link: the driver's link goes through it
  std::string libAliasDir;    // case-fixed names of SDK libraries the link asks for
  bool crtStatic = false;     // CARGO_CFG_TARGET_FEATURE has crt-static (cargo build scripts)
  std::string coffLibShim;    // <cache>/msvc-bin/<triple>-lib: a driver's link made an archive
  bool cargoBuildScript = false; // CARGO_CFG_TARGET_ENV=msvc, TARGET and OUT_DIR are set
  bool keepDll = false;          // CROSSHIM_MSVC_DLL=1: DLLs in build scripts stay DLLs
  // Darwin targets (rewrite_darwin.cpp): MACOSX_DEPLOYMENT_TARGET, if set.
  std::string macosDeploymentTarget;
  std::vector<std::string> args; // user arguments, response files expanded
  std::string invokedAs;         // absolute path of the shim name that ran (invokedPath)
  // PATH: where GNU's own cross tools are looked for (ld -r, -print-prog-name=).
  std::string pathVar;
};

struct RewriteResult {
  Mode mode = Mode::Link;
  std::vector<std::string> argv;     // argv[0] is the real program
  std::vector<std::string> unsetEnv; // variables removed for the child
  std::vector<Rewrite> rewrites;
  // A GCC query crosshim answers itself (gcc-query): printed on stdout
  // instead of running anything.
  std::optional<std::string> answer;
  // objdump for Windows targets: stdout gets GNU's format names (objdump-gnu-format-names).
  bool gnuObjectFormatNames = false;
  // What the program reads on its standard input instead of crosshim's
  // (gnu-as-several-inputs: the .include lines of several as inputs).
  std::optional<std::string> stdinText;
  // dlltool for Windows targets: --identify answered by crosshim, and
  // --help naming it (dlltool-identify).
  std::optional<DlltoolIdentify> dlltoolIdentify;
  bool dlltoolHelp = false;
};

/// What the GNU and Darwin rewriters share: the result being built, the
/// flags crosshim adds, and the record of which named rule did what (what
/// explain-args shows).
class RuleRecorder {
protected:
  /// Adds `flags` for the rule and records "added <flags>".
  void add(llvm::StringRef ruleName, std::initializer_list<std::string> flags);
  void add(llvm::StringRef ruleName, const std::vector<std::string> &flags);
  /// Records what the rule did.
  void note(llvm::StringRef ruleName, std::string change);
  /// Adds the crosshim.toml flags of `settings` under "config-flags": cflags,
  /// cxxflags for C++, ldflags when the command links.
  void addConfigFlags(const TargetSettings &settings, bool cxx, bool link);
  /// Ends a clang driver command: the added flags inside
  /// --start-no-unused-arguments ... --end-no-unused-arguments (so that a
  /// compile that does not use a link flag stays quiet), then `user` (the
  /// caller's arguments) as they were.
  RewriteResult finishDriverCommand(const std::vector<std::string> &user);

  RewriteResult out_;
  std::vector<std::string>
      added_; // flags crosshim adds (the GNU rewriter wraps them in the no-unused block)
};

/// Applies the rules. Fails only when the arguments contradict the target
/// (a different --target, -m32 on a 64-bit target, ...).
llvm::Expected<RewriteResult> rewriteCommand(const RewriteInput &input);

/// Called with every rule a rewriteCommand applied (each Rewrite of its
/// result). None in crosshim itself; the unit tests set one to check that
/// each rule in allRules() fires in some test (tests/unit/rule_coverage_test.cpp).
using RuleObserver = void (*)(const RuleInfo &rule);
void setRuleObserver(RuleObserver observer);

/// The MSVC targets' part of rewriteCommand (rewrite_msvc.cpp).
llvm::Expected<RewriteResult> rewriteMsvcCommand(const RewriteInput &input);

/// The Darwin targets' part of rewriteCommand (rewrite_darwin.cpp).
llvm::Expected<RewriteResult> rewriteDarwinCommand(const RewriteInput &input);

/// The minimum macOS a Darwin target's code gets: `deploymentTarget`
/// (MACOSX_DEPLOYMENT_TARGET) when set, else rustc's defaults: 10.12 for
/// x86_64, 11.0 for arm64.
std::string macosMinimumVersion(const Target &target, llvm::StringRef deploymentTarget);

/// The library names an lld-link command line asks for: `x.lib` inputs,
/// /defaultlib:, and the /DEFAULTLIB: directives inside its objects and
/// archives (which only lld-link sees). Reads @rsp with Windows quoting.
std::vector<std::string> msvcRequestedLibraries(llvm::ArrayRef<std::string> args);

/// A symbolic link the run of a plan makes before the tool starts (plans
/// themselves write nothing, so `which` and `explain-args` can show them).
struct LinkToMake {
  std::string target; // what the link points at
  std::string link;   // the link's path
};

/// Makes the links (and their folders). One that cannot be made is left out:
/// the tool then reports what it misses, and the diagnostics explain it.
/// Concurrent runs race safely (a private name, then rename over).
void makeLinks(llvm::ArrayRef<LinkToMake> links);

/// lld-link matches library names case-sensitively on Linux; the SDK spells
/// them as it likes (Advapi32.lib, kernel32.Lib). For each requested name
/// found only in another case, a link with the requested spelling goes into
/// a folder under `cacheDir` (one per set of lib dirs).
struct MsvcAliases {
  std::string dir;               // empty when none is needed or there is no cache folder
  std::vector<LinkToMake> links; // the aliases to make in it
};
MsvcAliases msvcLibraryAliases(llvm::ArrayRef<std::string> requested,
                               llvm::ArrayRef<std::string> libDirs, llvm::StringRef cacheDir);

/// <cacheDir>/msvc-bin/<triple>-<tool> -> crosshim: `link`, which clang's
/// MSVC driver runs as its linker, or `lib`, which it runs instead when its
/// link makes an archive (-fuse-ld=llvm-lib, msvc-dependency-archive). Its
/// link is empty when there is no cache folder.
LinkToMake msvcToolShim(const Target &target, llvm::StringRef tool, llvm::StringRef cacheDir);

/// Which compiler-rt builtins archive a target needs (libclang_rt.builtins-<arch>.a).
std::string compilerRtBuiltinsName(const Target &target);

} // namespace crosshim
