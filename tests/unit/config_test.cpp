// crosshim.toml: what a valid file gives, how defaults and target tables
// merge, where the file is found, and that every error names file, line and key.
#include "shims/config.h"

#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace crosshim {
namespace {

using test::errorOf;
using test::TestDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

const char *const kPath = "/home/user/project/crosshim.toml";

const Target &target(llvm::StringRef name) {
  const Target *t = findTarget(name);
  EXPECT_NE(t, nullptr) << name.str();
  return *t;
}

const char *const kValid = R"(# crosshim.toml
llvm = "/usr/lib/llvm-16"
cflags = ["-O2", "-g"]
ldflags = "-Wl,--as-needed  -Wl,-O1"
rust-lld = "replace"

[target.aarch64-unknown-linux-gnu]
sysroot = "sysroots/arm64"
glibc = "2.28"
cflags = "-DFOO=1 -march=armv8-a"
cxxflags = ["-std=c++17", "-DNAME=\"a b\""]
rust-lld = "keep"

[target.arm-linux-gnueabihf]   # Debian's spelling of armv7
sysroot = "/opt/sysroots/armhf"
llvm = "../llvm"
ldflags = ["-Wl,-z,now"]
)";

TEST(Config, ValidFile) {
  ASSERT_OK_AND_ASSIGN(config, parseConfig(kValid, kPath));
  EXPECT_EQ(config->path, kPath);

  const TargetSettings &d = config->defaults;
  EXPECT_EQ(d.llvm, "/usr/lib/llvm-16");
  EXPECT_EQ(d.llvmLine, 2u);
  EXPECT_THAT(d.cflags, ElementsAre("-O2", "-g"));
  EXPECT_THAT(d.cxxflags, IsEmpty());
  EXPECT_THAT(d.ldflags, ElementsAre("-Wl,--as-needed", "-Wl,-O1")); // split on spaces
  EXPECT_EQ(d.rustLld, RustLld::Replace);
  EXPECT_FALSE(d.sysroot);
  EXPECT_FALSE(d.glibc);

  ASSERT_EQ(config->targets.size(), 2u);
  ASSERT_EQ(config->targets.count("aarch64-unknown-linux-gnu"), 1u);
  const TargetSettings &a = config->targets.at("aarch64-unknown-linux-gnu");
  EXPECT_EQ(a.sysroot, "/home/user/project/sysroots/arm64"); // relative to the file
  EXPECT_EQ(a.sysrootLine, 8u);
  ASSERT_TRUE(a.glibc);
  EXPECT_EQ(a.glibc->str(), "2.28");
  EXPECT_THAT(a.cflags, ElementsAre("-DFOO=1", "-march=armv8-a"));
  EXPECT_THAT(a.cxxflags, ElementsAre("-std=c++17", "-DNAME=\"a b\"")); // arrays are not split
  EXPECT_EQ(a.rustLld, RustLld::Keep);
  EXPECT_FALSE(a.llvm);

  // Keyed by the Rust triple whatever the table's spelling.
  ASSERT_EQ(config->targets.count("armv7-unknown-linux-gnueabihf"), 1u);
  const TargetSettings &arm = config->targets.at("armv7-unknown-linux-gnueabihf");
  EXPECT_EQ(arm.sysroot, "/opt/sysroots/armhf");
  EXPECT_EQ(arm.sysrootLine, 15u);
  EXPECT_EQ(arm.llvm, "/home/user/project/../llvm");
  EXPECT_EQ(arm.llvmLine, 16u);
  EXPECT_THAT(arm.ldflags, ElementsAre("-Wl,-z,now"));
}

