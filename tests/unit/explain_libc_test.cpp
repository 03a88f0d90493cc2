// The C-library findings: glibc-too-new-dependency, crt-libc-mismatch,
// musl-glibc-mix and libc-link-mismatch. Linker events come from real
// linker output (parsed with parseLinkerOutput); the glibc versions from the
// build machine's own glibc libraries (x86-64 glibc hosts only), linked
// into per-test directories under other names: no checked-in binaries.
#include "diagnostics/audit.h"
#include "diagnostics/elf.h"
#include "diagnostics/explain.h"
#include "diagnostics/libc_info.h"
#include "diagnostics/linker_output.h"
#include "diagnostics/report.h"
#include "diagnostics/resolve.h"
#include "diagnostics/symbol_index.h"

#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crosshim::diag {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> kinds(const Report &report) {
  std::vector<std::string> out;
  for (const Finding &f : report.findings())
    out.push_back(f.kind);
  return out;
}

std::string evidenceText(const Finding &f) {
  std::string out;
  for (const Evidence &e : f.evidence)
    out += e.file + "|" + e.symbol + "|" + e.detail + "\n";
  return out;
}

LinkContext glibcContext(std::vector<std::string> dirs, std::vector<std::string> args = {}) {
  LinkContext context;
  context.libraryDirs = std::move(dirs);
  context.arguments = std::move(args);
  context.target = "x86_64-unknown-linux-gnu";
  context.libc = Libc::Glibc;
  return context;
}

// explainLinkFailure on real linker output.
Report explainText(llvm::StringRef text, const LinkContext &context,
                   const SymbolIndex &index = SymbolIndex()) {
  Report report;
  explainLinkFailure(parseLinkerOutput(text), index, context, report);
  return report;
}

TEST(LibcInfo, Names) {
  EXPECT_EQ(glibcReleaseOf("__isoc23_sscanf"), GlibcVersion(2, 38));
  EXPECT_EQ(glibcReleaseOf("fcntl64"), GlibcVersion(2, 28));
  EXPECT_EQ(glibcReleaseOf("printf"), std::nullopt);
  EXPECT_TRUE(isGlibcOnlySymbol("__snprintf_chk"));
  EXPECT_TRUE(isGlibcOnlySymbol("__isoc99_sscanf"));
  EXPECT_FALSE(isGlibcOnlySymbol("__stack_chk_fail"));
  EXPECT_FALSE(isGlibcOnlySymbol("snprintf"));
  EXPECT_TRUE(isGlibcLibrary("libc.so.6"));
  EXPECT_TRUE(isGlibcLibrary("ld-linux-aarch64.so.1"));
  EXPECT_TRUE(isGlibcLibrary("libnss_files.so.2"));
  EXPECT_FALSE(isGlibcLibrary("libstdc++.so.6"));
  EXPECT_FALSE(isGlibcLibrary("libdep.so"));
  EXPECT_EQ(glibcVersionText({2, 36}), "2.36");
}

#if defined(__x86_64__) && defined(__GLIBC__)
const std::string kHostLib = "/lib/x86_64-linux-gnu";

TEST(LibcInfo, FindsTheSysrootGlibcBehindTheLinkerScript) {
  test::TestDir dir;
  // Debian's layout: usr/lib has the libc.so script, lib has libc.so.6.
  dir.writeFile("usr/lib/libc.so", "/* GNU ld script */\nGROUP ( /lib/libc.so.6 )\n");
  dir.makeSymlink(kHostLib + "/libc.so.6", "lib/libc.so.6");
  auto glibc = findSysrootGlibc({dir / "usr/lib", dir / "lib"});
  ASSERT_TRUE(glibc.has_value());
  EXPECT_EQ(glibc->path, dir / "lib/libc.so.6");
  EXPECT_GE(glibc->version, GlibcVersion(2, 34)) << "bookworm or newer";
  // No glibc at all (a musl dir, a libc.so.6 that is no ELF): nothing.
  dir.writeFile("musl/libc.so", "\x7f"
                                "ELF");
  dir.writeFile("musl/libc.so.6", "not elf");
  EXPECT_FALSE(findSysrootGlibc({dir / "musl"}).has_value());
}

