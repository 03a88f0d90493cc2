#include "diagnostics/doctor.h"

#include "diagnostics/archive.h"
#include "diagnostics/audit.h"
#include "diagnostics/linker_script.h"
#include "diagnostics/symlink_fix.h"
#include "support/fs.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringSet.h>
#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELF.h>
#include <llvm/Support/ARMBuildAttributes.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <set>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

namespace crosshim::diag {
namespace {

// More findings of one kind than this are summed up in one more finding: a
// sysroot for the wrong machine would otherwise fill screens.
constexpr size_t kMaxFindingsPerKind = 20;
// Evidence lines in a grouped finding.
constexpr size_t kMaxEvidence = 8;
// A linker script is a few lines; a larger lib*.so text file is not one.
constexpr uint64_t kMaxScriptBytes = 1 << 20;

bool existsFollowing(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

bool isRegularFollowing(const std::string &path, uint64_t *size = nullptr) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return false;
  if (size)
    *size = static_cast<uint64_t>(st.st_size);
  return true;
}

std::string realPathOf(const std::string &path) {
  llvm::SmallString<256> real;
  if (llvm::sys::fs::real_path(path, real))
    return path;
  return std::string(real);
}

bool under(llvm::StringRef path, llvm::StringRef dir) {
  llvm::StringRef d = dir.size() > 1 ? dir.rtrim('/') : dir;
  if (d == "/")
    return path.startswith("/");
  return !d.empty() && path.startswith(d) && (path.size() == d.size() || path[d.size()] == '/');
}

std::string describeMachine(uint16_t machine, bool is64) {
  return machineName(machine) + (is64 ? " (64-bit)" : " (32-bit)");
}

std::string targetMachine(const DoctorLayout &layout) {
  return describeMachine(layout.machine, layout.is64);
}

bool wrongMachine(const DoctorLayout &layout, const ElfInfo &elf) {
  return layout.machine != 0 && elf.machine != 0 &&
         (elf.machine != layout.machine || elf.is64 != layout.is64);
}

// The ELF header of a build-machine file, when it is an ELF file of another
// machine than the target's: "x86-64 (64-bit)"; empty otherwise.
std::string foreignElf(const DoctorLayout &layout, const std::string &path) {
  if (!isRegularFollowing(path))
    return {};
  auto elf = readElfFile(path);
  if (!elf) {
    llvm::consumeError(elf.takeError());
    return {};
  }
  return wrongMachine(layout, *elf) ? describeMachine(elf->machine, elf->is64) : std::string();
}

// Every symlink under the directories (subdirectories only when recursing,
// never through a linked directory); each physical directory once.
struct LinkWalk {
  std::vector<std::string> links; // full paths as walked, sorted
  std::set<std::string> realDirs; // the physical directories walked
};

LinkWalk walkLinks(llvm::ArrayRef<std::string> dirs, bool recurse) {
  LinkWalk walk;
  for (const std::string &top : dirs) {
    // A linked directory (lib -> usr/lib in a merged /usr) is walked under
    // its real name, so that every link is named by its physical path.
    if (!isRealDirectory(top))
      continue;
    std::vector<std::string> stack{top};
    while (!stack.empty()) {
      const std::string dir = std::move(stack.back());
      stack.pop_back();
      if (!walk.realDirs.insert(realPathOf(dir)).second)
        continue;
      for (const std::string &name : listDirectory(dir)) {
        const std::string path = dir + "/" + name;
        const EntryType type = entryType(path);
        if (type == EntryType::Symlink)
          walk.links.push_back(path);
        else if (type == EntryType::Directory && recurse)
          stack.push_back(path);
      }
    }
  }
  llvm::sort(walk.links);
  return walk;
}

// Findings of one kind beyond kMaxFindingsPerKind become one summary.
class CappedFindings {
public:
  CappedFindings(Report &report, std::string kind, std::string what)
      : report_(report), kind_(std::move(kind)), what_(std::move(what)) {}
  ~CappedFindings() {
    if (extra_.empty())
      return;
    Finding f;
    f.kind = kind_;
    f.severity = worst_;
    f.message = std::to_string(extra_.size()) + " more " + what_ + " (not listed one by one)";
    for (size_t i = 0; i < extra_.size() && i < kMaxEvidence; ++i)
      f.evidence.push_back({extra_[i], "", ""});
    f.fix = fix_;
    report_.add(std::move(f));
  }
  void add(Finding f) {
    if (added_ < kMaxFindingsPerKind) {
      ++added_;
      report_.add(std::move(f));
      return;
    }
    if (extra_.empty())
      fix_ = f.fix;
    worst_ = std::max(worst_, f.severity);
    extra_.push_back(f.evidence.empty() ? f.message : f.evidence.front().file);
  }

private:
  Report &report_;
  std::string kind_, what_, fix_;
  size_t added_ = 0;
  Severity worst_ = Severity::Note;
  std::vector<std::string> extra_;
};

// GCC's own modules for the build machine, kept in its runtime dir next to
// the target's libraries: the LTO plugin that the linker loads, and the
// libcc1 plugins of GDB's `compile` command (also under plugin/). They are
// host files by design, and no link asks for them by -l.
bool isGccHostModule(const DoctorLayout &layout, const std::string &path) {
  if (layout.gccDir.empty())
    return false;
  llvm::StringRef dir = llvm::sys::path::parent_path(path);
  if (dir != layout.gccDir && dir != layout.gccDir + "/plugin")
    return false;
  llvm::StringRef name = llvm::sys::path::filename(path);
  return name.startswith("liblto_plugin.so") || name.startswith("libcc1.so") ||
         name.startswith("libcc1plugin.so") || name.startswith("libcp1plugin.so");
}

// A Debian package name for the messages: the target's architecture is not
// known here, so the generic name.
std::string libcDevHint(const DoctorLayout &layout) {
  return layout.musl ? "musl-dev" : "libc6-dev (Debian cross packages: libc6-dev-<arch>-cross)";
}

} // namespace

std::vector<std::string> doctorSearchDirs(const DoctorLayout &layout) {
  std::vector<std::string> dirs = layout.libraryDirs;
  if (!layout.gccDir.empty())
    dirs.push_back(layout.gccDir);
  return dirs;
}

// ---------------------------------------------------------------- symlinks

namespace {

// The findings of checkSymlinks, each kind capped; `reported` holds the links
// (full paths) that have one.
struct SymlinkFindings {
  explicit SymlinkFindings(Report &report)
      : absolute(report, "absolute-symlink", "absolute symlinks"),
        dangling(report, "dangling-symlink", "dangling symlinks") {}
  CappedFindings absolute, dangling;
  std::set<std::string> reported;
};

// An absolute link whose target is a build-machine file: an error when the
// file is ELF for another machine (the link takes it), else a warning.
void addHostSide(const DoctorLayout &layout, Finding &f, const std::string &hostPath) {
  if (!existsFollowing(hostPath)) {
    f.evidence.push_back({hostPath, "",
                          "does not exist on this machine: the linker sees a dangling link "
                          "(lld skips lib<name>.so for lib<name>.a: static-fallback)"});
    return;
  }
  std::string foreign = foreignElf(layout, hostPath);
  if (!foreign.empty()) {
    f.severity = Severity::Error;
    f.evidence.push_back({hostPath, "",
                          "the linker follows the link to this build-machine file, which is " +
                              foreign + "; the target is " + targetMachine(layout)});
  } else {
    f.evidence.push_back({hostPath, "",
                          "exists on this machine: the linker reads the build machine's file, "
                          "not the sysroot's"});
  }
}

void addRewriteFinding(const DoctorLayout &layout, const SymlinkFixPlan &plan,
                       const SymlinkRewrite &rw, SymlinkFindings &out) {
  const std::string link = plan.root + "/" + rw.link;
  out.reported.insert(link);
  Finding f;
  f.kind = "absolute-symlink";
  f.severity = Severity::Warning;
  f.message = "the absolute symlink " + rw.link + " -> " + rw.oldTarget +
              " names a build-machine path; the sysroot's own file is " + rw.resolved;
  f.evidence.push_back({link, "", "-> " + rw.oldTarget + ", should be -> " + rw.newTarget});
  addHostSide(layout, f, rw.oldTarget);
  f.fix = "crosshim sysroot fix " + plan.root;
  out.absolute.add(std::move(f));
}

void addProblemFinding(const DoctorLayout &layout, const SymlinkFixPlan &plan,
                       const SymlinkProblem &p, SymlinkFindings &out) {
  const std::string link = plan.root + "/" + p.link;
  out.reported.insert(link);
  Finding f;
  f.severity = Severity::Warning;
  if (p.kind == SymlinkProblemKind::Loop) {
    f.kind = "dangling-symlink";
    f.message = "the symlink " + p.link + " -> " + p.target + " never resolves (a loop)";
    f.evidence.push_back({link, "", "a loop through " + plan.root + "/" + p.where});
    f.fix = "point " + link + " at a real file inside " + plan.root + ", or remove it";
    out.dangling.add(std::move(f));
    return;
  }
  const bool escape = p.kind == SymlinkProblemKind::Escape;
  if (escape || p.onHost) {
    // It leaves the sysroot and reaches a build-machine file.
    f.kind = "absolute-symlink";
    f.message = "the symlink " + p.link + " -> " + p.target + " leaves " + plan.root +
                (p.onHost ? " for a file of the build machine" : "");
    f.evidence.push_back({link, "", "-> " + p.target});
    addHostSide(layout, f, escape ? link : p.target);
    f.fix = "point " + link + " at its file inside " + plan.root +
            " (relative), install the package that provides it there, or remove it";
    out.absolute.add(std::move(f));
    return;
  }
  f.kind = "dangling-symlink";
  f.message = "the absolute symlink " + p.link + " -> " + p.target + " does not resolve inside " +
              plan.root;
  f.evidence.push_back({link, "", plan.root + "/" + p.where + " " + p.why});
  f.fix = "install the package that provides /" + p.wanted + " into " + plan.root + " and run `" +
          "crosshim sysroot fix " + plan.root + "`, or remove the link";
  out.dangling.add(std::move(f));
}

// A copied sysroot's links, judged re-rooted (as planSymlinkFixes does):
// only those in the library and include dirs that were walked.
void checkRerootedLinks(const DoctorLayout &layout, const LinkWalk &walk, SymlinkFindings &out) {
  auto plan = planSymlinkFixes(layout.root);
  if (!plan) {
    llvm::consumeError(plan.takeError());
    return;
  }
  auto inScope = [&](llvm::StringRef rel) {
    return walk.realDirs.count(
               realPathOf(plan->root + "/" + llvm::sys::path::parent_path(rel).str())) > 0;
  };
  for (const SymlinkRewrite &rw : plan->rewrites)
    if (inScope(rw.link))
      addRewriteFinding(layout, *plan, rw, out);
  for (const SymlinkProblem &p : plan->problems)
    if (inScope(p.link))
      addProblemFinding(layout, *plan, p, out);
}

// What is left: links that do not resolve on this machine (relative ones
// in a copied sysroot; any in a host-rooted layout), and host-rooted links
// that leave the layout's trees. Returns the dangling relative links (link,
// text).
std::vector<std::pair<std::string, std::string>>
checkRemainingLinks(const DoctorLayout &layout, const LinkWalk &walk, SymlinkFindings &out) {
  std::vector<std::pair<std::string, std::string>> relativeDangling;
  for (const std::string &link : walk.links) {
    if (out.reported.count(link))
      continue;
    const std::string text = readSymlink(link).value_or("");
    const bool isAbsolute = llvm::StringRef(text).startswith("/");
    if (!layout.hostRooted && isAbsolute)
      continue; // the plan judged it (re-rooted), or it is out of scope
    if (!existsFollowing(link)) {
      if (!isAbsolute) {
        relativeDangling.emplace_back(link, text);
        continue;
      }
      Finding f;
      f.kind = "dangling-symlink";
      f.severity = Severity::Warning;
      f.message = "the symlink " + link + " -> " + text + " dangles";
      f.evidence.push_back({link, "", text + " does not exist"});
      f.fix = "install the package that provides " + text + ", or remove the link";
      out.dangling.add(std::move(f));
      continue;
    }
    if (!layout.hostRooted || layout.ownedDirs.empty() || isGccHostModule(layout, link))
      continue;
    const std::string real = realPathOf(link);
    if (llvm::any_of(layout.ownedDirs, [&](const std::string &d) {
          return under(real, d) || under(real, realPathOf(d));
        }))
      continue;
    std::string foreign = foreignElf(layout, real);
    if (foreign.empty())
      continue; // a build-machine file of the same machine, or not ELF: fine
    Finding f;
    f.kind = "absolute-symlink";
    f.severity = Severity::Error;
    f.message = "the symlink " + link + " -> " + text + " leaves the " + layout.target +
                " files for a build-machine file of another machine";
    f.evidence.push_back({link, "", "resolves to " + real});
    f.evidence.push_back({real, "", foreign + "; the target is " + targetMachine(layout)});
    f.fix = "point " + link + " at the target's own file, or remove it";
    out.absolute.add(std::move(f));
  }
  return relativeDangling;
}

// Relative links to files that are not installed: usually the dev links of
// optional run-time packages (libasan.so -> libasan.so.8 without libasan8),
// harmless until a link asks for that library. One note for all of them.
void noteRelativeDangling(llvm::ArrayRef<std::pair<std::string, std::string>> links,
                          Report &report) {
  if (links.empty())
    return;
  Finding f;
  f.kind = "dangling-symlink";
  f.severity = Severity::Note;
  f.message = std::to_string(links.size()) +
              " relative symlink(s) in the library and include dirs point at files that are "
              "not installed";
  for (size_t i = 0; i < links.size() && i < kMaxEvidence; ++i)
    f.evidence.push_back({links[i].first, "", "-> " + links[i].second + ", which does not exist"});
  if (links.size() > kMaxEvidence)
    f.evidence.push_back({"", "", "and " + std::to_string(links.size() - kMaxEvidence) + " more"});
  f.fix = "install the packages that provide the targets if a link needs them (-l<name> "
          "skips a dangling lib<name>.so and may take lib<name>.a instead)";
  report.add(std::move(f));
}

} // namespace

void checkSymlinks(const DoctorLayout &layout, Report &report, DoctorStats &stats) {
  const LinkWalk walk = walkLinks(layout.symlinkDirs, layout.recurse);
  stats.symlinks += walk.links.size();
  // The capped kinds' summaries are added when `found` goes, after the note.
  SymlinkFindings found(report);
  if (!layout.hostRooted)
    checkRerootedLinks(layout, walk, found);
  noteRelativeDangling(checkRemainingLinks(layout, walk, found), report);
}

// ---------------------------------------------------------------- linker scripts

namespace {

struct ScriptCheck {
  std::vector<std::string> missing; // "GROUP names X: why"
  std::vector<std::string> foreign; // "X is x86-64 (64-bit)"
  std::vector<std::string> outside; // same-machine files outside a host-rooted tree
};

std::optional<std::string> findInDirs(llvm::ArrayRef<std::string> dirs, const std::string &name) {
  for (const std::string &d : dirs)
    if (existsFollowing(d + "/" + name))
      return d + "/" + name;
  return std::nullopt;
}

// Where the linker finds one input a script in `dir` names, or nullopt and
// `why` not.
std::optional<std::string> findScriptInput(const DoctorLayout &layout,
                                           llvm::ArrayRef<std::string> dirs, const std::string &dir,
                                           bool underSysroot, llvm::StringRef s, std::string &why) {
  std::optional<std::string> found;
  if (s.startswith("/") && underSysroot) {
    const std::string p = layout.linkerSysroot + s.str();
    if (existsFollowing(p))
      found = p;
    else
      why = "ld.lld looks for it inside --sysroot=" + layout.linkerSysroot + ": " + p +
            " does not exist (\"cannot find " + s.str() + " inside " + layout.linkerSysroot + "\")";
  } else if (s.startswith("/")) {
    if (existsFollowing(s.str()))
      found = s.str();
    else
      why = s.str() + " does not exist" +
            (layout.linkerSysroot.empty()
                 ? std::string(" (this layout links without --sysroot, so the path is "
                               "read as it is)")
                 : std::string(" (the script is not under --sysroot=" + layout.linkerSysroot +
                               ", so the path is read as it is)"));
  } else if (s.startswith("=")) {
    const std::string p = layout.linkerSysroot.empty()
                              ? s.drop_front().str()
                              : layout.linkerSysroot + "/" + s.drop_front().str();
    if (existsFollowing(p))
      found = p;
    else
      why = p + " does not exist";
  } else if (s.startswith("-l")) {
    llvm::StringRef lib = s.drop_front(2);
    if (lib.consume_front(":"))
      found = findInDirs(dirs, lib.str());
    else if (!(found = findInDirs(dirs, "lib" + lib.str() + ".so")))
      found = findInDirs(dirs, "lib" + lib.str() + ".a");
    if (!found)
      why = "no lib" + lib.str() + ".so or lib" + lib.str() + ".a in the library dirs";
  } else {
    const std::string p = dir + "/" + s.str();
    if (existsFollowing(p))
      found = p;
    else if (!(found = findInDirs(dirs, s.str())))
      why = "not next to the script nor in the library dirs";
  }
  return found;
}

// The inputs of the script at `path` (in `dir`) the linker cannot use, or
// takes from outside the layout.
ScriptCheck checkScriptInputs(const DoctorLayout &layout, llvm::ArrayRef<std::string> dirs,
                              const std::string &dir, const std::string &path,
                              const LinkerScript &script) {
  // lld re-roots a script's absolute paths under --sysroot only when the
  // script itself lies under the sysroot (ScriptParser::addFile).
  const std::string sysrootReal =
      layout.linkerSysroot.empty() ? std::string() : realPathOf(layout.linkerSysroot);
  const bool underSysroot = !layout.linkerSysroot.empty() && (under(path, layout.linkerSysroot) ||
                                                              under(realPathOf(path), sysrootReal));
  ScriptCheck check;
  for (const LinkerScriptInput &in : script.inputs) {
    llvm::StringRef s = in.path;
    std::string why;
    std::optional<std::string> found = findScriptInput(layout, dirs, dir, underSysroot, s, why);
    if (!found) {
      check.missing.push_back(s.str() + ": " + why);
      continue;
    }
    // A path that leaves the sysroot for a build-machine file of another
    // machine ("is incompatible with elf64-...").
    // Compared as written and as resolved: a sysroot named through a
    // link (/opt/cross -> /usr/aarch64-linux-gnu) owns its real files.
    const std::string foundReal = realPathOf(*found);
    auto inTree = [&](const std::string &d) {
      return under(*found, d) || under(foundReal, realPathOf(d));
    };
    if (layout.root != "/" && !inTree(layout.root) && !llvm::any_of(layout.ownedDirs, inTree)) {
      std::string foreign = foreignElf(layout, *found);
      if (!foreign.empty())
        check.foreign.push_back(s.str() + ": resolves to the build machine's " + *found +
                                ", which is " + foreign);
      else if (layout.hostRooted && s.startswith("/"))
        // A tree installed at its place names its own files by their
        // absolute paths; a copy of it still names the original's.
        check.outside.push_back(*found);
    }
  }
  return check;
}

// "-lc" for libc.so.
std::string linkFlagOf(llvm::StringRef scriptName) {
  return "-l" + scriptName.drop_front(3).drop_back(3).str();
}

// A script whose inputs all work but come from outside the layout (a copy of
// a tree that still names the original's files): a warning.
Finding outsidePathsFinding(const DoctorLayout &layout, const std::string &dir,
                            const std::string &path, llvm::StringRef name,
                            const ScriptCheck &check) {
  Finding f;
  f.kind = "linker-script-path";
  f.severity = Severity::Warning;
  f.message = "the linker script " + path + " names " + std::to_string(check.outside.size()) +
              " file(s) outside " + layout.root + ": " + linkFlagOf(name) +
              " links them from there, not from this sysroot";
  std::string prefix;
  for (const std::string &o : check.outside) {
    const std::string own = dir + "/" + llvm::sys::path::filename(o).str();
    f.evidence.push_back(
        {path, "",
         "names " + o +
             (existsFollowing(own) ? "; this sysroot's own file is " + own
                                   : "; this sysroot has no " + llvm::sys::path::filename(o).str() +
                                         " next to the script")});
    // The common directory part of the script's paths: the original
    // tree's library dir, for the fix.
    const std::string oDir = llvm::sys::path::parent_path(o).str();
    prefix = prefix.empty() || prefix == oDir ? oDir : "-";
  }
  f.fix = prefix.empty() || prefix == "-"
              ? "make the script name the files of " + layout.root +
                    " (full paths), or copy the tree with its scripts rewritten"
              : "make the script name " + dir + " instead of " + prefix + " (sed -i 's|" + prefix +
                    "/|" + dir + "/|g' " + path + "), or link with the original tree";
  return f;
}

// A script with inputs the linker cannot use (missing, or for another
// machine): an error.
Finding unusableInputsFinding(const DoctorLayout &layout, const std::string &path,
                              llvm::StringRef name, const ScriptCheck &check) {
  Finding f;
  f.kind = "linker-script-path";
  f.severity = Severity::Error;
  f.message = "the linker script " + path + " names " +
              std::to_string(check.missing.size() + check.foreign.size()) +
              " file(s) that ld.lld cannot use in this layout (" + linkFlagOf(name) + " fails)";
  for (const std::string &m : check.missing)
    f.evidence.push_back({path, "", m});
  for (const std::string &m : check.foreign)
    f.evidence.push_back({path, "", m + "; the target is " + targetMachine(layout)});
  f.fix = layout.linkerSysroot.empty()
              ? "make the script name the files where they are on this machine (full paths "
                "under " +
                    layout.root + "), or reinstall the package that ships it"
              : "make the script name the files as the target sees them (/lib/... inside " +
                    layout.linkerSysroot +
                    ", which ld.lld prefixes with --sysroot), or reinstall the package "
                    "that ships it";
  return f;
}

} // namespace

void checkLinkerScripts(const DoctorLayout &layout, Report &report, DoctorStats &stats) {
  const std::vector<std::string> dirs = doctorSearchDirs(layout);
  std::set<std::string> seenDirs, seenScripts;
  for (const std::string &dir : dirs) {
    if (!seenDirs.insert(realPathOf(dir)).second)
      continue;
    for (const std::string &name : listDirectory(dir)) {
      if (!llvm::StringRef(name).startswith("lib") || !llvm::StringRef(name).endswith(".so"))
        continue;
      const std::string path = dir + "/" + name;
      uint64_t size = 0;
      if (!isRegularFollowing(path, &size) || size > kMaxScriptBytes)
        continue;
      if (!seenScripts.insert(realPathOf(path)).second)
        continue;
      auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                                /*RequiresNullTerminator=*/false);
      if (!buffer || !looksLikeLinkerScript((*buffer)->getBuffer()))
        continue;
      ++stats.scripts;
      const LinkerScript script = parseLinkerScript((*buffer)->getBuffer());
      const ScriptCheck check = checkScriptInputs(layout, dirs, dir, path, script);
      if (!check.missing.empty() || !check.foreign.empty())
        report.add(unusableInputsFinding(layout, path, name, check));
      else if (!check.outside.empty())
        report.add(outsidePathsFinding(layout, dir, path, name, check));
    }
  }
}

