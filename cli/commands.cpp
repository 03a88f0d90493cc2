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

llvm::ArrayRef<CommandInfo> allCommands() {
  static const CommandInfo commands[] = {
      {"targets", "targets", "list every known target with compiler, linker and sysroot status",
       cmdTargets},
      {"which", "which NAME...", "show what a shim or tool name resolves to, and why", cmdWhich},
      {"install-links", "install-links [--dir D] [--masquerade-dir M] [--target T]...",
       "(re)create the shim names (default: <prefix>/lib/crosshim/bin and .../masquerade)",
       cmdInstallLinks},
      {"explain-args", "explain-args NAME [ARGS...]",
       "show every rewrite a shim name would make to ARGS, with the rule and its reason",
       cmdExplainArgs},
      {"env", "env --target T [--shell sh|fish|make] [--dir D] [--cache C | --launcher L]",
       "print CC, CXX, AR, RANLIB, PKG_CONFIG (the shim names) and CROSSHIM_HOST (for "
       "./configure --host) for sh, fish or make",
       cmdEnv, /*ownHelp=*/true},
      {"explain", "explain [--target T] [--sysroot DIR] [--json] LOGFILE [-- LINK ARGS...]",
       "explain a failed link from a saved linker or cargo log (which library, what fix)",
       cmdExplain, /*ownHelp=*/true},
      {"init", "init --target T... [--dir DIR] [--force] [--dry-run] [--cache C | --launcher L]",
       "write linker, runner and C toolchain settings into the project's .cargo/config.toml",
       cmdInit, /*ownHelp=*/true},
      {"run", "run --target T [--sysroot DIR] [--] PROGRAM [ARGS...]",
       "run a program built for T: natively, or under qemu-user with T's sysroot", cmdRun,
       /*ownHelp=*/true},
      {"sysroot",
       "sysroot create --target T [--with PKG]... [--dir DIR] | list [--target T] | "
       "fix DIR [--dry-run] [--dev-links] [--json]",
       "make a sysroot from Debian packages, list each target's sysroot, or make a "
       "sysroot's symlinks relative (sysroot create|list|fix --help)",
       cmdSysroot, /*ownHelp=*/true},
      {"doctor", "doctor [--target T] [--sysroot DIR] [--json]",
       "check a target's toolchain and sysroot before linking (exit 1 on errors)", cmdDoctor,
       /*ownHelp=*/true},
      {"toolchain", "toolchain cmake|meson --target T [-o FILE] [--cache C | --launcher L]",
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

llvm::Error writeFileAtomically(const std::string &path, llvm::StringRef text) {
  llvm::SmallString<256> dir(path);
  llvm::sys::path::remove_filename(dir);
  if (dir.empty())
    dir = ".";
  llvm::SmallString<256> temp;
  int fd = -1;
  const std::string model =
      (dir + "/." + llvm::sys::path::filename(path) + ".crosshim-%%%%%%").str();
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, temp))
    return makeError(ExitCode::Failure, "cannot write " + path + ": " + ec.message());
  bool written;
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << text;
    os.close();
    written = !os.has_error();
    os.clear_error();
  }
  // createUniqueFile makes 0600: keep the replaced file's mode, else what a
  // plain create would give (0666 minus the umask).
  struct stat st;
  mode_t mode;
  if (::stat(path.c_str(), &st) == 0) {
    mode = st.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  if (!written || ::chmod(temp.c_str(), mode) != 0 || ::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = written ? std::strerror(errno) : "write error";
    ::unlink(temp.c_str());
    return makeError(ExitCode::Failure, "cannot write " + path + ": " + why);
  }
  return llvm::Error::success();
}

bool wantsHelp(CommandArgs args, const CommandInfo &command) {
  if (args.empty() || (args[0] != "-h" && args[0] != "--help"))
    return false;
  llvm::outs() << "usage: crosshim " << command.synopsis << "\n" << command.summary << "\n";
  return true;
}

} // namespace crosshim
