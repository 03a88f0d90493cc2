// What the rewrite tests share: running rewriteCommand where an error is a
// test failure.
#pragma once

#include "shims/rewrite.h"

#include <gtest/gtest.h>

namespace crosshim::test {

/// The rewritten command; a test failure (and an empty result) on error.
inline RewriteResult rewriteOrFail(const RewriteInput &in) {
  auto result = rewriteCommand(in);
  if (!result) {
    ADD_FAILURE() << "rewriteCommand failed: " << llvm::toString(result.takeError());
    return {};
  }
  return std::move(*result);
}

} // namespace crosshim::test