// ---------------------------------------------------------------- crt objects

void checkCrtObjects(const DoctorLayout &layout, Report &report) {
  std::vector<std::string> missing;
  for (const char *crt : {"crt1.o", "Scrt1.o", "crti.o", "crtn.o"})
    if (!findInDirs(layout.libraryDirs, crt))
      missing.push_back(crt);
  if (!missing.empty()) {
    std::string dirs;
    for (const std::string &d : layout.libraryDirs)
      dirs += (dirs.empty() ? "" : ", ") + d;
    Finding f;
    f.kind = "missing-crt-object";
    f.severity = Severity::Error;
    f.message = "the C library's start files are missing: " + llvm::join(missing, ", ") +
                " (links fail with \"cannot open " + missing.front() + "\")";
    for (const std::string &m : missing)
      f.evidence.push_back({m, "", "not in " + dirs});
    f.fix = "install " + libcDevHint(layout) + " into the sysroot";
    report.add(std::move(f));
  }
  if (!layout.needsGccRuntime)
    return;
  if (layout.gccDir.empty()) {
    report.add({"missing-crt-object",
                Severity::Error,
                "no GCC runtime directory for " + layout.target +
                    " (crtbeginS.o, crtendS.o, libgcc.a): links fail with \"cannot open "
                    "crtbeginS.o\" or \"unable to find library -lgcc\"",
                {{layout.root, "", "has no lib/gcc/<triple>/<version> (or gcc-cross) directory"}},
                "install libgcc-12-dev for the target into the sysroot (Debian cross packages: "
                "libgcc-12-dev-<arch>-cross)"});
    return;
  }
  std::vector<std::string> gccMissing;
  for (const char *crt : {"crtbegin.o", "crtbeginS.o", "crtend.o", "crtendS.o"})
    if (!existsFollowing(layout.gccDir + "/" + crt))
      gccMissing.push_back(crt);
  if (gccMissing.empty())
    return;
  Finding f;
  f.kind = "missing-crt-object";
  f.severity = Severity::Error;
  f.message = "the GCC runtime start files are missing: " + llvm::join(gccMissing, ", ") +
              " (links fail with \"cannot open " + gccMissing.front() + "\")";
  for (const std::string &m : gccMissing)
    f.evidence.push_back({m, "", "not in " + layout.gccDir});
  f.fix = "reinstall libgcc-12-dev for the target (Debian cross packages: "
          "libgcc-12-dev-<arch>-cross)";
  report.add(std::move(f));
}

