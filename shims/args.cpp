#include "shims/args.h"

#include "support/errors.h"
#include "support/safe_file.h"

#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

#include <llvm/Support/Allocator.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/ConvertUTF.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/StringSaver.h>

namespace crosshim {

namespace {

// Expands @files the way LLVM 14's cl::ExpandResponseFiles does for clang
// (GNU tokenizer; a nested relative name is taken from the current
// directory, as gcc does; a UTF-8 byte-order mark is skipped, UTF-16 is
// converted; a file that cannot be read stays as written), but keeps the
// chain of files open so that a cycle or a runaway nesting can be named.
// LLVM leaves a file that includes itself in the arguments, and clang then
// reports "no such file or directory: '@self.rsp'", which hides the cause.
class Expander {
public:
  explicit Expander(bool strict) : strict_(strict) {}

  llvm::Error expand(llvm::ArrayRef<std::string> args, std::vector<std::string> &out) {
    for (const std::string &arg : args) {
      llvm::StringRef a = arg;
      if (!a.startswith("@")) {
        out.push_back(arg);
        continue;
      }
      llvm::StringRef path = a.drop_front();
      llvm::sys::fs::UniqueID id;
      if (path.empty() || llvm::sys::fs::getUniqueID(path, id)) {
        out.push_back(arg); // gcc and clang pass it on; the tool reports it
        continue;
      }
      // A directory, a device or a FIFO is no response file: gcc stops at a
      // directory ("@-file refers to a directory"), clang calls it a missing
      // file, and either reads /dev/zero until memory runs out.
      struct stat st;
      if (::stat(path.str().c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        if (!strict_) {
          out.push_back(arg);
          continue;
        }
        return makeError(ExitCode::Usage,
                         "@" + path.str() + ": " +
                             (S_ISDIR(st.st_mode) ? "it is a directory, not a response file (gcc: "
                                                    "\"@-file refers to a directory\")"
                              : S_ISFIFO(st.st_mode) ? "it is a FIFO, not a response file"
                                                     : "it is a device, not a response file"));
      }
      auto cycleStart = llvm::find_if(chain_, [&](const Open &o) { return o.id == id; });
      if (cycleStart != chain_.end() || chain_.size() >= kMaxResponseFileDepth) {
        if (!strict_) {
          out.push_back(arg);
          continue;
        }
        return cycleStart != chain_.end() ? cycleError(cycleStart, path) : depthError(path);
      }
      // Every response file read, nested ones and repeats included, counts
      // against one budget: a file named twice on each of 30 levels would
      // otherwise expand to a billion arguments.
      auto content = readFileBounded(path.str(), "response file",
                                     {bytesLeft_, /*allowPipe=*/false, ExitCode::Usage});
      if (!content) {
        // Unreadable (permissions): stays as written, as gcc and clang do.
        if (!strict_ || ::access(path.str().c_str(), R_OK) != 0) {
          llvm::consumeError(content.takeError());
          out.push_back(arg);
          continue;
        }
        return makeError(ExitCode::Usage,
                         llvm::toString(content.takeError()) + " (response files are read up to " +
                             std::to_string(kMaxResponseFileBytes >> 20) + " MiB in all)");
      }
      bytesLeft_ -= content->size();
      llvm::StringRef text = *content;
      std::string utf8;
      if (llvm::hasUTF16ByteOrderMark(llvm::makeArrayRef(text.data(), text.size()))) {
        if (!llvm::convertUTF16ToUTF8String(llvm::makeArrayRef(text.data(), text.size()), utf8)) {
          out.push_back(arg);
          continue;
        }
        text = utf8;
      } else if (text.startswith("\xef\xbb\xbf")) {
        text = text.drop_front(3);
      }
      chain_.push_back({id, path.str()});
      llvm::Error err = expand(tokenizeGnu(text), out);
      chain_.pop_back();
      if (err)
        return err;
    }
    return llvm::Error::success();
  }

private:
  struct Open {
    llvm::sys::fs::UniqueID id;
    std::string name;
  };

  llvm::Error cycleError(std::vector<Open>::const_iterator start, llvm::StringRef again) const {
    std::string names;
    for (auto it = start; it != chain_.end(); ++it)
      names += "@" + it->name + " -> ";
    names += "@" + again.str();
    return makeError(ExitCode::Usage,
                     "response file cycle: " + names +
                         (std::next(start) == chain_.end() ? " (the file includes itself)"
                                                           : " (the files include each other)") +
                         "; clang would report it as a missing file");
  }

  llvm::Error depthError(llvm::StringRef path) const {
    return makeError(ExitCode::Usage,
                     "response files nested more than " + std::to_string(kMaxResponseFileDepth) +
                         " deep (@" + chain_.front().name + " -> ... -> @" + chain_.back().name +
                         " -> @" + path.str() + "); is a generator writing them in a loop?");
  }

  bool strict_;
  std::vector<Open> chain_;
  uint64_t bytesLeft_ = kMaxResponseFileBytes;
};

} // namespace

llvm::Expected<std::vector<std::string>>
expandResponseFilesChecked(llvm::ArrayRef<std::string> args) {
  std::vector<std::string> out;
  out.reserve(args.size());
  if (llvm::Error err = Expander(/*strict=*/true).expand(args, out))
    return llvm::Error(
        std::move(err)); // (a plain `return err` moves too, but not in every compiler)
  return out;
}

std::vector<std::string> expandResponseFiles(llvm::ArrayRef<std::string> args) {
  std::vector<std::string> out;
  out.reserve(args.size());
  llvm::cantFail(Expander(/*strict=*/false).expand(args, out));
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

bool isCompilerInput(llvm::StringRef arg) {
  if (arg == "-")
    return true;
  if (arg.startswith("-"))
    return false;
  static const llvm::StringRef kSources[] = {".c",  ".cc", ".cpp", ".cxx", ".c++",
                                             ".C",  ".m",  ".mm",  ".s",   ".S",
                                             ".sx", ".i",  ".ii",  ".cu",  ".cppm"};
  return llvm::is_contained(kSources, llvm::sys::path::extension(arg));
}

namespace {

// Options whose value is a separate argument that is not an input.
bool takesSeparateValue(llvm::StringRef a) {
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
  return llvm::is_contained(kTakesValue, a);
}

} // namespace

Mode classifyMode(llvm::ArrayRef<std::string> args) {
  bool hasInput = false;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a == "-c" || a == "-S" || a == "-E" || a == "-fsyntax-only" || a == "-M" || a == "-MM")
      return Mode::Compile;
    if (takesSeparateValue(a)) {
      ++i;
      hasInput |= (a == "-l"); // `-l foo` is a link input
      continue;
    }
    if (a == "-" || !a.startswith("-") || a.startswith("-l") || a.startswith("-Wl,"))
      hasInput = true;
  }
  return hasInput ? Mode::Link : Mode::Info;
}

bool onlyCxxSources(llvm::ArrayRef<std::string> args, bool cxxDriver) {
  static const llvm::StringRef kCxx[] = {".cc", ".cpp", ".cxx", ".c++", ".C",   ".cp", ".CPP",
                                         ".ii", ".mm",  ".hh",  ".hpp", ".hxx", ".H",  ".cppm"};
  llvm::StringRef language; // -x LANG in force, "" for none
  bool any = false;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a == "-x" && i + 1 < args.size()) {
      language = args[++i];
      if (language == "none")
        language = "";
      continue;
    }
    if (a.startswith("-x") && a.size() > 2) {
      language = a.drop_front(2);
      if (language == "none")
        language = "";
      continue;
    }
    if (takesSeparateValue(a)) {
      ++i;
      continue;
    }
    if (a.startswith("-") && a != "-")
      continue;
    bool cxx;
    if (!language.empty()) {
      cxx = language.startswith("c++") || language.startswith("objective-c++");
    } else {
      llvm::StringRef ext = llvm::sys::path::extension(a);
      if (ext == ".c" || ext == ".h")
        cxx = cxxDriver; // the C++ driver compiles them as C++
      else if (llvm::is_contained(kCxx, ext))
        cxx = true;
      else if (isCompilerInput(a))
        cxx = false; // C, Objective-C, assembly, preprocessed C, stdin without -x
      else
        continue; // objects, libraries, linker scripts
    }
    if (!cxx)
      return false;
    any = true;
  }
  return any;
}

size_t commandLineBytes(llvm::ArrayRef<std::string> argv) {
  size_t n = 0;
  for (const std::string &a : argv)
    n += a.size() + 1;
  return n;
}

} // namespace crosshim
