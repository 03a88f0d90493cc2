// Sysroot layouts on directory trees built by the tests, and the order in
// which findSysroot looks: config, CROSSHIM_SYSROOT_<TRIPLE>, the user folder.
#include "shims/sysroot.h"

#include "test_support.h"

#include <llvm/Support/FileSystem.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crosshim {
namespace {

using test::errorOf;
using test::TestDir;
using ::testing::HasSubstr;

const Target &target(llvm::StringRef rust) {
  const Target *t = findTarget(rust);
  EXPECT_NE(t, nullptr) << rust.str();
  return *t;
}

TEST(ClassifySysroot, MultiarchSplitUsr) {
  TestDir dir;
  dir.makeDir("root/usr/lib/aarch64-linux-gnu");
  dir.makeDir("root/lib/aarch64-linux-gnu");
  dir.makeDir("root/usr/include/aarch64-linux-gnu");
  Sysroot s = classifySysroot(target("aarch64-unknown-linux-gnu"), dir / "root");
  EXPECT_EQ(s.layout, Layout::Multiarch);
  EXPECT_FALSE(s.mergedUsr);
  EXPECT_EQ(s.path, dir / "root");
  EXPECT_EQ(s.gccToolchain, "");
}

TEST(ClassifySysroot, MultiarchMergedUsr) {
  TestDir dir;
  dir.makeDir("root/usr/lib/arm-linux-gnueabihf");
  dir.makeSymlink("usr/lib", "root/lib");
  Sysroot s = classifySysroot(target("armv7-unknown-linux-gnueabihf"), dir / "root");
  EXPECT_EQ(s.layout, Layout::Multiarch);
  EXPECT_TRUE(s.mergedUsr);
}

TEST(ClassifySysroot, MultiarchUsesTheDebianTupleNotTheTriple) {
  TestDir dir;
  dir.makeDir("root/usr/lib/i386-linux-gnu");
  EXPECT_EQ(classifySysroot(target("i686-unknown-linux-gnu"), dir / "root").layout,
            Layout::Multiarch);
  // Another architecture's libraries do not make it a multiarch root for this one.
  EXPECT_EQ(classifySysroot(target("aarch64-unknown-linux-gnu"), dir / "root").layout,
            Layout::Plain);
}

TEST(ClassifySysroot, DebianCrossShaped) {
  TestDir dir;
  dir.writeFile("usr/aarch64-linux-gnu/lib/libc.so.6", "");
  dir.writeFile("usr/aarch64-linux-gnu/include/stdio.h", "");
  dir.makeDir("usr/lib/gcc-cross/aarch64-linux-gnu/12");
  Sysroot s = classifySysroot(target("aarch64-unknown-linux-gnu"), dir / "usr/aarch64-linux-gnu");
  EXPECT_EQ(s.layout, Layout::DebianCross);
  EXPECT_EQ(s.gccToolchain, dir / "usr");
}

TEST(ClassifySysroot, DebianCrossShapedWithoutGccCross) {
  TestDir dir;
  dir.writeFile("usr/aarch64-linux-gnu/lib/libc.so.6", "");
  dir.writeFile("usr/aarch64-linux-gnu/include/stdio.h", "");
  Sysroot s = classifySysroot(target("aarch64-unknown-linux-gnu"), dir / "usr/aarch64-linux-gnu");
  EXPECT_EQ(s.layout, Layout::DebianCross);
  EXPECT_EQ(s.gccToolchain, "");
}

// `sysroot = "/usr/aarch64-linux-gnu/"` (trailing slash) names the same
// directory and should be classified the same way.
TEST(ClassifySysroot, DebianCrossShapedWithTrailingSlash) {
  TestDir dir;
  dir.writeFile("usr/aarch64-linux-gnu/lib/libc.so.6", "");
  dir.writeFile("usr/aarch64-linux-gnu/include/stdio.h", "");
  dir.makeDir("usr/lib/gcc-cross/aarch64-linux-gnu/12");
  Sysroot s = classifySysroot(target("aarch64-unknown-linux-gnu"), dir / "usr/aarch64-linux-gnu/");
  EXPECT_EQ(s.layout, Layout::DebianCross);
  EXPECT_EQ(s.gccToolchain, dir / "usr");
}

TEST(ClassifySysroot, MuslTargetIsMusl) {
  TestDir dir;
  dir.writeFile("alpine/usr/include/stdio.h", "");
  dir.writeFile("alpine/usr/lib/crt1.o", "");
  EXPECT_EQ(classifySysroot(target("x86_64-unknown-linux-musl"), dir / "alpine").layout,
            Layout::Musl);
  EXPECT_EQ(classifySysroot(target("aarch64-unknown-linux-musl"), dir.makeDir("empty")).layout,
            Layout::Musl);
}

TEST(ClassifySysroot, DebianMuslUnpackedIntoARoot) {
  // What `sysroot create` makes from musl-dev:armhf and libgcc-12-dev:armhf.
  TestDir dir;
  dir.writeFile("root/usr/lib/arm-linux-musleabihf/crt1.o", "");
  dir.writeFile("root/usr/include/arm-linux-musleabihf/stdio.h", "");
  dir.writeFile("root/usr/lib/gcc/arm-linux-gnueabihf/12/libgcc.a", "");
  dir.makeDir("root/usr/lib/gcc/arm-linux-gnueabihf/11"); // no libgcc.a: not a runtime
  Sysroot s = classifySysroot(target("armv7-unknown-linux-musleabihf"), dir / "root");
  EXPECT_EQ(s.layout, Layout::DebianMusl);
  EXPECT_EQ(s.path, dir / "root");
  EXPECT_EQ(s.libDir, dir / "root/usr/lib/arm-linux-musleabihf");
  EXPECT_EQ(s.includeDir, dir / "root/usr/include/arm-linux-musleabihf");
  EXPECT_EQ(s.gccRuntimeDir, dir / "root/usr/lib/gcc/arm-linux-gnueabihf/12");
  EXPECT_THAT(describeLayout(s), HasSubstr("GCC runtime"));
  // The same tree is no musl root for another architecture.
  EXPECT_EQ(classifySysroot(target("aarch64-unknown-linux-musl"), dir / "root").layout,
            Layout::Musl);
}

TEST(ClassifySysroot, UnknownIsPlain) {
  TestDir dir;
  dir.writeFile("odd/something/else", "");
  Sysroot s = classifySysroot(target("aarch64-unknown-linux-gnu"), dir / "odd");
  EXPECT_EQ(s.layout, Layout::Plain);
  EXPECT_EQ(s.path, dir / "odd");
  // libc.so.6 without headers is not Debian-cross shaped.
  dir.writeFile("half/lib/libc.so.6", "");
  EXPECT_EQ(classifySysroot(target("aarch64-unknown-linux-gnu"), dir / "half").layout,
            Layout::Plain);
}

TEST(ClassifySysroot, LayoutNames) {
  EXPECT_EQ(layoutName(Layout::Host), "host");
  EXPECT_EQ(layoutName(Layout::Multiarch), "multiarch");
  EXPECT_EQ(layoutName(Layout::DebianCross), "debian-cross");
  EXPECT_EQ(layoutName(Layout::DebianMusl), "debian-musl");
  EXPECT_EQ(layoutName(Layout::Musl), "musl");
  EXPECT_EQ(layoutName(Layout::Plain), "plain");
  EXPECT_EQ(layoutName(Layout::Mingw), "mingw");
}

// Debian's mingw-w64 shape: /usr/<gnu> with the headers and import libraries,
// the GCC runtime in /usr/lib/gcc/<gnu>/<version>-win32|-posix.
TEST(ClassifySysroot, MingwDebianShapedPicksTheNewestGccRuntime) {
  TestDir dir;
  dir.writeFile("usr/x86_64-w64-mingw32/include/_mingw.h", "");
  dir.writeFile("usr/x86_64-w64-mingw32/lib/libmingw32.a", "");
  for (const char *version : {"9.3.0", "10-win32", "12-posix", "12-win32"})
    dir.writeFile("usr/lib/gcc/x86_64-w64-mingw32/" + std::string(version) + "/libgcc.a", "");
  dir.makeDir("usr/lib/gcc/x86_64-w64-mingw32/13-win32"); // no libgcc.a: not a runtime
  Sysroot s = classifySysroot(target("x86_64-pc-windows-gnu"), dir / "usr/x86_64-w64-mingw32");
  EXPECT_EQ(s.layout, Layout::Mingw);
  EXPECT_EQ(s.path, dir / "usr/x86_64-w64-mingw32");
  EXPECT_EQ(s.gccRuntimeDir, dir / "usr/lib/gcc/x86_64-w64-mingw32/12-win32");
  EXPECT_THAT(describeLayout(s), HasSubstr("GCC runtime " + s.gccRuntimeDir));

  // Only -posix of the newest version: that one.
  TestDir posix;
  posix.writeFile("usr/i686-w64-mingw32/include/_mingw.h", "");
  posix.writeFile("usr/i686-w64-mingw32/lib/libmingw32.a", "");
  posix.writeFile("usr/lib/gcc/i686-w64-mingw32/10-win32/libgcc.a", "");
  posix.writeFile("usr/lib/gcc/i686-w64-mingw32/12-posix/libgcc.a", "");
  EXPECT_EQ(
      classifySysroot(target("i686-pc-windows-gnu"), posix / "usr/i686-w64-mingw32").gccRuntimeDir,
      posix / "usr/lib/gcc/i686-w64-mingw32/12-posix");
}

TEST(ClassifySysroot, MingwToolchainFolder) {
  TestDir dir;
  dir.writeFile("llvm-mingw/x86_64-w64-mingw32/include/_mingw.h", "");
  dir.makeDir("llvm-mingw/x86_64-w64-mingw32/lib");
  Sysroot s = classifySysroot(target("x86_64-pc-windows-gnu"), dir / "llvm-mingw");
  EXPECT_EQ(s.layout, Layout::Mingw);
  EXPECT_EQ(s.path, dir / "llvm-mingw");
  EXPECT_EQ(s.gccRuntimeDir, ""); // llvm-mingw: compiler-rt and libc++, nothing to add
  EXPECT_THAT(describeLayout(s), HasSubstr("llvm-mingw"));
  // The i686 target does not take the x86_64 folder for its own.
  EXPECT_EQ(classifySysroot(target("i686-pc-windows-gnu"), dir / "llvm-mingw").layout,
            Layout::Plain);
}

TEST(ClassifySysroot, WindowsIsNeverMultiarch) {
  // A Linux root: usr/lib exists, and Windows rows have an empty multiarch
  // tuple, so usr/lib/<multiarch> must not be what decides.
  TestDir dir;
  dir.makeDir("root/usr/lib/x86_64-linux-gnu");
  dir.makeDir("root/lib");
  dir.writeFile("root/include/stdio.h", "");
  dir.writeFile("root/lib/libc.so.6", "");
  for (const char *t : {"x86_64-pc-windows-gnu", "i686-pc-windows-gnu"}) {
    SCOPED_TRACE(t);
    EXPECT_EQ(classifySysroot(target(t), dir / "root").layout, Layout::Plain);
  }
}

TEST(UserSysrootDir, XdgThenHome) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  EXPECT_EQ(userSysrootDir(t, Env{"XDG_DATA_HOME=/data", "HOME=/home/u"}),
            "/data/crosshim/sysroots/aarch64-unknown-linux-gnu");
  EXPECT_EQ(userSysrootDir(t, Env{"XDG_DATA_HOME=", "HOME=/home/u"}),
            "/home/u/.local/share/crosshim/sysroots/aarch64-unknown-linux-gnu");
  EXPECT_EQ(userSysrootDir(t, Env{"PATH=/usr/bin"}), "");
}

