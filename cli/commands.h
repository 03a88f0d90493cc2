// `crosshim <command>`: each command lives in its own cmd_*.cpp file.
#pragma once

#include "support/env.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Error.h>

#include <optional>
#include <string>

namespace crosshim {

using CommandArgs = llvm::ArrayRef<std::string>;

/// Each returns the exit status, or an error that main reports. `env` is the
/// snapshot of the process's environment main took.
llvm::Expected<int> cmdTargets(CommandArgs args, const Env &env);
llvm::Expected<int> cmdWhich(CommandArgs args, const Env &env);
llvm::Expected<int> cmdInstallLinks(CommandArgs args, const Env &env);
llvm::Expected<int> cmdExplainArgs(CommandArgs args, const Env &env);
llvm::Expected<int> cmdExplain(CommandArgs args, const Env &env);
llvm::Expected<int> cmdSysroot(CommandArgs args, const Env &env);
llvm::Expected<int> cmdRun(CommandArgs args, const Env &env);
llvm::Expected<int> cmdInit(CommandArgs args, const Env &env);
llvm::Expected<int> cmdDoctor(CommandArgs args, const Env &env);
llvm::Expected<int> cmdEnv(CommandArgs args, const Env &env);
llvm::Expected<int> cmdToolchain(CommandArgs args, const Env &env);

struct Target;
/// Runs `args` (PROGRAM ARGS...) for `target` in `env` (cmd_run.cpp;
/// `<triple>-run` names come here too). Returns only on error.
llvm::Error runProgramFor(const Target &target, std::optional<std::string> sysrootDir,
                          llvm::ArrayRef<std::string> args, const Env &env);

/// A subcommand with a usage line of its own (sysroot create|list|fix).
struct SubcommandInfo {
  const char *name;
  const char *synopsis;
  const char *summary;
};

struct CommandInfo {
  const char *name;
  /// The usage line without "crosshim ", defined here only: crosshim --help,
  /// the command's own --help and its usage errors print it (and README.md's
  /// Commands section shows the same lines).
  const char *synopsis;
  const char *summary;
  llvm::Expected<int> (*run)(CommandArgs, const Env &);
  /// The command prints its own, longer --help; main does not answer for it.
  bool ownHelp = false;
  /// Subcommands with usage lines of their own: crosshim --help lists those
  /// instead of `synopsis`.
  llvm::ArrayRef<SubcommandInfo> subcommands = {};
};

llvm::ArrayRef<CommandInfo> allCommands();

/// The usage line of `command`, or of its `subcommand` (both must exist).
const char *synopsisOf(llvm::StringRef command, llvm::StringRef subcommand = {});

/// True when `arg` is the option `option`, as `--opt` or `--opt=value`.
bool isOption(llvm::StringRef arg, llvm::StringRef option);

/// The value of the option at args[i] (see isOption): after '=', or the next
/// argument (i then moves to it). nullopt when the value is missing or empty.
std::optional<std::string> optionValue(CommandArgs args, size_t &i, llvm::StringRef option);

/// Prints a command's help when its arguments ask for it (-h, --help).
bool wantsHelp(CommandArgs args, const CommandInfo &command);
const CommandInfo &commandInfo(llvm::StringRef name);

} // namespace crosshim
