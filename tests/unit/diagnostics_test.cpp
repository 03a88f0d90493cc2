// The report schema and the ELF reader. The ELF inputs are real files made
// by the toolchain that built this test (the test binary itself), and
// damaged copies of it: no checked-in binaries.
#include "diagnostics/audit.h"
#include "diagnostics/elf.h"
#include "diagnostics/explain.h"
#include "diagnostics/report.h"
#include "diagnostics/resolve.h"
#include "diagnostics/symbol_index.h"

#include "test_support.h"

#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

namespace crosshim::diag {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Finding finding(const char *kind, Severity severity, std::string message) {
  return {kind, severity, std::move(message), {{"/s/usr/lib/libm.so", "", "detail"}}, "do this"};
}

TEST(Report, KindsAreTheReferenceNames) {
  for (const char *kind : {"dangling-symlink", "static-fallback", "glibc-floor-exceeded",
                           "interp-mismatch", "rpath-leak", "undefined-symbol"})
    EXPECT_TRUE(isKnownKind(kind)) << kind;
  EXPECT_FALSE(isKnownKind("something-else"));
}

// Field readers that work with llvm::Optional (LLVM 14) and std::optional (16).
std::string str(const llvm::json::Object &o, llvm::StringRef key) {
  if (auto v = o.getString(key))
    return v->str();
  return "<missing " + key.str() + ">";
}
int64_t integer(const llvm::json::Object &o, llvm::StringRef key) {
  if (auto v = o.getInteger(key))
    return *v;
  return -1;
}

TEST(Report, JsonFollowsTheSchema) {
  Report report("aarch64-unknown-linux-gnu");
  report.add(finding("static-fallback", Severity::Warning, "libm.so is dangling"));
  std::string text;
  llvm::raw_string_ostream os(text);
  os << report.toJson();
  os.flush();
  auto parsed = llvm::json::parse(text);
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  const llvm::json::Object &root = *parsed->getAsObject();
  EXPECT_EQ(integer(root, "version"), 1);
  EXPECT_EQ(str(root, "tool"), "crosshim");
  EXPECT_EQ(str(root, "target"), "aarch64-unknown-linux-gnu");
  const llvm::json::Array &findings = *root.getArray("findings");
  ASSERT_EQ(findings.size(), 1u);
  const llvm::json::Object &f = *findings[0].getAsObject();
  EXPECT_EQ(str(f, "kind"), "static-fallback");
  EXPECT_EQ(str(f, "severity"), "warning");
  EXPECT_EQ(str(f, "fix"), "do this");
  const llvm::json::Object &e = *(*f.getArray("evidence"))[0].getAsObject();
  EXPECT_EQ(str(e, "file"), "/s/usr/lib/libm.so");
  EXPECT_EQ(str(e, "detail"), "detail");
  EXPECT_EQ(e.get("symbol"), nullptr); // empty fields are left out
}

TEST(Report, ErrorsComeFirstAndTextIsBounded) {
  Report report("x");
  for (int i = 0; i < 5; ++i)
    report.add(finding("rpath-leak", Severity::Warning, "warning " + std::to_string(i)));
  report.add(finding("glibc-floor-exceeded", Severity::Error, "the error"));
  EXPECT_TRUE(report.hasErrors());
  report.sortBySeverity();
  EXPECT_EQ(report.findings().front().kind, "glibc-floor-exceeded");
  std::string text;
  llvm::raw_string_ostream os(text);
  report.printText(os, /*maxLines=*/7);
  os.flush();
  EXPECT_THAT(text, HasSubstr("error [glibc-floor-exceeded]: the error"));
  EXPECT_THAT(text, HasSubstr("warning 0"));
  EXPECT_THAT(text, Not(HasSubstr("warning 1")));
  EXPECT_THAT(text, HasSubstr("4 more finding(s) left out"));
}

TEST(Report, JsonTextIsTheReportWithAFinalNewline) {
  Report report("x");
  const std::string text = report.jsonText();
  EXPECT_THAT(text, HasSubstr("\"findings\": []"));
  EXPECT_THAT(text, HasSubstr("\"target\": \"x\""));
  EXPECT_EQ(text.back(), '\n');
}

TEST(Elf, ReadsTheTestBinaryItself) {
  auto info = readElfFile("/proc/self/exe", /*readSymbols=*/true);
  ASSERT_TRUE(bool(info)) << llvm::toString(info.takeError());
#if defined(__x86_64__)
  EXPECT_EQ(info->machine, llvm::ELF::EM_X86_64);
  EXPECT_TRUE(info->is64);
  EXPECT_EQ(machineName(info->machine), "x86-64");
#endif
  EXPECT_EQ(info->interp, "/lib64/ld-linux-x86-64.so.2");
  EXPECT_THAT(info->needed, ::testing::Contains("libc.so.6"));
  bool glibcVersioned = false;
  for (const ElfVersionNeed &need : info->versionNeeds)
    if (need.file == "libc.so.6")
      for (const std::string &v : need.versions)
        glibcVersioned |= llvm::StringRef(v).startswith("GLIBC_") && !v.empty() &&
                          v.find('\0') == std::string::npos;
  EXPECT_TRUE(glibcVersioned) << "the versions of libc.so.6 must be clean names";
  bool versionedUndefined = false;
  for (const ElfSymbol &s : info->dynamicSymbols)
    versionedUndefined |= !s.defined && llvm::StringRef(s.version).startswith("GLIBC_");
  EXPECT_TRUE(versionedUndefined);
}

TEST(Elf, NotElfIsAnErrorNotACrash) {
  auto buffer = llvm::MemoryBuffer::getMemBuffer("/* GNU ld script */ GROUP(libc.so.6)", "libc.so");
  auto info = readElf(buffer->getMemBufferRef());
  ASSERT_FALSE(bool(info));
  EXPECT_THAT(llvm::toString(info.takeError()), HasSubstr("not an ELF file"));
}

// Truncated and bit-flipped copies of a real ELF file: errors or results,
// never a crash or a hang (the fuzzer does this at scale).
TEST(Elf, DamagedCopiesNeverCrash) {
  auto original = llvm::MemoryBuffer::getFile("/proc/self/exe", false, false);
  ASSERT_TRUE(bool(original));
  std::string bytes((*original)->getBuffer().substr(0, 64 * 1024));
  for (size_t cut : {size_t(4), size_t(16), size_t(52), size_t(64), size_t(200), size_t(4096)}) {
    auto b = llvm::MemoryBuffer::getMemBuffer(llvm::StringRef(bytes).substr(0, cut), "cut", false);
    auto info = readElf(b->getMemBufferRef(), true);
    if (!info)
      llvm::consumeError(info.takeError());
  }
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    std::string damaged = bytes;
    for (int flips = 0; flips < 8; ++flips)
      damaged[rng() % 4096] ^= static_cast<char>(1u << (rng() % 8));
    auto b = llvm::MemoryBuffer::getMemBuffer(damaged, "damaged", false);
    auto info = readElf(b->getMemBufferRef(), true);
    if (!info)
      llvm::consumeError(info.takeError());
  }
}

