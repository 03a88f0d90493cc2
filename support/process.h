// Running the real tool: exec (compile mode: no extra process) or spawn and
// wait (link mode), with stderr forwarded as it arrives and a bounded copy
// kept for diagnostics, signals forwarded, and exit status passed through.
#pragma once

#include "support/env.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Error.h>

#include <optional>
#include <string>
#include <vector>

namespace crosshim {

/// The environment for a child: `env`, minus `unset`, plus `set` (NAME=value).
std::vector<std::string> childEnvironment(const Env &env, llvm::ArrayRef<std::string> unset,
                                          llvm::ArrayRef<std::string> set);

/// `name` looked up in the directories of `pathVar` (a PATH value), like
/// llvm::sys::findProgramByName; nullopt when none has it. An empty PATH has
/// no directory (findProgramByName would read the process's own PATH then).
std::optional<std::string> findInPath(llvm::StringRef name, llvm::StringRef pathVar);

/// Replaces this process with `program`. Returns only on failure.
llvm::Error execProgram(const std::string &program, llvm::ArrayRef<std::string> argv,
                        llvm::ArrayRef<std::string> env);

struct ChildStatus {
  int exitCode = 0;       // valid when signal == 0
  int signal = 0;         // the signal that ended the child, if any
  std::string stderrCopy; // at most the last `stderrLimit` bytes of its stderr
  bool stderrTruncated = false;
};

/// Spawns `program`, forwards SIGINT/SIGTERM/SIGHUP/SIGQUIT to it, copies its
/// stderr to ours as it arrives (keeping up to `stderrLimit` bytes), and waits.
llvm::Expected<ChildStatus> runProgram(const std::string &program, llvm::ArrayRef<std::string> argv,
                                       llvm::ArrayRef<std::string> env, size_t stderrLimit);

/// Ends this process the way the child ended: same exit code, or the same
/// signal re-raised (a shell then reports 128+N, as for the child itself).
[[noreturn]] void exitLike(const ChildStatus &status);

/// A private temporary directory (mode 0700) removed with its contents when
/// the object goes away.
class TempDir {
public:
  /// In $TMPDIR of `env`, else /tmp.
  static llvm::Expected<TempDir> create(const Env &env, llvm::StringRef prefix);
  TempDir(TempDir &&other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir(const TempDir &) = delete;
  ~TempDir();
  const std::string &path() const { return path_; }

private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

} // namespace crosshim
