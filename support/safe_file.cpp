#include "support/safe_file.h"

#include "support/fs.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/Path.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <optional>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

namespace crosshim {
namespace {

constexpr int kMaxSymlinkHops = 40; // what the kernel allows in one path walk

std::string errnoText(int err) {
  return std::strerror(err);
}

std::string octalMode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

std::string sizeText(uint64_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
    return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

// /dev/stdout, /dev/stderr, /dev/stdin, /dev/fd/N and /proc/self/fd/N name
// a descriptor of this process: writing "the file" means writing to it. (The
// kernel's links behind them lead to "pipe:[N]" or a terminal, which are not
// paths to replace.)
std::optional<int> descriptorName(llvm::StringRef path) {
  if (path == "/dev/stdin")
    return 0;
  if (path == "/dev/stdout")
    return 1;
  if (path == "/dev/stderr")
    return 2;
  if (path.consume_front("/dev/fd/") || path.consume_front("/proc/self/fd/")) {
    unsigned n;
    if (!path.getAsInteger(10, n) && n < (1u << 20))
      return static_cast<int>(n);
  }
  return std::nullopt;
}

llvm::Error writeError(const WritePlan &plan, const std::string &why) {
  std::string where = plan.path;
  if (plan.throughSymlink)
    where += " (a symlink to " + plan.target + ")";
  return makeError(ExitCode::Failure, "cannot write " + where + ": " + why);
}

// A name nobody can guess, for the temporary file next to the target.
std::string randomSuffix() {
  static const char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  unsigned char bytes[12];
  if (::getrandom(bytes, sizeof bytes, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof bytes)) {
    // No entropy yet (early boot): the exclusive create still makes the
    // name safe; this only makes collisions unlikely.
    static unsigned counter = 0;
    uint64_t x = static_cast<uint64_t>(::getpid()) * 0x9e3779b97f4a7c15ull ^
                 static_cast<uint64_t>(std::time(nullptr)) ^ (++counter * 0xbf58476d1ce4e5b9ull);
    for (unsigned char &b : bytes) {
      x ^= x >> 29;
      x *= 0x94d049bb133111ebull;
      b = static_cast<unsigned char>(x >> 56);
    }
  }
  std::string out;
  for (unsigned char b : bytes)
    out += kChars[b % (sizeof kChars - 1)];
  return out;
}

mode_t creationMode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

bool readOnlyForUs(const std::string &path, const struct stat &st) {
  if ((st.st_mode & 0222) == 0)
    return true;
  // root may write anything; anyone else must be allowed to write the file
  // itself, not only the directory that holds it.
  return ::geteuid() != 0 && ::faccessat(AT_FDCWD, path.c_str(), W_OK, AT_EACCESS) != 0 &&
         errno == EACCES;
}

} // namespace

std::string WritePlan::describe() const {
  std::string what;
  switch (kind) {
  case Kind::Create:
    what = "creates " + target;
    break;
  case Kind::Replace:
    what = "replaces " + target + " (a new file renamed over it)";
    break;
  case Kind::Direct:
    what = "writes to " + target + " in place (not a regular file)";
    break;
  }
  if (throughSymlink)
    return path + " is a symlink: crosshim " + what + ", the file it leads to";
  return "crosshim " + what;
}

llvm::Expected<WritePlan> planWrite(const std::string &path, WriteOptions options) {
  WritePlan plan;
  plan.path = path;
  plan.target = path;
  if (path.empty())
    return makeError(ExitCode::Usage, "cannot write a file with an empty name");
  for (int hops = 0;; ++hops) {
    if (auto fd = descriptorName(plan.target)) {
      if (::fcntl(*fd, F_GETFD) < 0)
        return writeError(plan, "descriptor " + std::to_string(*fd) + " is not open");
      plan.kind = WritePlan::Kind::Direct;
      plan.fd = *fd;
      return plan;
    }
    struct stat st;
    if (::lstat(plan.target.c_str(), &st) != 0) {
      const int err = errno;
      if (err != ENOENT)
        return writeError(plan, errnoText(err));
      llvm::SmallString<256> dir(plan.target);
      llvm::sys::path::remove_filename(dir);
      if (dir.empty())
        dir = ".";
      struct stat dst;
      if (::stat(dir.c_str(), &dst) != 0)
        return writeError(plan, "the directory " + dir.str().str() + " does not exist");
      if (!S_ISDIR(dst.st_mode))
        return writeError(plan, dir.str().str() + " is not a directory");
      plan.kind = WritePlan::Kind::Create;
      return plan;
    }
    if (S_ISLNK(st.st_mode)) {
      if (hops >= kMaxSymlinkHops)
        return writeError(plan, "too many levels of symbolic links");
      int err = 0;
      std::optional<std::string> text = readSymlink(plan.target, &err);
      if (!text)
        return writeError(plan, errnoText(err));
      llvm::StringRef next(*text);
      if (llvm::sys::path::is_absolute(next)) {
        plan.target = next.str();
      } else {
        llvm::SmallString<256> joined(plan.target);
        llvm::sys::path::remove_filename(joined);
        llvm::sys::path::append(joined, next);
        plan.target = std::string(joined);
      }
      plan.throughSymlink = true;
      continue;
    }
    if (S_ISDIR(st.st_mode))
      return writeError(plan, "it is a directory");
    if (S_ISSOCK(st.st_mode))
      return writeError(plan, "it is a socket");
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISFIFO(st.st_mode)) {
      plan.kind = WritePlan::Kind::Direct;
      return plan;
    }
    if (readOnlyForUs(plan.target, st) && !options.force)
      return writeError(plan,
                        "it is read-only (mode " + octalMode(st.st_mode) + ")" +
                            (options.forceHint.empty() ? std::string() : "; " + options.forceHint));
    plan.kind = WritePlan::Kind::Replace;
    return plan;
  }
}

llvm::Error writeFileSafely(const std::string &path, llvm::StringRef text, WriteOptions options) {
  auto planned = planWrite(path, options);
  if (!planned)
    return planned.takeError();
  const WritePlan &plan = *planned;

  if (plan.kind == WritePlan::Kind::Direct) {
    if (plan.fd >= 0)
      return writeAll(plan.fd, text) ? llvm::Error::success() : writeError(plan, errnoText(errno));
    // No O_TRUNC, no O_CREAT: a device or FIFO is written, never made or
    // replaced. A FIFO waits for its reader, as a shell's `>` does.
    int fd = ::open(plan.target.c_str(), O_WRONLY | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
      return writeError(plan, errnoText(errno));
    const bool ok = writeAll(fd, text);
    const int err = errno;
    if (::close(fd) != 0 && ok)
      return writeError(plan, errnoText(errno));
    return ok ? llvm::Error::success() : writeError(plan, errnoText(err));
  }

  // A temporary next to the target: same file system, so the rename is
  // atomic. Exclusive creation of a random name: nothing planted at a
  // guessable name can redirect the write.
  llvm::SmallString<256> dir(plan.target);
  llvm::sys::path::remove_filename(dir);
  if (dir.empty())
    dir = ".";
  const std::string base = llvm::sys::path::filename(plan.target).str();
  std::string temp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temp = (dir + "/." + base + ".crosshim-" + randomSuffix()).str();
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
      return writeError(plan, "cannot create a temporary file in " + dir.str().str() + ": " +
                                  errnoText(errno));
  }
  if (fd < 0)
    return writeError(plan, "cannot create a temporary file in " + dir.str().str());

  // The replaced file's mode (and owner, when root may keep it); a new file
  // gets what a plain create would give.
  struct stat old;
  const bool replacing =
      plan.kind == WritePlan::Kind::Replace && ::stat(plan.target.c_str(), &old) == 0;
  bool ok = writeAll(fd, text);
  int err = errno;
  if (ok && ::fchmod(fd, replacing ? old.st_mode & 07777 : creationMode()) != 0) {
    ok = false;
    err = errno;
  }
  if (ok && replacing && ::geteuid() == 0 && (old.st_uid != 0 || old.st_gid != 0))
    (void)::fchown(fd, old.st_uid, old.st_gid);
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && ::rename(temp.c_str(), plan.target.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(temp.c_str());
    return writeError(plan, errnoText(err));
  }
  return llvm::Error::success();
}

llvm::Expected<int> openForAppend(const std::string &path) {
  WritePlan plan;
  plan.path = plan.target = path;
  if (auto n = descriptorName(path)) {
    int fd = ::fcntl(*n, F_DUPFD_CLOEXEC, 3);
    if (fd < 0)
      return writeError(plan, "descriptor " + std::to_string(*n) + " is not open");
    return fd;
  }
  // O_NONBLOCK: a FIFO nobody reads fails (ENXIO) instead of waiting.
  int fd =
      ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    if (err == ENXIO)
      return writeError(plan, "it is a FIFO that nobody reads");
    if (err == EISDIR)
      return writeError(plan, "it is a directory");
    return writeError(plan, errnoText(err));
  }
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && readOnlyForUs(path, st)) {
    ::close(fd);
    return writeError(plan, "it is read-only (mode " + octalMode(st.st_mode) + ")");
  }
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0)
    ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

