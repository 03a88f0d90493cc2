// Inputs the libFuzzer targets (fuzz/) found, kept as unit tests so that what
// they broke stays fixed in the real (gcc, unsanitized) build. Each input is a
// string literal; the comment says which target found it and why it failed.
#include "shims/config.h"
#include "diagnostics/elf.h"
#include "diagnostics/symbol_index.h"

#include "test_support.h"

#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Support/Endian.h>
#include <llvm/Support/FileSystem.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

namespace crosshim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const char *const kPath = "/fuzz/crosshim.toml";

// fuzz_config: toml++ 3.3.0 (Debian bookworm's libtomlplusplus-dev) reaches
// __builtin_unreachable() when it asks whether a non-ASCII code point in
// U+00A1..U+0499 (and a few other blocks) is whitespace (upstream
// marzer/tomlplusplus#190, #295). The compiled code answers "no", which is
// right; these tests fail if a compiler ever makes it do something else.
TEST(FuzzRegressions, ConfigNonAsciiInABareKeyIsAnErrorNotACrash) {
  // U+0248 inside a [target.…] header: invalid TOML, must be a clean error.
  auto err = test::errorOf(parseConfig("[target.chra7a4-unkn\xc9\x88unkn7warch64-]\n", kPath));
  EXPECT_EQ(err.code, ExitCode::Usage);
  EXPECT_THAT(err.message, StartsWith(std::string(kPath) + ":1: "));
}

TEST(FuzzRegressions, ConfigNonAsciiAfterALineEndingBackslashStillParses) {
  // Valid TOML: the line-ending backslash skips the newline and the blanks,
  // then U+00A7 and U+00E9 are the string's first characters (toml++#190's case).
  ASSERT_OK_AND_ASSIGN(config,
                       parseConfig("cflags = \"\"\"\\\n   \xc2\xa7 -D\xc3\xa9=1\"\"\"\n", kPath));
  EXPECT_THAT(config->defaults.cflags, ElementsAre("\xc2\xa7", "-D\xc3\xa9=1"));
}

TEST(FuzzRegressions, ConfigNonAsciiWhereABlankCouldBe) {
  // After a value, before a comment, between a key and '=': each a question
  // "is this whitespace?" with a code point from every block toml++ 3.3.0
  // gets wrong (U+00E9, U+0416, U+3041, U+FB60).
  for (const char *cp : {"\xc3\xa9", "\xd0\x96", "\xe3\x81\x81", "\xef\xad\xa0"}) {
    SCOPED_TRACE(cp);
    for (std::string text :
         {std::string("llvm = \"/usr\"") + cp + "\n", std::string("llvm ") + cp + " = \"/usr\"\n",
          std::string("[target.aarch64-linux-gnu] ") + cp + "\n"}) {
      auto err = test::errorOf(parseConfig(text, kPath));
      EXPECT_EQ(err.code, ExitCode::Usage) << text;
    }
    // In a string and in a comment the same code points are fine.
    ASSERT_OK_AND_ASSIGN(
        config, parseConfig(std::string("llvm = \"/opt/") + cp + "\" # " + cp + "\n", kPath));
    EXPECT_EQ(config->defaults.llvm, std::string("/opt/") + cp);
  }
}

// fuzz_elf: a 3 KiB shared library whose SHT_GNU_verneed said sh_info =
// 0x2000000 with vn_next = 0 made LLVM 14's getVersionDependencies read the
// same entry again and again: 2 GB of strings, then out of memory.
// readElf now refuses version counts that cannot fit in their section
// (checkVersionSection). The files here are the smallest that show it: an
// ELF64 header, .dynstr, one version section, three section headers.
std::string elfWithVersionSection(bool verdef, uint32_t entries, uint16_t auxPerEntry) {
  using namespace llvm::support::endian;
  std::string f(120 + 3 * 64, '\0');
  auto *b = reinterpret_cast<uint8_t *>(f.data());
  auto w16 = [&](size_t at, uint16_t v) { write16le(b + at, v); };
  auto w32 = [&](size_t at, uint32_t v) { write32le(b + at, v); };
  auto w64 = [&](size_t at, uint64_t v) { write64le(b + at, v); };
  // ELF header: ELFCLASS64, little-endian, ET_DYN, x86-64, sections at 120.
  f.replace(0, 7,
            "\x7f"
            "ELF\x02\x01\x01");
  w16(16, llvm::ELF::ET_DYN);
  w16(18, llvm::ELF::EM_X86_64);
  w32(20, 1);
  w64(40, 120); // e_shoff
  w16(52, 64);  // e_ehsize
  w16(54, 56);  // e_phentsize
  w16(58, 64);  // e_shentsize
  w16(60, 3);   // e_shnum
  // .dynstr at 64: "\0libc.so.6\0GLIBC_2.17\0"
  f.replace(64, 22, std::string("\0libc.so.6\0GLIBC_2.17\0", 22));
  if (verdef) { // Elf_Verdef at 88 (vd_aux 20, vd_next 0), Elf_Verdaux at 108
    w16(88, 1), w16(92, 2), w16(94, auxPerEntry), w32(100, 20);
    w32(108, 11);
  } else { // Elf_Verneed at 88 (vn_aux 16, vn_next 0), Elf_Vernaux at 104
    w16(88, 1), w16(90, auxPerEntry), w32(92, 1), w32(96, 16);
    w16(110, 2), w32(112, 11);
  }
  // Section headers: [0] null, [1] .dynstr, [2] the version section.
  const size_t dynstr = 120 + 64, version = 120 + 128;
  w32(dynstr + 4, llvm::ELF::SHT_STRTAB), w64(dynstr + 24, 64), w64(dynstr + 32, 24);
  w32(version + 4, verdef ? llvm::ELF::SHT_GNU_verdef : llvm::ELF::SHT_GNU_verneed);
  w64(version + 24, 88), w64(version + 32, 32);
  w32(version + 40, 1);       // sh_link: .dynstr
  w32(version + 44, entries); // sh_info: the number of entries
  return f;
}

