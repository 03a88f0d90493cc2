// After a failed link: what the linker said (linker_output.h), read against
// the files (symbol_index.h), becomes findings with a cause and a fix.
#pragma once

#include "linker_output.h"
#include "report.h"
#include "symbol_index.h"

#include <llvm/ADT/ArrayRef.h>

#include <string>
#include <vector>

namespace crosshim::diag {

struct LinkContext {
  enum class Libc { Unknown, Glibc, Musl };

  std::vector<std::string> libraryDirs; // where the linker searched: -L, then the target's
  std::vector<std::string> arguments;   // the link's arguments (inputs, -l, -Wl,...)
  std::string target;                   // the Rust triple; empty when unknown
  Libc libc = Libc::Unknown;            // the target's C library
  std::string sysroot;                  // the target's sysroot ("/" for the host's)
};

/// Findings for the events of a failed link. Kinds: library-not-on-command-line,
/// undefined-symbol, missing-dev-symlink, unwinder-missing, missing-crt-object,
/// linker-script-path, wrong-architecture, pic-required.
void explainLinkFailure(llvm::ArrayRef<LinkerEvent> events, const SymbolIndex &index,
                        const LinkContext &context, Report &report);

/// C library causes of one event (explain_libc.cpp): libc-link-mismatch,
/// glibc-too-new-dependency, crt-libc-mismatch, musl-glibc-mix. True when
/// the event was explained (a finding was added).
bool explainLibcEvent(const LinkerEvent &event, const SymbolIndex &index,
                      const LinkContext &context, Report &report);

/// Runtime-support and code-generation causes of one event
/// (explain_runtime.cpp): atomics-helper-missing, float-abi-mismatch,
/// bitcode-version-skew, duplicate-runtime. True when explained.
bool explainRuntimeEvent(const LinkerEvent &event, const SymbolIndex &index,
                         const LinkContext &context, Report &report);

/// "libm.so.6" -> "m", "libfoo.a" -> "foo"; empty when the name is not lib*.
std::string libraryLinkName(llvm::StringRef file);

} // namespace crosshim::diag