TEST(ExplainLibc, GlibcTooNewFromLldSharedLibraryMessage) {
  // ld.lld 14, a libdep.so linked against a libc.so.6 with GLIBC_2.99.
  const char *text = "ld.lld: error: ./libdep1.so: undefined reference to newfunc@GLIBC_2.99 "
                     "[--no-allow-shlib-undefined]\n"
                     "clang: error: linker command failed with exit code 1 (use -v to see "
                     "invocation)\n";
  Report report = explainText(text, glibcContext({kHostLib}));
  ASSERT_EQ(kinds(report), std::vector<std::string>{"glibc-too-new-dependency"});
  const Finding &f = report.findings()[0];
  EXPECT_EQ(f.severity, Severity::Error);
  EXPECT_THAT(f.message, HasSubstr("./libdep1.so needs glibc 2.99 (newfunc@GLIBC_2.99)"));
  EXPECT_THAT(
      evidenceText(f),
      HasSubstr(kHostLib + "/libc.so.6||the sysroot's glibc: symbol versions up to GLIBC_2."));
  EXPECT_THAT(f.fix, HasSubstr("rebuild ./libdep1.so against this sysroot"));
}

TEST(ExplainLibc, GnuLdVersionedReferenceOnlyWhenNewerThanTheSysroot) {
  // GNU ld's form; 2.34 is older than the build machine's glibc, so the
  // sysroot has it and the cause is elsewhere (the general explanation).
  const char *old = "/usr/bin/ld: libraylib.so: undefined reference to "
                    "`pthread_attr_setstacksize@GLIBC_2.34'\n"
                    "collect2: error: ld returned 1 exit status\n";
  Report report = explainText(old, glibcContext({kHostLib}));
  EXPECT_THAT(kinds(report), ::testing::Not(::testing::Contains("glibc-too-new-dependency")));
  const char *tooNew = "/usr/bin/ld: libraylib.so: undefined reference to "
                       "`pthread_attr_setstacksize@GLIBC_2.340'\n"
                       "/usr/bin/ld: libraylib.so: undefined reference to `other@GLIBC_2.340'\n";
  report = explainText(tooNew, glibcContext({kHostLib}));
  EXPECT_EQ(kinds(report), std::vector<std::string>{"glibc-too-new-dependency"})
      << "one finding per library, however many symbols";
}

TEST(ExplainLibc, Isoc23NamesFromNewerHeaders) {
  // An archive compiled against glibc 2.38's headers: unversioned, but only
  // glibc >= 2.38 has the name.
  const char *text = "ld.lld: error: undefined symbol: __isoc23_sscanf\n"
                     ">>> referenced by parse.c\n"
                     ">>>               parse.o:(parse_line) in archive libparse.a\n";
  Report report = explainText(text, glibcContext({kHostLib}));
  auto glibc = findSysrootGlibc({kHostLib});
  ASSERT_TRUE(glibc.has_value());
  if (glibc->version >= GlibcVersion(2, 38)) {
    EXPECT_THAT(kinds(report), ::testing::Not(::testing::Contains("glibc-too-new-dependency")));
    return;
  }
  ASSERT_EQ(kinds(report), std::vector<std::string>{"glibc-too-new-dependency"});
  EXPECT_THAT(evidenceText(report.findings()[0]),
              HasSubstr("libparse.a(parse.o)|__isoc23_sscanf|needs glibc 2.38"));
}

