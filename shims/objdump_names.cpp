#include "shims/objdump_names.h"

#include "support/errors.h"

#include <llvm/ADT/Optional.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Program.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdlib>
#include <fstream>

namespace crosshim {
namespace {

bool isPeImage(llvm::StringRef path) {
  std::ifstream in(path.str(), std::ios::binary);
  char magic[2] = {};
  return in.read(magic, 2) && magic[0] == 'M' && magic[1] == 'Z';
}

} // namespace

std::string gnuCoffFormatLine(llvm::StringRef line) {
  static const std::pair<llvm::StringRef, llvm::StringRef> kNames[] = {
      {"coff-x86-64", "x86-64"}, {"coff-i386", "i386"}, {"coff-arm64", "aarch64-little"}};
  const llvm::StringRef marker = "file format ";
  size_t at = line.find(marker);
  if (at == llvm::StringRef::npos)
    return line.str();
  llvm::StringRef format = line.substr(at + marker.size()).rtrim();
  for (const auto &name : kNames) {
    if (format != name.first)
      continue;
    // "<file>:\tfile format ..." or "<archive>(<member>):\tfile format ..."
    llvm::StringRef file = line.substr(0, at).rtrim();
    file.consume_back(":");
    const bool image = llvm::sys::fs::is_regular_file(file) && isPeImage(file);
    return (line.substr(0, at + marker.size()) + (image ? "pei-" : "pe-") + name.second).str();
  }
  return line.str();
}

void runWithGnuCoffFormatNames(const std::string &program, llvm::ArrayRef<std::string> argv,
                               llvm::ArrayRef<std::string> env) {
  llvm::SmallString<128> out;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile("crosshim-objdump", "txt", out)) {
    printError("cannot make a temporary file for objdump's output: " + ec.message());
    std::exit(1);
  }
  std::vector<llvm::StringRef> args(argv.begin(), argv.end());
  std::vector<llvm::StringRef> envRefs(env.begin(), env.end());
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::None, llvm::StringRef(out), llvm::None};
  std::string message;
  int status = llvm::sys::ExecuteAndWait(program, args, llvm::ArrayRef<llvm::StringRef>(envRefs),
                                         redirects, 0, 0, &message);
  auto text = llvm::MemoryBuffer::getFile(out);
  llvm::sys::fs::remove(out);
  if (status < 0) {
    printError("cannot run " + program + ": " + message);
    std::exit(127);
  }
  if (text) {
    llvm::SmallVector<llvm::StringRef, 64> lines;
    (*text)->getBuffer().split(lines, '\n');
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i + 1 == lines.size() && lines[i].empty())
        break;
      llvm::outs() << gnuCoffFormatLine(lines[i]) << "\n";
    }
  }
  llvm::outs().flush();
  std::exit(status);
}

} // namespace crosshim
