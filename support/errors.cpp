#include "support/errors.h"

#include "support/env.h"

#include <llvm/Support/raw_ostream.h>

#include <unistd.h>

namespace crosshim {

char ShimError::ID = 0;

void printError(llvm::StringRef message) {
  // Plain ANSI colour on a terminal: LLVM's WithColor would pull in terminfo.
  // NO_COLOR is read from the process once, here, rather than from the
  // snapshot main passes down: every layer reports errors, most of them
  // far from any Env, and the colour of a message decides nothing.
  static const bool colour = isatty(STDERR_FILENO) && !Env::process().get("NO_COLOR");
  llvm::errs() << (colour ? "\033[1mcrosshim: \033[1;31merror: \033[0m" : "crosshim: error: ")
               << message << "\n";
}

int reportError(llvm::Error err) {
  int code = static_cast<int>(ExitCode::Failure);
  llvm::handleAllErrors(std::move(err), [&](const llvm::ErrorInfoBase &e) {
    if (e.isA<ShimError>())
      code = static_cast<int>(static_cast<const ShimError &>(e).code());
    printError(e.message());
  });
  return code;
}

} // namespace crosshim
