// The symbol index looks symbols up in place: through each shared library's
// .gnu.hash (else .hash, else a scan of .dynsym) and each archive's symbol
// table. The inputs are the build machine's own glibc libraries, copies of
// them with a table switched off or damaged, and archives written byte by
// byte: no checked-in binaries.
#include "diagnostics/elf.h"
#include "diagnostics/symbol_index.h"

#include "test_support.h"

#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELF.h>
#include <llvm/Support/MemoryBuffer.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

namespace crosshim::diag {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;

std::vector<std::string> libraries(const SymbolIndex &index, llvm::StringRef symbol) {
  std::vector<std::string> out;
  if (const auto *defs = index.find(symbol))
    for (const SymbolDefinition &d : *defs)
      out.push_back(d.library + (d.version.empty() ? "" : "@" + d.version));
  return out;
}

TEST(SymbolIndexArchive, WholeNamesOnly) {
  SymbolIndex index;
  index.addBuffer("libpart.a", test::gnuArchive({"xcos", "cosx", "co", "sin"}));
  EXPECT_EQ(index.find("cos"), nullptr);
  EXPECT_EQ(libraries(index, "co"), (std::vector<std::string>{"libpart.a"}));
  EXPECT_EQ(libraries(index, "xcos"), (std::vector<std::string>{"libpart.a"}));
  EXPECT_EQ(libraries(index, "sin"), (std::vector<std::string>{"libpart.a"}));
  EXPECT_EQ(index.find(""), nullptr);
  EXPECT_EQ(index.fileCount(), 1u);
}

TEST(SymbolIndexArchive, OneDefinitionPerArchiveAndNothingPastTheCount) {
  SymbolIndex index;
  // The same name from two members; "tail" lies after the counted names.
  index.addBuffer("libtwice.a", test::gnuArchive({"answer", "answer", "tail"}, 2));
  EXPECT_EQ(libraries(index, "answer"), (std::vector<std::string>{"libtwice.a"}));
  EXPECT_EQ(index.find("tail"), nullptr);
  EXPECT_EQ(archiveSymbolNames(test::gnuArchive({"answer", "answer", "tail"}, 2)),
            (std::vector<std::string>{"answer", "answer"}));
}

TEST(SymbolIndexArchive, TheBufferIsCopied) {
  SymbolIndex index;
  {
    std::string bytes = test::gnuArchive({"gone_soon"});
    index.addBuffer("libtmp.a", bytes);
    std::fill(bytes.begin(), bytes.end(), 'x');
  }
  EXPECT_EQ(libraries(index, "gone_soon"), (std::vector<std::string>{"libtmp.a"}));
}

TEST(SymbolIndexArchive, ClosestNamesAreSortedAndUnique) {
  SymbolIndex index;
  index.addBuffer("liba.a", test::gnuArchive({"puts", "putc", "fputs"}));
  index.addBuffer("libb.a", test::gnuArchive({"puts", "print"}));
  EXPECT_EQ(index.closest("puts_"), (std::vector<std::string>{"puts"}));
  EXPECT_EQ(index.closest("ptus"), (std::vector<std::string>{"puts"})); // a transposition
  EXPECT_EQ(index.closest("Puts"), (std::vector<std::string>{"puts"}));
  EXPECT_EQ(index.closest("fputss", 1), (std::vector<std::string>{"fputs"}));
  EXPECT_THAT(index.closest("completely_different_name"), IsEmpty());
  // Two edits in a short name make another word, not a typo; the
  // implementation's reserved names are never offered for a plain one.
  index.addBuffer("libc.a", test::gnuArchive({"setjmp", "_setUp", "__setjmp", "getPropertyValue"}));
  EXPECT_THAT(index.closest("setUp"), IsEmpty());
  EXPECT_EQ(index.closest("getPropertyVaule"), (std::vector<std::string>{"getPropertyValue"}));
}

#if defined(__x86_64__) && defined(__GLIBC__)
const char *const kLibc = "/lib/x86_64-linux-gnu/libc.so.6";
const char *const kLibm = "/lib/x86_64-linux-gnu/libm.so.6";

std::string readBytes(const char *path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return {};
  return (*buffer)->getBuffer().str();
}

// The offset of the sh_type field of the first section of `type`.
size_t sectionTypeOffset(const std::string &bytes, uint32_t type) {
  auto elf = llvm::object::ELF64LEFile::create(bytes);
  if (!elf) {
    llvm::consumeError(elf.takeError());
    return 0;
  }
  auto sections = elf->sections();
  if (!sections) {
    llvm::consumeError(sections.takeError());
    return 0;
  }
  for (size_t i = 0; i < sections->size(); ++i)
    if ((*sections)[i].sh_type == type)
      return elf->getHeader().e_shoff + i * elf->getHeader().e_shentsize + 4;
  return 0;
}

// Every definition in libc.so.6's .dynsym (read by readElf, the plain reader)
// is found through .gnu.hash, with the same version.
TEST(SymbolIndexShared, HashLookupFindsEveryDynamicDefinition) {
  auto info = readElfFile(kLibc, /*readSymbols=*/true);
  ASSERT_TRUE(bool(info)) << llvm::toString(info.takeError());
  SymbolIndex index;
  index.addFile(kLibc);
  size_t checked = 0;
  for (const ElfSymbol &sym : info->dynamicSymbols) {
    if (!sym.defined || sym.name.empty())
      continue;
    const auto *defs = index.find(sym.name);
    ASSERT_NE(defs, nullptr) << sym.name;
    EXPECT_THAT(libraries(index, sym.name),
                Contains(std::string(kLibc) + (sym.version.empty() ? "" : "@" + sym.version)))
        << sym.name;
    ++checked;
  }
  EXPECT_GT(checked, 1000u);
  for (const char *absent : {"memcpyy", "crosshim_nothing", "_", "GLIBC_9.99"})
    EXPECT_EQ(index.find(absent), nullptr) << absent;
}

TEST(SymbolIndexShared, VersionsAndTheDefaultOne) {
  SymbolIndex index;
  index.addFile(kLibc);
  // memcpy@GLIBC_2.2.5 (the old, hidden one) and memcpy@@GLIBC_2.14.
  const auto *defs = index.find("memcpy");
  ASSERT_NE(defs, nullptr);
  ASSERT_EQ(defs->size(), 2u);
  for (const SymbolDefinition &d : *defs)
    EXPECT_EQ(d.isDefault, d.version == "GLIBC_2.14") << d.version;
}

TEST(SymbolIndexShared, SharedLibrariesComeBeforeArchives) {
  // glibc's libm-2.36.a defines cos too; a -lm link takes libm.so.6.
  SymbolIndex index;
  index.addBuffer("/x/libm-2.36.a", test::gnuArchive({"cos", "sin"}));
  index.addFile(kLibm);
  const auto *defs = index.find("cos");
  ASSERT_NE(defs, nullptr);
  ASSERT_EQ(defs->size(), 2u);
  EXPECT_EQ(defs->front().library, kLibm);
  EXPECT_THAT(defs->front().version, ::testing::StartsWith("GLIBC_"));
  EXPECT_EQ(defs->back().library, "/x/libm-2.36.a");
  EXPECT_THAT(index.closest("coss"), Contains("cos"));
}

TEST(SymbolIndexShared, WithoutGnuHashTheSymbolsAreScanned) {
  std::string bytes = readBytes(kLibm);
  ASSERT_FALSE(bytes.empty());
  const size_t at = sectionTypeOffset(bytes, llvm::ELF::SHT_GNU_HASH);
  ASSERT_NE(at, 0u) << "no .gnu.hash in " << kLibm;
  bytes[at] = llvm::ELF::SHT_PROGBITS; // little-endian: the low byte
  bytes[at + 1] = bytes[at + 2] = bytes[at + 3] = 0;
  SymbolIndex index;
  index.addBuffer("/copy/libm.so.6", bytes);
  ASSERT_NE(index.find("cos"), nullptr);
  EXPECT_THAT(index.find("cos")->front().version, ::testing::StartsWith("GLIBC_"));
  EXPECT_EQ(index.find("cosss"), nullptr);
}

TEST(SymbolIndexShared, DamagedCopiesNeverCrash) {
  const std::string original = readBytes(kLibm);
  ASSERT_FALSE(original.empty());
  const size_t hash = sectionTypeOffset(original, llvm::ELF::SHT_GNU_HASH);
  auto elf = llvm::object::ELF64LEFile::create(original);
  ASSERT_TRUE(bool(elf));
  const size_t shoff = elf->getHeader().e_shoff;
  std::mt19937 rng(3);
  for (int round = 0; round < 300; ++round) {
    std::string bytes = original;
    // Section headers and the start of the file (where .gnu.hash and
    // .dynsym lie), byte by byte; sometimes truncated.
    for (int i = 0; i < 8; ++i) {
      size_t at = (rng() % 2) ? shoff + rng() % (bytes.size() - shoff) : rng() % 4096;
      bytes[at] = static_cast<char>(rng());
    }
    if (round % 5 == 0)
      bytes.resize(rng() % bytes.size());
    SymbolIndex index;
    index.addBuffer("/copy/libm.so.6", bytes);
    (void)index.find("cos");
    (void)index.find("sin");
    (void)index.closest("coss");
  }
  EXPECT_NE(hash, 0u);
}
#endif

} // namespace
} // namespace crosshim::diag
