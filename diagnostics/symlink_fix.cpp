#include "diagnostics/symlink_fix.h"

#include "diagnostics/elf.h"
#include "support/fs.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <map>
#include <set>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace crosshim::diag {
namespace {

using Components = std::vector<std::string>;

Components splitComponents(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef, 16> parts;
  text.split(parts, '/', -1, /*KeepEmpty=*/false);
  return Components(parts.begin(), parts.end());
}

std::string joinComponents(llvm::ArrayRef<std::string> comps) {
  std::string out;
  for (const std::string &c : comps) {
    if (!out.empty())
      out += '/';
    out += c;
  }
  return out;
}

Components parentOf(llvm::StringRef rel) {
  Components c = splitComponents(rel);
  if (!c.empty())
    c.pop_back();
  return c;
}

std::string errnoText(int err) {
  return std::strerror(err);
}

// Paths relative to the root, looked at with lstat/readlink only.
struct Tree {
  std::string root;

  std::string full(llvm::StringRef rel) const {
    return rel.empty() ? root : root + "/" + rel.str();
  }
  EntryType type(llvm::StringRef rel, int &err) const { return entryType(full(rel), &err); }
  std::optional<std::string> readlink(llvm::StringRef rel, int &err) const {
    return readSymlink(full(rel), &err);
  }
};

struct Resolution {
  enum Status { Ok, Missing, Unreadable, Loop, Escape } status = Ok;
  Components path;   // Ok: where it ends, physical, relative to the root
  std::string where; // see SymlinkProblem::where
  std::string why;
  std::string wanted; // Missing: the path that was looked for, relative to the root
};

// Resolves `text`, the target of the link `link` in the physical directory
// `linkDir`, inside the tree as if its root were `/`, the way the kernel
// would under chroot -- except that a relative target's `..` that climbs
// above the root is an escape (the build machine's kernel would follow it
// out of the sysroot). `path` is kept physical (every link met is replaced by
// its target), so `..` always means the real parent. With followFinal false
// the last component is not followed when it is a link: the result names the
// entry the text points at.
Resolution resolve(const Tree &tree, const Components &linkDir, llvm::StringRef link,
                   llvm::StringRef text, bool followFinal) {
  struct Origin {
    std::string link;
    bool absolute;
  };
  struct Step {
    std::string name;
    size_t origin; // the link whose target text the component comes from
  };
  std::vector<Origin> origins;
  std::deque<Step> pending;
  Components cur;
  auto splice = [&](llvm::StringRef linkRel, llvm::StringRef target) {
    const bool absolute = target.startswith("/");
    if (absolute)
      cur.clear(); // re-rooted: an absolute target starts at the sysroot's root
    origins.push_back({linkRel.str(), absolute});
    Components comps = splitComponents(target);
    for (auto it = comps.rbegin(); it != comps.rend(); ++it)
      pending.push_front({std::move(*it), origins.size() - 1});
  };

  Resolution r;
  cur = linkDir;
  splice(link, text);
  unsigned hops = 1; // the link itself
  while (!pending.empty()) {
    Step step = std::move(pending.front());
    pending.pop_front();
    if (step.name == ".")
      continue;
    if (step.name == "..") {
      if (!cur.empty()) {
        cur.pop_back();
      } else if (!origins[step.origin].absolute) {
        r.status = Resolution::Escape;
        r.where = origins[step.origin].link;
        return r;
      } // else "/.." is "/", as in a chroot
      continue;
    }
    cur.push_back(std::move(step.name));
    const std::string rel = joinComponents(cur);
    // The path being looked for: here, then what is still to come.
    auto wanted = [&] {
      Components w = cur;
      for (const Step &s : pending)
        if (s.name == "..") {
          if (!w.empty())
            w.pop_back();
        } else if (s.name != ".") {
          w.push_back(s.name);
        }
      return joinComponents(w);
    };
    int err = 0;
    const EntryType type = tree.type(rel, err);
    if (type == EntryType::None) {
      r.status = err == ENOENT || err == ENOTDIR ? Resolution::Missing : Resolution::Unreadable;
      r.where = rel;
      r.why = err == ENOENT    ? "does not exist"
              : err == ENOTDIR ? "is not a directory"
                               : errnoText(err);
      r.wanted = wanted();
      return r;
    }
    const bool last = pending.empty();
    if (type == EntryType::Symlink) {
      if (last && !followFinal)
        break;
      if (++hops > kMaxSymlinkHops) {
        r.status = Resolution::Loop;
        r.where = rel;
        r.why = "more than " + std::to_string(kMaxSymlinkHops) + " links followed";
        return r;
      }
      std::optional<std::string> next = tree.readlink(rel, err);
      if (!next) {
        r.status = Resolution::Unreadable;
        r.where = rel;
        r.why = errnoText(err);
        return r;
      }
      cur.pop_back(); // a relative target starts in the link's directory
      splice(rel, *next);
      continue;
    }
    if (!last && type != EntryType::Directory) {
      r.status = Resolution::Missing;
      r.where = rel;
      r.why = "is not a directory";
      r.wanted = wanted();
      return r;
    }
  }
  r.path = std::move(cur);
  return r;
}

// Every symlink under the root, sorted; directories are not followed when
// they are links.
llvm::Error findLinks(const Tree &tree, std::vector<std::string> &links) {
  std::vector<std::string> stack{""};
  while (!stack.empty()) {
    const std::string dir = std::move(stack.back());
    stack.pop_back();
    const std::string path = tree.full(dir);
    DIR *d = ::opendir(path.c_str());
    if (!d)
      return llvm::createStringError(std::error_code(errno, std::generic_category()),
                                     "cannot read the directory %s: %s", path.c_str(),
                                     errnoText(errno).c_str());
    errno = 0;
    while (const struct dirent *e = ::readdir(d)) {
      const llvm::StringRef name = e->d_name;
      if (name == "." || name == "..")
        continue;
      std::string rel = dir.empty() ? name.str() : dir + "/" + name.str();
      unsigned char type = e->d_type;
      if (type == DT_UNKNOWN) {
        int err = 0;
        const EntryType t = tree.type(rel, err);
        if (t != EntryType::None)
          type = t == EntryType::Symlink ? DT_LNK : t == EntryType::Directory ? DT_DIR : DT_REG;
      }
      if (type == DT_LNK)
        links.push_back(std::move(rel));
      else if (type == DT_DIR)
        stack.push_back(std::move(rel));
      errno = 0;
    }
    const int err = errno;
    ::closedir(d);
    if (err)
      return llvm::createStringError(std::error_code(err, std::generic_category()),
                                     "cannot read the directory %s: %s", path.c_str(),
                                     errnoText(err).c_str());
  }
  llvm::sort(links);
  return llvm::Error::success();
}

bool existsOnHost(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

} // namespace

std::string relativeLinkText(llvm::ArrayRef<std::string> fromDir, llvm::ArrayRef<std::string> to) {
  size_t common = 0;
  while (common < fromDir.size() && common < to.size() && fromDir[common] == to[common])
    ++common;
  std::string out;
  for (size_t i = common; i < fromDir.size(); ++i)
    out += out.empty() ? ".." : "/..";
  for (size_t i = common; i < to.size(); ++i) {
    if (!out.empty())
      out += '/';
    out += to[i];
  }
  return out.empty() ? "." : out;
}

// The root made absolute and without `.` components, but lexically only:
// links in the root's own path are left as they are. It must be a directory
// and not the build machine's `/`.
static llvm::Expected<std::string> sysrootRoot(llvm::StringRef rootArg) {
  llvm::SmallString<256> root(rootArg);
  if (std::error_code ec = llvm::sys::fs::make_absolute(root))
    return llvm::createStringError(ec, "cannot make %s absolute: %s", rootArg.str().c_str(),
                                   ec.message().c_str());
  llvm::sys::path::remove_dots(root, /*remove_dot_dot=*/false);
  while (root.size() > 1 && root.back() == '/')
    root.pop_back();

  struct stat st, slash;
  if (::stat(root.c_str(), &st) != 0)
    return llvm::createStringError(std::error_code(errno, std::generic_category()), "%s: %s",
                                   root.c_str(), errnoText(errno).c_str());
  if (!S_ISDIR(st.st_mode))
    return llvm::createStringError(std::make_error_code(std::errc::not_a_directory),
                                   "%s is not a directory", root.c_str());
  // Re-rooting at / would rewrite the build machine's own links.
  if (::stat("/", &slash) == 0 && st.st_dev == slash.st_dev && st.st_ino == slash.st_ino)
    return llvm::createStringError(std::make_error_code(std::errc::invalid_argument),
                                   "%s is the build machine's root directory, not a sysroot",
                                   root.c_str());

  return root.str().str();
}

llvm::Expected<SymlinkFixPlan> planSymlinkFixes(llvm::StringRef rootArg) {
  auto root = sysrootRoot(rootArg);
  if (!root)
    return root.takeError();
  SymlinkFixPlan plan;
  plan.root = std::move(*root);
  Tree tree{plan.root};
  std::vector<std::string> links;
  if (auto err = findLinks(tree, links))
    return err;
  plan.linksChecked = links.size();

  for (const std::string &link : links) {
    int err = 0;
    std::optional<std::string> read = tree.readlink(link, err);
    if (!read)
      return llvm::createStringError(std::error_code(err, std::generic_category()),
                                     "cannot read the link %s: %s", tree.full(link).c_str(),
                                     errnoText(err).c_str());
    const std::string &text = *read;
    const Components dir = parentOf(link);
    const bool absolute = llvm::StringRef(text).startswith("/");
    Resolution full = resolve(tree, dir, link, text, /*followFinal=*/true);

    if (absolute && full.status == Resolution::Ok) {
      // Point at the entry the text names (a link stays in the chain, as
      // `symlinks -c` keeps it), reached through physical directories only:
      // the new text has no link before a `..` and cannot leave the root.
      Resolution named = resolve(tree, dir, link, text, /*followFinal=*/false);
      if (named.status != Resolution::Ok)
        named = full; // the tree changed between the two looks
      plan.rewrites.push_back(
          {link, text, relativeLinkText(dir, named.path), joinComponents(full.path)});
      continue;
    }

    SymlinkProblem p;
    p.link = link;
    p.target = text;
    p.where = full.where;
    p.why = full.why;
    p.wanted = full.wanted;
    switch (full.status) {
    case Resolution::Ok:
      continue; // a relative link that resolves inside the root
    case Resolution::Missing:
    case Resolution::Unreadable:
      if (!absolute)
        continue; // relative, inside the root, target missing: nothing to rewrite
      p.kind = SymlinkProblemKind::Dangling;
      p.end = full.status == Resolution::Missing ? SymlinkEnd::Missing : SymlinkEnd::Unreadable;
      p.onHost = existsOnHost(text);
      break;
    case Resolution::Loop:
      p.kind = SymlinkProblemKind::Loop;
      p.end = SymlinkEnd::Loop;
      break;
    case Resolution::Escape:
      // An absolute link whose chain goes through a relative link that climbs
      // out does not resolve inside the root: dangling. The link that climbs
      // out gets its own finding.
      p.kind = absolute ? SymlinkProblemKind::Dangling : SymlinkProblemKind::Escape;
      p.end = SymlinkEnd::Escape;
      p.onHost = existsOnHost(absolute ? text : tree.full(link));
      break;
    }
    plan.problems.push_back(std::move(p));
  }
  return plan;
}

Report symlinkFixReport(const SymlinkFixPlan &plan, const SymlinkFixResult *result) {
  Report report;
  const std::string &shownRoot = plan.root;
  auto full = [&](llvm::StringRef rel) { return plan.root + "/" + rel.str(); };

  std::vector<const SymlinkFixFailure *> failed(plan.rewrites.size(), nullptr);
  if (result)
    for (const SymlinkFixFailure &f : result->failures)
      if (f.rewrite < failed.size())
        failed[f.rewrite] = &f;

  for (size_t i = 0; i < plan.rewrites.size(); ++i) {
    const SymlinkRewrite &rw = plan.rewrites[i];
    Finding f;
    f.kind = "absolute-symlink";
    if (failed[i]) {
      f.severity = Severity::Error;
      f.message = "cannot rewrite the absolute symlink " + rw.link + ": " + failed[i]->message;
      f.evidence.push_back(
          {full(rw.link), "", "is -> " + rw.oldTarget + ", should be -> " + rw.newTarget});
      f.fix = "check " + full(rw.link) + " and run `crosshim sysroot fix " + shownRoot + "` again";
    } else if (result) {
      f.severity = Severity::Note;
      f.message =
          "rewrote the absolute symlink " + rw.link + " as a relative one inside " + shownRoot;
      f.evidence.push_back(
          {full(rw.link), "", "was -> " + rw.oldTarget + ", now -> " + rw.newTarget});
    } else {
      f.severity = Severity::Note;
      f.message = "would rewrite the absolute symlink " + rw.link + " as a relative one inside " +
                  shownRoot;
      f.evidence.push_back(
          {full(rw.link), "", "is -> " + rw.oldTarget + ", would be -> " + rw.newTarget});
      f.fix = "crosshim sysroot fix " + shownRoot;
    }
    report.add(std::move(f));
  }

  const std::string hops = std::to_string(kMaxSymlinkHops);
  for (const SymlinkProblem &p : plan.problems) {
    Finding f;
    f.severity = Severity::Warning;
    const std::string link = full(p.link);
    switch (p.kind) {
    case SymlinkProblemKind::Dangling:
      f.kind = "dangling-symlink";
      f.message = "the absolute symlink " + p.link + " -> " + p.target +
                  " does not resolve inside " + shownRoot + "; left as it is";
      if (p.end == SymlinkEnd::Escape) {
        f.evidence.push_back({link, "",
                              "its target goes through " + full(p.where) +
                                  ", whose relative target climbs out of " + shownRoot +
                                  " with `..`"});
        f.fix = "fix " + full(p.where) +
                " first (see its finding), then run `crosshim sysroot fix " + shownRoot + "` again";
      } else if (p.end == SymlinkEnd::Missing) {
        f.evidence.push_back({link, "", full(p.where) + " " + p.why});
        f.fix = "install the package that provides /" + p.wanted + " into " + shownRoot +
                " (Debian: apt-file search /" + p.wanted + ") and run `crosshim sysroot fix " +
                shownRoot + "` again, or remove the link";
      } else {
        f.evidence.push_back({link, "", full(p.where) + ": " + p.why});
        f.fix = "make " + full(p.where) + " readable and run `crosshim sysroot fix " + shownRoot +
                "` again";
      }
      if (p.onHost)
        f.evidence.push_back({p.target, "",
                              "exists on this machine: the linker follows the link to the build "
                              "machine's file instead of the sysroot's (absolute-symlink)"});
      break;
    case SymlinkProblemKind::Loop:
      f.kind = "dangling-symlink";
      f.message = "the symlink " + p.link + " -> " + p.target +
                  " never resolves: its links form a loop; left as it is";
      f.evidence.push_back({link, "",
                            "more than " + hops +
                                " links followed without reaching a file (a loop "
                                "through " +
                                full(p.where) + ")"});
      f.fix = "point " + link + " at a real file inside " + shownRoot + ", or remove it";
      break;
    case SymlinkProblemKind::Escape:
      // Kind `absolute-symlink`, not `dangling-symlink`: link-failures.md
      // defines absolute-symlink as a target that resolves outside the
      // sysroot, which a `..` escape is by construction, wherever the
      // sysroot is moved; the danger is the same (the linker reads a build
      // machine file, or nothing), whereas dangling-symlink is a target that
      // belongs inside the sysroot but is missing there. Installing a package
      // never fixes an escape; pointing it inside the sysroot does. The kind
      // does not depend on what the build machine has, so it is the same on
      // every machine; whether the build machine has the file is evidence.
      f.kind = "absolute-symlink";
      f.message = "the symlink " + p.link + " -> " + p.target + " leaves " + shownRoot +
                  " through `..`; left as it is";
      if (p.where == p.link)
        f.evidence.push_back({link, "", "its `..` climbs above " + shownRoot});
      else
        f.evidence.push_back({link, "",
                              "its target goes through " + full(p.where) +
                                  ", whose `..` climbs above " + shownRoot});
      if (p.onHost)
        f.evidence.push_back({link, "",
                              "resolves to a file of the build machine outside the sysroot: the "
                              "linker would use it"});
      f.fix = "point " + full(p.where) + " at its file inside " + shownRoot +
              " with a relative target that stays inside, or remove it";
      break;
    }
    report.add(std::move(f));
  }
  return report;
}

// ---------------------------------------------------------------- dev links

namespace {

// glibc's libraries: their lib<name>.so comes from libc6-dev as a linker
// script (libc.so, libm.so) or is absent on purpose (libpthread, libdl,
// librt, libutil are part of libc.so.6 since glibc 2.34), never a link.
// libgcc_s is GCC's, but the same story: its libgcc_s.so is the linker
// script GROUP(libgcc_s.so.1 -lgcc) in GCC's runtime directory.
bool isGlibcLibrary(llvm::StringRef name) {
  static const char *const glibc[] = {"c",        "m",         "pthread",   "dl",
                                      "rt",       "util",      "anl",       "resolv",
                                      "nsl",      "mvec",      "thread_db", "BrokenLocale",
                                      "memusage", "pcprofile", "SegFault",  "c_malloc_debug",
                                      "gcc_s"};
  return name.startswith("nss_") || llvm::is_contained(glibc, name);
}

// Directories a linker searches for -l in a sysroot: lib, usr/lib and their
// 32/64-bit and multiarch (<arch>-linux-<abi>) siblings, when they are real
// directories reached through real directories (merged /usr's `lib -> usr/lib`
// is the same directory as usr/lib).
std::vector<std::string> libraryDirsOf(const Tree &tree) {
  auto isRealDir = [&](const std::string &rel) {
    for (size_t pos = 0; pos != std::string::npos;) {
      pos = rel.find('/', pos + 1);
      int err = 0;
      if (tree.type(rel.substr(0, pos), err) != EntryType::Directory)
        return false;
    }
    return true;
  };
  std::vector<std::string> dirs;
  for (const char *base :
       {"lib", "lib32", "lib64", "usr/lib", "usr/lib32", "usr/lib64", "usr/local/lib"}) {
    if (!isRealDir(base))
      continue;
    dirs.push_back(base);
    std::error_code ec;
    std::vector<std::string> multiarch;
    for (llvm::sys::fs::directory_iterator it(tree.full(base), ec, /*follow_symlinks=*/false), end;
         !ec && it != end; it.increment(ec)) {
      llvm::StringRef name = llvm::sys::path::filename(it->path());
      std::string rel = std::string(base) + "/" + name.str();
      if (name.contains("-linux-") && isRealDir(rel))
        multiarch.push_back(std::move(rel));
    }
    llvm::sort(multiarch);
    dirs.insert(dirs.end(), multiarch.begin(), multiarch.end());
  }
  return dirs;
}

// The lib<name>.so files of GCC's runtime directories
// (usr/lib/gcc/<triple>/<version>, usr/lib/gcc-cross/...): the driver puts
// them on the link line ahead of the C library's directories' fallback, and
// some are linker scripts a plain link would cut short (libgcc_s.so is
// GROUP(libgcc_s.so.1 -lgcc): a libgcc_s.so -> libgcc_s.so.1 in the
// multiarch directory loses libgcc.a's __aarch64_* atomics helpers).
std::set<std::string> gccRuntimeDevNames(const Tree &tree) {
  std::set<std::string> names;
  std::error_code ec;
  for (const char *base : {"usr/lib/gcc", "usr/lib/gcc-cross", "lib/gcc"}) {
    llvm::sys::fs::directory_iterator triples(tree.full(base), ec), end;
    for (; !ec && triples != end; triples.increment(ec)) {
      std::error_code ec2;
      for (llvm::sys::fs::directory_iterator versions(triples->path(), ec2);
           !ec2 && versions != end; versions.increment(ec2)) {
        std::error_code ec3;
        for (llvm::sys::fs::directory_iterator file(versions->path(), ec3); !ec3 && file != end;
             file.increment(ec3)) {
          llvm::StringRef name = llvm::sys::path::filename(file->path());
          if (name.startswith("lib") && name.endswith(".so"))
            names.insert(name.str());
        }
      }
    }
    ec.clear();
  }
  return names;
}

} // namespace

llvm::Expected<DevLinkPlan> planDevLinks(llvm::StringRef rootArg) {
  auto root = sysrootRoot(rootArg);
  if (!root)
    return root.takeError();
  DevLinkPlan plan;
  plan.root = std::move(*root);
  const Tree tree{plan.root};
  const std::set<std::string> fromGcc = gccRuntimeDevNames(tree);

  for (const std::string &dir : libraryDirsOf(tree)) {
    const Components dirComps = splitComponents(dir);
    std::vector<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(tree.full(dir), ec, /*follow_symlinks=*/false), end;
         !ec && it != end; it.increment(ec))
      names.push_back(llvm::sys::path::filename(it->path()).str());
    llvm::sort(names);
    auto has = [&](const std::string &name) {
      return std::binary_search(names.begin(), names.end(), name);
    };

    // The best candidate for each lib<name>.so: the highest SONAME.
    std::map<std::string, DevLink> best;
    for (const std::string &file : names) {
      llvm::StringRef ref(file);
      const size_t so = ref.find(".so.");
      if (!ref.startswith("lib") || so == llvm::StringRef::npos || so == 3)
        continue;
      const std::string devName = ref.substr(0, so + 3).str(); // lib<name>.so
      const llvm::StringRef name = ref.substr(3, so - 3);
      if (has(devName) || fromGcc.count(devName))
        continue;
      const std::string rel = dir + "/" + file;
      if (isGlibcLibrary(name)) {
        if ((name == "c" || name == "m") && ref == devName + ".6")
          plan.glibcWithoutDev.push_back(rel);
        continue;
      }
      // The file itself, every link followed inside the root.
      Components where = dirComps;
      where.push_back(file);
      int err = 0;
      const EntryType type = tree.type(rel, err);
      if (type == EntryType::None)
        continue;
      if (type == EntryType::Symlink) {
        std::optional<std::string> text = tree.readlink(rel, err);
        if (!text)
          continue;
        Resolution r = resolve(tree, dirComps, rel, *text, /*followFinal=*/true);
        if (r.status != Resolution::Ok)
          continue;
        where = std::move(r.path);
      }
      const std::string library = joinComponents(where);
      auto elf = readElfFile(tree.full(library));
      if (!elf) {
        llvm::consumeError(elf.takeError());
        continue;
      }
      const llvm::StringRef soname = elf->soname;
      if (elf->type != llvm::ELF::ET_DYN || !soname.startswith(devName + ".") ||
          soname.contains('/'))
        continue;
      DevLink link{dir + "/" + devName, has(soname.str()) ? soname.str() : file, library};
      auto [it, fresh] = best.emplace(devName, link);
      if (!fresh && llvm::StringRef(link.target).compare_numeric(it->second.target) > 0)
        it->second = std::move(link);
    }
    for (auto &entry : best)
      plan.links.push_back(std::move(entry.second));
  }
  return plan;
}

