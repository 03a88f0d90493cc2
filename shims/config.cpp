#include "shims/config.h"

#include "shims/args.h"

#include "support/env.h"
#include "support/errors.h"
#include "support/safe_file.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <toml++/toml.h>

#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

namespace crosshim {
namespace {

// A configuration file is a few lines; a limit keeps a huge one (or one
// that grows while it is read) from costing every compile.
constexpr uint64_t kMaxConfigBytes = 1 << 20;

class Parser {
public:
  Parser(llvm::StringRef path, const Env &env) : path_(path), env_(env) {}

  llvm::Error error(const toml::source_region &where, const std::string &msg) const {
    return makeError(ExitCode::Usage, path_ + ":" + std::to_string(where.begin.line) + ": " + msg);
  }

  llvm::Expected<std::string> string(const toml::node &node, llvm::StringRef key) const {
    if (auto s = node.value<std::string>())
      return *s;
    return error(node.source(), "'" + key.str() + "' must be a string");
  }

  llvm::Expected<std::string> pathValue(const toml::node &node, llvm::StringRef key) const {
    auto s = string(node, key);
    if (!s)
      return s.takeError();
    if (s->empty())
      return error(node.source(), "'" + key.str() + "' must not be empty");
    if (llvm::sys::path::is_absolute(*s))
      return *s;
    if (llvm::StringRef(*s).startswith("~/")) {
      if (auto home = env_.get("HOME"))
        return std::string(*home) + s->substr(1);
      return error(node.source(), "'" + key.str() + "' starts with ~/ but HOME is not set");
    }
    // Relative paths are relative to the file that says them.
    llvm::SmallString<256> full(llvm::sys::path::parent_path(path_));
    llvm::sys::path::append(full, *s);
    return std::string(full);
  }

  llvm::Error flags(const toml::node &node, llvm::StringRef key,
                    std::vector<std::string> &out) const {
    if (auto s = node.value<std::string>()) {
      // A plain string is split as a shell would split CFLAGS, quotes included.
      for (std::string &arg : tokenizeGnu(*s))
        out.push_back(std::move(arg));
      return llvm::Error::success();
    }
    const toml::array *arr = node.as_array();
    if (!arr)
      return error(node.source(), "'" + key.str() + "' must be an array of strings");
    for (const toml::node &item : *arr) {
      auto s = item.value<std::string>();
      if (!s)
        return error(item.source(), "'" + key.str() + "' must contain only strings");
      out.push_back(*s);
    }
    return llvm::Error::success();
  }

