#include "diagnostics/symbol_index.h"

#include "diagnostics/elf.h"

#include <algorithm>
#include <llvm/ADT/DenseSet.h>
#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/ADT/StringSet.h>
#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELF.h>
#include <llvm/Support/Endian.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <optional>

namespace crosshim::diag {
namespace {

// The names of a GNU archive symbol table, as one run of NUL-terminated
// strings holding exactly `count` names.
struct ArchiveSymbols {
  llvm::StringRef strings;
  uint64_t count = 0;
};

std::optional<ArchiveSymbols> archiveSymbolTable(llvm::StringRef bytes) {
  // !<arch>\n, then 60-byte member headers: name[16] date[12] uid[6] gid[6]
  // mode[8] size[10] "`\n". GNU's symbol table is the first member, named "/"
  // ("/SYM64/" with 64-bit offsets): a big-endian count, that many offsets,
  // then NUL-terminated names.
  if (!bytes.consume_front("!<arch>\n") || bytes.size() < 60)
    return std::nullopt;
  llvm::StringRef header = bytes.take_front(60);
  llvm::StringRef name = header.take_front(16).rtrim(' ');
  unsigned long long size = 0;
  if (header.substr(48, 10).rtrim(' ').getAsInteger(10, size) || (name != "/" && name != "/SYM64/"))
    return std::nullopt;
  llvm::StringRef body = bytes.drop_front(60).take_front(size);
  const size_t width = name == "/" ? 4 : 8;
  if (body.size() < width)
    return std::nullopt;
  uint64_t count = width == 4 ? llvm::support::endian::read32be(body.data())
                              : llvm::support::endian::read64be(body.data());
  if (count > body.size() / width)
    return std::nullopt;
  // Cut the strings after the count-th name: what follows is padding.
  llvm::StringRef strings = body.drop_front(width * (count + 1));
  size_t end = 0;
  uint64_t names = 0;
  for (; names < count && end < strings.size(); ++names) {
    size_t nul = strings.find('\0', end);
    end = nul == llvm::StringRef::npos ? strings.size() : nul + 1;
  }
  return ArchiveSymbols{strings.take_front(end), names};
}

// The hash function of .gnu.hash (Bernstein's, on unsigned bytes).
uint32_t gnuHash(llvm::StringRef name) {
  uint32_t h = 5381;
  for (unsigned char c : name)
    h = h * 33 + c;
  return h;
}

} // namespace

// ------------------------------------------------------------------ files

struct SymbolIndex::File {
  virtual ~File() = default;
  std::string path;
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  bool shared = false; // a shared library (dynamic symbols), else an archive

  /// Appends this file's definitions of `name` to `out`.
  virtual void find(llvm::StringRef name, std::vector<SymbolDefinition> &out) const = 0;
  /// Calls `each` with every name the file defines.
  virtual void forEachName(llvm::function_ref<void(llvm::StringRef)> each) const = 0;
};

namespace {

struct ArchiveFile : SymbolIndex::File {
  ArchiveSymbols table;

  void find(llvm::StringRef name, std::vector<SymbolDefinition> &out) const override {
    // A whole name in the run of NUL-terminated names; an archive lists a
    // symbol once per member that defines it, one definition is enough.
    llvm::StringRef s = table.strings;
    for (size_t at = s.find(name); at != llvm::StringRef::npos; at = s.find(name, at + 1)) {
      const size_t end = at + name.size();
      if ((at == 0 || s[at - 1] == '\0') && (end == s.size() || s[end] == '\0')) {
        out.push_back({path, "", true});
        return;
      }
    }
  }

