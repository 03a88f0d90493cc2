#include "symbol_index.h"

#include "elf.h"

#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Support/Endian.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <set>

namespace crosshim::diag {

std::vector<std::string> archiveSymbolNames(llvm::StringRef bytes) {
  // !<arch>\n, then 60-byte member headers: name[16] date[12] uid[6] gid[6]
  // mode[8] size[10] "`\n". GNU's symbol table is the first member, named "/":
  // a big-endian 32-bit count, that many offsets, then NUL-terminated names.
  std::vector<std::string> names;
  if (!bytes.consume_front("!<arch>\n") || bytes.size() < 60)
    return names;
  llvm::StringRef header = bytes.take_front(60);
  llvm::StringRef name = header.take_front(16).rtrim(' ');
  unsigned long long size = 0;
  if (header.substr(48, 10).rtrim(' ').getAsInteger(10, size) || (name != "/" && name != "/SYM64/"))
    return names;
  llvm::StringRef body = bytes.drop_front(60).take_front(size);
  const size_t width = name == "/" ? 4 : 8;
  if (body.size() < width)
    return names;
  uint64_t count = width == 4 ? llvm::support::endian::read32be(body.data())
                              : llvm::support::endian::read64be(body.data());
  if (count > body.size() / width)
    return names;
  llvm::StringRef strings = body.drop_front(width * (count + 1));
  for (uint64_t i = 0; i < count && !strings.empty(); ++i) {
    size_t end = strings.find('\0');
    names.push_back(strings.take_front(end).str());
    strings = end == llvm::StringRef::npos ? llvm::StringRef() : strings.drop_front(end + 1);
  }
  return names;
}

void SymbolIndex::addSharedLibrary(const std::string &path, llvm::StringRef bytes) {
  auto elf = readElf(llvm::MemoryBufferRef(bytes, path), /*readSymbols=*/true);
  if (!elf) {
    llvm::consumeError(elf.takeError());
    return;
  }
  ++files_;
  for (const ElfSymbol &sym : elf->dynamicSymbols)
    if (sym.defined && !sym.name.empty())
      symbols_[sym.name].push_back({path, sym.version, true});
}

void SymbolIndex::addArchive(const std::string &path, llvm::StringRef bytes) {
  ++files_;
  std::set<std::string> seen; // an archive lists a symbol once per member
  for (std::string &name : archiveSymbolNames(bytes))
    if (seen.insert(name).second)
      symbols_[name].push_back({path, "", true});
}

void SymbolIndex::addFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return;
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (bytes.startswith("!<arch>\n"))
    addArchive(path, bytes);
  else if (isElf(bytes))
    addSharedLibrary(path, bytes);
  // Anything else (a linker script such as libc.so) names other files, which
  // the directory scan indexes on their own.
}

void SymbolIndex::addDirectories(llvm::ArrayRef<std::string> dirs) {
  std::set<std::string> done;
  for (const std::string &dir : dirs) {
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      llvm::StringRef name = llvm::sys::path::filename(it->path());
      if (!name.startswith("lib") || !(name.endswith(".a") || name.contains(".so")))
        continue;
      llvm::SmallString<256> real;
      if (llvm::sys::fs::real_path(it->path(), real) || !done.insert(std::string(real)).second)
        continue; // dangling, or the same file under another name (libm.so -> libm.so.6)
      addFile(it->path());
    }
  }
}

const std::vector<SymbolDefinition> *SymbolIndex::find(llvm::StringRef symbol) const {
  auto it = symbols_.find(symbol);
  return it == symbols_.end() ? nullptr : &it->second;
}

std::vector<std::string> SymbolIndex::closest(llvm::StringRef symbol, size_t max) const {
  std::vector<std::pair<unsigned, std::string>> scored;
  const unsigned limit = std::max<unsigned>(2, symbol.size() / 4);
  for (const auto &entry : symbols_) {
    llvm::StringRef name = entry.first;
    if (name.size() + limit < symbol.size() || symbol.size() + limit < name.size())
      continue;
    unsigned d = symbol.edit_distance(name, true, limit);
    if (d <= limit)
      scored.emplace_back(d, entry.first);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto &a, const auto &b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto &s : scored) {
    if (out.size() == max)
      break;
    out.push_back(std::move(s.second));
  }
  return out;
}

} // namespace crosshim::diag