llvm::Expected<diag::ElfInfo> readElfBytes(const std::string &bytes) {
  return diag::readElf(llvm::MemoryBufferRef(bytes, "libhostile.so"), /*readSymbols=*/true);
}

TEST(FuzzRegressions, ElfVersionSectionsAsBuiltAreRead) {
  // The same files with honest counts: what the refusal below must not hit.
  ASSERT_OK_AND_ASSIGN(need, readElfBytes(elfWithVersionSection(false, 1, 1)));
  ASSERT_EQ(need->versionNeeds.size(), 1u);
  EXPECT_EQ(need->versionNeeds[0].file, "libc.so.6");
  EXPECT_THAT(need->versionNeeds[0].versions, ElementsAre("GLIBC_2.17"));
  ASSERT_OK_AND_ASSIGN(def, readElfBytes(elfWithVersionSection(true, 1, 1)));
  EXPECT_THAT(def->versionDefs, ElementsAre("GLIBC_2.17"));
}

TEST(FuzzRegressions, ElfVersionCountsBeyondTheSectionAreAnErrorNotAnOutOfMemory) {
  struct Case {
    const char *what;
    bool verdef;
    uint32_t entries;
    uint16_t aux;
  } cases[] = {
      // The fuzzer's input said 2^25; fewer make the same point without
      // taking gigabytes should the check ever go.
      {"verneed: 100000 entries, vn_next 0", false, 100000, 1},
      {"verneed: one entry, 65535 auxiliaries with vna_next 0", false, 1, 0xffff},
      {"verdef: 100000 entries, vd_next 0", true, 100000, 1},
      {"verdef: one entry, 65535 auxiliaries with vda_next 0", true, 1, 0xffff},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.what);
    auto start = std::chrono::steady_clock::now();
    auto info = readElfBytes(elfWithVersionSection(c.verdef, c.entries, c.aux));
    ASSERT_FALSE(static_cast<bool>(info)) << "read a version section that cannot hold its counts";
    EXPECT_THAT(llvm::toString(info.takeError()), HasSubstr("more version entries than"));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  }
}

TEST(FuzzRegressions, RealLibrariesPassTheVersionCheck) {
  // No false positive on the version sections of real libraries.
  size_t read = 0;
  for (const char *path :
       {"/lib/x86_64-linux-gnu/libc.so.6", "/usr/aarch64-linux-gnu/lib/libc.so.6",
        "/usr/arm-linux-gnueabihf/lib/libc.so.6", "/usr/i686-linux-gnu/lib/libstdc++.so.6"}) {
    if (!llvm::sys::fs::exists(path))
      continue;
    SCOPED_TRACE(path);
    auto info = diag::readElfFile(path, /*readSymbols=*/true);
    ASSERT_TRUE(static_cast<bool>(info)) << llvm::toString(info.takeError());
    EXPECT_FALSE(info->versionDefs.empty());
    ++read;
  }
  if (read == 0)
    GTEST_SKIP() << "no libc.so.6 or libstdc++.so.6 in the usual places";
}

// A little-endian ELF64 shared library with the given sections after the
// null one (each 8-aligned after the header, headers last).
struct Section {
  uint32_t type;
  std::string data;
  uint32_t link = 0, info = 0;
  uint64_t entsize = 0;
};
std::string elf64(const std::vector<Section> &sections) {
  using namespace llvm::support::endian;
  std::string f(64, '\0');
  std::vector<uint64_t> offsets;
  for (const Section &s : sections) {
    f.resize((f.size() + 7) / 8 * 8, '\0');
    offsets.push_back(f.size());
    f += s.data;
  }
  f.resize((f.size() + 7) / 8 * 8, '\0');
  const uint64_t shoff = f.size();
  f.resize(shoff + 64 * (sections.size() + 1), '\0');
  auto *b = reinterpret_cast<uint8_t *>(f.data());
  f.replace(0, 7,
            "\x7f"
            "ELF\x02\x01\x01");
  write16le(b + 16, llvm::ELF::ET_DYN), write16le(b + 18, llvm::ELF::EM_X86_64);
  write32le(b + 20, 1), write64le(b + 40, shoff), write16le(b + 52, 64);
  write16le(b + 54, 56), write16le(b + 58, 64), write16le(b + 60, sections.size() + 1);
  for (size_t i = 0; i < sections.size(); ++i) {
    uint8_t *h = b + shoff + 64 * (i + 1);
    write32le(h + 4, sections[i].type), write64le(h + 24, offsets[i]);
    write64le(h + 32, sections[i].data.size()), write32le(h + 40, sections[i].link);
    write32le(h + 44, sections[i].info), write64le(h + 56, sections[i].entsize);
  }
  return f;
}