TEST(Audit, GlibcVersionNames) {
  EXPECT_EQ(glibcVersionOf("GLIBC_2.34"), std::make_pair(2u, 34u));
  EXPECT_EQ(glibcVersionOf("GLIBC_2.3.4"), std::make_pair(2u, 3u));
  EXPECT_EQ(glibcVersionOf("GLIBCXX_3.4.29"), std::nullopt);
  EXPECT_EQ(glibcVersionOf("GLIBC_PRIVATE"), std::nullopt);
}

ElfInfo program() {
  ElfInfo elf;
  elf.machine = llvm::ELF::EM_AARCH64;
  elf.is64 = true;
  elf.type = llvm::ELF::ET_DYN;
  elf.interp = "/lib/ld-linux-aarch64.so.1";
  return elf;
}

AuditExpectations aarch64() {
  AuditExpectations e;
  e.machine = llvm::ELF::EM_AARCH64;
  e.is64 = true;
  e.loader = "/lib/ld-linux-aarch64.so.1";
  return e;
}

std::vector<std::string> kinds(const Report &r) {
  std::vector<std::string> out;
  for (const Finding &f : r.findings())
    out.push_back(f.kind);
  return out;
}

TEST(Audit, EachCheck) {
  {
    Report r;
    auditLinkOutput("p", program(), aarch64(), r);
    EXPECT_TRUE(r.empty());
  }
  {
    ElfInfo elf = program();
    elf.machine = llvm::ELF::EM_X86_64;
    Report r;
    auditLinkOutput("p", elf, aarch64(), r);
    EXPECT_EQ(kinds(r), std::vector<std::string>{"wrong-architecture"});
  }
  {
    ElfInfo elf = program();
    elf.interp = "/lib/ld-musl-aarch64.so.1";
    Report r;
    auditLinkOutput("p", elf, aarch64(), r);
    EXPECT_EQ(kinds(r), std::vector<std::string>{"interp-mismatch"});
  }
  {
    ElfInfo elf = program();
    elf.runpath = {"/build/target/lib", "$ORIGIN/../lib"};
    AuditExpectations e = aarch64();
    e.buildPaths = {"/build"};
    Report r;
    auditLinkOutput("p", elf, e, r);
    EXPECT_EQ(kinds(r), std::vector<std::string>{"rpath-leak"});
  }
  {
    ElfInfo elf = program();
    elf.versionNeeds = {{"libc.so.6", {"GLIBC_2.17", "GLIBC_2.28"}}};
    elf.dynamicSymbols = {{"fcntl64", "GLIBC_2.28", false, false},
                          {"__cxa_thread_atexit_impl", "GLIBC_2.28", false, true},
                          {"puts", "GLIBC_2.17", false, false}};
    AuditExpectations e = aarch64();
    e.glibcFloor = std::make_pair(2u, 17u);
    Report r;
    auditLinkOutput("p", elf, e, r);
    ASSERT_EQ(kinds(r), std::vector<std::string>{"glibc-floor-exceeded"});
    std::vector<std::string> symbols;
    for (const Evidence &ev : r.findings()[0].evidence)
      symbols.push_back(ev.symbol);
    EXPECT_THAT(symbols, ::testing::UnorderedElementsAre(
                             "fcntl64@GLIBC_2.28", "__cxa_thread_atexit_impl@GLIBC_2.28 (weak)"));
    e.glibcFloor = std::make_pair(2u, 28u);
    Report ok;
    auditLinkOutput("p", elf, e, ok);
    EXPECT_TRUE(ok.empty());
  }
  {
    ElfInfo elf = program();
    elf.type = llvm::ELF::ET_REL; // ld -r: nothing to audit
    elf.machine = llvm::ELF::EM_X86_64;
    Report r;
    auditLinkOutput("p", elf, aarch64(), r);
    EXPECT_TRUE(r.empty());
  }
}

