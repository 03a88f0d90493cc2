// The environment crosshim runs in, as a value: main takes one snapshot of
// the process's environment (Env::process()) and passes it down, so that a
// plan reads no variable of its own and a test can pass its own environment.
// (std::optional works the same on LLVM 14 and 16, unlike llvm::Optional.)
#pragma once

#include <llvm/ADT/ArrayRef.h>

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crosshim {

class Env {
public:
  /// No variable at all.
  Env() = default;
  /// NAME=value entries (the environment a test passes); an entry without
  /// '=' is ignored by lookups, like the C library's getenv does.
  explicit Env(std::vector<std::string> entries);
  Env(std::initializer_list<std::string> entries) : Env(std::vector<std::string>(entries)) {}

  /// The process's environment now. The only place crosshim reads `environ`
  /// to look a variable up: the entries' pointers are copied (a shim runs on
  /// every compile, the strings themselves stay where they are; nothing in
  /// crosshim changes its own environment afterwards).
  static Env process();

  /// The variable's value; nullopt when it is unset. Set-but-empty counts as
  /// unset. Looked up by a scan of the entries, first one wins (getenv's rule).
  std::optional<std::string_view> get(std::string_view name) const;
  /// The value even when it is empty ("" for NAME=); nullopt when unset.
  /// For the few variables where set-and-empty means something
  /// (CROSSHIM_LAUNCHER= turns the configured launcher off).
  std::optional<std::string_view> lookup(std::string_view name) const;
  /// The value, or `fallback` when unset or empty.
  std::string getOr(std::string_view name, std::string fallback = {}) const;
  /// Set, not empty and not "0" (CROSSHIM_DRY_RUN=1, CROSSHIM_STRICT=1, ...).
  bool flag(std::string_view name) const;

  /// This environment with `name` set to `value` (nullopt: removed).
  Env with(std::string_view name, std::optional<std::string_view> value) const;

  /// Every NAME=value entry, in order: what a child's environment starts from.
  llvm::ArrayRef<const char *> entries() const { return entries_; }

  /// crosshim's cache folder, ${XDG_CACHE_HOME:-$HOME/.cache}/crosshim (apt
  /// state for `sysroot create`, MSVC linker and library-name links); empty
  /// when neither variable is set.
  std::string userCacheDir() const;

private:
  // Owned entries (a test's environment, or one made by with()); shared so
  // that copying an Env (a Plan keeps one) copies no string.
  std::shared_ptr<const std::vector<std::string>> owned_;
  std::vector<const char *> entries_;
};

} // namespace crosshim
