// The plan of a shim invocation (makePlan) and the run of a link (runLink),
// with the real toolchain discovery (clang and ld.lld on PATH), the real
// sysroot search and a real link. Each plan gets its environment as an Env:
// the process's own variables must not reach it, and making it writes no
// file (HOME, XDG_CACHE_HOME and the working directory are test folders,
// compared before and after).
#include "shims/program_name.h"
#include "shims/shim.h"
#include "shims/toolchain.h"
#include "support/env.h"
#include "support/process.h"
#include "test_support.h"

#include "diagnostics/report.h"

#include <llvm/ADT/Triple.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/FileSystem.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace crosshim {
namespace {

using test::TestDir;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

using Args = std::vector<std::string>;

// Every file and folder under `root`.
std::set<std::string> treeOf(const std::string &root) {
  std::set<std::string> tree;
  for (const auto &entry : std::filesystem::recursive_directory_iterator(root))
    tree.insert(entry.path().string());
  return tree;
}

bool isDebianCrossInstalled(const char *gnu) {
  return llvm::sys::fs::exists(std::string("/usr/") + gnu + "/lib/libc.so.6");
}

class PlanTest : public ::testing::Test {
protected:
  TestDir dir;
  const std::string work = dir.makeDir("work");
  test::ScopedCwd cwd{work}; // a crosshim.toml search starts here
  // What every plan here is given: a PATH with clang and ld.lld, the user's
  // folders in the test's directory, and a LIBRARY_PATH like CUDA's.
  const Env env{"PATH=/usr/bin:/bin",
                "HOME=" + dir.makeDir("home"),
                "XDG_CACHE_HOME=" + dir.makeDir("cache"),
                "XDG_CONFIG_HOME=" + dir.makeDir("config"),
                "XDG_DATA_HOME=" + dir.makeDir("data"),
                "LIBRARY_PATH=/usr/local/cuda/lib64/stubs",
                "KEEP_ME=1"};

  ProgramName nameOf(const std::string &base) const {
    auto name = parseProgramName(dir / ("farm/" + base));
    EXPECT_TRUE(static_cast<bool>(name)) << llvm::toString(name.takeError());
    return *name;
  }

  // makePlan, checking that it wrote nothing under the test's directory
  // (the user's folders, the cache, the working directory).
  llvm::Expected<Plan> plan(const std::string &name, const Args &args, const Env &with) const {
    const std::set<std::string> before = treeOf(dir.path());
    auto plan = makePlan(nameOf(name), args, with);
    EXPECT_EQ(treeOf(dir.path()), before) << "making the plan wrote a file";
    return plan;
  }