  // Reads the keys of one table; `isTarget` allows the per-target-only keys.
  llvm::Error settings(const toml::table &table, bool isTarget, TargetSettings &out) const;

private:
  std::string path_;
  const Env &env_;
};

std::vector<std::pair<const toml::key *, const toml::node *>> inFileOrder(const toml::table &table);

llvm::Error Parser::settings(const toml::table &table, bool isTarget, TargetSettings &out) const {
  for (auto [k, nodePtr] : inFileOrder(table)) {
    const toml::node &node = *nodePtr;
    llvm::StringRef key(k->str().data(), k->str().size());
    if (key == "llvm") {
      auto v = pathValue(node, key);
      if (!v)
        return v.takeError();
      out.llvm = *v;
      out.llvmLine = node.source().begin.line;
    } else if (key == "sysroot" && isTarget) {
      auto v = pathValue(node, key);
      if (!v)
        return v.takeError();
      out.sysroot = *v;
      out.sysrootLine = node.source().begin.line;
    } else if (key == "glibc" && isTarget) {
      auto v = string(node, key);
      if (!v)
        return v.takeError();
      auto version = parseGlibcVersion(*v);
      if (!version)
        return error(node.source(), "'glibc': " + llvm::toString(version.takeError()));
      out.glibc = *version;
    } else if (key == "rust-lld") {
      auto v = string(node, key);
      if (!v)
        return v.takeError();
      if (*v == "keep")
        out.rustLld = RustLld::Keep;
      else if (*v == "replace")
        out.rustLld = RustLld::Replace;
      else
        return error(node.source(),
                     "'rust-lld' must be \"keep\" or \"replace\", not \"" + *v + "\"");
    } else if (key == "cflags" || key == "cxxflags" || key == "ldflags") {
      auto &dest = key == "cflags" ? out.cflags : key == "cxxflags" ? out.cxxflags : out.ldflags;
      if (auto err = flags(node, key, dest))
        return err;
    } else if (key == "launcher") {
      out.launcher.clear();
      if (auto err = flags(node, key, out.launcher))
        return err;
      if (out.launcher.empty()) // launcher = "": none, also over the defaults
        out.launcher.push_back("");
    } else if (key == "target" && !isTarget) {
      continue; // handled by the caller
    } else {
      std::string allowed =
          isTarget ? "llvm, sysroot, glibc, rust-lld, cflags, cxxflags, ldflags, launcher"
                   : "llvm, rust-lld, cflags, cxxflags, ldflags, launcher, "
                     "[target.<triple>]";
      return error(node.source(), "unknown key '" + key.str() + "'" +
                                      (isTarget ? " in a [target] table" : "") +
                                      " (allowed: " + allowed + ")");
    }
  }
  return llvm::Error::success();
}

// toml++ iterates a table's keys sorted; messages and precedence follow the file.
std::vector<std::pair<const toml::key *, const toml::node *>>
inFileOrder(const toml::table &table) {
  std::vector<std::pair<const toml::key *, const toml::node *>> entries;
  for (auto &&[k, node] : table)
    entries.emplace_back(&k, &node);
  std::stable_sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) {
    const auto &pa = a.first->source().begin, &pb = b.first->source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  return entries;
}

std::optional<std::string> firstExisting(std::initializer_list<std::string> candidates) {
  for (const std::string &c : candidates)
    if (!c.empty() && llvm::sys::fs::exists(c))
      return c;
  return std::nullopt;
}

} // namespace

TargetSettings Config::forTarget(const Target &target) const {
  TargetSettings merged = defaults;
  auto it = targets.find(target.rust.str());
  if (it == targets.end())
    return merged;
  const TargetSettings &t = it->second;
  if (t.llvm) {
    merged.llvm = t.llvm;
    merged.llvmLine = t.llvmLine;
  }
  if (t.sysroot) {
    merged.sysroot = t.sysroot;
    merged.sysrootLine = t.sysrootLine;
  }
  if (t.glibc)
    merged.glibc = t.glibc;
  if (t.rustLld)
    merged.rustLld = t.rustLld;
  if (!t.launcher.empty())
    merged.launcher = t.launcher;
  merged.cflags.insert(merged.cflags.end(), t.cflags.begin(), t.cflags.end());
  merged.cxxflags.insert(merged.cxxflags.end(), t.cxxflags.begin(), t.cxxflags.end());
  merged.ldflags.insert(merged.ldflags.end(), t.ldflags.begin(), t.ldflags.end());
  return merged;
}

llvm::Expected<Config> parseConfig(llvm::StringRef text, llvm::StringRef path, const Env &env) {
  Config config;
  config.path = path.str();
  Parser parser(path, env);

  toml::parse_result parsed = toml::parse(std::string_view(text.data(), text.size()),
                                          std::string_view(path.data(), path.size()));
  if (!parsed) {
    const toml::parse_error &err = parsed.error();
    return parser.error(err.source(), std::string(err.description()));
  }
  const toml::table &root = parsed.table();
  if (auto err = parser.settings(root, /*isTarget=*/false, config.defaults))
    return err;

  if (const toml::node *targetNode = root.get("target")) {
    const toml::table *targets = targetNode->as_table();
    if (!targets)
      return parser.error(targetNode->source(),
                          "'target' must be a table of [target.<triple>] tables");
    std::map<std::string, std::string> spelledAs; // Rust triple -> first spelling
    for (auto [key, nodePtr] : inFileOrder(*targets)) {
      const toml::key &k = *key;
      const toml::node &node = *nodePtr;
      std::string name(k.str());
      const toml::table *table = node.as_table();
      if (!table)
        return parser.error(node.source(), "'target." + name + "' must be a table");
      const Target *target = findTarget(name);
      if (!target) {
        std::string msg = "unknown target '" + name + "' in [target." + name + "]";
        auto close = closestTargetNames(name);
        if (!close.empty())
          msg += "; did you mean " + llvm::join(close, ", ") + "?";
        return parser.error(k.source(), msg);
      }
      auto [first, fresh] = spelledAs.emplace(target->rust.str(), name);
      if (!fresh)
        return parser.error(k.source(), "[target." + name + "] is the same target as [target." +
                                            first->second + "] (" + target->rust.str() +
                                            "); merge the two tables");
      if (auto err = parser.settings(*table, /*isTarget=*/true, config.targets[target->rust.str()]))
        return err;
    }
  }
  return config;
}

std::optional<std::string> untrustedConfigReason(const std::string &path) {
  // Who may have written the file: its owner, and whoever its mode lets.
  // Like git's safe.directory check: the current user's own files and
  // root's are trusted, as long as nobody else may change them.
  const uid_t me = ::geteuid();
  auto ownerText = [&](uid_t uid) {
    return "owned by uid " + std::to_string(uid) + ", not by you (uid " + std::to_string(me) +
           ") or root";
  };
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0)
    return std::nullopt; // not there: nothing to trust or refuse
  if (S_ISLNK(st.st_mode)) {
    if (st.st_uid != me && st.st_uid != 0)
      return "it is a symlink " + ownerText(st.st_uid);
    if (::stat(path.c_str(), &st) != 0)
      return std::nullopt;
  }
  if (st.st_uid != me && st.st_uid != 0)
    return "it is " + ownerText(st.st_uid);
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  if (st.st_mode & S_IWOTH)
    return "anyone may write it (mode " + std::string(mode) + ")";
  if ((st.st_mode & S_IWGRP) && st.st_gid != ::getegid())
    return "group " + std::to_string(st.st_gid) + ", not yours, may write it (mode " +
           std::string(mode) + ")";
  return std::nullopt;
}

