// The child's environment and the private temporary directory.
#include "support/process.h"

#include "test_support.h"

#include <llvm/Support/FileSystem.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

namespace crosshim {
namespace {

using ::testing::Contains;
using ::testing::Not;

TEST(ChildEnvironment, UnsetsAndSets) {
  const Env parent{"CROSSHIM_TEST_KEEP=1", "LIBRARY_PATH=/opt/cuda/lib64/stubs", "CROSSHIM_DEPTH=2",
                   "LIBRARY_PATHS=x"};
  std::vector<std::string> env =
      childEnvironment(parent, {"LIBRARY_PATH", "CPATH"}, {"CROSSHIM_DEPTH=3"});
  EXPECT_THAT(env, Contains("CROSSHIM_TEST_KEEP=1"));
  EXPECT_THAT(env, Not(Contains("LIBRARY_PATH=/opt/cuda/lib64/stubs")));
  EXPECT_THAT(env, Contains("CROSSHIM_DEPTH=3"));
  EXPECT_THAT(env, Not(Contains("CROSSHIM_DEPTH=2")));
  // A name that only starts like an unset one stays.
  EXPECT_THAT(env, Contains("LIBRARY_PATHS=x"));
  // Only the parent's variables: not the process's own.
  EXPECT_EQ(env.size(), 3u);
}

TEST(PrivateTempDir, IsPrivateAndRemovedWithItsContents) {
  test::TestDir tmp;
  std::string path;
  {
    auto dir = TempDir::create(Env{"TMPDIR=" + tmp.path()}, "crosshim-unit");
    ASSERT_TRUE(static_cast<bool>(dir)) << llvm::toString(dir.takeError());
    path = dir->path();
    EXPECT_EQ(path.rfind(tmp / "crosshim-unit-", 0), 0u) << path;
    struct stat st;
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    FILE *f = fopen((path + "/args.rsp").c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs("-c\n", f);
    fclose(f);

    TempDir moved = std::move(*dir); // the moved-from object removes nothing
    EXPECT_EQ(moved.path(), path);
  }
  EXPECT_FALSE(llvm::sys::fs::exists(path));
}

} // namespace
} // namespace crosshim
