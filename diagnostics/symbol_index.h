// Which library defines a symbol: the dynamic symbols of every shared
// library (with their versions) and the archive symbol table of every static
// library in a set of directories. Built only when a link has failed.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <map>
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
  /// Indexes lib*.so* and lib*.a files directly in each directory (not
  /// recursively). Unreadable or malformed files are skipped.
  void addDirectories(llvm::ArrayRef<std::string> dirs);
  void addFile(const std::string &path);

  const std::vector<SymbolDefinition> *find(llvm::StringRef symbol) const;
  /// Up to `max` indexed names close to `symbol` (edit distance), for typos.
  std::vector<std::string> closest(llvm::StringRef symbol, size_t max = 3) const;
  size_t fileCount() const { return files_; }

private:
  void addSharedLibrary(const std::string &path, llvm::StringRef bytes);
  void addArchive(const std::string &path, llvm::StringRef bytes);

  std::map<std::string, std::vector<SymbolDefinition>, std::less<>> symbols_;
  size_t files_ = 0;
};

/// The symbol names of an ar archive's symbol table (the "/" member of GNU
/// archives); empty when there is none. Malformed input gives what could be read.
std::vector<std::string> archiveSymbolNames(llvm::StringRef bytes);

} // namespace crosshim::diag