  void forEachName(llvm::function_ref<void(llvm::StringRef)> each) const override {
    llvm::StringRef s = table.strings;
    while (!s.empty()) {
      size_t nul = s.find('\0');
      each(s.take_front(nul));
      s = nul == llvm::StringRef::npos ? llvm::StringRef() : s.drop_front(nul + 1);
    }
  }
};

template <class ELFT> struct SharedFile : SymbolIndex::File {
  using Sym = typename ELFT::Sym;
  using Shdr = typename ELFT::Shdr;

  llvm::object::ELFFile<ELFT> elf;
  llvm::ArrayRef<Sym> symbols;
  llvm::StringRef strtab;
  llvm::ArrayRef<typename ELFT::Versym> versyms; // empty, or one per symbol
  const Shdr *verdef = nullptr, *verneed = nullptr;
  // .gnu.hash, checked against the section's size at load time.
  llvm::StringRef gnuHashTable;
  uint32_t nbuckets = 0, symndx = 0, maskwords = 0, shift2 = 0;
  // .hash (SysV), when there is no .gnu.hash.
  llvm::StringRef sysvHashTable;
  uint32_t nbucket = 0, nchain = 0;
  mutable std::optional<std::vector<std::string>> versionNames; // by version index

  explicit SharedFile(llvm::object::ELFFile<ELFT> file) : elf(std::move(file)) {}

  static uint32_t word(llvm::StringRef table, size_t offset) {
    return llvm::support::endian::read32<ELFT::TargetEndianness>(table.data() + offset);
  }

  void loadHashTables(llvm::StringRef gnu, llvm::StringRef sysv) {
    const size_t n = symbols.size();
    if (gnu.size() >= 16) {
      uint32_t b = word(gnu, 0), s = word(gnu, 4), m = word(gnu, 8);
      const uint64_t wordBytes = ELFT::Is64Bits ? 8 : 4;
      const uint64_t need =
          16 + uint64_t(m) * wordBytes + uint64_t(b) * 4 + (s <= n ? uint64_t(n - s) * 4 : 0);
      // shift2 >= 32 would shift a 32-bit hash too far (found by fuzz_symbol_index).
      if (b > 0 && m > 0 && s <= n && need <= gnu.size() && word(gnu, 12) < 32) {
        gnuHashTable = gnu;
        nbuckets = b, symndx = s, maskwords = m, shift2 = word(gnu, 12);
      }
    }
    if (sysv.size() >= 8) {
      uint32_t b = word(sysv, 0), c = word(sysv, 4);
      if (b > 0 && c <= n && 8 + (uint64_t(b) + c) * 4 <= sysv.size())
        sysvHashTable = sysv, nbucket = b, nchain = c;
    }
  }

  // The name of symbol i, or an empty one when st_name is out of range.
  llvm::StringRef nameOf(size_t i) const {
    const uint32_t offset = symbols[i].st_name;
    if (offset >= strtab.size())
      return {};
    llvm::StringRef rest = strtab.drop_front(offset);
    return rest.take_front(rest.find('\0'));
  }

  bool isDefinition(size_t i) const {
    const Sym &sym = symbols[i];
    const unsigned type = sym.getType();
    return i != 0 && sym.st_shndx != llvm::ELF::SHN_UNDEF &&
           sym.getBinding() != llvm::ELF::STB_LOCAL && type != llvm::ELF::STT_SECTION &&
           type != llvm::ELF::STT_FILE;
  }

  // The version names of .gnu.version_d by index (what a defined symbol's
  // .gnu.version entry points at), read here rather than with
  // ELFFile::loadVersionMap: LLVM 14 walks sh_info entries even when
  // vd_next is 0, and a damaged sh_info then fills memory with copies.
  const std::vector<std::string> &versions() const {
    if (versionNames)
      return *versionNames;
    versionNames.emplace();
    if (!verdef)
      return *versionNames;
    auto data = elf.getSectionContents(*verdef);
    auto linked = elf.getSection(verdef->sh_link);
    auto names = linked ? elf.getStringTable(**linked) : llvm::Expected<llvm::StringRef>(strtab);
    if (!data || !linked || !names) {
      llvm::consumeError(data.takeError());
      llvm::consumeError(linked.takeError());
      llvm::consumeError(names.takeError());
      return *versionNames;
    }
    using namespace llvm::support::endian;
    constexpr auto E = ELFT::TargetEndianness;
    // Elf_Verdef: version, flags, ndx, cnt (16 bits), hash, aux, next (32);
    // Elf_Verdaux: name, next (32). Offsets are relative to each entry.
    const llvm::StringRef bytes = llvm::toStringRef(*data);
    if (uint64_t(verdef->sh_info) * 20 > bytes.size())
      return *versionNames; // more entries than the section can hold: a damaged file
    size_t offset = 0;
    for (uint32_t n = 0; n < verdef->sh_info && offset + 20 <= bytes.size(); ++n) {
      const char *entry = bytes.data() + offset;
      const unsigned index = read16<E>(entry + 4) & llvm::ELF::VERSYM_VERSION;
      const uint64_t aux = offset + uint64_t(read32<E>(entry + 12));
      if (index > llvm::ELF::VER_NDX_GLOBAL && aux + 4 <= bytes.size()) {
        const uint32_t name = read32<E>(bytes.data() + aux);
        if (name < names->size()) {
          if (index >= versionNames->size())
            versionNames->resize(index + 1);
          llvm::StringRef rest = names->drop_front(name);
          (*versionNames)[index] = rest.take_front(rest.find('\0')).str();
        }
      }
      const uint32_t next = read32<E>(entry + 16);
      if (next == 0)
        break;
      offset += next;
    }
    return *versionNames;
  }

  void addIfMatch(size_t i, llvm::StringRef name, std::vector<SymbolDefinition> &out) const {
    if (!isDefinition(i) || nameOf(i) != name)
      return;
    SymbolDefinition def{path, "", true};
    if (i < versyms.size()) {
      const unsigned v = versyms[i].vs_index & llvm::ELF::VERSYM_VERSION;
      def.isDefault = !(versyms[i].vs_index & llvm::ELF::VERSYM_HIDDEN);
      if (v > llvm::ELF::VER_NDX_GLOBAL && v < versions().size())
        def.version = versions()[v];
    }
    out.push_back(std::move(def));
  }

  void find(llvm::StringRef name, std::vector<SymbolDefinition> &out) const override {
    if (!gnuHashTable.empty()) {
      // The dynamic linker's lookup: the Bloom filter, the bucket, then the
      // chain of hashes (low bit set on the last entry). Every version of
      // the name is in the chain.
      const uint32_t h = gnuHash(name);
      const unsigned bits = ELFT::Is64Bits ? 64 : 32;
      const size_t filter = 16, wordBytes = bits / 8;
      const size_t at = filter + size_t((h / bits) & (maskwords - 1)) * wordBytes;
      const uint64_t bloom =
          ELFT::Is64Bits
              ? llvm::support::endian::read64<ELFT::TargetEndianness>(gnuHashTable.data() + at)
              : word(gnuHashTable, at);
      const uint64_t mask = (uint64_t(1) << (h % bits)) | (uint64_t(1) << ((h >> shift2) % bits));
      if ((maskwords & (maskwords - 1)) == 0 && (bloom & mask) != mask)
        return;
      const size_t buckets = filter + size_t(maskwords) * wordBytes;
      const size_t chains = buckets + size_t(nbuckets) * 4;
      uint32_t i = word(gnuHashTable, buckets + size_t(h % nbuckets) * 4);
      for (; i >= symndx && i < symbols.size(); ++i) {
        const uint32_t chained = word(gnuHashTable, chains + size_t(i - symndx) * 4);
        if ((chained | 1) == (h | 1))
          addIfMatch(i, name, out);
        if (chained & 1)
          break;
      }
      return;
    }
    if (!sysvHashTable.empty()) {
      const uint32_t h = llvm::object::hashSysV(name);
      const size_t chains = 8 + size_t(nbucket) * 4;
      uint32_t i = word(sysvHashTable, 8 + size_t(h % nbucket) * 4);
      // A chain longer than the table loops: stop there.
      for (uint32_t steps = 0; i != 0 && i < nchain && steps < nchain; ++steps) {
        addIfMatch(i, name, out);
        i = word(sysvHashTable, chains + size_t(i) * 4);
      }
      return;
    }
    for (size_t i = 1; i < symbols.size(); ++i)
      addIfMatch(i, name, out);
  }

  void forEachName(llvm::function_ref<void(llvm::StringRef)> each) const override {
    for (size_t i = 1; i < symbols.size(); ++i)
      if (isDefinition(i))
        if (llvm::StringRef name = nameOf(i); !name.empty())
          each(name);
  }
};

template <class ELFT> std::unique_ptr<SymbolIndex::File> loadShared(llvm::StringRef bytes) {
  auto created = llvm::object::ELFFile<ELFT>::create(bytes);
  if (!created) {
    llvm::consumeError(created.takeError());
    return nullptr;
  }
  auto file = std::make_unique<SharedFile<ELFT>>(std::move(*created));
  const llvm::object::ELFFile<ELFT> &elf = file->elf;
  auto sections = elf.sections();
  if (!sections) {
    llvm::consumeError(sections.takeError());
    return nullptr;
  }
  const typename ELFT::Shdr *dynsym = nullptr, *gnuHash = nullptr, *sysvHash = nullptr,
                            *versym = nullptr;
  for (const auto &sec : *sections) {
    switch (sec.sh_type) {
    case llvm::ELF::SHT_DYNSYM:
      dynsym = dynsym ? dynsym : &sec;
      break;
    case llvm::ELF::SHT_GNU_HASH:
      gnuHash = &sec;
      break;
    case llvm::ELF::SHT_HASH:
      sysvHash = &sec;
      break;
    case llvm::ELF::SHT_GNU_versym:
      versym = &sec;
      break;
    case llvm::ELF::SHT_GNU_verdef:
      file->verdef = &sec;
      break;
    case llvm::ELF::SHT_GNU_verneed:
      file->verneed = &sec;
      break;
    default:
      break;
    }
  }
  if (!dynsym)
    return file; // nothing to find in it, but a file of the set
  auto symbols = elf.symbols(dynsym);
  auto strtab = symbols ? elf.getStringTableForSymtab(*dynsym, *sections)
                        : llvm::Expected<llvm::StringRef>(llvm::StringRef());
  if (!symbols || !strtab) {
    llvm::consumeError(symbols.takeError());
    llvm::consumeError(strtab.takeError());
    return nullptr;
  }
  file->symbols = *symbols;
  file->strtab = *strtab;
  if (versym) {
    auto v = elf.template getSectionContentsAsArray<typename ELFT::Versym>(*versym);
    if (v && v->size() == file->symbols.size())
      file->versyms = *v;
    else if (!v)
      llvm::consumeError(v.takeError());
  }
  auto contents = [&](const typename ELFT::Shdr *sec) -> llvm::StringRef {
    if (!sec)
      return {};
    auto data = elf.getSectionContents(*sec);
    if (!data) {
      llvm::consumeError(data.takeError());
      return {};
    }
    return llvm::toStringRef(*data);
  };
  file->loadHashTables(contents(gnuHash), contents(sysvHash));
  return file;
}

std::unique_ptr<SymbolIndex::File> loadFile(llvm::StringRef bytes) {
  if (bytes.startswith("!<arch>\n")) {
    auto file = std::make_unique<ArchiveFile>();
    if (auto table = archiveSymbolTable(bytes))
      file->table = *table;
    return file;
  }
  if (!isElf(bytes) || bytes.size() < llvm::ELF::EI_NIDENT)
    return nullptr; // a linker script (libc.so) names files the scan finds on their own
  const bool is64 = bytes[llvm::ELF::EI_CLASS] == llvm::ELF::ELFCLASS64;
  const bool big = bytes[llvm::ELF::EI_DATA] == llvm::ELF::ELFDATA2MSB;
  std::unique_ptr<SymbolIndex::File> file = is64 ? (big ? loadShared<llvm::object::ELF64BE>(bytes)
                                                        : loadShared<llvm::object::ELF64LE>(bytes))
                                                 : (big ? loadShared<llvm::object::ELF32BE>(bytes)
                                                        : loadShared<llvm::object::ELF32LE>(bytes));
  if (file)
    file->shared = true;
  return file;
}

} // namespace

// ------------------------------------------------------------------ index

SymbolIndex::SymbolIndex() = default;
SymbolIndex::~SymbolIndex() = default;
SymbolIndex::SymbolIndex(SymbolIndex &&) noexcept = default;
SymbolIndex &SymbolIndex::operator=(SymbolIndex &&) noexcept = default;

std::vector<std::string> archiveSymbolNames(llvm::StringRef bytes) {
  std::vector<std::string> names;
  if (auto table = archiveSymbolTable(bytes)) {
    ArchiveFile file;
    file.table = *table;
    file.forEachName([&](llvm::StringRef name) { names.push_back(name.str()); });
  }
  return names;
}

void SymbolIndex::add(const std::string &path, std::unique_ptr<llvm::MemoryBuffer> buffer) {
  std::unique_ptr<File> file = loadFile(buffer->getBuffer());
  if (!file)
    return;
  file->path = path;
  file->buffer = std::move(buffer);
  files_.push_back(std::move(file));
  found_.clear(); // answers given so far did not know this file
}

void SymbolIndex::addFile(const std::string &path) {
  // Mapped, not read: a lookup touches the few pages it needs.
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (buffer)
    add(path, std::move(*buffer));
}

void SymbolIndex::addBuffer(const std::string &path, llvm::StringRef bytes) {
  add(path, llvm::MemoryBuffer::getMemBufferCopy(bytes, path));
}

void SymbolIndex::addDirectories(llvm::ArrayRef<std::string> dirs) {
  // One stat per name: the same file under another name (libm.so ->
  // libm.so.6, /lib -> usr/lib) is indexed once; dangling links are skipped.
  llvm::DenseSet<std::pair<uint64_t, uint64_t>> done;
  for (const std::string &dir : dirs) {
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      llvm::StringRef name = llvm::sys::path::filename(it->path());
      // Windows: foo.lib (static or import library) and MinGW's libfoo.dll.a.
      const bool unixName = name.startswith("lib") && (name.endswith(".a") || name.contains(".so"));
      if (!unixName && !name.endswith_insensitive(".lib"))
        continue;
      llvm::sys::fs::file_status status;
      if (llvm::sys::fs::status(it->path(), status) || !llvm::sys::fs::is_regular_file(status))
        continue;
      const llvm::sys::fs::UniqueID id = status.getUniqueID();
      if (done.insert({id.getDevice(), id.getFile()}).second)
        addFile(it->path());
    }
  }
}