TEST(ExplainLibc, OldCrtWithNewLibc) {
  // glibc 2.31's Scrt1.o linked against glibc >= 2.34 (ld.lld 14's words).
  const char *text =
      "ld.lld: error: undefined symbol: __libc_csu_fini\n"
      ">>> referenced by /cache/bullseye/usr/lib/x86_64-linux-gnu/Scrt1.o:(_start)\n"
      "\n"
      "ld.lld: error: undefined symbol: __libc_csu_init\n"
      ">>> referenced by /cache/bullseye/usr/lib/x86_64-linux-gnu/Scrt1.o:(_start)\n";
  Report report = explainText(text, glibcContext({kHostLib}));
  ASSERT_EQ(kinds(report), std::vector<std::string>{"crt-libc-mismatch"}) << "one for both";
  const Finding &f = report.findings()[0];
  EXPECT_THAT(f.message, HasSubstr("/cache/bullseye/usr/lib/x86_64-linux-gnu/Scrt1.o is from a "
                                   "glibc older than 2.34"));
  EXPECT_THAT(evidenceText(f), HasSubstr("|__libc_csu_fini|referenced by the C runtime"));
  EXPECT_THAT(evidenceText(f), HasSubstr(kHostLib + "/libc.so.6"));
  // The reverse needs a libc older than 2.34: with this one it is not the cause.
  Report reverse = explainText("ld.lld: error: undefined symbol: __libc_start_main@GLIBC_2.34\n"
                               ">>> referenced by /new/Scrt1.o:(_start)\n",
                               glibcContext({kHostLib}));
  EXPECT_THAT(kinds(reverse), ::testing::Not(::testing::Contains("crt-libc-mismatch")));
}

TEST(ExplainLibc, NewCrtWithOldLibc) {
  // Start files that ask for __libc_start_main@GLIBC_2.34 (lld's form of a
  // versioned undefined symbol) against a "sysroot" whose libc.so.6 is the
  // host's libdl.so.2: its highest version is older than 2.34 on bookworm.
  test::TestDir dir;
  dir.makeSymlink(kHostLib + "/libdl.so.2", "lib/libc.so.6");
  auto glibc = findSysrootGlibc({dir / "lib"});
  ASSERT_TRUE(glibc.has_value());
  if (glibc->version >= GlibcVersion(2, 34))
    GTEST_SKIP() << "libdl.so.2 defines GLIBC_2.34 here";
  Report report = explainText("ld.lld: error: undefined symbol: __libc_start_main@GLIBC_2.34\n"
                              ">>> referenced by /new/Scrt1.o:(_start)\n",
                              glibcContext({dir / "lib"}, {"/new/Scrt1.o", "main.o"}));
  ASSERT_EQ(kinds(report), std::vector<std::string>{"crt-libc-mismatch"});
  EXPECT_THAT(report.findings()[0].message, HasSubstr("/new/Scrt1.o is from glibc 2.34 or newer"));
}
#endif

TEST(ExplainLibc, MuslLinkWithGlibcObjects) {
  // x86_64-unknown-linux-musl-cc linking an archive built with glibc's
  // headers and -D_FORTIFY_SOURCE=2 (ld.lld 14).
  const char *text = "ld.lld: error: undefined symbol: __snprintf_chk\n"
                     ">>> referenced by dep.c\n"
                     ">>>               dep.o:(describe) in archive ./libdep.a\n"
                     "\n"
                     "ld.lld: error: undefined symbol: __fprintf_chk\n"
                     ">>> referenced by dep.c\n"
                     ">>>               dep.o:(describe) in archive ./libdep.a\n"
                     "\n"
                     "ld.lld: error: undefined symbol: __isoc99_sscanf\n"
                     ">>> referenced by dep.c\n"
                     ">>>               dep.o:(parse) in archive ./libdep.a\n";
  test::TestDir dir;
  // musl defines __isoc99_sscanf (a weak alias): that one is no evidence.
  dir.writeFile("musl/libc.a", test::gnuArchive({"sscanf", "__isoc99_sscanf", "snprintf"}));
  SymbolIndex index;
  index.addDirectories({dir / "musl"});
  LinkContext context = glibcContext({dir / "musl"});
  context.libc = Libc::Musl;
  context.target = "x86_64-unknown-linux-musl";
  Report report = explainText(text, context, index);
  // One musl-glibc-mix for the archive; __isoc99_sscanf, which libc.a
  // defines, gets the general explanation.
  ASSERT_EQ(report.findings().size(), 2u);
  EXPECT_EQ(report.findings()[0].kind, "musl-glibc-mix");
  EXPECT_NE(report.findings()[1].kind, "musl-glibc-mix");
  const Finding &f = report.findings()[0];
  EXPECT_THAT(f.message, HasSubstr("./libdep.a(dep.o) was built for glibc, not musl"));
  EXPECT_THAT(evidenceText(f), HasSubstr("__snprintf_chk|a glibc fortify wrapper"));
  EXPECT_THAT(f.fix, HasSubstr("rebuild ./libdep.a(dep.o) for musl"));

  // GNU ld's versioned form: any GLIBC_ version in a musl link.
  Report versioned = explainText("/usr/bin/ld: libfoo.so: undefined reference to "
                                 "`stderr@GLIBC_2.4'\n",
                                 context, index);
  EXPECT_EQ(kinds(versioned), std::vector<std::string>{"musl-glibc-mix"});
  // The same names in a glibc link are not a mix.
  context.libc = Libc::Glibc;
  Report glibc = explainText(text, context, index);
  EXPECT_THAT(kinds(glibc), ::testing::Not(::testing::Contains("musl-glibc-mix")));
}

