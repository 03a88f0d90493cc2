// What a program name means: `crosshim` itself, a shim name that carries the
// target (`aarch64-unknown-linux-gnu-cc`, `arm-linux-gnueabihf-g++-12`,
// `x86_64-unknown-linux-gnu.2.17-cc`), or a bare masquerade name (`cc`).
#pragma once

#include "shims/targets.h"

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
  ClCompiler,   // cl                -> clang-cl (MSVC-style driver)
  CoffLinker,   // link              -> lld-link (what rustc runs for *-windows-msvc)
  Xcrun,        // xcrun             -> answered from the macOS SDK crosshim found (xcrun.cpp)
  Assembler,    // as                -> clang's integrated assembler, GNU as options (rewrite_as.cpp)
};

/// Which targets a tool name exists for.
enum class ToolFor {
  AnyTarget,
  Windows, // windres, dlltool
  Mingw,   // widl
  Msvc,    // cl, link, lib
  NotMsvc, // ld: ld.lld speaks ELF and MinGW's GNU flavour, not MSVC's (that is `link`)
  Darwin,  // xcrun, lipo
  Gnu,     // as, c++filt, gcc-ar: what GNU binutils and GCC have for Linux and MinGW targets
  Elf,     // dwp: Linux targets only (binutils-mingw-w64 has none)
};

struct ToolInfo {
  llvm::StringRef name;     // as it appears in the program name
  llvm::StringRef llvmName; // the LLVM program it forwards to; "" for <gnu>-<name> on PATH
  ToolKind kind;
  ToolFor only = ToolFor::AnyTarget;

  /// Only as <target>-<name>: a bare `run`, `pkg-config`, `link` or `lib`
  /// is not a masquerade name (coreutils has a `link`).
  bool needsTarget() const {
    return kind == ToolKind::Runner || kind == ToolKind::PkgConfig || only == ToolFor::Windows ||
           only == ToolFor::Mingw || only == ToolFor::Msvc ||
           (only == ToolFor::Darwin && kind != ToolKind::Xcrun);
  }

  bool isCompilerDriver() const {
    return kind == ToolKind::CCompiler || kind == ToolKind::CxxCompiler ||
           kind == ToolKind::Preprocessor || kind == ToolKind::ClCompiler;
  }

  /// Whether `<target>-<name>` exists.
  bool supports(const Target &target) const {
    switch (only) {
    case ToolFor::AnyTarget:
      return true;
    case ToolFor::Windows:
      return target.isWindows();
    case ToolFor::Mingw:
      return target.isMingw();
    case ToolFor::Msvc:
      return target.isMsvc();
    case ToolFor::NotMsvc:
      return !target.isMsvc();
    case ToolFor::Darwin:
      return target.isDarwin();
    case ToolFor::Gnu:
      return target.isLinux() || target.isMingw();
    case ToolFor::Elf:
      return target.isLinux();
    }
    return false;
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
  std::string argv0;                      // as the program was run
};

/// The absolute path of the name a program was run by: argv[0] made absolute
/// when it has a slash, else the first match in `pathVar` (a PATH value);
/// empty when not found. Not canonical: the shim name's own folder holds its
/// sibling names.
std::string invokedPath(llvm::StringRef argv0, llvm::StringRef pathVar);

/// Parses argv[0]. Tolerates a directory, a `.exe` suffix and a version
/// suffix (`-12`, `-14.0`). A name that is neither `crosshim`, a known tool
/// nor `<known target>-<known tool>` is an error.
llvm::Expected<ProgramName> parseProgramName(llvm::StringRef argv0);

} // namespace crosshim
