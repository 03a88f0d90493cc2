// Looking at paths without following them (support/fs.h).
#include "support/fs.h"

#include "test_support.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace crosshim {
namespace {

TEST(Fs, EntryTypesDoNotFollowLinks) {
  test::TestDir tmp;
  const std::string file = tmp.writeFile("f", "x");
  const std::string dir = tmp.makeDir("d");
  const std::string toDir = tmp.makeSymlink("d", "to-dir");
  const std::string dangling = tmp.makeSymlink("nowhere", "dangling");
  EXPECT_EQ(entryType(file), EntryType::Regular);
  EXPECT_EQ(entryType(dir), EntryType::Directory);
  EXPECT_EQ(entryType(toDir), EntryType::Symlink);
  EXPECT_EQ(entryType("/dev/null"), EntryType::Other);
  EXPECT_TRUE(isRealDirectory(dir));
  EXPECT_FALSE(isRealDirectory(toDir));
  EXPECT_TRUE(isRealFile(file));
  EXPECT_TRUE(isSymlink(dangling));
  EXPECT_TRUE(lexists(dangling)); // there, though it leads nowhere
  int err = 0;
  EXPECT_EQ(entryType(tmp / "missing", &err), EntryType::None);
  EXPECT_EQ(err, ENOENT);
  EXPECT_EQ(entryType(file + "/below", &err), EntryType::None);
  EXPECT_EQ(err, ENOTDIR);
  EXPECT_FALSE(lexists(tmp / "missing"));
}

TEST(Fs, ReadsLinkTextAsWritten) {
  test::TestDir tmp;
  tmp.makeSymlink("../a/./b", "rel");
  // Longer than the first buffer: read in full, not cut.
  const std::string longText = "/" + std::string(300, 'x') + "/" + std::string(200, 'y');
  tmp.makeSymlink(longText, "long");
  EXPECT_EQ(readSymlink(tmp / "rel"), "../a/./b");
  EXPECT_EQ(readSymlink(tmp / "long"), longText);
  int err = 0;
  EXPECT_EQ(readSymlink(tmp.writeFile("plain", ""), &err), std::nullopt);
  EXPECT_EQ(err, EINVAL);
  EXPECT_EQ(readSymlink(tmp / "missing", &err), std::nullopt);
  EXPECT_EQ(err, ENOENT);

  const int dirFd = ::open(tmp.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(dirFd, 0);
  EXPECT_EQ(readSymlinkAt(dirFd, "rel"), "../a/./b");
  EXPECT_EQ(entryTypeAt(dirFd, "rel"), EntryType::Symlink);
  EXPECT_EQ(entryTypeAt(dirFd, "plain"), EntryType::Regular);
  ::close(dirFd);
}

TEST(Fs, ListsADirectorySorted) {
  test::TestDir tmp;
  tmp.writeFile("dir/b", "");
  tmp.writeFile("dir/a", "");
  tmp.makeSymlink("nowhere", "dir/c");
  tmp.makeDir("dir/sub");
  tmp.makeSymlink("dir", "to-dir");
  int err = -1;
  EXPECT_EQ(listDirectory(tmp / "dir", &err), (std::vector<std::string>{"a", "b", "c", "sub"}));
  EXPECT_EQ(err, 0);
  EXPECT_EQ(listDirectory(tmp / "to-dir").size(), 4u); // a link to a directory is followed
  EXPECT_TRUE(listDirectory(tmp / "missing", &err).empty());
  EXPECT_EQ(err, ENOENT);
}

} // namespace
} // namespace crosshim
