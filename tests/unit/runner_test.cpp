// How `crosshim run` / `<triple>-run` runs a target's program (runner.h):
// natively, or qemu-user with the sysroot as prefix. The emulator is looked
// up on a PATH made of test directories; running it for real is the e2e
// test's job (tests/e2e/run.sh).
#include "shims/program_name.h"
#include "shims/runner.h"
#include "shims/targets.h"
#include "test_support.h"

#include <llvm/Support/Program.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crosshim {
namespace {

using test::sysrootAt;
using test::target;

using test::TestDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The environment planRun is given: only a PATH.
Env onPath(const std::string &path) {
  return Env{"PATH=" + path};
}

TEST(Runner, TheHostsOwnTargetRunsNatively) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("prog");
  const Target *host = hostTarget();
  ASSERT_NE(host, nullptr);
  EXPECT_TRUE(hostRunsNatively(*host));
  ASSERT_OK_AND_ASSIGN(plan,
                       planRun(*host, sysrootAt("/", Layout::Host), {prog, "a b", ""}, Env()));
  EXPECT_EQ(plan->program, prog);
  EXPECT_THAT(plan->argv, ElementsAre(prog, "a b", ""));
  EXPECT_EQ(plan->how, "natively");
}

TEST(Runner, MuslOfTheHostsArchitectureRunsNatively) {
  const Target *host = hostTarget();
  ASSERT_NE(host, nullptr);
  if (host->rust != "x86_64-unknown-linux-gnu")
    GTEST_SKIP() << "the musl row checked here is x86_64's";
  EXPECT_TRUE(hostRunsNatively(target("x86_64-unknown-linux-musl")));
  EXPECT_FALSE(hostRunsNatively(target("aarch64-unknown-linux-musl")));
  EXPECT_FALSE(hostRunsNatively(target("i686-unknown-linux-gnu")));
}

TEST(Runner, OtherTargetsRunUnderQemuWithTheSysrootAsPrefix) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("prog");
  const std::string qemu = dir.makeExecutable("bin/qemu-aarch64");
  ASSERT_OK_AND_ASSIGN(
      plan, planRun(target("aarch64-unknown-linux-gnu"), sysrootAt("/srv/arm64", Layout::Multiarch),
                    {prog, "--flag", "x y"}, onPath(dir / "empty:" + dir / "bin")));
  EXPECT_EQ(plan->program, qemu);
  EXPECT_THAT(plan->argv, ElementsAre(qemu, "-L", "/srv/arm64", prog, "--flag", "x y"));
  EXPECT_EQ(plan->how, "under qemu-aarch64 -L /srv/arm64");
}

TEST(Runner, TheStaticQemuIsTakenWhenTheOtherIsMissing) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("prog");
  const std::string qemu = dir.makeExecutable("bin/qemu-arm-static");
  ASSERT_OK_AND_ASSIGN(plan, planRun(target("armv7-unknown-linux-gnueabihf"),
                                     sysrootAt("/usr/arm-linux-gnueabihf", Layout::DebianCross),
                                     {prog}, onPath(dir / "bin")));
  EXPECT_EQ(plan->program, qemu);
}

// qemu-i386's guest loader would read the build machine's /etc/ld.so.cache
// (and its /lib32 libraries) when the sysroot has none of its own.
TEST(Runner, X86GuestsGetTheSysrootsLibraryDirsFirst) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("prog");
  dir.makeExecutable("bin/qemu-i386");
  const Target &i686 = target("i686-unknown-linux-gnu");
  ASSERT_OK_AND_ASSIGN(cross, planRun(i686, sysrootAt("/usr/i686-linux-gnu", Layout::DebianCross),
                                      {prog}, onPath(dir / "bin")));
  EXPECT_THAT(cross->argv, ElementsAre(dir / "bin/qemu-i386", "-L", "/usr/i686-linux-gnu", "-E",
                                       "LD_LIBRARY_PATH=/lib", prog));
  // The user's LD_LIBRARY_PATH comes after the sysroot's directories.
  const Env user = onPath(dir / "bin").with("LD_LIBRARY_PATH", "/opt/lib");
  const std::string root = dir.makeDir("root");
  ASSERT_OK_AND_ASSIGN(multiarch, planRun(i686, sysrootAt(root, Layout::Multiarch), {prog}, user));
  EXPECT_THAT(multiarch->argv,
              ElementsAre(dir / "bin/qemu-i386", "-L", root, "-E",
                          "LD_LIBRARY_PATH=/lib/i386-linux-gnu:/usr/lib/i386-linux-gnu:/lib:/usr/"
                          "lib:/opt/lib",
                          prog));
  // With an ld.so.cache of its own the sysroot needs no help.
  dir.writeFile("root/etc/ld.so.cache", "");
  ASSERT_OK_AND_ASSIGN(cached, planRun(i686, sysrootAt(root, Layout::Multiarch), {prog}, user));
  EXPECT_THAT(cached->argv, ElementsAre(dir / "bin/qemu-i386", "-L", root, prog));
}