TEST(Config, ForTargetMergesTheTargetTableOverTheDefaults) {
  ASSERT_OK_AND_ASSIGN(config, parseConfig(kValid, kPath));

  TargetSettings a = config->forTarget(target("aarch64-unknown-linux-gnu"));
  EXPECT_EQ(a.llvm, "/usr/lib/llvm-16"); // inherited
  EXPECT_EQ(a.llvmLine, 2u);
  EXPECT_EQ(a.sysroot, "/home/user/project/sysroots/arm64");
  EXPECT_EQ(a.sysrootLine, 8u);
  EXPECT_EQ(a.rustLld, RustLld::Keep); // the target's value wins
  ASSERT_TRUE(a.glibc);
  EXPECT_EQ(a.glibc->str(), "2.28");
  // Flags: the defaults' first, then the target's (so the target's win).
  EXPECT_THAT(a.cflags, ElementsAre("-O2", "-g", "-DFOO=1", "-march=armv8-a"));
  EXPECT_THAT(a.cxxflags, ElementsAre("-std=c++17", "-DNAME=\"a b\""));
  EXPECT_THAT(a.ldflags, ElementsAre("-Wl,--as-needed", "-Wl,-O1"));

  TargetSettings arm = config->forTarget(target("armv7-unknown-linux-gnueabihf"));
  EXPECT_EQ(arm.llvm, "/home/user/project/../llvm"); // the target's value wins
  EXPECT_EQ(arm.llvmLine, 16u);
  EXPECT_EQ(arm.rustLld, RustLld::Replace);
  EXPECT_FALSE(arm.glibc);
  EXPECT_THAT(arm.ldflags, ElementsAre("-Wl,--as-needed", "-Wl,-O1", "-Wl,-z,now"));

  // A target without a table gets the defaults as they are.
  TargetSettings other = config->forTarget(target("i686-unknown-linux-gnu"));
  EXPECT_EQ(other.llvm, "/usr/lib/llvm-16");
  EXPECT_FALSE(other.sysroot);
  EXPECT_THAT(other.cflags, ElementsAre("-O2", "-g"));
  EXPECT_THAT(other.ldflags, ElementsAre("-Wl,--as-needed", "-Wl,-O1"));
  EXPECT_EQ(other.rustLld, RustLld::Replace);
}

TEST(Config, EmptyFile) {
  ASSERT_OK_AND_ASSIGN(config, parseConfig("", kPath));
  EXPECT_FALSE(config->defaults.llvm);
  EXPECT_TRUE(config->targets.empty());
  TargetSettings s = config->forTarget(target("aarch64-unknown-linux-gnu"));
  EXPECT_FALSE(s.sysroot);
  EXPECT_FALSE(s.rustLld);
}

TEST(Config, HomeRelativePaths) {
  ASSERT_OK_AND_ASSIGN(config,
                       parseConfig("[target.aarch64-linux-gnu]\nsysroot = \"~/sysroots/arm64\"\n",
                                   kPath, Env{"HOME=/home/someone"}));
  EXPECT_EQ(config->targets.at("aarch64-unknown-linux-gnu").sysroot,
            "/home/someone/sysroots/arm64");
}

// An error message must start with "<file>:<line>:" and name the key.
struct ErrorCase {
  const char *what;
  const char *text;
  unsigned line;
  std::vector<const char *> mentions;
};

void expectConfigError(const ErrorCase &c) {
  SCOPED_TRACE(c.what);
  auto err = errorOf(parseConfig(c.text, kPath));
  EXPECT_TRUE(err.isShimError);
  EXPECT_EQ(err.code, ExitCode::Usage);
  EXPECT_THAT(err.message, StartsWith(std::string(kPath) + ":" + std::to_string(c.line) + ": "));
  for (const char *m : c.mentions)
    EXPECT_THAT(err.message, HasSubstr(m));
}

TEST(ConfigErrors, UnknownKey) {
  expectConfigError(
      {"top level", "llvm = \"/usr\"\nsysrot = \"/x\"\n", 2, {"unknown key 'sysrot'", "allowed:"}});
  expectConfigError({"target table",
                     "\n[target.aarch64-unknown-linux-gnu]\ncflags = []\nsysroots = \"/x\"\n",
                     4,
                     {"unknown key 'sysroots'", "[target] table"}});
  // sysroot and glibc only make sense per target.
  expectConfigError({"sysroot at top level", "sysroot = \"/x\"\n", 1, {"unknown key 'sysroot'"}});
  expectConfigError({"glibc at top level", "\n\nglibc = \"2.17\"\n", 3, {"unknown key 'glibc'"}});
}

