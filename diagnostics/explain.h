// After a failed link: what the linker said (linker_output.h), read against
// the files (symbol_index.h), becomes findings with a cause and a fix.
#pragma once

#include "diagnostics/libc.h"
#include "diagnostics/linker_output.h"
#include "diagnostics/report.h"
#include "diagnostics/symbol_index.h"

#include <llvm/ADT/ArrayRef.h>

#include <cstdint>
#include <string>
#include <vector>

namespace crosshim::diag {

struct LinkContext {
  std::vector<std::string> libraryDirs; // where the linker searched: -L, then the target's
  std::vector<std::string> arguments;   // the link's arguments (inputs, -l, -Wl,...)
  std::string target;                   // the Rust triple; empty when unknown
  Libc libc = Libc::Unknown;            // the target's C library
  std::string sysroot;                  // the target's sysroot ("/" for the host's)
  /// A Windows target's COFF machine (coff.h: kCoffMachineAmd64, ...); 0 for
  /// ELF targets. Non-zero turns on the COFF explanations (explain_windows.cpp).
  uint16_t coffMachine = 0;
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

/// Windows causes of a failed link's events (explain_windows.cpp), for a
/// context with a coffMachine: dllimport-mismatch, import-library-missing,
/// crt-model-mismatch, wrong-architecture (COFF machines). One flag per
/// event: true when it was explained.
std::vector<bool> explainWindowsEvents(llvm::ArrayRef<LinkerEvent> events, const SymbolIndex &index,
                                       const LinkContext &context, Report &report);

/// After a Windows link that succeeded: the linker's warnings that point at
/// a problem (lld-link's "locally defined symbol imported", LNK4217) as
/// warning findings.
void explainWindowsLinkWarnings(llvm::ArrayRef<LinkerEvent> events, const LinkContext &context,
                                Report &report);

/// After a Windows link that succeeded: the output PE image's machine
/// against the target's (wrong-architecture). Nothing when `path` is not a
/// PE image (a DLL's import library, a missing file).
void auditWindowsOutput(llvm::StringRef path, uint16_t coffMachine, Report &report);

} // namespace crosshim::diag
