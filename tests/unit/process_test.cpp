// The child's environment, running a child (what is captured, signals
// forwarded), and the private temporary directory.
#include "support/process.h"

#include "test_support.h"

#include <llvm/Support/FileSystem.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <sys/stat.h>

namespace crosshim {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
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

TEST(RunProgram, CapturesBothStreamsInLinesFromItsDirectory) {
  test::TestDir tmp;
  RunOptions options;
  options.capture = RunOptions::Capture::StdoutAndStderr;
  options.echo = false;
  options.keepLimit = 1 << 16;
  options.stdinFromNull = true; // `cat` ends at once
  options.cwd = tmp.path();
  std::vector<std::string> lines;
  auto collect = [&](llvm::StringRef line) { lines.push_back(line.str()); };
  options.onLine = collect;
  const std::vector<std::string> argv = {"sh", "-c", "pwd; echo err >&2; cat; printf last; exit 3"};
  auto status = runProgram("/bin/sh", argv, childEnvironment(Env::process(), {}, {}), options);
  ASSERT_TRUE(static_cast<bool>(status)) << llvm::toString(status.takeError());
  EXPECT_EQ(status->exitCode, 3);
  EXPECT_EQ(status->signal, 0);
  EXPECT_THAT(lines, ElementsAre(tmp.path(), "err", "last"));
  EXPECT_EQ(status->stderrCopy, tmp.path() + "\nerr\nlast");
  EXPECT_FALSE(status->stderrTruncated);
}

TEST(RunProgram, KeepsTheEndOfALongOutput) {
  RunOptions options;
  options.echo = false;
  options.keepLimit = 4;
  const std::vector<std::string> argv = {"sh", "-c", "printf 0123456789 >&2"};
  auto status = runProgram("/bin/sh", argv, childEnvironment(Env::process(), {}, {}), options);
  ASSERT_TRUE(static_cast<bool>(status)) << llvm::toString(status.takeError());
  EXPECT_EQ(status->stderrCopy, "6789");
  EXPECT_TRUE(status->stderrTruncated);
}

TEST(SignalForwarding, PassesACaughtSignalToTheChildsGroup) {
  // The child sends the signal to us: we must catch it (not end) and pass it
  // on to its process group, which ends the child and the `sleep` it waits for.
  const int term[] = {SIGTERM};
  SignalForwarding forwarding(term);
  RunOptions options;
  options.capture = RunOptions::Capture::StdoutAndStderr;
  options.echo = false;
  options.keepLimit = 1 << 16;
  options.ownProcessGroup = true;
  const std::vector<std::string> argv = {"sh", "-c", "kill -TERM $PPID; sleep 10; echo survived"};
  auto status = runProgram("/bin/sh", argv, childEnvironment(Env::process(), {}, {}), options);
  ASSERT_TRUE(static_cast<bool>(status)) << llvm::toString(status.takeError());
  EXPECT_EQ(status->signal, SIGTERM);
  EXPECT_EQ(SignalForwarding::caught(), SIGTERM);
  EXPECT_EQ(status->stderrCopy, "");
}

TEST(SignalForwarding, ASignalCaughtBeforeTheChildStartsReachesIt) {
  const int term[] = {SIGTERM};
  SignalForwarding forwarding(term);
  ASSERT_EQ(::raise(SIGTERM), 0);
  EXPECT_EQ(SignalForwarding::caught(), SIGTERM);
  RunOptions options;
  options.ownProcessGroup = true;
  const std::vector<std::string> argv = {"sh", "-c", "sleep 10"};
  auto status = runProgram("/bin/sh", argv, childEnvironment(Env::process(), {}, {}), options);
  ASSERT_TRUE(static_cast<bool>(status)) << llvm::toString(status.takeError());
  EXPECT_EQ(status->signal, SIGTERM);
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
