// *-pc-windows-msvc: the SDK layouts (sysroot_msvc.cpp), the rewrite rules
// (rewrite_msvc.cpp; one test per rule, failing without it) and the library
// case aliases. The argument samples are what clang 14, cc-rs and rustc
// really pass.
#include "shims/rewrite.h"

#include "test_support.h"

#include <llvm/Support/FileSystem.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crosshim {
namespace {

using test::errorOf;
using test::TestDir;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using Args = std::vector<std::string>;

const Target &target(llvm::StringRef rust) {
  const Target *t = findTarget(rust);
  EXPECT_NE(t, nullptr) << rust.str();
  return *t;
}

// An xwin splat tree with the given arch folders.
std::string makeXwin(const TestDir &dir, llvm::StringRef arch = "x86_64") {
  for (const char *inc :
       {"crt/include", "sdk/include/ucrt", "sdk/include/um", "sdk/include/shared"})
    dir.makeDir(std::string("xwin/") + inc);
  for (const char *lib : {"crt/lib/", "sdk/lib/um/", "sdk/lib/ucrt/"})
    dir.makeDir(("xwin/" + llvm::Twine(lib) + arch).str());
  return dir / "xwin";
}

Sysroot xwinSysroot(const std::string &root = "/sdk") {
  Sysroot s;
  s.path = root;
  s.layout = Layout::MsvcXwin;
  s.includeDirs = {root + "/crt/include", root + "/sdk/include/ucrt", root + "/sdk/include/um"};
  s.libDirs = {root + "/crt/lib/x86_64", root + "/sdk/lib/um/x86_64"};
  return s;
}

RewriteInput input(llvm::StringRef toolName, Args args,
                   llvm::StringRef triple = "x86_64-pc-windows-msvc") {
  RewriteInput in;
  in.target = &target(triple);
  in.tool = findTool(toolName);
  in.sysroot = xwinSysroot();
  in.program = toolName == "link" ? "/usr/lib/llvm-14/bin/lld-link"
               : toolName == "cl" ? "/usr/lib/llvm-14/bin/clang-cl"
                                  : "/usr/lib/llvm-14/bin/clang";
  in.coffLinkerShim = "/cache/msvc-bin/" + triple.str() + "-link";
  in.args = std::move(args);
  return in;
}

RewriteResult rewrite(const RewriteInput &in) {
  auto r = rewriteCommand(in);
  EXPECT_TRUE(static_cast<bool>(r)) << errorOf(std::move(r)).message;
  return r ? std::move(*r) : RewriteResult{};
}

bool usedRule(const RewriteResult &r, llvm::StringRef name) {
  return llvm::any_of(r.rewrites, [&](const Rewrite &w) { return w.rule->name == name; });
}

// ------------------------------------------------------------------ layouts

TEST(MsvcSysroot, XwinLayoutGivesIncludeAndLibDirsOfTheArch) {
  TestDir dir;
  const std::string root = makeXwin(dir, "aarch64");
  Sysroot s = classifySysroot(target("aarch64-pc-windows-msvc"), root);
  EXPECT_EQ(s.layout, Layout::MsvcXwin);
  EXPECT_THAT(s.includeDirs, ElementsAre(root + "/crt/include", root + "/sdk/include/ucrt",
                                         root + "/sdk/include/um", root + "/sdk/include/shared"));
  EXPECT_THAT(s.libDirs, ElementsAre(root + "/crt/lib/aarch64", root + "/sdk/lib/um/aarch64",
                                     root + "/sdk/lib/ucrt/aarch64"));
}

TEST(MsvcSysroot, WinsysrootLayoutPicksTheNewestVersions) {
  TestDir dir;
  for (const char *d :
       {"w/VC/Tools/MSVC/14.9.1/include", "w/VC/Tools/MSVC/14.38.33130/include",
        "w/VC/Tools/MSVC/14.38.33130/lib/x64", "w/Windows Kits/10/Include/10.0.22621.0/um",
        "w/Windows Kits/10/Include/10.0.22621.0/ucrt", "w/Windows Kits/10/Include/10.0.19041.0/um",
        "w/Windows Kits/10/Lib/10.0.22621.0/um/x64", "w/Windows Kits/10/Lib/10.0.22621.0/ucrt/x64"})
    dir.makeDir(d);
  const std::string w = dir / "w";
  Sysroot s = classifySysroot(target("x86_64-pc-windows-msvc"), w);
  EXPECT_EQ(s.layout, Layout::MsvcWinsysroot);
  EXPECT_THAT(s.includeDirs, ElementsAre(w + "/VC/Tools/MSVC/14.38.33130/include",
                                         w + "/Windows Kits/10/Include/10.0.22621.0/ucrt",
                                         w + "/Windows Kits/10/Include/10.0.22621.0/um"));
  EXPECT_THAT(s.libDirs, ElementsAre(w + "/VC/Tools/MSVC/14.38.33130/lib/x64",
                                     w + "/Windows Kits/10/Lib/10.0.22621.0/um/x64",
                                     w + "/Windows Kits/10/Lib/10.0.22621.0/ucrt/x64"));
}

TEST(MsvcSysroot, NamedFolderThatIsNoSdkIsAnError) {
  TestDir dir;
  dir.makeDir("not-an-sdk/include");
  const Env env{"CROSSHIM_SYSROOT_X86_64_PC_WINDOWS_MSVC=" + dir / "not-an-sdk"};
  auto s = findSysroot(target("x86_64-pc-windows-msvc"), TargetSettings{}, "", env);
  EXPECT_THAT(errorOf(std::move(s)).message, HasSubstr("is not a Microsoft CRT + Windows SDK"));
}

TEST(MsvcSysroot, SdkWithoutTheArchIsAnError) {
  TestDir dir;
  const Env env{"CROSSHIM_SYSROOT_AARCH64_PC_WINDOWS_MSVC=" + makeXwin(dir, "x86_64")};
  auto s = findSysroot(target("aarch64-pc-windows-msvc"), TargetSettings{}, "", env);
  EXPECT_THAT(errorOf(std::move(s)).message, HasSubstr("xwin splat --arch aarch64"));
}

TEST(MsvcSysroot, FindsCargoXwinCache) {
  TestDir dir;
  makeXwin(dir); // <dir>/xwin: XWIN_CACHE_DIR=<dir> means <dir>/xwin
  const Env env{"HOME=" + dir / "home", "XWIN_CACHE_DIR=" + dir.path()};
  auto s = findSysroot(target("x86_64-pc-windows-msvc"), TargetSettings{}, "", env);
  ASSERT_TRUE(static_cast<bool>(s)) << errorOf(std::move(s)).message;
  EXPECT_EQ(s->path, dir / "xwin");
  EXPECT_EQ(s->source, "cargo-xwin's cache");
}

TEST(MsvcSysroot, NoSdkSaysWhereItLookedAndHowToMakeOne) {
  TestDir dir;
  auto s = findSysroot(target("x86_64-pc-windows-msvc"), TargetSettings{}, "",
                       Env{"HOME=" + dir / "home"});
  std::string msg = errorOf(std::move(s)).message;
  EXPECT_THAT(msg, HasSubstr("no Microsoft CRT and Windows SDK for x86_64-pc-windows-msvc"));
  EXPECT_THAT(msg, HasSubstr(dir / "home/.cache/cargo-xwin/xwin (cargo-xwin's cache: missing)"));
  EXPECT_THAT(msg, HasSubstr("crosshim cannot install them"));
  EXPECT_THAT(msg, HasSubstr("xwin --accept-license splat"));
}

// -------------------------------------------------------------- the rules

TEST(MsvcRewrite, ClWholeCompileCommand) {
  RewriteResult r = rewrite(input("cl", {"/nologo", "-c", "a.c", "/Foa.obj"}));
  EXPECT_EQ(r.mode, Mode::Compile);
  EXPECT_THAT(r.argv,
              ElementsAre("/usr/lib/llvm-14/bin/clang-cl", "--target=x86_64-pc-windows-msvc",
                          "/imsvc", "/sdk/crt/include", "/imsvc", "/sdk/sdk/include/ucrt", "/imsvc",
                          "/sdk/sdk/include/um", "/nologo", "-c", "a.c", "/Foa.obj"));
}

TEST(MsvcRewrite, MsvcSdkIncludesForTheGnuDriverAreIsystem) {
  RewriteResult r = rewrite(input("cc", {"-c", "a.c"}));
  EXPECT_TRUE(usedRule(r, "msvc-sdk-includes"));
  EXPECT_THAT(r.argv, Contains("-isystem"));
  EXPECT_THAT(r.argv, Contains("/sdk/sdk/include/um"));
}

TEST(MsvcRewrite, MsvcSdkLibrariesComeBeforeTheUsersLibpaths) {
  RewriteResult r = rewrite(input("link", {"/out:a.exe", "/libpath:mine", "a.obj"}));
  EXPECT_THAT(r.argv, ElementsAre("/usr/lib/llvm-14/bin/lld-link", "/libpath:/sdk/crt/lib/x86_64",
                                  "/libpath:/sdk/sdk/lib/um/x86_64", "/out:a.exe", "/libpath:mine",
                                  "a.obj"));
}

TEST(MsvcRewrite, MsvcBogusLibpath) {
  // What clang 14 passes its linker for x86_64/aarch64-pc-windows-msvc.
  RewriteResult r = rewrite(input("link", {"-out:a.exe", "-libpath:lib/amd64",
                                           "-libpath:atlmfc/lib/amd64", "-nologo", "a.obj"}));
  EXPECT_THAT(r.argv, Not(Contains("-libpath:lib/amd64")));
  EXPECT_THAT(r.argv, Not(Contains("-libpath:atlmfc/lib/amd64")));
  EXPECT_THAT(r.argv, Contains("-nologo"));
  EXPECT_TRUE(usedRule(r, "msvc-bogus-libpath"));
  // A real folder of the user's with a similar name stays.
  RewriteResult kept = rewrite(input("link", {"-libpath:/opt/lib/amd64", "a.obj"}));
  EXPECT_THAT(kept.argv, Contains("-libpath:/opt/lib/amd64"));
}

TEST(MsvcRewrite, MsvcLibraryCaseAddsTheAliasFolderLast) {
  RewriteInput in = input("link", {"a.obj", "Advapi32.lib"});
  in.libAliasDir = "/cache/msvc-lib-case/abc";
  RewriteResult r = rewrite(in);
  EXPECT_EQ(r.argv.back(), "/libpath:/cache/msvc-lib-case/abc");
}

TEST(MsvcRewrite, LinkKeepsResponseFilesForLldLink) {
  RewriteResult r = rewrite(input("link", {"@/tmp/rustcXYZ/linker-arguments"}));
  EXPECT_THAT(r.argv, Contains("@/tmp/rustcXYZ/linker-arguments"));
}

TEST(MsvcRewrite, MsvcLinkThroughShim) {
  RewriteResult cl = rewrite(input("cl", {"a.c", "/Fea.exe"}));
  EXPECT_EQ(cl.mode, Mode::Link);
  EXPECT_THAT(cl.argv, Contains("-fuse-ld=x86_64-pc-windows-msvc-link"));
  EXPECT_THAT(cl.argv, Contains("/clang:-B/cache/msvc-bin"));
  RewriteResult cc = rewrite(input("cc", {"a.c", "-o", "a.exe"}));
  EXPECT_THAT(cc.argv, Contains("-fuse-ld=x86_64-pc-windows-msvc-link"));
  EXPECT_THAT(cc.argv, Contains("-B/cache/msvc-bin"));
  RewriteResult compile = rewrite(input("cl", {"/c", "a.c"}));
  EXPECT_FALSE(usedRule(compile, "msvc-link-through-shim"));
}

TEST(MsvcRewrite, MsvcSourceAfterDashdash) {
  TestDir dir;
  const std::string src = dir.writeFile("Users/me/a.c", "int x;\n");
  ASSERT_EQ(src.front(), '/');
  RewriteResult r = rewrite(input("cl", {"-c", src, "/Foa.obj"}));
  ASSERT_GE(r.argv.size(), 2u);
  EXPECT_EQ(r.argv[r.argv.size() - 2], "--");
  EXPECT_EQ(r.argv.back(), src);
  // An option that looks like a path stays an option; an existing -- is reused.
  RewriteResult opt = rewrite(input("cl", {"-c", "/Ox", "--", src}));
  EXPECT_EQ(llvm::count(opt.argv, "--"), 1);
  EXPECT_THAT(opt.argv, Contains("/Ox"));
}

TEST(MsvcRewrite, MsvcGnuFlags) {
  // Flags cc-rs and build scripts pass (cargo-xwin #172: -L under -Werror).
  RewriteResult r =
      rewrite(input("cl", {"-x", "c", "--param", "ssp-buffer-size=4", "-fPIC", "-L/opt/x/lib",
                           "-lfoo", "-Wl,/debug,/opt:ref", "a.c", "/Fea.exe"}));
  EXPECT_THAT(r.argv, Contains("/TC"));
  EXPECT_THAT(r.argv, Not(Contains("-x")));
  EXPECT_THAT(r.argv, Not(Contains("--param")));
  EXPECT_THAT(r.argv, Not(Contains("ssp-buffer-size=4")));
  EXPECT_THAT(r.argv, Not(Contains("-fPIC")));
  auto link = llvm::find(r.argv, "/link");
  ASSERT_NE(link, r.argv.end());
  EXPECT_THAT(Args(link + 1, r.argv.end()),
              ElementsAre("/libpath:/opt/x/lib", "foo.lib", "/debug", "/opt:ref"));
  // Compile only: the link options are dropped, never passed to clang-cl.
  RewriteResult c = rewrite(input("cl", {"-c", "-L/opt/x/lib", "a.c"}));
  EXPECT_THAT(c.argv, Not(Contains("/link")));
  EXPECT_THAT(c.argv, Not(Contains("-L/opt/x/lib")));
}

TEST(MsvcRewrite, MsvcCrtStatic) {
  RewriteInput in = input("cl", {"-c", "a.c"});
  in.crtStatic = true;
  EXPECT_THAT(rewrite(in).argv, Contains("/MT"));
  in.args = {"-c", "-MD", "a.c"}; // the build's own choice
  EXPECT_THAT(rewrite(in).argv, Not(Contains("/MT")));
  in.crtStatic = false;
  in.args = {"-c", "a.c"};
  EXPECT_THAT(rewrite(in).argv, Not(Contains("/MT")));
}

// What clang 14 runs as the link step of `clang-cl /LD a.c` with
// -fuse-ld=llvm-lib (checked with -###): lld-link's arguments.
const Args kDriverDllLink = {
    "-out:a.dll", "-libpath:lib/amd64", "-libpath:atlmfc/lib/amd64", "-nologo",
    "-dll",       "-implib:a.lib",      "/tmp/a-3b65fe.obj"};

RewriteInput buildScript(RewriteInput in) {
  in.coffLibShim = "/cache/msvc-bin/x86_64-pc-windows-msvc-lib";
  in.cargoBuildScript = true;
  return in;
}

TEST(MsvcRewrite, UsersFuseLdLlvmLibRunsTheLibShim) {
  RewriteInput in = input("cl", {"-fuse-ld=llvm-lib", "a.c", "s.obj"});
  in.coffLibShim = "/cache/msvc-bin/x86_64-pc-windows-msvc-lib";
  RewriteResult r = rewrite(in);
  EXPECT_THAT(r.argv, Contains("-fuse-ld=x86_64-pc-windows-msvc-lib"));
  EXPECT_THAT(r.argv, Contains("/clang:-B/cache/msvc-bin"));
  // The -link routing must not override the user's choice.
  EXPECT_THAT(r.argv, Not(Contains("-fuse-ld=x86_64-pc-windows-msvc-link")));
  EXPECT_THAT(r.argv, Not(Contains("-fuse-ld=llvm-lib")));
  RewriteResult cc = rewrite([&] {
    RewriteInput c = input("cc", {"-fuse-ld=llvm-lib", "a.c", "-o", "a.lib"});
    c.coffLibShim = in.coffLibShim;
    return c;
  }());
  EXPECT_THAT(cc.argv, Contains("-fuse-ld=x86_64-pc-windows-msvc-lib"));
  EXPECT_THAT(cc.argv, Not(Contains("-fuse-ld=x86_64-pc-windows-msvc-link")));
  // Without a cache folder for the shim, the user's flag stays as it was.
  in.coffLibShim.clear();
  RewriteResult plain = rewrite(in);
  EXPECT_THAT(plain.argv, Contains("-fuse-ld=llvm-lib"));
  EXPECT_THAT(plain.argv, Not(Contains("-fuse-ld=x86_64-pc-windows-msvc-link")));
}

TEST(MsvcRewrite, LibShimKeepsLldLinkOptionsAndBogusLibpathFromLlvmLib) {
  // The user's -fuse-ld=llvm-lib without /LD: clang's archive named a.exe.
  RewriteResult r = rewrite(input("lib", {"-out:a.exe", "-libpath:lib/amd64",
                                          "-libpath:atlmfc/lib/amd64", "-nologo", "a.obj"}));
  EXPECT_EQ(r.mode, Mode::Info);
  EXPECT_THAT(r.argv, ElementsAre("/usr/lib/llvm-14/bin/clang", "-out:a.exe", "-nologo", "a.obj"));
  EXPECT_TRUE(usedRule(r, "msvc-bogus-libpath"));
  // By hand: as it was.
  RewriteResult hand = rewrite(input("lib", {"/nologo", "/out:greet.lib", "greet.obj"}));
  EXPECT_THAT(hand.argv,
              ElementsAre("/usr/lib/llvm-14/bin/clang", "/nologo", "/out:greet.lib", "greet.obj"));
  EXPECT_TRUE(hand.rewrites.empty());
}

TEST(MsvcRewrite, MsvcDependencyArchive) {
  // A build script's /LD link goes to the -lib shim...
  RewriteResult cl = rewrite(buildScript(input("cl", {"/LD", "a.c", "s.obj", "/Fea.dll"})));
  EXPECT_TRUE(usedRule(cl, "msvc-dependency-archive"));
  EXPECT_THAT(cl.argv, Contains("-fuse-ld=x86_64-pc-windows-msvc-lib"));
  EXPECT_THAT(cl.argv, Not(Contains("-fuse-ld=x86_64-pc-windows-msvc-link")));
  RewriteResult ldd = rewrite(buildScript(input("cl", {"/LDd", "a.c"})));
  EXPECT_THAT(ldd.argv, Contains("-fuse-ld=x86_64-pc-windows-msvc-lib"));
  RewriteResult afterLink = rewrite(buildScript(input("cl", {"a.c", "/link", "/DLL"})));
  EXPECT_THAT(afterLink.argv, Contains("-fuse-ld=x86_64-pc-windows-msvc-lib"));
  RewriteResult cc = rewrite(buildScript(input("cc", {"-shared", "a.c", "-o", "libx.dll"})));
  EXPECT_THAT(cc.argv, Contains("-fuse-ld=x86_64-pc-windows-msvc-lib"));
  EXPECT_THAT(cc.argv, Contains("-B/cache/msvc-bin"));
  // ...which writes the archive where the import library would go.
  RewriteResult lib = rewrite(input("lib", kDriverDllLink));
  EXPECT_THAT(lib.argv, ElementsAre("/usr/lib/llvm-14/bin/clang", "-out:a.lib", "-nologo",
                                    "/tmp/a-3b65fe.obj"));
  EXPECT_TRUE(usedRule(lib, "msvc-dependency-archive"));
  RewriteResult noImplib = rewrite(input(
      "lib", {"-out:sub/x.dll", "-dll", "-defaultlib:libcmt", "-defaultlib:oldnames", "x.obj"}));
  EXPECT_THAT(noImplib.argv, ElementsAre("/usr/lib/llvm-14/bin/clang", "-out:sub/x.lib", "x.obj"));
  RewriteResult explicitImplib =
      rewrite(input("lib", {"-out:x.dll", "-dll", "/IMPLIB:out/x-import.lib", "x.obj"}));
  EXPECT_THAT(explicitImplib.argv, Contains("-out:out/x-import.lib"));

  // Executables are still linked: compiler checks link test programs.
  RewriteResult exe = rewrite(buildScript(input("cl", {"a.c", "/Fea.exe"})));
  EXPECT_THAT(exe.argv, Contains("-fuse-ld=x86_64-pc-windows-msvc-link"));
  EXPECT_FALSE(usedRule(exe, "msvc-dependency-archive"));
  // Outside a cargo build script a DLL is a DLL.
  RewriteInput outside = buildScript(input("cl", {"/LD", "a.c"}));
  outside.cargoBuildScript = false;
  EXPECT_THAT(rewrite(outside).argv, Contains("-fuse-ld=x86_64-pc-windows-msvc-link"));
  // CROSSHIM_MSVC_DLL=1 keeps it, and says so.
  RewriteInput keep = buildScript(input("cc", {"-shared", "a.c"}));
  keep.keepDll = true;
  RewriteResult kept = rewrite(keep);
  EXPECT_THAT(kept.argv, Contains("-fuse-ld=x86_64-pc-windows-msvc-link"));
  EXPECT_TRUE(llvm::any_of(kept.rewrites, [](const Rewrite &w) {
    return w.rule->name == "msvc-dependency-archive" &&
           llvm::StringRef(w.change).contains("CROSSHIM_MSVC_DLL=1");
  }));
  // Compile only: nothing to route.
  RewriteResult compile = rewrite(buildScript(input("cl", {"/LD", "/c", "a.c"})));
  EXPECT_FALSE(usedRule(compile, "msvc-dependency-archive"));
}

TEST(MsvcRewrite, OtherTargetIsAnError) {
  auto r = rewriteCommand(input("cl", {"--target=aarch64-pc-windows-msvc", "-c", "a.c"}));
  EXPECT_EQ(errorOf(std::move(r)).code, ExitCode::Usage);
}

// ---------------------------------------------------- the case-fix aliases

TEST(MsvcLibraryAliases, AliasesOnlyNamesFoundInAnotherCase) {
  TestDir dir;
  const std::string um = dir.makeDir("sdk/um");
  dir.writeFile("sdk/um/Advapi32.lib", "!<arch>\n");
  dir.writeFile("sdk/um/kernel32.lib", "!<arch>\n");
  const std::string cache = dir / "cache";
  const MsvcAliases aliases =
      msvcLibraryAliases({"advapi32.lib", "kernel32.lib", "missing.lib"}, {um}, cache);
  ASSERT_FALSE(aliases.dir.empty());
  EXPECT_TRUE(llvm::StringRef(aliases.dir).startswith(cache + "/msvc-lib-case/"));
  // The plan writes nothing: only makeLinks does.
  EXPECT_FALSE(llvm::sys::fs::exists(cache));
  ASSERT_EQ(aliases.links.size(), 1u); // kernel32.lib is found as spelled, missing.lib nowhere
  EXPECT_EQ(aliases.links[0].link, aliases.dir + "/advapi32.lib");
  makeLinks(aliases.links);
  EXPECT_TRUE(llvm::sys::fs::exists(aliases.dir + "/advapi32.lib"));
  EXPECT_FALSE(llvm::sys::fs::exists(aliases.dir + "/kernel32.lib"));
  // Again (another link): the same folder, and making the links again is harmless.
  const MsvcAliases again = msvcLibraryAliases({"advapi32.lib"}, {um}, cache);
  EXPECT_EQ(again.dir, aliases.dir);
  makeLinks(again.links);
  EXPECT_TRUE(llvm::sys::fs::exists(aliases.dir + "/advapi32.lib"));
}

TEST(MsvcLibraryAliases, RequestedNamesFromArgumentsAndResponseFiles) {
  TestDir dir;
  // rustc's msvc response file: one argument per line, Windows quoting.
  const std::string rsp = dir.writeFile(
      "linker-arguments", "\"/LIBPATH:C:\\\\x\"\n\"USER32.lib\"\n\"/DEFAULTLIB:msvcrt\"\n");
  Args names = msvcRequestedLibraries({"/out:a.exe", "Advapi32.lib", "@" + rsp});
  EXPECT_THAT(names, ElementsAre("Advapi32.lib", "USER32.lib", "msvcrt.lib"));
}

} // namespace
} // namespace crosshim
