#include "diagnostics/resolve.h"

#include "support/fs.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <climits>
#include <unistd.h>

namespace crosshim::diag {
namespace {

bool exists(const std::string &path) {
  return llvm::sys::fs::exists(path);
} // follows links

} // namespace

std::vector<std::string> linkerView(llvm::ArrayRef<std::string> args) {
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a.consume_front("-Wl,")) {
      llvm::SmallVector<llvm::StringRef, 4> parts;
      a.split(parts, ',');
      for (llvm::StringRef p : parts)
        out.push_back(p.str());
    } else if (a == "-Xlinker" && i + 1 < args.size()) {
      out.push_back(args[++i]);
    } else if ((a == "-L" || a == "-l") && i + 1 < args.size()) {
      out.push_back(a.str() + args[++i]);
    } else {
      out.push_back(a.str());
    }
  }
  return out;
}

std::vector<std::string> libraryDirsOf(llvm::ArrayRef<std::string> args, llvm::StringRef sysroot) {
  const std::vector<std::string> view = linkerView(args);
  auto rooted = [&](llvm::StringRef dir) {
    if (dir.consume_front("="))
      return (sysroot + dir).str();
    if (dir.consume_front("$SYSROOT"))
      return (sysroot + dir).str();
    return dir.str();
  };

  // -L applies to every -l on the line, wherever it stands.
  std::vector<std::string> dirs;
  for (size_t i = 0; i < view.size(); ++i) {
    llvm::StringRef a = view[i];
    if ((a == "-L" || a == "--library-path") && i + 1 < view.size())
      dirs.push_back(rooted(view[++i]));
    else if (a.consume_front("--library-path="))
      dirs.push_back(rooted(a));
    else if (a.startswith("-L") && a.size() > 2)
      dirs.push_back(rooted(a.substr(2)));
  }
  return dirs;
}

