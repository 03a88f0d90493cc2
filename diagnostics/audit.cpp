#include "diagnostics/audit.h"

#include "diagnostics/libc_info.h"
#include "support/fs.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <cerrno>
#include <map>
#include <set>

#include <sys/stat.h>
#include <unistd.h>

namespace crosshim::diag {

namespace {

// The directories of DT_RUNPATH (or, without it, DT_RPATH) with $ORIGIN and
// ${ORIGIN} replaced by the directory of `path`.
std::vector<std::string> runtimeSearchPath(const std::string &path, const ElfInfo &elf) {
  llvm::SmallString<256> origin(path);
  llvm::sys::fs::make_absolute(origin);
  llvm::sys::path::remove_filename(origin);
  std::vector<std::string> dirs;
  for (std::string dir : elf.runpath.empty() ? elf.rpath : elf.runpath) {
    for (llvm::StringRef token : {"${ORIGIN}", "$ORIGIN"})
      for (size_t at; (at = dir.find(token.str())) != std::string::npos;)
        dir.replace(at, token.size(), origin.str().str());
    dirs.push_back(std::move(dir));
  }
  return dirs;
}

std::string versionText(std::pair<unsigned, unsigned> v) {
  return std::to_string(v.first) + "." + std::to_string(v.second);
}

bool under(llvm::StringRef path, llvm::StringRef dir) {
  llvm::StringRef d = dir.size() > 1 ? dir.rtrim('/') : dir;
  return !d.empty() && d != "/" && path.startswith(d) &&
         (path.size() == d.size() || path[d.size()] == '/');
}

// The NEEDED libraries against the target's C library. Only libraries that
// are not glibc's own are opened (a C program needs none; C++ two), and the
// sysroot's libc.so.6 only when one of them needs a GLIBC_ version.
void checkNeededLibc(const std::string &path, const ElfInfo &elf, const AuditExpectations &expect,
                     Report &report) {
  if (expect.libc != Libc::Glibc && expect.libc != Libc::Musl)
    return;
  const bool musl = expect.libc == Libc::Musl;
  if (musl && llvm::is_contained(elf.needed, "libc.so.6"))
    report.add({"musl-glibc-mix",
                Severity::Error,
                "the output of a musl link needs glibc's libc.so.6",
                {{path, "libc.so.6", "DT_NEEDED libc.so.6"}},
                "link with the musl sysroot's C library (no glibc -L directories or inputs)"});
  std::optional<std::optional<SysrootGlibc>> glibc; // read once, when needed
  for (const std::string &lib : elf.needed) {
    if (isGlibcLibrary(lib))
      continue;
    std::string file;
    for (const std::string &dir : expect.libraryDirs)
      if (llvm::sys::fs::exists(dir + "/" + lib)) {
        file = dir + "/" + lib;
        break;
      }
    if (file.empty())
      continue;
    auto info = readElfFile(file);
    if (!info) {
      llvm::consumeError(info.takeError());
      continue;
    }
    std::optional<GlibcVersion> highest = highestGlibcNeeded(*info);
    if (musl) {
      if (highest || llvm::is_contained(info->needed, "libc.so.6"))
        report.add({"musl-glibc-mix",
                    Severity::Error,
                    lib + " was built against glibc; the program is linked for musl",
                    {{file, "",
                      llvm::is_contained(info->needed, "libc.so.6")
                          ? std::string("DT_NEEDED libc.so.6 (glibc)")
                          : "needs GLIBC_" + glibcVersionText(*highest)},
                     {path, "", "DT_NEEDED " + lib}},
                    "rebuild " + lib + " for musl (the musl target's compiler and sysroot)"});
      continue;
    }
    if (!highest)
      continue;
    if (!glibc)
      glibc = findSysrootGlibc(expect.libraryDirs);
    if (!*glibc || *highest <= (*glibc)->version)
      continue;
    const GlibcVersion have = (*glibc)->version;
    Finding f{"glibc-too-new-dependency",
              Severity::Error,
              lib + " needs glibc " + glibcVersionText(*highest) +
                  ", but the sysroot's glibc provides up to GLIBC_" + glibcVersionText(have) +
                  ": the program would fail to start (version `GLIBC_" +
                  glibcVersionText(*highest) + "' not found)",
              {{file, "", "needs GLIBC_" + glibcVersionText(*highest)}},
              "rebuild " + lib +
                  " against this sysroot (or an older glibc), or use a sysroot (and target "
                  "system) with glibc " +
                  glibcVersionText(*highest) + " or newer"};
    // The symbols behind it, for the evidence: read again, with symbols.
    if (auto withSymbols = readElfFile(file, /*readSymbols=*/true)) {
      for (const ElfSymbol &sym : withSymbols->dynamicSymbols)
        if (auto v = glibcVersionOf(sym.version);
            v && !sym.defined && *v > have && f.evidence.size() < 6)
          f.evidence.push_back({file, sym.name + "@" + sym.version, "needs " + sym.version});
    } else {
      llvm::consumeError(withSymbols.takeError());
    }
    f.evidence.push_back(
        {(*glibc)->path, "",
         "the sysroot's glibc: symbol versions up to GLIBC_" + glibcVersionText(have)});
    f.evidence.push_back({path, "", "DT_NEEDED " + lib});
    report.add(std::move(f));
  }
}

// A dynamic glibc program (PT_INTERP) always needs libc.so.6. Without it
// the linker took libc.a: lld and GNU ld skip a lib<name>.so they cannot
// use (a symlink loop, a dangling link, an unreadable file) and take the
// lib<name>.a next to it, silently. glibc's static libc in a dynamic PIE
// crashes at start.
void checkStaticLibcInDynamicProgram(const std::string &path, const ElfInfo &elf,
                                     const AuditExpectations &expect, Report &report) {
  if (expect.libc != Libc::Glibc || !expect.linksLibc || elf.interp.empty() ||
      llvm::is_contained(elf.needed, "libc.so.6"))
    return;
  Finding f;
  f.kind = "libc-link-mismatch";
  f.severity = Severity::Error;
  f.message = "the program is dynamic (PT_INTERP " + elf.interp +
              ") but does not need libc.so.6: the linker took the static libc.a into it, and "
              "glibc's static C library in a dynamic program crashes at start";
  f.evidence.push_back({path, "", "no DT_NEEDED libc.so.6"});
  std::string broken;
  for (const std::string &dir : expect.libraryDirs) {
    const std::string so = dir + "/libc.so", a = dir + "/libc.a";
    if (!lexists(so)) {
      if (lexists(a))
        f.evidence.push_back({a, "", "taken: no libc.so in " + dir});
      else
        continue;
      break;
    }
    std::string why;
    struct stat st;
    if (::stat(so.c_str(), &st) != 0)
      why = errno == ELOOP ? "a symlink loop" : "a link to a file that does not exist";
    else if (st.st_size == 0)
      why = "empty";
    else if (::access(so.c_str(), R_OK) != 0)
      why = "not readable";
    if (why.empty())
      continue; // usable: the cause is elsewhere (a -Bstatic before -lc, ...)
    broken = so;
    f.evidence.push_back({so, "", "unusable (" + why + "), so the linker skipped it"});
    if (lexists(a))
      f.evidence.push_back({a, "", "taken instead"});
    break;
  }
  f.fix = broken.empty()
              ? "link libc dynamically: drop -Bstatic/-l:libc.a before the C library, or give "
                "-static for a fully static program"
              : "repair " + broken +
                    " (libc6-dev ships it as a linker script naming libc.so.6, libc_nonshared.a "
                    "and the loader; reinstall libc6-dev into the sysroot or make it again with "
                    "`crosshim sysroot create`), then link again";
  report.add(std::move(f));
}

} // namespace

std::optional<std::pair<unsigned, unsigned>> glibcVersionOf(llvm::StringRef version) {
  if (!version.consume_front("GLIBC_"))
    return std::nullopt;
  llvm::StringRef major, minor;
  std::tie(major, minor) = version.split('.');
  minor = minor.split('.').first; // GLIBC_2.3.4 counts as 2.3
  unsigned a = 0, b = 0;
  if (major.getAsInteger(10, a) || minor.getAsInteger(10, b))
    return std::nullopt;
  return std::make_pair(a, b);
}

void auditLinkOutput(const std::string &path, const ElfInfo &elf, const AuditExpectations &expect,
                     Report &report) {
  if (elf.type != llvm::ELF::ET_EXEC && elf.type != llvm::ELF::ET_DYN)
    return; // -r links and the like

  if (expect.machine && (elf.machine != expect.machine || elf.is64 != expect.is64)) {
    report.add({"wrong-architecture",
                Severity::Error,
                "the linked output is " + machineName(elf.machine) +
                    (elf.is64 ? " (64-bit)" : " (32-bit)") + ", not " +
                    machineName(expect.machine) + (expect.is64 ? " (64-bit)" : " (32-bit)"),
                {{path, "", "e_machine " + std::to_string(elf.machine)}},
                "build every input for the target: set the target's linker and CC_<triple>, "
                "and rebuild dependencies made by the host compiler"});
    return; // nothing else about it can be trusted
  }
  if (expect.armFloatAbi != ArmFloatAbi::None && elf.armFloatAbi != ArmFloatAbi::None &&
      elf.armFloatAbi != expect.armFloatAbi)
    report.add({"float-abi-mismatch",
                Severity::Error,
                std::string("the output uses the ") +
                    (elf.armFloatAbi == ArmFloatAbi::Hard
                         ? "hard-float ABI, the target the soft-float one"
                         : "soft-float ABI, the target the hard-float one"),
                {{path, "", "e_flags 0x" + llvm::utohexstr(elf.flags)}},
                "build all objects with the target's -mfloat-abi"});

  if (!elf.interp.empty() && !expect.loader.empty() && elf.interp != expect.loader)
    report.add(
        {"interp-mismatch",
         Severity::Warning,
         "the program asks for the loader " + elf.interp + ", but the target's is " + expect.loader,
         {{path, "", "PT_INTERP " + elf.interp}},
         "link with the target's C library (its sysroot and --target), not another one; "
         "for musl see musl-glibc-mix"});

  for (const std::string &lib : elf.needed) {
    bool found = llvm::any_of(expect.libraryDirs, [&](const std::string &dir) {
      return llvm::sys::fs::exists(dir + "/" + lib);
    });
    // RUNPATH/RPATH as the loader reads them: $ORIGIN is the output's own
    // directory (CMake and Meson build trees use it for their libraries).
    bool nearby = llvm::any_of(runtimeSearchPath(path, elf), [&](const std::string &dir) {
      return llvm::sys::fs::exists(dir + "/" + lib);
    });
    if (!found && !nearby && !expect.libraryDirs.empty()) {
      std::string dirs;
      for (const std::string &d : expect.libraryDirs)
        dirs += (dirs.empty() ? "" : ", ") + d;
      report.add({"needed-library-missing",
                  Severity::Warning,
                  lib + " is needed at run time but is not in the sysroot",
                  {{path, "", "DT_NEEDED " + lib}, {"", "", "looked in " + dirs}},
                  "install the package that provides " + lib +
                      " into the sysroot, or ship it next to the program (RUNPATH $ORIGIN)"});
    }
  }

  checkNeededLibc(path, elf, expect, report);
  checkStaticLibcInDynamicProgram(path, elf, expect, report);

  for (const auto *list : {&elf.runpath, &elf.rpath}) {
    for (const std::string &entry : *list) {
      auto leak = llvm::find_if(expect.buildPaths,
                                [&](const std::string &dir) { return under(entry, dir); });
      if (leak == expect.buildPaths.end())
        continue;
      report.add({"rpath-leak",
                  Severity::Warning,
                  std::string(list == &elf.runpath ? "DT_RUNPATH" : "DT_RPATH") + " names " +
                      entry + ", a path of the build machine",
                  {{path, "", "under " + *leak}},
                  "drop the -rpath/-Wl,-rpath for build directories, or use $ORIGIN-relative "
                  "paths"});
    }
  }

  if (expect.glibcFloor) {
    // Every GLIBC_ version the output needs, and the symbols that need it.
    std::map<std::pair<unsigned, unsigned>, std::set<std::string>> tooNew;
    for (const ElfVersionNeed &need : elf.versionNeeds)
      for (const std::string &v : need.versions)
        if (auto version = glibcVersionOf(v); version && *version > *expect.glibcFloor)
          tooNew[*version];
    for (const ElfSymbol &sym : elf.dynamicSymbols)
      if (!sym.defined)
        if (auto version = glibcVersionOf(sym.version); version && tooNew.count(*version))
          tooNew[*version].insert(sym.name + "@" + sym.version + (sym.weak ? " (weak)" : ""));
    if (!tooNew.empty()) {
      Finding f{"glibc-floor-exceeded",
                Severity::Error,
                "the output needs glibc " + versionText(tooNew.rbegin()->first) +
                    " but the floor is " + versionText(*expect.glibcFloor),
                {},
                "link against a sysroot with glibc " + versionText(*expect.glibcFloor) +
                    " (its headers pick the old symbol versions), or avoid the symbols listed"};
      for (const auto &[version, symbols] : tooNew) {
        if (symbols.empty())
          f.evidence.push_back({path, "", "needs GLIBC_" + versionText(version)});
        for (const std::string &s : symbols)
          f.evidence.push_back({path, s, "needs GLIBC_" + versionText(version)});
      }
      report.add(std::move(f));
    }
  }
}

void auditLinkOutputFile(const std::string &path, const AuditExpectations &expect, Report &report) {
  auto elf = readElfFile(path, /*readSymbols=*/expect.glibcFloor.has_value());
  if (!elf) {
    // Not ELF (a linker script, ...) or not readable: nothing to audit.
    llvm::consumeError(elf.takeError());
    return;
  }
  auditLinkOutput(path, *elf, expect, report);
}

} // namespace crosshim::diag