// ---------------------------------------------------------------- dev links

namespace {

// Libraries that links ask for by name all the time (the C library's own,
// the compiler runtime, and the usual system libraries): a run-time file
// without its -l name is a broken link waiting to happen. Other libX.so.N
// without libX.so are normal (plugins, NSS modules, run-time-only
// packages) unless a pkg-config file next to them asks for -lX.
constexpr llvm::StringLiteral kLinkedByName[] = {"c",      "m",      "pthread", "dl",     "rt",
                                                 "util",   "resolv", "crypt",   "gcc_s",  "stdc++",
                                                 "atomic", "z",      "ssl",     "crypto", "ffi"};

// "-lfoo" names in the Libs: lines of <dir>/pkgconfig/*.pc.
void pkgConfigLibs(const std::string &dir, llvm::StringSet<> &libs) {
  const std::string pc = dir + "/pkgconfig";
  for (const std::string &name : listDirectory(pc)) {
    if (!llvm::StringRef(name).endswith(".pc"))
      continue;
    auto buffer = llvm::MemoryBuffer::getFile(pc + "/" + name, /*IsText=*/true);
    if (!buffer || (*buffer)->getBufferSize() > kMaxScriptBytes)
      continue;
    llvm::SmallVector<llvm::StringRef, 32> lines;
    (*buffer)->getBuffer().split(lines, '\n');
    for (llvm::StringRef line : lines) {
      if (!line.consume_front("Libs:"))
        continue;
      llvm::SmallVector<llvm::StringRef, 8> words;
      line.split(words, ' ', -1, false);
      for (llvm::StringRef w : words)
        if (w.consume_front("-l") && !w.empty())
          libs.insert(w.trim());
    }
  }
}

} // namespace

