// Runtime-support and code-generation causes of a failed link
// (explain.h: explainRuntimeEvent).
#include "explain.h"

namespace crosshim::diag {

bool explainRuntimeEvent(const LinkerEvent &, const SymbolIndex &, const LinkContext &, Report &) {
  return false; // nothing recognised yet: the general explanation applies
}

} // namespace crosshim::diag