TEST(ExplainLibc, StaticLinkWithoutStaticLibc) {
  test::TestDir dir;
  dir.writeFile("lib/libc.so", "/* GNU ld script */");
  dir.writeFile("lib/libc.so.6", "\x7f"
                                 "ELF");
  const char *lld = "ld.lld: error: unable to find library -lc\n"
                    "clang: error: linker command failed with exit code 1 (use -v to see "
                    "invocation)\n";
  Report report = explainText(lld, glibcContext({dir / "lib"}, {"-static", "hello.c"}));
  ASSERT_EQ(kinds(report), std::vector<std::string>{"libc-link-mismatch"})
      << "not missing-dev-symlink, although libc.so.6 is there";
  EXPECT_THAT(report.findings()[0].message, HasSubstr("a static link needs libc.a"));
  EXPECT_THAT(evidenceText(report.findings()[0]), HasSubstr(dir / "lib/libc.so"));
  // rustc's own words for +crt-static: static by definition.
  report = explainText("error: could not find native static library `c`, perhaps an -L flag is "
                       "missing?\n",
                       glibcContext({dir / "lib"}));
  EXPECT_EQ(kinds(report), std::vector<std::string>{"libc-link-mismatch"});
  // A dynamic link that cannot find -lc is something else.
  report = explainText(lld, glibcContext({dir / "lib"}, {"hello.c"}));
  EXPECT_THAT(kinds(report), ::testing::Not(::testing::Contains("libc-link-mismatch")));
  // Said before the link already: not twice.
  Report twice;
  twice.add({"libc-link-mismatch", Severity::Error, "pre-link", {}, "fix"});
  explainLinkFailure(parseLinkerOutput(lld), SymbolIndex(),
                     glibcContext({dir / "lib"}, {"-static"}), twice);
  EXPECT_EQ(kinds(twice), std::vector<std::string>{"libc-link-mismatch"});
}

TEST(ExplainLibc, DuplicateLibcInternals) {
  // GNU ld, libpthread.a of glibc < 2.34 in a dynamic link.
  const char *text =
      "/usr/bin/ld: /usr/lib/x86_64-linux-gnu/libpthread.a(lowlevellock.o): in function "
      "`__lll_lock_wait_private':\n"
      "(.text+0x0): multiple definition of `__lll_lock_wait_private'; "
      "/lib/x86_64-linux-gnu/libc.so.6(lowlevellock.o):(.text+0x0): first defined here\n";
  Report report = explainText(text, glibcContext({}));
  ASSERT_EQ(kinds(report), std::vector<std::string>{"libc-link-mismatch"});
  EXPECT_THAT(report.findings()[0].message, HasSubstr("__lll_lock_wait_private"));
  // A user's own duplicate is not about the C library.
  Report mine = explainText("ld.lld: error: duplicate symbol: helper\n"
                            ">>> defined at a.c\n>>>            a.o:(helper)\n"
                            ">>> defined at b.c\n>>>            b.o:(.text+0x0)\n",
                            glibcContext({}));
  EXPECT_THAT(kinds(mine), IsEmpty());
}