void checkDevSymlinks(const DoctorLayout &layout, Report &report) {
  const std::vector<std::string> dirs = doctorSearchDirs(layout);
  llvm::StringSet<> wanted;
  for (llvm::StringRef l : kLinkedByName)
    wanted.insert(l);
  for (const std::string &d : dirs)
    pkgConfigLibs(d, wanted);

  std::map<std::string, std::string> missing; // name -> a run-time file
  for (const std::string &dir : dirs)
    for (const std::string &file : listDirectory(dir)) {
      llvm::StringRef f = file;
      size_t so = f.find(".so.");
      if (!f.startswith("lib") || so == llvm::StringRef::npos || so <= 3)
        continue;
      const std::string name = f.slice(3, so).str();
      if (!wanted.count(name) || missing.count(name))
        continue;
      const bool linkable = llvm::any_of(dirs, [&](const std::string &d) {
        return lexists(d + "/lib" + name + ".so") || lexists(d + "/lib" + name + ".a");
      });
      if (!linkable)
        missing.emplace(name, dir + "/" + file);
    }
  if (missing.empty())
    return;
  Finding f;
  f.kind = "missing-dev-symlink";
  f.severity = Severity::Warning;
  std::string names;
  for (const auto &m : missing)
    names += (names.empty() ? "-l" : ", -l") + m.first;
  f.message = "only the run-time file of " + std::to_string(missing.size()) +
              " library(ies) that links ask for by name is here: " + names +
              " fail(s) with \"unable to find library\"";
  size_t shown = 0;
  for (const auto &m : missing) {
    if (shown++ == kMaxEvidence)
      break;
    f.evidence.push_back(
        {m.second, "", "no lib" + m.first + ".so or lib" + m.first + ".a in the library dirs"});
  }
  f.fix = "install the library's -dev package into the sysroot, or create the link "
          "(ln -s <libX.so.N> <dir>/libX.so), or link with -l:<libX.so.N>";
  report.add(std::move(f));
}

