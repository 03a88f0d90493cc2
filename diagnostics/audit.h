// The audit of a linked program or shared library (after a successful link):
// wrong-architecture, interp-mismatch, needed-library-missing, rpath-leak,
// glibc-floor-exceeded, and for its NEEDED libraries glibc-too-new-dependency
// and musl-glibc-mix.
#pragma once

#include "diagnostics/elf.h"
#include "diagnostics/libc.h"
#include "diagnostics/report.h"

#include <optional>
#include <string>
#include <vector>

namespace crosshim::diag {

struct AuditExpectations {
  uint16_t machine = 0; // e_machine of the target
  bool is64 = false;
  ArmFloatAbi armFloatAbi = ArmFloatAbi::None;             // None: do not check
  std::string loader;                                      // the target's PT_INTERP
  std::vector<std::string> libraryDirs;                    // where DT_NEEDED must be found
  std::vector<std::string> buildPaths;                     // RUNPATH entries under these leak
  std::optional<std::pair<unsigned, unsigned>> glibcFloor; // (2, 17)
  /// The target's C library. The DT_NEEDED libraries found in libraryDirs
  /// (not glibc's own) are read: one asking for a GLIBC_ version the
  /// sysroot's libc.so.6 lacks is glibc-too-new-dependency; for musl, one
  /// built against glibc is musl-glibc-mix.
  Libc libc = Libc::Unknown;
  /// The link takes the C library in (no -nostdlib): a glibc program with
  /// PT_INTERP must then need libc.so.6, or the linker took libc.a into a
  /// dynamic program (libc-link-mismatch).
  bool linksLibc = true;
};

/// Audits the output of a link. A file that is not ELF (or not a program or
/// shared library) gives no findings.
void auditLinkOutput(const std::string &path, const ElfInfo &elf, const AuditExpectations &expect,
                     Report &report);

/// Reads `path` and audits it; an output that is not ELF or cannot be read
/// gives no findings.
void auditLinkOutputFile(const std::string &path, const AuditExpectations &expect, Report &report);

/// Parses "GLIBC_2.34" into (2, 34); nullopt for other version names.
std::optional<std::pair<unsigned, unsigned>> glibcVersionOf(llvm::StringRef version);

} // namespace crosshim::diag
