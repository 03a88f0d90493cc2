// `crosshim init`'s editor of .cargo/config.toml (cargo_config.h): the
// user's keys, comments and formatting stay; crosshim's entries go between
// markers, into the user's own sections when they exist; a second run
// changes nothing; conflicts are errors unless forced.
#include "setup/cargo_config.h"
#include "test_support.h"

#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <toml++/toml.h>

namespace crosshim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<CargoEntry> kEntries = {
    {{"target", "aarch64-unknown-linux-gnu"}, "linker", "/p/aarch64-unknown-linux-gnu-cc"},
    {{"target", "aarch64-unknown-linux-gnu"}, "runner", "/p/aarch64-unknown-linux-gnu-run"},
    {{"env"}, "CC_aarch64_unknown_linux_gnu", "/p/aarch64-unknown-linux-gnu-cc"},
};

std::string value(const std::string &text, const char *path) {
  toml::parse_result parsed = toml::parse(text);
  EXPECT_TRUE(static_cast<bool>(parsed)) << text;
  if (!parsed)
    return "<invalid>";
  auto node = parsed.table().at_path(path);
  return node.is_string() ? node.as_string()->get() : "<missing>";
}

TEST(CargoConfig, ANewFileGetsOneMarkedBlock) {
  ASSERT_OK_AND_ASSIGN(edit, editCargoConfig("", "config.toml", kEntries, false));
  EXPECT_EQ(edit->text, "# >>> crosshim init: written by `crosshim init`; edit outside these "
                        "markers >>>\n"
                        "[target.aarch64-unknown-linux-gnu]\n"
                        "linker = \"/p/aarch64-unknown-linux-gnu-cc\"\n"
                        "runner = \"/p/aarch64-unknown-linux-gnu-run\"\n"
                        "\n"
                        "[env]\n"
                        "CC_aarch64_unknown_linux_gnu = \"/p/aarch64-unknown-linux-gnu-cc\"\n"
                        "# <<< crosshim init <<<\n");
}

TEST(CargoConfig, TheUsersSectionsCommentsAndKeysStay) {
  const std::string user = "# my settings\n"
                           "[build]\n"
                           "jobs = 2   # two cores\n"
                           "\n"
                           "[env]\n"
                           "FOO = \"bar\"\n"
                           "\n"
                           "[target.aarch64-unknown-linux-gnu]\n"
                           "rustflags = [\"--sysroot\", \"/x\"]\n";
  ASSERT_OK_AND_ASSIGN(edit, editCargoConfig(user, "config.toml", kEntries, false));
  const std::string &t = edit->text;
  // Every line of the user's file is still there, in order.
  size_t at = 0;
  for (llvm::StringRef line : llvm::split(user, '\n')) {
    at = t.find(line.str(), at);
    ASSERT_NE(at, std::string::npos) << "lost: " << line.str() << "\n" << t;
  }
  // No second [env] or [target...] header: the entries went into the user's.
  EXPECT_EQ(llvm::StringRef(t).count("[env]"), 1u) << t;
  EXPECT_EQ(llvm::StringRef(t).count("[target.aarch64-unknown-linux-gnu]"), 1u) << t;
  EXPECT_EQ(value(t, "env.FOO"), "bar");
  EXPECT_EQ(value(t, "env.CC_aarch64_unknown_linux_gnu"), "/p/aarch64-unknown-linux-gnu-cc");
  EXPECT_EQ(value(t, "target.aarch64-unknown-linux-gnu.runner"),
            "/p/aarch64-unknown-linux-gnu-run");
  EXPECT_THAT(t, HasSubstr("[env]\n# >>> crosshim init"));
}

