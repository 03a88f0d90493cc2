#include "setup/cargo_config.h"

#include "support/errors.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/StringExtras.h>

#include <toml++/toml.h>

#include <map>

namespace crosshim {
namespace {

constexpr llvm::StringLiteral kBegin =
    "# >>> crosshim init: written by `crosshim init`; edit outside these markers >>>";
constexpr llvm::StringLiteral kBeginPrefix = "# >>> crosshim init";
constexpr llvm::StringLiteral kEnd = "# <<< crosshim init <<<";

std::vector<std::string> splitLines(llvm::StringRef text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    auto [line, rest] = text.split('\n');
    lines.push_back(line.str());
    text = rest;
  }
  return lines;
}

std::string joinLines(llvm::ArrayRef<std::string> lines) {
  std::string out;
  for (const std::string &l : lines)
    out += l + "\n";
  return out;
}

bool isBareKey(llvm::StringRef key) {
  return !key.empty() &&
         llvm::all_of(key, [](char c) { return llvm::isAlnum(c) || c == '-' || c == '_'; });
}

std::string keyText(llvm::StringRef key) {
  return isBareKey(key) ? key.str() : tomlString(key);
}

std::string tableText(llvm::ArrayRef<std::string> path) {
  std::string out;
  for (const std::string &part : path)
    out += (out.empty() ? "" : ".") + keyText(part);
  return out;
}

// The key path of a `[table]` header line, or nothing when the line is not
// one (`[[array]]` headers are not tables crosshim edits).
std::optional<std::vector<std::string>> headerPath(llvm::StringRef line) {
  line = line.trim();
  if (!line.consume_front("[") || line.startswith("["))
    return std::nullopt;
  std::vector<std::string> path;
  std::string part;
  bool any = false;
  while (!line.empty()) {
    char c = line.front();
    if (c == ']') {
      if (!any)
        return std::nullopt;
      path.push_back(llvm::StringRef(part).trim().str());
      llvm::StringRef rest = line.drop_front().ltrim();
      if (!rest.empty() && !rest.startswith("#"))
        return std::nullopt;
      return path;
    }
    if (c == '"' || c == '\'') {
      line = line.drop_front();
      size_t end = 0;
      std::string quoted;
      while (end < line.size() && line[end] != c) {
        if (c == '"' && line[end] == '\\' && end + 1 < line.size())
          ++end; // an escaped character: kept as is (table names rarely need it)
        quoted += line[end++];
      }
      if (end >= line.size())
        return std::nullopt;
      part += quoted;
      any = true;
      line = line.drop_front(end + 1);
      continue;
    }
    if (c == '.') {
      path.push_back(llvm::StringRef(part).trim().str());
      part.clear();
      any = false;
    } else if (c != ' ' && c != '\t') {
      part += c;
      any = true;
    }
    line = line.drop_front();
  }
  return std::nullopt;
}

llvm::Error usageError(llvm::StringRef path, const std::string &message) {
  return makeError(ExitCode::Usage, path.str() + ": " + message);
}

const toml::node *lookup(const toml::table &root, llvm::ArrayRef<std::string> path) {
  const toml::node *node = &root;
  for (const std::string &part : path) {
    const toml::table *table = node->as_table();
    if (!table)
      return nullptr;
    node = table->get(part);
    if (!node)
      return nullptr;
  }
  return node;
}

} // namespace

