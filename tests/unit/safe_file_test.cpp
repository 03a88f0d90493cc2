// The write and read rules of safe_file.h, on real special files made inside
// the test's own directory: devices with mknod (the same numbers as
// /dev/null and /dev/zero, never the real /dev entries), FIFOs, symlinks,
// read-only files, and a name planted where a temporary file used to go.
#include "support/safe_file.h"

#include "diagnostics/report.h"
#include "shims/args.h"
#include "shims/shim.h"
#include "support/log.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <thread>
#include <unistd.h>

namespace crosshim {
namespace {

using test::TestDir;
using ::testing::HasSubstr;
using ::testing::Not;

std::string slurp(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

mode_t typeOf(const std::string &path) {
  struct stat st;
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & S_IFMT;
}

mode_t permsOf(const std::string &path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// A character device with the numbers of /dev/null (1,3) or /dev/zero (1,5),
// made in the test directory. The tests run as root (mknod needs it).
std::string makeCharDevice(const TestDir &dir, const char *name, unsigned minor) {
  const std::string path = dir / name;
  EXPECT_EQ(::mknod(path.c_str(), S_IFCHR | 0666, makedev(1, minor)), 0)
      << "mknod " << path << ": " << std::strerror(errno) << " (the unit tests run as root)";
  return path;
}

std::vector<std::string> leftovers(const TestDir &dir) {
  std::vector<std::string> out;
  for (const auto &e : std::filesystem::directory_iterator(dir.path()))
    if (e.path().filename().string().find(".crosshim-") != std::string::npos)
      out.push_back(e.path().string());
  return out;
}

TEST(SafeWrite, ADeviceIsWrittenInPlaceNotReplaced) {
  TestDir dir;
  const std::string null = makeCharDevice(dir, "null", 3);
  ASSERT_FALSE(bool(writeFileSafely(null, "text\n")));
  EXPECT_EQ(typeOf(null), S_IFCHR);
  ASSERT_OK_AND_ASSIGN(plan, planWrite(null));
  EXPECT_EQ(plan->kind, WritePlan::Kind::Direct);
  EXPECT_TRUE(leftovers(dir).empty());
}

TEST(SafeWrite, AFifoIsWrittenInPlace) {
  TestDir dir;
  const std::string fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  std::string got;
  std::thread reader([&] { got = slurp(fifo); });
  EXPECT_FALSE(bool(writeFileSafely(fifo, "through the pipe\n")));
  reader.join();
  EXPECT_EQ(got, "through the pipe\n");
  EXPECT_EQ(typeOf(fifo), S_IFIFO);
}

TEST(SafeWrite, DevFdNamesADescriptorOfThisProcess) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string name = "/dev/fd/" + std::to_string(fds[1]);
  EXPECT_FALSE(bool(writeFileSafely(name, "to the descriptor")));
  ::close(fds[1]);
  char buf[64] = {};
  EXPECT_EQ(::read(fds[0], buf, sizeof buf), 17);
  ::close(fds[0]);
  EXPECT_STREQ(buf, "to the descriptor");
  auto err = test::describe(writeFileSafely("/dev/fd/987", "x"));
  EXPECT_THAT(err.message, HasSubstr("descriptor 987 is not open"));
}

TEST(SafeWrite, ASymlinkIsWrittenThroughAndStaysALink) {
  TestDir dir;
  dir.writeFile("real/config.toml", "old\n", 0640);
  dir.makeSymlink("../real/config.toml", "link/config.toml");
  dir.makeSymlink("config.toml", "link/again.toml"); // a chain of two
  ASSERT_FALSE(bool(writeFileSafely(dir / "link/again.toml", "new\n")));
  EXPECT_EQ(typeOf(dir / "link/config.toml"), S_IFLNK);
  EXPECT_EQ(typeOf(dir / "link/again.toml"), S_IFLNK);
  EXPECT_EQ(slurp(dir / "real/config.toml"), "new\n");
  EXPECT_EQ(permsOf(dir / "real/config.toml"), 0640u);
  ASSERT_OK_AND_ASSIGN(plan, planWrite(dir / "link/again.toml"));
  EXPECT_TRUE(plan->throughSymlink);
  EXPECT_EQ(plan->target, dir / "link/../real/config.toml");
  EXPECT_THAT(plan->describe(), HasSubstr("is a symlink"));
  // A dangling link: the file it names is made.
  dir.makeSymlink("made-here", "dangling");
  ASSERT_FALSE(bool(writeFileSafely(dir / "dangling", "made\n")));
  EXPECT_EQ(typeOf(dir / "dangling"), S_IFLNK);
  EXPECT_EQ(slurp(dir / "made-here"), "made\n");
}

TEST(SafeWrite, ASymlinkLoopIsAnError) {
  TestDir dir;
  dir.makeSymlink("b", "a");
  dir.makeSymlink("a", "b");
  auto err = test::describe(writeFileSafely(dir / "a", "x"));
  EXPECT_THAT(err.message, HasSubstr("too many levels of symbolic links"));
}

TEST(SafeWrite, AReadOnlyFileIsRefusedUnlessForced) {
  TestDir dir;
  const std::string file = dir.writeFile("ro.toml", "keep me\n", 0444);
  WriteOptions options;
  options.forceHint = "--force replaces it";
  auto err = test::describe(writeFileSafely(file, "new\n", options));
  EXPECT_EQ(err.code, ExitCode::Failure);
  EXPECT_THAT(err.message, HasSubstr("cannot write " + file +
                                     ": it is read-only (mode 0444); "
                                     "--force replaces it"));
  EXPECT_EQ(slurp(file), "keep me\n");
  options.force = true;
  ASSERT_FALSE(bool(writeFileSafely(file, "new\n", options)));
  EXPECT_EQ(slurp(file), "new\n");
  EXPECT_EQ(permsOf(file), 0444u);
}

TEST(SafeWrite, ARegularFileIsReplacedKeepingItsMode) {
  TestDir dir;
  const std::string file = dir.writeFile("f", "old\n", 0600);
  ASSERT_FALSE(bool(writeFileSafely(file, "new\n")));
  EXPECT_EQ(slurp(file), "new\n");
  EXPECT_EQ(permsOf(file), 0600u);
  const mode_t mask = ::umask(022);
  ASSERT_FALSE(bool(writeFileSafely(dir / "fresh", "x")));
  ::umask(mask);
  EXPECT_EQ(permsOf(dir / "fresh"), 0644u);
  EXPECT_TRUE(leftovers(dir).empty());
}

TEST(SafeWrite, DirectoriesAndMissingParentsAreErrorsNamingThePath) {
  TestDir dir;
  dir.makeDir("d");
  auto err = test::describe(writeFileSafely(dir / "d", "x"));
  EXPECT_THAT(err.message, HasSubstr("cannot write " + dir / "d" + ": it is a directory"));
  err = test::describe(writeFileSafely(dir / "no/such/file", "x"));
  EXPECT_THAT(err.message, HasSubstr("cannot write " + dir / "no/such/file"));
  EXPECT_THAT(err.message, HasSubstr("does not exist"));
}

// The report used to go through <report>.tmp.<pid>, opened without O_EXCL
// or O_NOFOLLOW: a symlink planted there was followed and its target
// overwritten.
TEST(SafeWrite, TheReportIgnoresAPlantedTemporaryName) {
  TestDir dir;
  const std::string victim = dir.writeFile("victim", "precious\n");
  const std::string report = dir / "report.json";
  dir.makeSymlink(victim, "report.json.tmp." + std::to_string(::getpid()));
  ASSERT_FALSE(bool(writeReportFile(diag::Report("x"), Env{"CROSSHIM_REPORT=" + report})));
  EXPECT_EQ(slurp(victim), "precious\n");
  EXPECT_THAT(slurp(report), HasSubstr("\"findings\": []"));
}

TEST(SafeWrite, AnUnwritableReportNamesTheFileNotATemporary) {
  TestDir dir;
  dir.writeFile("not-a-dir", "");
  const std::string report = dir / "not-a-dir/report.json";
  auto err = test::describe(writeReportFile(diag::Report("x"), Env{"CROSSHIM_REPORT=" + report}));
  EXPECT_EQ(err.code, ExitCode::Failure);
  EXPECT_THAT(err.message, HasSubstr("CROSSHIM_REPORT: cannot write " + report));
  EXPECT_THAT(err.message, Not(HasSubstr(".tmp")));
  EXPECT_THAT(err.message, Not(HasSubstr(".crosshim-")));
}

TEST(SafeAppend, AFifoNobodyReadsIsAnErrorNotAWait) {
  TestDir dir;
  const std::string fifo = dir / "log.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const auto start = std::chrono::steady_clock::now();
  auto err = test::errorOf(openForAppend(fifo));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_THAT(err.message, HasSubstr("it is a FIFO that nobody reads"));
}

TEST(SafeAppend, ReadOnlyAndDirectoriesAreErrors) {
  TestDir dir;
  const std::string ro = dir.writeFile("ro.log", "", 0444);
  EXPECT_THAT(test::errorOf(openForAppend(ro)).message, HasSubstr("read-only (mode 0444)"));
  dir.makeDir("d");
  EXPECT_THAT(test::errorOf(openForAppend(dir / "d")).message, HasSubstr("it is a directory"));
  const std::string null = makeCharDevice(dir, "null", 3);
  ASSERT_OK_AND_ASSIGN(fd, openForAppend(null));
  ::close(*fd);
  EXPECT_EQ(typeOf(null), S_IFCHR);
}

TEST(SafeRead, DevicesDirectoriesAndFifosAreRefusedQuickly) {
  TestDir dir;
  const std::string zero = makeCharDevice(dir, "zero", 5);
  const std::string fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  dir.makeDir("d");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(test::errorOf(readFileBounded(zero, "response file")).message,
              HasSubstr("cannot read the response file " + zero + ": it is a device"));
  EXPECT_THAT(test::errorOf(readFileBounded(fifo, "configuration file")).message,
              HasSubstr("it is a FIFO"));
  EXPECT_THAT(test::errorOf(readFileBounded(dir / "d", "log file")).message,
              HasSubstr("it is a directory"));
  // A pipe where one is allowed: nobody writes, so it reads as empty at once.
  ReadLimits pipe;
  pipe.allowPipe = true;
  ASSERT_OK_AND_ASSIGN(empty, readFileBounded(fifo, "log file", pipe));
  EXPECT_EQ(*empty, "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(SafeRead, TheSizeLimitIsKept) {
  TestDir dir;
  const std::string big = dir.writeFile("big", std::string(5000, 'x'));
  ReadLimits limits;
  limits.maxBytes = 4096;
  limits.code = ExitCode::Usage;
  auto err = test::errorOf(readFileBounded(big, "configuration file", limits));
  EXPECT_EQ(err.code, ExitCode::Usage);
  EXPECT_THAT(err.message, HasSubstr("5000 bytes is more than the limit of 4096 bytes"));
  limits.maxBytes = 5000;
  ASSERT_OK_AND_ASSIGN(text, readFileBounded(big, "configuration file", limits));
  EXPECT_EQ(text->size(), 5000u);
}

// @/dev/zero used to be read until memory ran out; @directory was passed on
// and clang called it a missing file.
TEST(ResponseFileSafety, DevicesDirectoriesAndFifosAreUsageErrors) {
  TestDir dir;
  const std::string zero = makeCharDevice(dir, "zero", 5);
  const std::string fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  dir.makeDir("d");
  struct Case {
    std::string path, says;
  } cases[] = {{zero, "it is a device"}, {fifo, "it is a FIFO"}, {dir / "d", "it is a directory"}};
  for (const Case &c : cases) {
    SCOPED_TRACE(c.path);
    const auto start = std::chrono::steady_clock::now();
    auto err = test::errorOf(expandResponseFilesChecked({"-c", "@" + c.path}));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    EXPECT_EQ(err.code, ExitCode::Usage);
    EXPECT_THAT(err.message, HasSubstr("@" + c.path + ": " + c.says));
    // Callers that cannot fail keep the argument as written.
    EXPECT_EQ(expandResponseFiles({"@" + c.path}), std::vector<std::string>{"@" + c.path});
  }
  // Nested: the same.
  const std::string outer = dir.writeFile("outer.rsp", "-DA @" + zero + "\n");
  EXPECT_THAT(test::errorOf(expandResponseFilesChecked({"@" + outer})).message,
              HasSubstr("it is a device"));
}

TEST(LogRecords, StayOneLineAndQuoteBackToTheSameBytes) {
  const std::vector<std::string> args = {"-DX=a\nb",    "tab\there",         "cr\rx",
                                         "esc\x1b[31m", "back\\slash 'q'\n", "plain"};
  std::string joined;
  for (const std::string &a : args)
    joined += (joined.empty() ? "" : " ") + logQuote(a);
  EXPECT_EQ(joined.find('\n'), std::string::npos);
  EXPECT_EQ(joined.find('\r'), std::string::npos);
  EXPECT_EQ(logQuote("plain"), "plain");
  EXPECT_EQ(logQuote("a\nb"), "$'a\\nb'");
  // bash reads the $'...' words back to the same bytes.
  TestDir dir;
  const std::string script = dir.writeFile("q.sh", "printf '%s\\0' " + joined + "\n");
  const std::string out = dir / "out";
  ASSERT_EQ(std::system(("bash " + script + " > " + out).c_str()), 0);
  std::string got = slurp(out);
  std::vector<std::string> back;
  for (size_t start = 0, end; (end = got.find('\0', start)) != std::string::npos; start = end + 1)
    back.push_back(got.substr(start, end - start));
  EXPECT_EQ(back, args);
  EXPECT_EQ(escapeControl("a\nb\x01"), "a\\nb\\x01");
}

TEST(LogRecords, AnUnwritableLogIsReportedOnceWithItsPath) {
  TestDir dir;
  dir.writeFile("file", "");
  const std::string log = dir / "file/log";
  CommandLog l(Env{"CROSSHIM_LOG=" + log});
  l.text("in", "one");
  l.text("out", "two");
  auto err = test::describe(l.takeError());
  EXPECT_THAT(err.message, HasSubstr("CROSSHIM_LOG: cannot write " + log));
  EXPECT_FALSE(bool(l.takeError())); // once
}

TEST(LogRecords, ANewlineInAnArgumentStaysInOneRecord) {
  TestDir dir;
  const std::string log = dir / "log";
  CommandLog l(Env{"CROSSHIM_LOG=" + log});
  l.line("in", {"cc", "-DX=a\nb", "-c", "x.c"});
  l.text("note", "a message\nwith a newline");
  ASSERT_FALSE(bool(l.takeError()));
  const std::vector<std::string> lines = test::readLines(log);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], HasSubstr("] in: cc $'-DX=a\\nb' -c x.c"));
  EXPECT_THAT(lines[1], HasSubstr("] note: a message\\nwith a newline"));
}

} // namespace
} // namespace crosshim
