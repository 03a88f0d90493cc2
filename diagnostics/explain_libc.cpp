// C library causes of a failed link (explain.h: explainLibcEvent).
#include "explain.h"

namespace crosshim::diag {

bool explainLibcEvent(const LinkerEvent &, const SymbolIndex &, const LinkContext &, Report &) {
  return false; // nothing recognised yet: the general explanation applies
}

} // namespace crosshim::diag
