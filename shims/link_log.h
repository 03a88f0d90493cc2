// A saved build log, read after the fact (`crosshim explain`): the link
// command rustc printed when its linker failed, and the target that link
// was for. Text only; nothing here touches the file system.
#pragma once

#include "shims/targets.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

#include <optional>
#include <string>
#include <vector>

namespace crosshim {

/// A failed link as rustc reports it:
///   error: linking with `aarch64-unknown-linux-gnu-cc` failed: exit status: 1
///     |
///     = note: "aarch64-unknown-linux-gnu-cc" "-m64" "/tmp/rustcX/symbols.o" ...
struct LoggedLink {
  std::string linker;                 // between the backquotes; empty when only the note was seen
  std::vector<std::string> arguments; // the note's command without its program; empty if absent
  bool hasCommand = false;            // the note's command was found and parsed
};

/// The first failed link rustc reported in `log` (cargo output, or rustc's
/// own), ANSI colours and CR line ends allowed. nullopt when there is none.
std::optional<LoggedLink> findRustcLink(llvm::StringRef log);

/// Parses a command as rustc prints it: each argument in double quotes with
/// Rust's escapes (\" \\ \n \t \r \0 \' \u{...} and \xNN for bytes that are
/// not UTF-8), separated by spaces. Environment assignments (NAME="v"),
/// `cd "dir" &&` and `env -u NAME` before the program are skipped. Returns
/// the program and its arguments; nullopt when the text is not such a
/// command (no leading quoted word, an unterminated quote, text after it).
std::optional<std::vector<std::string>> parseRustcCommand(llvm::StringRef text);

/// The target of a logged link and how it was found.
struct LinkTarget {
  const Target *target = nullptr; // null: nothing in the link says
  std::string source;             // "--target=... in the link arguments", "the linker name ..."
};

/// From a compiler-driver target option in the arguments (--target=T,
/// -target T), else from a shim or GNU-prefixed linker name
/// (aarch64-unknown-linux-gnu-cc, /usr/bin/arm-linux-gnueabihf-gcc).
LinkTarget targetOfLink(llvm::StringRef linker, llvm::ArrayRef<std::string> arguments);

} // namespace crosshim