void addDevLinkFindings(const DevLinkPlan &plan, const DevLinkResult *result, Report &report) {
  auto full = [&](llvm::StringRef rel) { return plan.root + "/" + rel.str(); };
  std::vector<const SymlinkFixFailure *> failed(plan.links.size(), nullptr);
  if (result)
    for (const SymlinkFixFailure &f : result->failures)
      if (f.rewrite < failed.size())
        failed[f.rewrite] = &f;
  for (size_t i = 0; i < plan.links.size(); ++i) {
    const DevLink &link = plan.links[i];
    const std::string devName = llvm::sys::path::filename(link.link).str();
    const std::string lname = devName.substr(3, devName.size() - 6);
    Finding f;
    f.kind = "missing-dev-symlink";
    if (failed[i]) {
      f.severity = Severity::Error;
      f.message = "cannot create " + link.link + ": " + failed[i]->message;
      f.fix = "check " + full(link.link) + " and run `crosshim sysroot fix --dev-links " +
              plan.root + "` again";
    } else {
      f.severity = Severity::Note;
      f.message = std::string(result ? "created " : "would create ") + link.link + " -> " +
                  link.target + " (for -l" + lname + ")";
      if (!result)
        f.fix = "crosshim sysroot fix --dev-links " + plan.root;
    }
    f.evidence.push_back({full(link.library), "", "DT_SONAME " + link.target});
    report.add(std::move(f));
  }
  for (const std::string &rel : plan.glibcWithoutDev) {
    const std::string file = llvm::sys::path::filename(rel).str();
    const std::string dev = file.substr(0, file.find(".so.") + 3);
    report.add({"missing-dev-symlink",
                Severity::Warning,
                file + " has no " + dev + " next to it, and a link cannot stand in for it",
                {{full(rel), "", "glibc's " + dev + " is a linker script from libc6-dev"}},
                "install libc6-dev for the architecture into " + plan.root +
                    " (Debian: libc6-dev:<arch>)"});
  }
}

} // namespace crosshim::diag
