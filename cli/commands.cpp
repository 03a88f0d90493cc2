#include "cli/commands.h"

#include "support/errors.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

#include <llvm/Support/raw_ostream.h>

namespace crosshim {

namespace {

constexpr SubcommandInfo kSysrootSubcommands[] = {
    {"create",
     "sysroot create --target T [--distro debian:bookworm] [--with PKG]... [--dir DIR] "
     "[--mirror URL] [--refresh]",
     "make a sysroot for T from Debian packages (no Docker, no root)"},
    {"list", "sysroot list [--target T]", "show each target's sysroot: where from, layout, glibc"},
    {"fix", "sysroot fix DIR [--dry-run] [--dev-links] [--json]",
     "make DIR's absolute symlinks relative, inside DIR (--dev-links: add lib<name>.so links)"},
};

} // namespace

llvm::ArrayRef<CommandInfo> allCommands() {
  static const CommandInfo commands[] = {
      {"targets", "targets", "list every known target with compiler, linker and sysroot status",
       cmdTargets},
      {"which", "which NAME...", "show what a shim or tool name resolves to, and why", cmdWhich},
      {"install-links",
       "install-links [--dir D] [--masquerade-dir M] [--no-masquerade] [--target T]...",
       "(re)create the shim names (default: <prefix>/lib/crosshim/bin and .../masquerade)",
       cmdInstallLinks},
      {"explain-args", "explain-args NAME [ARGS...]",
       "show every rewrite a shim name would make to ARGS, with the rule and its reason",
       cmdExplainArgs},
      {"env",
       "env --target T [--shell sh|fish|make] [--dir D] [--cache ccache|sccache | --launcher "
       "distcc|icecc]",
       "print CC, CXX, AR, RANLIB, PKG_CONFIG (the shim names) and CROSSHIM_HOST (for "
       "./configure --host) for sh, fish or make",
       cmdEnv, /*ownHelp=*/true},
      {"explain", "explain [--target T] [--sysroot DIR] [--json] LOGFILE [-- LINK ARGS...]",
       "explain a failed link from a saved linker or cargo log (which library, what fix)",
       cmdExplain, /*ownHelp=*/true},
      {"init",
       "init --target T... [--dir DIR] [--force] [--dry-run] [--cache ccache|sccache | "
       "--launcher distcc|icecc]",
       "write linker, runner and C toolchain settings into the project's .cargo/config.toml",
       cmdInit, /*ownHelp=*/true},
      {"run", "run --target T [--sysroot DIR] [--] PROGRAM [ARGS...]",
       "run a program built for T: natively, or under qemu-user with T's sysroot", cmdRun,
       /*ownHelp=*/true},
      {"sysroot", "sysroot create|list|fix ...",
       "make a sysroot from Debian packages, list each target's sysroot, or make a "
       "sysroot's symlinks relative (sysroot create|list|fix --help)",
       cmdSysroot, /*ownHelp=*/true, kSysrootSubcommands},
      {"doctor", "doctor [--target T] [--sysroot DIR] [--json]",
       "check a target's toolchain and sysroot before linking (exit 1 on errors)", cmdDoctor,
       /*ownHelp=*/true},
      {"toolchain",
       "toolchain cmake|meson --target T [-o FILE] [--force] [--cache ccache|sccache | "
       "--launcher distcc|icecc]",
       "print a CMake toolchain file or a Meson cross file that uses the shims and the runner",
       cmdToolchain, /*ownHelp=*/true},
  };
  return commands;
}

const CommandInfo &commandInfo(llvm::StringRef name) {
  for (const CommandInfo &c : allCommands())
    if (name == c.name)
      return c;
  llvm_unreachable("unknown command");
}

const char *synopsisOf(llvm::StringRef command, llvm::StringRef subcommand) {
  const CommandInfo &info = commandInfo(command);
  if (subcommand.empty())
    return info.synopsis;
  for (const SubcommandInfo &s : info.subcommands)
    if (subcommand == s.name)
      return s.synopsis;
  llvm_unreachable("unknown subcommand");
}

bool isOption(llvm::StringRef arg, llvm::StringRef option) {
  return arg == option || (arg.startswith(option) && arg.drop_front(option.size()).startswith("="));
}

std::optional<std::string> optionValue(CommandArgs args, size_t &i, llvm::StringRef option) {
  llvm::StringRef a = args[i];
  std::optional<std::string> value;
  if (a.consume_front(option) && a.consume_front("="))
    value = a.str();
  else if (args[i] == option && i + 1 < args.size())
    value = args[++i];
  if (value && value->empty())
    return std::nullopt;
  return value;
}

bool wantsHelp(CommandArgs args, const CommandInfo &command) {
  if (args.empty() || (args[0] != "-h" && args[0] != "--help"))
    return false;
  llvm::outs() << "usage: crosshim " << command.synopsis << "\n" << command.summary << "\n";
  return true;
}

} // namespace crosshim
