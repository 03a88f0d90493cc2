// Mach-O links against a macOS SDK (ld64.lld): the SDK's libraries are
// text-based stubs (.tbd), read here as text, and ld64.lld's messages.
//   macos-library-missing      an undefined symbol that an SDK library or
//                              framework the link does not name exports
//   macos-compiler-rt-missing  ___isPlatformVersionAtLeast (__builtin_available,
//                              @available): compiler-rt's osx builtins, which
//                              Debian does not ship
//   macos-tbd-arch-missing     a .tbd without the target's architecture
//   macos-min-version-newer    objects built for a newer macOS than the link's
#pragma once

#include "diagnostics/report.h"

#include <llvm/ADT/StringRef.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace crosshim::diag {

struct TbdStub {
  std::string installName;          // /usr/lib/libSystem.B.dylib
  std::vector<std::string> targets; // x86_64-macos, arm64-macos (v4); archs (v3) as <arch>-macos
  std::set<std::string> symbols;    // every symbol the stub lists (exports and re-exports)
  bool hasArch(llvm::StringRef arch) const;
};

/// Reads a tbd (v3 or v4, any number of documents); nullopt when the text is
/// not one.
std::optional<TbdStub> parseTbd(llvm::StringRef text);

struct DarwinLinkContext {
  std::string sdk;                    // the SDK's root
  std::string arch;                   // arm64 | x86_64
  std::vector<std::string> arguments; // the link's command line (-l, -framework)
};

/// The .tbd libraries of the SDK: usr/lib/*.tbd and
/// System/Library/Frameworks/<X>.framework/<X>.tbd, as (path, -l or
/// -framework spelling).
std::vector<std::pair<std::string, std::string>> sdkLibraries(llvm::StringRef sdk);

/// `crosshim doctor` for a macOS SDK: SDKSettings.json (Version,
/// MaximumDeploymentTarget), usr/lib/libSystem.tbd, and the architecture in
/// every .tbd of usr/lib and the frameworks. Returns how many .tbd it read.
size_t checkMacSdk(llvm::StringRef sdk, llvm::StringRef arch, Report &report);

/// Reads ld64.lld's output (a failed or a successful link) and adds findings.
void explainDarwinLink(llvm::StringRef linkerOutput, const DarwinLinkContext &context,
                       Report &report);

} // namespace crosshim::diag
