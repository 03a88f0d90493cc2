// Darwin targets: clang's Darwin driver with the user's macOS SDK and
// ld64.lld. Nothing from the build machine's headers or libraries applies:
// LIBRARY_PATH and CPATH are removed, -isysroot names the SDK.
#include "shims/rewrite.h"

#include "support/errors.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/Triple.h>

namespace crosshim {
namespace {

class DarwinRewriter : RuleRecorder {
public:
  explicit DarwinRewriter(const RewriteInput &in) : in_(in) {}
  llvm::Expected<RewriteResult> run();

private:
  llvm::Error filterDriverArgs();
  llvm::Expected<RewriteResult> linker();
  bool given(llvm::StringRef flag) const {
    return llvm::any_of(in_.args, [&](const std::string &a) { return a == flag; });
  }

  const RewriteInput &in_;
  std::vector<std::string> user_;
  bool userMinimum_ = false, versionedTarget_ = false, userLinker_ = false;
  bool userSysroot_ = false, userStdlib_ = false;
};

llvm::StringRef archName(const Target &target) {
  return llvm::Triple(target.clang).getArch() == llvm::Triple::x86_64 ? "x86_64" : "arm64";
}

llvm::Error DarwinRewriter::filterDriverArgs() {
  const Target &target = *in_.target;
  const std::vector<std::string> &args = in_.args;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (auto option = targetOptionAt(args, i)) {
      if (findTarget(option->value) != &target)
        return makeError(ExitCode::Usage, "the arguments ask for target '" + option->value.str() +
                                              "' but this is the " + target.rust.str() + " " +
                                              in_.tool->name.str() +
                                              " (use the shim named after the target you want)");
      llvm::Triple asked(option->value);
      if (asked.getOSMajorVersion() > 0) {
        // arm64-apple-macosx12.0: the minimum macOS rides on the triple.
        versionedTarget_ = true;
        note("darwin-versioned-target", "kept " + a.str() +
                                            (option->width == 2 ? " " + args[i + 1] : "") +
                                            " (its macOS version is the minimum)");
        for (size_t k = 0; k < option->width; ++k)
          user_.push_back(args[i + k]);
      } else {
        note("target-flag",
             "dropped " + a.str() + (option->width == 2 ? " " + args[i + 1] : std::string()));
      }
      i += option->width - 1;
      continue;
    }
    if (a == "-m32")
      return makeError(ExitCode::Usage,
                       "-m32 contradicts the target " + target.rust.str() + " (64-bit)");
    if (a == "-arch" && i + 1 < args.size() && args[i + 1] != archName(target) &&
        !(args[i + 1] == "x86_64h" && archName(target) == "x86_64"))
      return makeError(ExitCode::Usage, "-arch " + args[i + 1] + " contradicts the target " +
                                            target.rust.str() + " (-arch " +
                                            archName(target).str() +
                                            "); a universal binary is two links and lipo -create");
    if (a.startswith("-mmacosx-version-min=") || a.startswith("-mmacos-version-min="))
      userMinimum_ = true;
    if ((a.startswith("-fuse-ld=") && a != "-fuse-ld=lld") || a.startswith("--ld-path="))
      userLinker_ = true;
    if (a == "-isysroot" || a == "--sysroot" || a.startswith("--sysroot=") ||
        (a.startswith("-isysroot") && a.size() > 9))
      userSysroot_ = true;
    if (a.startswith("-stdlib="))
      userStdlib_ = true;
    user_.push_back(a.str());
  }
  return llvm::Error::success();
}

// <triple>-ld: ld64.lld itself, as a build that calls the linker directly
// (or clang -fuse-ld=<triple>-ld) expects ld64.
llvm::Expected<RewriteResult> DarwinRewriter::linker() {
  out_.mode = Mode::Link;
  out_.argv.push_back(in_.program);
  const Target &target = *in_.target;
  if (!given("-arch")) {
    out_.argv.insert(out_.argv.end(), {"-arch", archName(target).str()});
    note("darwin-ld", "added -arch " + archName(target).str());
  }
  if (!given("-platform_version") && !given("-macos_version_min") &&
      !given("-macosx_version_min")) {
    const std::string min = macosMinimumVersion(target, in_.macosDeploymentTarget);
    const std::string sdk = in_.sysroot.sdkVersion.empty() ? min : in_.sysroot.sdkVersion;
    out_.argv.insert(out_.argv.end(), {"-platform_version", "macos", min, sdk});
    note("darwin-ld", "added -platform_version macos " + min + " " + sdk);
  }
  if (!given("-syslibroot") && in_.sysroot.layout == Layout::MacSdk) {
    out_.argv.insert(out_.argv.end(), {"-syslibroot", in_.sysroot.path});
    note("darwin-ld", "added -syslibroot " + in_.sysroot.path);
  }
  out_.argv.insert(out_.argv.end(), in_.args.begin(), in_.args.end());
  return std::move(out_);
}

llvm::Expected<RewriteResult> DarwinRewriter::run() {
  const Target &target = *in_.target;
  const ToolInfo &tool = *in_.tool;
  if (in_.crossTarget)
    for (const char *var :
         {"LIBRARY_PATH", "CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH"})
      out_.unsetEnv.push_back(var);
  if (tool.kind == ToolKind::Linker)
    return linker();
  if (!tool.isCompilerDriver()) {
    out_.mode = Mode::Info;
    out_.argv.push_back(in_.program);
    out_.argv.insert(out_.argv.end(), in_.args.begin(), in_.args.end());
    return std::move(out_);
  }
  if (auto err = filterDriverArgs())
    return err;
  out_.mode = tool.kind == ToolKind::Preprocessor ? Mode::Compile : classifyMode(user_);
  const bool link = out_.mode != Mode::Compile;
  const bool cxx = tool.kind == ToolKind::CxxCompiler;

  out_.argv.push_back(in_.program);
  if (cxx) {
    out_.argv.push_back("--driver-mode=g++");
    note("driver-mode", "added --driver-mode=g++");
  } else if (tool.kind == ToolKind::Preprocessor) {
    out_.argv.push_back("--driver-mode=cpp");
    note("driver-mode", "added --driver-mode=cpp");
  }
  if (!versionedTarget_)
    add("target-from-name", {"--target=" + target.clang.str()});
  const Sysroot &s = in_.sysroot;
  if (userSysroot_)
    note("user-sysroot", "skipped -isysroot: the arguments give their own");
  else if (s.layout == Layout::MacSdk)
    add("darwin-sdk", {"-isysroot", s.path});
  if (userMinimum_ || versionedTarget_)
    note("darwin-min-version", "skipped: the arguments give the minimum macOS");
  else
    add("darwin-min-version",
        {"-mmacosx-version-min=" + macosMinimumVersion(target, in_.macosDeploymentTarget)});
  if (cxx && !userStdlib_) {
    add("darwin-libcxx", {"-stdlib=libc++", "-nostdinc++"});
    if (s.layout == Layout::MacSdk && !userSysroot_)
      add("darwin-libcxx", {"-isystem", s.path + "/usr/include/c++/v1"});
  }
  if (link) {
    if (userLinker_)
      note("darwin-ld64", "skipped: the arguments choose their own linker");
    else
      add("darwin-ld64", {"-fuse-ld=lld"});
  }
  addConfigFlags(in_.settings, cxx, link);
  return finishDriverCommand(user_);
}

} // namespace

std::string macosMinimumVersion(const Target &target, llvm::StringRef deploymentTarget) {
  if (!deploymentTarget.trim().empty())
    return deploymentTarget.trim().str();
  return llvm::Triple(target.clang).getArch() == llvm::Triple::x86_64 ? "10.12" : "11.0";
}

llvm::Expected<RewriteResult> rewriteDarwinCommand(const RewriteInput &input) {
  return DarwinRewriter(input).run();
}

} // namespace crosshim