template <typename... W> std::string le(W... words) { // little-endian fields, each its own width
  std::string out;
  (
      [&] {
        char bytes[sizeof(W)];
        llvm::support::endian::write<W, llvm::support::little>(bytes, words);
        out.append(bytes, sizeof(W));
      }(),
      ...);
  return out;
}

// .dynstr and a .dynsym defining `answer` (symbol 1), shared by the two below.
const std::string kDynstr("\0answer\0TINY_1.0\0libtiny.so\0", 29);
Section dynstr() {
  return {llvm::ELF::SHT_STRTAB, kDynstr};
}
Section dynsym() {
  std::string sym0(24, '\0');
  // st_name 1, st_info GLOBAL FUNC, st_other 0, st_shndx 1, st_value, st_size
  std::string sym1 =
      le(uint32_t(1), uint8_t(0x12), uint8_t(0), uint16_t(1), uint64_t(0x1000), uint64_t(8));
  return {llvm::ELF::SHT_DYNSYM, sym0 + sym1, /*link=*/1, /*info=*/1, 24};
}

// fuzz_symbol_index: the index's own version lookup called loadVersionMap
// too, with the same blind trust in the counts as above.
std::string libWithVerdef(uint32_t entries) {
  // Verdef 1 (the file, VER_FLG_BASE) and 2 (TINY_1.0), each with one Verdaux.
  std::string verdef = le(uint16_t(1), uint16_t(1), uint16_t(1), uint16_t(1), uint32_t(0),
                          uint32_t(20), uint32_t(28)) +
                       le(uint32_t(18), uint32_t(0)) +
                       le(uint16_t(1), uint16_t(0), uint16_t(2), uint16_t(1), uint32_t(0),
                          uint32_t(20), uint32_t(0)) +
                       le(uint32_t(8), uint32_t(0));
  return elf64({dynstr(),
                dynsym(),
                {llvm::ELF::SHT_GNU_versym, le(uint16_t(0), uint16_t(2)), 2, 0, 2},
                {llvm::ELF::SHT_GNU_verdef, verdef, 1, entries}});
}

TEST(FuzzRegressions, SymbolIndexIgnoresImpossibleVersionCounts) {
  diag::SymbolIndex honest;
  honest.addBuffer("libtiny.so", libWithVerdef(2));
  const auto *defs = honest.find("answer");
  ASSERT_NE(defs, nullptr);
  ASSERT_EQ(defs->size(), 1u);
  EXPECT_EQ((*defs)[0].version, "TINY_1.0");

  diag::SymbolIndex hostile;
  hostile.addBuffer("libtiny.so", libWithVerdef(100000));
  defs = hostile.find("answer");
  ASSERT_NE(defs, nullptr); // still defined there; only its version is unknown
  ASSERT_EQ(defs->size(), 1u);
  EXPECT_EQ((*defs)[0].version, "");
}

// fuzz_symbol_index: a .gnu.hash header with shift2 >= 32 made the Bloom
// filter check shift a 32-bit hash by that much (undefined behaviour; x86
// masks the count, so the answer was whatever that gave). Such a table is
// now not used: the lookup scans the symbols instead.
std::string libWithGnuHash(uint32_t shift2) {
  uint32_t h = 5381; // the GNU hash of "answer"
  for (char c : llvm::StringRef("answer"))
    h = h * 33 + static_cast<unsigned char>(c);
  // nbuckets 1, symndx 1, maskwords 1, shift2; a Bloom word with no bit set
  // (so a table that is used says "not here"); bucket 0 -> symbol 1; its chain.
  std::string table =
      le(uint32_t(1), uint32_t(1), uint32_t(1), shift2, uint64_t(0), uint32_t(1), h | 1u);
  return elf64({dynstr(), dynsym(), {llvm::ELF::SHT_GNU_HASH, table, 2}});
}

TEST(FuzzRegressions, SymbolIndexDoesNotUseAGnuHashTableWithAShiftBeyond31) {
  diag::SymbolIndex valid;
  valid.addBuffer("libtiny.so", libWithGnuHash(6));
  EXPECT_EQ(valid.find("answer"), nullptr); // the table is used: its Bloom filter says no

  diag::SymbolIndex hostile;
  hostile.addBuffer("libtiny.so", libWithGnuHash(40));
  const auto *defs = hostile.find("answer");
  ASSERT_NE(defs, nullptr);
  EXPECT_EQ((*defs)[0].library, "libtiny.so");
}

} // namespace
} // namespace crosshim