TEST(CargoConfig, ASecondRunChangesNothingAndNewValuesReplaceTheOld) {
  ASSERT_OK_AND_ASSIGN(first, editCargoConfig("[build]\njobs = 1\n", "c", kEntries, false));
  ASSERT_OK_AND_ASSIGN(second, editCargoConfig(first->text, "c", kEntries, false));
  EXPECT_EQ(second->text, first->text);

  std::vector<CargoEntry> moved = kEntries;
  for (CargoEntry &e : moved)
    e.value = "/q" + e.value.substr(2);
  ASSERT_OK_AND_ASSIGN(third, editCargoConfig(first->text, "c", moved, false));
  EXPECT_THAT(third->text, Not(HasSubstr("/p/")));
  EXPECT_EQ(value(third->text, "target.aarch64-unknown-linux-gnu.linker"),
            "/q/aarch64-unknown-linux-gnu-cc");
  EXPECT_EQ(llvm::StringRef(third->text).count(">>> crosshim init"), 1u);
}

TEST(CargoConfig, TheUsersOwnValueIsAConflictUnlessForced) {
  const std::string user = "[target.aarch64-unknown-linux-gnu]\nlinker = \"gcc\" # mine\n";
  auto err = test::errorOf(editCargoConfig(user, "config.toml", kEntries, false));
  EXPECT_EQ(err.code, ExitCode::Usage);
  EXPECT_THAT(err.message, HasSubstr("config.toml: line 2: target.aarch64-unknown-linux-gnu."
                                     "linker is already set to another value"));
  EXPECT_THAT(err.message, HasSubstr("--force"));

  ASSERT_OK_AND_ASSIGN(forced, editCargoConfig(user, "config.toml", kEntries, true));
  EXPECT_THAT(forced->text, HasSubstr("# replaced by crosshim init --force: linker = \"gcc\""));
  EXPECT_EQ(value(forced->text, "target.aarch64-unknown-linux-gnu.linker"),
            "/p/aarch64-unknown-linux-gnu-cc");
  ASSERT_EQ(forced->replaced.size(), 1u);
  EXPECT_THAT(forced->replaced[0], HasSubstr("was: linker = \"gcc\" # mine"));

  // The same value is no conflict, and is not written twice.
  const std::string same =
      "[target.aarch64-unknown-linux-gnu]\nlinker = \"/p/aarch64-unknown-linux-gnu-cc\"\n";
  ASSERT_OK_AND_ASSIGN(kept, editCargoConfig(same, "c", kEntries, false));
  EXPECT_EQ(llvm::StringRef(kept->text).count("linker ="), 1u) << kept->text;
}

TEST(CargoConfig, InlineTablesAndDottedKeysAreNotEdited) {
  auto inlineTable =
      test::errorOf(editCargoConfig("env = { FOO = \"1\" }\n", "c", kEntries, false));
  EXPECT_THAT(inlineTable.message,
              HasSubstr("env is written as an inline table or with dotted keys"));
  auto dotted = test::errorOf(
      editCargoConfig("target.aarch64-unknown-linux-gnu.rustflags = []\n", "c", kEntries, false));
  EXPECT_THAT(dotted.message, HasSubstr("target.aarch64-unknown-linux-gnu is written as"));
}

TEST(CargoConfig, BrokenInputIsRefused) {
  auto invalid = test::errorOf(editCargoConfig("[env\nX = 1\n", "config.toml", kEntries, false));
  EXPECT_EQ(invalid.code, ExitCode::Usage);
  EXPECT_THAT(invalid.message, HasSubstr("config.toml: line 1:"));
  EXPECT_THAT(invalid.message, HasSubstr("crosshim init edits only valid TOML"));
  auto open = test::errorOf(
      editCargoConfig("[build]\n# >>> crosshim init: written by `crosshim init` >>>\n[env]\n", "c",
                      kEntries, false));
  EXPECT_THAT(open.message, HasSubstr("line 2: the `crosshim init` block has no end marker"));
}

