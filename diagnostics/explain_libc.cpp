// C library causes of a failed link (explain.h: explainLibcEvent):
// glibc-too-new-dependency, crt-libc-mismatch, musl-glibc-mix and
// libc-link-mismatch. The linker's message names a symbol, a version or a
// library; the files (the sysroot's libc.so.6, the inputs' verneed) say
// whether the C library is the cause.
#include "diagnostics/explain.h"

#include "diagnostics/audit.h"
#include "diagnostics/libc_info.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace crosshim::diag {
namespace {

bool isStaticLink(const LinkContext &context) {
  return llvm::any_of(context.arguments, [](llvm::StringRef a) {
    return a == "-static" || a == "--static" || a == "-static-pie";
  });
}

// One finding per kind and input: a library that needs a newer glibc is
// usually reported once per symbol, and one finding says it all.
bool alreadyReported(const Report &report, llvm::StringRef kind, llvm::StringRef file) {
  return llvm::any_of(report.findings(), [&](const Finding &f) {
    return f.kind == kind && (file.empty() || (!f.evidence.empty() && f.evidence[0].file == file));
  });
}

std::string describeReference(const SymbolReference &ref) {
  return ref.archive.empty() ? ref.object : ref.archive + "(" + ref.object + ")";
}

// The input that references the symbol: the shared library of lld's
// --no-allow-shlib-undefined form or GNU ld's "lib.so: undefined reference",
// else the first referencing object.
std::string referencingInput(const LinkerEvent &event) {
  if (!event.file.empty())
    return event.file;
  for (const SymbolReference &ref : event.references)
    if (!ref.object.empty())
      return describeReference(ref);
  return {};
}

bool looksShared(llvm::StringRef path) {
  llvm::StringRef name = llvm::sys::path::filename(path);
  return name.endswith(".so") || name.contains(".so.");
}

std::optional<ElfInfo> readShared(const std::string &path) {
  if (path.empty() || !looksShared(path))
    return std::nullopt;
  auto elf = readElfFile(path);
  if (!elf) {
    llvm::consumeError(elf.takeError());
    return std::nullopt;
  }
  return std::move(*elf);
}

std::string versioned(const LinkerEvent &event) {
  return event.version.empty() ? event.symbol : event.symbol + "@" + event.version;
}

Evidence sysrootEvidence(const SysrootGlibc &glibc) {
  return {glibc.path, "",
          "the sysroot's glibc: symbol versions up to GLIBC_" + glibcVersionText(glibc.version)};
}

bool isUndefined(const LinkerEvent &event) {
  return event.kind == LinkerEvent::Kind::UndefinedSymbol ||
         event.kind == LinkerEvent::Kind::UndefinedVersionedSymbol;
}

// ---------------------------------------------------------------- musl
bool explainMuslMix(const LinkerEvent &event, const SymbolIndex &index, Report &report) {
  if (!isUndefined(event) && event.kind != LinkerEvent::Kind::DsoMissingFromCommandLine)
    return false;
  const std::string input = referencingInput(event);
  std::string why;
  if (llvm::StringRef(event.version).startswith("GLIBC_"))
    why = "a glibc symbol version";
  else if (isGlibcOnlySymbol(event.symbol) && !index.find(event.symbol))
    why = llvm::StringRef(event.symbol).endswith("_chk")
              ? "a glibc fortify wrapper (_FORTIFY_SOURCE), which musl does not have"
              : "a name glibc's headers produce, which musl does not define";
  std::optional<ElfInfo> shared = readShared(event.file);
  if (shared && why.empty()) {
    if (llvm::is_contained(shared->needed, "libc.so.6"))
      why = "a library linked against glibc (DT_NEEDED libc.so.6)";
    else if (highestGlibcNeeded(*shared))
      why = "a library that needs GLIBC_ symbol versions";
  }
  if (why.empty())
    return false;
  if (alreadyReported(report, "musl-glibc-mix", input))
    return true;
  Finding f{"musl-glibc-mix",
            Severity::Error,
            (input.empty() ? std::string("an input") : input) +
                " was built for glibc, not musl: it needs " + versioned(event),
            {{input, versioned(event), why}},
            "rebuild " + (input.empty() ? std::string("it") : input) +
                " for musl (with the musl target's compiler, e.g. x86_64-unknown-linux-musl-cc, "
                "and a musl sysroot), or build the program for the glibc (-gnu) target"};
  if (shared)
    for (const std::string &needed : shared->needed)
      if (needed == "libc.so.6")
        f.evidence.push_back({event.file, "", "DT_NEEDED libc.so.6 (glibc)"});
  report.add(std::move(f));
  return true;
}

// ---------------------------------------------------------------- crt
// glibc 2.34 moved __libc_csu_init/__libc_csu_fini out of crt1.o's reach
// (libc_nonshared.a no longer has them) and versioned __libc_start_main
// anew: start files and libc must come from one glibc.
std::string crtObject(const LinkerEvent &event, const LinkContext &context) {
  for (const SymbolReference &ref : event.references)
    if (llvm::sys::path::filename(ref.object).endswith("crt1.o"))
      return ref.object;
  for (const std::string &arg : context.arguments)
    if (llvm::StringRef(arg).endswith("crt1.o") && !llvm::StringRef(arg).startswith("-"))
      return arg;
  return event.references.empty() ? std::string() : describeReference(event.references[0]);
}

bool explainCrtMismatch(const LinkerEvent &event, const LinkContext &context, Report &report) {
  if (!isUndefined(event))
    return false;
  const bool oldCrt = event.symbol == "__libc_csu_init" || event.symbol == "__libc_csu_fini";
  const bool newCrt = event.symbol == "__libc_start_main" && event.version == "GLIBC_2.34";
  if (!oldCrt && !newCrt)
    return false;
  std::optional<SysrootGlibc> glibc = findSysrootGlibc(context.libraryDirs);
  const GlibcVersion v234{2, 34};
  // An old crt1.o with an old libc is fine (its libc_nonshared.a defines the
  // csu functions): something else is missing then.
  if (glibc && (oldCrt ? glibc->version < v234 : glibc->version >= v234))
    return false;
  if (alreadyReported(report, "crt-libc-mismatch", ""))
    return true;
  const std::string crt = crtObject(event, context);
  const std::string libc = !glibc ? std::string("another glibc")
                                  : (oldCrt ? "glibc 2.34 or newer" : "older than glibc 2.34") +
                                        std::string(" (versions up to GLIBC_") +
                                        glibcVersionText(glibc->version) + ")";
  Finding f{"crt-libc-mismatch",
            Severity::Error,
            oldCrt ? (crt.empty() ? std::string("a start file") : crt) +
                         " is from a glibc older than 2.34 (it calls " + event.symbol +
                         "), but the C library is " + libc
                   : (crt.empty() ? std::string("a start file") : crt) +
                         " is from glibc 2.34 or newer (it needs " + versioned(event) +
                         "), but the C library is " + libc,
            {{crt, versioned(event), "referenced by the C runtime start file"}},
            "take crt1.o/Scrt1.o/crti.o and libc from the same sysroot: drop the start files "
            "of the other glibc (-nostartfiles with your own crt*.o, -B or a mixed --sysroot), "
            "or link against the glibc they came with"};
  if (glibc)
    f.evidence.push_back(sysrootEvidence(*glibc));
  report.add(std::move(f));
  return true;
}

// ---------------------------------------------------------------- glibc version
bool explainTooNew(const LinkerEvent &event, const LinkContext &context, Report &report) {
  if (!isUndefined(event))
    return false;
  std::optional<GlibcVersion> needed = glibcVersionOf(event.version);
  if (!needed && event.version.empty())
    needed = glibcReleaseOf(event.symbol);
  if (!needed)
    return false;
  std::optional<SysrootGlibc> glibc = findSysrootGlibc(context.libraryDirs);
  if (!glibc || *needed <= glibc->version)
    return false; // the sysroot's glibc is new enough: another cause
  const std::string input = referencingInput(event);
  if (alreadyReported(report, "glibc-too-new-dependency", input))
    return true;
  Finding f{"glibc-too-new-dependency",
            Severity::Error,
            (input.empty() ? std::string("an input") : input) + " needs glibc " +
                glibcVersionText(*needed) + " (" + versioned(event) +
                "), but the sysroot's glibc provides up to GLIBC_" +
                glibcVersionText(glibc->version),
            {},
            "rebuild " + (input.empty() ? std::string("the dependency") : input) +
                " against this sysroot (or an older glibc), or link with a sysroot whose glibc "
                "is at least " +
                glibcVersionText(*needed)};
  std::string detail =
      "needs " + (event.version.empty() ? "glibc " + glibcVersionText(*needed) + " (first there)"
                                        : event.version);
  if (std::optional<ElfInfo> shared = readShared(event.file))
    if (auto highest = highestGlibcNeeded(*shared))
      detail += "; its highest needed version: GLIBC_" + glibcVersionText(*highest);
  f.evidence.push_back({input, versioned(event), detail});
  f.evidence.push_back(sysrootEvidence(*glibc));
  report.add(std::move(f));
  return true;
}

// ---------------------------------------------------------------- static/dynamic
bool isCRuntimeLibrary(llvm::StringRef name) {
  return name == "c" || name == "m" || name == "pthread" || name == "dl" || name == "rt" ||
         name == "util";
}

bool explainStaticLibcMissing(const LinkerEvent &event, const LinkContext &context,
                              Report &report) {
  const bool rustcStatic = llvm::StringRef(event.detail).contains("native static library");
  if (!isCRuntimeLibrary(event.file) || !(rustcStatic || isStaticLink(context)))
    return false;
  if (alreadyReported(report, "libc-link-mismatch", "")) // said before the link
    return true;
  Finding f{"libc-link-mismatch",
            Severity::Error,
            "a static link needs lib" + event.file + ".a, and the search directories have none",
            {},
            "install the static C library into the sysroot (Debian: libc6-dev has libc.a; "
            "musl: musl-dev), or link dynamically: drop -static (Rust: -C "
            "target-feature=-crt-static on gnu targets)"};
  const std::string prefix = "lib" + event.file + ".so";
  for (const std::string &dir : context.libraryDirs) {
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (llvm::sys::path::filename(it->path()).startswith(prefix) && f.evidence.size() < 2)
        f.evidence.push_back({it->path(), "", "only the shared library is there"});
  }
  f.evidence.push_back(
      {"", "",
       "static link (" +
           std::string(rustcStatic ? "rustc asked for a static library"
                                   : "-static or -static-pie on the command line") +
           "); searched " + llvm::join(context.libraryDirs, ", ")});
  report.add(std::move(f));
  return true;
}

bool explainDuplicateLibc(const LinkerEvent &event, Report &report) {
  if (event.kind != LinkerEvent::Kind::DuplicateSymbol)
    return false;
  llvm::StringRef s = event.symbol;
  bool libcInternal = s.startswith("__lll_") || s.startswith("__libc_") || s.startswith("_dl_") ||
                      s.startswith("__nptl_") || s.startswith("__pthread_");
  bool fromLibc = llvm::any_of(event.references, [](const SymbolReference &ref) {
    llvm::StringRef a = llvm::sys::path::filename(ref.archive);
    return a == "libc.a" || a == "libpthread.a";
  });
  if (!libcInternal && !fromLibc)
    return false;
  if (alreadyReported(report, "libc-link-mismatch", ""))
    return true;
  Finding f{"libc-link-mismatch",
            Severity::Error,
            "the C library is linked twice, static and dynamic pieces mixed: " + event.symbol +
                " is defined more than once",
            {},
            "link the C library one way: everything static (-static) or everything dynamic "
            "(drop -Bstatic around -lpthread/-lc and -l:libc.a)"};
  for (const SymbolReference &ref : event.references)
    if (f.evidence.size() < 3)
      f.evidence.push_back({describeReference(ref), event.symbol, "defines it"});
  report.add(std::move(f));
  return true;
}

} // namespace

bool explainLibcEvent(const LinkerEvent &event, const SymbolIndex &index,
                      const LinkContext &context, Report &report) {
  switch (event.kind) {
  case LinkerEvent::Kind::UndefinedSymbol:
  case LinkerEvent::Kind::UndefinedVersionedSymbol:
  case LinkerEvent::Kind::DsoMissingFromCommandLine:
    if (context.libc == Libc::Musl)
      return explainMuslMix(event, index, report);
    return explainCrtMismatch(event, context, report) || explainTooNew(event, context, report);
  case LinkerEvent::Kind::UnableToFindLibrary:
    return explainStaticLibcMissing(event, context, report);
  case LinkerEvent::Kind::DuplicateSymbol:
    return explainDuplicateLibc(event, report);
  default:
    return false;
  }
}

} // namespace crosshim::diag