// ------------------------------------------------------------ before the link
void checkMode(const std::vector<std::string> &args, const std::vector<std::string> &dirs,
               Report &report) {
  checkLibcLinkMode(args, resolveLibraries(args, dirs, ""), dirs, "", report);
}

TEST(ResolveLibc, StaticLinkNeedsLibcA) {
  test::TestDir dir;
  std::string lib = dir.makeDir("lib");
  dir.writeFile("lib/libc.so", "/* GNU ld script */");
  {
    Report report;
    checkMode({"-static", "hello.o", "-o", "hello"}, {lib}, report);
    ASSERT_EQ(kinds(report), std::vector<std::string>{"libc-link-mismatch"});
    EXPECT_EQ(report.findings()[0].severity, Severity::Error);
    EXPECT_THAT(report.findings()[0].message, HasSubstr("only the shared " + lib + "/libc.so"));
  }
  {
    // rustc's +crt-static line: -lc under -Bstatic, -nodefaultlibs, and
    // -static-pie after -Wl,-Bdynamic.
    Report report;
    checkMode({"main.o", "-Wl,-Bstatic", "-lc", "-Wl,-Bdynamic", "-nodefaultlibs", "-static-pie"},
              {lib}, report);
    EXPECT_EQ(kinds(report), std::vector<std::string>{"libc-link-mismatch"});
  }
  {
    // -nostdlib without -lc: the link has no C library to miss.
    Report report;
    checkMode({"-static", "-nostdlib", "start.o"}, {lib}, report);
    EXPECT_TRUE(report.empty());
  }
  dir.writeFile("lib/libc.a", "!<arch>\nmembers");
  {
    // The healthy static link (Debian's cross packages have libc.a).
    Report report;
    checkMode({"-static", "hello.o"}, {lib}, report);
    EXPECT_TRUE(report.empty());
  }
  {
    // A -L directory with only libc.a before the sysroot counts too.
    test::TestDir other;
    std::string so = other.makeDir("so");
    other.writeFile("so/libc.so", "script");
    std::string a = other.makeDir("a");
    other.writeFile("a/libc.a", "!<arch>\nx");
    Report report;
    checkMode({"-static", "-L" + a, "hello.o"}, {so}, report);
    EXPECT_TRUE(report.empty());
  }
}

TEST(ResolveLibc, StaticPiecesInADynamicLink) {
  test::TestDir dir;
  std::string lib = dir.makeDir("lib");
  dir.writeFile("lib/libc.so", "/* GNU ld script */");
  dir.writeFile("lib/libc.a", "!<arch>\nmembers of libc");
  dir.writeFile("lib/libpthread.a", "!<arch>\n"); // glibc >= 2.34 and musl: empty
  {
    // rustc's dynamic gnu line: nothing wrong.
    Report report;
    checkMode({"main.o", "-Wl,-Bdynamic", "-lgcc_s", "-lpthread", "-lm", "-lc"}, {lib}, report);
    EXPECT_TRUE(report.empty());
  }
  {
    // The empty libpthread.a under -Bstatic is harmless.
    Report report;
    checkMode({"main.o", "-Wl,-Bstatic", "-lpthread", "-Wl,-Bdynamic"}, {lib}, report);
    EXPECT_TRUE(report.empty());
  }
  {
    Report report;
    checkMode({"main.o", "-l:libc.a"}, {lib}, report);
    ASSERT_EQ(kinds(report), std::vector<std::string>{"libc-link-mismatch"});
    EXPECT_EQ(report.findings()[0].severity, Severity::Warning);
    EXPECT_THAT(report.findings()[0].fix, HasSubstr("-l:libc.a"));
  }
  dir.writeFile("lib/libpthread.a", "!<arch>\nan old glibc's libpthread.a with members");
  {
    Report report;
    checkMode({"main.o", "-Wl,-Bstatic", "-lpthread", "-Wl,-Bdynamic"}, {lib}, report);
    ASSERT_EQ(kinds(report), std::vector<std::string>{"libc-link-mismatch"});
    EXPECT_THAT(report.findings()[0].message, HasSubstr("-lpthread takes the static libpthread.a"));
  }
}

