#include "setup/sysroot_create.h"

#include "setup/sysroot_fix.h"
#include "shims/sysroot.h"
#include "support/env.h"
#include "support/errors.h"
#include "support/fs.h"
#include "support/process.h"
#include "support/safe_file.h"

#include "diagnostics/libc_info.h"
#include "diagnostics/symlink_fix.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Program.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits>
#include <set>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace crosshim {
namespace {

// Constant-initialised (StringLiteral): no static constructor runs at every
// start of the shim for it.
constexpr Distro kDistros[] = {
    {llvm::StringLiteral("debian:bookworm"), llvm::StringLiteral("bookworm"),
     llvm::StringLiteral("12"), llvm::StringLiteral("2.36")},
};

// Pulled in only through Pre-Depends and maintainer scripts (an empty dpkg
// status makes apt want them); a sysroot has no use for them.
constexpr llvm::StringLiteral kExcludedPackages[] = {
    "adduser",        "base-files",     "base-passwd", "bash",   "coreutils",
    "dash",           "debconf",        "debianutils", "dpkg",   "init-system-helpers",
    "install-info",   "login",          "lsb-base",    "passwd", "perl-base",
    "sensible-utils", "sysvinit-utils", "tar",         "ucf",
};

const char *const kMergedDirs[] = {"bin", "sbin", "lib", "lib32", "lib64", "libx32"};

llvm::Error sysError(const std::string &what, int err) {
  return makeError(ExitCode::Failure, what + ": " + std::strerror(err));
}

// ---------------------------------------------------------------- files

bool sameContent(const std::string &a, const std::string &b) {
  auto ba = llvm::MemoryBuffer::getFile(a, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  auto bb = llvm::MemoryBuffer::getFile(b, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  return ba && bb && (*ba)->getBuffer() == (*bb)->getBuffer();
}

// Removing a tree that dpkg-deb unpacked: some packages ship directories
// without write permission, so every directory is made writable first.
// Symlinks are removed, never followed (FTW_PHYS).
int makeWritable(const char *path, const struct stat *st, int type, FTW *) {
  if (type == FTW_D)
    ::chmod(path, (st->st_mode & 07777) | S_IRWXU);
  return 0;
}
int removeEntry(const char *path, const struct stat *, int type, FTW *) {
  if (type == FTW_DP)
    ::rmdir(path);
  else
    ::unlink(path);
  return 0;
}
void removeTree(const std::string &path) {
  if (path.empty() || !lexists(path))
    return;
  if (!isRealDirectory(path)) {
    ::unlink(path.c_str());
    return;
  }
  ::nftw(path.c_str(), makeWritable, 32, FTW_PHYS);
  ::nftw(path.c_str(), removeEntry, 32, FTW_PHYS | FTW_DEPTH);
}

// Every file a run writes (the stamp, apt's configuration, markers) goes
// through the one write helper (safe_file.h).
llvm::Error writeFile(const std::string &path, llvm::StringRef text) {
  return writeFileSafely(path, text);
}

std::string readFileOr(const std::string &path, std::string fallback = {}) {
  auto buf = llvm::MemoryBuffer::getFile(path);
  return buf ? (*buf)->getBuffer().str() : fallback;
}

// Lexical normalisation of a path relative to a root ("" is the root itself).
// `..` at the root stays there with `clamp` (absolute link targets read as in
// a chroot); otherwise it is an escape and gives nullopt.
std::optional<std::string> normalize(llvm::StringRef path, bool clamp) {
  llvm::SmallVector<llvm::StringRef, 16> parts, out;
  path.split(parts, '/');
  for (llvm::StringRef p : parts) {
    if (p.empty() || p == ".")
      continue;
    if (p == "..") {
      if (!out.empty())
        out.pop_back();
      else if (!clamp)
        return std::nullopt;
      continue;
    }
    out.push_back(p);
  }
  return llvm::join(out, "/");
}

// Where the link `rel` (relative to root) leads once /usr is merged; links
// that escape the root get a value no other link has.
std::string mergedDestination(const std::string &root, const std::string &rel) {
  auto target = readSymlink(root + "/" + rel);
  if (!target)
    return "?" + rel;
  std::optional<std::string> n;
  if (llvm::StringRef(*target).startswith("/"))
    n = normalize(*target, /*clamp=*/true);
  else
    n = normalize(llvm::sys::path::parent_path(rel).str() + "/" + *target, /*clamp=*/false);
  return n ? mergedUsrPath(*n) : "?" + rel;
}

llvm::Error mergeInto(const std::string &root, const std::string &src, const std::string &dst) {
  int err = 0;
  std::vector<std::string> names = listDirectory(root + "/" + src, &err);
  if (err)
    return sysError("merged /usr: cannot read " + root + "/" + src, err);
  for (const std::string &e : names) {
    const std::string s = src + "/" + e, d = dst + "/" + e;
    const std::string rs = root + "/" + s, rd = root + "/" + d;
    if (!lexists(rd)) {
      if (::rename(rs.c_str(), rd.c_str()) != 0)
        return sysError("merged /usr: cannot move " + rs + " to " + rd, errno);
    } else if (isRealDirectory(rs) && isRealDirectory(rd)) {
      if (auto error = mergeInto(root, s, d))
        return error;
      if (::rmdir(rs.c_str()) != 0)
        return sysError("merged /usr: cannot remove " + rs, errno);
    } else if ((isSymlink(rs) && isSymlink(rd) &&
                mergedDestination(root, s) == mergedDestination(root, d)) ||
               (isRealFile(rs) && isRealFile(rd) && sameContent(rs, rd)) ||
               (isSymlink(rs) && mergedDestination(root, s) == d)) {
      // The same entry twice, or lib/x -> /usr/lib/x: keep usr's.
      if (::unlink(rs.c_str()) != 0)
        return sysError("merged /usr: cannot remove " + rs, errno);
    } else if (isSymlink(rd) && mergedDestination(root, d) == d) {
      // usr/lib/x -> /lib/x would point at itself after the merge: the
      // real entry from lib/ replaces it.
      if (::unlink(rd.c_str()) != 0 || ::rename(rs.c_str(), rd.c_str()) != 0)
        return sysError("merged /usr: cannot replace " + rd + " by " + rs, errno);
    } else {
      return makeError(ExitCode::Failure, "merged /usr: /" + s + " and /" + d +
                                              " are different files (two packages ship them)");
    }
  }
  return llvm::Error::success();
}

// Relative links that will move and climb with `..` would lead elsewhere
// from their new place: make them absolute inside the root first.
llvm::Error absolutizeClimbingLinks(const std::string &root, const std::string &rel) {
  int err = 0;
  std::vector<std::string> names = listDirectory(root + "/" + rel, &err);
  if (err)
    return sysError("merged /usr: cannot read " + root + "/" + rel, err);
  for (const std::string &e : names) {
    const std::string r = rel + "/" + e, full = root + "/" + r;
    if (isRealDirectory(full)) {
      if (auto error = absolutizeClimbingLinks(root, r))
        return error;
      continue;
    }
    std::optional<std::string> target = isSymlink(full) ? readSymlink(full) : std::nullopt;
    if (!target || llvm::StringRef(*target).startswith("/") ||
        !llvm::is_contained(llvm::split(*target, '/'), ".."))
      continue;
    auto n = normalize(rel + "/" + *target, /*clamp=*/false);
    if (!n)
      continue; // escapes the root: the symlink fix reports it
    if (::unlink(full.c_str()) != 0 || ::symlink(("/" + *n).c_str(), full.c_str()) != 0)
      return sysError("merged /usr: cannot rewrite the link " + full, errno);
  }
  return llvm::Error::success();
}

// ---------------------------------------------------------------- children

// SIGINT, SIGTERM and SIGHUP end the run: they are caught for all of it
// (createSysroot's SignalForwarding), passed on to the running tool, and the
// run stops at the next step with interrupted().
const int kInterrupting[] = {SIGINT, SIGTERM, SIGHUP};
int gLastInterrupt = 0;

int caughtSignal() {
  return SignalForwarding::caught();
}

llvm::Error interrupted() {
  gLastInterrupt = caughtSignal();
  return makeError(ExitCode::Failure,
                   std::string("interrupted (") + ::strsignal(gLastInterrupt) + ")");
}

struct ChildRun {
  int exitCode = 0, signal = 0;
  std::string output; // stdout and stderr, interleaved
  bool ok() const { return exitCode == 0 && signal == 0; }
};

// Runs a tool with stdin from /dev/null and stdout+stderr into one pipe (apt
// prints its errors on both), in its own process group so that a forwarded
// signal reaches apt's download methods too.
llvm::Expected<ChildRun> runTool(const std::string &program, llvm::ArrayRef<std::string> argv,
                                 const std::string &cwd, llvm::ArrayRef<std::string> env,
                                 llvm::function_ref<void(llvm::StringRef)> onLine = {}) {
  if (caughtSignal())
    return interrupted();
  RunOptions options;
  options.capture = RunOptions::Capture::StdoutAndStderr;
  options.echo = false;
  options.keepLimit = std::numeric_limits<size_t>::max(); // apt's output is parsed whole
  options.onLine = onLine;
  options.stdinFromNull = true;
  options.cwd = cwd;
  options.ownProcessGroup = true;
  auto status = runProgram(program, argv, env, options);
  if (!status)
    return status.takeError();
  if (caughtSignal())
    return interrupted();
  ChildRun run;
  run.exitCode = status->exitCode;
  run.signal = status->signal;
  run.output = std::move(status->stderrCopy);
  return run;
}

// The last lines of a tool's output, indented, for an error message.
std::string tail(llvm::StringRef output, size_t lines = 12) {
  llvm::SmallVector<llvm::StringRef, 64> all;
  output.rtrim().split(all, '\n');
  std::string text;
  size_t first = all.size() > lines ? all.size() - lines : 0;
  if (first > 0)
    text += "\n  ...";
  for (size_t i = first; i < all.size(); ++i)
    text += "\n  " + all[i].rtrim().str();
  return text;
}

std::string statusText(const ChildRun &run) {
  return run.signal ? std::string("killed by ") + ::strsignal(run.signal)
                    : "exit status " + std::to_string(run.exitCode);
}

// One line per step on a terminal; counters update in place.
class Progress {
public:
  explicit Progress(bool on) : on_(on) {}
  ~Progress() { finish(); }
  void line(const std::string &text) {
    if (!on_)
      return;
    finish();
    llvm::errs() << "crosshim: " << text << "\n";
  }
  void update(const std::string &text) {
    if (!on_)
      return;
    llvm::errs() << "\r\x1b[Kcrosshim: " << text;
    llvm::errs().flush();
    open_ = true;
  }
  void finish() {
    if (open_)
      llvm::errs() << "\n";
    open_ = false;
  }

private:
  bool on_, open_ = false;
};

// An advisory lock held until the object goes away.
class FileLock {
public:
  static llvm::Expected<FileLock> take(const std::string &path, Progress &progress,
                                       const std::string &what) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      return sysError("cannot open the lock file " + path, errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      progress.line("waiting for another crosshim working on " + what);
      while (::flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR || caughtSignal()) {
          ::close(fd);
          return caughtSignal() ? interrupted() : sysError("cannot lock " + path, errno);
        }
      }
    }
    return FileLock(fd);
  }
  FileLock(FileLock &&other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ~FileLock() {
    if (fd_ >= 0)
      ::close(fd_);
  }

private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

// The temp dir next to DIR, removed unless the run got to the end (then it
// holds the old sysroot, if there was one).
struct TempTree {
  std::string path;
  ~TempTree() { removeTree(path); }
};

} // namespace

// ---------------------------------------------------------------- planning

llvm::ArrayRef<Distro> supportedDistros() {
  return kDistros;
}

llvm::Expected<const Distro &> lookupDistro(llvm::StringRef name) {
  for (const Distro &d : kDistros)
    if (name == d.name || name == d.codename)
      return d;
  std::string supported;
  for (const Distro &d : kDistros)
    supported += (supported.empty() ? "" : ", ") + d.name.str();
  return makeError(ExitCode::Usage,
                   "unsupported --distro '" + name.str() + "'; supported: " + supported);
}

llvm::Expected<std::string> debianArchFor(const Target &target) {
  // musl is no Debian architecture, but Debian builds its musl package for
  // each architecture: musl-dev:arm64 holds /usr/lib/aarch64-linux-musl.
  if (target.isMingw()) {
    // Debian ships mingw-w64 as packages of the build machine's architecture.
    const std::string pkg = target.pointerBits == 64 ? "x86-64" : "i686";
    return makeError(ExitCode::Failure,
                     target.rust.str() +
                         " needs no sysroot of its own: install Debian's mingw-w64 packages "
                         "(apt-get install mingw-w64-" +
                         pkg + "-dev g++-mingw-w64-" + pkg +
                         "-win32), which crosshim finds in /usr/" + target.gnu.str());
  }
  if (target.debianArch.empty())
    return makeError(ExitCode::Failure, "Debian has no architecture for " + target.rust.str());
  return target.debianArch.str();
}

std::vector<std::string> basePackages(const Distro &distro, const Target &target) {
  if (target.isMusl())
    // musl's start files, libc and loader, and GCC's libgcc.a and crtbegin*.o
    // (libc-independent) for the architectures clang has no compiler-rt for.
    return {"libgcc-" + distro.gcc.str() + "-dev", "musl", "musl-dev"};
  return {"libc6-dev", "libgcc-" + distro.gcc.str() + "-dev",
          "libstdc++-" + distro.gcc.str() + "-dev", "linux-libc-dev", "libcrypt-dev"};
}

std::vector<std::string> requestedPackages(const Distro &distro, const Target &target,
                                           llvm::ArrayRef<std::string> with) {
  std::vector<std::string> all = basePackages(distro, target);
  all.insert(all.end(), with.begin(), with.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

bool keepInClosure(const Target &target, llvm::ArrayRef<std::string> request,
                   llvm::StringRef name) {
  if (isExcludedPackage(name))
    return false;
  if (!target.isMusl())
    return true;
  // Debian's packages depend on glibc (musl-dev even on the native gcc):
  // a musl sysroot takes the requested packages only.
  return llvm::any_of(
      request, [&](const std::string &r) { return llvm::StringRef(r).split('=').first == name; });
}

llvm::Error checkPackageName(llvm::StringRef spec) {
  auto [name, version] = spec.split('=');
  auto bad = [&](const std::string &why) {
    return makeError(ExitCode::Usage, "--with '" + spec.str() + "': " + why);
  };
  if (name.empty())
    return bad("no package name");
  // Debian policy 5.6.1: lower-case letters, digits, + - . ; at least two
  // characters, starting with a letter or digit.
  if (name.size() < 2 || !llvm::isAlnum(name[0]) || llvm::any_of(name, [](char c) {
        return !(llvm::isDigit(c) || (c >= 'a' && c <= 'z') || c == '+' || c == '-' || c == '.');
      }))
    return bad(name.contains(':') ? "an architecture qualifier is not needed (the sysroot has "
                                    "one architecture)"
                                  : "not a Debian package name (lower-case letters, digits, "
                                    "'+', '-', '.')");
  if (spec.contains('=') &&
      (version.empty() || llvm::any_of(version, [](char c) { return llvm::isSpace(c); })))
    return bad("not a version after '='");
  return llvm::Error::success();
}

bool isExcludedPackage(llvm::StringRef name) {
  return llvm::is_contained(kExcludedPackages, name);
}

std::string sourcesListText(const Distro &distro, llvm::StringRef mirror, llvm::StringRef keyring) {
  std::string opts = keyring.empty() ? "" : "[signed-by=" + keyring.str() + "] ";
  std::string m = mirror.rtrim('/').str();
  return "deb " + opts + m + " " + distro.codename.str() + " main\n" + "deb " + opts + m + " " +
         distro.codename.str() + "-updates main\n";
}

std::string aptConfText(llvm::StringRef stateDir, llvm::StringRef arch) {
  const std::string d = stateDir.str();
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "// Written by crosshim sysroot create: a private apt state (the host's is not\n"
        "// touched); read after the host's configuration, so its proxies still apply.\n"
     << "APT::Architecture \"" << arch << "\";\n"
     << "#clear APT::Architectures;\n"
     << "APT::Architectures { \"" << arch << "\"; };\n"
     << "Dir::State \"" << d << "/state\";\n"
     << "Dir::State::Lists \"" << d << "/lists\";\n"
     << "Dir::State::status \"" << d << "/status\";\n"
     << "Dir::Cache \"" << d << "/cache\";\n"
     << "Dir::Cache::archives \"" << d << "/cache/archives\";\n"
     << "Dir::Cache::pkgcache \"pkgcache.bin\";\n"
     << "Dir::Cache::srcpkgcache \"\";\n"
     << "Dir::Etc::SourceList \"" << d << "/sources.list\";\n"
     << "Dir::Etc::SourceParts \"" << d << "/empty.d\";\n"
     << "Dir::Etc::Preferences \"" << d << "/preferences\";\n"
     << "Dir::Etc::PreferencesParts \"" << d << "/empty.d\";\n"
     << "Dir::Log \"" << d << "/tmp\";\n"
     << "APT::Sandbox::User \"root\";\n"
     << "Acquire::Languages \"none\";\n"
     << "Acquire::PDiffs \"false\";\n"
     << "#clear APT::Update::Pre-Invoke;\n"
     << "#clear APT::Update::Post-Invoke;\n"
     << "#clear APT::Update::Post-Invoke-Success;\n"
     << "#clear DPkg::Pre-Invoke;\n"
     << "#clear DPkg::Post-Invoke;\n"
     << "#clear DPkg::Pre-Install-Pkgs;\n";
  return os.str();
}

std::string aptStateDir(const Distro &distro, llvm::StringRef arch) {
  // `sysroot create` takes the process's environment itself (here and for
  // apt's): a command of its own, on no shim's path.
  const std::string cache = Env::process().userCacheDir();
  if (cache.empty())
    return {};
  return cache + "/apt/debian-" + distro.codename.str() + "-" + arch.str();
}

std::vector<ResolvedPackage> parseAptSimulation(llvm::StringRef output) {
  std::vector<ResolvedPackage> out;
  llvm::SmallVector<llvm::StringRef, 128> lines;
  output.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    // Inst libc6 (2.36-9+deb12u14 Debian:12.15/oldstable [arm64])
    if (!line.consume_front("Inst "))
      continue;
    auto [name, rest] = line.split(' ');
    rest = rest.trim();
    if (rest.startswith("[")) // "Inst pkg [old] (new ...)": an upgrade
      rest = rest.split(' ').second.trim();
    if (!rest.consume_front("("))
      continue;
    ResolvedPackage p;
    p.name = name.str();
    p.version = rest.split(' ').first.str();
    // Only inside the parentheses: apt may append " []" (dependencies not yet
    // configured in its simulated order).
    rest = rest.split(')').first;
    size_t open = rest.rfind('['), close = rest.rfind(']');
    if (open != llvm::StringRef::npos && close != llvm::StringRef::npos && open < close)
      p.arch = rest.slice(open + 1, close).str();
    if (!p.name.empty() && !p.version.empty())
      out.push_back(std::move(p));
  }
  return out;
}

std::vector<DebFile> parsePrintUris(llvm::StringRef output) {
  std::vector<DebFile> out;
  llvm::SmallVector<llvm::StringRef, 128> lines;
  output.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    line = line.trim();
    if (!line.consume_front("'"))
      continue;
    auto [url, rest] = line.split("' ");
    llvm::SmallVector<llvm::StringRef, 4> fields;
    rest.split(fields, ' ', -1, /*KeepEmpty=*/false);
    if (fields.size() < 2 || !fields[0].endswith(".deb"))
      continue;
    DebFile f;
    f.url = url.str();
    f.file = fields[0].str();
    if (fields[1].getAsInteger(10, f.size))
      continue;
    out.push_back(std::move(f));
  }
  return out;
}

bool aptUpdateFailed(llvm::StringRef output) {
  llvm::SmallVector<llvm::StringRef, 64> lines;
  output.split(lines, '\n');
  return llvm::any_of(lines, [](llvm::StringRef l) {
    return l.startswith("E:") || l.startswith("Err:") || l.startswith("W: Failed to fetch") ||
           l.contains("Some index files failed to download");
  });
}

std::string aptFailureSummary(llvm::StringRef output) {
  static const char *const network[] = {
      "Could not resolve",  "Temporary failure resolving", "Could not connect",
      "Connection refused", "Connection timed out",        "Network is unreachable",
      "No route to host",   "Connection failed",           "Unable to connect",
  };
  llvm::SmallVector<llvm::StringRef, 64> lines;
  output.split(lines, '\n');
  for (llvm::StringRef l : lines)
    for (const char *n : network)
      if (l.contains(n))
        return "cannot reach the package mirror (network failure?): " + l.trim().str();
  for (llvm::StringRef l : lines) {
    llvm::StringRef rest = l;
    if (rest.consume_front("E: Unable to locate package "))
      return "no package '" + rest.trim().str() + "' in the archive for this architecture";
    if (rest.consume_front("E: Package '"))
      return "package '" + rest.split('\'').first.str() + "' has no installable version";
  }
  for (llvm::StringRef l : lines)
    if (l.startswith("E:"))
      return l.drop_front(2).trim().str();
  return "apt-get failed";
}

std::string mergedUsrPath(llvm::StringRef relPath) {
  for (const char *d : kMergedDirs) {
    llvm::StringRef dir(d);
    if (relPath == dir ||
        (relPath.startswith(dir) && relPath.drop_front(dir.size()).startswith("/")))
      return "usr/" + relPath.str();
  }
  return relPath.str();
}

llvm::Error mergeUsr(llvm::StringRef rootRef) {
  const std::string root = rootRef.str();
  for (const char *d : kMergedDirs)
    if (isRealDirectory(root + "/" + d))
      if (auto err = absolutizeClimbingLinks(root, d))
        return err;
  for (const char *d : kMergedDirs) {
    const std::string top = root + "/" + d, usr = root + "/usr/" + d;
    const bool real = isRealDirectory(top);
    if (!real && (llvm::StringRef(d) != "lib" || lexists(top)))
      continue;
    if (auto ec = llvm::sys::fs::create_directories(usr))
      return makeError(ExitCode::Failure,
                       "merged /usr: cannot create " + usr + ": " + ec.message());
    if (real) {
      if (auto err = mergeInto(root, d, std::string("usr/") + d))
        return err;
      if (::rmdir(top.c_str()) != 0)
        return sysError("merged /usr: cannot remove " + top, errno);
    }
    if (::symlink((std::string("usr/") + d).c_str(), top.c_str()) != 0)
      return sysError("merged /usr: cannot create the link " + top, errno);
  }
  return llvm::Error::success();
}

int interruptedBy() {
  return gLastInterrupt;
}

// ---------------------------------------------------------------- the run

namespace {

// libgcc-<v>-dev's shared-library links (libgcc_s.so, libasan.so, ...) lead
// to glibc-linked libraries a musl sysroot does not have: -lgcc_s would
// fail on the script and the others dangle. libgcc.a, libgcc_eh.a and the
// crt*.o stay: they are all a musl link takes from there.
void pruneGccSharedLinks(const std::string &root) {
  const std::string gcc = root + "/usr/lib/gcc";
  for (const std::string &triple : listDirectory(gcc))
    for (const std::string &version : listDirectory(gcc + "/" + triple)) {
      const std::string dir = gcc + "/" + triple + "/" + version;
      for (const std::string &name : listDirectory(dir)) {
        const std::string path = dir + "/" + name;
        struct stat st;
        if (name == "libgcc_s.so" || (isSymlink(path) && ::stat(path.c_str(), &st) != 0))
          ::unlink(path.c_str());
      }
    }
}

struct AptTools {
  std::string aptGet, dpkgDeb;
  std::string conf, state;
  std::vector<std::string> env;

  std::vector<std::string> argv(std::initializer_list<std::string> args) const {
    std::vector<std::string> v = {"apt-get", "-c", conf};
    v.insert(v.end(), args);
    return v;
  }
};

llvm::Error aptError(const std::string &what, const ChildRun &run, const std::string &state) {
  return makeError(ExitCode::Failure, what + ": " + aptFailureSummary(run.output) + " (apt-get " +
                                          statusText(run) + "; apt state in " + state +
                                          "); apt said:" + tail(run.output));
}

bool hasLists(const std::string &state) {
  for (const std::string &n : listDirectory(state + "/lists"))
    if (llvm::StringRef(n).contains("_Packages"))
      return true;
  return false;
}

llvm::Error findAptTools(AptTools &apt) {
  for (auto [name, slot] : {std::pair<const char *, std::string *>{"apt-get", &apt.aptGet},
                            {"dpkg-deb", &apt.dpkgDeb}}) {
    auto found = llvm::sys::findProgramByName(name);
    if (!found)
      return makeError(ExitCode::Failure,
                       std::string(name) + " is not in PATH; sysroot create runs it (it comes " +
                           "with Debian's and Ubuntu's " +
                           (llvm::StringRef(name) == "apt-get" ? "apt" : "dpkg") + " package)");
    *slot = *found;
  }
  if (!llvm::sys::fs::exists(kDebianKeyring))
    return makeError(ExitCode::Failure,
                     "sysroot create checks the Debian archive's signatures with " +
                         kDebianKeyring.str() +
                         ", which is missing (apt-get install debian-archive-keyring)");
  return llvm::Error::success();
}

// Where a run writes: DIR, its parent, and the names of its temp dirs there.
struct Place {
  std::string dir, parent, base;
  explicit Place(const std::string &d)
      : dir(d), parent(llvm::sys::path::parent_path(d).str()),
        base(llvm::sys::path::filename(d).str()) {}
};

// What DIR holds and what the run is to do about it.
struct DirPlan {
  bool replacing = false;               // DIR holds an older sysroot of ours
  std::vector<std::string> with;        // the request's --with, and those of the sysroot replaced
  std::optional<CreateResult> upToDate; // DIR has all of it: nothing to do
};

CreateResult describeSysroot(const Target &target, const std::string &dir) {
  CreateResult r;
  r.dir = dir;
  r.layout = describeLayout(classifySysroot(target, dir));
  if (auto g = diag::findSysrootGlibc(
          {dir + "/usr/lib/" + target.multiarch.str(), dir + "/lib/" + target.multiarch.str()}))
    r.glibc = diag::glibcVersionText(g->version);
  return r;
}

// DIR: what is there, and may it be replaced? crosshim replaces only a
// sysroot it made (its stamp says so) for the same target.
llvm::Expected<DirPlan> planForDir(const CreateOptions &o, const std::string &dir) {
  const Target &target = *o.target;
  DirPlan plan;
  plan.with = o.with;
  if (const EntryType type = entryType(dir); type != EntryType::None) {
    if (type != EntryType::Directory)
      return makeError(ExitCode::Failure, dir + " exists and is not a directory; choose "
                                                "another --dir or remove it yourself");
    auto stamp = readStamp(dir);
    if (!stamp)
      return makeError(ExitCode::Failure, llvm::toString(stamp.takeError()) +
                                              "; crosshim will not replace " + dir +
                                              " (remove it yourself)");
    if (!*stamp && !listDirectory(dir).empty())
      return makeError(ExitCode::Failure,
                       dir + " exists and is not a sysroot made by crosshim (no " +
                           kStampName.str() +
                           " in it); crosshim never replaces a directory it did not make: "
                           "choose another --dir, or move it away yourself");
    if (*stamp) {
      const SysrootStamp &old = **stamp;
      if (old.target != target.rust)
        return makeError(ExitCode::Failure, dir + " holds crosshim's sysroot for " + old.target +
                                                ", not " + target.rust.str() +
                                                "; choose another --dir");
      for (const std::string &w : old.with)
        if (!llvm::is_contained(plan.with, w))
          plan.with.push_back(w);
      std::sort(plan.with.begin(), plan.with.end());
      std::vector<std::string> oldWith = old.with;
      std::sort(oldWith.begin(), oldWith.end());
      if (!o.refresh && old.distro == o.distro->name && plan.with == oldWith) {
        CreateResult r = describeSysroot(target, dir);
        r.upToDate = true;
        r.packages = old.packages.size();
        r.with = plan.with;
        plan.upToDate = std::move(r);
        return plan;
      }
      plan.replacing = true;
    }
  }
  std::sort(plan.with.begin(), plan.with.end());
  plan.with.erase(std::unique(plan.with.begin(), plan.with.end()), plan.with.end());
  return plan;
}

// A fresh temp dir next to DIR, marked as ours; the leftovers of runs that
// were killed outright (they carry the marker) are removed first.
llvm::Error makeTempTree(const Place &place, TempTree &tmp) {
  for (const std::string &n : listDirectory(place.parent)) {
    llvm::StringRef name(n);
    if ((name.startswith("." + place.base + ".tmp.") ||
         name.startswith("." + place.base + ".old.")) &&
        isRealFile(place.parent + "/" + n + "/" + kPartialMarker.str()))
      removeTree(place.parent + "/" + n);
  }
  std::string templ = place.parent + "/." + place.base + ".tmp.XXXXXX";
  if (!::mkdtemp(templ.data()))
    return sysError("cannot create a temporary directory next to " + place.dir, errno);
  tmp.path = templ;
  return writeFile(tmp.path + "/" + kPartialMarker.str(),
                   "being made by crosshim sysroot create for " + place.dir + "\n");
}

// The private apt state: its directories and configuration, under a lock
// held until the returned object goes away. `sourcesChanged`: the mirror or
// the distribution differs from the last run's (the lists are stale).
llvm::Expected<FileLock> prepareAptState(AptTools &apt, const CreateOptions &o,
                                         const std::string &arch, Progress &progress,
                                         bool &sourcesChanged) {
  apt.state = aptStateDir(*o.distro, arch);
  if (apt.state.empty())
    return makeError(ExitCode::Failure,
                     "neither XDG_CACHE_HOME nor HOME is set: no place for apt's cache");
  for (const char *sub :
       {"lists/partial", "cache/archives/partial", "state", "empty.d", "tmp", "debs", "incoming"})
    if (auto ec = llvm::sys::fs::create_directories(apt.state + "/" + sub))
      return makeError(ExitCode::Failure,
                       "cannot create " + apt.state + "/" + sub + ": " + ec.message());
  auto aptLock = FileLock::take(apt.state + "/crosshim.lock", progress, apt.state);
  if (!aptLock)
    return aptLock.takeError();
  apt.conf = apt.state + "/apt.conf";
  const std::string sources = sourcesListText(*o.distro, o.mirror, kDebianKeyring);
  sourcesChanged = readFileOr(apt.state + "/sources.list") != sources;
  if (sourcesChanged)
    if (auto err = writeFile(apt.state + "/sources.list", sources))
      return err;
  for (auto [file, text] :
       {std::pair<std::string, std::string>{"apt.conf", aptConfText(apt.state, arch)},
        {"status", ""},
        {"preferences", ""}})
    if (auto err = writeFile(apt.state + "/" + file, text))
      return err;
  apt.env = childEnvironment(Env::process(), {"LANG", "LANGUAGE"},
                             {"LC_ALL=C", "TMPDIR=" + apt.state + "/tmp"});
  return aptLock;
}

// What the packages step gives: the closure and its .debs, all in the cache.
struct Fetched {
  std::vector<ResolvedPackage> packages;
  std::vector<DebFile> debs;
  size_t downloaded = 0;
};

// A step that fresh package lists may put right (an index older than the
// archive) asks for them with Retry, unless it is the last try.
enum class Step { Done, Retry };

// The closure, against an empty dpkg status: everything the request needs.
llvm::Expected<Step> resolveClosure(const AptTools &apt, const Target &target,
                                    const std::vector<std::string> &request, bool lastTry,
                                    Progress &progress, Fetched &out) {
  std::vector<std::string> argv = apt.argv({"-s", "install", "--no-install-recommends"});
  argv.insert(argv.end(), request.begin(), request.end());
  auto sim = runTool(apt.aptGet, argv, "", apt.env);
  if (!sim)
    return sim.takeError();
  if (!sim->ok()) {
    if (!lastTry)
      return Step::Retry;
    return aptError("cannot resolve the packages " + llvm::join(request, " "), *sim, apt.state);
  }
  out.packages.clear();
  for (ResolvedPackage &p : parseAptSimulation(sim->output))
    if (keepInClosure(target, request, p.name))
      out.packages.push_back(std::move(p));
  if (out.packages.empty())
    return makeError(ExitCode::Failure, "apt-get resolved no packages for " +
                                            llvm::join(request, " ") +
                                            "; it said:" + tail(sim->output));
  progress.line("packages resolved: " + std::to_string(out.packages.size()));
  return Step::Done;
}

// The .deb of each package: its file name and size (apt-get --print-uris).
llvm::Expected<Step> locateDebs(const AptTools &apt, bool lastTry, Fetched &out) {
  std::vector<std::string> argv = apt.argv({"download", "--print-uris"});
  for (const ResolvedPackage &p : out.packages)
    argv.push_back(p.spec());
  auto uris = runTool(apt.aptGet, argv, "", apt.env);
  if (!uris)
    return uris.takeError();
  out.debs = uris->ok() ? parsePrintUris(uris->output) : std::vector<DebFile>{};
  if (uris->ok() && out.debs.size() == out.packages.size())
    return Step::Done;
  if (!lastTry)
    return Step::Retry;
  return aptError("cannot locate the .debs of " + std::to_string(out.packages.size()) + " packages",
                  *uris, apt.state);
}

// Downloads what the cache does not have, into incoming/ first: a file in
// debs/ is always complete. --print-uris lists the files in its own order:
// NAME_VERSION_ARCH.deb.
llvm::Expected<Step> downloadMissing(const AptTools &apt, bool lastTry, Progress &progress,
                                     Fetched &out) {
  std::vector<std::string> missing;
  for (const DebFile &d : out.debs) {
    uint64_t size = 0;
    if (!llvm::sys::fs::file_size(apt.state + "/debs/" + d.file, size) && size == d.size)
      continue;
    const std::string name = llvm::StringRef(d.file).split('_').first.str();
    auto p = llvm::find_if(out.packages, [&](const ResolvedPackage &r) { return r.name == name; });
    missing.push_back(p != out.packages.end() ? p->spec() : name);
  }
  const size_t total = out.debs.size(), cached = total - missing.size();
  out.downloaded = 0;
  if (missing.empty()) {
    progress.line("fetched " + std::to_string(total) + "/" + std::to_string(total) +
                  " (all in the cache)");
    return Step::Done;
  }
  removeTree(apt.state + "/incoming");
  llvm::sys::fs::create_directories(apt.state + "/incoming");
  progress.update("fetched " + std::to_string(cached) + "/" + std::to_string(total));
  std::vector<std::string> argv = apt.argv({"download"});
  argv.insert(argv.end(), missing.begin(), missing.end());
  size_t got = 0;
  auto dl = runTool(apt.aptGet, argv, apt.state + "/incoming", apt.env, [&](llvm::StringRef line) {
    if (line.startswith("Get:"))
      progress.update("fetched " + std::to_string(cached + ++got) + "/" + std::to_string(total));
  });
  progress.finish();
  if (!dl)
    return dl.takeError();
  if (!dl->ok()) {
    if (!lastTry)
      return Step::Retry;
    return aptError("cannot download " + std::to_string(missing.size()) + " package(s)", *dl,
                    apt.state);
  }
  for (const std::string &n : listDirectory(apt.state + "/incoming")) {
    if (::rename((apt.state + "/incoming/" + n).c_str(), (apt.state + "/debs/" + n).c_str()) != 0)
      return sysError("cannot move " + n + " into " + apt.state + "/debs", errno);
    ++out.downloaded;
  }
  return Step::Done;
}

// The closure of the request and its .debs, all in the cache when it
// returns. The package lists are updated when asked to (`needUpdate`) or
// when a step fails in a way fresh lists may put right; then once more.
llvm::Expected<Fetched> fetchPackages(const AptTools &apt, const CreateOptions &o,
                                      const std::string &arch,
                                      const std::vector<std::string> &request, bool needUpdate,
                                      Progress &progress) {
  Fetched out;
  bool updated = false;
  for (int attempt = 0;; ++attempt) {
    const bool lastTry = updated || attempt > 0;
    if (needUpdate && !updated) {
      progress.line("updating the package lists of " + o.distro->name.str() + " " + arch +
                    " from " + o.mirror);
      auto run = runTool(apt.aptGet, apt.argv({"-q", "update"}), "", apt.env);
      if (!run)
        return run.takeError();
      if (!run->ok() || aptUpdateFailed(run->output))
        return aptError("apt-get update failed", *run, apt.state);
      updated = true;
    }
    auto step = resolveClosure(apt, *o.target, request, lastTry, progress, out);
    if (step && *step == Step::Done)
      step = locateDebs(apt, lastTry, out);
    if (step && *step == Step::Done)
      step = downloadMissing(apt, lastTry, progress, out);
    if (!step)
      return step.takeError();
    if (*step == Step::Retry) {
      needUpdate = true;
      continue;
    }
    break;
  }
  for (const DebFile &d : out.debs) {
    uint64_t size = 0;
    if (llvm::sys::fs::file_size(apt.state + "/debs/" + d.file, size) || size != d.size)
      return makeError(ExitCode::Failure, "apt-get download did not produce " + d.file + " (" +
                                              std::to_string(d.size) + " bytes) in " + apt.state +
                                              "/debs");
  }
  return out;
}
llvm::Error unpackDebs(const AptTools &apt, const std::vector<DebFile> &debs,
                       const std::string &root, Progress &progress) {
  for (size_t i = 0; i < debs.size(); ++i) {
    progress.update("unpacked " + std::to_string(i) + "/" + std::to_string(debs.size()));
    const std::string deb = apt.state + "/debs/" + debs[i].file;
    auto run = runTool(apt.dpkgDeb, {"dpkg-deb", "-x", deb, root}, "", apt.env);
    if (!run)
      return run.takeError();
    if (!run->ok())
      return makeError(ExitCode::Failure, "dpkg-deb -x " + deb + " failed (" + statusText(*run) +
                                              "):" + tail(run->output));
  }
  progress.update("unpacked " + std::to_string(debs.size()) + "/" + std::to_string(debs.size()));
  progress.finish();
  return llvm::Error::success();
}

// The layout fixes of an unpacked tree: merged /usr, relative symlinks, the
// dev links runtime packages lack, and an empty ld.so.cache.
llvm::Error fixLayout(const Target &target, const std::string &root) {
  ::chmod(root.c_str(), 0755); // mkdtemp made it 0700; it stands for /
  if (auto err = mergeUsr(root))
    return err;
  auto plan = diag::planSymlinkFixes(root);
  if (!plan)
    return plan.takeError();
  auto fixed = applySymlinkFixes(*plan);
  if (!fixed)
    return fixed.takeError();
  if (!fixed->failures.empty())
    return makeError(ExitCode::Failure, "cannot rewrite " + plan->root + "/" +
                                            plan->rewrites[fixed->failures[0].rewrite].link + ": " +
                                            fixed->failures[0].message);
  if (target.isMusl())
    pruneGccSharedLinks(root);
  auto devPlan = diag::planDevLinks(root);
  if (!devPlan)
    return devPlan.takeError();
  auto devDone = applyDevLinks(*devPlan);
  if (!devDone)
    return devDone.takeError();
  // qemu-user's loader would otherwise read the build machine's cache and
  // load its libraries (qemu-i386 and /lib32).
  llvm::sys::fs::create_directories(root + "/etc");
  ::unlink((root + "/etc/ld.so.cache").c_str());
  return writeFile(root + "/etc/ld.so.cache", "");
}

// Puts the finished tree at DIR: one atomic exchange with what is there, or
// a rename. `tmp` then holds the old sysroot (removed with it, marked so that
// a run killed meanwhile has it removed next time) or nothing.
llvm::Error swapIn(const Place &place, TempTree &tmp) {
  const std::string &dir = place.dir;
  ::unlink((tmp.path + "/" + kPartialMarker.str()).c_str());
  if (!lexists(dir)) {
    if (::rename(tmp.path.c_str(), dir.c_str()) != 0)
      return sysError("cannot move the new sysroot to " + dir, errno);
    tmp.path.clear();
    return llvm::Error::success();
  }
  if (::renameat2(AT_FDCWD, tmp.path.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) != 0) {
    // No RENAME_EXCHANGE on this file system: two renames, the old one
    // first moved next to the new one.
    std::string old = place.parent + "/." + place.base + ".old.XXXXXX";
    if (!::mkdtemp(old.data()))
      return sysError("cannot create a temporary directory next to " + dir, errno);
    if (::rename(dir.c_str(), old.c_str()) != 0) {
      const int err = errno;
      ::rmdir(old.c_str());
      return sysError("cannot move " + dir + " away", err);
    }
    if (::rename(tmp.path.c_str(), dir.c_str()) != 0) {
      const int err = errno;
      ::rename(old.c_str(), dir.c_str());
      return sysError("cannot move the new sysroot to " + dir, err);
    }
    tmp.path = old;
  }
  llvm::consumeError(writeFile(tmp.path + "/" + kPartialMarker.str(), "old sysroot\n"));
  return llvm::Error::success();
}

} // namespace

// The steps, each a function above; SIGINT, SIGTERM and SIGHUP stop the run
// between them (and the running tool), before DIR is touched.
llvm::Expected<CreateResult> createSysroot(const CreateOptions &o) {
  const auto start = std::chrono::steady_clock::now();
  gLastInterrupt = 0;
  SignalForwarding signals(kInterrupting);
  Progress progress(o.progress);
  const Target &target = *o.target;

  auto archOr = debianArchFor(target);
  if (!archOr)
    return archOr.takeError();
  const std::string arch = *archOr;
  AptTools apt;
  if (auto err = findAptTools(apt))
    return err;

  const Place place(o.dir);
  if (auto ec = llvm::sys::fs::create_directories(place.parent))
    return makeError(ExitCode::Failure, "cannot create " + place.parent + ": " + ec.message());
  auto dirLock = FileLock::take(place.parent + "/." + place.base + ".lock", progress, place.dir);
  if (!dirLock)
    return dirLock.takeError();
  auto dirPlan = planForDir(o, place.dir);
  if (!dirPlan)
    return dirPlan.takeError();
  if (dirPlan->upToDate)
    return std::move(*dirPlan->upToDate);
  TempTree tmp;
  if (auto err = makeTempTree(place, tmp))
    return err;

  bool sourcesChanged = false;
  auto aptLock = prepareAptState(apt, o, arch, progress, sourcesChanged);
  if (!aptLock)
    return aptLock.takeError();
  const std::vector<std::string> request = requestedPackages(*o.distro, target, dirPlan->with);
  auto fetched = fetchPackages(apt, o, arch, request,
                               o.refresh || sourcesChanged || !hasLists(apt.state), progress);
  if (!fetched)
    return fetched.takeError();

  if (auto err = unpackDebs(apt, fetched->debs, tmp.path, progress))
    return err;
  if (caughtSignal())
    return interrupted();
  progress.line("merging /usr and fixing symlinks");
  if (auto err = fixLayout(target, tmp.path))
    return err;
  SysrootStamp stamp;
  stamp.target = target.rust.str();
  stamp.arch = arch;
  stamp.distro = o.distro->name.str();
  stamp.mirror = o.mirror;
  stamp.with = dirPlan->with;
  stamp.packages = fetched->packages;
  if (auto err = writeFile(tmp.path + "/" + kStampName.str(), formatStamp(stamp)))
    return err;
  if (caughtSignal())
    return interrupted();

  if (auto err = swapIn(place, tmp))
    return err;
  // The sysroot is complete: an interrupt from now on changes nothing (it is
  // not looked at again).
  CreateResult r = describeSysroot(target, place.dir);
  r.replaced = dirPlan->replacing;
  r.packages = fetched->packages.size();
  r.downloaded = fetched->downloaded;
  r.with = dirPlan->with;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

} // namespace crosshim