TEST(Runner, AMissingEmulatorNamesThePackage) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("prog");
  auto err =
      test::errorOf(planRun(target("aarch64-unknown-linux-gnu"), sysrootAt("/x", Layout::Multiarch),
                            {prog}, onPath(dir / "empty")));
  EXPECT_EQ(err.code, ExitCode::NotFound);
  EXPECT_THAT(err.message, HasSubstr("qemu-aarch64 is needed to run aarch64-unknown-linux-gnu"));
  EXPECT_THAT(err.message, HasSubstr("apt-get install qemu-user"));
}

// Windows programs run under wine (the e2e tests windows-gnu-* run them for
// real). Debian's mingw-w64 layout, as findSysroot describes it.
Sysroot debianMingw() {
  Sysroot s = sysrootAt("/usr/x86_64-w64-mingw32", Layout::Mingw);
  s.gccRuntimeDir = "/usr/lib/gcc/x86_64-w64-mingw32/12-win32";
  return s;
}

TEST(Runner, WindowsProgramsRunUnderWineWithTheRuntimeDllsOnWinepath) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("hello.exe");
  const std::string wine = dir.makeExecutable("bin/wine");
  ASSERT_OK_AND_ASSIGN(plan, planRun(target("x86_64-pc-windows-gnu"), debianMingw(), {prog, "a b"},
                                     onPath(dir / "bin")));
  EXPECT_EQ(plan->program, wine);
  EXPECT_THAT(plan->argv, ElementsAre(wine, prog, "a b"));
  EXPECT_THAT(plan->env,
              ElementsAre("WINEDEBUG=-all", "WINEPATH=/usr/lib/gcc/x86_64-w64-mingw32/12-win32;"
                                            "/usr/x86_64-w64-mingw32/lib"));
  EXPECT_THAT(plan->how, HasSubstr("under wine"));
}

TEST(Runner, WineKeepsTheUsersWinedebugAndWinepath) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("hello.exe");
  dir.makeExecutable("bin/wine");
  const Env user = onPath(dir / "bin").with("WINEDEBUG", "+loaddll").with("WINEPATH", "C:\\mylibs");
  ASSERT_OK_AND_ASSIGN(plan, planRun(target("x86_64-pc-windows-gnu"), debianMingw(), {prog}, user));
  EXPECT_THAT(plan->env, ElementsAre("WINEPATH=/usr/lib/gcc/x86_64-w64-mingw32/12-win32;"
                                     "/usr/x86_64-w64-mingw32/lib;C:\\mylibs"));

  // llvm-mingw: its DLLs are in <root>/<gnu>/bin.
  ASSERT_OK_AND_ASSIGN(llvmMingw, planRun(target("x86_64-pc-windows-gnu"),
                                          sysrootAt("/opt/llvm-mingw", Layout::Mingw), {prog},
                                          user.with("WINEPATH", std::nullopt)));
  EXPECT_THAT(llvmMingw->env, ElementsAre("WINEPATH=/opt/llvm-mingw/x86_64-w64-mingw32/bin"));
}

