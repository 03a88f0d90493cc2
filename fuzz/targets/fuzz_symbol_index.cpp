// libFuzzer target: the symbol index (diagnostics/symbol_index.h) on one file
// in memory, an ar archive or an ELF shared library, and the look-ups the
// explainer makes: find() for every name the file lists (the archive symbol
// table via archiveSymbolNames, the strings of a shared library), which walks
// the archive table or the library's .gnu.hash/.hash table and its version
// sections, and closest().
// An archive name that archiveSymbolNames lists must also be found; the
// archive's members (archive.h, what `crosshim doctor` reads) must lie
// inside the input.
// Seeds (llvm-ar archives and shared libraries of tiny objects) are built at
// fuzz.build time.
#include "diagnostics/archive.h"
#include "diagnostics/symbol_index.h"

#include <llvm/ADT/STLExtras.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace crosshim::diag;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);

  SymbolIndex index;
  index.addBuffer("libfuzz.a", bytes);

  std::vector<std::string> names = archiveSymbolNames(bytes);
  for (const std::string &name : names)
    if (!name.empty() && !index.find(name)) {
      std::fprintf(stderr, "'%s' is in the archive symbol table but not found\n", name.c_str());
      std::abort();
    }

  // Names to look up in a shared library: every NUL-terminated run of
  // printable bytes, as `strings` finds them, so that the hash-table walk and
  // the version lookup run even on files readElf refuses.
  size_t asked = 0;
  for (llvm::StringRef rest = bytes; !rest.empty() && asked < 64;) {
    size_t nul = rest.find('\0');
    llvm::StringRef word = rest.take_front(nul);
    rest = nul == llvm::StringRef::npos ? llvm::StringRef() : rest.drop_front(nul + 1);
    if (word.size() >= 2 && llvm::all_of(word, [](char c) { return c > ' ' && c < 127; })) {
      ++asked;
      (void)index.find(word);
    }
  }

  llvm::consumeError(forEachArchiveMember(bytes, [&](const ArchiveMember &m) {
    auto inside = [&](llvm::StringRef s) {
      return s.empty() || (s.begin() >= bytes.begin() && s.end() <= bytes.end());
    };
    if (!inside(m.name) || !inside(m.bytes)) {
      std::fprintf(stderr, "an archive member lies outside the input\n");
      std::abort();
    }
  }));

  (void)index.find("printf");
  (void)index.closest(names.empty() ? "printf" : names.front() + "x");
  return 0;
}
