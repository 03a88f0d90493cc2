#include "setup/sysroot_create.h"

#include "shims/sysroot.h"
#include "support/env.h"
#include "support/errors.h"
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
#include <set>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

bool lexists(const std::string &path, struct stat *st = nullptr) {
  struct stat local;
  return ::lstat(path.c_str(), st ? st : &local) == 0;
}

bool isRealDir(const std::string &path) {
  struct stat st;
  return lexists(path, &st) && S_ISDIR(st.st_mode);
}

bool isLink(const std::string &path) {
  struct stat st;
  return lexists(path, &st) && S_ISLNK(st.st_mode);
}

bool isRegular(const std::string &path) {
  struct stat st;
  return lexists(path, &st) && S_ISREG(st.st_mode);
}

std::optional<std::string> readLink(const std::string &path) {
  std::string buf(4096, '\0');
  ssize_t n = ::readlink(path.c_str(), buf.data(), buf.size());
  if (n < 0 || static_cast<size_t>(n) >= buf.size())
    return std::nullopt;
  buf.resize(static_cast<size_t>(n));
  return buf;
}

bool sameContent(const std::string &a, const std::string &b) {
  auto ba = llvm::MemoryBuffer::getFile(a, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  auto bb = llvm::MemoryBuffer::getFile(b, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  return ba && bb && (*ba)->getBuffer() == (*bb)->getBuffer();
}

std::vector<std::string> dirEntries(const std::string &dir, int &err) {
  std::vector<std::string> names;
  err = 0;
  DIR *d = ::opendir(dir.c_str());
  if (!d) {
    err = errno;
    return names;
  }
  while (dirent *e = ::readdir(d)) {
    llvm::StringRef name(e->d_name);
    if (name != "." && name != "..")
      names.push_back(name.str());
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
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
  if (!isRealDir(path)) {
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
  auto target = readLink(root + "/" + rel);
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
  std::vector<std::string> names = dirEntries(root + "/" + src, err);
  if (err)
    return sysError("merged /usr: cannot read " + root + "/" + src, err);
  for (const std::string &e : names) {
    const std::string s = src + "/" + e, d = dst + "/" + e;
    const std::string rs = root + "/" + s, rd = root + "/" + d;
    if (!lexists(rd)) {
      if (::rename(rs.c_str(), rd.c_str()) != 0)
        return sysError("merged /usr: cannot move " + rs + " to " + rd, errno);
    } else if (isRealDir(rs) && isRealDir(rd)) {
      if (auto error = mergeInto(root, s, d))
        return error;
      if (::rmdir(rs.c_str()) != 0)
        return sysError("merged /usr: cannot remove " + rs, errno);
    } else if ((isLink(rs) && isLink(rd) &&
                mergedDestination(root, s) == mergedDestination(root, d)) ||
               (isRegular(rs) && isRegular(rd) && sameContent(rs, rd)) ||
               (isLink(rs) && mergedDestination(root, s) == d)) {
      // The same entry twice, or lib/x -> /usr/lib/x: keep usr's.
      if (::unlink(rs.c_str()) != 0)
        return sysError("merged /usr: cannot remove " + rs, errno);
    } else if (isLink(rd) && mergedDestination(root, d) == d) {
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
  std::vector<std::string> names = dirEntries(root + "/" + rel, err);
  if (err)
    return sysError("merged /usr: cannot read " + root + "/" + rel, err);
  for (const std::string &e : names) {
    const std::string r = rel + "/" + e, full = root + "/" + r;
    if (isRealDir(full)) {
      if (auto error = absolutizeClimbingLinks(root, r))
        return error;
      continue;
    }
    std::optional<std::string> target = isLink(full) ? readLink(full) : std::nullopt;
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

volatile sig_atomic_t gSignal = 0;
volatile sig_atomic_t gChildGroup = 0;
int gLastInterrupt = 0;
const int kHandled[] = {SIGINT, SIGTERM, SIGHUP};

void onSignal(int sig) {
  if (!gSignal)
    gSignal = sig;
  if (gChildGroup > 0)
    ::kill(-gChildGroup, sig);
}

// Catches the signals for the whole run (no SA_RESTART: a blocking read
// returns at once); the previous handlers come back at the end.
class SignalScope {
public:
  SignalScope() {
    gSignal = 0;
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < std::size(kHandled); ++i)
      ::sigaction(kHandled[i], &sa, &saved_[i]);
  }
  ~SignalScope() {
    for (size_t i = 0; i < std::size(kHandled); ++i)
      ::sigaction(kHandled[i], &saved_[i], nullptr);
  }

private:
  struct sigaction saved_[std::size(kHandled)];
};

llvm::Error interrupted() {
  gLastInterrupt = gSignal;
  return makeError(ExitCode::Failure, std::string("interrupted (") + ::strsignal(gSignal) + ")");
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
  if (gSignal)
    return interrupted();
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return sysError("cannot create a pipe", errno);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
  if (!cwd.empty())
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());

  sigset_t handled, previous;
  sigemptyset(&handled);
  for (int sig : kHandled)
    sigaddset(&handled, sig);
  ::sigprocmask(SIG_BLOCK, &handled, &previous);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setsigmask(&attr, &previous);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);

  std::vector<char *> cargv, cenv;
  for (const std::string &a : argv)
    cargv.push_back(const_cast<char *>(a.c_str()));
  cargv.push_back(nullptr);
  for (const std::string &e : env)
    cenv.push_back(const_cast<char *>(e.c_str()));
  cenv.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, program.c_str(), &actions, &attr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(fds[1]);
  if (rc == 0)
    gChildGroup = pid;
  ::sigprocmask(SIG_SETMASK, &previous, nullptr);
  if (rc != 0) {
    ::close(fds[0]);
    return sysError("cannot run " + program, rc);
  }
  if (gSignal) // arrived while the signals were blocked
    ::kill(-pid, gSignal);

  ChildRun run;
  size_t lineStart = 0;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    run.output.append(buffer, static_cast<size_t>(n));
    for (size_t nl; (nl = run.output.find('\n', lineStart)) != std::string::npos;) {
      if (onLine)
        onLine(llvm::StringRef(run.output).slice(lineStart, nl));
      lineStart = nl + 1;
    }
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  gChildGroup = 0;
  if (WIFSIGNALED(status))
    run.signal = WTERMSIG(status);
  else
    run.exitCode = WEXITSTATUS(status);
  if (gSignal)
    return interrupted();
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
        if (errno != EINTR || gSignal) {
          ::close(fd);
          return gSignal ? interrupted() : sysError("cannot lock " + path, errno);
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
    if (isRealDir(root + "/" + d))
      if (auto err = absolutizeClimbingLinks(root, d))
        return err;
  for (const char *d : kMergedDirs) {
    const std::string top = root + "/" + d, usr = root + "/usr/" + d;
    const bool real = isRealDir(top);
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
  int err = 0;
  const std::string gcc = root + "/usr/lib/gcc";
  for (const std::string &triple : dirEntries(gcc, err))
    for (const std::string &version : dirEntries(gcc + "/" + triple, err)) {
      const std::string dir = gcc + "/" + triple + "/" + version;
      for (const std::string &name : dirEntries(dir, err)) {
        const std::string path = dir + "/" + name;
        struct stat st;
        if (name == "libgcc_s.so" || (isLink(path) && ::stat(path.c_str(), &st) != 0))
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
  int err = 0;
  for (const std::string &n : dirEntries(state + "/lists", err))
    if (llvm::StringRef(n).contains("_Packages"))
      return true;
  return false;
}

} // namespace

llvm::Expected<CreateResult> createSysroot(const CreateOptions &o) {
  const auto start = std::chrono::steady_clock::now();
  gLastInterrupt = 0;
  SignalScope signals;
  Progress progress(o.progress);
  const Target &target = *o.target;
  const Distro &distro = *o.distro;

  auto archOr = debianArchFor(target);
  if (!archOr)
    return archOr.takeError();
  const std::string arch = *archOr;

  AptTools apt;
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

  // ---- DIR: what is there, and may it be replaced?
  const std::string dir = o.dir;
  const std::string parent = llvm::sys::path::parent_path(dir).str();
  const std::string base = llvm::sys::path::filename(dir).str();
  if (auto ec = llvm::sys::fs::create_directories(parent))
    return makeError(ExitCode::Failure, "cannot create " + parent + ": " + ec.message());
  auto dirLock = FileLock::take(parent + "/." + base + ".lock", progress, dir);
  if (!dirLock)
    return dirLock.takeError();

  std::vector<std::string> with = o.with;
  bool replacing = false;
  struct stat st;
  if (lexists(dir, &st)) {
    if (!S_ISDIR(st.st_mode))
      return makeError(ExitCode::Failure, dir + " exists and is not a directory; choose "
                                                "another --dir or remove it yourself");
    auto stamp = readStamp(dir);
    if (!stamp)
      return makeError(ExitCode::Failure, llvm::toString(stamp.takeError()) +
                                              "; crosshim will not replace " + dir +
                                              " (remove it yourself)");
    int err = 0;
    if (!*stamp && !dirEntries(dir, err).empty())
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
        if (!llvm::is_contained(with, w))
          with.push_back(w);
      std::sort(with.begin(), with.end());
      std::vector<std::string> oldWith = old.with;
      std::sort(oldWith.begin(), oldWith.end());
      if (!o.refresh && old.distro == distro.name && with == oldWith) {
        CreateResult r;
        r.dir = dir;
        r.upToDate = true;
        r.packages = old.packages.size();
        r.with = with;
        r.layout = describeLayout(classifySysroot(target, dir));
        if (auto g = diag::findSysrootGlibc({dir + "/usr/lib/" + target.multiarch.str(),
                                             dir + "/lib/" + target.multiarch.str()}))
          r.glibc = diag::glibcVersionText(g->version);
        return r;
      }
      replacing = true;
    }
  }
  std::sort(with.begin(), with.end());
  with.erase(std::unique(with.begin(), with.end()), with.end());

  // Leftovers of runs that were killed outright (ours: they carry the marker).
  {
    int err = 0;
    for (const std::string &n : dirEntries(parent, err)) {
      llvm::StringRef name(n);
      if ((name.startswith("." + base + ".tmp.") || name.startswith("." + base + ".old.")) &&
          isRegular(parent + "/" + n + "/" + kPartialMarker.str()))
        removeTree(parent + "/" + n);
    }
  }
  TempTree tmp;
  {
    std::string templ = parent + "/." + base + ".tmp.XXXXXX";
    if (!::mkdtemp(templ.data()))
      return sysError("cannot create a temporary directory next to " + dir, errno);
    tmp.path = templ;
    if (auto err = writeFile(tmp.path + "/" + kPartialMarker.str(),
                             "being made by crosshim sysroot create for " + dir + "\n"))
      return err;
  }

  // ---- the private apt state
  apt.state = aptStateDir(distro, arch);
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
  const std::string sources = sourcesListText(distro, o.mirror, kDebianKeyring);
  const bool sourcesChanged = readFileOr(apt.state + "/sources.list") != sources;
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

  const std::vector<std::string> request = requestedPackages(distro, target, with);
  bool needUpdate = o.refresh || sourcesChanged || !hasLists(apt.state);
  bool updated = false;
  std::vector<ResolvedPackage> packages;
  std::vector<DebFile> debs;
  size_t downloaded = 0;
  for (int attempt = 0;; ++attempt) {
    const bool lastTry = updated || attempt > 0;
    if (needUpdate && !updated) {
      progress.line("updating the package lists of " + distro.name.str() + " " + arch + " from " +
                    o.mirror);
      auto run = runTool(apt.aptGet, apt.argv({"-q", "update"}), "", apt.env);
      if (!run)
        return run.takeError();
      if (!run->ok() || aptUpdateFailed(run->output))
        return aptError("apt-get update failed", *run, apt.state);
      updated = true;
    }
    // The closure, against an empty dpkg status: everything the request needs.
    std::vector<std::string> args = {"-s", "install", "--no-install-recommends"};
    args.insert(args.end(), request.begin(), request.end());
    std::vector<std::string> argv = apt.argv({});
    argv.insert(argv.end(), args.begin(), args.end());
    auto sim = runTool(apt.aptGet, argv, "", apt.env);
    if (!sim)
      return sim.takeError();
    if (!sim->ok()) {
      if (!lastTry) {
        needUpdate = true;
        continue;
      }
      return aptError("cannot resolve the packages " + llvm::join(request, " "), *sim, apt.state);
    }
    packages.clear();
    for (ResolvedPackage &p : parseAptSimulation(sim->output))
      if (keepInClosure(target, request, p.name))
        packages.push_back(std::move(p));
    if (packages.empty())
      return makeError(ExitCode::Failure, "apt-get resolved no packages for " +
                                              llvm::join(request, " ") +
                                              "; it said:" + tail(sim->output));
    progress.line("packages resolved: " + std::to_string(packages.size()));

    std::vector<std::string> specs;
    for (const ResolvedPackage &p : packages)
      specs.push_back(p.spec());
    argv = apt.argv({"download", "--print-uris"});
    argv.insert(argv.end(), specs.begin(), specs.end());
    auto uris = runTool(apt.aptGet, argv, "", apt.env);
    if (!uris)
      return uris.takeError();
    debs = uris->ok() ? parsePrintUris(uris->output) : std::vector<DebFile>{};
    if (!uris->ok() || debs.size() != packages.size()) {
      if (!lastTry) {
        needUpdate = true;
        continue;
      }
      return aptError("cannot locate the .debs of " + std::to_string(packages.size()) + " packages",
                      *uris, apt.state);
    }

    // Download what the cache does not have, into incoming/ first: a file
    // in debs/ is always complete.
    // --print-uris lists the files in its own order: NAME_VERSION_ARCH.deb.
    std::vector<std::string> missing;
    for (const DebFile &d : debs) {
      uint64_t size = 0;
      if (!llvm::sys::fs::file_size(apt.state + "/debs/" + d.file, size) && size == d.size)
        continue;
      const std::string name = llvm::StringRef(d.file).split('_').first.str();
      auto p = llvm::find_if(packages, [&](const ResolvedPackage &r) { return r.name == name; });
      missing.push_back(p != packages.end() ? p->spec() : name);
    }
    const size_t have = debs.size() - missing.size();
    downloaded = 0;
    if (!missing.empty()) {
      removeTree(apt.state + "/incoming");
      llvm::sys::fs::create_directories(apt.state + "/incoming");
      progress.update("fetched " + std::to_string(have) + "/" + std::to_string(debs.size()));
      argv = apt.argv({"download"});
      argv.insert(argv.end(), missing.begin(), missing.end());
      size_t got = 0;
      auto dl =
          runTool(apt.aptGet, argv, apt.state + "/incoming", apt.env, [&](llvm::StringRef line) {
            if (line.startswith("Get:"))
              progress.update("fetched " + std::to_string(have + ++got) + "/" +
                              std::to_string(debs.size()));
          });
      progress.finish();
      if (!dl)
        return dl.takeError();
      if (!dl->ok()) {
        if (!lastTry) {
          needUpdate = true;
          continue;
        }
        return aptError("cannot download " + std::to_string(missing.size()) + " package(s)", *dl,
                        apt.state);
      }
      int err = 0;
      for (const std::string &n : dirEntries(apt.state + "/incoming", err)) {
        if (::rename((apt.state + "/incoming/" + n).c_str(), (apt.state + "/debs/" + n).c_str()) !=
            0)
          return sysError("cannot move " + n + " into " + apt.state + "/debs", errno);
        ++downloaded;
      }
    } else {
      progress.line("fetched " + std::to_string(debs.size()) + "/" + std::to_string(debs.size()) +
                    " (all in the cache)");
    }
    for (const DebFile &d : debs) {
      uint64_t size = 0;
      if (llvm::sys::fs::file_size(apt.state + "/debs/" + d.file, size) || size != d.size)
        return makeError(ExitCode::Failure, "apt-get download did not produce " + d.file + " (" +
                                                std::to_string(d.size) + " bytes) in " + apt.state +
                                                "/debs");
    }
    break;
  }

  // ---- unpack, then the layout fixes
  for (size_t i = 0; i < debs.size(); ++i) {
    progress.update("unpacked " + std::to_string(i) + "/" + std::to_string(debs.size()));
    const std::string deb = apt.state + "/debs/" + debs[i].file;
    auto run = runTool(apt.dpkgDeb, {"dpkg-deb", "-x", deb, tmp.path}, "", apt.env);
    if (!run)
      return run.takeError();
    if (!run->ok())
      return makeError(ExitCode::Failure, "dpkg-deb -x " + deb + " failed (" + statusText(*run) +
                                              "):" + tail(run->output));
  }
  progress.update("unpacked " + std::to_string(debs.size()) + "/" + std::to_string(debs.size()));
  progress.finish();
  if (gSignal)
    return interrupted();

  progress.line("merging /usr and fixing symlinks");
  ::chmod(tmp.path.c_str(), 0755); // mkdtemp made it 0700; it stands for /
  if (auto err = mergeUsr(tmp.path))
    return err;
  auto plan = diag::planSymlinkFixes(tmp.path);
  if (!plan)
    return plan.takeError();
  auto fixed = diag::applySymlinkFixes(*plan);
  if (!fixed)
    return fixed.takeError();
  if (!fixed->failures.empty())
    return makeError(ExitCode::Failure, "cannot rewrite " + plan->root + "/" +
                                            plan->rewrites[fixed->failures[0].rewrite].link + ": " +
                                            fixed->failures[0].message);
  if (target.isMusl())
    pruneGccSharedLinks(tmp.path);
  auto devPlan = diag::planDevLinks(tmp.path);
  if (!devPlan)
    return devPlan.takeError();
  auto devDone = diag::applyDevLinks(*devPlan);
  if (!devDone)
    return devDone.takeError();
  // qemu-user's loader would otherwise read the build machine's cache and
  // load its libraries (qemu-i386 and /lib32).
  llvm::sys::fs::create_directories(tmp.path + "/etc");
  ::unlink((tmp.path + "/etc/ld.so.cache").c_str());
  if (auto err = writeFile(tmp.path + "/etc/ld.so.cache", ""))
    return err;

  SysrootStamp stamp;
  stamp.target = target.rust.str();
  stamp.arch = arch;
  stamp.distro = distro.name.str();
  stamp.mirror = o.mirror;
  stamp.with = with;
  stamp.packages = packages;
  if (auto err = writeFile(tmp.path + "/" + kStampName.str(), formatStamp(stamp)))
    return err;
  if (gSignal)
    return interrupted();

  // ---- swap it in
  ::unlink((tmp.path + "/" + kPartialMarker.str()).c_str());
  if (lexists(dir)) {
    if (::renameat2(AT_FDCWD, tmp.path.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) != 0) {
      // No RENAME_EXCHANGE on this file system: two renames, the old one
      // first moved next to the new one.
      std::string old = parent + "/." + base + ".old.XXXXXX";
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
    // tmp.path now holds the old sysroot (or an empty directory): removed
    // below; marked, so that a run killed meanwhile has it removed next time.
    llvm::consumeError(writeFile(tmp.path + "/" + kPartialMarker.str(), "old sysroot\n"));
  } else if (::rename(tmp.path.c_str(), dir.c_str()) != 0) {
    return sysError("cannot move the new sysroot to " + dir, errno);
  } else {
    tmp.path.clear();
  }
  gSignal = 0; // the sysroot is complete: an interrupt from now on changes nothing

  CreateResult r;
  r.dir = dir;
  r.replaced = replacing;
  r.packages = packages.size();
  r.downloaded = downloaded;
  r.with = with;
  r.layout = describeLayout(classifySysroot(target, dir));
  if (auto g = diag::findSysrootGlibc(
          {dir + "/usr/lib/" + target.multiarch.str(), dir + "/lib/" + target.multiarch.str()}))
    r.glibc = diag::glibcVersionText(g->version);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

} // namespace crosshim