  // The clang the real discovery finds with `env`.
  std::string clang() const {
    auto found = Toolchain(TargetSettings(), "", env).find("clang");
    EXPECT_TRUE(static_cast<bool>(found)) << llvm::toString(found.takeError());
    return found ? found->path : "";
  }
};

TEST_F(PlanTest, GnuNameCompile) {
  if (!isDebianCrossInstalled("aarch64-linux-gnu"))
    GTEST_SKIP() << "libc6-dev-arm64-cross is not installed (install/debian-packages.sh --tests)";
  ASSERT_OK_AND_ASSIGN(p, plan("aarch64-linux-gnu-gcc", {"-c", "x.c"}, env));
  ASSERT_NE(p->target, nullptr);
  EXPECT_EQ(p->target->rust, "aarch64-unknown-linux-gnu");
  EXPECT_EQ(p->command.mode, Mode::Compile);
  EXPECT_EQ(p->program.path, clang());
  EXPECT_THAT(p->command.argv,
              ElementsAre(clang(), "--start-no-unused-arguments",
                          "--target=aarch64-unknown-linux-gnu", "--sysroot=/usr/aarch64-linux-gnu",
                          "--gcc-toolchain=/usr", "--end-no-unused-arguments", "-c", "x.c"));
  ASSERT_TRUE(p->sysroot.has_value());
  EXPECT_EQ(p->sysroot->layout, Layout::DebianCross);
  // The tool runs in the plan's environment, without the build machine's
  // search paths.
  const std::vector<std::string> child = childEnvironment(p->env, p->command.unsetEnv, {});
  EXPECT_THAT(child, Contains("KEEP_ME=1"));
  EXPECT_THAT(child, Not(Contains(HasSubstr("LIBRARY_PATH="))));
  EXPECT_THAT(child, Contains("PATH=/usr/bin:/bin"));
}

TEST_F(PlanTest, RustNameLinkUsesTheLldDiscoveryFinds) {
  if (!isDebianCrossInstalled("aarch64-linux-gnu"))
    GTEST_SKIP() << "libc6-dev-arm64-cross is not installed (install/debian-packages.sh --tests)";
  ASSERT_OK_AND_ASSIGN(p, plan("aarch64-unknown-linux-gnu-cc", {"x.o", "-o", "x"}, env));
  EXPECT_EQ(p->command.mode, Mode::Link);
  auto lld = Toolchain(TargetSettings(), "", env).find("ld.lld");
  ASSERT_TRUE(static_cast<bool>(lld)) << llvm::toString(lld.takeError());
  EXPECT_THAT(p->command.argv, Contains("--ld-path=" + lld->path));
  EXPECT_THAT(p->command.argv, Contains("-Wl,--sysroot=/"));
  EXPECT_THAT(Args(p->command.argv.end() - 3, p->command.argv.end()),
              ElementsAre("x.o", "-o", "x"));
  EXPECT_THAT(p->command.unsetEnv, Contains("LIBRARY_PATH"));
}

TEST_F(PlanTest, MsvcClFromTheNamedSdkMakesNoLink) {
  for (const char *d : {"crt/include", "sdk/include/ucrt", "sdk/include/um", "sdk/include/shared",
                        "crt/lib/x86_64", "sdk/lib/um/x86_64", "sdk/lib/ucrt/x86_64"})
    dir.makeDir(std::string("xwin/") + d);
  const std::string sdk = dir / "xwin";
  const Env msvc = env.with("CROSSHIM_SYSROOT_X86_64_PC_WINDOWS_MSVC", sdk);
  ASSERT_OK_AND_ASSIGN(p, plan("x86_64-pc-windows-msvc-cl", {"/c", "x.c"}, msvc));
  auto clangCl = Toolchain(TargetSettings(), "", env).find("clang-cl");
  ASSERT_TRUE(static_cast<bool>(clangCl)) << llvm::toString(clangCl.takeError());
  EXPECT_THAT(p->command.argv,
              ElementsAre(clangCl->path, "--target=x86_64-pc-windows-msvc", "/imsvc",
                          sdk + "/crt/include", "/imsvc", sdk + "/sdk/include/ucrt", "/imsvc",
                          sdk + "/sdk/include/um", "/imsvc", sdk + "/sdk/include/shared", "/c",
                          "x.c"));
  EXPECT_EQ(p->sysroot->source, "CROSSHIM_SYSROOT_X86_64_PC_WINDOWS_MSVC");
  // The link and lib shims the driver's links go through are named in the
  // cache of the plan's environment; runShim makes them, the plan does not.
  ASSERT_EQ(p->links.size(), 2u);
  EXPECT_EQ(p->links[0].link, dir / "cache/crosshim/msvc-bin/x86_64-pc-windows-msvc-link");
  EXPECT_EQ(p->links[1].link, dir / "cache/crosshim/msvc-bin/x86_64-pc-windows-msvc-lib");
  EXPECT_THAT(treeOf(dir / "cache"), IsEmpty());
}

TEST_F(PlanTest, MasqueradeNameTakesItsTargetFromThePassedEnvironmentOnly) {
  if (!isDebianCrossInstalled("aarch64-linux-gnu"))
    GTEST_SKIP() << "libc6-dev-arm64-cross is not installed (install/debian-packages.sh --tests)";
  ASSERT_OK_AND_ASSIGN(
      cross, plan("cc", {"-c", "x.c"}, env.with("CROSSHIM_TARGET", "aarch64-unknown-linux-gnu")));
  ASSERT_NE(cross->target, nullptr);
  EXPECT_EQ(cross->target->rust, "aarch64-unknown-linux-gnu");
  EXPECT_THAT(cross->command.argv, Contains("--target=aarch64-unknown-linux-gnu"));

  // The process's CROSSHIM_TARGET is not the plan's: without one in the
  // passed environment, cc is the host's own compiler from its PATH.
  test::ScopedEnv processTarget("CROSSHIM_TARGET", std::string("aarch64-unknown-linux-gnu"));
  ASSERT_OK_AND_ASSIGN(host, plan("cc", {"-c", "x.c"}, env));
  EXPECT_EQ(host->target, nullptr);
  EXPECT_EQ(host->command.argv.front(), host->program.path);
  EXPECT_THAT(host->program.path, HasSubstr("/cc"));
  EXPECT_THAT(Args(host->command.argv.begin() + 1, host->command.argv.end()),
              ElementsAre("-c", "x.c"));
}

TEST_F(PlanTest, ConfigurationFileFlagsAndSysrootFromTheEnvironment) {
  const std::string config = dir.writeFile(
      "project.toml", "[target.aarch64-unknown-linux-gnu]\ncflags = [\"-DFROM_CONFIG\"]\n");
  const std::string sysroot = dir.makeDir("sysroot");
  dir.makeDir("sysroot/usr/lib/aarch64-linux-gnu");
  const std::string key = "CROSSHIM_SYSROOT_AARCH64_UNKNOWN_LINUX_GNU";
  const Env configured = env.with("CROSSHIM_CONFIG", config).with(key, sysroot);
  ASSERT_OK_AND_ASSIGN(p, plan("aarch64-unknown-linux-gnu-cc", {"-c", "x.c"}, configured));
  EXPECT_EQ(p->configPath, config);
  EXPECT_THAT(p->command.argv, Contains("-DFROM_CONFIG"));
  EXPECT_THAT(p->command.argv, Contains("--sysroot=" + sysroot));
  EXPECT_EQ(p->sysroot->source, key);
  EXPECT_EQ(p->sysroot->layout, Layout::Multiarch);
  EXPECT_EQ(p->command.argv.back(), "x.c");

  // The same name with neither in its environment: no configuration, and
  // not that sysroot, even with both set in the process's.
  test::ScopedEnv processConfig("CROSSHIM_CONFIG", config);
  test::ScopedEnv processSysroot(key.c_str(), sysroot);
  if (!isDebianCrossInstalled("aarch64-linux-gnu"))
    GTEST_SKIP() << "libc6-dev-arm64-cross is not installed (install/debian-packages.sh --tests)";
  ASSERT_OK_AND_ASSIGN(plain, plan("aarch64-unknown-linux-gnu-cc", {"-c", "x.c"}, env));
  EXPECT_EQ(plain->configPath, "");
  EXPECT_THAT(plain->command.argv, Not(Contains("-DFROM_CONFIG")));
  EXPECT_NE(plain->sysroot->path, sysroot);
}

// runLink: the real clang and ld.lld link for aarch64 against Debian's cross
// libc; a failure is explained from what the linker printed.
class LinkRunTest : public PlanTest {
protected:
  void SetUp() override {
    if (!isDebianCrossInstalled("aarch64-linux-gnu"))
      GTEST_SKIP() << "libc6-dev-arm64-cross is not installed (install/debian-packages.sh --tests)";
  }

