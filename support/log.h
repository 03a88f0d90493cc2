// CROSSHIM_LOG=stderr|<file>: the incoming and the final command, shell-quoted,
// one line each. Each line is written with a single write() so that lines of
// parallel invocations do not interleave.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

#include <string>

namespace crosshim {

class CommandLog {
public:
  /// Reads CROSSHIM_LOG; disabled when it is unset or empty.
  CommandLog();
  bool enabled() const { return !target_.empty(); }
  void line(llvm::StringRef label, llvm::ArrayRef<std::string> argv) const;
  void text(llvm::StringRef label, llvm::StringRef message) const;

private:
  std::string target_;
};

} // namespace crosshim
