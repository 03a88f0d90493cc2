// libFuzzer target: response files and argument tokenising (shims/args.h).
//
// 1. tokenizeGnu on any bytes, and what the shim does with its tokens
//    (classifyMode, targetOptionAt, shellJoin): no crash, no hang.
// 2. The property the shim's long command lines rely on (shim.cpp writes one
//    quoteForResponseFile(arg) per line and clang reads it back): the input,
//    split at NUL bytes into arguments, quoted, joined and tokenised again,
//    gives back exactly the same arguments. Empty arguments are left out:
//    LLVM's reader drops `""` (args.h says so).
// 3. The same text written to a file and read through expandResponseFiles.
//    Arguments starting with '@' are left out of this step: they would name
//    other files, and a hostile name (@/dev/zero) is not a parser bug.
//
// The response file lives in a directory made under $TMPDIR (the ctest
// runner points TMPDIR into the build folder) and is removed at exit.
#include "shims/args.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

std::string gResponseFile;
std::string gResponseDir;

void removeResponseFile() {
  if (!gResponseFile.empty())
    llvm::sys::fs::remove(gResponseFile);
  if (!gResponseDir.empty())
    llvm::sys::fs::remove(gResponseDir);
}

const std::string &responseFile() {
  if (gResponseFile.empty()) {
    const char *tmp = std::getenv("TMPDIR");
    std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/crosshim-fuzz-args-XXXXXX";
    if (!mkdtemp(dir.data())) {
      std::perror("mkdtemp");
      std::abort();
    }
    gResponseDir = dir;
    gResponseFile = dir + "/args.rsp";
    std::atexit(removeResponseFile);
  }
  return gResponseFile;
}

[[noreturn]] void fail(const char *what, const std::vector<std::string> &want,
                       const std::vector<std::string> &got) {
  std::fprintf(stderr, "%s: want %zu arguments, got %zu\n", what, want.size(), got.size());
  for (size_t i = 0; i < want.size() || i < got.size(); ++i)
    std::fprintf(stderr, "  [%zu] want '%s' got '%s'\n", i, i < want.size() ? want[i].c_str() : "-",
                 i < got.size() ? got[i].c_str() : "-");
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace crosshim;
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);

  // 1. Any bytes through the tokenizer and the argument classifiers.
  std::vector<std::string> tokens = tokenizeGnu(text);
  (void)classifyMode(tokens);
  for (size_t i = 0; i < tokens.size(); ++i)
    (void)targetOptionAt(tokens, i);
  (void)shellJoin(tokens);
  (void)commandLineBytes(tokens);

  // 2. Quote, join, tokenise: the same arguments back.
  if (size == 0)
    return 0;
  const char *separator = (data[0] & 1) ? "\n" : " ";
  llvm::SmallVector<llvm::StringRef, 16> pieces;
  text.drop_front().split(pieces, '\0', -1, /*KeepEmpty=*/false);
  std::vector<std::string> args;
  std::string joined;
  bool anyAt = false;
  for (llvm::StringRef p : pieces) {
    args.push_back(p.str());
    anyAt |= p.startswith("@");
    if (!joined.empty())
      joined += separator;
    joined += quoteForResponseFile(p);
  }
  std::vector<std::string> back = tokenizeGnu(joined);
  if (back != args)
    fail("quoteForResponseFile/tokenizeGnu round trip", args, back);

  // 3. Through a real response file.
  if (anyAt)
    return 0;
  const std::string &path = responseFile();
  // A new file each time: truncating one that has data makes ext4 flush it
  // on close (auto_da_alloc), which slowed this target a hundredfold.
  llvm::sys::fs::remove(path);
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (ec) {
      std::fprintf(stderr, "cannot write %s: %s\n", path.c_str(), ec.message().c_str());
      std::abort();
    }
    os << joined << "\n";
  }
  std::vector<std::string> expanded = expandResponseFiles({"cc", "@" + path});
  args.insert(args.begin(), "cc");
  if (expanded != args)
    fail("expandResponseFiles", args, expanded);
  return 0;
}
