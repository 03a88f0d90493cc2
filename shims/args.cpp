#include "args.h"

#include <cstring>

#include <llvm/Config/llvm-config.h>
#include <llvm/Support/Allocator.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/StringSaver.h>

namespace crosshim {

std::vector<std::string> expandResponseFiles(llvm::ArrayRef<std::string> args) {
  bool any =
      llvm::any_of(args, [](const std::string &a) { return llvm::StringRef(a).startswith("@"); });
  if (!any)
    return args.vec();
  llvm::BumpPtrAllocator alloc;
  llvm::StringSaver saver(alloc);
  llvm::SmallVector<const char *, 64> argv;
  for (const std::string &a : args)
    argv.push_back(a.c_str());
#if LLVM_VERSION_MAJOR >= 16
  llvm::cl::ExpansionContext ctx(alloc, llvm::cl::TokenizeGNUCommandLine);
  // A file that cannot be expanded (a cycle, say) is left for the tool to
  // report, as clang itself would.
  llvm::consumeError(ctx.expandResponseFiles(argv));
#else
  llvm::cl::ExpandResponseFiles(saver, llvm::cl::TokenizeGNUCommandLine, argv);
#endif
  std::vector<std::string> out;
  out.reserve(argv.size());
  for (const char *a : argv)
    out.emplace_back(a);
  return out;
}

std::vector<std::string> tokenizeGnu(llvm::StringRef text) {
  llvm::BumpPtrAllocator alloc;
  llvm::StringSaver saver(alloc);
  llvm::SmallVector<const char *, 64> tokens;
  llvm::cl::TokenizeGNUCommandLine(text, saver, tokens);
  return std::vector<std::string>(tokens.begin(), tokens.end());
}

std::string quoteForResponseFile(llvm::StringRef arg) {
  std::string out = "\"";
  for (char c : arg) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

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

std::optional<TargetOption> targetOptionAt(llvm::ArrayRef<std::string> args, size_t i) {
  llvm::StringRef a = args[i];
  if (a.startswith("--target="))
    return TargetOption{a.substr(strlen("--target=")), 1};
  if ((a == "-target" || a == "--target") && i + 1 < args.size())
    return TargetOption{args[i + 1], 2};
  return std::nullopt;
}

llvm::StringRef modeName(Mode mode) {
  switch (mode) {
  case Mode::Compile:
    return "compile";
  case Mode::Link:
    return "link";
  case Mode::Info:
    return "info";
  }
  return "?";
}

Mode classifyMode(llvm::ArrayRef<std::string> args) {
  bool hasInput = false;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a == "-c" || a == "-S" || a == "-E" || a == "-fsyntax-only" || a == "-M" || a == "-MM")
      return Mode::Compile;
    // Options whose value is a separate argument that is not an input.
    static const llvm::StringRef kTakesValue[] = {"-o",          "-x",
                                                  "-I",          "-L",
                                                  "-D",          "-U",
                                                  "-include",    "-imacros",
                                                  "-isystem",    "-idirafter",
                                                  "-iquote",     "-isysroot",
                                                  "-MF",         "-MT",
                                                  "-MQ",         "-Xlinker",
                                                  "-Xassembler", "-Xpreprocessor",
                                                  "-Xclang",     "-target",
                                                  "--target",    "-arch",
                                                  "-T",          "-z",
                                                  "-l",          "-u",
                                                  "-e",          "-B",
                                                  "--sysroot",   "--param",
                                                  "-aux-info",   "--serialize-diagnostics",
                                                  "-Xarch_host", "-Xarch_device"};
    if (llvm::is_contained(kTakesValue, a)) {
      ++i;
      hasInput |= (a == "-l"); // `-l foo` is a link input
      continue;
    }
    if (a == "-" || !a.startswith("-") || a.startswith("-l") || a.startswith("-Wl,"))
      hasInput = true;
  }
  return hasInput ? Mode::Link : Mode::Info;
}

size_t commandLineBytes(llvm::ArrayRef<std::string> argv) {
  size_t n = 0;
  for (const std::string &a : argv)
    n += a.size() + 1;
  return n;
}

} // namespace crosshim
