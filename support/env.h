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

/// crosshim's cache folder, ${XDG_CACHE_HOME:-$HOME/.cache}/crosshim (apt
/// state for `sysroot create`, MSVC linker and library-name links); empty
/// when neither variable is set.
inline std::string userCacheDir() {
  if (auto xdg = envVar("XDG_CACHE_HOME"))
    return *xdg + "/crosshim";
  if (auto home = envVar("HOME"))
    return *home + "/.cache/crosshim";
  return {};
}

} // namespace crosshim
