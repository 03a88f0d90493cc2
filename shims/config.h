// crosshim.toml: where it is found and what it may say.
//
//   llvm = "/usr/lib/llvm-16"          # top-level keys are defaults for every target
//   [target.aarch64-unknown-linux-gnu]
//   sysroot = "/opt/sysroots/arm64"
//   cflags = ["-O2"]
//   glibc = "2.28"
//   launcher = "sccache"               # compiles run as `sccache <clang> <args>`
//
// A bad file is an error naming the file, the line and the key (exit 2).
#pragma once

#include "shims/program_name.h"
#include "shims/targets.h"
#include "support/env.h"

#include <llvm/Support/Error.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace crosshim {

enum class RustLld { Keep, Replace };

struct TargetSettings {
  std::optional<std::string> llvm; // LLVM install prefix (its bin/ holds clang)
  std::optional<std::string> sysroot;
  std::optional<GlibcVersion> glibc;
  std::optional<RustLld> rustLld;
  std::vector<std::string> cflags, cxxflags, ldflags;
  // What compiles run through (`launcher = "sccache"`, or an array for a
  // command with arguments): [] unset, [""] explicitly none.
  std::vector<std::string> launcher;
  unsigned llvmLine = 0, sysrootLine = 0; // for messages that point into the file
};

/// A crosshim.toml found by walking up that was not used, and why.
struct SkippedConfig {
  std::string path;
  std::string reason; // "it is owned by uid 65534, not by you (uid 0) or root"
};

struct Config {
  std::string path;                   // empty: no configuration file
  std::vector<SkippedConfig> skipped; // passed over on the way to `path`
  TargetSettings defaults;
  std::map<std::string, TargetSettings> targets; // keyed by Rust triple

  /// Settings for one target: the target's table over the top-level defaults
  /// (flags: the defaults' first, then the target's).
  TargetSettings forTarget(const Target &target) const;
};

/// The file crosshim reads: $CROSSHIM_CONFIG, else the nearest trusted
/// crosshim.toml in the current directory or its parents, else
/// ${XDG_CONFIG_HOME:-$HOME/.config}/crosshim/config.toml. Empty: none.
/// A crosshim.toml found by walking up is trusted when it (and, for a
/// symlink, the link itself) is owned by the current user or root, nobody
/// else may write it (no o+w; g+w only for the user's own group); the others
/// are passed over and listed in `skipped`. $CROSSHIM_CONFIG is trusted.
llvm::Expected<std::string> locateConfig(const Env &env,
                                         std::vector<SkippedConfig> *skipped = nullptr);

/// Why a crosshim.toml found by walking up must not be obeyed; nullopt when
/// it may (see locateConfig).
std::optional<std::string> untrustedConfigReason(const std::string &path);

/// Parses a configuration text; `path` is used for messages and to resolve
/// relative paths, `env`'s HOME for paths starting with ~/.
llvm::Expected<Config> parseConfig(llvm::StringRef text, llvm::StringRef path,
                                   const Env &env = Env());

/// locateConfig + parseConfig.
llvm::Expected<Config> loadConfig(const Env &env);

} // namespace crosshim