TEST(ConfigErrors, WrongType) {
  expectConfigError({"sysroot number",
                     "[target.aarch64-linux-gnu]\nsysroot = 1\n",
                     2,
                     {"'sysroot' must be a string"}});
  expectConfigError({"llvm bool", "llvm = true\n", 1, {"'llvm' must be a string"}});
  expectConfigError(
      {"cflags number", "\ncflags = 3\n", 2, {"'cflags' must be an array of strings"}});
  expectConfigError({"ldflags with a number",
                     "[target.x86_64-unknown-linux-musl]\nldflags = [\n  \"-s\",\n  4,\n]\n",
                     4,
                     {"'ldflags' must contain only strings"}});
  expectConfigError({"glibc float",
                     "[target.aarch64-linux-gnu]\n\nglibc = 2.17\n",
                     3,
                     {"'glibc' must be a string"}});
  expectConfigError({"empty sysroot",
                     "[target.aarch64-linux-gnu]\nsysroot = \"\"\n",
                     2,
                     {"'sysroot' must not be empty"}});
  expectConfigError(
      {"target not a table", "target = \"aarch64\"\n", 1, {"'target' must be a table"}});
  expectConfigError({"target entry not a table",
                     "[target]\naarch64-linux-gnu = 1\n",
                     2,
                     {"'target.aarch64-linux-gnu' must be a table"}});
}

TEST(ConfigErrors, BadValues) {
  expectConfigError({"glibc 3.1",
                     "[target.aarch64-linux-gnu]\nglibc = \"3.1\"\n",
                     2,
                     {"'glibc'", "malformed glibc version '3.1'"}});
  expectConfigError({"glibc 2", "[target.aarch64-linux-gnu]\nglibc = \"2\"\n", 2, {"'glibc'"}});
  expectConfigError({"rust-lld",
                     "rust-lld = \"maybe\"\n",
                     1,
                     {"'rust-lld' must be \"keep\" or \"replace\"", "maybe"}});
}

TEST(ConfigErrors, UnknownTargetTableSuggestsCloseMatches) {
  expectConfigError(
      {"typo",
       "llvm = \"/usr\"\n\n[target.aarch64-unknown-linux-gnuu]\nsysroot = \"/x\"\n",
       3,
       {"unknown target 'aarch64-unknown-linux-gnuu'", "did you mean aarch64-unknown-linux-gnu"}});
}

TEST(ConfigErrors, TomlSyntaxError) {
  expectConfigError({"unterminated string", "llvm = \"/usr\"\n\ncflags = [\"-O2\n", 3, {}});
  expectConfigError({"no value", "llvm =\n", 1, {}});
  expectConfigError(
      {"redefined table", "[target.aarch64-linux-gnu]\n[target.aarch64-linux-gnu]\n", 2, {}});
}

TEST(ConfigErrors, SameTargetThroughTwoSpellings) {
  // Whatever the order of the tables, the error is about the same target.
  for (const char *text : {"[target.aarch64-unknown-linux-gnu]\ncflags = [\"-O1\"]\n\n"
                           "[target.aarch64-linux-gnu]\ncflags = [\"-O2\"]\n",
                           "[target.aarch64-linux-gnu]\ncflags = [\"-O2\"]\n\n"
                           "[target.aarch64-unknown-linux-gnu]\ncflags = [\"-O1\"]\n"}) {
    SCOPED_TRACE(text);
    auto err = errorOf(parseConfig(text, kPath));
    EXPECT_EQ(err.code, ExitCode::Usage);
    EXPECT_THAT(err.message, StartsWith(std::string(kPath) + ":"));
    EXPECT_THAT(err.message, HasSubstr("is the same target as"));
    EXPECT_THAT(err.message, HasSubstr("(aarch64-unknown-linux-gnu)"));
  }
}

