#include "diagnostics/archive.h"

namespace crosshim::diag {
namespace {

llvm::Error malformed(size_t offset, const char *what) {
  return llvm::createStringError(std::make_error_code(std::errc::invalid_argument),
                                 "malformed archive at offset %zu: %s", offset, what);
}

} // namespace

llvm::Error forEachArchiveMember(llvm::StringRef bytes,
                                 llvm::function_ref<void(const ArchiveMember &)> visit) {
  constexpr llvm::StringLiteral kMagic = "!<arch>\n";
  if (bytes.startswith("!<thin>\n"))
    return llvm::createStringError(std::make_error_code(std::errc::not_supported),
                                   "a thin archive: its members are separate files");
  if (!bytes.startswith(kMagic))
    return malformed(0, "no !<arch> magic");
  llvm::StringRef longNames; // GNU's "//" member
  size_t offset = kMagic.size();
  while (offset < bytes.size()) {
    // name[16] date[12] uid[6] gid[6] mode[8] size[10] "`\n"
    if (bytes.size() - offset < 60)
      return malformed(offset, "a member header is cut short");
    const llvm::StringRef header = bytes.substr(offset, 60);
    if (header.substr(58, 2) != "`\n")
      return malformed(offset, "a member header does not end in `\\n");
    uint64_t size = 0;
    if (header.substr(48, 10).rtrim(' ').getAsInteger(10, size))
      return malformed(offset, "a member size is not a number");
    const size_t start = offset + 60;
    if (size > bytes.size() - start)
      return malformed(offset, "a member runs past the end");
    llvm::StringRef body = bytes.substr(start, size);
    llvm::StringRef name = header.take_front(16).rtrim(' ');

    bool isMember = true;
    if (name == "/" || name == "/SYM64/" || name == "__.SYMDEF" || name == "__.SYMDEF SORTED") {
      isMember = false;
    } else if (name == "//") {
      longNames = body;
      isMember = false;
    } else if (name.consume_front("#1/")) {
      // BSD: the name's length, the name at the start of the contents.
      uint64_t length = 0;
      if (name.getAsInteger(10, length) || length > body.size())
        return malformed(offset, "a BSD long name does not fit");
      name = body.take_front(length).split('\0').first;
      body = body.drop_front(length);
      if (name.startswith("__.SYMDEF"))
        isMember = false;
    } else if (name.size() > 1 && name.front() == '/') {
      // GNU: "/<offset>" into the long-name table, ended by "/\n".
      uint64_t at = 0;
      if (name.drop_front().getAsInteger(10, at) || at >= longNames.size())
        return malformed(offset, "a long-name offset is out of range");
      name = longNames.drop_front(at);
      // GNU ends a long name with "/\n", Microsoft's lib.exe with a NUL.
      name = name.take_until([](char c) { return c == '\n' || c == '\0'; });
      name.consume_back("/");
    } else {
      name.consume_back("/"); // GNU's short names end in '/'
    }
    if (isMember)
      visit({name, body});
    offset = start + size + (size & 1); // members are 2-byte aligned
  }
  return llvm::Error::success();
}

} // namespace crosshim::diag
