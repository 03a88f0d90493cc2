#include "setup/sysroot_fix.h"

#include "support/fs.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Path.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace crosshim {
namespace {

using Components = std::vector<std::string>;

// The directories of `rel` (a path relative to the root), without its last
// component.
Components parentComponents(llvm::StringRef rel) {
  llvm::SmallVector<llvm::StringRef, 16> parts;
  rel.split(parts, '/', -1, /*KeepEmpty=*/false);
  if (!parts.empty())
    parts.pop_back();
  return Components(parts.begin(), parts.end());
}

std::string errnoText(int err) {
  return std::strerror(err);
}

llvm::Error errnoError(int err, const std::string &message) {
  return llvm::createStringError(std::error_code(err, std::generic_category()), message);
}

// A file descriptor closed when it goes out of scope.
class Fd {
public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
  Fd(Fd &&other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd &operator=(Fd &&other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  int get() const { return fd_; }

private:
  int fd_;
};

// Before the first change: every directory (relative to the root) that gets
// a new link must be writable, so that a read-only sysroot is refused as a
// whole; then the root, opened. `nothing` ends the messages: what was not
// done.
llvm::Expected<Fd> openRootForWriting(const std::string &root, const std::set<std::string> &dirs,
                                      const std::string &nothing) {
  for (const std::string &d : dirs) {
    const std::string full = d.empty() ? root : root + "/" + d;
    if (::access(full.c_str(), W_OK | X_OK) != 0) {
      const int err = errno;
      // Gone since the plan was made: the tree is changing under us.
      if (err == ENOENT || err == ENOTDIR)
        return errnoError(err,
                          full + " is gone: it changed while crosshim was running; " + nothing);
      return errnoError(err, full + " is not writable (" + errnoText(err) + "); " + nothing);
    }
  }
  Fd rootFd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (rootFd.get() < 0) {
    const int err = errno;
    return errnoError(err, "cannot open " + root + ": " + errnoText(err) + "; " + nothing);
  }
  return rootFd;
}

// The directory `dirs` under rootFd, opened one component at a time without
// following links: a directory replaced by a link since the plan was made
// stops here. On failure the Fd is -1 and `walked` says why.
Fd openDirInside(int rootFd, const std::string &root, const Components &dirs, std::string &walked) {
  Fd dir(::dup(rootFd));
  walked = root;
  if (dir.get() < 0) {
    walked = errnoText(errno);
    return dir;
  }
  for (const std::string &c : dirs) {
    walked += "/" + c;
    int fd = ::openat(dir.get(), c.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      walked = "cannot open the directory " + walked + " (" + errnoText(errno) +
               "); it changed while crosshim was running";
      return Fd();
    }
    dir = Fd(fd);
  }
  return dir;
}

// Replaces one link inside the directory tree under rootFd; returns what
// went wrong, or "" when it was done.
std::string replaceLink(int rootFd, const std::string &root, const diag::SymlinkRewrite &rw,
                        unsigned &counter) {
  const std::string name = llvm::sys::path::filename(rw.link).str();
  if (name.empty() || name == "/")
    return "not a path inside the sysroot";
  std::string walked;
  Fd dir = openDirInside(rootFd, root, parentComponents(rw.link), walked);
  if (dir.get() < 0)
    return walked;
  // Still the link the plan saw? (fstatat: its owner is kept below)
  struct stat st;
  if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return "it disappeared while crosshim was running (" + errnoText(errno) + ")";
  std::optional<std::string> now =
      S_ISLNK(st.st_mode) ? readSymlinkAt(dir.get(), name) : std::nullopt;
  if (!now || *now != rw.oldTarget)
    return "it changed while crosshim was running; left as it is";

  // The new link under a temporary name in the same directory, then renamed
  // over the old one. Names that exist (whatever they are) are never touched.
  std::string temp;
  for (unsigned attempt = 0;; ++attempt) {
    temp = ".crosshim-fix." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    if (::symlinkat(rw.newTarget.c_str(), dir.get(), temp.c_str()) == 0)
      break;
    if (errno != EEXIST || attempt >= 100)
      return "cannot create a link in " + walked + ": " + errnoText(errno);
  }
  // Keep the owner (root fixing a user's sysroot); best effort.
  if (st.st_uid != ::geteuid() || st.st_gid != ::getegid())
    (void)::fchownat(dir.get(), temp.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW);
  if (::renameat(dir.get(), temp.c_str(), dir.get(), name.c_str()) != 0) {
    std::string why = errnoText(errno);
    ::unlinkat(dir.get(), temp.c_str(), 0);
    return "cannot replace it: " + why;
  }
  return "";
}

std::string parentDir(llvm::StringRef rel) {
  return llvm::sys::path::parent_path(rel).str();
}

} // namespace

llvm::Expected<diag::SymlinkFixResult> applySymlinkFixes(const diag::SymlinkFixPlan &plan) {
  diag::SymlinkFixResult result;
  if (plan.rewrites.empty())
    return result;
  std::set<std::string> dirs;
  for (const diag::SymlinkRewrite &rw : plan.rewrites)
    dirs.insert(parentDir(rw.link));
  auto rootFd = openRootForWriting(plan.root, dirs, "nothing was changed");
  if (!rootFd)
    return rootFd.takeError();
  unsigned counter = 0;
  for (size_t i = 0; i < plan.rewrites.size(); ++i) {
    std::string failure = replaceLink(rootFd->get(), plan.root, plan.rewrites[i], counter);
    if (failure.empty())
      result.applied.push_back(i);
    else
      result.failures.push_back({i, std::move(failure)});
  }
  return result;
}

llvm::Expected<diag::DevLinkResult> applyDevLinks(const diag::DevLinkPlan &plan) {
  diag::DevLinkResult result;
  if (plan.links.empty())
    return result;
  std::set<std::string> dirs;
  for (const diag::DevLink &link : plan.links)
    dirs.insert(parentDir(link.link));
  auto rootFd = openRootForWriting(plan.root, dirs, "no link was created");
  if (!rootFd)
    return rootFd.takeError();
  for (size_t i = 0; i < plan.links.size(); ++i) {
    const diag::DevLink &link = plan.links[i];
    std::string why;
    Fd dir = openDirInside(rootFd->get(), plan.root, parentComponents(link.link), why);
    const std::string name = llvm::sys::path::filename(link.link).str();
    if (dir.get() >= 0) {
      // symlinkat never replaces: an entry made meanwhile is left alone.
      if (::symlinkat(link.target.c_str(), dir.get(), name.c_str()) == 0) {
        result.created.push_back(i);
        continue;
      }
      why = errno == EEXIST ? "it appeared while crosshim was running; left as it is"
                            : "cannot create it: " + errnoText(errno);
    }
    result.failures.push_back({i, std::move(why)});
  }
  return result;
}

} // namespace crosshim