std::vector<LibraryResolution> resolveLibraries(llvm::ArrayRef<std::string> args,
                                                llvm::ArrayRef<std::string> implicitDirs,
                                                llvm::StringRef sysroot) {
  std::vector<std::string> view = linkerView(args);
  std::vector<std::string> dirs = libraryDirsOf(args, sysroot);
  dirs.insert(dirs.end(), implicitDirs.begin(), implicitDirs.end());

  std::vector<LibraryResolution> out;
  bool isStatic = false;
  for (size_t i = 0; i < view.size(); ++i) {
    llvm::StringRef a = view[i];
    if (a == "-static" || a == "-Bstatic" || a == "-dn" || a == "-non_shared" || a == "-static-pie")
      isStatic = true;
    else if (a == "-Bdynamic" || a == "-dy" || a == "-call_shared")
      isStatic = false;
    if (!a.startswith("-l") || a.size() < 3)
      continue;
    LibraryResolution r;
    r.name = a.substr(2).str();
    llvm::StringRef name = r.name;
    for (const std::string &dir : dirs) {
      if (name.startswith(":")) {
        std::string candidate = dir + "/" + name.substr(1).str();
        if (exists(candidate)) {
          r.path = candidate;
          break;
        }
        continue;
      }
      std::string so = dir + "/lib" + r.name + ".so", archive = dir + "/lib" + r.name + ".a";
      if (!isStatic) {
        if (exists(so)) {
          r.path = so;
          break;
        }
        if (isSymlink(so))
          r.skippedDanglingSo = so;
      }
      if (exists(archive)) {
        r.path = archive;
        break;
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

void checkLibraryResolution(llvm::ArrayRef<LibraryResolution> resolutions, Report &report) {
  for (const LibraryResolution &r : resolutions) {
    if (r.skippedDanglingSo.empty() || r.path.empty() || !llvm::StringRef(r.path).endswith(".a"))
      continue;
    std::string target = readSymlink(r.skippedDanglingSo).value_or("");
    report.add({"static-fallback",
                Severity::Warning,
                "-l" + r.name + " takes the static " + llvm::sys::path::filename(r.path).str() +
                    " because lib" + r.name + ".so is a dangling link",
                {{r.skippedDanglingSo, "", "links to " + target + ", which does not exist"},
                 {r.path, "", "taken instead"}},
                llvm::StringRef(target).startswith("/")
                    ? "make the sysroot's absolute links relative: crosshim sysroot fix <sysroot>"
                    : "restore what lib" + r.name + ".so points to, or link -l:lib" + r.name +
                          ".so.<N> explicitly"});
  }
}

} // namespace crosshim::diag

namespace crosshim::diag {

void checkLibcLinkMode(llvm::ArrayRef<std::string> args,
                       llvm::ArrayRef<LibraryResolution> resolutions,
                       llvm::ArrayRef<std::string> implicitDirs, llvm::StringRef sysroot,
                       Report &report) {
  // The driver's -static/-static-pie make the whole link static, wherever
  // they stand (rustc puts -static-pie last, after -Wl,-Bdynamic).
  const bool fullyStatic = llvm::any_of(args, [](llvm::StringRef a) {
    return a == "-static" || a == "--static" || a == "-static-pie";
  });
  const bool explicitLibc =
      llvm::any_of(resolutions, [](const LibraryResolution &r) { return r.name == "c"; });
  const bool driverAddsLibc = llvm::none_of(args, [](llvm::StringRef a) {
    return a == "-nostdlib" || a == "-nodefaultlibs" || a == "-nolibc";
  });

  if (fullyStatic && (explicitLibc || driverAddsLibc)) {
    std::vector<std::string> dirs = libraryDirsOf(args, sysroot);
    dirs.insert(dirs.end(), implicitDirs.begin(), implicitDirs.end());
    std::string archive, shared;
    for (const std::string &dir : dirs) {
      if (archive.empty() && exists(dir + "/libc.a"))
        archive = dir + "/libc.a";
      if (shared.empty() && exists(dir + "/libc.so"))
        shared = dir + "/libc.so";
    }
    if (archive.empty() && !shared.empty()) {
      std::string searched;
      for (const std::string &d : dirs)
        searched += (searched.empty() ? "" : ", ") + d;
      report.add({"libc-link-mismatch",
                  Severity::Error,
                  "a static link, but -lc finds no libc.a, only the shared " + shared,
                  {{shared, "", "the only C library in the search directories"},
                   {"", "", "no libc.a in " + searched}},
                  "install the static C library into the sysroot (Debian: libc6-dev has libc.a; "
                  "musl: musl-dev), or link dynamically: drop -static/-static-pie (Rust: -C "
                  "target-feature=-crt-static on gnu targets)"});
    }
    return;
  }
  if (fullyStatic)
    return;

  // A dynamic link: static pieces of the C library next to libc.so.6 define
  // its internals twice (__lll_lock_wait_private) or run without its
  // initialisation. glibc 2.34+ and musl ship an empty libpthread.a (8
  // bytes, "!<arch>\n"): that one is harmless.
  for (const LibraryResolution &r : resolutions) {
    llvm::StringRef path = r.path;
    llvm::StringRef file = llvm::sys::path::filename(path);
    if (!file.endswith(".a") || (file != "libc.a" && file != "libpthread.a"))
      continue;
    uint64_t size = 0;
    if (llvm::sys::fs::file_size(path, size) || size <= 8)
      continue;
    report.add(
        {"libc-link-mismatch",
         Severity::Warning,
         "-l" + r.name + " takes the static " + file.str() +
             " in a dynamic link: static and dynamic C library pieces mixed",
         {{r.path, "", "a static part of the C library"},
          {"", "", "the program is linked dynamically (no -static), so libc.so is used too"}},
         "link the C library one way: let -l" + r.name +
             " take the shared library (drop the -Bstatic or -l: that picks " + file.str() +
             "), or link everything statically with -static"});
  }
}

} // namespace crosshim::diag
