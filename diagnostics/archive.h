// The members of an ar archive (GNU and BSD formats), read from its bytes
// without llvm::object::Archive: that class reaches createBinary, which
// links LLVM's bitcode reader and IR (and their static constructors) into
// the shim, paid for at every start of every compile.
#pragma once

#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

namespace crosshim::diag {

struct ArchiveMember {
  llvm::StringRef name;  // "foo.o" (GNU's trailing '/' and BSD's #1/ form resolved)
  llvm::StringRef bytes; // the member's contents, inside the archive's bytes
};

/// Calls `visit` for each regular member of the archive `bytes` in order
/// (the symbol tables "/", "/SYM64/", "__.SYMDEF" and the long-name table
/// "//" are not members). A thin archive ("!<thin>\n") has no contents
/// inside: an error. Malformed input stops the walk with an error after the
/// members that could be read; never reads outside `bytes`.
llvm::Error forEachArchiveMember(llvm::StringRef bytes,
                                 llvm::function_ref<void(const ArchiveMember &)> visit);

} // namespace crosshim::diag