// ---------------------------------------------------------------- architectures

namespace {

struct FileVerdict {
  std::vector<std::string> wrongArch; // "x86-64 (64-bit)" or "member m.o is ..."
  std::vector<std::string> floatAbi;
};

const char *floatAbiName(ArmFloatAbi abi) {
  return abi == ArmFloatAbi::Hard ? "hard-float" : "soft-float";
}

// The float ABI of an ARM object whose e_flags do not say (LLVM's
// assembler leaves them 0 in .o files): Tag_ABI_VFP_args of .ARM.attributes,
// absent meaning base AAPCS (soft-float) for code that uses floating point.
// None without the section.
ArmFloatAbi attributesFloatAbi(llvm::MemoryBufferRef buffer) {
  auto attributes = readArmAttributes(buffer.getBuffer());
  if (!attributes)
    return ArmFloatAbi::None;
  const auto &vfpArgs = attributes->vfpArgs;
  if (vfpArgs && *vfpArgs == llvm::ARMBuildAttrs::HardFPAAPCS)
    return ArmFloatAbi::Hard;
  // Without floating point at all (assembler files: no ABI_FP_number_model)
  // the calling convention does not matter; GNU ld does not complain either.
  if (!attributes->fpNumberModel || *attributes->fpNumberModel == 0)
    return ArmFloatAbi::None;
  return !vfpArgs || *vfpArgs == llvm::ARMBuildAttrs::BaseAAPCS ? ArmFloatAbi::Soft
                                                                : ArmFloatAbi::None;
}

void judgeElf(const DoctorLayout &layout, ElfInfo elf, llvm::MemoryBufferRef buffer,
              const std::string &prefix, FileVerdict &v) {
  if (elf.machine == llvm::ELF::EM_ARM && !elf.is64 && elf.littleEndian &&
      elf.armFloatAbi == ArmFloatAbi::None && layout.armFloatAbi != ArmFloatAbi::None)
    elf.armFloatAbi = attributesFloatAbi(buffer);
  if (wrongMachine(layout, elf)) {
    v.wrongArch.push_back(prefix + describeMachine(elf.machine, elf.is64));
    return;
  }
  if (layout.armFloatAbi != ArmFloatAbi::None && elf.machine == llvm::ELF::EM_ARM &&
      elf.armFloatAbi != ArmFloatAbi::None && elf.armFloatAbi != layout.armFloatAbi)
    v.floatAbi.push_back(prefix + floatAbiName(elf.armFloatAbi));
}

bool objectLike(llvm::StringRef name) {
  return name.endswith(".o") || name.endswith(".a") || name.endswith(".so") ||
         name.contains(".so.");
}

} // namespace

