#include "diagnostics/linker_script.h"

namespace crosshim::diag {
namespace {

enum class Tok { Word, LParen, RParen, Comma, Other, End };

// One token at a time; every call consumes at least one byte unless at the
// end, so parsing is linear in the input whatever it holds.
class Lexer {
public:
  explicit Lexer(llvm::StringRef text) : text_(text) {}

  Tok next(std::string *word = nullptr) {
    skipBlanks();
    if (pos_ >= text_.size())
      return Tok::End;
    const char c = text_[pos_];
    switch (c) {
    case '(':
      ++pos_;
      return Tok::LParen;
    case ')':
      ++pos_;
      return Tok::RParen;
    case ',':
      ++pos_;
      return Tok::Comma;
    case ';':
    case '{':
    case '}':
      ++pos_;
      return Tok::Other;
    case '"': {
      // A quoted name; an unterminated one runs to the end of the text.
      size_t end = text_.find('"', pos_ + 1);
      if (end == llvm::StringRef::npos)
        end = text_.size();
      if (word)
        *word = text_.slice(pos_ + 1, end).str();
      pos_ = end < text_.size() ? end + 1 : end;
      return Tok::Word;
    }
    default:
      break;
    }
    const size_t start = pos_;
    while (pos_ < text_.size() && !isBlank(text_[pos_]) &&
           !llvm::StringRef("(),;{}\"").contains(text_[pos_]) &&
           !text_.substr(pos_).startswith("/*"))
      ++pos_;
    if (word)
      *word = text_.slice(start, pos_).str();
    return Tok::Word;
  }

  Tok peek() {
    const size_t saved = pos_;
    Tok t = next();
    pos_ = saved;
    return t;
  }

private:
  static bool isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  }

  void skipBlanks() {
    for (;;) {
      while (pos_ < text_.size() && isBlank(text_[pos_]))
        ++pos_;
      if (!text_.substr(pos_).startswith("/*"))
        return;
      // A comment; an unterminated one runs to the end of the text.
      size_t end = text_.find("*/", pos_ + 2);
      pos_ = end == llvm::StringRef::npos ? text_.size() : end + 2;
    }
  }

  llvm::StringRef text_;
  size_t pos_ = 0;
};

// Skips to the parenthesis that closes one already read.
void skipParens(Lexer &lex) {
  size_t depth = 1;
  for (;;) {
    switch (lex.next()) {
    case Tok::LParen:
      ++depth;
      break;
    case Tok::RParen:
      if (--depth == 0)
        return;
      break;
    case Tok::End:
      return;
    default:
      break;
    }
  }
}

// The inside of GROUP( or INPUT(, up to its closing parenthesis. Nesting is
// counted, not recursed into, so deep input cannot exhaust the stack.
void readInputList(Lexer &lex, LinkerScript &script) {
  size_t depth = 1;
  size_t asNeededFrom = 0; // the depth of the outermost open AS_NEEDED(, 0: none
  for (;;) {
    std::string word;
    switch (lex.next(&word)) {
    case Tok::End:
      return;
    case Tok::LParen: // a stray one: count it so that its ')' does not end the list
      ++depth;
      break;
    case Tok::RParen:
      if (asNeededFrom == depth)
        asNeededFrom = 0;
      if (--depth == 0)
        return;
      break;
    case Tok::Word:
      if (lex.peek() == Tok::LParen) {
        lex.next();
        ++depth;
        if (word == "AS_NEEDED" && asNeededFrom == 0)
          asNeededFrom = depth;
        break;
      }
      if (!word.empty())
        script.inputs.push_back({word, asNeededFrom != 0});
      break;
    case Tok::Comma:
    case Tok::Other:
      break;
    }
  }
}

} // namespace

bool looksLikeLinkerScript(llvm::StringRef bytes) {
  llvm::StringRef head = bytes.take_front(4096);
  if (head.contains('\0'))
    return false;
  if (head.startswith("/* GNU ld script"))
    return true;
  Lexer lex(head);
  std::string word;
  if (lex.next(&word) != Tok::Word)
    return false;
  return (word == "GROUP" || word == "INPUT" || word == "OUTPUT_FORMAT") &&
         lex.peek() == Tok::LParen;
}

LinkerScript parseLinkerScript(llvm::StringRef text) {
  LinkerScript script;
  Lexer lex(text);
  for (;;) {
    std::string word;
    Tok t = lex.next(&word);
    if (t == Tok::End)
      break;
    if (t != Tok::Word || lex.peek() != Tok::LParen)
      continue; // a stray token, or a command without arguments
    lex.next();
    if (word == "GROUP" || word == "INPUT") {
      readInputList(lex, script);
    } else if (word == "OUTPUT_FORMAT") {
      std::string format;
      Tok first = lex.next(&format);
      if (first == Tok::Word && script.outputFormat.empty())
        script.outputFormat = format;
      if (first != Tok::RParen && first != Tok::End)
        skipParens(lex);
    } else {
      skipParens(lex); // SEARCH_DIR(...), OUTPUT_ARCH(...), ...
    }
  }
  return script;
}

} // namespace crosshim::diag