llvm::Expected<std::string> locateConfig(const Env &env, std::vector<SkippedConfig> *skipped) {
  if (auto explicitPath = env.get("CROSSHIM_CONFIG")) {
    const std::string named(*explicitPath);
    if (!llvm::sys::fs::exists(named))
      return makeError(ExitCode::Usage,
                       "CROSSHIM_CONFIG names " + named + ", which does not exist");
    return named; // named by the user: trusted as it is
  }
  llvm::SmallString<256> dir;
  if (!llvm::sys::fs::current_path(dir)) {
    for (llvm::StringRef d = dir; !d.empty(); d = llvm::sys::path::parent_path(d)) {
      llvm::SmallString<256> candidate(d);
      llvm::sys::path::append(candidate, "crosshim.toml");
      if (!llvm::sys::fs::exists(candidate))
        continue;
      // Found by walking up, perhaps in a directory others write to (/tmp,
      // a shared build tree): only a file nobody else controls is obeyed.
      // One that is not is passed over as if it were not there.
      if (auto why = untrustedConfigReason(std::string(candidate))) {
        if (skipped)
          skipped->push_back({std::string(candidate), *why});
        continue;
      }
      return std::string(candidate);
    }
  }
  std::string xdg = env.getOr("XDG_CONFIG_HOME");
  std::string home = env.getOr("HOME");
  auto found = firstExisting({xdg.empty() ? "" : xdg + "/crosshim/config.toml",
                              home.empty() ? "" : home + "/.config/crosshim/config.toml"});
  return found.value_or("");
}

llvm::Expected<Config> loadConfig(const Env &env) {
  std::vector<SkippedConfig> skipped;
  auto path = locateConfig(env, &skipped);
  if (!path)
    return path.takeError();
  Config none;
  none.skipped = skipped;
  if (path->empty())
    return none;
  // Only a regular file: opening a FIFO (no writer) would block for ever.
  // CROSSHIM_CONFIG=/dev/null is the usual way to say "no configuration".
  if (*path == "/dev/null")
    return none;
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(*path, status) &&
      status.type() != llvm::sys::fs::file_type::regular_file)
    return makeError(ExitCode::Usage,
                     "cannot read configuration file " + *path + ": not a regular file");
  auto text =
      readFileBounded(*path, "configuration file", {kMaxConfigBytes, false, ExitCode::Usage});
  if (!text)
    return text.takeError();
  auto config = parseConfig(*text, *path, env);
  if (config)
    config->skipped = std::move(skipped);
  return config;
}

} // namespace crosshim
