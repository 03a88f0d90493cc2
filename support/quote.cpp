#include "support/quote.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/StringExtras.h>

namespace crosshim {

std::string shellQuote(llvm::StringRef arg) {
  if (!arg.empty() && llvm::all_of(arg, [](char c) {
        return llvm::isAlnum(c) || llvm::StringRef("@%+=:,./-_").contains(c);
      }))
    return arg.str();
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += '\'';
  return out;
}

std::string shellJoin(llvm::ArrayRef<std::string> args) {
  std::string out;
  for (const std::string &a : args) {
    if (!out.empty())
      out += ' ';
    out += shellQuote(a);
  }
  return out;
}

} // namespace crosshim
