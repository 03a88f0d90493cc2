// Looking at a path without following it: what kind of entry is there (lstat)
// and what a symlink says (readlink). The one set of these helpers; those
// that follow links are LLVM's (llvm::sys::fs).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace crosshim {

/// What is at a path itself (a symlink is not followed).
enum class EntryType { None, Symlink, Directory, Regular, Other };

/// None when nothing is there or it cannot be looked at; `err`, when given,
/// then holds the errno (ENOENT, ENOTDIR, EACCES, ...), else 0.
EntryType entryType(const std::string &path, int *err = nullptr);

/// The same for `name` relative to the open directory `dirFd`.
EntryType entryTypeAt(int dirFd, const std::string &name, int *err = nullptr);

/// Something is there (a dangling symlink counts).
bool lexists(const std::string &path);
bool isSymlink(const std::string &path);
/// A directory, not a symlink to one.
bool isRealDirectory(const std::string &path);
/// A regular file, not a symlink to one.
bool isRealFile(const std::string &path);

/// The text of the symlink `path`, as written (not resolved). nullopt when
/// it is no symlink or cannot be read; `err`, when given, holds the errno.
std::optional<std::string> readSymlink(const std::string &path, int *err = nullptr);

/// The same for `name` relative to the open directory `dirFd`.
std::optional<std::string> readSymlinkAt(int dirFd, const std::string &name, int *err = nullptr);

/// The names in directory `dir` (a link to one is followed), sorted, without
/// "." and "..". Empty when it cannot be read; `err`, when given, then holds
/// the errno, else 0.
std::vector<std::string> listDirectory(const std::string &dir, int *err = nullptr);

} // namespace crosshim
