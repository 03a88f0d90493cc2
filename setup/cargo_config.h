// `crosshim init`: the entries crosshim writes into a project's
// .cargo/config.toml, and an editor that adds them without disturbing the
// rest of the file (the user's keys, comments and formatting).
//
// What crosshim writes sits between two marker comments, so that a second
// run replaces it instead of adding a copy:
//
//   # >>> crosshim init: written by `crosshim init`; edit outside these markers >>>
//   ...
//   # <<< crosshim init <<<
//
// TOML allows a table to be defined once, so crosshim cannot simply append
// an `[env]` table when the user already has one: its entries then go into a
// marked block right under the user's own `[env]` header. Tables the file
// does not have are appended in one marked block at the end. A key the user
// already sets to another value is a conflict (an error unless `force`, which
// comments the user's line out and says so); the same value is left alone.
#pragma once

#include "shims/targets.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <string>
#include <vector>

namespace crosshim {

/// One `key = "value"` in a table ("env", "target.aarch64-unknown-linux-gnu").
struct CargoEntry {
  std::vector<std::string> table; // the table's key path: {"target", "aarch64-unknown-linux-gnu"}
  std::string key;
  std::string value; // a string value
};

/// The shim names cargo and cc-rs are given for a target. MSVC targets get
/// `link` (rustc passes lld-link's flags to a linker whose name it does not
/// recognise as GNU), `cl` and `lib` (cc-rs 1.0 archives with lib.exe's
/// `-out:` syntax for msvc targets, which llvm-ar does not take).
struct CargoTools {
  llvm::StringRef linker, cc, cxx, ar;
};
CargoTools cargoToolsFor(const Target &target);

/// What `crosshim init --target T` sets for each target: linker and runner,
/// and in [env] the C toolchain for cc-rs (CC_, CXX_, AR_, RANLIB_ with the
/// target's name in underscores) and pkg-config for the pkg-config crate
/// (PKG_CONFIG_<t>, PKG_CONFIG_ALLOW_CROSS_<t>), all absolute paths into
/// `namesDir` (the installed name farm).
std::vector<CargoEntry> cargoEntriesFor(llvm::ArrayRef<const Target *> targets,
                                        llvm::StringRef namesDir);

struct CargoEdit {
  std::string text;                  // the new file
  std::vector<std::string> replaced; // with force: "env.CC_x (was \"gcc\")"
};

/// Adds `entries` to the TOML text `text` (empty for a new file); `path` is
/// for messages. Errors (exit 2): the text is not TOML; a table the entries
/// need is written as an inline table or with dotted keys (crosshim only
/// edits `[table]` sections); a key already set to another value (unless
/// `force`); a conflicting value that spans several lines.
llvm::Expected<CargoEdit> editCargoConfig(llvm::StringRef text, llvm::StringRef path,
                                          llvm::ArrayRef<CargoEntry> entries, bool force);

/// A TOML basic string: "..." with \, " and control characters escaped.
std::string tomlString(llvm::StringRef value);

/// A unified diff (---/+++ headers, 3 lines of context) of two texts;
/// empty when they are the same.
std::string unifiedDiff(llvm::StringRef before, llvm::StringRef after, llvm::StringRef oldName,
                        llvm::StringRef newName);

} // namespace crosshim
