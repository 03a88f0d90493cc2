#include "support/fs.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace crosshim {
namespace {

// A link text longer than this is refused (ENAMETOOLONG): no file system
// writes one, so it is a broken or hostile tree.
constexpr size_t kMaxLinkText = 1 << 20;

EntryType typeOf(const struct stat &st) {
  if (S_ISLNK(st.st_mode))
    return EntryType::Symlink;
  if (S_ISDIR(st.st_mode))
    return EntryType::Directory;
  if (S_ISREG(st.st_mode))
    return EntryType::Regular;
  return EntryType::Other;
}

EntryType lstatType(int dirFd, const std::string &name, int *err) {
  struct stat st;
  if (::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (err)
      *err = errno;
    return EntryType::None;
  }
  if (err)
    *err = 0;
  return typeOf(st);
}

std::optional<std::string> readLinkText(int dirFd, const std::string &name, int *err) {
  std::vector<char> buf(256);
  for (;;) {
    ssize_t n = ::readlinkat(dirFd, name.c_str(), buf.data(), buf.size());
    if (n < 0) {
      if (err)
        *err = errno;
      return std::nullopt;
    }
    if (static_cast<size_t>(n) < buf.size()) {
      if (err)
        *err = 0;
      return std::string(buf.data(), static_cast<size_t>(n));
    }
    if (buf.size() >= kMaxLinkText) {
      if (err)
        *err = ENAMETOOLONG;
      return std::nullopt;
    }
    buf.resize(buf.size() * 2); // it may have been cut: read again with room to spare
  }
}

} // namespace

EntryType entryType(const std::string &path, int *err) {
  return lstatType(AT_FDCWD, path, err);
}

EntryType entryTypeAt(int dirFd, const std::string &name, int *err) {
  return lstatType(dirFd, name, err);
}

bool lexists(const std::string &path) {
  return entryType(path) != EntryType::None;
}

bool isSymlink(const std::string &path) {
  return entryType(path) == EntryType::Symlink;
}

bool isRealDirectory(const std::string &path) {
  return entryType(path) == EntryType::Directory;
}

bool isRealFile(const std::string &path) {
  return entryType(path) == EntryType::Regular;
}

std::optional<std::string> readSymlink(const std::string &path, int *err) {
  return readLinkText(AT_FDCWD, path, err);
}

std::optional<std::string> readSymlinkAt(int dirFd, const std::string &name, int *err) {
  return readLinkText(dirFd, name, err);
}

std::vector<std::string> listDirectory(const std::string &dir, int *err) {
  std::vector<std::string> names;
  if (err)
    *err = 0;
  DIR *d = ::opendir(dir.c_str());
  if (!d) {
    if (err)
      *err = errno;
    return names;
  }
  while (const struct dirent *e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
      names.emplace_back(e->d_name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

} // namespace crosshim
