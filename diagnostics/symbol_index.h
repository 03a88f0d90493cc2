// Which library defines a symbol: the dynamic symbols of every shared
// library (with their versions) and the archive symbol table of every static
// library in a set of directories. Used only when a link has failed.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace crosshim::diag {

struct SymbolDefinition {
  std::string library;   // the file: /usr/aarch64-linux-gnu/lib/libm.so.6
  std::string version;   // GLIBC_2.17 for versioned dynamic symbols
  bool isDefault = true; // the default version (sym@@VER) rather than a hidden one
};

class SymbolIndex {
public:
  SymbolIndex();
  ~SymbolIndex();
  SymbolIndex(SymbolIndex &&) noexcept;
  SymbolIndex &operator=(SymbolIndex &&) noexcept;

  /// Indexes lib*.so*, lib*.a (MinGW's lib*.dll.a too) and *.lib (COFF
  /// static and import libraries, any case) files directly in each directory (not
  /// recursively), each file once (libm.so -> libm.so.6 is one file).
  /// Unreadable or malformed files are skipped.
  void addDirectories(llvm::ArrayRef<std::string> dirs);
  void addFile(const std::string &path);
  /// addFile for bytes already in memory (`path` names them in the results).
  void addBuffer(const std::string &path, llvm::StringRef bytes);

  /// Every definition of `symbol`: shared libraries first (what -l takes when
  /// both exist), then archives, each group in the order the files were
  /// added. Null when nothing defines it.
  const std::vector<SymbolDefinition> *find(llvm::StringRef symbol) const;
  /// Up to `max` indexed names close to `symbol` (edit distance), for typos.
  std::vector<std::string> closest(llvm::StringRef symbol, size_t max = 3) const;
  size_t fileCount() const { return files_.size(); }

  struct File; // one indexed file (symbol_index.cpp)

private:
  void add(const std::string &path, std::unique_ptr<llvm::MemoryBuffer> buffer);

  // Files stay mapped and are searched when asked: each shared library
  // through its own hash table (.gnu.hash, else .hash), each archive through
  // its symbol table. Nothing is copied up front: a failed link asks about a
  // handful of symbols, and a sysroot holds a million names.
  std::vector<std::unique_ptr<File>> files_;
  mutable std::map<std::string, std::vector<SymbolDefinition>, std::less<>> found_;
};

/// The symbol names of an ar archive's symbol table (the "/" member of GNU
/// archives); empty when there is none. Malformed input gives what could be read.
std::vector<std::string> archiveSymbolNames(llvm::StringRef bytes);

} // namespace crosshim::diag
