#include "shims/masquerade.h"

#include "support/env.h"
#include "support/errors.h"
#include "shims/toolchain.h"
#include "shims/launcher.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace crosshim {

llvm::Expected<std::string> findRealTool(llvm::StringRef name, llvm::StringRef pathEnv,
                                         llvm::StringRef self) {
  llvm::SmallVector<llvm::StringRef, 16> dirs;
  pathEnv.split(dirs, ':', -1, /*KeepEmpty=*/false);
  unsigned skipped = 0, wrappers = 0;
  llvm::sys::fs::UniqueID selfId;
  const bool haveSelfId = !llvm::sys::fs::getUniqueID(self, selfId);
  for (llvm::StringRef dir : dirs) {
    llvm::SmallString<256> candidate(dir);
    llvm::sys::path::append(candidate, name);
    if (!llvm::sys::fs::can_execute(candidate) || llvm::sys::fs::is_directory(candidate))
      continue;
    // Canonical path, like ccache; file identity also catches hard links.
    const std::string real = realPath(candidate);
    // A compiler wrapper's folder (/usr/lib/ccache, /usr/lib/distcc, ...)
    // would run the first `cc` on PATH after itself: crosshim again.
    if (isCompilerWrapper(real)) {
      ++wrappers;
      continue;
    }
    llvm::sys::fs::UniqueID id;
    bool same =
        real == self || (haveSelfId && !llvm::sys::fs::getUniqueID(candidate, id) && id == selfId);
    if (same) {
      ++skipped;
      continue;
    }
    return std::string(candidate);
  }
  if (skipped)
    return makeError(ExitCode::Failure, "recursive invocation: every '" + name.str() +
                                            "' on PATH is crosshim itself (" +
                                            std::to_string(skipped) +
                                            " skipped); install the host's " + name.str() +
                                            " or set CROSSHIM_TARGET to cross-compile");
  return makeError(ExitCode::Failure,
                   "no host '" + name.str() + "' on PATH besides crosshim's masquerade folder" +
                       (wrappers ? " and compiler wrappers (" + std::to_string(wrappers) +
                                       " skipped: ccache, sccache, distcc, icecc)"
                                 : std::string()));
}

llvm::Expected<unsigned> checkRecursionDepth(const Env &env) {
  unsigned depth = 0;
  if (auto v = env.get("CROSSHIM_DEPTH"))
    llvm::StringRef(*v).getAsInteger(10, depth);
  if (depth >= kMaxDepth)
    return makeError(
        ExitCode::Failure,
        "recursive invocation: crosshim has been called " + std::to_string(depth) +
            " times in a row (CROSSHIM_DEPTH); a wrapper on PATH probably calls it back");
  return depth;
}

} // namespace crosshim
