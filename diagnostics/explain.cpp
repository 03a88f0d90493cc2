#include "diagnostics/explain.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <set>

namespace crosshim::diag {
namespace {

// Is `library` (a file the index found) already an input of the link, by
// path, by -l<name> or by -l:<file>?
bool onCommandLine(const std::string &library, const LinkContext &context) {
  const std::string name = libraryLinkName(llvm::sys::path::filename(library));
  const llvm::StringRef file = llvm::sys::path::filename(library);
  for (llvm::StringRef arg : context.arguments) {
    if (arg == library || (!name.empty() && arg == "-l" + name) || arg == ("-l:" + file).str())
      return true;
    if (arg.startswith("-Wl,") && (arg.contains("-l" + name) || arg.contains(file)))
      return true;
    // lld-link: a .lib by its name alone (found on /libpath:) or as /defaultlib:, any case.
    if (file.endswith_insensitive(".lib")) {
      if (!arg.consume_front_insensitive("/defaultlib:"))
        arg.consume_front_insensitive("-defaultlib:");
      if (llvm::sys::path::filename(arg).equals_insensitive(file) ||
          llvm::StringRef(arg.str() + ".lib").equals_insensitive(file))
        return true;
    }
  }
  return false;
}

// Close names cost a scan of every name the index holds: done for the first
// undefined symbols only (the report shows a screen anyway). A missing -l of
// a big C++ library gives thousands; scanning for each took half a minute.
constexpr unsigned kCloseNameLookups = 16;

void explainUndefined(const LinkerEvent &event, const SymbolIndex &index,
                      const LinkContext &context, bool lookForCloseNames, Report &report) {
  std::vector<Evidence> evidence;
  for (const SymbolReference &ref : event.references) {
    std::string where = ref.archive.empty() ? ref.object : ref.archive + "(" + ref.object + ")";
    evidence.push_back(
        {where, event.symbol, "referenced" + (ref.function.empty() ? "" : " in " + ref.function)});
    if (evidence.size() == 3)
      break;
  }
  const auto *definitions = index.find(event.symbol);
  if (definitions) {
    for (const SymbolDefinition &def : *definitions) {
      if (onCommandLine(def.library, context))
        continue;
      const std::string name = libraryLinkName(llvm::sys::path::filename(def.library));
      evidence.push_back({def.library, event.symbol,
                          "defined here" + (def.version.empty() ? "" : " (" + def.version + ")")});
      report.add({"library-not-on-command-line", Severity::Error,
                  "undefined symbol " + event.symbol + ": " +
                      llvm::sys::path::filename(def.library).str() +
                      " defines it, but it is not linked",
                  std::move(evidence),
                  name.empty() ? "add " + def.library + " to the link"
                               : "add -l" + name + " to the link (after the objects that use it)"});
      return;
    }
  }
  std::string message = "undefined symbol " + event.symbol +
                        ": no library in the link's search "
                        "directories defines it";
  std::string fix = "define it, or add the library that does (built for this target)";
  std::vector<std::string> close;
  if (lookForCloseNames)
    close = index.closest(event.symbol);
  if (!close.empty())
    fix += "; close names that are defined: " + llvm::join(close, ", ");
  if (definitions)
    message = "undefined symbol " + event.symbol +
              ": its definitions are all on the command "
              "line already (order or visibility?)";
  report.add({"undefined-symbol", Severity::Error, message, std::move(evidence), fix});
}

void explainMissingLibrary(const LinkerEvent &event, const LinkContext &context, Report &report) {
  // -lX not found: only lib<X>.so.<N> exists (a runtime package without its -dev link)?
  const std::string prefix = "lib" + event.file + ".so.";
  for (const std::string &dir : context.libraryDirs) {
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      llvm::StringRef name = llvm::sys::path::filename(it->path());
      if (!name.startswith(prefix))
        continue;
      report.add({"missing-dev-symlink",
                  Severity::Error,
                  "-l" + event.file + " finds no lib" + event.file + ".so, only " + name.str(),
                  {{it->path(), "",
                    "the run-time library, without the lib" + event.file + ".so link that -l" +
                        event.file + " needs"}},
                  "link -l:" + name.str() + ", or create lib" + event.file + ".so -> " +
                      name.str() + " (the -dev package of the library does)"});
      return;
    }
  }
}

} // namespace

std::string libraryLinkName(llvm::StringRef file) {
  if (!file.consume_front("lib"))
    return {};
  size_t so = file.find(".so");
  if (so != llvm::StringRef::npos)
    return file.substr(0, so).str();
  if (file.consume_back(".dll.a") || file.consume_back(".a")) // MinGW: libfoo.dll.a is -lfoo
    return file.str();
  return {};
}

