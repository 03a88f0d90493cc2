#include "support/process.h"

#include "support/errors.h"
#include "support/safe_file.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Program.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace crosshim {
namespace {

std::vector<char *> cStrings(llvm::ArrayRef<std::string> strings) {
  std::vector<char *> out;
  out.reserve(strings.size() + 1);
  for (const std::string &s : strings)
    out.push_back(const_cast<char *>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// Where a caught signal goes: the running child (a pid), or its process
// group (a negative pid); 0 when no child runs.
volatile sig_atomic_t gChild = 0;
volatile sig_atomic_t gCaught = 0;    // the first signal caught in the SignalForwarding scope
volatile sig_atomic_t gForwarded = 0; // the last signal passed on to the running child
// The signals of the SignalForwarding in place (none: not in one). Plain
// data: a global with a constructor would run at every start of the shim.
const int *gScopeSignals = nullptr;
size_t gScopeSignalCount = 0;

void forwardSignal(int sig) {
  if (gCaught == 0)
    gCaught = sig;
  if (gChild != 0) {
    gForwarded = sig;
    kill(gChild, sig);
  }
}

// The processes whose parent we are: a scan of /proc/<pid>/stat (the
// /proc/<pid>/task/<tid>/children shortcut needs CONFIG_PROC_CHILDREN, which
// not every kernel has).
std::vector<pid_t> ownChildren() {
  std::vector<pid_t> out;
  const pid_t self = getpid();
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
    pid_t pid = 0;
    if (llvm::sys::path::filename(it->path()).getAsInteger(10, pid) || pid <= 0)
      continue;
    // Read to the end: /proc files say they are empty, so MemoryBuffer::getFile
    // would read nothing.
    auto stat = llvm::MemoryBuffer::getFileAsStream(it->path() + "/stat");
    if (!stat)
      continue;
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    llvm::StringRef rest = (*stat)->getBuffer();
    size_t close = rest.rfind(')');
    if (close == llvm::StringRef::npos)
      continue;
    llvm::SmallVector<llvm::StringRef, 4> fields;
    rest.drop_front(close + 1).split(fields, ' ', 3, /*KeepEmpty=*/false);
    pid_t ppid = 0;
    if (fields.size() >= 2 && !fields[1].getAsInteger(10, ppid) && ppid == self)
      out.push_back(pid);
  }
  return out;
}

// After a forwarded signal has ended clang: clang does not pass it on, so
// ld.lld (or a cc1) it started is still running. We are their subreaper, so
// they are our children now: pass them the same signal, SIGKILL whatever is
// left after 2 s, and reap them all, so that no part of the link outlives us.
void endOrphans(int sig) {
  std::vector<pid_t> signalled;
  for (int round = 0; round < 200; ++round) {
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    std::vector<pid_t> children = ownChildren();
    if (children.empty())
      return;
    for (pid_t child : children) {
      if (round >= 100)
        kill(child, SIGKILL);
      else if (!llvm::is_contained(signalled, child)) { // one that was orphaned since
        kill(child, sig);
        signalled.push_back(child);
      }
    }
    usleep(20000);
  }
}

// What runProgram catches while a child runs, when no SignalForwarding is in place.
const int kForwardedWhileRunning[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// What runProgram receives from the child's pipe: passed on to our stderr,
// kept (the last `keepLimit` bytes) and cut into lines, as the options say.
class OutputSink {
public:
  OutputSink(const RunOptions &options, ChildStatus &status) : options_(options), status_(status) {}
  void take(const char *data, size_t size) {
    if (options_.echo)
      writeAll(STDERR_FILENO, llvm::StringRef(data, size));
    std::string &copy = status_.stderrCopy;
    copy.append(data, size);
    if (copy.size() > options_.keepLimit) {
      copy.erase(0, copy.size() - options_.keepLimit);
      status_.stderrTruncated = true;
    }
    if (!options_.onLine)
      return;
    partial_.append(data, size);
    size_t start = 0;
    for (size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1)
      options_.onLine(llvm::StringRef(partial_).slice(start, nl));
    partial_.erase(0, start);
  }
  void finish() {
    if (options_.onLine && !partial_.empty())
      options_.onLine(partial_);
    partial_.clear();
  }

private:
  const RunOptions &options_;
  ChildStatus &status_;
  std::string partial_; // a line not yet ended
};

// Reads the child's pipe into `sink` until it ends. A grandchild may keep
// the pipe open after the child itself has gone (a `clang -cc1` that
// outlives a killed driver), so the wait also ends when the child has
// exited: checked every 100 ms of silence. True when the child was reaped
// (its status in `wstatus`).
bool drainUntilExit(int fd, pid_t pid, OutputSink &sink, int &wstatus) {
  char buffer[65536];
  bool reaped = false;
  pollfd readable{fd, POLLIN, 0};
  for (;;) {
    int ready = poll(&readable, 1, 100);
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready == 0) {
      if (waitpid(pid, &wstatus, WNOHANG) == pid) {
        reaped = true;
        break;
      }
      continue;
    }
    if (ready < 0)
      break;
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    sink.take(buffer, static_cast<size_t>(n));
  }
  if (reaped) { // take what is already in the pipe, without waiting for more
    fcntl(fd, F_SETFL, O_NONBLOCK);
    for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;)
      sink.take(buffer, static_cast<size_t>(n));
  }
  sink.finish();
  return reaped;
}

} // namespace

