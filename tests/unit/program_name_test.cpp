// argv[0]: shim names (Rust and GNU spellings, version and .exe suffixes, a
// glibc floor), masquerade names, crosshim itself, and the errors.
#include "shims/program_name.h"

#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crosshim {
namespace {

using test::errorOf;
using ::testing::HasSubstr;

const Target &target(llvm::StringRef name) {
  const Target *t = findTarget(name);
  EXPECT_NE(t, nullptr) << name.str();
  return *t;
}

TEST(ProgramName, RustTripleAndTool) {
  ASSERT_OK_AND_ASSIGN(name, parseProgramName("aarch64-unknown-linux-gnu-cc"));
  EXPECT_EQ(name->kind, ProgramName::Kind::Shim);
  EXPECT_EQ(name->target, &target("aarch64-unknown-linux-gnu"));
  ASSERT_NE(name->tool, nullptr);
  EXPECT_EQ(name->tool->name, "cc");
  EXPECT_EQ(name->tool->kind, ToolKind::CCompiler);
  EXPECT_FALSE(name->glibcFloor);
}

TEST(ProgramName, OsxcrossNamesAreNotGlibcFloors) {
  // x86_64-apple-darwin20.4-cc: the dot is the Darwin version, not a glibc floor.
  ASSERT_OK_AND_ASSIGN(p, parseProgramName("/opt/osxcross/bin/x86_64-apple-darwin20.4-cc"));
  EXPECT_EQ(p->target->rust, "x86_64-apple-darwin");
  EXPECT_FALSE(p->glibcFloor.has_value());
  ASSERT_OK_AND_ASSIGN(q, parseProgramName("arm64-apple-macos-clang++"));
  EXPECT_EQ(q->target->rust, "aarch64-apple-darwin");
  EXPECT_EQ(q->tool->kind, ToolKind::CxxCompiler);
  ASSERT_OK_AND_ASSIGN(x, parseProgramName("aarch64-apple-darwin-xcrun"));
  EXPECT_EQ(x->tool->kind, ToolKind::Xcrun);
  ASSERT_OK_AND_ASSIGN(l, parseProgramName("x86_64-apple-darwin-lipo"));
  EXPECT_EQ(l->tool->llvmName, "llvm-lipo");
  // A bare xcrun is a masquerade name (with CROSSHIM_TARGET); lipo needs a target.
  ASSERT_OK_AND_ASSIGN(m, parseProgramName("xcrun"));
  EXPECT_EQ(m->kind, ProgramName::Kind::Masquerade);
  EXPECT_EQ(test::describe(parseProgramName("lipo").takeError()).code, ExitCode::Usage);
  // Apple's tools exist for Apple's targets only.
  auto e = test::describe(parseProgramName("aarch64-unknown-linux-gnu-xcrun").takeError());
  EXPECT_THAT(e.message, HasSubstr("an Apple tool"));
}

TEST(ProgramName, GnuSpellingWithVersionSuffix) {
  ASSERT_OK_AND_ASSIGN(name, parseProgramName("arm-linux-gnueabihf-g++-12"));
  EXPECT_EQ(name->kind, ProgramName::Kind::Shim);
  EXPECT_EQ(name->target, &target("armv7-unknown-linux-gnueabihf"));
  EXPECT_EQ(name->tool->name, "g++");
  EXPECT_EQ(name->tool->kind, ToolKind::CxxCompiler);
}

TEST(ProgramName, DirectoryAndExeSuffix) {
  ASSERT_OK_AND_ASSIGN(name, parseProgramName("/some/dir/i686-linux-gnu-gcc.exe"));
  EXPECT_EQ(name->kind, ProgramName::Kind::Shim);
  EXPECT_EQ(name->target, &target("i686-unknown-linux-gnu"));
  EXPECT_EQ(name->tool->name, "gcc");
}

TEST(ProgramName, DottedVersionSuffix) {
  ASSERT_OK_AND_ASSIGN(name, parseProgramName("x86_64-linux-musl-clang-14.0"));
  EXPECT_EQ(name->target, &target("x86_64-unknown-linux-musl"));
  EXPECT_EQ(name->tool->name, "clang");
}

TEST(ProgramName, EveryToolOfEveryTarget) {
  for (const Target &t : allTargets()) {
    for (const ToolInfo &tool : allTools()) {
      if (!tool.supports(t))
        continue;
      for (llvm::StringRef spelling : {t.rust, t.gnu}) {
        if (spelling.empty())
          continue;
        std::string argv0 = "/usr/local/lib/crosshim/bin/" + spelling.str() + "-" + tool.name.str();
        SCOPED_TRACE(argv0);
        ASSERT_OK_AND_ASSIGN(name, parseProgramName(argv0));
        EXPECT_EQ(name->kind, ProgramName::Kind::Shim);
        EXPECT_EQ(name->target, &t);
        EXPECT_EQ(name->tool, &tool);
      }
    }
  }
}

// cl, link and lib exist for MSVC targets only; dlltool and windres for
// Windows; ld (ld.lld) not for MSVC, whose linker is link (lld-link).
TEST(ProgramName, WindowsToolsExistForTheirTargetsOnly) {
  for (const char *good :
       {"x86_64-pc-windows-msvc-cl", "x86_64-pc-windows-msvc-link", "aarch64-pc-windows-msvc-lib",
        "x86_64-pc-windows-gnu-windres", "x86_64-w64-mingw32-dlltool", "x86_64-w64-mingw32-ld",
        "i686-pc-windows-msvc-windres", "x86_64-pc-windows-msvc-cc"}) {
    SCOPED_TRACE(good);
    ASSERT_OK_AND_ASSIGN(name, parseProgramName(good));
    EXPECT_EQ(name->kind, ProgramName::Kind::Shim);
  }
  struct Bad {
    const char *argv0, *says;
  } bad[] = {{"aarch64-unknown-linux-gnu-cl", "an MSVC tool"},
             {"x86_64-pc-windows-gnu-link", "an MSVC tool"},
             {"x86_64-unknown-linux-gnu-windres", "a Windows tool"},
             {"x86_64-pc-windows-msvc-ld", "x86_64-pc-windows-msvc-link"}};
  for (const Bad &b : bad) {
    SCOPED_TRACE(b.argv0);
    auto err = errorOf(parseProgramName(b.argv0));
    EXPECT_EQ(err.code, ExitCode::Usage);
    EXPECT_THAT(err.message, HasSubstr(b.says));
  }
  // Bare names that are also ordinary commands never masquerade.
  for (const char *bare : {"link", "lib", "cl", "windres", "dlltool"})
    EXPECT_FALSE(static_cast<bool>(parseProgramName(bare))) << bare;
}

// What GNU binutils and GCC install for Linux and MinGW targets (as, c++filt,
// gcc-ar, ...), in both spellings and with GCC's version suffix; not for MSVC
// or Darwin, and dwp (ELF only) not for MinGW. ld.bfd and ld.gold are no names.
TEST(ProgramName, GnuBinutilsNames) {
  struct Good {
    const char *argv0, *tool, *target;
  } good[] = {{"aarch64-linux-gnu-as", "as", "aarch64-unknown-linux-gnu"},
              {"aarch64-unknown-linux-gnu-as", "as", "aarch64-unknown-linux-gnu"},
              {"x86_64-w64-mingw32-as", "as", "x86_64-pc-windows-gnu"},
              {"arm-linux-gnueabihf-c++filt", "c++filt", "armv7-unknown-linux-gnueabihf"},
              {"aarch64-linux-gnu-gcc-ar", "gcc-ar", "aarch64-unknown-linux-gnu"},
              {"aarch64-linux-gnu-gcc-ar-12", "gcc-ar", "aarch64-unknown-linux-gnu"},
              {"i686-w64-mingw32-gcc-nm", "gcc-nm", "i686-pc-windows-gnu"},
              {"riscv64gc-unknown-linux-gnu-gcc-ranlib", "gcc-ranlib",
               "riscv64gc-unknown-linux-gnu"},
              {"x86_64-linux-musl-dwp", "dwp", "x86_64-unknown-linux-musl"}};
  for (const Good &g : good) {
    SCOPED_TRACE(g.argv0);
    ASSERT_OK_AND_ASSIGN(name, parseProgramName(g.argv0));
    EXPECT_EQ(name->kind, ProgramName::Kind::Shim);
    EXPECT_EQ(name->tool->name, g.tool);
    EXPECT_EQ(name->target, &target(g.target));
  }
  struct Bad {
    const char *argv0, *says;
  } bad[] = {{"x86_64-pc-windows-msvc-as", "a GNU binutils/GCC tool"},
             {"aarch64-apple-darwin-c++filt", "a GNU binutils/GCC tool"},
             {"x86_64-w64-mingw32-dwp", "an ELF tool"},
             {"aarch64-linux-gnu-ld.bfd", "unknown tool"},
             {"aarch64-linux-gnu-ld.gold", "unknown tool"}};
  for (const Bad &b : bad) {
    SCOPED_TRACE(b.argv0);
    auto err = errorOf(parseProgramName(b.argv0));
    EXPECT_EQ(err.code, ExitCode::Usage);
    EXPECT_THAT(err.message, HasSubstr(b.says));
  }
}

TEST(ProgramName, GlibcFloor) {
  ASSERT_OK_AND_ASSIGN(name, parseProgramName("x86_64-unknown-linux-gnu.2.17-cc"));
  EXPECT_EQ(name->kind, ProgramName::Kind::Shim);
  EXPECT_EQ(name->target, &target("x86_64-unknown-linux-gnu"));
  ASSERT_TRUE(name->glibcFloor);
  EXPECT_EQ(name->glibcFloor->major, 2u);
  EXPECT_EQ(name->glibcFloor->minor, 17u);
  EXPECT_EQ(name->glibcFloor->str(), "2.17");

  ASSERT_OK_AND_ASSIGN(gnu, parseProgramName("aarch64-linux-gnu.2.28-g++-12"));
  EXPECT_EQ(gnu->target, &target("aarch64-unknown-linux-gnu"));
  ASSERT_TRUE(gnu->glibcFloor);
  EXPECT_EQ(gnu->glibcFloor->str(), "2.28");
}

TEST(ProgramName, MalformedGlibcFloorIsAnError) {
  for (const char *argv0 :
       {"x86_64-unknown-linux-gnu.2-cc", "x86_64-unknown-linux-gnu.2.x-cc",
        "x86_64-unknown-linux-gnu.3.1-cc", "x86_64-unknown-linux-gnu.-cc",
        "x86_64-unknown-linux-gnu.2.17.1-cc", "x86_64-unknown-linux-gnu..17-cc",
        "x86_64-unknown-linux-gnu.2.-cc", "x86_64-unknown-linux-gnu.glibc-cc"}) {
    SCOPED_TRACE(argv0);
    auto err = errorOf(parseProgramName(argv0));
    EXPECT_TRUE(err.isShimError);
    EXPECT_EQ(err.code, ExitCode::Usage);
    EXPECT_THAT(err.message, HasSubstr("malformed glibc version"));
    EXPECT_THAT(err.message, HasSubstr(argv0));
  }
}

TEST(ProgramName, GlibcFloorOnMuslTargetIsAnError) {
  auto err = errorOf(parseProgramName("x86_64-unknown-linux-musl.2.17-cc"));
  EXPECT_EQ(err.code, ExitCode::Usage);
  EXPECT_THAT(err.message, HasSubstr("needs a glibc target"));
  EXPECT_THAT(err.message, HasSubstr("x86_64-unknown-linux-musl"));
}

TEST(ProgramName, BareToolNamesMasquerade) {
  struct Case {
    const char *argv0, *tool;
  } cases[] = {{"cc", "cc"},
               {"gcc-12", "gcc"},
               {"c++", "c++"},
               {"/usr/local/lib/crosshim/masquerade/g++", "g++"},
               {"clang++-14", "clang++"},
               {"ar", "ar"},
               {"ld", "ld"},
               {"cpp.exe", "cpp"}};
  for (const Case &c : cases) {
    SCOPED_TRACE(c.argv0);
    ASSERT_OK_AND_ASSIGN(name, parseProgramName(c.argv0));
    EXPECT_EQ(name->kind, ProgramName::Kind::Masquerade);
    ASSERT_NE(name->tool, nullptr);
    EXPECT_EQ(name->tool->name, c.tool);
    EXPECT_EQ(name->target, nullptr);
  }
}

TEST(ProgramName, CrosshimItself) {
  for (const char *argv0 :
       {"crosshim", "crosshim-1.2", "/usr/local/bin/crosshim", "crosshim.exe"}) {
    SCOPED_TRACE(argv0);
    ASSERT_OK_AND_ASSIGN(name, parseProgramName(argv0));
    EXPECT_EQ(name->kind, ProgramName::Kind::Main);
    EXPECT_EQ(name->tool, nullptr);
    EXPECT_EQ(name->target, nullptr);
  }
}

TEST(ProgramName, UnknownToolIsAUsageError) {
  auto err = errorOf(parseProgramName("aarch64-unknown-linux-gnu-frob"));
  EXPECT_TRUE(err.isShimError);
  EXPECT_EQ(err.code, ExitCode::Usage);
  EXPECT_THAT(err.message, HasSubstr("unknown tool 'frob'"));
  EXPECT_THAT(err.message, HasSubstr("known tools: cc"));
}

TEST(ProgramName, UnknownTripleIsAUsageErrorWithSuggestions) {
  auto err = errorOf(parseProgramName("aarch64-unknown-linux-gnuu-cc"));
  EXPECT_TRUE(err.isShimError);
  EXPECT_EQ(err.code, ExitCode::Usage);
  EXPECT_THAT(err.message, HasSubstr("unknown target 'aarch64-unknown-linux-gnuu'"));
  EXPECT_THAT(err.message, HasSubstr("did you mean aarch64-unknown-linux-gnu"));
}

TEST(ProgramName, UnknownNameIsAUsageError) {
  for (const char *argv0 : {"frobnicate", "-cc", "ld.lld", ""}) {
    SCOPED_TRACE(argv0);
    auto err = errorOf(parseProgramName(argv0));
    EXPECT_TRUE(err.isShimError);
    EXPECT_EQ(err.code, ExitCode::Usage);
  }
}

TEST(ToolTable, WhatEachToolForwardsTo) {
  struct Case {
    const char *name, *llvm;
    ToolKind kind;
  } cases[] = {{"cc", "clang", ToolKind::CCompiler},
               {"gcc", "clang", ToolKind::CCompiler},
               {"c++", "clang", ToolKind::CxxCompiler},
               {"g++", "clang", ToolKind::CxxCompiler},
               {"cpp", "clang", ToolKind::Preprocessor},
               {"ld", "ld.lld", ToolKind::Linker},
               {"ar", "llvm-ar", ToolKind::BinaryTool},
               {"ranlib", "llvm-ranlib", ToolKind::BinaryTool},
               {"nm", "llvm-nm", ToolKind::BinaryTool},
               {"objcopy", "llvm-objcopy", ToolKind::BinaryTool},
               {"strip", "llvm-strip", ToolKind::BinaryTool},
               {"cl", "clang-cl", ToolKind::ClCompiler},
               {"link", "lld-link", ToolKind::CoffLinker},
               {"lib", "llvm-lib", ToolKind::BinaryTool},
               {"dlltool", "llvm-dlltool", ToolKind::BinaryTool},
               {"windres", "llvm-windres", ToolKind::BinaryTool},
               {"as", "clang", ToolKind::Assembler},
               {"c++filt", "llvm-cxxfilt", ToolKind::BinaryTool},
               {"gcc-ar", "llvm-ar", ToolKind::BinaryTool},
               {"gcc-nm", "llvm-nm", ToolKind::BinaryTool},
               {"gcc-ranlib", "llvm-ranlib", ToolKind::BinaryTool},
               {"dwp", "llvm-dwp", ToolKind::BinaryTool}};
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    const ToolInfo *tool = findTool(c.name);
    ASSERT_NE(tool, nullptr);
    EXPECT_EQ(tool->llvmName, c.llvm);
    EXPECT_EQ(tool->kind, c.kind);
    EXPECT_EQ(tool->isCompilerDriver(),
              c.kind == ToolKind::CCompiler || c.kind == ToolKind::CxxCompiler ||
                  c.kind == ToolKind::Preprocessor || c.kind == ToolKind::ClCompiler);
  }
  EXPECT_EQ(findTool("frob"), nullptr);
}

TEST(GlibcVersion, Parse) {
  ASSERT_OK_AND_ASSIGN(v, parseGlibcVersion("2.17"));
  EXPECT_EQ(*v, (GlibcVersion{2, 17}));
  ASSERT_OK_AND_ASSIGN(w, parseGlibcVersion("2.5"));
  EXPECT_EQ(w->str(), "2.5");
  for (const char *bad : {"", "2", "2.", ".17", "3.1", "1.9", "2.x", "2.17.1", "+2.17", " 2.17",
                          "2.-1", "2.17 ", "2.99999999999999999999"}) {
    SCOPED_TRACE(bad);
    auto err = errorOf(parseGlibcVersion(bad));
    EXPECT_EQ(err.code, ExitCode::Usage);
    EXPECT_THAT(err.message, HasSubstr("expected 2.N"));
  }
}

} // namespace
} // namespace crosshim
