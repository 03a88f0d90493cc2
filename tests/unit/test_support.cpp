#include "test_support.h"

#include <llvm/Support/MemoryBuffer.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace crosshim::test {

ScopedEnv::ScopedEnv(const char *name, std::optional<std::string> value) : name_(name) {
  if (const char *old = std::getenv(name))
    saved_ = old;
  if (value)
    setenv(name, value->c_str(), 1);
  else
    unsetenv(name);
}

ScopedEnv::~ScopedEnv() {
  if (saved_)
    setenv(name_.c_str(), saved_->c_str(), 1);
  else
    unsetenv(name_.c_str());
}

ScopedCwd::ScopedCwd(const std::string &dir) {
  std::error_code ec;
  saved_ = fs::current_path(ec).string();
  fs::current_path(dir, ec);
  EXPECT_FALSE(ec) << "cannot change to " << dir << ": " << ec.message();
}

ScopedCwd::~ScopedCwd() {
  std::error_code ec;
  fs::current_path(saved_, ec);
}

TestDir::TestDir() {
  const ::testing::TestInfo *info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "no-test";
  for (char &c : name)
    if (c == '/')
      c = '_'; // parameterised test names
  fs::path base = CROSSHIM_TEST_TMP;
  fs::path dir = base / (name + "." + std::to_string(getpid()));
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec)
    ADD_FAILURE() << "cannot create " << dir << ": " << ec.message();
  path_ = fs::canonical(dir, ec).string();
  if (ec)
    path_ = dir.string();
}

TestDir::~TestDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TestDir::operator/(llvm::StringRef rel) const {
  return path_ + "/" + rel.str();
}

std::string TestDir::makeDir(llvm::StringRef rel) const {
  std::string full = *this / rel;
  std::error_code ec;
  fs::create_directories(full, ec);
  EXPECT_FALSE(ec) << "cannot create " << full << ": " << ec.message();
  return full;
}

std::string TestDir::writeFile(llvm::StringRef rel, llvm::StringRef content, unsigned mode) const {
  std::string full = *this / rel;
  std::error_code ec;
  fs::create_directories(fs::path(full).parent_path(), ec);
  {
    std::ofstream out(full, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    EXPECT_TRUE(out.good()) << "cannot write " << full;
  }
  fs::permissions(full, static_cast<fs::perms>(mode), fs::perm_options::replace, ec);
  EXPECT_FALSE(ec) << "cannot chmod " << full << ": " << ec.message();
  return full;
}

std::string TestDir::makeExecutable(llvm::StringRef rel) const {
  return writeFile(rel, "#!/bin/sh\nexit 0\n", 0755);
}

std::string TestDir::makeSymlink(llvm::StringRef target, llvm::StringRef rel) const {
  std::string full = *this / rel;
  std::error_code ec;
  fs::create_directories(fs::path(full).parent_path(), ec);
  fs::create_symlink(target.str(), full, ec);
  EXPECT_FALSE(ec) << "cannot link " << full << " -> " << target.str() << ": " << ec.message();
  return full;
}

ErrorDetails describe(llvm::Error err) {
  ErrorDetails details;
  llvm::handleAllErrors(
      std::move(err),
      [&](const ShimError &e) {
        details.isShimError = true;
        details.code = e.code();
        details.message = e.text();
      },
      [&](const llvm::ErrorInfoBase &e) { details.message = e.message(); });
  return details;
}

std::vector<std::string> readLines(const std::string &path) {
  std::vector<std::string> lines;
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer) {
    ADD_FAILURE() << "cannot read " << path << ": " << buffer.getError().message();
    return lines;
  }
  llvm::StringRef text = (*buffer)->getBuffer();
  while (!text.empty()) {
    auto [line, rest] = text.split('\n');
    lines.push_back(line.str());
    text = rest;
  }
  return lines;
}

std::string realPath(llvm::StringRef path) {
  std::error_code ec;
  fs::path canonical = fs::canonical(path.str(), ec);
  EXPECT_FALSE(ec) << "cannot canonicalise " << path.str() << ": " << ec.message();
  return ec ? path.str() : canonical.string();
}

std::string gnuArchive(const std::vector<std::string> &symbols, size_t counted) {
  counted = std::min(counted, symbols.size());
  std::string table;
  auto be32 = [&](uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
      table += static_cast<char>((v >> shift) & 0xff);
  };
  be32(static_cast<uint32_t>(counted));
  for (size_t i = 0; i < counted; ++i)
    be32(0x100);
  for (const std::string &s : symbols)
    table += s + '\0';
  char header[61];
  snprintf(header, sizeof header, "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", "/", "0", "0", "0", "0",
           table.size());
  return std::string("!<arch>\n") + header + table;
}

const Target &target(const char *name) {
  auto t = lookupTarget(name);
  if (!t) {
    ADD_FAILURE() << llvm::toString(t.takeError());
    return allTargets().front();
  }
  return *t;
}

Sysroot sysrootAt(const std::string &path, Layout layout) {
  Sysroot s;
  s.path = path;
  s.layout = layout;
  return s;
}

std::string runUnprivileged(const std::function<std::string()> &body) {
  int fds[2];
  if (::pipe(fds) != 0)
    return "fork: pipe failed";
  const pid_t pid = ::fork();
  if (pid < 0)
    return "fork: failed";
  if (pid == 0) {
    ::close(fds[0]);
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    std::string out = ::syscall(SYS_capset, &header, data) == 0 ? body() : "fork: capset failed";
    size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = ::write(fds[1], out.data() + done, out.size() - done);
      if (n <= 0)
        break;
      done += static_cast<size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return out;
}

namespace {

// With CI or CROSSHIM_NO_SKIP set, a skipped test is a failure: a check that
// did not run proves nothing, and CI must not pass on it. (The end-to-end
// tests follow the same rule.)
class SkipIsFailure : public ::testing::EmptyTestEventListener {
  void OnTestEnd(const ::testing::TestInfo &info) override {
    if (!info.result()->Skipped())
      return;
    std::fprintf(stderr, "error: %s.%s was skipped, and skips fail under CI/CROSSHIM_NO_SKIP\n",
                 info.test_suite_name(), info.name());
    skipped_ = true;
  }
  void OnTestProgramEnd(const ::testing::UnitTest &) override {
    if (skipped_) {
      std::fflush(nullptr);
      ::_exit(1);
    }
  }
  bool skipped_ = false;
};

bool skipsFail() {
  for (const char *name : {"CI", "CROSSHIM_NO_SKIP", "CROSSHIM_E2E_NO_SKIP"}) {
    const char *v = std::getenv(name);
    if (v && *v && std::string(v) != "0" && std::string(v) != "false")
      return true;
  }
  return false;
}

const bool registered = [] {
  if (skipsFail())
    ::testing::UnitTest::GetInstance()->listeners().Append(new SkipIsFailure);
  return true;
}();

} // namespace

} // namespace crosshim::test