// Meson's `meson test` puts the folders of a build's own DLLs on PATH: those
// holding a .dll go first on WINEPATH, once each, in PATH's order; relative
// entries and folders without a DLL do not.
TEST(Runner, WinepathTakesTheFoldersOnPathThatHoldADll) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("hello.exe");
  const std::string wine = dir.makeExecutable("bin/wine");
  dir.writeFile("build/sub/libfoo.dll", "");
  dir.writeFile("build/top/BAR.DLL", "");
  dir.writeFile("build/nodll/readme", "");
  const std::string path = dir / "build/top" + ":" + dir / "bin" + ":" + dir / "build/nodll" +
                           ":build/sub:" + dir / "build/sub" + ":" + dir / "build/top";
  ASSERT_OK_AND_ASSIGN(
      plan, planRun(target("x86_64-pc-windows-gnu"), debianMingw(), {prog}, onPath(path)));
  EXPECT_EQ(plan->program, wine);
  EXPECT_THAT(plan->env, ElementsAre("WINEDEBUG=-all",
                                     "WINEPATH=" + dir / "build/top" + ";" + dir / "build/sub" +
                                         ";/usr/lib/gcc/x86_64-w64-mingw32/12-win32;"
                                         "/usr/x86_64-w64-mingw32/lib"));
}

// planRun reads only the environment it is given: the emulator on the
// process's own PATH (qemu-user is installed for the tests) is not found
// through an empty one, and the process's LD_LIBRARY_PATH does not reach the
// guest.
TEST(Runner, OnlyThePassedEnvironmentCounts) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("prog");
  const Target &arm64 = target("aarch64-unknown-linux-gnu");
  ASSERT_TRUE(llvm::sys::findProgramByName("qemu-aarch64"))
      << "qemu-user is not installed (install/debian-packages.sh --tests)";
  auto err = test::errorOf(planRun(arm64, sysrootAt("/x", Layout::Multiarch), {prog}, Env()));
  EXPECT_EQ(err.code, ExitCode::NotFound);
  EXPECT_THAT(err.message, HasSubstr("qemu-aarch64 is needed"));
  // The same through the process's environment: found.
  ASSERT_OK_AND_ASSIGN(found,
                       planRun(arm64, sysrootAt("/x", Layout::Multiarch), {prog}, Env::process()));
  EXPECT_THAT(found->program, HasSubstr("qemu-aarch64"));

  dir.makeExecutable("bin/qemu-i386");
  test::ScopedEnv processLibs("LD_LIBRARY_PATH", std::string("/process/lib"));
  ASSERT_OK_AND_ASSIGN(i686, planRun(target("i686-unknown-linux-gnu"),
                                     sysrootAt("/usr/i686-linux-gnu", Layout::DebianCross), {prog},
                                     onPath(dir / "bin")));
  EXPECT_THAT(i686->argv, ElementsAre(dir / "bin/qemu-i386", "-L", "/usr/i686-linux-gnu", "-E",
                                      "LD_LIBRARY_PATH=/lib", prog));
}

TEST(Runner, AMissingWineNamesThePackages) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("hello.exe");
  auto err = test::errorOf(
      planRun(target("x86_64-pc-windows-gnu"), debianMingw(), {prog}, onPath(dir / "empty")));
  EXPECT_EQ(err.code, ExitCode::NotFound);
  EXPECT_THAT(err.message, HasSubstr("wine is needed to run x86_64-pc-windows-gnu"));
  EXPECT_THAT(err.message, HasSubstr("apt-get install wine wine64"));
}