// A library beside the program, reached through RUNPATH $ORIGIN (CMake's and
// Meson's build trees), is found; without the RUNPATH it is missing.
TEST(Audit, OriginInRunpathIsTheProgramsDirectory) {
  test::TestDir dir;
  dir.makeDir("sysroot/lib");
  dir.writeFile("build/sub/libgeom.so", "");
  dir.writeFile("build/${ORIGIN}/libx.so", ""); // the literal text must not count
  AuditExpectations e = aarch64();
  e.libraryDirs = {dir / "sysroot/lib"};
  ElfInfo elf = program();
  elf.needed = {"libgeom.so"};
  for (const char *runpath : {"$ORIGIN/sub", "${ORIGIN}/sub", "$ORIGIN/x:$ORIGIN/sub"}) {
    elf.runpath.clear();
    for (llvm::StringRef part : llvm::split(runpath, ':'))
      elf.runpath.push_back(part.str());
    Report r;
    auditLinkOutput(dir / "build/app", elf, e, r);
    EXPECT_TRUE(r.empty()) << runpath;
  }
  elf.runpath.clear();
  elf.rpath = {"$ORIGIN/sub"}; // DT_RPATH when there is no DT_RUNPATH
  Report viaRpath;
  auditLinkOutput(dir / "build/app", elf, e, viaRpath);
  EXPECT_TRUE(viaRpath.empty());
  elf.rpath.clear();
  Report missing;
  auditLinkOutput(dir / "build/app", elf, e, missing);
  EXPECT_EQ(kinds(missing), std::vector<std::string>{"needed-library-missing"});
  elf.needed = {"libx.so"};
  elf.runpath = {"${ORIGIN}"};
  Report literal;
  auditLinkOutput(dir / "build/app", elf, e, literal);
  EXPECT_EQ(kinds(literal), std::vector<std::string>{"needed-library-missing"});
}

} // namespace
} // namespace crosshim::diag

