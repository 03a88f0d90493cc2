// Helpers shared by the unit tests: per-test directories, scoped environment
// variables, and a look inside llvm::Error values.
#pragma once

#include "support/errors.h"
#include "shims/sysroot.h"
#include "shims/targets.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace crosshim::test {

/// Sets (or, with nullopt, unsets) an environment variable for one scope and
/// restores the previous state afterwards.
class ScopedEnv {
public:
  ScopedEnv(const char *name, std::optional<std::string> value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv &) = delete;
  ScopedEnv &operator=(const ScopedEnv &) = delete;

private:
  std::string name_;
  std::optional<std::string> saved_;
};

/// Changes the working directory for one scope.
class ScopedCwd {
public:
  explicit ScopedCwd(const std::string &dir);
  ~ScopedCwd();
  ScopedCwd(const ScopedCwd &) = delete;
  ScopedCwd &operator=(const ScopedCwd &) = delete;

private:
  std::string saved_;
};

/// A fresh directory for the running test, named after it
/// (<CROSSHIM_TEST_TMP>/<Suite>.<Test>.<pid>), removed with its contents when
/// the object goes away. path() is canonical (no symlinks), so it compares
/// equal to what realpath() gives for files inside it.
class TestDir {
public:
  TestDir();
  ~TestDir();
  TestDir(const TestDir &) = delete;
  TestDir &operator=(const TestDir &) = delete;

  const std::string &path() const { return path_; }
  /// <path>/<rel>
  std::string operator/(llvm::StringRef rel) const;
  /// Creates <path>/<rel> and its parents; returns the full path.
  std::string makeDir(llvm::StringRef rel) const;
  /// Writes <path>/<rel> (parents created); returns the full path.
  std::string writeFile(llvm::StringRef rel, llvm::StringRef content, unsigned mode = 0644) const;
  /// A shell script that exits 0, mode 0755.
  std::string makeExecutable(llvm::StringRef rel) const;
  /// Creates the symlink <path>/<rel> -> target (parents created).
  std::string makeSymlink(llvm::StringRef target, llvm::StringRef rel) const;

private:
  std::string path_;
};

/// What an llvm::Error says, taken apart.
struct ErrorDetails {
  bool isShimError = false;
  ExitCode code = ExitCode::Failure;
  std::string message;
};

/// Consumes `err`.
ErrorDetails describe(llvm::Error err);

/// The error inside `value`; a test failure (and an empty ErrorDetails) when
/// it holds a value instead.
template <typename T> ErrorDetails errorOf(llvm::Expected<T> &&value) {
  if (value) {
    ADD_FAILURE() << "expected an error, got a value";
    return {};
  }
  return describe(value.takeError());
}

/// The value inside `value`; the test fails (fatally, through the ASSERT in
/// the macro below) when it holds an error.
#define ASSERT_OK_AND_ASSIGN(var, expr)                                                            \
  auto var = (expr);                                                                               \
  ASSERT_TRUE(static_cast<bool>(var)) << llvm::toString(var.takeError())

/// The bytes of a GNU ar archive that has only a symbol table listing
/// `symbols` (the first `counted` of them counted; the rest are bytes after
/// the counted names, as padding would be). Every offset points at 0x100.
std::string gnuArchive(const std::vector<std::string> &symbols, size_t counted = SIZE_MAX);

/// A known target by any of its names (the test fails when it is unknown).
const Target &target(const char *name);

/// A Sysroot at `path` with `layout` and nothing else set.
Sysroot sysrootAt(const std::string &path, Layout layout);

/// Lines of a text file, without their newlines.
std::vector<std::string> readLines(const std::string &path);

/// The canonical form of an existing path.
std::string realPath(llvm::StringRef path);

/// Runs `body` in a child process that has no capabilities (root then meets
/// permission bits as any other user does) and returns what it returned; an
/// error to start the child is returned as "fork: ..." text.
std::string runUnprivileged(const std::function<std::string()> &body);

} // namespace crosshim::test
