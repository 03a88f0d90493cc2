#include "support/log.h"

#include "support/errors.h"
#include "support/quote.h"
#include "support/safe_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace crosshim {
namespace {

bool isControl(char c) {
  return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}

void appendEscape(char c, std::string &out) {
  switch (c) {
  case '\n':
    out += "\\n";
    return;
  case '\r':
    out += "\\r";
    return;
  case '\t':
    out += "\\t";
    return;
  default: {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
    out += buf;
  }
  }
}

} // namespace

std::string escapeControl(llvm::StringRef text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (isControl(c))
      appendEscape(c, out);
    else
      out += c;
  }
  return out;
}

std::string logQuote(llvm::StringRef arg) {
  if (!llvm::any_of(arg, isControl))
    return shellQuote(arg);
  std::string out = "$'";
  for (char c : arg) {
    if (c == '\\' || c == '\'') {
      out += '\\';
      out += c;
    } else if (isControl(c)) {
      appendEscape(c, out);
    } else {
      out += c;
    }
  }
  return out + "'";
}

CommandLog::CommandLog(const Env &env) : target_(env.getOr("CROSSHIM_LOG")) {}

void CommandLog::text(llvm::StringRef label, llvm::StringRef message) const {
  if (!enabled() || !error_.empty())
    return;
  std::string out = "crosshim[" + std::to_string(getpid()) + "] " + escapeControl(label) + ": " +
                    escapeControl(message) + "\n";
  int fd = STDERR_FILENO;
  bool own = target_ != "stderr";
  if (own) {
    auto opened = openForAppend(target_);
    if (!opened) {
      error_ = "CROSSHIM_LOG: " + llvm::toString(opened.takeError());
      return;
    }
    fd = *opened;
  }
  const char *p = out.data();
  size_t left = out.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (own)
        error_ = "CROSSHIM_LOG: cannot write " + target_ + ": " +
                 (n < 0 ? std::strerror(errno) : "nothing written");
      break;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (own)
    close(fd);
}

void CommandLog::line(llvm::StringRef label, llvm::ArrayRef<std::string> argv) const {
  if (!enabled())
    return;
  std::string joined;
  for (const std::string &a : argv) {
    if (!joined.empty())
      joined += ' ';
    joined += logQuote(a);
  }
  text(label, joined);
}

llvm::Error CommandLog::takeError() const {
  if (error_.empty() || reported_)
    return llvm::Error::success();
  reported_ = true; // said once; error_ stays set, so no further writes are tried
  return makeError(ExitCode::Failure, error_);
}

} // namespace crosshim
