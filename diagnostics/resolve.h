// Before a link: resolve every -l the way lld does (search directories in
// order, -Bstatic/-Bdynamic, -static, -l:name, `=`-prefixed paths) with only
// stat() and readlink(), and report what silently goes wrong: a dangling
// lib<name>.so skipped for lib<name>.a (static-fallback).
#pragma once

#include "report.h"

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
std::vector<LibraryResolution> resolveLibraries(llvm::ArrayRef<std::string> args,
                                                llvm::ArrayRef<std::string> implicitDirs,
                                                llvm::StringRef sysroot);

/// static-fallback findings for the resolutions that took an archive because
/// the shared library next to it is a dangling link.
void checkLibraryResolution(llvm::ArrayRef<LibraryResolution> resolutions, Report &report);

} // namespace crosshim::diag