llvm::Expected<std::string> readFileBounded(const std::string &path, llvm::StringRef what,
                                            ReadLimits limits) {
  auto fail = [&](const std::string &why) {
    return makeError(limits.code, "cannot read the " + what.str() + " " + path + ": " + why);
  };
  auto refuse = [&](const struct stat &st) -> std::optional<std::string> {
    if (S_ISDIR(st.st_mode))
      return std::string("it is a directory");
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
      return std::string("it is a device, not a file");
    if (S_ISSOCK(st.st_mode))
      return std::string("it is a socket, not a file");
    if (S_ISFIFO(st.st_mode) && !limits.allowPipe)
      return std::string("it is a FIFO (a named pipe), not a file");
    if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > limits.maxBytes)
      return std::to_string(st.st_size) + " bytes is more than the limit of " +
             sizeText(limits.maxBytes);
    return std::nullopt;
  };
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return fail(errnoText(errno));
  if (auto why = refuse(st))
    return fail(*why);
  // O_NONBLOCK: opening a FIFO never waits for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return fail(errnoText(errno));
  struct stat opened;
  if (::fstat(fd, &opened) != 0 || opened.st_dev != st.st_dev || opened.st_ino != st.st_ino) {
    ::close(fd);
    return fail("it changed while it was opened");
  }
  if (S_ISFIFO(opened.st_mode)) {
    // A FIFO with no writer now reads as empty; one with a writer is read
    // up to the limit.
    int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0)
      ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  }
  std::string text;
  if (S_ISREG(opened.st_mode))
    text.reserve(static_cast<size_t>(opened.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return fail(errnoText(err));
    }
    if (n == 0)
      break;
    if (text.size() + static_cast<size_t>(n) > limits.maxBytes) {
      ::close(fd);
      return fail("more than the limit of " + sizeText(limits.maxBytes));
    }
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

bool writeAll(int fd, llvm::StringRef text) {
  const char *p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (n == 0)
        errno = EIO;
      return false;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return true;
}

} // namespace crosshim