// findSysroot with all three explicit sources prepared; each test removes
// the ones above the source it checks.
class FindSysroot : public ::testing::Test {
protected:
  const Target &arm64 = target("aarch64-unknown-linux-gnu");
  const std::string envKey = "CROSSHIM_SYSROOT_AARCH64_UNKNOWN_LINUX_GNU";
  const std::string configPath = "/home/u/project/crosshim.toml";
  TestDir dir;
  std::string fromConfig = dir.makeDir("config-sysroot/usr/lib/aarch64-linux-gnu");
  std::string fromEnv = dir.makeDir("env-sysroot");
  std::string fromUser = dir.makeDir("xdg/crosshim/sysroots/aarch64-unknown-linux-gnu");
  // The environment the tests pass: `env` names the sysroot in envKey, `base` not.
  const Env base{"XDG_DATA_HOME=" + dir / "xdg", "HOME=" + dir / "home"};
  const Env env = base.with(envKey, fromEnv);

  TargetSettings configured() const {
    TargetSettings s;
    s.sysroot = dir / "config-sysroot";
    s.sysrootLine = 7;
    return s;
  }
};

TEST_F(FindSysroot, ConfigWins) {
  ASSERT_OK_AND_ASSIGN(s, findSysroot(arm64, configured(), configPath, env));
  EXPECT_EQ(s->path, dir / "config-sysroot");
  EXPECT_EQ(s->layout, Layout::Multiarch); // classified
  EXPECT_THAT(s->source, HasSubstr("config " + configPath + ":7"));
}

