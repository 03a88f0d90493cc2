// <prefix>-as: GNU as's command line turned into one for clang's integrated
// assembler (clang -c -x assembler --target=<triple>). The options GNU as
// callers pass (GCC's own as line, kernel-style Makefiles, autoconf's
// AC_CHECK_TOOL(AS, as), libtool) are translated or checked against the
// target; an option crosshim does not know is an error, never dropped.
#pragma once

#include "shims/rewrite.h"

namespace crosshim {

/// The GNU as version `<prefix>-as --version` names on its first line: the
/// binutils release whose options the translation follows (Debian bookworm's,
/// what the e2e tests compare with).
inline constexpr llvm::StringRef kGnuAsVersion = "2.40";

/// The rewrite for ToolKind::Assembler (rules gnu-as, gnu-as-several-inputs,
/// gnu-as-version). Fails on an unknown option or one that contradicts the
/// target (--32 for x86_64, -EB, -mabi=ilp32, ...).
llvm::Expected<RewriteResult> rewriteAsCommand(const RewriteInput &input);

} // namespace crosshim
