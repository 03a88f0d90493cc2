// coff.cpp (machines, .drectve, symbols, import members) on objects,
// archives and images made at test time by clang, llvm-lib, llvm-dlltool and
// lld-link (LLVM 14); and explain_windows.cpp on what lld-link and MinGW's
// ld.lld really printed for links of those files.
#include "diagnostics/coff.h"
#include "diagnostics/explain.h"
#include "diagnostics/linker_output.h"
#include "support/process.h"
#include "diagnostics/report.h"
#include "diagnostics/symbol_index.h"

#include "test_support.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Program.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crosshim::diag {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// An LLVM tool: on PATH, else in Debian's LLVM 14 directory; empty when absent.
std::string tool(const char *name) {
  if (auto p = llvm::sys::findProgramByName(name, {"/usr/lib/llvm-14/bin"}))
    return *p;
  if (auto p = llvm::sys::findProgramByName(name))
    return *p;
  return {};
}

// Runs a tool in `dir`; the test fails when it does.
bool run(const std::string &dir, std::vector<std::string> argv, std::string *stderrText = nullptr) {
  test::ScopedCwd cwd(dir);
  auto status = runProgram(argv.front(), argv, childEnvironment(Env::process(), {}, {}), 1 << 16);
  if (!status) {
    ADD_FAILURE() << llvm::toString(status.takeError());
    return false;
  }
  if (stderrText)
    *stderrText = status->stderrCopy;
  return status->exitCode == 0;
}

#define NEED_TOOLS(...)                                                                            \
  for (const char *t : {__VA_ARGS__})                                                              \
    if (tool(t).empty())                                                                           \
      GTEST_SKIP() << t << " is not installed";

std::optional<CoffFile> readPath(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return std::nullopt;
  return readCoff((*buffer)->getBuffer());
}

std::string compile(const test::TestDir &dir, const char *target, llvm::StringRef name,
                    llvm::StringRef source, std::vector<std::string> flags = {}) {
  const std::string src = dir.writeFile(name.str() + ".c", source);
  const std::string obj = dir / (name.str() + ".obj");
  std::vector<std::string> argv{
      tool("clang"), std::string("--target=") + target, "-c", src, "-o", obj};
  argv.insert(argv.end(), flags.begin(), flags.end());
  EXPECT_TRUE(run(dir.path(), argv));
  return obj;
}

TEST(Coff, MachineNames) {
  EXPECT_EQ(coffMachineName(kCoffMachineAmd64), "x64");
  EXPECT_EQ(coffMachineName(kCoffMachineI386), "x86");
  EXPECT_EQ(coffMachineName(kCoffMachineArm64), "arm64");
  EXPECT_EQ(coffMachineName(0x1234), "0x1234");
  EXPECT_EQ(coffMachineForTriple("x86_64-pc-windows-msvc"), kCoffMachineAmd64);
  EXPECT_EQ(coffMachineForTriple("i686-w64-windows-gnu"), kCoffMachineI386);
  EXPECT_EQ(coffMachineForTriple("aarch64-pc-windows-msvc"), kCoffMachineArm64);
}

