// Version numbers as directory and SDK names spell them ("12", "14.38.33130",
// "13.3"), turned into keys that compare as numbers, so 10.15 < 11.0 and
// 14.38 < 14.40. The one parser of these; each caller says what a part that
// is not a number means for its names.
#pragma once

#include <llvm/ADT/StringRef.h>

#include <vector>

namespace crosshim {

/// What a dot-separated part that is not a decimal number does.
enum class NonNumeric {
  AsZero,    ///< counts as 0 and the key goes on ("10.0.x" -> {10, 0, 0})
  StopThere, ///< ends the key ("13.3beta.1" -> {13})
  Reject,    ///< makes the whole name no version: an empty key
};

/// "14.38.33130" -> {14, 38, 33130}. An empty text gives an empty key; so
/// does any non-numeric part under NonNumeric::Reject.
std::vector<unsigned> versionKey(llvm::StringRef text, NonNumeric nonNumeric);

} // namespace crosshim
