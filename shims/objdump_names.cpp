#include "shims/objdump_names.h"

#include "support/errors.h"
#include "support/process.h"

#include <llvm/Support/FileSystem.h>
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
  // objdump's stdout goes through us a line at a time (a disassembly can be
  // large: nothing is kept); its stderr stays ours.
  RunOptions options;
  options.capture = RunOptions::Capture::Stdout;
  options.echo = false;
  auto printLine = [](llvm::StringRef line) { llvm::outs() << gnuCoffFormatLine(line) << "\n"; };
  options.onLine = printLine;
  auto status = runProgram(program, argv, env, options);
  llvm::outs().flush();
  if (!status) {
    printError(llvm::toString(status.takeError()));
    std::exit(127);
  }
  exitLike(*status);
}

} // namespace crosshim