TEST_F(FindSysroot, EnvironmentBeforeUserFolder) {
  ASSERT_OK_AND_ASSIGN(s, findSysroot(arm64, TargetSettings(), configPath, env));
  EXPECT_EQ(s->path, fromEnv);
  EXPECT_EQ(s->layout, Layout::Plain);
  EXPECT_EQ(s->source, envKey);
}

TEST_F(FindSysroot, UserFolderLast) {
  ASSERT_OK_AND_ASSIGN(s, findSysroot(arm64, TargetSettings(), configPath, base));
  EXPECT_EQ(s->path, fromUser);
  EXPECT_THAT(s->source, HasSubstr("sysroot folder"));
}

TEST_F(FindSysroot, EmptyEnvironmentValueCountsAsUnset) {
  ASSERT_OK_AND_ASSIGN(s, findSysroot(arm64, TargetSettings(), configPath, base.with(envKey, "")));
  EXPECT_EQ(s->path, fromUser);
}

TEST_F(FindSysroot, MissingConfiguredSysrootIsAnErrorNamingItsSource) {
  TargetSettings settings;
  settings.sysroot = dir / "does-not-exist";
  settings.sysrootLine = 12;
  auto err = errorOf(findSysroot(arm64, settings, configPath, env));
  EXPECT_TRUE(err.isShimError);
  EXPECT_EQ(err.code, ExitCode::Failure);
  EXPECT_THAT(err.message, HasSubstr("config " + configPath + ":12"));
  EXPECT_THAT(err.message, HasSubstr(dir / "does-not-exist"));
  EXPECT_THAT(err.message, HasSubstr("aarch64-unknown-linux-gnu"));

  // A file is not a sysroot either.
  settings.sysroot = dir.writeFile("a-file", "");
  EXPECT_THAT(errorOf(findSysroot(arm64, settings, configPath, env)).message,
              HasSubstr("not a directory"));
}

