// The masquerade names: finding the real host tool on PATH while skipping
// crosshim itself, and the CROSSHIM_DEPTH recursion guard.
#include "shims/masquerade.h"

#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

namespace crosshim {
namespace {

using test::errorOf;
using test::TestDir;
using ::testing::HasSubstr;
using ::testing::Not;

// A directory with a stand-in crosshim binary, a masquerade folder whose cc
// links to it, and a folder with the "real" cc.
struct Farm {
  TestDir dir;
  std::string self = test::realPath(dir.makeExecutable("prefix/bin/crosshim"));
  std::string masquerade = dir.makeDir("prefix/lib/crosshim/masquerade");
  std::string realCc = dir.makeExecutable("usr/bin/cc");
  std::string realBin = dir / "usr/bin";

  Farm() { dir.makeSymlink("../../../bin/crosshim", "prefix/lib/crosshim/masquerade/cc"); }
};

TEST(FindRealTool, SkipsCrosshimItself) {
  Farm f;
  ASSERT_OK_AND_ASSIGN(found, findRealTool("cc", f.masquerade + ":" + f.realBin, f.self));
  EXPECT_EQ(*found, f.realCc);
}

TEST(FindRealTool, TakesTheFirstMatchOnPath) {
  Farm f;
  std::string other = f.dir.makeExecutable("opt/bin/cc");
  std::string otherBin = f.dir / "opt/bin";
  ASSERT_OK_AND_ASSIGN(first, findRealTool("cc", f.realBin + ":" + otherBin, f.self));
  EXPECT_EQ(*first, f.realCc);
  ASSERT_OK_AND_ASSIGN(second,
                       findRealTool("cc", otherBin + ":" + f.masquerade + ":" + f.realBin, f.self));
  EXPECT_EQ(*second, other);
}

TEST(FindRealTool, SkipsASymlinkChainToItself) {
  Farm f;
  // cc -> cc-link -> ../prefix/bin/crosshim, through a symlinked directory.
  f.dir.makeSymlink("../prefix/bin/crosshim", "chain/cc-link");
  f.dir.makeSymlink("chain", "chain-dir");
  f.dir.makeSymlink("../chain-dir/cc-link", "wrapper/cc");
  ASSERT_OK_AND_ASSIGN(found, findRealTool("cc", f.dir / "wrapper" + ":" + f.realBin, f.self));
  EXPECT_EQ(*found, f.realCc);
}

TEST(FindRealTool, SkipsAHardLinkToItself) {
  Farm f;
  std::string hard = f.dir.makeDir("hard");
  ASSERT_EQ(::link(f.self.c_str(), (hard + "/cc").c_str()), 0);
  ASSERT_OK_AND_ASSIGN(found, findRealTool("cc", hard + ":" + f.realBin, f.self));
  EXPECT_EQ(*found, f.realCc);
}

TEST(FindRealTool, SkipsNonExecutablesAndDirectories) {
  Farm f;
  f.dir.writeFile("noexec/cc", "#!/bin/sh\n", 0644);
  f.dir.makeDir("isdir/cc");
  ASSERT_OK_AND_ASSIGN(
      found,
      findRealTool("cc", f.dir / "noexec" + ":" + f.dir / "isdir" + ":" + f.realBin, f.self));
  EXPECT_EQ(*found, f.realCc);
}

TEST(FindRealTool, EmptyPathEntriesAreIgnored) {
  Farm f;
  ASSERT_OK_AND_ASSIGN(found,
                       findRealTool("cc", "::" + f.masquerade + "::" + f.realBin + ":", f.self));
  EXPECT_EQ(*found, f.realCc);
}

TEST(FindRealTool, ReturnsThePathAsSpelledOnPath) {
  Farm f;
  f.dir.makeSymlink("usr/bin", "bin"); // a merged-/usr style link
  ASSERT_OK_AND_ASSIGN(found, findRealTool("cc", f.dir / "bin", f.self));
  EXPECT_EQ(*found, f.dir / "bin/cc");
}

TEST(FindRealTool, OnlyItselfIsARecursiveInvocation) {
  Farm f;
  std::string second = f.dir.makeDir("second-masquerade");
  f.dir.makeSymlink(f.self, "second-masquerade/cc");
  auto err = errorOf(findRealTool("cc", f.masquerade + ":" + second, f.self));
  EXPECT_TRUE(err.isShimError);
  EXPECT_EQ(err.code, ExitCode::Failure);
  EXPECT_THAT(err.message, HasSubstr("recursive invocation"));
  EXPECT_THAT(err.message, HasSubstr("'cc'"));
  EXPECT_THAT(err.message, HasSubstr("2 skipped"));
}

TEST(FindRealTool, NothingOnPath) {
  Farm f;
  auto err = errorOf(findRealTool("c++", f.masquerade + ":" + f.realBin, f.self));
  EXPECT_EQ(err.code, ExitCode::Failure);
  EXPECT_THAT(err.message, HasSubstr("'c++'"));
  EXPECT_THAT(err.message, Not(HasSubstr("recursive")));
  EXPECT_EQ(errorOf(findRealTool("cc", "", f.self)).code, ExitCode::Failure);
}

TEST(RecursionDepth, BelowTheLimit) {
  {
    ASSERT_OK_AND_ASSIGN(d, checkRecursionDepth(Env()));
    EXPECT_EQ(*d, 0u);
  }
  {
    ASSERT_OK_AND_ASSIGN(d, checkRecursionDepth(Env{"CROSSHIM_DEPTH=3"}));
    EXPECT_EQ(*d, 3u);
  }
  {
    ASSERT_OK_AND_ASSIGN(
        d, checkRecursionDepth(Env{"CROSSHIM_DEPTH=" + std::to_string(kMaxDepth - 1)}));
    EXPECT_EQ(*d, kMaxDepth - 1);
  }
}

TEST(RecursionDepth, AtOrPastTheLimitIsAnError) {
  for (unsigned value : {kMaxDepth, kMaxDepth + 1, 1000u}) {
    SCOPED_TRACE(value);
    auto err = errorOf(checkRecursionDepth(Env{"CROSSHIM_DEPTH=" + std::to_string(value)}));
    EXPECT_TRUE(err.isShimError);
    EXPECT_EQ(err.code, ExitCode::Failure);
    EXPECT_THAT(err.message, HasSubstr("recursive invocation"));
    EXPECT_THAT(err.message, HasSubstr("CROSSHIM_DEPTH"));
    EXPECT_THAT(err.message, HasSubstr(std::to_string(value)));
  }
}

TEST(RecursionDepth, UnreadableValuesCountAsZero) {
  for (const char *value : {"", "abc", "-1", "3x"}) {
    SCOPED_TRACE(value);
    ASSERT_OK_AND_ASSIGN(d, checkRecursionDepth(Env{"CROSSHIM_DEPTH=" + std::string(value)}));
    EXPECT_EQ(*d, 0u);
  }
}

} // namespace
} // namespace crosshim
