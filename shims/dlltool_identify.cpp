#include "shims/dlltool_identify.h"

#include "support/errors.h"
#include "support/process.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/Object/Archive.h>
#include <llvm/Object/Binary.h>
#include <llvm/Object/COFF.h>
#include <llvm/Object/COFFImportFile.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdlib>

namespace crosshim {
namespace {

// A short import member: header, the symbol's name, NUL, the DLL's name, NUL.
std::string dllOfShortImport(const llvm::object::COFFImportFile &member) {
  llvm::StringRef data = member.getMemoryBufferRef().getBuffer();
  const size_t header = sizeof(llvm::object::coff_import_header);
  if (data.size() <= header)
    return {};
  llvm::StringRef rest = data.drop_front(header);
  rest = rest.split('\0').second; // past the symbol's name
  return rest.split('\0').first.str();
}

// GNU dlltool's long members: the one that ends the import list has the
// DLL's name as the contents of `.idata$7`; the other members' `.idata$7` is
// a pointer to it (zero before relocation), which is no name.
std::string dllOfLongImport(const llvm::object::COFFObjectFile &member) {
  for (const llvm::object::SectionRef &section : member.sections()) {
    auto name = section.getName();
    if (!name || *name != ".idata$7")
      continue;
    auto contents = section.getContents();
    if (!contents)
      continue;
    llvm::StringRef text = contents->split('\0').first;
    if (!text.empty() && llvm::all_of(text, [](char c) { return c > ' ' && c < 127; }))
      return text.str();
  }
  return {};
}

} // namespace

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
  auto binary = llvm::object::createBinary(request.library);
  if (!binary)
    return makeError(ExitCode::Failure,
                     request.library + ": " + llvm::toString(binary.takeError()));
  std::vector<std::string> dlls;
  auto add = [&](std::string dll) {
    if (!dll.empty() && llvm::find(dlls, dll) == dlls.end())
      dlls.push_back(std::move(dll));
  };
  if (auto *archive = llvm::dyn_cast<llvm::object::Archive>(binary->getBinary())) {
    llvm::Error err = llvm::Error::success();
    for (const llvm::object::Archive::Child &child : archive->children(err)) {
      auto member = child.getAsBinary();
      if (!member) {
        llvm::consumeError(member.takeError()); // not an object: no DLL name
        continue;
      }
      if (auto *imp = llvm::dyn_cast<llvm::object::COFFImportFile>(member->get()))
        add(dllOfShortImport(*imp));
      else if (auto *obj = llvm::dyn_cast<llvm::object::COFFObjectFile>(member->get()))
        add(dllOfLongImport(*obj));
    }
    if (err)
      return makeError(ExitCode::Failure, request.library + ": " + llvm::toString(std::move(err)));
  }
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