  const std::string tmp = dir.makeDir("tmp");
  const Env linkEnv = env.with("TMPDIR", tmp).with("CROSSHIM_REPORT", dir / "report.json");

  llvm::Expected<LinkRun> link(const std::string &source, const Args &extra, const Env &with) {
    const std::string c = dir.writeFile("work/main.c", source);
    Args args = {c, "-o", dir / "work/main"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto p = plan("aarch64-unknown-linux-gnu-cc", args, with);
    if (!p)
      return p.takeError();
    auto run = runLink(*p, p->program.path, p->command.argv,
                       childEnvironment(p->env, p->command.unsetEnv, {}));
    // clang's private TMPDIR (a C file compiled on the way) is gone.
    EXPECT_THAT(treeOf(tmp), IsEmpty());
    return run;
  }

  static std::set<std::string> kindsOf(const diag::Report &report) {
    std::set<std::string> kinds;
    for (const diag::Finding &f : report.findings())
      kinds.insert(f.kind);
    return kinds;
  }
};

TEST_F(LinkRunTest, AnUndefinedSymbolIsExplained) {
  ASSERT_OK_AND_ASSIGN(run, link("void crosshim_no_such_function(void);\n"
                                 "int main(void) { crosshim_no_such_function(); return 0; }\n",
                                 {}, linkEnv));
  EXPECT_EQ(run->status.signal, 0);
  EXPECT_NE(run->status.exitCode, 0);
  EXPECT_THAT(run->status.stderrCopy, HasSubstr("crosshim_no_such_function"));
  ASSERT_TRUE(run->report.has_value());
  EXPECT_THAT(kindsOf(*run->report), Contains("undefined-symbol"));
  EXPECT_TRUE(run->report->hasErrors());
  // CROSSHIM_REPORT of the plan's environment.
  const std::vector<std::string> json = test::readLines(dir / "report.json");
  EXPECT_THAT(json, Contains(HasSubstr("\"undefined-symbol\"")));
}

TEST_F(LinkRunTest, ASymbolOfALibraryNotLinkedNamesTheLibrary) {
  ASSERT_OK_AND_ASSIGN(run, link("double cos(double);\nvolatile double x = 1;\n"
                                 "int main(void) { return (int)cos(x); }\n",
                                 {}, linkEnv));
  EXPECT_NE(run->status.exitCode, 0);
  ASSERT_TRUE(run->report.has_value());
  const auto &findings = run->report->findings();
  auto it = llvm::find_if(
      findings, [](const diag::Finding &f) { return f.kind == "library-not-on-command-line"; });
  ASSERT_NE(it, findings.end()) << "kinds: " << testing::PrintToString(kindsOf(*run->report));
  EXPECT_THAT(it->fix, HasSubstr("-lm"));
}

TEST_F(LinkRunTest, ASuccessfulLinkIsAuditedAndExitsZero) {
  ASSERT_OK_AND_ASSIGN(run, link("int main(void) { return 0; }\n", {}, linkEnv));
  EXPECT_EQ(run->status.exitCode, 0) << run->status.stderrCopy;
  ASSERT_TRUE(run->report.has_value());
  EXPECT_FALSE(run->report->hasErrors());
  auto binary = llvm::object::ObjectFile::createObjectFile(dir / "work/main");
  ASSERT_TRUE(static_cast<bool>(binary)) << llvm::toString(binary.takeError());
  EXPECT_EQ(binary->getBinary()->getArch(), llvm::Triple::aarch64);

  // CROSSHIM_DIAGNOSE=0 in the plan's environment: no checks at all.
  ASSERT_OK_AND_ASSIGN(quiet, link("void crosshim_no_such_function(void);\n"
                                   "int main(void) { crosshim_no_such_function(); return 0; }\n",
                                   {}, linkEnv.with("CROSSHIM_DIAGNOSE", "0")));
  EXPECT_NE(quiet->status.exitCode, 0);
  EXPECT_FALSE(quiet->report.has_value());
}

} // namespace
} // namespace crosshim