const std::vector<SymbolDefinition> *SymbolIndex::find(llvm::StringRef symbol) const {
  if (symbol.empty())
    return nullptr;
  auto it = found_.find(symbol);
  if (it == found_.end()) {
    std::vector<SymbolDefinition> defs;
    for (const auto &file : files_)
      if (file->shared)
        file->find(symbol, defs);
    for (const auto &file : files_)
      if (!file->shared)
        file->find(symbol, defs);
    it = found_.emplace(symbol.str(), std::move(defs)).first;
  }
  return it->second.empty() ? nullptr : &it->second;
}

namespace {

// Edits between two names counting an adjacent transposition as one (the
// typo "pritnf" is one edit from printf), capped: above `limit` the exact
// number does not matter.
unsigned typoDistance(llvm::StringRef a, llvm::StringRef b, unsigned limit) {
  const size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > limit)
    return limit + 1;
  std::vector<std::vector<unsigned>> d(n + 1, std::vector<unsigned>(m + 1));
  for (size_t i = 0; i <= n; ++i)
    d[i][0] = static_cast<unsigned>(i);
  for (size_t j = 0; j <= m; ++j)
    d[0][j] = static_cast<unsigned>(j);
  for (size_t i = 1; i <= n; ++i) {
    unsigned rowMin = limit + 1;
    for (size_t j = 1; j <= m; ++j) {
      const unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
      unsigned v = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        v = std::min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
      rowMin = std::min(rowMin, v);
    }
    if (rowMin > limit)
      return limit + 1;
  }
  return d[n][m];
}

