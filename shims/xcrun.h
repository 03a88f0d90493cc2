// <triple>-xcrun (and `xcrun` in the masquerade folder with CROSSHIM_TARGET):
// the questions build scripts ask Apple's xcrun, answered from the macOS SDK
// crosshim found for the target, and the tools it finds named after the target.
#pragma once

#include "shims/program_name.h"
#include "shims/sysroot.h"

#include <llvm/Support/Error.h>

#include <functional>
#include <string>
#include <vector>

namespace crosshim {

struct XcrunAnswer {
  std::string output;            // what to print (with its newline)
  std::vector<std::string> argv; // or a tool to run (--run, or `xcrun <tool> args`)
  int exitCode = 0;              // 1 with a message in `output` for stderr
};

/// What `xcrun args` means for `target` with `sdk`: --show-sdk-path,
/// --show-sdk-version, --show-sdk-platform-version, --show-sdk-platform-path,
/// --sdk macosx, -f/--find TOOL, -r/--run TOOL, TOOL ARGS. `namesDir` holds
/// the <triple>-<tool> names; `findLlvm` finds llvm-<tool> for the rest.
llvm::Expected<XcrunAnswer>
answerXcrun(const Target &target, const Sysroot &sdk, llvm::ArrayRef<std::string> args,
            llvm::StringRef namesDir, const std::function<std::string(llvm::StringRef)> &findLlvm);

/// Runs the xcrun shim to the end; returns only on error.
llvm::Error runXcrun(const ProgramName &name, llvm::StringRef argv0,
                     llvm::ArrayRef<std::string> args, const Env &env);

} // namespace crosshim