namespace crosshim::diag {
namespace {

// A library directory as a Docker export leaves it: libm.so an absolute link
// that dangles outside the container, libm.a beside it.
struct BrokenSysroot {
  test::TestDir dir;
  std::string lib = dir.makeDir("usr/lib/aarch64-linux-gnu");
  BrokenSysroot() {
    dir.writeFile("usr/lib/aarch64-linux-gnu/libm.a", "!<arch>\n");
    dir.makeSymlink("/lib/aarch64-linux-gnu/libm.so.6-does-not-exist-here",
                    "usr/lib/aarch64-linux-gnu/libm.so");
    dir.writeFile("usr/lib/aarch64-linux-gnu/libc.so", "/* GNU ld script */");
    dir.writeFile("usr/lib/aarch64-linux-gnu/libc.a", "!<arch>\n");
    dir.writeFile("usr/lib/aarch64-linux-gnu/libz.so.1", "\x7f"
                                                         "ELF");
    dir.makeSymlink("libz.so.1", "usr/lib/aarch64-linux-gnu/libz.so");
  }
};

const LibraryResolution &byName(const std::vector<LibraryResolution> &rs, llvm::StringRef name) {
  for (const LibraryResolution &r : rs)
    if (r.name == name)
      return r;
  static LibraryResolution none;
  return none;
}

TEST(Resolve, DanglingSharedLibraryFallsBackToTheArchive) {
  BrokenSysroot s;
  auto rs = resolveLibraries({"main.o", "-lm", "-lc", "-lz", "-o", "main"}, {s.lib}, s.dir.path());
  EXPECT_EQ(byName(rs, "m").path, s.lib + "/libm.a");
  EXPECT_EQ(byName(rs, "m").skippedDanglingSo, s.lib + "/libm.so");
  EXPECT_EQ(byName(rs, "c").path, s.lib + "/libc.so");
  EXPECT_EQ(byName(rs, "z").path, s.lib + "/libz.so");
  Report report;
  checkLibraryResolution(rs, report);
  ASSERT_EQ(report.findings().size(), 1u);
  EXPECT_EQ(report.findings()[0].kind, "static-fallback");
  EXPECT_THAT(report.findings()[0].fix, HasSubstr("crosshim sysroot fix"));
}

TEST(Resolve, StaticModesAndExplicitNames) {
  BrokenSysroot s;
  // -Bstatic (also through -Wl,) takes archives without looking at .so.
  auto rs = resolveLibraries({"-Wl,-Bstatic", "-lm", "-Wl,-Bdynamic", "-lc"}, {s.lib}, "");
  EXPECT_EQ(byName(rs, "m").path, s.lib + "/libm.a");
  EXPECT_TRUE(byName(rs, "m").skippedDanglingSo.empty());
  EXPECT_EQ(byName(rs, "c").path, s.lib + "/libc.so");
  rs = resolveLibraries({"-static", "-lc"}, {s.lib}, "");
  EXPECT_EQ(byName(rs, "c").path, s.lib + "/libc.a");
  rs = resolveLibraries({"-l:libz.so.1", "-l", "m"}, {s.lib}, "");
  EXPECT_EQ(byName(rs, ":libz.so.1").path, s.lib + "/libz.so.1");
  EXPECT_EQ(byName(rs, "m").path, s.lib + "/libm.a");
  Report report;
  checkLibraryResolution(resolveLibraries({"-static", "-lm"}, {s.lib}, ""), report);
  EXPECT_TRUE(report.empty()) << "an intentionally static link is no fallback";
}

TEST(Resolve, UserDirectoriesComeFirstAndSysrootPrefixesResolve) {
  BrokenSysroot s;
  std::string mine = s.dir.makeDir("mine");
  s.dir.writeFile("mine/libm.so", "\x7f"
                                  "ELF");
  auto rs = resolveLibraries({"-lm", "-L" + mine}, {s.lib}, "");
  EXPECT_EQ(byName(rs, "m").path, mine + "/libm.so") << "-L applies wherever it stands";
  rs = resolveLibraries({"-L=/mine", "-lm"}, {}, s.dir.path());
  EXPECT_EQ(byName(rs, "m").path, mine + "/libm.so");
  rs = resolveLibraries({"-lnothing"}, {s.lib}, "");
  EXPECT_EQ(byName(rs, "nothing").path, "");
}

} // namespace
} // namespace crosshim::diag

