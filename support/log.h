// CROSSHIM_LOG=stderr|<file>: the incoming and the final command, shell-quoted,
// one line each. Each line is written with a single write() so that lines of
// parallel invocations do not interleave. A record is one line whatever it
// quotes: an argument with a control character (a newline, a carriage
// return, an escape) is written in $'...' quoting with C escapes, and a
// message's control characters as C escapes. The file is opened by the
// write rules of safe_file.h (a symlink written through, a FIFO nobody reads
// or a read-only file refused); when it cannot be written, the shim says so
// once, naming the file, and fails without running the tool.
#pragma once

#include "support/env.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <string>

namespace crosshim {

class CommandLog {
public:
  /// Reads CROSSHIM_LOG from `env`; disabled when it is unset or empty.
  explicit CommandLog(const Env &env);
  bool enabled() const { return !target_.empty(); }
  void line(llvm::StringRef label, llvm::ArrayRef<std::string> argv) const;
  void text(llvm::StringRef label, llvm::StringRef message) const;
  /// The first write that failed (naming CROSSHIM_LOG's file), once.
  llvm::Error takeError() const;

private:
  std::string target_;
  mutable std::string error_;
  mutable bool reported_ = false;
};

/// One argument for a log record: shellQuote, or $'...' with C escapes when
/// it holds a control character, so that the record stays one line and bash
/// (or zsh, ksh) reads back the same bytes.
std::string logQuote(llvm::StringRef arg);

/// `text` with control characters as C escapes (\n, \r, \t, \xHH).
std::string escapeControl(llvm::StringRef text);

} // namespace crosshim
