// crosshim: one binary, many names. Called as `crosshim` it runs a command;
// called as a shim name (aarch64-unknown-linux-gnu-cc, arm-linux-gnueabihf-gcc,
// cc in the masquerade folder) it cross-compiles through clang and lld.
#include "cli/commands.h"
#include "shims/pkg_config.h"
#include "shims/program_name.h"
#include "shims/shim.h"
#include "support/env.h"
#include "support/errors.h"

#include <fmt/format.h>
#include <llvm/Support/raw_ostream.h>

#include <cstring>
#include <unistd.h>
#include <vector>

#ifndef CROSSHIM_VERSION
#define CROSSHIM_VERSION "unknown"
#endif

namespace crosshim {

namespace {

void printUsage(llvm::raw_ostream &os) {
  os << "crosshim " CROSSHIM_VERSION " - cross-compile C, C++ and Rust through clang and lld\n\n"
        "usage: crosshim <command> [options]\n"
        "       <target>-<tool> [arguments]   (a shim name, e.g. aarch64-unknown-linux-gnu-cc)\n\n"
        "commands:\n";
  // A long synopsis gets its summary on the next line, under the others.
  auto line = [&](const char *synopsis, const char *summary) {
    if (std::strlen(synopsis) <= 30)
      os << fmt::format("  {:<30} {}\n", synopsis, summary);
    else
      os << fmt::format("  {}\n  {:<30} {}\n", synopsis, "", summary);
  };
  for (const CommandInfo &c : allCommands()) {
    if (c.subcommands.empty())
      line(c.synopsis, c.summary);
    for (const SubcommandInfo &s : c.subcommands)
      line(s.synopsis, s.summary);
  }
  os << "  --help, --version\n\n"
        "shim names: <rust-triple>-{cc,c++,ar,ranlib,ld,nm,objcopy,strip,...}, <rust-triple>-run\n"
        "(the runner: crosshim run), <triple>-pkg-config (the system pkg-config on the target's\n"
        "sysroot), GNU binutils' <triple>-{as,c++filt,gcc-ar,gcc-nm,gcc-ranlib,dwp} (as: GNU as\n"
        "options for clang's integrated assembler) and GNU spellings (aarch64-linux-gnu-gcc);\n"
        "a glibc floor may ride on the triple: x86_64-unknown-linux-gnu.2.17-cc. Bare names\n"
        "(cc, c++, ar, ...) in the masquerade folder run the host's own tool unless --target=\n"
        "or CROSSHIM_TARGET asks for a target.\n\n"
        "environment:\n"
        "  CROSSHIM_CONFIG=<file>        configuration file (default: nearest crosshim.toml, then\n"
        "                                ~/.config/crosshim/config.toml)\n"
        "  CROSSHIM_SYSROOT_<TRIPLE>=<d> sysroot for a target (AARCH64_UNKNOWN_LINUX_GNU)\n"
        "  CROSSHIM_LLVM=<prefix>        LLVM installation to use\n"
        "  CROSSHIM_TARGET=<triple>      target for masquerade names\n"
        "  CROSSHIM_LOG=stderr|<file>    log the incoming and final command lines\n"
        "  CROSSHIM_DRY_RUN=1            print the final command instead of running it\n"
        "  CROSSHIM_DIAGNOSE=0           no checks before and after links\n"
        "  CROSSHIM_STRICT=1             any finding of those checks fails the link\n"
        "  CROSSHIM_REPORT=<file>        write the findings as JSON (docs/report-format.md)\n";
}

int runMain(llvm::ArrayRef<std::string> args, const Env &env) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    printUsage(llvm::outs());
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    llvm::outs() << "crosshim " CROSSHIM_VERSION "\n";
    return 0;
  }
  for (const CommandInfo &c : allCommands()) {
    if (args[0] != c.name)
      continue;
    auto rest = args.drop_front();
    if (!c.ownHelp && wantsHelp(rest, c))
      return 0;
    auto result = c.run(rest, env);
    if (!result)
      return reportError(result.takeError());
    return *result;
  }
  printError("unknown command '" + args[0] + "' (crosshim --help lists the commands)");
  return 2;
}

} // namespace
} // namespace crosshim

int main(int argc, char **argv) {
  using namespace crosshim;
  // The one read of the environment: everything below is given this snapshot.
  const Env env = Env::process();
  std::vector<std::string> args(argv + 1, argv + argc);
  auto name = parseProgramName(argv[0]);
  if (!name)
    return reportError(name.takeError());
  if (name->kind == ProgramName::Kind::Main)
    return runMain(args, env);
  if (name->tool->kind == ToolKind::Runner)
    return reportError(runProgramFor(*name->target, std::nullopt, args, env));
  if (name->tool->kind == ToolKind::PkgConfig)
    return reportError(runPkgConfig(*name->target, args, env));
  return reportError(runShim(*name, argv[0], args, env));
}
