// Shell quoting for what crosshim prints: logs, --dry-run commands, explain
// output and the env command.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

#include <string>

namespace crosshim {

/// POSIX shell quoting: `printf '%s\n' <quoted>` prints the bytes.
std::string shellQuote(llvm::StringRef arg);
/// The arguments quoted one by one and joined with single spaces.
std::string shellJoin(llvm::ArrayRef<std::string> args);

} // namespace crosshim
