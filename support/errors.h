// Errors are values inside crosshim (llvm::Error / llvm::Expected) and become
// one message plus an exit code at the edge (main). The exit code travels with
// the error so that, e.g., a bad config file always ends with status 2.
#pragma once

#include <llvm/Support/Error.h>

#include <string>

namespace crosshim {

enum class ExitCode : int {
  Failure = 1, // the requested work failed (no sysroot, tool missing, ...)
  Usage = 2,   // bad command line, bad configuration file, bad program name
  NotFound = 127, // a program to run (or its emulator) is not there, as a shell says it
};

class ShimError : public llvm::ErrorInfo<ShimError> {
public:
  static char ID;
  ShimError(ExitCode code, std::string message) : code_(code), message_(std::move(message)) {}
  void log(llvm::raw_ostream &os) const override { os << message_; }
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }
  ExitCode code() const { return code_; }
  const std::string &text() const { return message_; }

private:
  ExitCode code_;
  std::string message_;
};

inline llvm::Error makeError(ExitCode code, std::string message) {
  return llvm::make_error<ShimError>(code, std::move(message));
}

/// Prints "crosshim: error: <message>" (coloured on a terminal) and returns
/// the exit code the error carries (1 for errors from LLVM itself).
int reportError(llvm::Error err);

/// Prints "crosshim: error: <message>" on stderr.
void printError(llvm::StringRef message);

} // namespace crosshim