TEST(CargoConfig, ValuesAreQuoted) {
  EXPECT_EQ(tomlString("a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"");
  EXPECT_EQ(tomlString("tab\there"), "\"tab\\u0009here\"");
  const std::vector<CargoEntry> odd = {{{"env"}, "CC_x", "/my dir/\"q\"/cc"}};
  ASSERT_OK_AND_ASSIGN(edit, editCargoConfig("", "c", odd, false));
  EXPECT_EQ(value(edit->text, "env.CC_x"), "/my dir/\"q\"/cc");
}

TEST(CargoConfig, EntriesForATarget) {
  auto target = lookupTarget("armv7-unknown-linux-gnueabihf");
  ASSERT_TRUE(static_cast<bool>(target));
  std::vector<std::string> shown;
  for (const CargoEntry &e : cargoEntriesFor({&*target}, "/opt/x"))
    shown.push_back(llvm::join(e.table, ".") + "." + e.key + "=" + e.value);
  EXPECT_THAT(
      shown,
      ::testing::ElementsAre(
          "target.armv7-unknown-linux-gnueabihf.linker=/opt/x/armv7-unknown-linux-gnueabihf-cc",
          "target.armv7-unknown-linux-gnueabihf.runner=/opt/x/armv7-unknown-linux-gnueabihf-run",
          "env.CC_armv7_unknown_linux_gnueabihf=/opt/x/armv7-unknown-linux-gnueabihf-cc",
          "env.CXX_armv7_unknown_linux_gnueabihf=/opt/x/armv7-unknown-linux-gnueabihf-c++",
          "env.AR_armv7_unknown_linux_gnueabihf=/opt/x/armv7-unknown-linux-gnueabihf-ar",
          "env.RANLIB_armv7_unknown_linux_gnueabihf=/opt/x/armv7-unknown-linux-gnueabihf-ranlib",
          "env.PKG_CONFIG_armv7_unknown_linux_gnueabihf=/opt/x/"
          "armv7-unknown-linux-gnueabihf-pkg-config",
          "env.PKG_CONFIG_ALLOW_CROSS_armv7_unknown_linux_gnueabihf=1"));
}

// rustc gives a linker whose name it does not know as GNU the MSVC flavour
// (lld-link flags): the -link shim, not -cc. cc-rs 1.0 archives for msvc
// with lib.exe's `-out:` syntax: the -lib shim (llvm-lib), not llvm-ar.
TEST(CargoConfig, EntriesForAnMsvcTarget) {
  auto target = lookupTarget("x86_64-pc-windows-msvc");
  ASSERT_TRUE(static_cast<bool>(target));
  std::map<std::string, std::string> shown;
  for (const CargoEntry &e : cargoEntriesFor({&*target}, "/opt/x"))
    shown[llvm::join(e.table, ".") + "." + e.key] = e.value;
  EXPECT_EQ(shown["target.x86_64-pc-windows-msvc.linker"], "/opt/x/x86_64-pc-windows-msvc-link");
  EXPECT_EQ(shown["target.x86_64-pc-windows-msvc.runner"], "/opt/x/x86_64-pc-windows-msvc-run");
  EXPECT_EQ(shown["env.CC_x86_64_pc_windows_msvc"], "/opt/x/x86_64-pc-windows-msvc-cl");
  EXPECT_EQ(shown["env.CXX_x86_64_pc_windows_msvc"], "/opt/x/x86_64-pc-windows-msvc-cl");
  EXPECT_EQ(shown["env.AR_x86_64_pc_windows_msvc"], "/opt/x/x86_64-pc-windows-msvc-lib");
  // MinGW is GNU all the way.
  auto mingw = lookupTarget("x86_64-pc-windows-gnu");
  ASSERT_TRUE(static_cast<bool>(mingw));
  EXPECT_EQ(cargoToolsFor(*mingw).linker, "cc");
  EXPECT_EQ(cargoToolsFor(*mingw).ar, "ar");
}

TEST(CargoConfig, UnifiedDiff) {
  EXPECT_EQ(unifiedDiff("a\nb\n", "a\nb\n", "x", "x"), "");
  EXPECT_EQ(unifiedDiff("a\nb\nc\n", "a\nB\nc\nd\n", "old", "new"),
            "--- old\n+++ new\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n");
  EXPECT_EQ(unifiedDiff("", "x\n", "/dev/null", "f"),
            "--- /dev/null\n+++ f\n@@ -0,0 +1,1 @@\n+x\n");
}

} // namespace
} // namespace crosshim
