// What a program name means: `crosshim` itself, a shim name that carries the
// target (`aarch64-unknown-linux-gnu-cc`, `arm-linux-gnueabihf-g++-12`,
// `x86_64-unknown-linux-gnu.2.17-cc`), or a bare masquerade name (`cc`).
#pragma once

#include "targets.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <optional>
#include <string>

namespace crosshim {

/// The tools a shim name can end in, and what each forwards to.
enum class ToolKind {
  CCompiler,    // cc gcc clang      -> clang
  CxxCompiler,  // c++ g++ clang++   -> clang --driver-mode=g++
  Preprocessor, // cpp               -> clang --driver-mode=cpp
  BinaryTool,   // ar nm objcopy ... -> llvm-<name>
  Linker,       // ld                -> ld.lld
  Runner,       // run               -> the program itself, or qemu-user (runner.h)
  PkgConfig,    // pkg-config        -> the system pkg-config on the sysroot (pkg_config.h)
};

struct ToolInfo {
  llvm::StringRef name;     // as it appears in the program name
  llvm::StringRef llvmName; // the LLVM program it forwards to
  ToolKind kind;

  /// Only as <target>-<name>: a bare `run` or `pkg-config` is not a masquerade name.
  bool needsTarget() const { return kind == ToolKind::Runner || kind == ToolKind::PkgConfig; }

  bool isCompilerDriver() const {
    return kind == ToolKind::CCompiler || kind == ToolKind::CxxCompiler ||
           kind == ToolKind::Preprocessor;
  }
};

llvm::ArrayRef<ToolInfo> allTools();
const ToolInfo *findTool(llvm::StringRef name);

struct GlibcVersion {
  unsigned major = 0;
  unsigned minor = 0;
  std::string str() const { return std::to_string(major) + "." + std::to_string(minor); }
  bool operator==(const GlibcVersion &o) const { return major == o.major && minor == o.minor; }
};

/// Parses "2.17"; anything else is an error.
llvm::Expected<GlibcVersion> parseGlibcVersion(llvm::StringRef text);

struct ProgramName {
  enum class Kind { Main, Shim, Masquerade };
  Kind kind = Kind::Main;
  const ToolInfo *tool = nullptr;         // Shim and Masquerade
  const Target *target = nullptr;         // Shim only
  std::optional<GlibcVersion> glibcFloor; // from a `<triple>.2.17-<tool>` name
};

/// Parses argv[0]. Tolerates a directory, a `.exe` suffix and a version
/// suffix (`-12`, `-14.0`). A name that is neither `crosshim`, a known tool
/// nor `<known target>-<known tool>` is an error.
llvm::Expected<ProgramName> parseProgramName(llvm::StringRef argv0);

} // namespace crosshim
