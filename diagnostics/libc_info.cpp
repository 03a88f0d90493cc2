#include "diagnostics/libc_info.h"

#include "diagnostics/audit.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace crosshim::diag {

std::string glibcVersionText(GlibcVersion version) {
  return std::to_string(version.first) + "." + std::to_string(version.second);
}

namespace {

std::optional<SysrootGlibc> readGlibc(const std::string &path) {
  auto elf = readElfFile(path);
  if (!elf) {
    llvm::consumeError(elf.takeError());
    return std::nullopt;
  }
  std::optional<GlibcVersion> highest;
  for (const std::string &def : elf->versionDefs)
    if (auto v = glibcVersionOf(def); v && (!highest || *v > *highest))
      highest = v;
  if (!highest)
    return std::nullopt;
  return SysrootGlibc{path, *highest};
}

} // namespace

std::optional<SysrootGlibc> findSysrootGlibc(llvm::ArrayRef<std::string> dirs) {
  // The linker takes the first libc.so; Debian's is a script naming the
  // libc.so.6 beside it (or in the matching /lib dir, found by the fallback).
  for (const std::string &dir : dirs) {
    if (!llvm::sys::fs::exists(dir + "/libc.so"))
      continue;
    if (auto libc = readGlibc(dir + "/libc.so")) // an ELF libc.so (no script)
      return libc;
    if (auto libc = readGlibc(dir + "/libc.so.6"))
      return libc;
    break;
  }
  for (const std::string &dir : dirs)
    if (llvm::sys::fs::exists(dir + "/libc.so.6"))
      if (auto libc = readGlibc(dir + "/libc.so.6"))
        return libc;
  return std::nullopt;
}

std::optional<GlibcVersion> highestGlibcNeeded(const ElfInfo &elf) {
  std::optional<GlibcVersion> highest;
  for (const ElfVersionNeed &need : elf.versionNeeds)
    for (const std::string &name : need.versions)
      if (auto v = glibcVersionOf(name); v && (!highest || *v > *highest))
        highest = v;
  return highest;
}

bool isGlibcLibrary(llvm::StringRef soname) {
  if (soname.startswith("ld-linux") || soname.startswith("ld64.so") || soname == "ld.so.1")
    return true;
  static const char *const kLibraries[] = {
      "libc.so.6",        "libm.so.6",    "libpthread.so.0",
      "libdl.so.2",       "librt.so.1",   "libutil.so.1",
      "libresolv.so.2",   "libanl.so.1",  "libBrokenLocale.so.1",
      "libnsl.so.1",      "libmvec.so.1", "libc_malloc_debug.so.0",
      "libthread_db.so.1"};
  for (const char *name : kLibraries)
    if (soname == name)
      return true;
  return soname.startswith("libnss_");
}

std::optional<GlibcVersion> glibcReleaseOf(llvm::StringRef symbol) {
  // Names that appear in objects only when they were compiled against (or
  // linked with) a glibc at least this new; an older sysroot lacks them.
  if (symbol.startswith("__isoc23_"))
    return GlibcVersion{2, 38}; // C2x scanf/strtol from glibc 2.38's headers
  static const struct {
    const char *name;
    GlibcVersion version;
  } kSymbols[] = {
      {"__cxa_thread_atexit_impl", {2, 18}},
      {"getrandom", {2, 25}},
      {"reallocarray", {2, 26}},
      {"memfd_create", {2, 27}},
      {"copy_file_range", {2, 27}},
      {"fcntl64", {2, 28}},
      {"statx", {2, 28}},
      {"__libc_single_threaded", {2, 32}},
      {"close_range", {2, 34}},
      {"_dl_find_object", {2, 35}},
      {"arc4random", {2, 36}},
      {"arc4random_buf", {2, 36}},
      {"strlcpy", {2, 38}},
      {"strlcat", {2, 38}},
  };
  for (const auto &s : kSymbols)
    if (symbol == s.name)
      return s.version;
  return std::nullopt;
}

bool isGlibcOnlySymbol(llvm::StringRef symbol) {
  // _FORTIFY_SOURCE: __printf_chk, __memcpy_chk, __snprintf_chk, ...
  if (symbol.startswith("__") && symbol.endswith("_chk"))
    return true;
  if (symbol.startswith("__isoc99_") || symbol.startswith("__isoc23_"))
    return true;
  static const char *const kNames[] = {"__stack_chk_guard",
                                       "__libc_single_threaded",
                                       "__ctype_b_loc",
                                       "__ctype_tolower_loc",
                                       "__ctype_toupper_loc",
                                       "__cxa_thread_atexit_impl",
                                       "__xstat",
                                       "__fxstat",
                                       "__lxstat",
                                       "__xstat64",
                                       "__fxstat64",
                                       "__lxstat64",
                                       "_dl_find_object"};
  for (const char *name : kNames)
    if (symbol == name)
      return true;
  return false;
}

} // namespace crosshim::diag
