// The masquerade folder (cc, c++, ar, ... first on PATH): with no target
// asked for, the real host tool runs; crosshim must find it on PATH while
// skipping every entry that is crosshim itself, like ccache does.
#pragma once

#include "support/env.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <string>

namespace crosshim {

/// Searches `pathEnv` (a PATH value) for an executable `name` whose canonical
/// path is not `self`. Errors name what was skipped.
llvm::Expected<std::string> findRealTool(llvm::StringRef name, llvm::StringRef pathEnv,
                                         llvm::StringRef self);

/// CROSSHIM_DEPTH guards against loops that canonical paths cannot see (a
/// wrapper script named cc that calls cc): every forwarded command gets the
/// depth plus one, and a depth past the limit is an error.
constexpr unsigned kMaxDepth = 8;
llvm::Expected<unsigned> checkRecursionDepth(const Env &env);

} // namespace crosshim