void checkArchitectures(const DoctorLayout &layout, Report &report, DoctorStats &stats) {
  if (layout.machine == 0)
    return;
  CappedFindings wrong(report, "wrong-architecture", "files of another machine");
  CappedFindings floats(report, "float-abi-mismatch", "files of the other float ABI");
  std::set<std::string> seenDirs, seenFiles;
  const std::string target = targetMachine(layout);
  const char *targetAbi = floatAbiName(layout.armFloatAbi);
  for (const std::string &dir : doctorSearchDirs(layout)) {
    if (!seenDirs.insert(realPathOf(dir)).second)
      continue;
    for (const std::string &name : listDirectory(dir)) {
      if (!objectLike(name))
        continue;
      const std::string path = dir + "/" + name;
      if (isGccHostModule(layout, path))
        continue;
      if (!isRegularFollowing(path) || !seenFiles.insert(realPathOf(path)).second)
        continue;
      auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                                /*RequiresNullTerminator=*/false);
      if (!buffer)
        continue;
      llvm::StringRef bytes = (*buffer)->getBuffer();
      FileVerdict v;
      if (isElf(bytes)) {
        ++stats.files;
        auto elf = readElf((*buffer)->getMemBufferRef());
        if (!elf) {
          llvm::consumeError(elf.takeError());
          continue;
        }
        judgeElf(layout, *elf, (*buffer)->getMemBufferRef(), "", v);
      } else if (bytes.startswith("!<arch>\n")) {
        ++stats.files;
        // What can be read of a malformed archive is judged; the rest is
        // the linker's to complain about.
        llvm::consumeError(forEachArchiveMember(bytes, [&](const ArchiveMember &m) {
          if (!isElf(m.bytes))
            return; // bitcode, or something else the linker would reject by itself
          ++stats.members;
          llvm::MemoryBufferRef member(m.bytes, m.name);
          auto elf = readElf(member);
          if (!elf) {
            llvm::consumeError(elf.takeError());
            return;
          }
          judgeElf(layout, *elf, member, "member " + m.name.str() + " is ", v);
        }));
      } else {
        continue;
      }
      if (!v.wrongArch.empty()) {
        Finding f;
        f.kind = "wrong-architecture";
        f.severity = Severity::Error;
        f.message = path + " is not for the target's machine (" + target + ")";
        for (size_t i = 0; i < v.wrongArch.size() && i < kMaxEvidence; ++i)
          f.evidence.push_back({path, "", v.wrongArch[i]});
        if (v.wrongArch.size() > kMaxEvidence)
          f.evidence.push_back(
              {path, "", "and " + std::to_string(v.wrongArch.size() - kMaxEvidence) + " more"});
        f.fix = "remove it from the sysroot, or rebuild it for " + layout.target +
                " (the target's CC_<triple> and linker)";
        wrong.add(std::move(f));
      }
      if (!v.floatAbi.empty()) {
        Finding f;
        f.kind = "float-abi-mismatch";
        f.severity = Severity::Error;
        f.message = path + " uses the " +
                    (layout.armFloatAbi == ArmFloatAbi::Hard ? "soft-float" : "hard-float") +
                    " ABI; " + layout.target + " is " + targetAbi +
                    " (\"uses VFP register arguments, output does not\")";
        for (size_t i = 0; i < v.floatAbi.size() && i < kMaxEvidence; ++i)
          f.evidence.push_back({path, "", v.floatAbi[i]});
        if (v.floatAbi.size() > kMaxEvidence)
          f.evidence.push_back(
              {path, "", "and " + std::to_string(v.floatAbi.size() - kMaxEvidence) + " more"});
        f.fix = std::string("rebuild it with -mfloat-abi=") +
                (layout.armFloatAbi == ArmFloatAbi::Hard ? "hard" : "soft") + " for " +
                layout.target + ", or remove it from the sysroot";
        floats.add(std::move(f));
      }
    }
  }
}

