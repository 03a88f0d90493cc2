// How `crosshim run` / `<triple>-run` runs a target's program (runner.h):
// natively, or qemu-user with the sysroot as prefix. The emulator is looked
// up on a PATH made of test directories; running it for real is the e2e
// test's job (tests/e2e/run.sh).
#include "shims/program_name.h"
#include "shims/runner.h"
#include "shims/targets.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crosshim {
namespace {

using test::sysrootAt;
using test::target;

using test::ScopedEnv;
using test::TestDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(Runner, TheHostsOwnTargetRunsNatively) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("prog");
  const Target *host = hostTarget();
  ASSERT_NE(host, nullptr);
  EXPECT_TRUE(hostRunsNatively(*host));
  ASSERT_OK_AND_ASSIGN(plan, planRun(*host, sysrootAt("/", Layout::Host), {prog, "a b", ""}, ""));
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
  ASSERT_OK_AND_ASSIGN(plan, planRun(target("aarch64-unknown-linux-gnu"),
                                     sysrootAt("/srv/arm64", Layout::Multiarch),
                                     {prog, "--flag", "x y"}, dir / "empty:" + dir / "bin"));
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
                                     {prog}, dir / "bin"));
  EXPECT_EQ(plan->program, qemu);
}

// qemu-i386's guest loader would read the build machine's /etc/ld.so.cache
// (and its /lib32 libraries) when the sysroot has none of its own.
TEST(Runner, X86GuestsGetTheSysrootsLibraryDirsFirst) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("prog");
  dir.makeExecutable("bin/qemu-i386");
  const Target &i686 = target("i686-unknown-linux-gnu");
  {
    ScopedEnv unset("LD_LIBRARY_PATH", std::nullopt);
    ASSERT_OK_AND_ASSIGN(cross, planRun(i686, sysrootAt("/usr/i686-linux-gnu", Layout::DebianCross),
                                        {prog}, dir / "bin"));
    EXPECT_THAT(cross->argv, ElementsAre(dir / "bin/qemu-i386", "-L", "/usr/i686-linux-gnu", "-E",
                                         "LD_LIBRARY_PATH=/lib", prog));
  }
  ScopedEnv user("LD_LIBRARY_PATH", std::string("/opt/lib"));
  const std::string root = dir.makeDir("root");
  ASSERT_OK_AND_ASSIGN(multiarch,
                       planRun(i686, sysrootAt(root, Layout::Multiarch), {prog}, dir / "bin"));
  EXPECT_THAT(multiarch->argv,
              ElementsAre(dir / "bin/qemu-i386", "-L", root, "-E",
                          "LD_LIBRARY_PATH=/lib/i386-linux-gnu:/usr/lib/i386-linux-gnu:/lib:/usr/"
                          "lib:/opt/lib",
                          prog));
  // With an ld.so.cache of its own the sysroot needs no help.
  dir.writeFile("root/etc/ld.so.cache", "");
  ASSERT_OK_AND_ASSIGN(cached,
                       planRun(i686, sysrootAt(root, Layout::Multiarch), {prog}, dir / "bin"));
  EXPECT_THAT(cached->argv, ElementsAre(dir / "bin/qemu-i386", "-L", root, prog));
}

TEST(Runner, AMissingEmulatorNamesThePackage) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("prog");
  auto err = test::errorOf(planRun(target("aarch64-unknown-linux-gnu"),
                                   sysrootAt("/x", Layout::Multiarch), {prog}, dir / "empty"));
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
  ScopedEnv debug("WINEDEBUG", std::nullopt);
  ScopedEnv path("WINEPATH", std::nullopt);
  ASSERT_OK_AND_ASSIGN(
      plan, planRun(target("x86_64-pc-windows-gnu"), debianMingw(), {prog, "a b"}, dir / "bin"));
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
  ScopedEnv debug("WINEDEBUG", "+loaddll");
  ScopedEnv path("WINEPATH", "C:\\mylibs");
  ASSERT_OK_AND_ASSIGN(
      plan, planRun(target("x86_64-pc-windows-gnu"), debianMingw(), {prog}, dir / "bin"));
  EXPECT_THAT(plan->env, ElementsAre("WINEPATH=/usr/lib/gcc/x86_64-w64-mingw32/12-win32;"
                                     "/usr/x86_64-w64-mingw32/lib;C:\\mylibs"));

  // llvm-mingw: its DLLs are in <root>/<gnu>/bin.
  ScopedEnv noPath("WINEPATH", std::nullopt);
  ASSERT_OK_AND_ASSIGN(llvmMingw,
                       planRun(target("x86_64-pc-windows-gnu"),
                               sysrootAt("/opt/llvm-mingw", Layout::Mingw), {prog}, dir / "bin"));
  EXPECT_THAT(llvmMingw->env, ElementsAre("WINEPATH=/opt/llvm-mingw/x86_64-w64-mingw32/bin"));
}

TEST(Runner, AMissingWineNamesThePackages) {
  TestDir dir;
  const std::string prog = dir.makeExecutable("hello.exe");
  auto err =
      test::errorOf(planRun(target("x86_64-pc-windows-gnu"), debianMingw(), {prog}, dir / "empty"));
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
  auto err = test::errorOf(planRun(i686, debianMingw(), {prog}, dir / "bin"));
  EXPECT_EQ(err.code, ExitCode::NotFound);
  EXPECT_THAT(err.message, HasSubstr("need 32-bit wine (" + (dir / "lib/wine/wine")));
  EXPECT_THAT(err.message, HasSubstr("wine32:i386"));
  // x86_64 programs do not need it; with the loader there, i686 runs.
  ASSERT_OK_AND_ASSIGN(
      x64, planRun(target("x86_64-pc-windows-gnu"), debianMingw(), {prog}, dir / "bin"));
  EXPECT_EQ(x64->argv.size(), 2u);
  dir.makeExecutable("lib/wine/wine");
  ASSERT_OK_AND_ASSIGN(i686Plan, planRun(i686, debianMingw(), {prog}, dir / "bin"));
  EXPECT_EQ(i686Plan->argv.size(), 2u);
}

TEST(Runner, TheProgramIsFoundLikeAShellFindsIt) {
  TestDir dir;
  const std::string tool = dir.makeExecutable("bin/tool");
  const Target *host = hostTarget();
  ASSERT_NE(host, nullptr);
  const Sysroot root = sysrootAt("/", Layout::Host);
  ASSERT_OK_AND_ASSIGN(plan, planRun(*host, root, {"tool", "x"}, dir / "bin"));
  EXPECT_THAT(plan->argv, ElementsAre(tool, "x"));

  auto missing = test::errorOf(planRun(*host, root, {"no-such-tool"}, dir / "bin"));
  EXPECT_EQ(missing.code, ExitCode::NotFound);
  EXPECT_THAT(missing.message, HasSubstr("no-such-tool: not found on PATH"));
  auto noFile = test::errorOf(planRun(*host, root, {dir / "nothing-here"}, ""));
  EXPECT_EQ(noFile.code, ExitCode::NotFound);
  EXPECT_THAT(noFile.message, HasSubstr("nothing-here: no such file"));
  auto nothing = test::errorOf(planRun(*host, root, {}, ""));
  EXPECT_EQ(nothing.code, ExitCode::Usage);
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
