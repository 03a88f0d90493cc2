// GNU dlltool's --identify for the Windows targets' <gnu>-dlltool (llvm-dlltool
// has no such option): the DLL an import library imports from. libtool reads
// it (`$DLLTOOL --identify-strict --identify lib.dll.a`, sharedlib_from_linklib)
// when `$DLLTOOL --help` mentions --identify-strict, and otherwise falls back
// to reading `.idata$7` sections with objdump, which finds nothing in the
// short import members that lld and llvm-dlltool write (rule
// dlltool-identify).
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <optional>
#include <string>
#include <vector>

namespace crosshim {

/// What a dlltool command asks that crosshim answers: `--identify FILE`
/// (`-I FILE`, `--identify=FILE`), with `--identify-strict`.
struct DlltoolIdentify {
  std::string library;
  bool strict = false;
};

/// The --identify request in dlltool's arguments, if any.
std::optional<DlltoolIdentify> dlltoolIdentifyRequest(llvm::ArrayRef<std::string> args);

/// The DLL names an import library imports from, in member order without
/// repeats: short import members (lld, llvm-dlltool, MSVC) and GNU dlltool's
/// long members, whose `.idata$7` section holds the name. An error (GNU's
/// words) when the file has none, or, strict, more than one.
llvm::Expected<std::vector<std::string>> identifyImportLibrary(const DlltoolIdentify &request);

/// The lines crosshim adds to `<gnu>-dlltool --help`: the options it answers.
llvm::StringRef dlltoolIdentifyHelp();

/// Runs `--help` of llvm-dlltool (`program`) with dlltoolIdentifyHelp()
/// added to its stdout, and exits like GNU's dlltool (0).
[[noreturn]] void runDlltoolHelp(const std::string &program, llvm::ArrayRef<std::string> argv,
                                 llvm::ArrayRef<std::string> env);

} // namespace crosshim