TEST(Coff, ObjectsOfEachMachineWithDirectivesAndSymbols) {
  NEED_TOOLS("clang");
  test::TestDir dir;
  const char *source = "#pragma comment(lib, \"USER32\")\n"
                       "#pragma detect_mismatch(\"RuntimeLibrary\", \"MT_StaticRelease\")\n"
                       "int used(int);\n"
                       "int defined_here(int x) { return used(x); }\n";
  struct Case {
    const char *target;
    uint16_t machine;
    const char *defined, *undefined;
  } cases[] = {{"x86_64-pc-windows-msvc", kCoffMachineAmd64, "defined_here", "used"},
               {"aarch64-pc-windows-msvc", kCoffMachineArm64, "defined_here", "used"},
               {"i686-pc-windows-msvc", kCoffMachineI386, "_defined_here", "_used"}};
  for (const Case &c : cases) {
    SCOPED_TRACE(c.target);
    auto file = readPath(compile(dir, c.target, "a", source));
    ASSERT_TRUE(file);
    EXPECT_EQ(file->kind, CoffFile::Kind::Object);
    EXPECT_EQ(file->machine, c.machine);
    EXPECT_THAT(file->defined, ElementsAre(c.defined));
    EXPECT_THAT(file->undefined, ElementsAre(c.undefined));
    EXPECT_THAT(parseDirectives(file->directives),
                ElementsAre(Directive{"defaultlib", "USER32.lib"},
                            Directive{"failifmismatch", "RuntimeLibrary=MT_StaticRelease"}));
  }
  // clang-cl's /MT and /MD: the CRT libraries as -defaultlib / /DEFAULTLIB.
  auto mt = readPath(compile(dir, "x86_64-pc-windows-msvc", "mt", "int f(void) { return 1; }",
                             {"-Xclang", "--dependent-lib=libcmt"}));
  ASSERT_TRUE(mt);
  EXPECT_THAT(parseDirectives(mt->directives), ElementsAre(Directive{"defaultlib", "libcmt.lib"}));
}

TEST(Coff, DirectiveQuotingAndCase) {
  EXPECT_THAT(parseDirectives("-defaultlib:\"a b.lib\"  /DEFAULTLIB:libcmt "
                              "\"/FAILIFMISMATCH:_ITERATOR_DEBUG_LEVEL=0\" -exclude-symbols:x"),
              ElementsAre(Directive{"defaultlib", "a b.lib"}, Directive{"defaultlib", "libcmt"},
                          Directive{"failifmismatch", "_ITERATOR_DEBUG_LEVEL=0"},
                          Directive{"exclude-symbols", "x"}));
  EXPECT_THAT(parseDirectives(llvm::StringRef("\0 not-an-option /x", 18)),
              ElementsAre(Directive{"x", ""}));
  EXPECT_THAT(parseDirectives(""), IsEmpty());
}

TEST(Coff, ImportLibraryAndStaticLibraryMembers) {
  NEED_TOOLS("clang", "llvm-lib", "llvm-dlltool");
  test::TestDir dir;
  dir.writeFile("foo.def", "LIBRARY foo.dll\nEXPORTS\nfoo\nbar DATA\n");
  ASSERT_TRUE(run(dir.path(),
                  {tool("llvm-dlltool"), "-m", "i386:x86-64", "-d", "foo.def", "-l", "foo.lib"}));
  std::vector<CoffInput> members;
  forEachCoffInput(dir / "foo.lib", [&](const CoffInput &in) { members.push_back(in); });
  bool sawFoo = false, sawBar = false;
  for (const CoffInput &m : members) {
    EXPECT_EQ(m.file.machine, kCoffMachineAmd64) << m.member;
    if (m.file.kind != CoffFile::Kind::Import)
      continue;
    EXPECT_EQ(m.file.dll, "foo.dll");
    if (m.file.importName == "foo") {
      sawFoo = true;
      EXPECT_THAT(m.file.defined, ElementsAre("__imp_foo", "foo"));
    } else if (m.file.importName == "bar") {
      sawBar = true; // DATA: no thunk, only the pointer
      EXPECT_THAT(m.file.defined, ElementsAre("__imp_bar"));
    }
  }
  EXPECT_TRUE(sawFoo && sawBar);

  // A static library with a member name longer than 15 bytes (the "//" table).
  compile(dir, "aarch64-pc-windows-msvc", "a_member_with_a_long_name", "int g(void) { return 2; }");
  ASSERT_TRUE(
      run(dir.path(), {tool("llvm-lib"), "/out:static.lib", "a_member_with_a_long_name.obj"}));
  members.clear();
  forEachCoffInput(dir / "static.lib", [&](const CoffInput &in) { members.push_back(in); });
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].member, "a_member_with_a_long_name.obj");
  EXPECT_EQ(members[0].file.machine, kCoffMachineArm64);
  EXPECT_THAT(members[0].file.defined, ElementsAre("g"));

  // The symbol index takes .lib files: the import library's __imp_ names too.
  SymbolIndex index;
  index.addDirectories({dir.path()});
  ASSERT_TRUE(index.find("__imp_foo"));
  EXPECT_EQ(index.find("__imp_foo")->front().library, dir / "foo.lib");
  ASSERT_TRUE(index.find("g"));
}

