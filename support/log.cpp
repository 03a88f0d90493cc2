#include "support/log.h"

#include "support/quote.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace crosshim {

CommandLog::CommandLog() {
  if (const char *v = getenv("CROSSHIM_LOG"))
    target_ = v;
}

void CommandLog::text(llvm::StringRef label, llvm::StringRef message) const {
  if (!enabled())
    return;
  std::string out =
      "crosshim[" + std::to_string(getpid()) + "] " + label.str() + ": " + message.str() + "\n";
  int fd = STDERR_FILENO;
  bool own = target_ != "stderr";
  if (own) {
    fd = open(target_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      return; // logging never breaks a build
  }
  const char *p = out.data();
  size_t left = out.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (own)
    close(fd);
}

void CommandLog::line(llvm::StringRef label, llvm::ArrayRef<std::string> argv) const {
  if (enabled())
    text(label, shellJoin(argv));
}

} // namespace crosshim