// How many typos a name of this length may hold and still be "close": one
// below 10 characters (setUp is not a misspelt setjmp, two edits away),
// then one more per 10 characters.
unsigned typoLimit(size_t length) {
  return 1 + static_cast<unsigned>(length / 10);
}

} // namespace

std::vector<std::string> SymbolIndex::closest(llvm::StringRef symbol, size_t max) const {
  const unsigned limit = typoLimit(symbol.size());
  llvm::StringSet<> seen;
  std::vector<std::pair<unsigned, std::string>> scored;
  for (const auto &file : files_)
    file->forEachName([&](llvm::StringRef name) {
      if (name.size() + limit < symbol.size() || symbol.size() + limit < name.size())
        return;
      // The implementation's reserved names (__setjmp, _IO_puts) are not
      // what a program that asks for an unreserved name meant.
      if (name.startswith("_") && !symbol.startswith("_"))
        return;
      if (name == symbol || !seen.insert(name).second)
        return;
      // A difference of case alone is one typo however long the name is.
      unsigned d = name.equals_insensitive(symbol) ? 1 : typoDistance(symbol, name, limit);
      if (d <= limit)
        scored.emplace_back(d, name.str());
    });
  // Closest first, then by name: the answer does not depend on file order.
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto &s : scored) {
    if (out.size() == max)
      break;
    out.push_back(std::move(s.second));
  }
  return out;
}

} // namespace crosshim::diag