llvm::Error setStandardInput(llvm::StringRef text) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return makeError(ExitCode::Failure, std::string("cannot make a pipe for the standard input: ") +
                                            std::strerror(errno));
  // Non-blocking: a text the pipe cannot hold is an error, not a hang.
  ::fcntl(fds[1], F_SETFL, O_NONBLOCK);
  if (!writeAll(fds[1], text)) {
    const int saved = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return makeError(ExitCode::Failure, "cannot give the program its standard input (" +
                                            std::to_string(text.size()) +
                                            " bytes): " + std::strerror(saved));
  }
  ::close(fds[1]);
  if (::dup2(fds[0], STDIN_FILENO) < 0)
    return makeError(ExitCode::Failure,
                     std::string("cannot set the standard input: ") + std::strerror(errno));
  ::close(fds[0]);
  return llvm::Error::success();
}

std::vector<std::string> childEnvironment(const Env &parent, llvm::ArrayRef<std::string> unset,
                                          llvm::ArrayRef<std::string> set) {
  auto nameOf = [](llvm::StringRef entry) { return entry.split('=').first; };
  std::vector<std::string> env;
  for (const char *e : parent.entries()) {
    llvm::StringRef name = nameOf(e);
    if (llvm::is_contained(unset, name) ||
        llvm::any_of(set, [&](const std::string &s) { return nameOf(s) == name; }))
      continue;
    env.emplace_back(e);
  }
  env.insert(env.end(), set.begin(), set.end());
  return env;
}

std::optional<std::string> findInPath(llvm::StringRef name, llvm::StringRef pathVar) {
  llvm::SmallVector<llvm::StringRef, 16> dirs;
  pathVar.split(dirs, ':', -1, /*KeepEmpty=*/false);
  if (dirs.empty())
    return std::nullopt;
  auto found = llvm::sys::findProgramByName(name, dirs);
  if (!found)
    return std::nullopt;
  return *found;
}

llvm::Error execProgram(const std::string &program, llvm::ArrayRef<std::string> argv,
                        llvm::ArrayRef<std::string> env) {
  std::vector<char *> cargv = cStrings(argv), cenv = cStrings(env);
  execve(program.c_str(), cargv.data(), cenv.data());
  return makeError(ExitCode::Failure, "cannot run " + program + ": " + std::strerror(errno));
}

