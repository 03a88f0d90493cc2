// Environment lookups (std::optional works the same on LLVM 14 and 16,
// unlike llvm::Optional).
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

namespace crosshim {

/// The variable's value; nullopt when it is unset. Set-but-empty counts as unset.
inline std::optional<std::string> envVar(const char *name) {
  const char *v = std::getenv(name);
  if (!v || !*v)
    return std::nullopt;
  return std::string(v);
}

inline std::string envOr(const char *name, std::string fallback = {}) {
  return envVar(name).value_or(std::move(fallback));
}

} // namespace crosshim
