// Finding the LLVM tools: an explicit prefix (config `llvm`, CROSSHIM_LLVM)
// is used or is an error, never a fall-through.
#include "shims/toolchain.h"

#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace crosshim {
namespace {

using test::errorOf;
using test::TestDir;
using ::testing::HasSubstr;

TEST(Toolchain, ConfigPrefix) {
  TestDir dir;
  std::string clang = dir.makeExecutable("llvm/bin/clang");
  TargetSettings settings;
  settings.llvm = dir / "llvm";
  settings.llvmLine = 3;
  // The config wins over CROSSHIM_LLVM.
  Toolchain toolchain(settings, "/p/crosshim.toml", Env{"CROSSHIM_LLVM=" + dir / "elsewhere"});
  ASSERT_OK_AND_ASSIGN(found, toolchain.find("clang"));
  EXPECT_EQ(found->path, clang);
  EXPECT_THAT(found->reason, HasSubstr("config /p/crosshim.toml:3"));

  auto err = errorOf(toolchain.find("ld.lld"));
  EXPECT_EQ(err.code, ExitCode::Failure);
  EXPECT_THAT(err.message, HasSubstr("has no ld.lld"));
  EXPECT_THAT(err.message, HasSubstr("/p/crosshim.toml:3"));
}

TEST(Toolchain, PrefixMayBeTheBinDirectory) {
  TestDir dir;
  std::string lld = dir.makeExecutable("bindir/ld.lld");
  TargetSettings settings;
  settings.llvm = dir / "bindir";
  ASSERT_OK_AND_ASSIGN(found, Toolchain(settings, "", Env()).find("ld.lld"));
  EXPECT_EQ(found->path, lld);
}

TEST(Toolchain, EnvironmentPrefix) {
  TestDir dir;
  std::string ar = dir.makeExecutable("llvm/bin/llvm-ar");
  dir.writeFile("llvm/bin/clang", "", 0644); // not executable
  Toolchain toolchain{TargetSettings(), "", Env{"CROSSHIM_LLVM=" + dir / "llvm"}};
  ASSERT_OK_AND_ASSIGN(found, toolchain.find("llvm-ar"));
  EXPECT_EQ(found->path, ar);
  EXPECT_THAT(found->reason, HasSubstr("CROSSHIM_LLVM"));
  auto err = errorOf(toolchain.find("clang"));
  EXPECT_THAT(err.message, HasSubstr("CROSSHIM_LLVM=" + dir / "llvm"));
  // Not "has no clang": the file is there, it cannot be run.
  EXPECT_THAT(err.message, HasSubstr(dir / "llvm/bin/clang" + " is not executable"));
}

TEST(Toolchain, VersionsNewestFirst) {
  auto versions = llvmVersionsToTry();
  ASSERT_FALSE(versions.empty());
  EXPECT_TRUE(std::is_sorted(versions.rbegin(), versions.rend()));
  EXPECT_NE(llvm::find(versions, 14u), versions.end());
  EXPECT_NE(llvm::find(versions, 16u), versions.end());
}

TEST(Toolchain, SelfIsTheRunningExecutable) {
  EXPECT_TRUE(llvm::StringRef(selfExecutable()).startswith("/"));
  EXPECT_TRUE(isSelf("/proc/self/exe"));
  EXPECT_TRUE(isSelf(selfExecutable()));
  EXPECT_FALSE(isSelf("/bin/sh"));
}

} // namespace
} // namespace crosshim