llvm::Expected<ChildStatus> runProgram(const std::string &program, llvm::ArrayRef<std::string> argv,
                                       llvm::ArrayRef<std::string> env, const RunOptions &options) {
  int pipeFds[2];
  if (pipe2(pipeFds, O_CLOEXEC) != 0)
    return makeError(ExitCode::Failure,
                     std::string("cannot create a pipe: ") + std::strerror(errno));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (options.stdinFromNull)
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (options.capture != RunOptions::Capture::Stderr)
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
  if (options.capture != RunOptions::Capture::Stdout)
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDERR_FILENO);
  if (!options.cwd.empty())
    posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());

  // Block the forwarded signals until the handlers know the child's pid; the
  // child starts with them unblocked and at their defaults.
  std::optional<SignalForwarding> ownScope;
  const bool inScope = gScopeSignals != nullptr;
  llvm::ArrayRef<int> signals = inScope ? llvm::ArrayRef<int>(gScopeSignals, gScopeSignalCount)
                                        : llvm::ArrayRef<int>(kForwardedWhileRunning);
  sigset_t forwarded, previous;
  sigemptyset(&forwarded);
  for (int sig : signals)
    sigaddset(&forwarded, sig);
  sigprocmask(SIG_BLOCK, &forwarded, &previous);
  if (!inScope)
    ownScope.emplace(kForwardedWhileRunning);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setsigmask(&attr, &previous);
  short flags = POSIX_SPAWN_SETSIGMASK;
  if (options.ownProcessGroup) {
    posix_spawnattr_setpgroup(&attr, 0);
    flags |= POSIX_SPAWN_SETPGROUP;
  } else {
    // Descendants orphaned while the child runs (ld.lld, once a signal has
    // ended clang) become our children, not init's: see endOrphans.
    prctl(PR_SET_CHILD_SUBREAPER, 1);
  }
  posix_spawnattr_setflags(&attr, flags);
  gForwarded = 0;

  std::vector<char *> cargv = cStrings(argv), cenv = cStrings(env);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, program.c_str(), &actions, &attr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(pipeFds[1]);
  if (rc != 0) {
    sigprocmask(SIG_SETMASK, &previous, nullptr);
    close(pipeFds[0]);
    return makeError(ExitCode::Failure, "cannot run " + program + ": " + std::strerror(rc));
  }

  gChild = options.ownProcessGroup ? -pid : pid;
  if (gCaught != 0) { // caught before the signals were blocked: the child has not had it
    gForwarded = gCaught;
    kill(gChild, gCaught);
  }
  sigprocmask(SIG_SETMASK, &previous, nullptr);

  ChildStatus status;
  OutputSink sink(options, status);
  int wstatus = 0;
  bool reaped = drainUntilExit(pipeFds[0], pid, sink, wstatus);
  close(pipeFds[0]);
  while (!reaped && waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  gChild = 0;
  if (gForwarded != 0 && !options.ownProcessGroup)
    endOrphans(gForwarded);

  if (WIFSIGNALED(wstatus))
    status.signal = WTERMSIG(wstatus);
  else
    status.exitCode = WEXITSTATUS(wstatus);
  return status;
}

llvm::Expected<ChildStatus> runProgram(const std::string &program, llvm::ArrayRef<std::string> argv,
                                       llvm::ArrayRef<std::string> env, size_t stderrLimit) {
  RunOptions options;
  options.keepLimit = stderrLimit;
  return runProgram(program, argv, env, options);
}

struct SignalForwarding::Saved {
  struct sigaction action;
};

SignalForwarding::SignalForwarding(llvm::ArrayRef<int> signals)
    : signals_(signals.begin(), signals.end()), saved_(new Saved[signals.size()]) {
  gCaught = 0;
  gScopeSignals = signals_.data();
  gScopeSignalCount = signals_.size();
  struct sigaction forward = {};
  forward.sa_handler = forwardSignal; // no SA_RESTART
  sigemptyset(&forward.sa_mask);
  for (size_t i = 0; i < signals_.size(); ++i)
    sigaction(signals_[i], &forward, &saved_[i].action);
}

SignalForwarding::~SignalForwarding() {
  for (size_t i = 0; i < signals_.size(); ++i)
    sigaction(signals_[i], &saved_[i].action, nullptr);
  gScopeSignals = nullptr;
  gScopeSignalCount = 0;
}

int SignalForwarding::caught() {
  return gCaught;
}

void exitLike(const ChildStatus &status) {
  // Interrupts are re-raised so that make and cargo see an interrupted
  // child; crashes become 128+N, as a shell reports them, without a core
  // dump of crosshim itself.
  const bool reraise = status.signal == SIGINT || status.signal == SIGTERM ||
                       status.signal == SIGHUP || status.signal == SIGPIPE ||
                       status.signal == SIGKILL;
  if (status.signal != 0 && !reraise)
    std::exit(128 + status.signal);
  if (status.signal != 0) {
    std::signal(status.signal, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, status.signal);
    sigprocmask(SIG_UNBLOCK, &set, nullptr);
    raise(status.signal);
    _exit(128 + status.signal); // a signal whose default action is not to end the process
  }
  std::exit(status.exitCode);
}

llvm::Expected<TempDir> TempDir::create(const Env &env, llvm::StringRef prefix) {
  std::string templ = env.getOr("TMPDIR", "/tmp") + "/" + prefix.str() + "-XXXXXX";
  if (!mkdtemp(templ.data()))
    return makeError(ExitCode::Failure, "cannot create a temporary directory from " + templ + ": " +
                                            std::strerror(errno));
  return TempDir(templ);
}

TempDir::~TempDir() {
  if (!path_.empty())
    llvm::sys::fs::remove_directories(path_, /*IgnoreErrors=*/true);
}

} // namespace crosshim