namespace crosshim::diag {
namespace {

TEST(SymbolIndex, ArchiveSymbolTable) {
  EXPECT_EQ(archiveSymbolNames(test::gnuArchive({"sqrt", "cos", "__atomic_load_8"})),
            (std::vector<std::string>{"sqrt", "cos", "__atomic_load_8"}));
  EXPECT_TRUE(archiveSymbolNames("!<arch>\n").empty());
  EXPECT_TRUE(archiveSymbolNames("not an archive").empty());
  // A count larger than the table, truncated names: no crash, no overread.
  std::string bad = test::gnuArchive({"a", "b"});
  bad[8 + 60 + 3] = 0x7f;
  EXPECT_TRUE(archiveSymbolNames(bad).empty());
  std::string cut = test::gnuArchive({"alpha", "beta"});
  EXPECT_LE(archiveSymbolNames(cut.substr(0, cut.size() - 3)).size(), 2u);
}

TEST(SymbolIndex, FindsDefinitionsInRealLibraries) {
  test::TestDir dir;
  dir.writeFile("libatom.a", test::gnuArchive({"__atomic_load_8", "__atomic_store_8"}));
  SymbolIndex index;
  index.addDirectories({dir.path()});
  ASSERT_NE(index.find("__atomic_load_8"), nullptr);
  EXPECT_EQ(index.find("__atomic_load_8")->front().library, dir / "libatom.a");
  EXPECT_EQ(index.find("nothing_here"), nullptr);
#if defined(__x86_64__) && defined(__GLIBC__)
  // The build machine's own libm: versioned dynamic definitions.
  index.addFile("/lib/x86_64-linux-gnu/libm.so.6");
  const auto *cos = index.find("cos");
  ASSERT_NE(cos, nullptr);
  EXPECT_THAT(cos->front().version, ::testing::StartsWith("GLIBC_"));
  EXPECT_THAT(index.closest("coss"), ::testing::Contains("cos"));
#endif
}

} // namespace
} // namespace crosshim::diag

