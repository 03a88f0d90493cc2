#include "shims/link_log.h"

#include "shims/args.h"
#include "shims/program_name.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/ConvertUTF.h>

namespace crosshim {
namespace {

// Cargo colours its output when asked (--color=always, CARGO_TERM_COLOR):
// CSI sequences (ESC [ params final-byte) around the words we look for.
std::string stripAnsi(llvm::StringRef line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\x1b' && i + 1 < line.size() && line[i + 1] == '[') {
      size_t j = i + 2;
      while (j < line.size() && !(line[j] >= 0x40 && line[j] <= 0x7e))
        ++j;
      i = j; // the final byte, or the end of the line
      continue;
    }
    out += line[i];
  }
  if (!out.empty() && out.back() == '\r')
    out.pop_back();
  return out;
}

void appendUtf8(uint32_t code, std::string &out) {
  char buffer[UNI_MAX_UTF8_BYTES_PER_CODE_POINT];
  char *end = buffer;
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ||
      !llvm::ConvertCodePointToUTF8(code, end))
    code = 0xfffd, end = buffer, llvm::ConvertCodePointToUTF8(code, end);
  out.append(buffer, end);
}

// One "..." word at text[pos] (text[pos] == '"'), with Rust's Debug escapes.
// Advances pos past the closing quote; nullopt when it is unterminated.
std::optional<std::string> readQuoted(llvm::StringRef text, size_t &pos) {
  std::string out;
  for (size_t i = pos + 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      pos = i + 1;
      return out;
    }
    if (c != '\\' || i + 1 == text.size()) {
      out += c;
      continue;
    }
    char e = text[++i];
    switch (e) {
    case 'n':
      out += '\n';
      break;
    case 't':
      out += '\t';
      break;
    case 'r':
      out += '\r';
      break;
    case '0':
      out += '\0';
      break;
    case 'x': { // a byte that is not UTF-8 (OsStr's Debug)
      unsigned value = 0;
      if (i + 2 < text.size() && !text.substr(i + 1, 2).getAsInteger(16, value)) {
        out += static_cast<char>(value);
        i += 2;
      } else {
        out += "\\x";
      }
      break;
    }
    case 'u': { // \u{1f600}
      size_t close = text.find('}', i);
      unsigned value = 0;
      if (i + 1 < text.size() && text[i + 1] == '{' && close != llvm::StringRef::npos &&
          close - i <= 8 && !text.slice(i + 2, close).getAsInteger(16, value)) {
        appendUtf8(value, out);
        i = close;
      } else {
        out += "\\u";
      }
      break;
    }
    default: // \" \\ \' and anything unknown: the character itself
      out += e;
      break;
    }
  }
  return std::nullopt;
}

bool isEnvName(llvm::StringRef word) {
  return !word.empty() && !llvm::isDigit(word[0]) &&
         llvm::all_of(word, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

} // namespace

std::optional<std::vector<std::string>> parseRustcCommand(llvm::StringRef text) {
  std::vector<std::string> words;
  size_t pos = 0;
  bool skipNextQuoted = false; // the directory after `cd`
  llvm::StringRef previous;    // the bare word before this one
  while (true) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t'))
      ++pos;
    if (pos == text.size())
      break;
    if (text[pos] == '"') {
      auto word = readQuoted(text, pos);
      if (!word)
        return std::nullopt;
      if (skipNextQuoted)
        skipNextQuoted = false;
      else
        words.push_back(std::move(*word));
      continue;
    }
    if (!words.empty())
      return std::nullopt; // only quoted arguments follow the program
    // Before the program: NAME="value", `cd "dir" &&`, `env -i`, `env -u NAME`.
    size_t end = text.find_first_of(" \t\"", pos);
    llvm::StringRef bare = text.slice(pos, end);
    if (bare.endswith("=") && isEnvName(bare.drop_back()) && end < text.size() &&
        text[end] == '"') {
      pos = end;
      if (!readQuoted(text, pos))
        return std::nullopt;
      continue;
    }
    if (end < text.size() && text[end] == '"')
      return std::nullopt; // a word glued to a quote that is not an assignment
    if (bare == "cd")
      skipNextQuoted = true;
    else if (bare != "&&" && bare != "env" && bare != "-i" && bare != "-u" &&
             !(previous == "-u" && isEnvName(bare)))
      return std::nullopt;
    previous = bare;
    pos = end == llvm::StringRef::npos ? text.size() : end;
  }
  if (words.empty())
    return std::nullopt;
  return words;
}

std::optional<LoggedLink> findRustcLink(llvm::StringRef log) {
  llvm::SmallVector<llvm::StringRef, 0> lines;
  log.split(lines, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string line = stripAnsi(lines[i]);
    llvm::StringRef l = llvm::StringRef(line).ltrim();
    size_t at = l.find("linking with `");
    if (!l.startswith("error") || at == llvm::StringRef::npos)
      continue;
    llvm::StringRef rest = l.drop_front(at + strlen("linking with `"));
    size_t tick = rest.find('`');
    if (tick == llvm::StringRef::npos)
      continue;
    LoggedLink link;
    link.linker = rest.take_front(tick).str();
    // The command is the first `= note:` of this error block that parses as
    // one; the block ends at the next unindented line.
    for (size_t j = i + 1; j < lines.size(); ++j) {
      std::string next = stripAnsi(lines[j]);
      llvm::StringRef n(next);
      if (!n.empty() && n[0] != ' ' && n[0] != '\t')
        break;
      n = n.ltrim();
      if (!n.consume_front("= note:"))
        continue;
      if (auto command = parseRustcCommand(n)) {
        link.arguments.assign(command->begin() + 1, command->end());
        link.hasCommand = true;
        if (link.linker.empty())
          link.linker = command->front();
        break;
      }
    }
    return link;
  }
  return std::nullopt;
}

LinkTarget targetOfLink(llvm::StringRef linker, llvm::ArrayRef<std::string> arguments) {
  for (size_t i = 0; i < arguments.size(); ++i)
    if (auto option = targetOptionAt(arguments, i))
      if (const Target *t = findTarget(option->value))
        return {t, "--target=" + option->value.str() + " in the link arguments"};
  if (!linker.empty()) {
    auto name = parseProgramName(linker);
    if (name && name->kind == ProgramName::Kind::Shim && name->target)
      return {name->target, "the linker name " + linker.str()};
    if (!name)
      llvm::consumeError(name.takeError());
  }
  return {};
}

} // namespace crosshim
