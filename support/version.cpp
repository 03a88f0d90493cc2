#include "support/version.h"

#include <llvm/ADT/SmallVector.h>

namespace crosshim {

std::vector<unsigned> versionKey(llvm::StringRef text, NonNumeric nonNumeric) {
  std::vector<unsigned> key;
  if (text.empty())
    return key;
  llvm::SmallVector<llvm::StringRef, 4> parts;
  text.split(parts, '.');
  for (llvm::StringRef part : parts) {
    unsigned n = 0;
    if (!part.getAsInteger(10, n)) {
      key.push_back(n);
      continue;
    }
    switch (nonNumeric) {
    case NonNumeric::AsZero:
      key.push_back(0);
      break;
    case NonNumeric::StopThere:
      return key;
    case NonNumeric::Reject:
      return {};
    }
  }
  return key;
}

} // namespace crosshim