TEST_F(FindSysroot, MissingEnvironmentSysrootIsAnErrorNamingTheVariable) {
  auto err =
      errorOf(findSysroot(arm64, TargetSettings(), configPath, base.with(envKey, dir / "nope")));
  EXPECT_EQ(err.code, ExitCode::Failure);
  EXPECT_THAT(err.message, HasSubstr(envKey));
  EXPECT_THAT(err.message, HasSubstr(dir / "nope"));
}

TEST_F(FindSysroot, HostNeedsNoSysroot) {
  const Target *host = hostTarget();
  if (!host)
    GTEST_SKIP() << "the build machine is not in the target table";
  ASSERT_OK_AND_ASSIGN(s, findSysroot(*host, TargetSettings(), "", base));
  EXPECT_EQ(s->layout, Layout::Host);
  EXPECT_EQ(s->path, "/");
}

TEST_F(FindSysroot, MuslNeverFallsBackToGlibc) {
  const Target &musl = target("aarch64-unknown-linux-musl");
  if (hostTarget() == &musl || llvm::sys::fs::exists("/usr/lib/aarch64-linux-musl/crt1.o"))
    GTEST_SKIP() << "this machine has an aarch64 musl";
  auto err = errorOf(findSysroot(musl, TargetSettings(), "", base));
  EXPECT_EQ(err.code, ExitCode::Failure);
  EXPECT_THAT(err.message, HasSubstr("no musl sysroot for aarch64-unknown-linux-musl"));
  EXPECT_THAT(err.message, HasSubstr("CROSSHIM_SYSROOT_AARCH64_UNKNOWN_LINUX_MUSL"));
  EXPECT_THAT(err.message, HasSubstr(dir / "xdg/crosshim/sysroots/aarch64-unknown-linux-musl"));
}

TEST_F(FindSysroot, MingwFromTheEnvironment) {
  const Target &win = target("x86_64-pc-windows-gnu");
  dir.writeFile("llvm-mingw/x86_64-w64-mingw32/include/_mingw.h", "");
  dir.makeDir("llvm-mingw/x86_64-w64-mingw32/lib");
  ASSERT_OK_AND_ASSIGN(
      s, findSysroot(win, TargetSettings(), configPath,
                     base.with("CROSSHIM_SYSROOT_X86_64_PC_WINDOWS_GNU", dir / "llvm-mingw")));
  EXPECT_EQ(s->layout, Layout::Mingw);
  EXPECT_EQ(s->source, "CROSSHIM_SYSROOT_X86_64_PC_WINDOWS_GNU");
}

TEST_F(FindSysroot, MingwFromDebianPackages) {
  for (const char *rust : {"x86_64-pc-windows-gnu", "i686-pc-windows-gnu"}) {
    SCOPED_TRACE(rust);
    const Target &win = target(rust);
    const std::string cross = "/usr/" + win.gnu.str();
    if (!llvm::sys::fs::exists(cross + "/include/_mingw.h"))
      GTEST_SKIP() << "mingw-w64 is not installed (install/debian-packages.sh --tests)";
    ASSERT_OK_AND_ASSIGN(s, findSysroot(win, TargetSettings(), "", base));
    EXPECT_EQ(s->layout, Layout::Mingw);
    EXPECT_EQ(s->path, cross);
    EXPECT_THAT(s->gccRuntimeDir, HasSubstr("/usr/lib/gcc/" + win.gnu.str() + "/"));
    EXPECT_TRUE(llvm::sys::fs::exists(s->gccRuntimeDir + "/libgcc.a"));
    EXPECT_THAT(s->source, HasSubstr("Debian mingw-w64 packages"));
  }
}

} // namespace
} // namespace crosshim
