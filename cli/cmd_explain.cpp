// crosshim explain [--target T] [--sysroot DIR] [--json] LOGFILE [-- LINK ARGS...]:
// a failed link explained after the fact, from what the linker (or cargo)
// printed. The findings are those the shim gives right after a failed link
// (explainFailedLink), computed against the same search directories: the
// link's own -L, then the target's library directories.
//
// The link arguments come from after `--`, else from the command rustc put
// in the log (`= note: "cc" "-m64" ...`), else there are none and only the
// target's default directories are searched. The target comes from --target,
// else from the link arguments or the linker's name, else it is the host.
#include "cli/commands.h"
#include "shims/link_log.h"
#include "shims/program_name.h"
#include "shims/shim.h"
#include "support/env.h"
#include "support/errors.h"
#include "support/safe_file.h"

#include "diagnostics/linker_output.h"
#include "diagnostics/report.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdlib>
#include <optional>

namespace crosshim {
namespace {

void printHelp(llvm::raw_ostream &os) {
  os << "usage: crosshim " << synopsisOf("explain") << "\n"
     << "Explains a failed link from a saved log (LOGFILE; - reads standard input): the\n"
        "linker's stderr, or cargo/rustc output with `error: linking with ... failed`. The\n"
        "findings are the ones a failed link through a crosshim shim prints.\n\n"
        "  --target T     the link's target (default: from the link arguments or the linker\n"
        "                 name rustc printed, else the host)\n"
        "  --sysroot DIR  the target's sysroot (default: the one crosshim would use)\n"
        "  --json         print the report as JSON (docs/report-format.md)\n"
        "  -- ARGS...     the link's arguments, as given to the <target>-cc shim (default:\n"
        "                 the command rustc printed in the log, else none: then only the\n"
        "                 target's library directories are searched)\n\n"
        "Exit status: 1 when a finding is an error, 0 otherwise (also when the log holds no\n"
        "linker error), 2 for usage errors (bad option, missing or unreadable LOGFILE).\n";
}

llvm::Error usage(const std::string &message) {
  return makeError(ExitCode::Usage, "explain: " + message + " (usage: crosshim " +
                                        synopsisOf("explain") + "; crosshim explain --help)");
}

struct Options {
  std::optional<std::string> target, sysroot, logFile;
  std::optional<std::vector<std::string>> linkArgs; // set by --
  bool json = false, help = false;
};

llvm::Expected<Options> parseOptions(CommandArgs args) {
  Options o;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    // --target T / --target=T, --sysroot DIR / --sysroot=DIR
    auto value = [&](llvm::StringRef name, std::optional<std::string> &out) -> llvm::Error {
      if (a == name) {
        if (i + 1 == args.size())
          return usage(name.str() + " needs a value");
        out = args[++i];
      } else {
        out = a.substr(name.size() + 1).str();
      }
      if (out->empty())
        return usage(name.str() + " needs a value");
      return llvm::Error::success();
    };
    if (a == "--") {
      o.linkArgs.emplace(args.begin() + i + 1, args.end());
      break;
    }
    if (a == "-h" || a == "--help") {
      o.help = true;
      return o;
    }
    if (a == "--json") {
      o.json = true;
    } else if (a == "--target" || a.startswith("--target=")) {
      if (llvm::Error err = value("--target", o.target))
        return err;
    } else if (a == "--sysroot" || a.startswith("--sysroot=")) {
      if (llvm::Error err = value("--sysroot", o.sysroot))
        return err;
    } else if (a.size() > 1 && a[0] == '-') {
      return usage("unknown option '" + a.str() + "'");
    } else if (o.logFile) {
      return usage("one log file only, not '" + *o.logFile + "' and '" + a.str() + "'");
    } else {
      o.logFile = a.str();
    }
  }
  if (!o.logFile)
    return usage("needs the log file of the failed link (- for standard input)");
  return o;
}

// A log can be large (a whole cargo build), but not without bound; a pipe
// (`<(cargo build 2>&1)`) is read to the limit, a directory or a device is
// refused.
constexpr uint64_t kMaxLogBytes = 256ull << 20;

llvm::Expected<std::string> readLog(const std::string &path) {
  if (path == "-") {
    auto buffer = llvm::MemoryBuffer::getSTDIN();
    if (!buffer)
      return usage("cannot read standard input: " + buffer.getError().message());
    return (*buffer)->getBuffer().str();
  }
  return readFileBounded(path, "log file", {kMaxLogBytes, /*allowPipe=*/true, ExitCode::Usage});
}

} // namespace

llvm::Expected<int> cmdExplain(CommandArgs args, const Env &env) {
  auto options = parseOptions(args);
  if (!options)
    return options.takeError();
  if (options->help) {
    printHelp(llvm::outs());
    return 0;
  }
  auto logText = readLog(*options->logFile);
  if (!logText)
    return logText.takeError();
  const llvm::StringRef log = *logText;
  const std::string logName = *options->logFile == "-" ? "standard input" : *options->logFile;

  // The link's arguments: after --, else the command rustc printed.
  std::optional<LoggedLink> logged = findRustcLink(log);
  std::vector<std::string> linkArgs;
  if (options->linkArgs)
    linkArgs = *options->linkArgs;
  else if (logged)
    linkArgs = logged->arguments;

  const Target *target = nullptr;
  if (options->target) {
    auto found = lookupTarget(*options->target);
    if (!found)
      return found.takeError();
    target = &*found;
  } else {
    target = targetOfLink(logged ? llvm::StringRef(logged->linker) : "", linkArgs).target;
    if (!target) {
      target = hostTarget();
      if (!target)
        return usage("nothing in " + logName + " names the target, and the host is not a " +
                     "target crosshim knows: name it with --target");
      llvm::errs() << "crosshim: note: nothing in " << logName
                   << " names the target; explaining it for the host, " << target->rust
                   << " (--target T names another)\n";
    }
  }

  // A sysroot named here wins over the configuration; neither clang nor
  // ld.lld needs to be installed to explain a saved log.
  PlanOptions planOptions;
  planOptions.toolsMayBeMissing = true;
  if (options->sysroot) {
    if (!llvm::sys::fs::is_directory(*options->sysroot))
      return usage("the sysroot " + *options->sysroot + " is not a directory");
    planOptions.sysroot = *options->sysroot;
  }
  ProgramName name;
  name.kind = ProgramName::Kind::Shim;
  name.tool = findTool("cc");
  name.target = target;
  auto plan = makePlan(name, linkArgs, env, planOptions);
  if (!plan)
    return plan.takeError();

  diag::Report report(target->rust.str());
  explainFailedLink(*plan, log, report);
  report.sortBySeverity();
  llvm::Error reportError = writeReportFile(report, env);

  llvm::raw_ostream &os = llvm::outs();
  if (options->json) {
    os << llvm::formatv("{0:2}", report.toJson()) << "\n";
  } else if (!report.empty()) {
    report.printText(os, /*maxLines=*/24);
  } else {
    size_t errors = llvm::count_if(diag::parseLinkerOutput(log),
                                   [](const diag::LinkerEvent &e) { return !e.warning; });
    if (errors == 0)
      os << "crosshim: no linker errors found in " << logName << "\n";
    else
      os << "crosshim: " << errors << " linker error(s) in " << logName
         << ", none that crosshim can explain\n";
  }
  // The report file the user asked for: said once, after the explanation.
  if (reportError)
    return llvm::Error(std::move(reportError));
  return report.hasErrors() ? 1 : 0;
}

} // namespace crosshim
