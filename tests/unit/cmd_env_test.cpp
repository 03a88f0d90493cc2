// crosshim env (cmd_env.h): the variables, the --host value, and quoting
// that each syntax reads back byte for byte. The sh output is also read back
// by a real /bin/sh here; fish and make are checked by the e2e test
// (tests/e2e/autotools-env.sh) where the tools exist.
#include "cli/cmd_env.h"
#include "cli/commands.h"
#include "support/process.h"
#include "shims/targets.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crosshim {
namespace {

using test::sysrootAt;
using test::target;

using test::TestDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string quoted(llvm::StringRef value, EnvSyntax syntax) {
  auto q = quoteEnvValue(value, syntax);
  EXPECT_TRUE(static_cast<bool>(q)) << llvm::toString(q.takeError());
  return q ? *q : std::string();
}

TEST(CmdEnv, SyntaxNames) {
  EXPECT_EQ(parseEnvSyntax("sh"), EnvSyntax::Sh);
  EXPECT_EQ(parseEnvSyntax("fish"), EnvSyntax::Fish);
  EXPECT_EQ(parseEnvSyntax("make"), EnvSyntax::Make);
  EXPECT_EQ(parseEnvSyntax("bash"), std::nullopt);
  EXPECT_EQ(parseEnvSyntax(""), std::nullopt);
}

TEST(CmdEnv, TheHostValueIsTheGnuTriple) {
  EXPECT_EQ(configureHost(target("aarch64-unknown-linux-gnu")), "aarch64-linux-gnu");
  EXPECT_EQ(configureHost(target("armv7-unknown-linux-gnueabihf")), "arm-linux-gnueabihf");
  EXPECT_EQ(configureHost(target("i686-unknown-linux-gnu")), "i686-linux-gnu");
  EXPECT_EQ(configureHost(target("x86_64-unknown-linux-musl")), "x86_64-linux-musl");
  // No GNU spelling of its own (arm-linux-gnueabihf is armv7's): the clang triple.
  EXPECT_EQ(configureHost(target("arm-unknown-linux-gnueabihf")), "armv6-unknown-linux-gnueabihf");
}

TEST(CmdEnv, TheVariablesNameTheRustTripleShims) {
  auto vars = envVariables(target("aarch64-unknown-linux-gnu"), "/opt/x/lib/crosshim/bin");
  std::vector<std::string> lines;
  for (const EnvVariable &v : vars)
    lines.push_back(v.name + "=" + v.value);
  EXPECT_THAT(lines,
              ElementsAre("CC=/opt/x/lib/crosshim/bin/aarch64-unknown-linux-gnu-cc",
                          "CXX=/opt/x/lib/crosshim/bin/aarch64-unknown-linux-gnu-c++",
                          "AR=/opt/x/lib/crosshim/bin/aarch64-unknown-linux-gnu-ar",
                          "RANLIB=/opt/x/lib/crosshim/bin/aarch64-unknown-linux-gnu-ranlib",
                          "PKG_CONFIG=/opt/x/lib/crosshim/bin/aarch64-unknown-linux-gnu-pkg-config",
                          "CROSSHIM_HOST=aarch64-linux-gnu"));
}

TEST(CmdEnv, MingwTargetsAlsoGetTheResourceCompiler) {
  std::vector<std::string> lines;
  for (const EnvVariable &v : envVariables(target("x86_64-pc-windows-gnu"), "/b"))
    lines.push_back(v.name + "=" + v.value);
  EXPECT_THAT(
      lines,
      ElementsAre("CC=/b/x86_64-pc-windows-gnu-cc", "CXX=/b/x86_64-pc-windows-gnu-c++",
                  "AR=/b/x86_64-pc-windows-gnu-ar", "RANLIB=/b/x86_64-pc-windows-gnu-ranlib",
                  "PKG_CONFIG=/b/x86_64-pc-windows-gnu-pkg-config",
                  "RC=/b/x86_64-pc-windows-gnu-windres", "WINDRES=/b/x86_64-pc-windows-gnu-windres",
                  "CROSSHIM_HOST=x86_64-w64-mingw32"));
}

TEST(CmdEnv, ShQuoting) {
  EXPECT_EQ(quoted("/usr/lib/crosshim/bin/x-cc", EnvSyntax::Sh), "'/usr/lib/crosshim/bin/x-cc'");
  EXPECT_EQ(quoted("/my farm/it's", EnvSyntax::Sh), "'/my farm/it'\\''s'");
  EXPECT_EQ(quoted("$HOME `x` \\", EnvSyntax::Sh), "'$HOME `x` \\'");
}

TEST(CmdEnv, FishQuoting) {
  EXPECT_EQ(quoted("/my farm/x-cc", EnvSyntax::Fish), "'/my farm/x-cc'");
  // Inside fish's single quotes, \' and \\ are the only escapes.
  EXPECT_EQ(quoted("it's a\\b $x", EnvSyntax::Fish), "'it\\'s a\\\\b $x'");
}

TEST(CmdEnv, MakeQuoting) {
  // A plain path stays plain: the exported variable is then the path itself.
  EXPECT_EQ(quoted("/usr/lib/crosshim/bin/aarch64-unknown-linux-gnu-c++", EnvSyntax::Make),
            "/usr/lib/crosshim/bin/aarch64-unknown-linux-gnu-c++");
  // The recipe's shell must see one word; make must not expand $ or cut at #.
  EXPECT_EQ(quoted("/my farm/x-cc", EnvSyntax::Make), "'/my farm/x-cc'");
  EXPECT_EQ(quoted("/a$b/#c/it's", EnvSyntax::Make), "'/a$$b/\\#c/it'\\''s'");
  auto newline = test::errorOf(quoteEnvValue("/a\nb", EnvSyntax::Make));
  EXPECT_THAT(newline.message, HasSubstr("cannot hold a newline"));
}

TEST(CmdEnv, TheWholeText) {
  std::vector<EnvVariable> vars = {{"CC", "/f f/cc"}, {"CROSSHIM_HOST", "aarch64-linux-gnu"}};
  auto sh = formatEnv(vars, {"a comment"}, EnvSyntax::Sh);
  ASSERT_TRUE(static_cast<bool>(sh));
  EXPECT_EQ(*sh, "# a comment\nexport CC='/f f/cc'\nexport CROSSHIM_HOST='aarch64-linux-gnu'\n");
  auto fish = formatEnv(vars, {}, EnvSyntax::Fish);
  ASSERT_TRUE(static_cast<bool>(fish));
  EXPECT_EQ(*fish, "set -gx CC '/f f/cc'\nset -gx CROSSHIM_HOST 'aarch64-linux-gnu'\n");
  auto make = formatEnv(vars, {}, EnvSyntax::Make);
  ASSERT_TRUE(static_cast<bool>(make));
  EXPECT_EQ(*make, "export CC := '/f f/cc'\nexport CROSSHIM_HOST := aarch64-linux-gnu\n");
}

// /bin/sh reads the sh text back to the same bytes, awkward characters and all.
TEST(CmdEnv, ShReadsTheValuesBack) {
  TestDir dir;
  const std::string nasty = "/a b/it's \"q\" $HOME `id` \\ *\n\ttab";
  auto text = formatEnv({{"CC", nasty}}, {"comment"}, EnvSyntax::Sh);
  ASSERT_TRUE(static_cast<bool>(text));
  const std::string script = dir.writeFile("env.sh", *text);
  const std::string out = dir / "out";
  auto status = runProgram(
      "/bin/sh", {"/bin/sh", "-c", ". \"$0\" && printf '%s' \"$CC\" >\"$1\"", script, out},
      childEnvironment(Env::process(), {}, {}), 0);
  ASSERT_TRUE(static_cast<bool>(status)) << llvm::toString(status.takeError());
  EXPECT_EQ(status->exitCode, 0);
  auto lines = test::readLines(out);
  std::string got;
  for (size_t i = 0; i < lines.size(); ++i)
    got += (i ? "\n" : "") + lines[i];
  EXPECT_EQ(got, nasty);
}

TEST(CmdEnv, UsageErrors) {
  // No CROSSHIM_TARGET in the environment.
  auto run = [](std::vector<std::string> args) { return test::errorOf(cmdEnv(args, Env())); };
  auto noTarget = run({"--shell", "sh"});
  EXPECT_EQ(noTarget.code, ExitCode::Usage);
  EXPECT_THAT(noTarget.message, HasSubstr("env needs --target"));
  auto badShell = run({"--target", "aarch64-unknown-linux-gnu", "--shell=csh"});
  EXPECT_EQ(badShell.code, ExitCode::Usage);
  EXPECT_THAT(badShell.message, HasSubstr("--shell must be sh, fish or make, not 'csh'"));
  auto noValue = run({"--target"});
  EXPECT_EQ(noValue.code, ExitCode::Usage);
  EXPECT_THAT(noValue.message, HasSubstr("--target needs a value"));
  auto unknown = run({"--target", "aarch64-unknown-linux-gnu", "--sh"});
  EXPECT_EQ(unknown.code, ExitCode::Usage);
  EXPECT_THAT(unknown.message, HasSubstr("unknown option '--sh'"));
  auto stray = run({"aarch64-unknown-linux-gnu"});
  EXPECT_THAT(stray.message, HasSubstr("unknown argument 'aarch64-unknown-linux-gnu'"));
  auto badTarget = run({"--target", "aarch65-linux-gnu"});
  EXPECT_EQ(badTarget.code, ExitCode::Usage);
}

TEST(CmdEnv, NamesThatAreNotInstalledAreAnError) {
  TestDir dir;
  dir.makeExecutable("farm/aarch64-unknown-linux-gnu-cc");
  auto err = test::errorOf(
      cmdEnv({"--target", "aarch64-unknown-linux-gnu", "--dir", dir / "farm"}, Env()));
  EXPECT_EQ(err.code, ExitCode::Failure);
  EXPECT_THAT(err.message, HasSubstr("not installed in " + dir / "farm"));
  EXPECT_THAT(err.message,
              HasSubstr("missing: aarch64-unknown-linux-gnu-c++, "
                        "aarch64-unknown-linux-gnu-ar, aarch64-unknown-linux-gnu-ranlib, "
                        "aarch64-unknown-linux-gnu-pkg-config"));
  EXPECT_THAT(err.message, HasSubstr("crosshim install-links"));
}

} // namespace
} // namespace crosshim
