// What a failed link printed: a parser for the stderr of ld.lld, mold, GNU ld
// (bfd), gold, lld-link and MSVC link.exe, also when it reaches us wrapped by
// rustc (`= note:` blocks) or followed by the compiler driver's summary.
// Formats: docs/linker-error-formats.md; the failure classes
// they point at: docs/link-failures.md.
//
// The parser only reads text: one event per linker diagnostic, with the
// symbol, version, file and referencing sites the message carries. Deciding
// *why* (which library defines the symbol, which glibc it needs) is the
// explainer's job, with the files in hand.
#pragma once

#include <llvm/ADT/StringRef.h>

#include <string>
#include <vector>

namespace crosshim::diag {

enum class LinkerFlavor { Unknown, Lld, GnuLd, Gold, Mold, LldLink, MsvcLink };
llvm::StringRef linkerFlavorName(LinkerFlavor flavor); // "ld.lld", "GNU ld", ...

/// One place that references (or, for a duplicate symbol, defines) a symbol:
/// a `>>> referenced by` / `>>> defined at` group, or GNU ld's `in function`
/// line with the location after it. Empty fields were not in the message.
struct SymbolReference {
  std::string object;   // x.o, main.obj, libraylib.so (an archive member without its archive)
  std::string archive;  // libfoo.a when the object is an archive member
  std::string function; // the enclosing function (a section+offset is not kept)
  std::string source;   // src/main.rs:3 (lld's absolute form when printed), t.c (GNU ld)
};

struct LinkerEvent {
  enum class Kind {
    UndefinedSymbol,
    UndefinedVersionedSymbol, // sym@VER (usually referenced from a .so: `file` names it)
    DsoMissingFromCommandLine,
    UnableToFindLibrary, // -lX not found: file is "X"
    CannotOpenFile,      // an input (crt1.o, x.lib, a linker script's path) cannot be opened
    CannotFindInsideSysroot,
    IncompatibleInput, // wrong architecture, class or file format
    RelocationNeedsPic,
    DuplicateSymbol, // references are the definitions
    FloatAbiMismatch,
    BitcodeVersion, // LTO bitcode the linker cannot read
    FailIfMismatch, // /failifmismatch, LNK2038: symbol is the key ("RuntimeLibrary")
    LocallyDefinedImported,
    MachineConflict,       // COFF machine types (lld-link, LNK1112)
    NeededLibraryNotFound, // GNU ld: "libX.so.1, needed by Y, not found": file is libX.so.1
    Other,                 // an error line of a linker that matches no form above
  };

  Kind kind = Kind::Other;
  LinkerFlavor flavor = LinkerFlavor::Unknown;
  bool warning = false; // the linker printed it as a warning (the link may have succeeded)
  std::string symbol;  // as printed (demangled or not); without @VER; without __declspec(dllimport)
  std::string version; // GLIBC_2.34 when the message carries a symbol version
  std::string file;    // the library/file/path the message is about
  std::string detail;  // the rest: "did you mean: fcntl64@GLIBC_2.28", "is incompatible with
                       // elf64-x86-64", "R_X86_64_32", ...; several parts joined by "; "
  std::vector<SymbolReference> references;
  /// References not listed: lld's ">>> referenced N more times", references
  /// beyond the first 32, and 1 for each GNU ld "more undefined references to
  /// `X' follow" (a lower bound: GNU ld does not say how many).
  unsigned moreReferences = 0;
};
llvm::StringRef linkerEventKindName(LinkerEvent::Kind kind); // "UndefinedSymbol", ...

/// Parses what a linker (or rustc, or a compiler driver around it) printed.
/// Strips ANSI colour codes, rustc's `= note:` indentation and its own notes,
/// the driver's "linker command failed" / "ld returned 1 exit status" lines
/// and lld's "too many errors emitted"; groups continuation lines (`>>>`, GNU
/// ld's "in function" line and the location after it) with their event.
/// GNU ld, gold and link.exe print one line per reference: those references
/// are gathered into one event per symbol, in order of first appearance.
///
/// Any bytes are accepted (NUL, invalid UTF-8, huge lines) in linear time;
/// every string in the result is valid UTF-8 (invalid bytes become U+FFFD).
std::vector<LinkerEvent> parseLinkerOutput(llvm::StringRef text);

} // namespace crosshim::diag
