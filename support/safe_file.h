// Reading and writing the files crosshim is pointed at: the one place that
// decides what a path may be (docs/security.md).
//
// Writes (reports, logs, toolchain files, .cargo/config.toml, sysroot
// stamps) follow one set of rules:
//   - nothing there, or a regular file: the text goes into a temporary file
//     created exclusively (O_EXCL|O_NOFOLLOW, a random name) in the same
//     directory, which is then renamed over the path: a reader never sees
//     half a file, a failure leaves the old one, and a name planted in
//     advance is never followed. A replaced file keeps its mode (and, for
//     root, its owner); a new one gets 0666 minus the umask.
//   - a character or block device, a FIFO, /dev/stdout, /dev/stderr,
//     /dev/fd/N: written to in place (never replaced by a regular file).
//   - a symlink: written through to the file it leads to, by the rules above
//     for that file (the link stays a link).
//   - a regular file nobody may write (mode without any w bit): refused
//     unless `force`.
//   - a directory, a socket, a missing parent directory: an error.
// Errors name the path the user gave (and where a symlink led).
//
// Reads of files crosshim is given or finds (response files, configuration
// files, logs) are bounded: a size limit, and directories, devices and
// (unless allowed) FIFOs are refused with a message that says which; a FIFO
// is never opened in a way that blocks.
#pragma once

#include "support/errors.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <cstdint>
#include <optional>
#include <string>

namespace crosshim {

/// Writes all of `text` to `fd`, again after EINTR. False on an error (errno
/// says which; EIO when the descriptor took nothing) or, for a non-blocking
/// descriptor, when it is full (EAGAIN).
bool writeAll(int fd, llvm::StringRef text);

struct WriteOptions {
  bool force = false;    // replace a read-only regular file (keeping its mode)
  std::string forceHint; // said after "it is read-only": "--force replaces it"
};

/// What writing a path will do.
struct WritePlan {
  enum class Kind {
    Create,  // no file there yet: a new one (temporary + rename)
    Replace, // a regular file: replaced atomically (temporary + rename)
    Direct,  // a device, a FIFO, /dev/std*: written to in place
  };
  std::string path;   // as given
  std::string target; // the file written: `path`, or where its symlinks lead
  bool throughSymlink = false;
  Kind kind = Kind::Create;
  int fd = -1; // /dev/stdout, /dev/stderr, /dev/fd/N: the descriptor itself

  /// One line for --dry-run: "writes through the symlink P to T", ...
  std::string describe() const;
};

/// Works out what a write to `path` will do, without writing anything.
/// Errors: a directory, a socket, a symlink loop, a read-only regular file
/// (unless options.force).
llvm::Expected<WritePlan> planWrite(const std::string &path, WriteOptions options = {});

/// Writes `text` to `path` by the rules above (planWrite, then the write).
llvm::Error writeFileSafely(const std::string &path, llvm::StringRef text,
                            WriteOptions options = {});

/// Opens `path` to append records to (logs): created if missing (0644 minus
/// the umask), written through a symlink, a device or FIFO written in place;
/// a FIFO nobody reads is an error instead of a wait; a directory or a
/// read-only regular file is an error. Returns the descriptor (O_CLOEXEC).
llvm::Expected<int> openForAppend(const std::string &path);

struct ReadLimits {
  uint64_t maxBytes = 1 << 20;
  bool allowPipe = false;            // a FIFO or pipe is read (to maxBytes) instead of refused
  ExitCode code = ExitCode::Failure; // the exit status of the errors
};

/// Reads all of `path`. `what` names the file in messages ("response file",
/// "configuration file"): "cannot read the <what> P: it is a directory".
llvm::Expected<std::string> readFileBounded(const std::string &path, llvm::StringRef what,
                                            ReadLimits limits = {});

} // namespace crosshim
