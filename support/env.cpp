#include "support/env.h"

#include <cstring>

extern char **environ;

namespace crosshim {
namespace {

// The value of a NAME=value entry when its name is `name`. Other entries are
// not measured (no strlen): a lookup runs over the whole environment.
std::optional<std::string_view> valueIfNamed(const char *entry, std::string_view name) {
  // The first two bytes inline, as glibc's getenv does: most entries differ there.
  if (name.empty() || entry[0] != name[0])
    return std::nullopt;
  if (name.size() > 1 &&
      (entry[1] != name[1] || std::strncmp(entry + 2, name.data() + 2, name.size() - 2) != 0))
    return std::nullopt;
  if (entry[name.size()] != '=')
    return std::nullopt;
  return std::string_view(entry + name.size() + 1);
}

} // namespace

Env::Env(std::vector<std::string> entries)
    : owned_(std::make_shared<const std::vector<std::string>>(std::move(entries))) {
  entries_.reserve(owned_->size());
  for (const std::string &e : *owned_)
    entries_.push_back(e.c_str());
}

Env Env::process() {
  Env env;
  if (!environ)
    return env;
  size_t count = 0;
  while (environ[count])
    ++count;
  env.entries_.assign(environ, environ + count);
  return env;
}

std::optional<std::string_view> Env::lookup(std::string_view name) const {
  for (const char *e : entries_)
    if (auto value = valueIfNamed(e, name))
      return value;
  return std::nullopt;
}

std::optional<std::string_view> Env::get(std::string_view name) const {
  auto value = lookup(name);
  if (value && value->empty())
    return std::nullopt;
  return value;
}

std::string Env::getOr(std::string_view name, std::string fallback) const {
  if (auto value = get(name))
    return std::string(*value);
  return fallback;
}

bool Env::flag(std::string_view name) const {
  auto value = get(name);
  return value && *value != "0";
}

Env Env::with(std::string_view name, std::optional<std::string_view> value) const {
  std::vector<std::string> entries;
  entries.reserve(entries_.size() + 1);
  for (const char *e : entries_)
    if (!valueIfNamed(e, name))
      entries.emplace_back(e);
  if (value)
    entries.push_back(std::string(name) + "=" + std::string(*value));
  return Env(std::move(entries));
}

std::string Env::userCacheDir() const {
  if (auto xdg = get("XDG_CACHE_HOME"))
    return std::string(*xdg) + "/crosshim";
  if (auto home = get("HOME"))
    return std::string(*home) + "/.cache/crosshim";
  return {};
}

} // namespace crosshim