void explainLinkFailure(llvm::ArrayRef<LinkerEvent> events, const SymbolIndex &index,
                        const LinkContext &context, Report &report) {
  std::set<std::string> explained; // one finding per symbol
  unsigned undefinedSeen = 0;
  // COFF causes first for Windows targets; the ELF ones below never fit them.
  const std::vector<bool> windows = context.coffMachine
                                        ? explainWindowsEvents(events, index, context, report)
                                        : std::vector<bool>(events.size(), false);
  // Objects of two C++ standard libraries in one link: the names of either
  // (std::__1 of libc++, std::__cxx11 of libstdc++) are undefined because of
  // the mix, whichever comes first in the linker's output. The mix is looked
  // for first; then those names are part of its finding.
  auto namesStdlib = [](llvm::StringRef sym) {
    return sym.contains("std::__1::") || sym.contains("NSt3__1") ||
           sym.contains("std::__cxx11::") || sym.contains("NSt7__cxx11");
  };
  bool stdlibMix = false;
  for (size_t i = 0; i < events.size() && !stdlibMix; ++i)
    if (!events[i].warning && !windows[i] && namesStdlib(events[i].symbol) &&
        (events[i].kind == LinkerEvent::Kind::UndefinedSymbol ||
         events[i].kind == LinkerEvent::Kind::UndefinedVersionedSymbol))
      stdlibMix = explainRuntimeEvent(events[i], index, context, report) &&
                  llvm::any_of(report.findings(),
                               [](const Finding &f) { return f.kind == "cxx-stdlib-mix"; });
  for (size_t i = 0; i < events.size(); ++i) {
    const LinkerEvent &event = events[i];
    if (event.warning)
      continue;
    // With the mix found, the other undefined names of the C++ standard
    // library (std::allocator<char>::~allocator() ...) follow from it.
    if (stdlibMix &&
        (namesStdlib(event.symbol) || llvm::StringRef(event.symbol).startswith("std::") ||
         llvm::StringRef(event.symbol).startswith("_ZNSt") ||
         llvm::StringRef(event.symbol).startswith("_ZSt")))
      continue;
    if (windows[i]) {
      if (!event.symbol.empty())
        explained.insert(event.symbol);
      continue;
    }
    // The specific causes first (explain_libc.cpp, explain_runtime.cpp);
    // what they do not recognise gets the general explanation below.
    if (explainLibcEvent(event, index, context, report) ||
        explainRuntimeEvent(event, index, context, report)) {
      if (!event.symbol.empty())
        explained.insert(event.symbol);
      continue;
    }
    switch (event.kind) {
    case LinkerEvent::Kind::UndefinedSymbol:
    case LinkerEvent::Kind::UndefinedVersionedSymbol:
    case LinkerEvent::Kind::DsoMissingFromCommandLine:
      if (!event.symbol.empty() && explained.insert(event.symbol).second)
        explainUndefined(event, index, context, ++undefinedSeen <= kCloseNameLookups, report);
      break;
    case LinkerEvent::Kind::UnableToFindLibrary:
      if (event.file == "gcc_s" || event.file == "gcc_eh" || event.file == "unwind")
        report.add({"unwinder-missing",
                    Severity::Error,
                    "-l" + event.file + " (the unwinder) is not available for this target",
                    {{"", "", "no lib" + event.file + " in the link's search directories"}},
                    "use the unwinder this target ships: musl links through crosshim use "
                    "compiler-rt without one (drop -l" +
                        event.file +
                        "; Rust: panic=abort or a musl sysroot with libunwind), glibc targets "
                        "need libgcc-<N>-dev for the architecture"});
      else
        explainMissingLibrary(event, context, report);
      break;
    case LinkerEvent::Kind::CannotOpenFile:
      if (llvm::StringRef name = llvm::sys::path::filename(event.file);
          name.startswith("crt") && name.endswith(".o"))
        report.add({"missing-crt-object",
                    Severity::Error,
                    "the C runtime start file " + name.str() + " was not found",
                    {{event.file, "", event.detail}},
                    "let crosshim pick the sysroot (drop a --sysroot of your own; `crosshim which "
                    "<name>` shows its choice), or install libc6-dev and libgcc-<N>-dev for the "
                    "architecture into the sysroot"});
      break;
    case LinkerEvent::Kind::CannotFindInsideSysroot:
      report.add({"linker-script-path",
                  Severity::Error,
                  "a linker script names " + event.file +
                      ", which lld looks for under the sysroot and does not find",
                  {{event.file, "", event.detail}},
                  "drop your own --sysroot for Debian's cross packages (crosshim drives them "
                  "with an empty linker sysroot), or make the script's paths match the layout"});
      break;
    case LinkerEvent::Kind::IncompatibleInput:
      report.add({"wrong-architecture",
                  Severity::Error,
                  event.file + " is not built for the target",
                  {{event.file, "", event.detail}},
                  "rebuild it with the target's compiler (CC_<triple> = the crosshim name), "
                  "or remove it from the link"});
      break;
    case LinkerEvent::Kind::RelocationNeedsPic:
      report.add({"pic-required",
                  Severity::Error,
                  "an object was compiled without -fPIC but the output is position-independent",
                  {{event.references.empty() ? event.file : event.references.front().object,
                    event.symbol, event.detail}},
                  "rebuild that object with -fPIC, or link without PIE (-no-pie; rustc: -C "
                  "relocation-model=static)"});
      break;
    default:
      break;
    }
  }
}

} // namespace crosshim::diag
