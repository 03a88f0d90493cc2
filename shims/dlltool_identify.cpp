#include "shims/dlltool_identify.h"

#include "diagnostics/coff.h"
#include "support/errors.h"
#include "support/process.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdlib>

namespace crosshim {

std::optional<DlltoolIdentify> dlltoolIdentifyRequest(llvm::ArrayRef<std::string> args) {
  std::optional<DlltoolIdentify> request;
  bool strict = false;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a == "--identify-strict") {
      strict = true;
    } else if ((a == "--identify" || a == "-I") && i + 1 < args.size()) {
      request = DlltoolIdentify{args[++i], false};
    } else if (a.consume_front("--identify=")) {
      request = DlltoolIdentify{a.str(), false};
    }
  }
  if (request)
    request->strict = strict;
  return request;
}

llvm::Expected<std::vector<std::string>> identifyImportLibrary(const DlltoolIdentify &request) {
  // Read with crosshim's own archive and COFF readers: llvm::object's would
  // bring LLVM's bitcode reader and its static constructors into every
  // compile's start.
  auto buffer = llvm::MemoryBuffer::getFile(request.library, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  // GNU dlltool's words for a file it cannot open or that is no archive.
  if (!buffer)
    return makeError(ExitCode::Failure, "Can't open .lib file: " + request.library + ": " +
                                            buffer.getError().message());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  std::vector<std::string> dlls;
  auto add = [&](const std::string &dll) {
    if (!dll.empty() && llvm::find(dlls, dll) == dlls.end())
      dlls.push_back(dll);
  };
  // Short import members (lld, llvm-dlltool, MSVC) name their DLL; GNU
  // dlltool's long members hold it as the text of `.idata$7`.
  if (!bytes.startswith("!<arch>\n"))
    return makeError(ExitCode::Failure, request.library + " is not a library");
  diag::forEachCoffInBuffer(bytes, [&](const diag::CoffInput &input) {
    add(input.file.kind == diag::CoffFile::Kind::Import ? input.file.dll : input.file.idataDll);
  });
  if (dlls.empty())
    return makeError(ExitCode::Failure, "Unable to determine dll name for `" + request.library +
                                            "' (not an import library?)");
  if (request.strict && dlls.size() > 1)
    return makeError(ExitCode::Failure,
                     "Import library `" + request.library + "' specifies two or more dlls");
  return dlls;
}

llvm::StringRef dlltoolIdentifyHelp() {
  return "  -I, --identify <implib> Report the name of the DLL associated with <implib> "
         "(crosshim)\n"
         "  --identify-strict       Causes --identify to report error when multiple DLLs "
         "(crosshim)\n";
}

void runDlltoolHelp(const std::string &program, llvm::ArrayRef<std::string> argv,
                    llvm::ArrayRef<std::string> env) {
  RunOptions options;
  options.capture = RunOptions::Capture::Stdout;
  options.echo = false;
  auto printLine = [](llvm::StringRef line) { llvm::outs() << line << "\n"; };
  options.onLine = printLine;
  auto status = runProgram(program, argv, env, options);
  if (!status) {
    llvm::outs().flush();
    printError(llvm::toString(status.takeError()));
    std::exit(127);
  }
  llvm::outs() << "\ncrosshim answers:\n" << dlltoolIdentifyHelp();
  llvm::outs().flush();
  std::exit(0);
}

} // namespace crosshim
