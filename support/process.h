// Running programs, the one place that does: exec (compile mode: no extra
// process), or spawn and wait (a link, objdump, apt-get and dpkg-deb for
// sysroot create) with output passed on or kept as the caller asks, signals
// forwarded to the child, and its exit status passed through.
#pragma once

#include "support/env.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/Support/Error.h>

#include <memory>
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

/// Makes this process's standard input a pipe that holds `text` (written
/// whole now), for a program exec'd next to read. An error when the pipe
/// cannot hold it.
llvm::Error setStandardInput(llvm::StringRef text);

/// Replaces this process with `program`. Returns only on failure.
llvm::Error execProgram(const std::string &program, llvm::ArrayRef<std::string> argv,
                        llvm::ArrayRef<std::string> env);

struct ChildStatus {
  int exitCode = 0; // valid when signal == 0
  int signal = 0;   // the signal that ended the child, if any
  /// At most the last `keepLimit` bytes of what was captured: the child's
  /// stderr, or what RunOptions::capture names.
  std::string stderrCopy;
  bool stderrTruncated = false;
};

/// How runProgram runs a child. The defaults are a link's: stdin and stdout
/// are ours, stderr is passed on to ours as it arrives and a copy is kept.
struct RunOptions {
  /// Which of the child's output goes through us (one pipe); the rest is ours.
  enum class Capture { Stderr, Stdout, StdoutAndStderr };
  Capture capture = Capture::Stderr;
  /// Pass what is captured on to our stderr as it arrives.
  bool echo = true;
  /// ChildStatus::stderrCopy keeps at most the last `keepLimit` bytes.
  size_t keepLimit = 0;
  /// Each line captured (without its newline), as it arrives; a last line
  /// without a newline comes at the end.
  llvm::function_ref<void(llvm::StringRef)> onLine;
  bool stdinFromNull = false;
  std::string cwd; // empty: ours
  /// The child leads a process group of its own and forwarded signals go to
  /// the whole group (a tool whose helpers must stop too: apt's download
  /// methods). Otherwise they go to the child alone, and what it leaves
  /// running when a forwarded signal ended it (ld.lld under clang) is ended
  /// too.
  bool ownProcessGroup = false;
};

/// Spawns `program`, forwards signals to it (see SignalForwarding), passes
/// on and keeps what it writes as `options` say, and waits for it.
llvm::Expected<ChildStatus> runProgram(const std::string &program, llvm::ArrayRef<std::string> argv,
                                       llvm::ArrayRef<std::string> env, const RunOptions &options);

/// A link's run: stderr passed on to ours, its last `stderrLimit` bytes kept.
llvm::Expected<ChildStatus> runProgram(const std::string &program, llvm::ArrayRef<std::string> argv,
                                       llvm::ArrayRef<std::string> env, size_t stderrLimit);

/// While it lives, `signals` are caught instead of ending this process: the
/// first one is remembered (caught()) and each is passed on to the child
/// runProgram is waiting for. Blocking calls are not restarted (they fail
/// with EINTR), so a long wait can look at caught(). Without one,
/// runProgram catches SIGINT, SIGTERM, SIGHUP and SIGQUIT while the child
/// runs. One at a time; the previous handlers come back at the end.
class SignalForwarding {
public:
  explicit SignalForwarding(llvm::ArrayRef<int> signals);
  SignalForwarding(const SignalForwarding &) = delete;
  SignalForwarding &operator=(const SignalForwarding &) = delete;
  ~SignalForwarding();
  /// The first signal caught since the scope began, or 0.
  static int caught();

private:
  struct Saved;
  std::vector<int> signals_;
  std::unique_ptr<Saved[]> saved_;
};

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
