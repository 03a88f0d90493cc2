// One shim invocation from start to end: target, configuration, tools,
// sysroot, rewriting, then running the real program.
#pragma once

#include "config.h"
#include "program_name.h"
#include "rewrite.h"
#include "sysroot.h"
#include "toolchain.h"

#include <llvm/Support/Error.h>

#include <optional>
#include <string>
#include <vector>

namespace crosshim {

struct Plan {
  const Target *target = nullptr; // null: host pass-through of a masquerade name
  const ToolInfo *tool = nullptr;
  std::optional<GlibcVersion> glibcFloor;
  std::string configPath;
  ToolLocation program;
  std::optional<Sysroot> sysroot;
  RewriteResult command;
};

/// Works out everything without running anything (what explain-args shows).
llvm::Expected<Plan> makePlan(const ProgramName &name, llvm::ArrayRef<std::string> args);

/// Runs a shim name to the end: execs the tool, or spawns it and exits like it.
/// Returns only on error.
llvm::Error runShim(const ProgramName &name, llvm::StringRef argv0,
                    llvm::ArrayRef<std::string> args);

} // namespace crosshim
