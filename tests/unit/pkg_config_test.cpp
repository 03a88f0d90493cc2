// `<triple>-pkg-config` (pkg_config.h): which .pc directories and which
// sysroot prefix each sysroot layout gets, the child's environment, how the
// name parses, and one real run of the system pkg-config with that
// environment (it is small and fast; the e2e test runs the installed shim).
#include "shims/pkg_config.h"
#include "support/process.h"
#include "shims/program_name.h"
#include "shims/targets.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <llvm/Support/Path.h>
#include <llvm/Support/Program.h>

namespace crosshim {
namespace {

using test::sysrootAt;
using test::target;

using test::TestDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(PkgConfig, AMultiarchSysrootGetsItsOwnDirsAndThePrefix) {
  PkgConfigSearch s = pkgConfigSearch(target("aarch64-unknown-linux-gnu"),
                                      sysrootAt("/srv/arm64", Layout::Multiarch));
  EXPECT_FALSE(s.passThrough);
  EXPECT_THAT(s.libdirs,
              ElementsAre("/srv/arm64/usr/lib/aarch64-linux-gnu/pkgconfig",
                          "/srv/arm64/usr/lib/pkgconfig", "/srv/arm64/usr/share/pkgconfig"));
  EXPECT_EQ(s.sysrootDir, "/srv/arm64");

  // The multiarch tuple, not the GNU triple: i386-linux-gnu for i686.
  PkgConfigSearch i686 =
      pkgConfigSearch(target("i686-unknown-linux-gnu"), sysrootAt("/s", Layout::Multiarch));
  EXPECT_EQ(i686.libdirs.front(), "/s/usr/lib/i386-linux-gnu/pkgconfig");
}

TEST(PkgConfig, DebianCrossPackagesReadTheMultiarchDirWithoutAPrefix) {
  // :arm64 -dev packages put /usr paths into /usr/lib/aarch64-linux-gnu/pkgconfig;
  // a sysroot prefix would make them /usr/aarch64-linux-gnu/usr/lib/...
  PkgConfigSearch s = pkgConfigSearch(target("aarch64-unknown-linux-gnu"),
                                      sysrootAt("/usr/aarch64-linux-gnu", Layout::DebianCross));
  EXPECT_THAT(s.libdirs,
              ElementsAre("/usr/aarch64-linux-gnu/lib/pkgconfig",
                          "/usr/lib/aarch64-linux-gnu/pkgconfig", "/usr/share/pkgconfig"));
  EXPECT_EQ(s.sysrootDir, "");
  PkgConfigEnv env = pkgConfigEnvironment(s);
  EXPECT_THAT(env.unset, ElementsAre("PKG_CONFIG_SYSROOT_DIR", "PKG_CONFIG_PATH"));
}

TEST(PkgConfig, TheBuildMachinesMultiarchTreeNeverGetsTheHostsOwnDirs) {
  PkgConfigSearch s =
      pkgConfigSearch(target("armv7-unknown-linux-gnueabihf"), sysrootAt("/", Layout::Multiarch));
  EXPECT_THAT(s.libdirs,
              ElementsAre("/usr/lib/arm-linux-gnueabihf/pkgconfig", "/usr/share/pkgconfig"));
  EXPECT_EQ(s.sysrootDir, "");
}

TEST(PkgConfig, MuslLayouts) {
  Sysroot debianMusl = sysrootAt("/usr/lib/x86_64-linux-musl", Layout::DebianMusl);
  debianMusl.libDir = "/usr/lib/x86_64-linux-musl";
  PkgConfigSearch d = pkgConfigSearch(target("x86_64-unknown-linux-musl"), debianMusl);
  // Not /usr/share/pkgconfig or /usr/lib/x86_64-linux-gnu: those are glibc's.
  EXPECT_THAT(d.libdirs, ElementsAre("/usr/lib/x86_64-linux-musl/pkgconfig"));
  EXPECT_EQ(d.sysrootDir, "");

  PkgConfigSearch alpine =
      pkgConfigSearch(target("aarch64-unknown-linux-musl"), sysrootAt("/srv/alpine", Layout::Musl));
  EXPECT_THAT(alpine.libdirs,
              ElementsAre("/srv/alpine/usr/lib/pkgconfig", "/srv/alpine/usr/share/pkgconfig"));
  EXPECT_EQ(alpine.sysrootDir, "/srv/alpine");
}

TEST(PkgConfig, TheHostTargetRunsPkgConfigAsItIs) {
  const Target *host = hostTarget();
  if (!host)
    GTEST_SKIP() << "the build machine is not a known target";
  PkgConfigSearch s = pkgConfigSearch(*host, sysrootAt("/", Layout::Host));
  EXPECT_TRUE(s.passThrough);
  PkgConfigEnv env = pkgConfigEnvironment(s);
  EXPECT_THAT(env.set, IsEmpty());
  EXPECT_THAT(env.unset, IsEmpty()) << "the host's PKG_CONFIG_PATH stays";
}

TEST(PkgConfig, TheEnvironmentReplacesTheSearchPathAndDropsPkgConfigPath) {
  PkgConfigSearch s = pkgConfigSearch(target("aarch64-unknown-linux-gnu"),
                                      sysrootAt("/srv/arm64", Layout::Multiarch));
  PkgConfigEnv env = pkgConfigEnvironment(s);
  EXPECT_THAT(env.set, ElementsAre("PKG_CONFIG_LIBDIR=/srv/arm64/usr/lib/aarch64-linux-gnu/"
                                   "pkgconfig:/srv/arm64/usr/lib/pkgconfig:/srv/arm64/usr/share/"
                                   "pkgconfig",
                                   "PKG_CONFIG_SYSROOT_DIR=/srv/arm64"));
  EXPECT_THAT(env.unset, ElementsAre("PKG_CONFIG_PATH"));
}

TEST(PkgConfig, NamesParseWithTheirDash) {
  for (const char *name : {"/farm/aarch64-unknown-linux-gnu-pkg-config",
                           "aarch64-linux-gnu-pkg-config", "aarch64-linux-gnu-pkg-config.exe"}) {
    SCOPED_TRACE(name);
    ASSERT_OK_AND_ASSIGN(parsed, parseProgramName(name));
    EXPECT_EQ(parsed->kind, ProgramName::Kind::Shim);
    EXPECT_EQ(parsed->tool->kind, ToolKind::PkgConfig);
    EXPECT_EQ(parsed->target, &target("aarch64-unknown-linux-gnu"));
  }
  ASSERT_OK_AND_ASSIGN(floor, parseProgramName("x86_64-unknown-linux-gnu.2.17-pkg-config"));
  EXPECT_EQ(floor->tool->kind, ToolKind::PkgConfig);
  ASSERT_TRUE(floor->glibcFloor);

  // A bare pkg-config is the host's, never a masquerade name.
  auto bare = test::errorOf(parseProgramName("/usr/lib/crosshim/masquerade/pkg-config"));
  EXPECT_EQ(bare.code, ExitCode::Usage);
  EXPECT_THAT(bare.message, HasSubstr("only with a target in front: <target>-pkg-config"));
  // A tool named like the end of pkg-config is still unknown.
  auto config = test::errorOf(parseProgramName("aarch64-linux-gnu-config"));
  EXPECT_THAT(config.message, HasSubstr("unknown tool 'config'"));
  auto noTarget = test::errorOf(parseProgramName("-pkg-config"));
  EXPECT_EQ(noTarget.code, ExitCode::Usage);
}

TEST(PkgConfig, ThePlanRunsTheSystemPkgConfigSkippingCrosshim) {
  TestDir dir;
  const std::string self = dir.makeExecutable("farm/crosshim");
  dir.makeSymlink(self, "farm/pkg-config"); // crosshim itself: skipped
  const std::string real = dir.makeExecutable("bin/pkg-config");
  ASSERT_OK_AND_ASSIGN(plan, planPkgConfig(target("aarch64-unknown-linux-gnu"),
                                           sysrootAt("/srv/arm64", Layout::Multiarch),
                                           {"--libs", "sqlite3"}, dir / "farm" + ":" + dir / "bin",
                                           self));
  EXPECT_EQ(plan->program, real);
  // argv[0] is the real program: pkgconf would pick a personality from ours.
  EXPECT_THAT(plan->argv, ElementsAre(real, "--libs", "sqlite3"));
  EXPECT_EQ(pkgConfigCommandLine(*plan),
            "env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR=/srv/arm64/usr/lib/aarch64-linux-gnu/"
            "pkgconfig:/srv/arm64/usr/lib/pkgconfig:/srv/arm64/usr/share/pkgconfig "
            "PKG_CONFIG_SYSROOT_DIR=/srv/arm64 " +
                real + " --libs sqlite3");

  std::string text;
  llvm::raw_string_ostream os(text);
  describePkgConfig(*plan, os);
  EXPECT_THAT(os.str(), HasSubstr("runs:    " + real));
  EXPECT_THAT(os.str(), HasSubstr("sysroot: /srv/arm64 [multiarch"));
  EXPECT_THAT(os.str(), HasSubstr("PKG_CONFIG_SYSROOT_DIR=/srv/arm64"));
  EXPECT_THAT(os.str(), HasSubstr("unsets:  PKG_CONFIG_PATH"));
}

TEST(PkgConfig, PkgconfIsTakenWhenThereIsNoPkgConfig) {
  TestDir dir;
  const std::string self = dir.makeExecutable("crosshim");
  const std::string pkgconf = dir.makeExecutable("bin/pkgconf");
  ASSERT_OK_AND_ASSIGN(found, findSystemPkgConfig(dir / "bin", self));
  EXPECT_EQ(*found, pkgconf);

  auto missing = test::errorOf(findSystemPkgConfig(dir / "nothing", self));
  EXPECT_EQ(missing.code, ExitCode::NotFound);
  EXPECT_THAT(missing.message, HasSubstr("apt-get install pkgconf"));
}

// The real pkg-config with the planned environment: the sysroot's .pc file
// is found and its paths are prefixed; the host's are not found, even through
// PKG_CONFIG_PATH.
TEST(PkgConfig, TheRealPkgConfigReadsOnlyTheSysroot) {
  auto system = llvm::sys::findProgramByName("pkg-config");
  if (!system)
    GTEST_SKIP() << "pkg-config is not installed (apt-get install pkgconf)";
  TestDir dir;
  const std::string root = dir.makeDir("sysroot");
  dir.writeFile("sysroot/usr/lib/aarch64-linux-gnu/pkgconfig/fake.pc",
                "prefix=/usr\nlibdir=${prefix}/lib/aarch64-linux-gnu\n"
                "includedir=${prefix}/include\n"
                "Name: fake\nDescription: a library of the target\nVersion: 3.40.1\n"
                "Libs: -L${libdir} -lfake\nCflags: -I${includedir}/fake\n");
  // A package only the "host" has, reachable through PKG_CONFIG_PATH.
  dir.writeFile("host/hostonly.pc", "Name: hostonly\nDescription: host\nVersion: 1\nLibs: -lh\n");

  ASSERT_OK_AND_ASSIGN(plan, planPkgConfig(target("aarch64-unknown-linux-gnu"),
                                           sysrootAt(root, Layout::Multiarch),
                                           {"--cflags", "--libs", "fake"},
                                           llvm::sys::path::parent_path(*system), "/nonexistent"));
  // A user who exported a host directory: the shim's environment drops it.
  const Env shimEnv = Env::process().with("PKG_CONFIG_PATH", dir / "host");
  auto runWith = [&](std::vector<std::string> argv,
                     std::vector<std::string> unset) -> std::pair<int, std::string> {
    const std::string out = dir / "out.txt";
    std::vector<std::string> shArgv = {"/bin/sh", "-c", "exec \"$0\" \"$@\" >\"$OUT\" 2>&1"};
    shArgv.insert(shArgv.end(), argv.begin(), argv.end());
    std::vector<std::string> set = plan->env.set;
    set.push_back("OUT=" + out);
    auto status = runProgram("/bin/sh", shArgv, childEnvironment(shimEnv, unset, set), 0);
    EXPECT_TRUE(static_cast<bool>(status));
    std::string text;
    for (const std::string &l : test::readLines(out))
      text += l + "\n";
    return {status ? status->exitCode : -1, text};
  };
  auto [rc, out] = runWith(plan->argv, plan->env.unset);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_THAT(out, HasSubstr("-I" + root + "/usr/include/fake"));
  EXPECT_THAT(out, HasSubstr("-L" + root + "/usr/lib/aarch64-linux-gnu -lfake"));
  auto [hostRc, hostOut] = runWith({plan->program, "--exists", "hostonly"}, plan->env.unset);
  EXPECT_EQ(hostRc, 1) << "a host .pc file was found: " << hostOut;
  // The control: had PKG_CONFIG_PATH been kept, pkg-config would find it.
  auto [leakRc, leakOut] = runWith({plan->program, "--exists", "hostonly"}, {});
  EXPECT_EQ(leakRc, 0) << leakOut;
}

} // namespace
} // namespace crosshim