TEST(Coff, ImagesAndNotCoff) {
  NEED_TOOLS("clang", "lld-link");
  test::TestDir dir;
  for (auto [target, machine, name] :
       {std::tuple{"x86_64-pc-windows-msvc", kCoffMachineAmd64, "x64"},
        std::tuple{"i686-pc-windows-msvc", kCoffMachineI386, "x86"},
        std::tuple{"aarch64-pc-windows-msvc", kCoffMachineArm64, "arm64"}}) {
    SCOPED_TRACE(target);
    const std::string obj = compile(dir, target, name, "int start(void) { return 0; }");
    ASSERT_TRUE(run(dir.path(), {tool("lld-link"), "/nologo", "/entry:start", "/subsystem:console",
                                 "/out:" + std::string(name) + ".exe", obj}));
    auto image = readPath(dir / (std::string(name) + ".exe"));
    ASSERT_TRUE(image);
    EXPECT_EQ(image->kind, CoffFile::Kind::Image);
    EXPECT_EQ(image->machine, machine);

    Report report;
    auditWindowsOutput(dir / (std::string(name) + ".exe"), machine, report);
    EXPECT_TRUE(report.empty());
    auditWindowsOutput(dir / (std::string(name) + ".exe"),
                       machine == kCoffMachineAmd64 ? kCoffMachineArm64 : kCoffMachineAmd64,
                       report);
    ASSERT_EQ(report.findings().size(), 1u);
    EXPECT_EQ(report.findings()[0].kind, "wrong-architecture");
    EXPECT_EQ(report.findings()[0].evidence[0].detail, std::string("PE machine ") + name);
  }
  // ELF, text, truncated headers: not COFF.
  EXPECT_FALSE(readCoff("\x7f"
                        "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0"));
  EXPECT_FALSE(readCoff("hello, this is a text file of some length"));
  EXPECT_FALSE(readCoff(llvm::StringRef("MZ\0\0", 4)));
  EXPECT_FALSE(readCoff(llvm::StringRef("\x64\x86\xff\xff\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20)));
}

// --- explain_windows.cpp ----------------------------------------------------

LinkContext windowsContext(const char *target, std::vector<std::string> dirs,
                           std::vector<std::string> args) {
  LinkContext context;
  context.target = target;
  context.libraryDirs = std::move(dirs);
  context.arguments = std::move(args);
  context.coffMachine = coffMachineForTriple(target);
  return context;
}

Report explain(llvm::StringRef output, const LinkContext &context) {
  SymbolIndex index;
  index.addDirectories(context.libraryDirs);
  Report report(context.target);
  explainLinkFailure(parseLinkerOutput(output), index, context, report);
  return report;
}

std::string evidenceText(const Finding &f) {
  std::string text;
  for (const Evidence &e : f.evidence)
    text += e.file + " | " + e.symbol + " | " + e.detail + "\n";
  return text;
}

// lld-link 14, a static foo.lib on /libpath: but not linked.
TEST(ExplainWindows, DllImportStaticLibraryNotLinked) {
  NEED_TOOLS("clang", "llvm-lib");
  test::TestDir dir;
  compile(dir, "x86_64-pc-windows-msvc", "foo", "int foo(int x) { return x; }");
  dir.makeDir("libdir");
  ASSERT_TRUE(run(dir.path(), {tool("llvm-lib"), "/out:libdir/foo.lib", "foo.obj"}));
  const std::string main = compile(dir, "x86_64-pc-windows-msvc", "main",
                                   "__declspec(dllimport) int foo(int);\n"
                                   "int mainCRTStartup(void) { return foo(1); }\n");
  Report report = explain("lld-link: error: undefined symbol: __declspec(dllimport) foo\n"
                          ">>> referenced by main.obj:(mainCRTStartup)\n",
                          windowsContext("x86_64-pc-windows-msvc", {dir / "libdir"}, {main}));
  ASSERT_EQ(report.findings().size(), 1u) << report.findings()[0].message;
  const Finding &f = report.findings()[0];
  EXPECT_EQ(f.kind, "dllimport-mismatch");
  EXPECT_THAT(evidenceText(f), HasSubstr(dir / "libdir/foo.lib | foo | defines it statically"));
  // No header says which macro selects the static build: none is named.
  EXPECT_THAT(f.fix, Not(HasSubstr("-D")));
  EXPECT_THAT(f.fix, HasSubstr("the macro that selects the library's static build"));
  EXPECT_THAT(f.fix, HasSubstr("link foo.lib"));
}

// MinGW's ld.lld 14 does not resolve __imp_foo against a static libfoo.a
// that is linked: the static definition is on the line.
TEST(ExplainWindows, DllImportStaticDefinitionOnTheLineMingw) {
  NEED_TOOLS("clang", "llvm-ar");
  test::TestDir dir;
  compile(dir, "x86_64-w64-windows-gnu", "foo", "int foo(int x) { return x; }");
  dir.makeDir("glib");
  ASSERT_TRUE(run(dir.path(), {tool("llvm-ar"), "rcs", "glib/libfoo.a", "foo.obj"}));
  const std::string out = "ld.lld: error: undefined symbol: __declspec(dllimport) foo\n"
                          ">>> referenced by gmain.o:(main)\n"
                          "clang: error: linker command failed with exit code 1 (use -v to see "
                          "invocation)\n";
  Report report = explain(out, windowsContext("x86_64-pc-windows-gnu", {dir / "glib"},
                                              {"gmain.o", "-o", "g.exe", "-lfoo"}));
  ASSERT_EQ(report.findings().size(), 1u);
  EXPECT_EQ(report.findings()[0].kind, "dllimport-mismatch");
  EXPECT_THAT(report.findings()[0].message, HasSubstr("only a static definition is linked"));
  EXPECT_THAT(evidenceText(report.findings()[0]), HasSubstr("libfoo.a(foo.obj) | foo"));
  EXPECT_THAT(report.findings()[0].fix, Not(HasSubstr("-D")));

  // The library's header in the include/ next to its lib dir names its own
  // switch (libxml2's is LIBXML_STATIC, not a name made from the file).
  dir.writeFile("include/foo.h", "#ifdef LIBFOO_STATIC\n#define FOO_API\n#else\n"
                                 "#define FOO_API __declspec(dllimport)\n#endif\n"
                                 "FOO_API int foo(int);\n");
  report = explain(out, windowsContext("x86_64-pc-windows-gnu", {dir / "glib"},
                                       {"gmain.o", "-o", "g.exe", "-lfoo"}));
  ASSERT_EQ(report.findings().size(), 1u);
  EXPECT_THAT(report.findings()[0].fix, HasSubstr("-DLIBFOO_STATIC (" + dir / "include/foo.h"));

  // The import library on the search path instead: add it.
  ASSERT_TRUE(llvm::sys::fs::remove(dir / "glib/libfoo.a") == std::error_code());
  dir.writeFile("foo.def", "LIBRARY foo.dll\nEXPORTS\nfoo\n");
  ASSERT_TRUE(run(dir.path(), {tool("llvm-dlltool"), "-m", "i386:x86-64", "-d", "foo.def", "-l",
                               "glib/libfoo.dll.a"}));
  report = explain("ld.lld: error: undefined symbol: __imp_foo\n>>> referenced by gmain.o:(main)\n",
                   windowsContext("x86_64-pc-windows-gnu", {dir / "glib"}, {"gmain.o"}));
  ASSERT_EQ(report.findings().size(), 1u);
  EXPECT_EQ(report.findings()[0].kind, "dllimport-mismatch");
  EXPECT_THAT(report.findings()[0].message, HasSubstr("libfoo.dll.a is not linked"));
  EXPECT_THAT(report.findings()[0].fix, HasSubstr("add -lfoo"));
}

TEST(ExplainWindows, DllImportOfNothingIsUndefinedSymbol) {
  Report report = explain("lld-link: error: undefined symbol: __declspec(dllimport) nowhere\n"
                          ">>> referenced by main.obj:(mainCRTStartup)\n",
                          windowsContext("x86_64-pc-windows-msvc", {}, {}));
  ASSERT_EQ(report.findings().size(), 1u);
  EXPECT_EQ(report.findings()[0].kind, "undefined-symbol");
}

TEST(ExplainWindows, LocallyDefinedImportedWarning) {
  LinkContext context = windowsContext("x86_64-pc-windows-msvc", {}, {});
  Report report;
  explainWindowsLinkWarnings(
      parseLinkerOutput("lld-link: warning: main.obj: locally defined symbol imported: foo "
                        "(defined in foo.obj) [LNK4217]\n"),
      context, report);
  ASSERT_EQ(report.findings().size(), 1u);
  EXPECT_EQ(report.findings()[0].kind, "dllimport-mismatch");
  EXPECT_EQ(report.findings()[0].severity, Severity::Warning);
  EXPECT_THAT(evidenceText(report.findings()[0]), HasSubstr("main.obj | foo | imports it"));
  EXPECT_THAT(evidenceText(report.findings()[0]), HasSubstr("foo.obj | foo | defines it"));
  // ELF targets: nothing.
  Report none;
  explainWindowsLinkWarnings(parseLinkerOutput("lld-link: warning: main.obj: locally defined "
                                               "symbol imported: foo (defined in foo.obj) "
                                               "[LNK4217]\n"),
                             LinkContext(), none);
  EXPECT_TRUE(none.empty());
}

TEST(ExplainWindows, ImportLibraryMissingNamesTheObjectAndTheOtherCase) {
  NEED_TOOLS("clang", "llvm-dlltool");
  test::TestDir dir;
  const std::string u = compile(dir, "x86_64-pc-windows-msvc", "u",
                                "#pragma comment(lib, \"USER32\")\n"
                                "int mainCRTStartup(void) { return 0; }\n");
  dir.makeDir("sdk");
  dir.writeFile("user32.def", "LIBRARY user32.dll\nEXPORTS\nMessageBoxA\n");
  ASSERT_TRUE(run(dir.path(), {tool("llvm-dlltool"), "-m", "i386:x86-64", "-d", "user32.def", "-l",
                               "sdk/user32.lib"}));
  const char *out = "lld-link: error: could not open 'USER32.lib': No such file or directory\n";
  Report report =
      explain(out, windowsContext("x86_64-pc-windows-msvc", {dir / "sdk"}, {"/out:u.exe", u}));
  ASSERT_EQ(report.findings().size(), 1u);
  const Finding &f = report.findings()[0];
  EXPECT_EQ(f.kind, "import-library-missing");
  EXPECT_THAT(f.message, HasSubstr("USER32.lib"));
  EXPECT_THAT(f.message, HasSubstr("(" + u + " asks for it)"));
  EXPECT_THAT(evidenceText(f), HasSubstr(u + " |  | asks for it: /DEFAULTLIB:USER32.lib"));
  EXPECT_THAT(evidenceText(f),
              HasSubstr(dir / "sdk/user32.lib |  | the same name in another case"));
  EXPECT_THAT(f.fix, HasSubstr("ln -s user32.lib"));

  // No such library in any case: where to get it.
  report = explain(out, windowsContext("x86_64-pc-windows-msvc", {}, {u}));
  ASSERT_EQ(report.findings().size(), 1u);
  EXPECT_THAT(report.findings()[0].fix, HasSubstr("/libpath:"));
  EXPECT_THAT(report.findings()[0].fix, HasSubstr("/nodefaultlib:USER32.lib"));
  // MSVC link.exe's form.
  report = explain("LINK : fatal error LNK1181: cannot open input file 'kernel32.lib'\n",
                   windowsContext("x86_64-pc-windows-msvc", {}, {}));
  ASSERT_EQ(report.findings().size(), 1u);
  EXPECT_EQ(report.findings()[0].kind, "import-library-missing");
}

TEST(ExplainWindows, CrtModelMismatch) {
  NEED_TOOLS("clang", "llvm-lib");
  test::TestDir dir;
  compile(dir, "x86_64-pc-windows-msvc", "mt",
          "#pragma detect_mismatch(\"RuntimeLibrary\", \"MT_StaticRelease\")\n"
          "int mt(void) { return 1; }\n");
  const std::string md =
      compile(dir, "x86_64-pc-windows-msvc", "md",
              "#pragma detect_mismatch(\"RuntimeLibrary\", \"MD_DynamicRelease\")\n"
              "int mt(void);\nint mainCRTStartup(void) { return mt(); }\n");
  ASSERT_TRUE(run(dir.path(), {tool("llvm-lib"), "/out:mt.lib", "mt.obj"}));
  const char *out = "lld-link: error: /failifmismatch: mismatch detected for 'RuntimeLibrary':\n"
                    ">>> md.obj has value MD_DynamicRelease\n"
                    ">>> mt.lib(mt.obj) has value MT_StaticRelease\n";
  Report report = explain(out, windowsContext("x86_64-pc-windows-msvc", {}, {md, dir / "mt.lib"}));
  ASSERT_EQ(report.findings().size(), 1u);
  const Finding &f = report.findings()[0];
  EXPECT_EQ(f.kind, "crt-model-mismatch");
  EXPECT_THAT(evidenceText(f),
              HasSubstr(md + " |  | RuntimeLibrary=MD_DynamicRelease (built with /MD)"));
  EXPECT_THAT(evidenceText(f),
              HasSubstr(dir / "mt.lib(mt.obj) |  | RuntimeLibrary=MT_StaticRelease "
                              "(built with /MT)"));
  EXPECT_THAT(f.fix, HasSubstr("+crt-static"));

  // From the log alone (crosshim explain without the files).
  report = explain(out, windowsContext("x86_64-pc-windows-msvc", {}, {}));
  ASSERT_EQ(report.findings().size(), 1u);
  EXPECT_THAT(evidenceText(report.findings()[0]),
              HasSubstr("mt.lib(mt.obj) |  | RuntimeLibrary differs"));
  // link.exe: LNK2038.
  report = explain("b.obj : error LNK2038: mismatch detected for 'RuntimeLibrary': value "
                   "'MT_StaticRelease' doesn't match value 'MD_DynamicRelease' in a.obj\n",
                   windowsContext("x86_64-pc-windows-msvc", {}, {}));
  ASSERT_EQ(report.findings().size(), 1u);
  EXPECT_EQ(report.findings()[0].kind, "crt-model-mismatch");
}

TEST(ExplainWindows, MachineConflictNamesTheInputsMachine) {
  NEED_TOOLS("clang");
  test::TestDir dir;
  const std::string obj =
      compile(dir, "i686-pc-windows-msvc", "foo32", "int foo(int x) { return x; }");
  // lld-link and MinGW's ld.lld print the same.
  for (const char *out : {"lld-link: error: foo32.obj: machine type x86 conflicts with x64\n",
                          "ld.lld: error: foo32.obj: machine type x86 conflicts with x64\n"}) {
    Report report = explain(out, windowsContext("x86_64-pc-windows-msvc", {}, {obj}));
    ASSERT_EQ(report.findings().size(), 1u);
    const Finding &f = report.findings()[0];
    EXPECT_EQ(f.kind, "wrong-architecture");
    EXPECT_EQ(f.message, obj + " is built for x86, the target (x86_64-pc-windows-msvc) is x64");
    EXPECT_THAT(evidenceText(f), HasSubstr(obj + " |  | COFF machine x86"));
  }
}

} // namespace
} // namespace crosshim::diag