// ------------------------------------------------------------ after the link
#if defined(__x86_64__) && defined(__GLIBC__)
TEST(AuditLibc, NeededLibrariesAgainstTheSysrootGlibc) {
  AuditExpectations expect;
  expect.libc = Libc::Glibc;
  expect.libraryDirs = {kHostLib};
  ElfInfo program;
  program.type = 3; // ET_DYN (a PIE)
  program.needed = {"libstdc++.so.6", "libm.so.6", "libc.so.6"};
  {
    // The host's own libraries against the host's glibc: nothing.
    Report report;
    auditLinkOutput("prog", program, expect, report);
    EXPECT_TRUE(report.empty()) << evidenceText(report.findings()[0]);
  }
  // A "sysroot" whose libc.so.6 is the host's libm.so.6 (it defines fewer
  // GLIBC_ versions) with the host's libstdc++.so.6 beside it.
  test::TestDir dir;
  dir.makeSymlink(kHostLib + "/libm.so.6", "lib/libc.so.6");
  dir.makeSymlink(kHostLib + "/libstdc++.so.6", "lib/libstdc++.so.6");
  dir.makeSymlink(kHostLib + "/libm.so.6", "lib/libm.so.6");
  auto sysroot = findSysrootGlibc({dir / "lib"});
  auto cxx = readElfFile(kHostLib + "/libstdc++.so.6");
  ASSERT_TRUE(sysroot && cxx);
  auto needed = highestGlibcNeeded(*cxx);
  ASSERT_TRUE(needed.has_value());
  if (*needed <= sysroot->version)
    GTEST_SKIP() << "libstdc++ needs no more than libm defines here";
  expect.libraryDirs = {dir / "lib"};
  Report report;
  auditLinkOutput("prog", program, expect, report);
  ASSERT_EQ(kinds(report), std::vector<std::string>{"glibc-too-new-dependency"});
  const Finding &f = report.findings()[0];
  EXPECT_EQ(f.severity, Severity::Error);
  EXPECT_THAT(f.message, HasSubstr("libstdc++.so.6 needs glibc " + glibcVersionText(*needed)));
  EXPECT_THAT(f.message, HasSubstr("not found"));
  EXPECT_THAT(evidenceText(f), HasSubstr("@GLIBC_" + glibcVersionText(*needed) + "|needs"));
  EXPECT_THAT(evidenceText(f), HasSubstr("prog||DT_NEEDED libstdc++.so.6"));
}

TEST(AuditLibc, GlibcLibrariesInAMuslProgram) {
  AuditExpectations expect;
  expect.libc = Libc::Musl;
  test::TestDir dir;
  dir.makeSymlink(kHostLib + "/libz.so.1", "lib/libz.so.1"); // built against glibc
  dir.writeFile("lib/libc.so", "\x7f"
                               "ELF"); // musl's libc.so, unreadable here: skipped
  expect.libraryDirs = {dir / "lib"};
  ElfInfo program;
  program.type = 3;
  program.needed = {"libz.so.1", "libc.so"};
  Report report;
  auditLinkOutput("prog", program, expect, report);
  ASSERT_EQ(kinds(report), std::vector<std::string>{"musl-glibc-mix"});
  EXPECT_THAT(report.findings()[0].message, HasSubstr("libz.so.1 was built against glibc"));
  // glibc's libc.so.6 itself in a musl program.
  dir.makeSymlink(kHostLib + "/libc.so.6", "lib/libc.so.6");
  program.needed = {"libc.so.6"};
  Report direct;
  auditLinkOutput("prog", program, expect, direct);
  EXPECT_EQ(kinds(direct), std::vector<std::string>{"musl-glibc-mix"});
  // Without a libc to check against: nothing read, nothing said.
  expect.libc = Libc::Unknown;
  Report none;
  auditLinkOutput("prog", program, expect, none);
  EXPECT_TRUE(none.empty());
}
#endif

} // namespace
} // namespace crosshim::diag
