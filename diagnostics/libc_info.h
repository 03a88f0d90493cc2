// What the C-library diagnostics know about glibc and musl: the glibc a
// sysroot provides (the highest GLIBC_x its libc.so.6 defines), the glibc a
// library needs (its verneed), the names only glibc's headers produce, and
// which files are glibc's own. Used after a failed link (explain_libc.cpp)
// and after a successful one (audit.cpp).
#pragma once

#include "diagnostics/elf.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

#include <optional>
#include <string>
#include <utility>

namespace crosshim::diag {

using GlibcVersion = std::pair<unsigned, unsigned>; // (2, 36)

/// "2.36".
std::string glibcVersionText(GlibcVersion version);

struct SysrootGlibc {
  std::string path;     // the libc.so.6 read
  GlibcVersion version; // the highest GLIBC_x it defines
};

/// The glibc the linker links against in `dirs` (searched in order, as for
/// -lc): the libc.so.6 next to the first libc.so (Debian's libc.so is a
/// linker script naming it), else the first libc.so.6; nullopt when there is
/// none or it defines no GLIBC_ version (musl, a stub).
std::optional<SysrootGlibc> findSysrootGlibc(llvm::ArrayRef<std::string> dirs);

/// The highest GLIBC_x that `elf` asks for in its verneed (from any file);
/// nullopt when it needs none.
std::optional<GlibcVersion> highestGlibcNeeded(const ElfInfo &elf);

/// True for the sonames of glibc's own libraries (libc.so.6, libm.so.6,
/// libpthread.so.0, ld-linux-*.so.*, ...): the sysroot's glibc, which needs
/// no checking against itself.
bool isGlibcLibrary(llvm::StringRef soname);

/// The glibc release that first had `symbol`, for names that only newer
/// glibc headers (or newer libraries) produce: __isoc23_sscanf (2.38),
/// fcntl64 (2.28), _dl_find_object (2.35), ... nullopt for other names.
std::optional<GlibcVersion> glibcReleaseOf(llvm::StringRef symbol);

/// Names that glibc's headers put into objects and musl does not define:
/// fortify wrappers (__printf_chk), __isoc99_* / __isoc23_* scanf and
/// strtol aliases, __ctype_b_loc, __stack_chk_guard, ...
bool isGlibcOnlySymbol(llvm::StringRef symbol);

} // namespace crosshim::diag
