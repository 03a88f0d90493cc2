// `crosshim sysroot fix` and sysroot create: the writing half of the symlink
// fixes. diagnostics/symlink_fix.h plans them (it only reads) and reports
// them; these carry a plan out inside its root and nowhere else.
#pragma once

#include "diagnostics/symlink_fix.h"

#include <llvm/Support/Error.h>

namespace crosshim {

/// Carries out the plan: each link is re-checked (it must still be the link
/// the plan saw), created under a temporary name in its own directory and
/// renamed over the old one (atomic). Directories are opened one component
/// at a time from the root without following links, so nothing is written
/// outside the root even if the tree changes meanwhile; a link that changed
/// is left alone and becomes a failure. An error (nothing changed at all):
/// the root cannot be opened, or a directory that needs a new link is not
/// writable.
llvm::Expected<diag::SymlinkFixResult> applySymlinkFixes(const diag::SymlinkFixPlan &plan);

/// Creates the planned dev links (never replacing an entry that exists by
/// then), opening directories one component at a time from the root without
/// following links. An error (nothing created): the root cannot be opened or
/// a directory that needs a link is not writable.
llvm::Expected<diag::DevLinkResult> applyDevLinks(const diag::DevLinkPlan &plan);

} // namespace crosshim