// The error should point at the table that repeats the target (the later one
// in the file) and name the spelling that came first.
TEST(ConfigErrors, SameTargetErrorPointsAtTheLaterTable) {
  auto err = errorOf(parseConfig("[target.aarch64-unknown-linux-gnu]\ncflags = [\"-O1\"]\n\n"
                                 "[target.aarch64-linux-gnu]\ncflags = [\"-O2\"]\n",
                                 kPath));
  EXPECT_THAT(err.message, StartsWith(std::string(kPath) + ":4: "));
  EXPECT_THAT(err.message, HasSubstr("[target.aarch64-linux-gnu]"));
  EXPECT_THAT(err.message, HasSubstr("[target.aarch64-unknown-linux-gnu]"));
}

TEST(ConfigErrors, HomeRelativePathWithoutHome) { // parseConfig's Env has no HOME
  expectConfigError({"no HOME",
                     "[target.aarch64-linux-gnu]\nsysroot = \"~/x\"\n",
                     2,
                     {"'sysroot' starts with ~/ but HOME is not set"}});
}

// locateConfig / loadConfig with real files.

TEST(ConfigFile, ExplicitPathResolvesRelativePathsAgainstTheFilesDirectory) {
  TestDir dir;
  std::string file =
      dir.writeFile("conf/my.toml", "[target.aarch64-linux-gnu]\nsysroot = \"arm64\"\n");
  const Env env{"CROSSHIM_CONFIG=" + std::string(file)};
  ASSERT_OK_AND_ASSIGN(path, locateConfig(env));
  EXPECT_EQ(*path, file);
  ASSERT_OK_AND_ASSIGN(config, loadConfig(env));
  EXPECT_EQ(config->path, file);
  EXPECT_EQ(config->targets.at("aarch64-unknown-linux-gnu").sysroot, dir / "conf/arm64");
}

TEST(ConfigFile, ExplicitPathThatDoesNotExistIsAnError) {
  TestDir dir;
  const Env env{"CROSSHIM_CONFIG=" + std::string(dir / "missing.toml")};
  auto err = errorOf(locateConfig(env));
  EXPECT_EQ(err.code, ExitCode::Usage);
  EXPECT_THAT(err.message, HasSubstr(dir / "missing.toml"));
  EXPECT_EQ(errorOf(loadConfig(env)).code, ExitCode::Usage);
}

TEST(ConfigFile, LoadErrorNamesTheRealFile) {
  TestDir dir;
  std::string file = dir.writeFile("crosshim.toml", "llvm = \"/usr\"\nbogus = 1\n");
  const Env env{"CROSSHIM_CONFIG=" + std::string(file)};
  auto err = errorOf(loadConfig(env));
  EXPECT_EQ(err.code, ExitCode::Usage);
  EXPECT_THAT(err.message, StartsWith(file + ":2: "));
  EXPECT_THAT(err.message, HasSubstr("'bogus'"));
}

// A FIFO would block the open for ever (no writer); a directory cannot be read.
TEST(ConfigFile, NotARegularFileIsAnErrorNotAHang) {
  TestDir dir;
  std::filesystem::create_directories(dir / "fifo-dir");
  ASSERT_EQ(::mkfifo((dir / "fifo-dir/crosshim.toml").c_str(), 0644), 0);
  std::filesystem::create_directories(dir / "dir.toml");
  for (const std::string &path : {dir / "fifo-dir/crosshim.toml", dir / "dir.toml"}) {
    const Env env{"CROSSHIM_CONFIG=" + std::string(path)};
    auto err = errorOf(loadConfig(env));
    EXPECT_EQ(err.code, ExitCode::Usage);
    EXPECT_THAT(err.message, HasSubstr(path + ": not a regular file"));
  }
  // /dev/null is the usual way to say "no configuration".
  ASSERT_OK_AND_ASSIGN(none, loadConfig(Env{"CROSSHIM_CONFIG=/dev/null"}));
  EXPECT_TRUE(none->path.empty());
}