TEST(Runner, I686WindowsWithoutWine32IsAClearError) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("hello.exe");
  // Debian's /usr/bin/wine wrapper, with its wine32 loader missing.
  dir.writeFile("bin/wine",
                "#!/bin/sh -e\n\nwine32=" + (dir / "lib/wine/wine") +
                    "\nwine64=" + (dir / "lib/wine/wine64") + "\nexec $wine \"$@\"\n",
                0755);
  const Target &i686 = target("i686-pc-windows-gnu");
  auto err = test::errorOf(planRun(i686, debianMingw(), {prog}, onPath(dir / "bin")));
  EXPECT_EQ(err.code, ExitCode::NotFound);
  EXPECT_THAT(err.message, HasSubstr("need 32-bit wine (" + (dir / "lib/wine/wine")));
  EXPECT_THAT(err.message, HasSubstr("wine32:i386"));
  // x86_64 programs do not need it; with the loader there, i686 runs.
  ASSERT_OK_AND_ASSIGN(
      x64, planRun(target("x86_64-pc-windows-gnu"), debianMingw(), {prog}, onPath(dir / "bin")));
  EXPECT_EQ(x64->argv.size(), 2u);
  dir.makeExecutable("lib/wine/wine");
  ASSERT_OK_AND_ASSIGN(i686Plan, planRun(i686, debianMingw(), {prog}, onPath(dir / "bin")));
  EXPECT_EQ(i686Plan->argv.size(), 2u);
}

TEST(Runner, TheProgramIsFoundLikeAShellFindsIt) {
  TestDir dir;
  const std::string tool = dir.makeExecutable("bin/tool");
  const Target *host = hostTarget();
  ASSERT_NE(host, nullptr);
  const Sysroot root = sysrootAt("/", Layout::Host);
  ASSERT_OK_AND_ASSIGN(plan, planRun(*host, root, {"tool", "x"}, onPath(dir / "bin")));
  EXPECT_THAT(plan->argv, ElementsAre(tool, "x"));

  auto missing = test::errorOf(planRun(*host, root, {"no-such-tool"}, onPath(dir / "bin")));
  EXPECT_EQ(missing.code, ExitCode::NotFound);
  EXPECT_THAT(missing.message, HasSubstr("no-such-tool: not in the current directory nor on PATH"));
  auto noFile = test::errorOf(planRun(*host, root, {dir / "nothing-here"}, Env()));
  EXPECT_EQ(noFile.code, ExitCode::NotFound);
  EXPECT_THAT(noFile.message, HasSubstr("nothing-here: no such file"));
  auto nothing = test::errorOf(planRun(*host, root, {}, Env()));
  EXPECT_EQ(nothing.code, ExitCode::Usage);
}

// qemu-user and wine run a program named without a slash from the current
// directory; CMake projects' add_test(name ${CMAKE_CROSSCOMPILING_EMULATOR}
// prog ...) depends on it (ctest runs the test in the folder holding prog).
TEST(Runner, ANameWithoutASlashIsTheCurrentDirectorysFileFirst) {
  TestDir dir;
  dir.makeExecutable("build/prog");
  dir.makeExecutable("bin/prog");
  const std::string qemu = dir.makeExecutable("bin/qemu-aarch64");
  test::ScopedCwd cwd(dir / "build");
  const Sysroot root = sysrootAt("/srv/arm64", Layout::Multiarch);
  ASSERT_OK_AND_ASSIGN(plan, planRun(target("aarch64-unknown-linux-gnu"), root, {"prog", "-x"},
                                     onPath(dir / "bin")));
  EXPECT_THAT(plan->argv, ElementsAre(qemu, "-L", "/srv/arm64", "./prog", "-x"));
  // A folder of that name is no program: PATH's is taken.
  dir.makeDir("build/tool");
  const std::string tool = dir.makeExecutable("bin/tool");
  ASSERT_OK_AND_ASSIGN(onPathPlan, planRun(target("aarch64-unknown-linux-gnu"), root, {"tool"},
                                           onPath(dir / "bin")));
  EXPECT_THAT(onPathPlan->argv, ElementsAre(qemu, "-L", "/srv/arm64", tool));
}

TEST(Runner, RunIsAShimNameButNotAMasqueradeName) {
  ASSERT_OK_AND_ASSIGN(name, parseProgramName("/x/aarch64-unknown-linux-gnu-run"));
  EXPECT_EQ(name->kind, ProgramName::Kind::Shim);
  EXPECT_EQ(name->tool->kind, ToolKind::Runner);
  EXPECT_EQ(name->target->rust, "aarch64-unknown-linux-gnu");
  EXPECT_FALSE(static_cast<bool>(parseProgramName("/x/run")))
      << "a bare `run` must not pass for a host tool";
}

} // namespace
} // namespace crosshim