namespace crosshim::diag {
namespace {

TEST(Explain, LibraryLinkNames) {
  EXPECT_EQ(libraryLinkName("libm.so.6"), "m");
  EXPECT_EQ(libraryLinkName("libstdc++.so"), "stdc++");
  EXPECT_EQ(libraryLinkName("libfoo.a"), "foo");
  EXPECT_EQ(libraryLinkName("crt1.o"), "");
}

LinkContext contextOf(std::vector<std::string> dirs, std::vector<std::string> args) {
  LinkContext context;
  context.libraryDirs = std::move(dirs);
  context.arguments = std::move(args);
  return context;
}

LinkerEvent undefined(const char *symbol) {
  LinkerEvent e;
  e.kind = LinkerEvent::Kind::UndefinedSymbol;
  e.symbol = symbol;
  e.references.push_back({"main.o", "", "main", ""});
  return e;
}

TEST(Explain, UndefinedSymbolsAgainstTheIndex) {
  test::TestDir dir;
  dir.writeFile("libatom.a", test::gnuArchive({"__atomic_load_8", "answer"}));
  SymbolIndex index;
  index.addDirectories({dir.path()});
  {
    // Defined in a library that is not linked: name it and the -l to add.
    Report report;
    explainLinkFailure({undefined("answer")}, index, contextOf({dir.path()}, {"main.o", "-o", "x"}),
                       report);
    ASSERT_EQ(report.findings().size(), 1u);
    EXPECT_EQ(report.findings()[0].kind, "library-not-on-command-line");
    EXPECT_THAT(report.findings()[0].fix, HasSubstr("-latom"));
  }
  {
    // Already linked: not "missing from the command line".
    Report report;
    explainLinkFailure({undefined("answer")}, index, contextOf({dir.path()}, {"main.o", "-latom"}),
                       report);
    ASSERT_EQ(report.findings().size(), 1u);
    EXPECT_EQ(report.findings()[0].kind, "undefined-symbol");
  }
  {
    // Nothing defines it; one finding per symbol however often it is reported.
    Report report;
    explainLinkFailure({undefined("answr"), undefined("answr")}, index, contextOf({dir.path()}, {}),
                       report);
    ASSERT_EQ(report.findings().size(), 1u);
    EXPECT_EQ(report.findings()[0].kind, "undefined-symbol");
    EXPECT_THAT(report.findings()[0].fix, HasSubstr("answer"));
  }
  {
    // Thousands of undefined symbols (a missing -l of a big C++ library):
    // close names, a scan of the whole index each, only for the first 16.
    std::vector<LinkerEvent> many;
    std::vector<std::string> names;
    for (int i = 0; i < 40; ++i) // each one letter away from "answer"
      names.push_back(std::string("answe") + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"[i]);
    for (const std::string &n : names)
      many.push_back(undefined(n.c_str()));
    Report report;
    explainLinkFailure(many, index, contextOf({dir.path()}, {}), report);
    ASSERT_EQ(report.findings().size(), 40u);
    for (size_t i = 0; i < 40; ++i)
      EXPECT_EQ(report.findings()[i].fix.find("close names") != std::string::npos, i < 16) << i;
  }
}

TEST(Explain, MissingDevSymlinkAndOtherEvents) {
  test::TestDir dir;
  dir.writeFile("libanswer.so.1", "\x7f"
                                  "ELF");
  LinkerEvent missing;
  missing.kind = LinkerEvent::Kind::UnableToFindLibrary;
  missing.file = "answer";
  LinkerEvent arch;
  arch.kind = LinkerEvent::Kind::IncompatibleInput;
  arch.file = "x86.o";
  LinkerEvent pic;
  pic.kind = LinkerEvent::Kind::RelocationNeedsPic;
  pic.file = "nopic.o";
  LinkerEvent warning = undefined("ignored");
  warning.warning = true;
  LinkerEvent unwinder;
  unwinder.kind = LinkerEvent::Kind::UnableToFindLibrary;
  unwinder.file = "gcc_s";
  LinkerEvent crt;
  crt.kind = LinkerEvent::Kind::CannotOpenFile;
  crt.file = "crtbeginS.o";
  LinkerEvent notCrt;
  notCrt.kind = LinkerEvent::Kind::CannotOpenFile;
  notCrt.file = "main.o";
  LinkerEvent script;
  script.kind = LinkerEvent::Kind::CannotFindInsideSysroot;
  script.file = "/usr/x/lib/libc.so.6";
  Report report;
  explainLinkFailure({missing, arch, pic, warning, unwinder, crt, notCrt, script}, SymbolIndex(),
                     contextOf({dir.path()}, {}), report);
  std::vector<std::string> kinds;
  for (const Finding &f : report.findings())
    kinds.push_back(f.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"missing-dev-symlink", "wrong-architecture",
                                             "pic-required", "unwinder-missing",
                                             "missing-crt-object", "linker-script-path"}));
}

} // namespace
} // namespace crosshim::diag

// One parser of the library search path for the shim and the diagnostics:
// every spelling a driver or linker command line can carry, in order.
TEST(Resolve, LibraryDirsOfEverySpelling) {
  const std::vector<std::string> args{"-L",       "/a",       "-L/b", "-Wl,-L,/c",
                                      "-Wl,-L/d", "-Xlinker", "-L",   "-Xlinker",
                                      "/e",       "-Xlinker", "-L/f", "-Wl,--library-path=/g",
                                      "-L=/h",    "-l",       "m",    "-Wl,--library-path,/i",
                                      "main.o"};
  EXPECT_THAT(crosshim::diag::libraryDirsOf(args, "/sys"),
              ::testing::ElementsAre("/a", "/b", "/c", "/d", "/e", "/f", "/g", "/sys/h", "/i"));
}
