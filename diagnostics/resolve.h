// Before a link: resolve every -l the way lld does (search directories in
// order, -Bstatic/-Bdynamic, -static, -l:name, `=`-prefixed paths) with only
// stat() and readlink(), and report what silently goes wrong: a dangling
// lib<name>.so skipped for lib<name>.a (static-fallback), a static link
// without a static libc or static libc pieces in a dynamic link
// (libc-link-mismatch).
#pragma once

#include "diagnostics/report.h"

#include <llvm/ADT/ArrayRef.h>

#include <string>
#include <vector>

namespace crosshim::diag {

struct LibraryResolution {
  std::string name;              // "m" for -lm, ":libfoo.so.1" for -l:libfoo.so.1
  std::string path;              // the file the linker takes; empty when none
  std::string skippedDanglingSo; // a lib<name>.so passed over because it dangles
};

/// The linker's view of a compiler-driver command line: the user's -L
/// directories (in order, `=`/`--sysroot` resolved) followed by
/// `implicitDirs` (what the driver adds for the target). Arguments handed to
/// the linker with -Wl, are read too.
/// A driver's arguments as the linker gets them, in order: the driver's own
/// options that reach the linker (-L, -l, -static, ...) and whatever -Wl,
/// and -Xlinker pass through (`-Wl,-L,dir` becomes `-L`, `dir`).
std::vector<std::string> linkerView(llvm::ArrayRef<std::string> args);

/// The library search directories of a driver or linker command line, in
/// order: `-L dir`, `-Ldir`, `--library-path[=]dir`, also through -Wl, and
/// -Xlinker. A leading `=` or `$SYSROOT` is replaced by `sysroot`. The one
/// parser of -L for the shim and the diagnostics.
std::vector<std::string> libraryDirsOf(llvm::ArrayRef<std::string> args, llvm::StringRef sysroot);

std::vector<LibraryResolution> resolveLibraries(llvm::ArrayRef<std::string> args,
                                                llvm::ArrayRef<std::string> implicitDirs,
                                                llvm::StringRef sysroot);

/// libc-link-mismatch before the link (stat only): a static link (-static,
/// -static-pie) whose -lc finds no libc.a but a libc.so (error; the linker
/// fails next), or a non-empty libc.a/libpthread.a taken by a -l in a dynamic
/// link (warning).
/// `resolutions` are resolveLibraries() of the same arguments.
void checkLibcLinkMode(llvm::ArrayRef<std::string> args,
                       llvm::ArrayRef<LibraryResolution> resolutions,
                       llvm::ArrayRef<std::string> implicitDirs, llvm::StringRef sysroot,
                       Report &report);

/// static-fallback findings for the resolutions that took an archive because
/// the shared library next to it is a dangling link.
void checkLibraryResolution(llvm::ArrayRef<LibraryResolution> resolutions, Report &report);

} // namespace crosshim::diag