Report runDoctorChecks(const DoctorLayout &layout, DoctorStats &stats) {
  Report report(layout.target);
  checkSymlinks(layout, report, stats);
  checkLinkerScripts(layout, report, stats);
  checkCrtObjects(layout, report);
  checkDevSymlinks(layout, report);
  checkArchitectures(layout, report, stats);
  return report;
}

// ---------------------------------------------------------------- host paths

namespace {

const char *const kPathVariables[] = {"LIBRARY_PATH", "CPATH", "C_INCLUDE_PATH",
                                      "CPLUS_INCLUDE_PATH"};

std::string normalizeDir(llvm::StringRef dir) {
  llvm::SmallString<256> p(dir);
  llvm::sys::path::remove_dots(p, /*remove_dot_dot=*/true);
  std::string out(p);
  while (out.size() > 1 && out.back() == '/')
    out.pop_back();
  return out;
}

bool belongsToTarget(const std::string &dir, const HostPathContext &c) {
  if (c.sysroot != "/" && !c.sysroot.empty() && under(dir, normalizeDir(c.sysroot)))
    return true;
  return llvm::any_of(c.targetDirs,
                      [&](const std::string &d) { return under(dir, normalizeDir(d)); });
}

bool isHostSystemDir(const std::string &dir, const HostPathContext &c) {
  const std::string ma = c.hostMultiarch;
  for (const std::string &exact :
       {std::string("/usr/lib"), std::string("/lib"), std::string("/usr/local/lib"),
        std::string("/usr/lib64"), std::string("/lib64"), "/lib/" + ma})
    if (dir == exact)
      return true;
  // Their subdirectories too: host pkg-config hands out -I/usr/include/glib-2.0
  // and -I/usr/lib/<multiarch>/glib-2.0/include.
  for (const std::string &tree : {std::string("/usr/include"), std::string("/usr/local/include"),
                                  "/usr/lib/" + ma, "/usr/local/lib/" + ma})
    if (under(dir, tree))
      return true;
  return false;
}

} // namespace