bool ancestorHasConfig(const std::string &dir) {
  for (std::filesystem::path p = dir; !p.empty(); p = p.parent_path()) {
    if (std::filesystem::exists(p / "crosshim.toml"))
      return true;
    if (p == p.parent_path())
      break;
  }
  return false;
}

TEST(ConfigFile, NearestFileInTheCurrentDirectoryOrItsParents) {
  TestDir dir;
  if (ancestorHasConfig(dir.path()))
    GTEST_SKIP() << "a crosshim.toml above " << dir.path() << " would interfere";
  const Env env{"XDG_CONFIG_HOME=" + dir / "xdg", "HOME=" + dir / "home"};
  std::string outer = dir.writeFile("project/crosshim.toml", "");
  std::string inner = dir.writeFile("project/sub/crosshim.toml", "");
  dir.makeDir("project/sub/deeper/still");
  {
    test::ScopedCwd cwd(dir / "project/sub/deeper/still");
    ASSERT_OK_AND_ASSIGN(path, locateConfig(env));
    EXPECT_EQ(*path, inner);
  }
  {
    test::ScopedCwd cwd(dir / "project");
    ASSERT_OK_AND_ASSIGN(path, locateConfig(env));
    EXPECT_EQ(*path, outer);
  }
}

TEST(ConfigFile, UserConfigWhenNoProjectFile) {
  TestDir dir;
  if (ancestorHasConfig(dir.path()))
    GTEST_SKIP() << "a crosshim.toml above " << dir.path() << " would interfere";
  const Env env{"XDG_CONFIG_HOME=" + dir / "xdg", "HOME=" + dir / "home"};
  test::ScopedCwd cwd(dir.path());

  ASSERT_OK_AND_ASSIGN(none, locateConfig(env));
  EXPECT_EQ(*none, "");
  ASSERT_OK_AND_ASSIGN(empty, loadConfig(env));
  EXPECT_EQ(empty->path, "");

  std::string homeFile = dir.writeFile("home/.config/crosshim/config.toml", "");
  ASSERT_OK_AND_ASSIGN(fromHome, locateConfig(env));
  EXPECT_EQ(*fromHome, homeFile);

  std::string xdgFile = dir.writeFile("xdg/crosshim/config.toml", "");
  ASSERT_OK_AND_ASSIGN(fromXdg, locateConfig(env));
  EXPECT_EQ(*fromXdg, xdgFile);
}

// Config trust, like git's ownership check: a crosshim.toml found by walking
// up is obeyed only when it is the current user's or root's and nobody else
// may write it. The tests run as root; another user's file is made with
// chown to nobody (65534) inside the test directory.
constexpr uid_t kNobody = 65534;
constexpr gid_t kNogroup = 65534;

struct TrustFixture {
  TestDir dir;
  Env env{"XDG_CONFIG_HOME=" + dir / "xdg", "HOME=" + dir / "home"};
};

TEST(ConfigTrust, AnotherUsersFileIsPassedOverAndListed) {
  TrustFixture f;
  if (ancestorHasConfig(f.dir.path()))
    GTEST_SKIP() << "a crosshim.toml above " << f.dir.path() << " would interfere";
  const std::string planted = f.dir.writeFile("shared/crosshim.toml", "llvm = \"/planted/evil\"\n");
  ASSERT_EQ(::chown(planted.c_str(), kNobody, kNogroup), 0) << std::strerror(errno);
  f.dir.makeDir("shared/project");
  const std::string user = f.dir.writeFile("xdg/crosshim/config.toml", "");
  test::ScopedCwd cwd(f.dir / "shared/project");
  std::vector<SkippedConfig> skipped;
  ASSERT_OK_AND_ASSIGN(path, locateConfig(f.env, &skipped));
  // Passed over as if it were not there: the user's own file is next.
  EXPECT_EQ(*path, user);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].path, planted);
  EXPECT_THAT(skipped[0].reason, HasSubstr("owned by uid 65534, not by you (uid " +
                                           std::to_string(::geteuid()) + ") or root"));
  ASSERT_OK_AND_ASSIGN(config, loadConfig(f.env));
  EXPECT_EQ(config->path, user);
  EXPECT_FALSE(config->defaults.llvm.has_value());
  ASSERT_EQ(config->skipped.size(), 1u);
  EXPECT_EQ(config->skipped[0].path, planted);
}

