// crosshim which NAME...: what a shim name or an LLVM tool name resolves to.
#include "cli/commands.h"
#include "shims/pkg_config.h"
#include "shims/program_name.h"
#include "shims/shim.h"
#include "support/errors.h"

#include <llvm/Support/raw_ostream.h>

namespace crosshim {
namespace {

llvm::Error describeShim(const ProgramName &name, llvm::StringRef text, llvm::raw_ostream &os,
                         const Env &env) {
  if (name.tool->kind == ToolKind::PkgConfig) {
    auto pc = planPkgConfigForTarget(*name.target, {}, env);
    if (!pc)
      return pc.takeError();
    os << text << "\n  target:  " << name.target->rust << "\n";
    describePkgConfig(*pc, os);
    return llvm::Error::success();
  }
  auto plan = makePlan(name, {}, env);
  if (!plan)
    return plan.takeError();
  os << text << "\n";
  if (!plan->target) {
    os << "  runs:    " << plan->program.path << "\n  because: " << plan->program.reason << "\n";
    return llvm::Error::success();
  }
  os << "  target:  " << plan->target->rust << " (clang --target=" << plan->target->clang << ")\n";
  os << "  runs:    " << plan->program.path << "\n  found:   " << plan->program.reason << "\n";
  // The GNU names whose LLVM counterpart has another name.
  if (name.tool->kind == ToolKind::Assembler)
    os << "  as:      clang's integrated assembler (-c -x assembler) with GNU as's options "
          "translated; "
       << plan->target->rust << "-as --help lists them\n";
  else if (name.tool->kind == ToolKind::BinaryTool && !name.tool->llvmName.empty() &&
           name.tool->llvmName != ("llvm-" + name.tool->name).str() &&
           name.tool->llvmName != name.tool->name)
    os << "  instead: " << name.tool->llvmName << " stands for GNU's " << name.tool->name
       << (name.tool->name.startswith("gcc-") ? " (it reads LTO bitcode itself, no plugin)" : "")
       << "\n";
  if (plan->sysroot)
    os << "  sysroot: " << plan->sysroot->path << " [" << describeLayout(*plan->sysroot)
       << "]\n  from:    " << plan->sysroot->source << "\n";
  if (plan->glibcFloor)
    os << "  glibc floor: " << plan->glibcFloor->str() << "\n";
  os << "  config:  " << (plan->configPath.empty() ? "(none)" : plan->configPath) << "\n";
  for (const SkippedConfig &s : plan->configSkipped)
    os << "  skipped: " << s.path << " (" << s.reason << ")\n";
  return llvm::Error::success();
}

// <known target>-<known tool> that the target lacks (x86_64-pc-windows-msvc-as):
// the name's own error says which targets have the tool, where a search for
// an LLVM program of that name would only say it is not installed.
bool isTargetWithoutTool(llvm::StringRef arg) {
  for (const ToolInfo &tool : allTools()) {
    llvm::StringRef prefix = arg;
    if (prefix.consume_back(("-" + tool.name).str()) && findTarget(prefix))
      return true;
  }
  return false;
}

} // namespace

llvm::Expected<int> cmdWhich(CommandArgs args, const Env &env) {
  if (args.empty())
    return makeError(ExitCode::Usage,
                     "which needs a name: a shim name (aarch64-unknown-linux-gnu-cc) "
                     "or a tool (clang, ld.lld, llvm-ar)");
  int status = 0;
  std::optional<Toolchain> toolchain; // for LLVM program names, made on first use
  for (const std::string &arg : args) {
    auto name = parseProgramName(arg);
    // clang, clang++, llvm-ar and llvm-ranlib are LLVM programs here, as
    // ld.lld is, not masquerade names (the masquerade folder has none of them).
    const bool llvmProgram =
        name && name->kind == ProgramName::Kind::Masquerade &&
        (llvm::StringRef(arg).startswith("clang") || llvm::StringRef(arg).startswith("llvm-"));
    if (name && name->kind != ProgramName::Kind::Main && !llvmProgram) {
      if (auto err = describeShim(*name, arg, llvm::outs(), env))
        status = std::max(status, reportError(std::move(err)));
      continue;
    }
    if (!name && isTargetWithoutTool(arg)) {
      status = std::max(status, reportError(name.takeError()));
      continue;
    }
    llvm::consumeError(name.takeError());
    // An LLVM program, found as crosshim finds its tools.
    if (!toolchain) {
      auto config = loadConfig(env);
      if (!config)
        return config.takeError();
      toolchain.emplace(config->defaults, config->path, env);
    }
    auto loc = toolchain->find(arg);
    if (!loc) {
      status = std::max(status, reportError(loc.takeError()));
      continue;
    }
    llvm::outs() << arg << "\n  runs:    " << loc->path << "\n  found:   " << loc->reason << "\n";
  }
  return status;
}

} // namespace crosshim