std::vector<std::pair<std::string, std::string>> hostPathVariables(const Env &env) {
  std::vector<std::pair<std::string, std::string>> vars;
  for (const char *name : kPathVariables)
    if (auto v = env.get(name))
      vars.emplace_back(name, std::string(*v));
  return vars;
}

void checkHostPaths(llvm::ArrayRef<std::pair<std::string, std::string>> env,
                    llvm::ArrayRef<std::string> args, const HostPathContext &context,
                    Report &report) {
  // The build machine's system dirs (its libc, its headers) break a cross
  // build that reads them: a warning. Other dirs (a CUDA stubs dir, an /opt
  // prefix) only matter to a link that asks for a library in them, and
  // crosshim keeps the variables from its own clang runs: a note.
  Finding system, other;
  std::vector<std::string> systemNames, otherNames;
  for (const auto &var : env) {
    llvm::SmallVector<llvm::StringRef, 8> parts;
    llvm::StringRef(var.second).split(parts, ':', -1, /*KeepEmpty=*/false);
    bool inSystem = false, inOther = false;
    for (llvm::StringRef part : parts) {
      if (!part.startswith("/"))
        continue; // relative: the build's own directory
      const std::string dir = normalizeDir(part);
      if (belongsToTarget(dir, context))
        continue;
      const bool isSystem = isHostSystemDir(dir, context);
      (isSystem ? inSystem : inOther) = true;
      (isSystem ? system : other)
          .evidence.push_back(
              {dir, "",
               "in " + var.first +
                   (var.first == "LIBRARY_PATH"
                        ? ": clang adds it as -L when the target has the build machine's "
                          "architecture, and GNU tools read it for every target"
                        : ": clang adds it to the header search path for every target")});
    }
    if (inSystem)
      systemNames.push_back(var.first);
    if (inOther)
      otherNames.push_back(var.first);
  }
  auto addEnvFinding = [&](Finding &f, const std::vector<std::string> &names, Severity severity,
                           const std::string &what) {
    if (names.empty())
      return;
    f.kind = "host-path-leak";
    f.severity = severity;
    f.message = llvm::join(names, ", ") + " name(s) " + what + " outside the " + context.sysroot +
                " sysroot";
    f.fix = "unset " + llvm::join(names, " ") +
            " for cross builds (crosshim keeps them from its own clang runs; compilers and "
            "build steps run without crosshim still read them), or name the sysroot's "
            "directories instead";
    report.add(std::move(f));
  };
  addEnvFinding(system, systemNames, Severity::Warning, "the build machine's system directories");
  addEnvFinding(other, otherNames, Severity::Note, "build-machine directories");

  Finding fromArgs;
  auto look = [&](llvm::StringRef option, llvm::StringRef value, llvm::StringRef shown) {
    if (!value.startswith("/"))
      return;
    const std::string dir = normalizeDir(value);
    if (belongsToTarget(dir, context) || !isHostSystemDir(dir, context))
      return;
    fromArgs.evidence.push_back(
        {dir, "", shown.str() + " on the command line (" + option.str() + ")"});
  };
  static const llvm::StringRef kOptions[] = {"-L", "-I", "-isystem", "-idirafter"};
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a.startswith("-Wl,")) {
      llvm::SmallVector<llvm::StringRef, 8> parts;
      a.drop_front(4).split(parts, ',');
      for (size_t j = 0; j < parts.size(); ++j) {
        if (parts[j] == "-L" && j + 1 < parts.size())
          look("-L", parts[j + 1], a), ++j;
        else if (parts[j].startswith("-L"))
          look("-L", parts[j].drop_front(2), a);
      }
      continue;
    }
    for (llvm::StringRef opt : kOptions) {
      if (a == opt && i + 1 < args.size()) {
        look(opt, args[i + 1], (a + " " + args[i + 1]).str());
        ++i;
        break;
      }
      if (a.startswith(opt) && a.size() > opt.size()) {
        look(opt, a.drop_front(opt.size()), a);
        break;
      }
    }
  }
  if (!fromArgs.evidence.empty()) {
    fromArgs.kind = "host-path-leak";
    fromArgs.severity = Severity::Warning;
    fromArgs.message = "the command line names the build machine's system directories; the " +
                       context.sysroot + " sysroot has the target's headers and libraries";
    fromArgs.fix = "drop them (a host pkg-config or a hard-coded -L/-I adds them; for pkg-config "
                   "set PKG_CONFIG_SYSROOT_DIR and PKG_CONFIG_LIBDIR for the target) and use the "
                   "sysroot's directories";
    report.add(std::move(fromArgs));
  }
}

} // namespace crosshim::diag
