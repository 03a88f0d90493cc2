// Finding the real LLVM tools: config `llvm`, CROSSHIM_LLVM, llvm-config's
// bindir, then PATH (with Debian's versioned names such as clang-14). Never
// returns crosshim itself.
#pragma once

#include "shims/config.h"

#include <llvm/Support/Error.h>

#include <string>

namespace crosshim {

struct ToolLocation {
  std::string path;
  std::string reason; // how it was found, for `crosshim which`
};

class Toolchain {
public:
  /// `env` gives CROSSHIM_LLVM and the PATH searched.
  Toolchain(const TargetSettings &settings, std::string configPath, const Env &env);

  /// Finds an LLVM program by its unversioned name ("clang", "ld.lld",
  /// "llvm-ar"). Explicit settings (config, CROSSHIM_LLVM) that do not
  /// contain the program are an error, not a fall-through.
  llvm::Expected<ToolLocation> find(llvm::StringRef name) const;

private:
  llvm::Expected<ToolLocation> inPrefix(llvm::StringRef prefix, llvm::StringRef name,
                                        const std::string &why) const;
  std::optional<ToolLocation> viaLlvmConfig(llvm::StringRef name) const;
  std::optional<ToolLocation> onPath(llvm::StringRef name) const;

  // Looked up once per Toolchain: a link asks for clang and then ld.lld.
  mutable std::optional<std::string> llvmConfigBindir_; // "" when there is no llvm-config
  // The directory of a tool found on PATH: later tools are looked for there
  // first, so clang-16 is paired with the ld.lld of the same LLVM.
  mutable std::string pathAnchorDir_;

  std::optional<std::string> configLlvm_;
  unsigned configLine_ = 0;
  std::string configPath_;
  std::string envLlvm_; // CROSSHIM_LLVM
  std::string path_;    // PATH
};

/// The canonical path of `path` (all links resolved); `path` itself when it
/// cannot be resolved.
std::string realPath(llvm::StringRef path);

/// The executable crosshim runs as (/proc/self/exe, resolved).
const std::string &selfExecutable();

/// The installation prefix: <prefix>/bin/crosshim -> <prefix>.
std::string installPrefix();

/// Where `crosshim install-links` puts the shim names by default and where
/// the commands that write configuration (init, toolchain files) point:
/// <prefix>/lib/crosshim/bin.
std::string installedNamesDir();

/// True when `path` is crosshim itself (same file as /proc/self/exe).
bool isSelf(llvm::StringRef path);

/// Versions tried after an unversioned name, newest first (clang-20 ... clang-11).
llvm::ArrayRef<unsigned> llvmVersionsToTry();

} // namespace crosshim
