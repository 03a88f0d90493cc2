// Caches and compile farms (launcher.h): the launcher setting from
// crosshim.toml and CROSSHIM_LAUNCHER, which commands it applies to, the
// fingerprint, the options of init/env/toolchain, and the generated CMake and
// Meson files. Running ccache, sccache and distcc is the e2e tests' job
// (caches.sh, distcc.sh, cargo-sccache.sh).
#include "shims/config.h"
#include "shims/launcher.h"
#include "shims/program_name.h"
#include "test_support.h"
#include "setup/toolchain_files.h"

#include <llvm/Support/MemoryBuffer.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crosshim {
namespace {

using test::errorOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

TargetSettings settingsFrom(const char *text, const char *triple) {
  auto config = parseConfig(text, "/p/crosshim.toml");
  EXPECT_TRUE(static_cast<bool>(config)) << (config ? "" : llvm::toString(config.takeError()));
  return config->forTarget(*findTarget(triple));
}

TEST(Launcher, ConfigStringArrayAndPerTargetOverride) {
  const Env none; // no CROSSHIM_LAUNCHER
  const char *text =
      "launcher = \"ccache\"\n"
      "[target.aarch64-unknown-linux-gnu]\nlauncher = [\"env\", \"X=1\", \"sccache\"]\n"
      "[target.i686-unknown-linux-gnu]\nlauncher = \"\"\n";
  EXPECT_THAT(launcherCommand(settingsFrom(text, "armv7-unknown-linux-gnueabihf"), none),
              ElementsAre("ccache"));
  EXPECT_THAT(launcherCommand(settingsFrom(text, "aarch64-unknown-linux-gnu"), none),
              ElementsAre("env", "X=1", "sccache"));
  EXPECT_THAT(launcherCommand(settingsFrom(text, "i686-unknown-linux-gnu"), none), IsEmpty());
}

TEST(Launcher, EnvironmentOverridesTheConfigAndEmptyTurnsItOff) {
  const TargetSettings settings =
      settingsFrom("launcher = \"ccache\"\n", "aarch64-unknown-linux-gnu");
  EXPECT_THAT(launcherCommand(settings, Env{"CROSSHIM_LAUNCHER=distcc"}), ElementsAre("distcc"));
  EXPECT_THAT(launcherCommand(settings, Env{"CROSSHIM_LAUNCHER="}), IsEmpty());
}

TEST(Launcher, ConfigRejectsAWrongType) {
  EXPECT_THAT(errorOf(parseConfig("launcher = 3\n", "/p/crosshim.toml")).message,
              HasSubstr("/p/crosshim.toml:1: 'launcher'"));
}

TEST(Launcher, AppliesToObjectCompilesOfCAndCxxOnly) {
  const ToolInfo &cc = *findTool("cc"), &cxx = *findTool("c++"), &cpp = *findTool("cpp");
  EXPECT_TRUE(launcherApplies(cc, {"-c", "a.c", "-o", "a.o"}));
  EXPECT_TRUE(launcherApplies(cxx, {"-S", "a.cpp"}));
  EXPECT_FALSE(launcherApplies(cc, {"a.c", "-o", "a"}));       // a link
  EXPECT_FALSE(launcherApplies(cc, {"-c", "-E", "a.c"}));      // preprocessing
  EXPECT_FALSE(launcherApplies(cc, {"-c", "-M", "a.c"}));      // dependencies only
  EXPECT_FALSE(launcherApplies(cc, {"--version"}));            // a query
  EXPECT_FALSE(launcherApplies(cpp, {"-c", "a.c"}));           // the preprocessor
  EXPECT_FALSE(launcherApplies(*findTool("ar"), {"-c", "x"})); // not a compiler
}

TEST(Launcher, FingerprintChangesWithEveryAddedFlagAndTheLauncher) {
  RewriteResult command;
  command.argv = {"/usr/bin/true",
                  "--start-no-unused-arguments",
                  "--target=aarch64-linux-gnu",
                  "--end-no-unused-arguments",
                  "-c",
                  "a.c"};
  const std::string base = fingerprintText("aarch64-unknown-linux-gnu", command, {});
  EXPECT_THAT(base, testing::StartsWith("crosshim-fingerprint "));
  EXPECT_EQ(fingerprintDigest(base).size(), 40u);
  EXPECT_EQ(base, fingerprintText("aarch64-unknown-linux-gnu", command, {}));

  RewriteResult userArgs = command; // the user's arguments are the cache's own key
  userArgs.argv.back() = "b.c";
  EXPECT_EQ(base, fingerprintText("aarch64-unknown-linux-gnu", userArgs, {}));

  RewriteResult flags = command;
  flags.argv.insert(flags.argv.begin() + 3, "-O2");
  EXPECT_NE(base, fingerprintText("aarch64-unknown-linux-gnu", flags, {}));
  EXPECT_NE(base, fingerprintText("armv7-unknown-linux-gnueabihf", command, {}));
  EXPECT_NE(base, fingerprintText("aarch64-unknown-linux-gnu", command, {"ccache"}));
  RewriteResult other = command;
  other.argv.front() = "/usr/bin/env"; // another clang
  EXPECT_NE(base, fingerprintText("aarch64-unknown-linux-gnu", other, {}));
}

TEST(Launcher, FingerprintHeaderIsMadeOnceWithTheDigestAndTime) {
  test::TestDir dir;
  const Env env{"XDG_CACHE_HOME=" + dir.path()};
  RewriteResult command;
  command.argv = {"/usr/bin/true", "--end-no-unused-arguments"};
  const std::string text = fingerprintText("aarch64-unknown-linux-gnu", command, {"a*/b"});
  auto header = fingerprintHeader(text, env);
  ASSERT_TRUE(static_cast<bool>(header)) << llvm::toString(header.takeError());
  EXPECT_EQ(*header, dir.path() + "/crosshim/fingerprints/" + fingerprintDigest(text) + ".h");
  auto buffer = llvm::MemoryBuffer::getFile(*header);
  ASSERT_TRUE(static_cast<bool>(buffer));
  const std::string body = (*buffer)->getBuffer().str();
  EXPECT_THAT(body, HasSubstr("#pragma crosshim fingerprint \"" + fingerprintDigest(text) + "\""));
  EXPECT_THAT(body, HasSubstr("__TIME__"));  // ccache leaves its direct mode
  EXPECT_THAT(body, Not(HasSubstr("a*/b"))); // the comment stays one comment
  auto again = fingerprintHeader(text, env);
  ASSERT_TRUE(static_cast<bool>(again));
  EXPECT_EQ(*again, *header);
}

TEST(Launcher, OptionsOfTheSetUpCommands) {
  EXPECT_EQ(*launcherFromOptions(std::string("sccache"), std::nullopt), "sccache");
  EXPECT_EQ(*launcherFromOptions(std::nullopt, std::string("distcc")), "distcc");
  EXPECT_EQ(*launcherFromOptions(std::nullopt, std::nullopt), "");
  EXPECT_THAT(errorOf(launcherFromOptions(std::string("distcc"), std::nullopt)).message,
              HasSubstr("--cache must be ccache or sccache"));
  EXPECT_THAT(errorOf(launcherFromOptions(std::nullopt, std::string("ccache"))).message,
              HasSubstr("--launcher must be distcc or icecc"));
  EXPECT_THAT(errorOf(launcherFromOptions(std::string("ccache"), std::string("distcc"))).message,
              HasSubstr("one of them"));
}

TEST(Launcher, ToolchainFilesRunTheShimsWithTheLauncher) {
  ToolchainFileInputs in;
  in.target = findTarget("aarch64-unknown-linux-gnu");
  in.sysroot.path = "/usr/aarch64-linux-gnu";
  in.sysroot.layout = Layout::DebianCross;
  in.shimDir = "/opt/c/bin";
  EXPECT_THAT(cmakeToolchainFile(in), Not(HasSubstr("LAUNCHER")));
  in.launcher = "sccache";
  EXPECT_THAT(
      cmakeToolchainFile(in),
      HasSubstr("set(CMAKE_C_COMPILER_LAUNCHER /usr/bin/env \"CROSSHIM_LAUNCHER=sccache\")"));
  EXPECT_THAT(cmakeToolchainFile(in), HasSubstr("set(CMAKE_CXX_COMPILER_LAUNCHER /usr/bin/env"));
  EXPECT_THAT(mesonCrossFile(in), HasSubstr("c = ['/usr/bin/env', 'CROSSHIM_LAUNCHER=sccache', "
                                            "'/opt/c/bin/aarch64-unknown-linux-gnu-cc']"));
}

TEST(Launcher, CompilerWrappersByTheirResolvedName) {
  EXPECT_TRUE(isCompilerWrapper("/usr/bin/ccache"));
  EXPECT_TRUE(isCompilerWrapper("/usr/bin/sccache"));
  EXPECT_TRUE(isCompilerWrapper("/usr/bin/distcc"));
  EXPECT_TRUE(isCompilerWrapper("/usr/bin/icecc"));
  EXPECT_FALSE(isCompilerWrapper("/usr/bin/gcc-12"));
}

} // namespace
} // namespace crosshim
