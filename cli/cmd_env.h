// crosshim env --target T [--shell sh|fish|make] [--dir D]: the variables a
// Makefile or an autotools build needs to cross-compile through the installed
// shim names (CC, CXX, AR, RANLIB, PKG_CONFIG) and CROSSHIM_HOST, the value
// for ./configure --host. The text is made by pure functions (unit-tested).
#pragma once

#include "shims/targets.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Error.h>

#include <optional>
#include <string>
#include <vector>

namespace crosshim {

enum class EnvSyntax { Sh, Fish, Make };

/// "sh", "fish" or "make"; nullopt for anything else.
std::optional<EnvSyntax> parseEnvSyntax(llvm::StringRef name);

struct EnvVariable {
  std::string name;
  std::string value;
};

/// The --host value for ./configure: the GNU triple, else the clang triple
/// (both are spellings config.sub accepts).
std::string configureHost(const Target &target);

/// The shim names for `target` in the name farm `dir`, then CROSSHIM_HOST.
std::vector<EnvVariable> envVariables(const Target &target, llvm::StringRef dir);

/// One value as the syntax reads it back byte for byte: sh and fish always
/// single-quoted; make only when the recipe's shell needs it (a plain path
/// stays plain, so that the exported variable is the path itself), with `$`
/// doubled. Make cannot hold a newline: that is an error.
llvm::Expected<std::string> quoteEnvValue(llvm::StringRef value, EnvSyntax syntax);

/// The whole text: a comment line per entry of `comments`, then one line per
/// variable (`export CC='...'`, `set -gx CC '...'`, `export CC := ...`).
llvm::Expected<std::string> formatEnv(llvm::ArrayRef<EnvVariable> vars,
                                      llvm::ArrayRef<std::string> comments, EnvSyntax syntax);

} // namespace crosshim