std::string tomlString(llvm::StringRef value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      static const char hex[] = "0123456789ABCDEF";
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

CargoTools cargoToolsFor(const Target &target) {
  if (target.isMsvc())
    return {"link", "cl", "cl", "lib"};
  return {"cc", "cc", "c++", "ar"};
}

std::vector<CargoEntry> cargoEntriesFor(llvm::ArrayRef<const Target *> targets,
                                        llvm::StringRef namesDir) {
  std::vector<CargoEntry> entries;
  for (const Target *t : targets) {
    const std::string triple = t->rust.str();
    std::string under = triple;
    std::replace(under.begin(), under.end(), '-', '_');
    const std::string name = namesDir.str() + "/" + triple + "-";
    const CargoTools tools = cargoToolsFor(*t);
    entries.push_back({{"target", triple}, "linker", name + tools.linker.str()});
    entries.push_back({{"target", triple}, "runner", name + "run"});
    entries.push_back({{"env"}, "CC_" + under, name + tools.cc.str()});
    entries.push_back({{"env"}, "CXX_" + under, name + tools.cxx.str()});
    entries.push_back({{"env"}, "AR_" + under, name + tools.ar.str()});
    entries.push_back({{"env"}, "RANLIB_" + under, name + "ranlib"});
    entries.push_back({{"env"}, "PKG_CONFIG_" + under, name + "pkg-config"});
    entries.push_back({{"env"}, "PKG_CONFIG_ALLOW_CROSS_" + under, "1"});
  }
  return entries;
}

namespace {

// Step 1: the lines of `text` without what an earlier run wrote (this run
// writes it anew).
llvm::Expected<std::vector<std::string>> withoutOurBlock(llvm::StringRef text,
                                                         llvm::StringRef path) {
  std::vector<std::string> lines;
  bool inBlock = false, removed = false;
  size_t opened = 0;
  std::vector<std::string> all = splitLines(text);
  for (size_t i = 0; i < all.size(); ++i) {
    llvm::StringRef trimmed = llvm::StringRef(all[i]).trim();
    if (!inBlock && trimmed.startswith(kBeginPrefix)) {
      inBlock = true;
      opened = i + 1;
    } else if (inBlock && trimmed.startswith(kEnd)) {
      inBlock = false;
      removed = true;
    } else if (!inBlock) {
      lines.push_back(all[i]);
    }
  }
  if (inBlock)
    return usageError(path, "line " + std::to_string(opened) +
                                ": the `crosshim init` block "
                                "has no end marker (" +
                                kEnd.str() + "); fix the file by hand");
  // The blank line an appended block was given goes with it.
  while (removed && !lines.empty() && llvm::StringRef(lines.back()).trim().empty())
    lines.pop_back();
  return lines;
}

// Step 2: the tables the entries need, in first-use order, and what is left
// to write in each; the lines of values --force replaces.
struct EntryPlan {
  std::vector<std::vector<std::string>> tables;
  std::map<std::vector<std::string>, std::vector<const CargoEntry *>> todo;
  std::vector<size_t> commentOut; // line indices
};

llvm::Expected<EntryPlan> planEntries(const toml::table &root,
                                      const std::vector<std::string> &lines,
                                      llvm::ArrayRef<CargoEntry> entries, llvm::StringRef path,
                                      bool force, CargoEdit &edit) {
  EntryPlan plan;
  for (const CargoEntry &e : entries) {
    if (!plan.todo.count(e.table))
      plan.tables.push_back(e.table);
    auto &list = plan.todo[e.table];
    std::vector<std::string> keyPath = e.table;
    keyPath.push_back(e.key);
    if (const toml::node *existing = lookup(root, keyPath)) {
      const auto *str = existing->as_string();
      if (str && str->get() == e.value)
        continue; // the user has it already
      const std::string shown = tableText(keyPath);
      const auto &where = existing->source();
      if (!force)
        return usageError(path, "line " + std::to_string(where.begin.line) + ": " + shown +
                                    " is already set to another value; crosshim init would set "
                                    "it to " +
                                    tomlString(e.value) +
                                    " (--force replaces it, commenting the old line out)");
      if (where.begin.line != where.end.line || where.begin.line == 0 ||
          where.begin.line > lines.size())
        return usageError(path, "line " + std::to_string(where.begin.line) + ": " + shown +
                                    " spans several lines; change it by hand");
      plan.commentOut.push_back(where.begin.line - 1);
      edit.replaced.push_back(
          shown + " (was: " + llvm::StringRef(lines[where.begin.line - 1]).trim().str() + ")");
    }
    list.push_back(&e);
  }
  return plan;
}

// Step 3: each table's entries under its own header, or appended, in a
// block between our markers.
llvm::Error placeEntries(const toml::table &root, const EntryPlan &plan, llvm::StringRef path,
                         std::vector<std::string> &lines) {
  std::map<size_t, std::vector<std::string>> insertAfter; // header line -> block
  std::vector<std::string> appended;
  for (const std::vector<std::string> &table : plan.tables) {
    const auto &list = plan.todo.at(table);
    if (list.empty())
      continue;
    std::vector<std::string> block;
    for (const CargoEntry *e : list)
      block.push_back(keyText(e->key) + " = " + tomlString(e->value));
    if (const toml::node *existing = lookup(root, table)) {
      const toml::table *t = existing->as_table();
      std::optional<size_t> header;
      for (size_t i = 0; i < lines.size() && t && !t->is_inline(); ++i)
        if (auto p = headerPath(lines[i]); p && *p == table)
          header = i;
      if (!header)
        return usageError(path, tableText(table) +
                                    " is written as an inline table or with dotted keys; crosshim "
                                    "init adds its entries only to a [" +
                                    tableText(table) + "] section: rewrite it as one");
      auto &at = insertAfter[*header];
      at.insert(at.end(), block.begin(), block.end());
    } else {
      if (!appended.empty())
        appended.push_back("");
      appended.push_back("[" + tableText(table) + "]");
      appended.insert(appended.end(), block.begin(), block.end());
    }
  }

  for (size_t i : plan.commentOut)
    lines[i] = "# replaced by crosshim init --force: " + lines[i];
  for (auto it = insertAfter.rbegin(); it != insertAfter.rend(); ++it) {
    std::vector<std::string> block{kBegin.str()};
    block.insert(block.end(), it->second.begin(), it->second.end());
    block.push_back(kEnd.str());
    lines.insert(lines.begin() + it->first + 1, block.begin(), block.end());
  }
  if (!appended.empty()) {
    if (!lines.empty())
      lines.push_back("");
    lines.push_back(kBegin.str());
    lines.insert(lines.end(), appended.begin(), appended.end());
    lines.push_back(kEnd.str());
  }
  return llvm::Error::success();
}

// The result must read back with every entry in place.
llvm::Error checkEdited(const std::string &text, llvm::StringRef path,
                        llvm::ArrayRef<CargoEntry> entries) {
  toml::parse_result check = toml::parse(std::string_view(text.data(), text.size()));
  if (!check)
    return makeError(ExitCode::Failure,
                     path.str() + ": crosshim init produced invalid TOML (line " +
                         std::to_string(check.error().source().begin.line) + ": " +
                         std::string(check.error().description()) + "); nothing was written");
  for (const CargoEntry &e : entries) {
    std::vector<std::string> keyPath = e.table;
    keyPath.push_back(e.key);
    const toml::node *node = lookup(check.table(), keyPath);
    if (!node || !node->as_string() || node->as_string()->get() != e.value)
      return makeError(ExitCode::Failure, path.str() + ": crosshim init could not set " +
                                              tableText(keyPath) + "; nothing was written");
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<CargoEdit> editCargoConfig(llvm::StringRef text, llvm::StringRef path,
                                          llvm::ArrayRef<CargoEntry> entries, bool force) {
  auto lines = withoutOurBlock(text, path);
  if (!lines)
    return lines.takeError();
  const std::string rest = joinLines(*lines);
  toml::parse_result parsed = toml::parse(std::string_view(rest.data(), rest.size()),
                                          std::string_view(path.data(), path.size()));
  if (!parsed) {
    const toml::parse_error &err = parsed.error();
    return usageError(path, "line " + std::to_string(err.source().begin.line) + ": " +
                                std::string(err.description()) +
                                " (crosshim init edits only valid TOML)");
  }
  const toml::table &root = parsed.table();
  CargoEdit edit;
  auto plan = planEntries(root, *lines, entries, path, force, edit);
  if (!plan)
    return plan.takeError();
  if (auto err = placeEntries(root, *plan, path, *lines))
    return err;
  edit.text = joinLines(*lines);
  if (auto err = checkEdited(edit.text, path, entries))
    return err;
  return edit;
}

std::string unifiedDiff(llvm::StringRef before, llvm::StringRef after, llvm::StringRef oldName,
                        llvm::StringRef newName) {
  if (before == after)
    return {};
  const std::vector<std::string> a = splitLines(before), b = splitLines(after);
  // Longest common subsequence of lines (config files are small).
  std::vector<std::vector<unsigned>> lcs(a.size() + 1, std::vector<unsigned>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;)
    for (size_t j = b.size(); j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  struct Op {
    char tag;    // ' ', '-', '+'
    size_t i, j; // positions in a and b before this line
  };
  std::vector<Op> ops;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      ops.push_back({' ', i++, j++});
    } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push_back({'-', i++, j}); // removals before additions, as diff -u prints them
    } else {
      ops.push_back({'+', i, j++});
    }
  }
  std::string out = "--- " + oldName.str() + "\n+++ " + newName.str() + "\n";
  constexpr size_t kContext = 3;
  for (size_t k = 0; k < ops.size();) {
    if (ops[k].tag == ' ') {
      ++k;
      continue;
    }
    // A hunk: from kContext lines before this change to kContext after the
    // last change that is closer than 2*kContext to the previous one.
    size_t start = k >= kContext ? k - kContext : 0, end = k;
    while (end < ops.size()) {
      size_t next = end;
      while (next < ops.size() && ops[next].tag != ' ')
        ++next;
      size_t same = next;
      while (same < ops.size() && ops[same].tag == ' ')
        ++same;
      if (same < ops.size() && same - next <= 2 * kContext)
        end = same;
      else {
        end = std::min(ops.size(), next + kContext);
        break;
      }
    }
    size_t aCount = 0, bCount = 0;
    for (size_t m = start; m < end; ++m) {
      aCount += ops[m].tag != '+';
      bCount += ops[m].tag != '-';
    }
    out += "@@ -" + std::to_string(ops[start].i + (aCount ? 1 : 0)) + "," + std::to_string(aCount) +
           " +" + std::to_string(ops[start].j + (bCount ? 1 : 0)) + "," + std::to_string(bCount) +
           " @@\n";
    for (size_t m = start; m < end; ++m)
      out += std::string(1, ops[m].tag) + (ops[m].tag == '+' ? b[ops[m].j] : a[ops[m].i]) + "\n";
    k = end;
  }
  return out;
}

} // namespace crosshim