TEST(ConfigTrust, AFileOthersMayWriteIsPassedOver) {
  TrustFixture f;
  if (ancestorHasConfig(f.dir.path()))
    GTEST_SKIP() << "a crosshim.toml above " << f.dir.path() << " would interfere";
  const std::string file = f.dir.writeFile("p/crosshim.toml", "");
  test::ScopedCwd cwd(f.dir / "p");
  ASSERT_EQ(::chmod(file.c_str(), 0666), 0);
  EXPECT_THAT(untrustedConfigReason(file).value_or(""),
              HasSubstr("anyone may write it (mode 0666)"));
  // Group-writable: only for the user's own group.
  ASSERT_EQ(::chmod(file.c_str(), 0664), 0);
  ASSERT_EQ(::chown(file.c_str(), ::geteuid(), ::getegid()), 0);
  EXPECT_EQ(untrustedConfigReason(file), std::nullopt);
  ASSERT_EQ(::chown(file.c_str(), ::geteuid(), kNogroup), 0);
  EXPECT_THAT(untrustedConfigReason(file).value_or(""),
              HasSubstr("group 65534, not yours, may write it (mode 0664)"));
  ASSERT_OK_AND_ASSIGN(path, locateConfig(f.env));
  EXPECT_EQ(*path, "");
  // The user's own file, 0644: obeyed.
  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  ASSERT_OK_AND_ASSIGN(again, locateConfig(f.env));
  EXPECT_EQ(*again, file);
}

TEST(ConfigTrust, ASymlinkAnotherUserPlantedIsPassedOver) {
  TrustFixture f;
  if (ancestorHasConfig(f.dir.path()))
    GTEST_SKIP() << "a crosshim.toml above " << f.dir.path() << " would interfere";
  // The file it leads to is root's own; the link is not.
  const std::string real = f.dir.writeFile("roots/crosshim.toml", "");
  const std::string link = f.dir.makeSymlink(real, "p/crosshim.toml");
  ASSERT_EQ(::lchown(link.c_str(), kNobody, kNogroup), 0);
  test::ScopedCwd cwd(f.dir / "p");
  std::vector<SkippedConfig> skipped;
  ASSERT_OK_AND_ASSIGN(path, locateConfig(f.env, &skipped));
  EXPECT_EQ(*path, "");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_THAT(skipped[0].reason, HasSubstr("it is a symlink owned by uid 65534"));
}

TEST(ConfigTrust, AFileNamedByCrosshimConfigIsTrusted) {
  TestDir dir;
  const std::string file = dir.writeFile("theirs.toml", "cflags = [\"-DTHEIRS\"]\n");
  ASSERT_EQ(::chown(file.c_str(), kNobody, kNogroup), 0);
  ASSERT_EQ(::chmod(file.c_str(), 0666), 0);
  const Env env{"CROSSHIM_CONFIG=" + std::string(file)};
  ASSERT_OK_AND_ASSIGN(config, loadConfig(env));
  EXPECT_EQ(config->path, file);
  EXPECT_THAT(config->defaults.cflags, ElementsAre("-DTHEIRS"));
  EXPECT_THAT(config->skipped, IsEmpty());
}

} // namespace
} // namespace crosshim
