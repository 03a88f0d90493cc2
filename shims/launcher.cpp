#include "shims/launcher.h"

#include "shims/args.h"
#include "shims/toolchain.h"
#include "support/env.h"
#include "support/errors.h"
#include "support/fs.h"
#include "support/process.h"
#include "support/quote.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Program.h>
#include <llvm/Support/SHA1.h>
#include <llvm/Support/raw_ostream.h>

#include <cerrno>
#include <map>
#include <optional>

#include <sys/stat.h>
#include <unistd.h>

namespace crosshim {
namespace {

// "<path> <size> <mtime in ns>" of the file a path resolves to: what changes
// when the file is replaced or upgraded in place.
std::string fileIdentity(llvm::StringRef path) {
  const std::string real = realPath(path);
  struct stat st;
  if (::stat(real.c_str(), &st) != 0)
    return real + " missing";
  return real + " " + std::to_string(st.st_size) + " " +
         std::to_string(static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL +
                        st.st_mtim.tv_nsec);
}

// /usr/lib/llvm-14/bin/clang -> /usr/bin/clang-14 when that is the same file.
std::string clangForLauncher(const std::string &clang) {
  if (llvm::StringRef(clang).startswith("/usr/bin/") &&
      !llvm::StringRef(clang).drop_front(9).contains('/'))
    return clang;
  const std::string real = realPath(clang);
  llvm::StringRef bin = llvm::sys::path::parent_path(real);
  llvm::StringRef llvmDir = llvm::sys::path::filename(llvm::sys::path::parent_path(bin));
  unsigned version = 0;
  if (llvm::sys::path::filename(bin) != "bin" || !llvmDir.consume_front("llvm-") ||
      llvmDir.getAsInteger(10, version))
    return clang;
  const std::string versioned = "/usr/bin/clang-" + std::to_string(version);
  return realPath(versioned) == real ? versioned : clang;
}

// What `program args...` prints on stdout (at most 1 MiB), when it runs and
// exits 0; stderr is ours, the environment `env`.
std::optional<std::string> outputOf(const std::string &program,
                                    const std::vector<std::string> &args, const Env &env) {
  RunOptions options;
  options.capture = RunOptions::Capture::Stdout;
  options.echo = false;
  options.keepLimit = 1u << 20;
  options.stdinFromNull = true;
  std::vector<std::string> argv = {program};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::vector<std::string> childEnv(env.entries().begin(), env.entries().end());
  auto status = runProgram(program, argv, childEnv, options);
  if (!status) {
    llvm::consumeError(status.takeError());
    return std::nullopt;
  }
  if (status->signal != 0 || status->exitCode != 0)
    return std::nullopt;
  return std::move(status->stderrCopy);
}

} // namespace

std::string ccacheKeyGap(llvm::ArrayRef<std::string> userArgs, const Env &env) {
  const std::string ccache =
      readSymlink("/proc/" + std::to_string(getppid()) + "/exe").value_or(std::string());
  auto shown = outputOf(ccache, {"-p"}, env);
  if (!shown)
    return "";
  // "(source) key = value" lines: the configuration that ccache read, from
  // its files and CCACHE_* alike.
  std::map<std::string, std::string> config;
  for (llvm::StringRef line : llvm::split(*shown, '\n')) {
    line = line.trim();
    if (line.consume_front("(")) {
      line = line.drop_until([](char c) { return c == ')'; }).drop_front();
      auto [key, value] = line.split('=');
      config[key.trim().str()] = value.trim().str();
    }
  }
  if (llvm::StringRef(config["compiler_check"]).contains("--crosshim-fingerprint") ||
      config["direct_mode"] != "true")
    return "";
  std::string why;
  llvm::SmallVector<llvm::StringRef, 8> sloppiness; // "include_file_mtime, time_macros"
  llvm::StringRef(config["sloppiness"]).split(sloppiness, ',');
  if (llvm::any_of(sloppiness, [](llvm::StringRef s) { return s.trim() == "time_macros"; }))
    why = "its sloppiness = time_macros keeps its direct mode";
  const bool dependencies = llvm::any_of(userArgs, [](llvm::StringRef a) {
    return a == "-MD" || a == "-MMD" || a.startswith("-Wp,-MD,") || a.startswith("-Wp,-MMD,");
  });
  if (config["depend_mode"] == "true" && config["run_second_cpp"] == "true" && dependencies)
    why = "its depend mode does not run the preprocessor";
  if (why.empty())
    return "";
  return "ccache runs this compile and " + why +
         ", whose key cannot show what crosshim does for it (target, sysroot, "
         "crosshim.toml, CROSSHIM_*, LLVM), so another configuration would get this object; "
         "set compiler_check = %compiler% --crosshim-fingerprint (CCACHE_COMPILERCHECK), or "
         "put ccache behind crosshim: CROSSHIM_LAUNCHER=ccache";
}

std::vector<std::string> launcherCommand(const TargetSettings &settings, const Env &env) {
  std::vector<std::string> command;
  if (auto value = env.lookup("CROSSHIM_LAUNCHER"))
    command = tokenizeGnu(*value); // set and empty: none, over the configuration
  else
    command = settings.launcher;
  if (command.size() == 1 && command.front().empty())
    command.clear();
  return command;
}

bool launcherApplies(const ToolInfo &tool, llvm::ArrayRef<std::string> userArgs) {
  if (tool.kind != ToolKind::CCompiler && tool.kind != ToolKind::CxxCompiler)
    return false;
  bool object = false;
  for (llvm::StringRef a : userArgs) {
    if (a == "-E" || a == "-M" || a == "-MM" || a == "-fsyntax-only")
      return false;
    object |= a == "-c" || a == "-S";
  }
  return object;
}

llvm::Expected<std::string> applyLauncher(llvm::ArrayRef<std::string> launcher,
                                          std::vector<std::string> &argv, const Env &env) {
  std::string program = launcher.front();
  if (!llvm::StringRef(program).contains('/')) {
    auto found = findInPath(program, env.getOr("PATH"));
    if (!found)
      return makeError(ExitCode::Failure,
                       "the launcher '" + program +
                           "' (CROSSHIM_LAUNCHER or `launcher` in crosshim.toml) is not on PATH");
    program = *found;
  } else if (!llvm::sys::fs::can_execute(program)) {
    return makeError(
        ExitCode::Failure,
        "the launcher " + program +
            " (CROSSHIM_LAUNCHER or `launcher` in crosshim.toml) is not an executable");
  }
  if (isSelf(program))
    return makeError(ExitCode::Usage,
                     "the launcher " + program +
                         " is crosshim itself; name a cache or compile farm (ccache, sccache, "
                         "distcc, icecc)");
  std::vector<std::string> out(launcher.begin(), launcher.end());
  out.push_back(clangForLauncher(argv.front()));
  out.insert(out.end(), argv.begin() + 1, argv.end());
  argv = std::move(out);
  return program;
}

llvm::Expected<std::string> launcherFromOptions(const std::optional<std::string> &cache,
                                                const std::optional<std::string> &launcher) {
  if (cache && launcher)
    return makeError(ExitCode::Usage, "--cache and --launcher: one of them (crosshim runs one "
                                      "launcher; ccache's CCACHE_PREFIX=distcc chains the two)");
  if (cache && *cache != "ccache" && *cache != "sccache")
    return makeError(ExitCode::Usage, "--cache must be ccache or sccache, not '" + *cache + "'");
  if (launcher && *launcher != "distcc" && *launcher != "icecc")
    return makeError(ExitCode::Usage,
                     "--launcher must be distcc or icecc, not '" + *launcher + "'");
  return cache ? *cache : launcher ? *launcher : std::string();
}

bool isCompilerWrapper(llvm::StringRef resolvedPath) {
  llvm::StringRef name = llvm::sys::path::filename(resolvedPath);
  return name == "ccache" || name == "sccache" || name == "distcc" || name == "icecc";
}

ToolInFront toolInFront() {
  // The kernel's link names the parent's executable with its links already
  // resolved: one readlink, no walk over each folder of the path.
  const std::string exe =
      readSymlink("/proc/" + std::to_string(getppid()) + "/exe").value_or(std::string());
  llvm::StringRef name = llvm::sys::path::filename(exe);
  if (name == "ccache")
    return ToolInFront::Ccache;
  if (name == "sccache")
    return ToolInFront::Sccache;
  if (name == "distcc")
    return ToolInFront::Distcc;
  if (name == "icecc")
    return ToolInFront::Icecc;
  return ToolInFront::None;
}

std::string fingerprintDigest(llvm::StringRef text) {
  size_t eol = text.find('\n');
  llvm::StringRef body = text.startswith("crosshim-fingerprint ") && eol != llvm::StringRef::npos
                             ? text.substr(eol + 1)
                             : text;
  auto digest = llvm::SHA1::hash(
      llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(body.data()), body.size()));
  return llvm::toHex(digest, /*LowerCase=*/true);
}

std::string fingerprintText(const std::string &target, const RewriteResult &command,
                            llvm::ArrayRef<std::string> launcher) {
  std::string body;
  llvm::raw_string_ostream os(body);
  os << "crosshim " << fileIdentity(selfExecutable()) << "\n";
  os << "target " << target << "\n";
  os << "clang " << fileIdentity(command.argv.front()) << "\n";
  // The command up to the user's arguments: what crosshim adds for the
  // target, the sysroot and the configuration.
  std::vector<std::string> added;
  auto end = llvm::find(command.argv, "--end-no-unused-arguments");
  if (end != command.argv.end())
    added.assign(command.argv.begin() + 1, end);
  os << "adds " << shellJoin(added) << "\n";
  os << "unsets " << llvm::join(command.unsetEnv, " ") << "\n";
  os << "launcher " << shellJoin(launcher) << "\n";
  os.flush();
  return "crosshim-fingerprint " + fingerprintDigest(body) + "\n" + body;
}

std::string hostFingerprintText(const std::string &real) {
  const std::string body =
      "crosshim " + fileIdentity(selfExecutable()) + "\nhost " + fileIdentity(real) + "\n";
  return "crosshim-fingerprint " + fingerprintDigest(body) + "\n" + body;
}

llvm::Expected<std::string> fingerprintHeaderPath(llvm::StringRef text, const Env &env) {
  const std::string cache = env.userCacheDir();
  if (cache.empty())
    return makeError(ExitCode::Failure,
                     "a cache runs crosshim to preprocess, and the fingerprint that keeps its "
                     "objects apart needs a cache folder: set XDG_CACHE_HOME or HOME");
  return cache + "/fingerprints/" + fingerprintDigest(text) + ".h";
}

llvm::Expected<std::string> fingerprintHeader(llvm::StringRef text, const Env &env) {
  auto path = fingerprintHeaderPath(text, env);
  if (!path)
    return path.takeError();
  if (llvm::Error err = writeFingerprintHeader(*path, text))
    return llvm::Expected<std::string>(std::move(err));
  return *path;
}

llvm::Error writeFingerprintHeader(llvm::StringRef pathRef, llvm::StringRef text) {
  const std::string path = pathRef.str();
  const std::string digest = fingerprintDigest(text);
  const std::string dir = llvm::sys::path::parent_path(path).str();
  if (llvm::sys::fs::exists(path))
    return llvm::Error::success();
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return makeError(ExitCode::Failure, "cannot create " + dir + ": " + ec.message());
  // Written whole under a private name, then renamed: a parallel build never
  // reads half a header.
  const std::string tmp = path + "." + std::to_string(getpid()) + ".tmp";
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(tmp, ec);
    if (!ec) {
      os << "/* crosshim: what decides this compile besides its arguments. Its path and the\n"
            "   pragma below put the fingerprint into the preprocessed output that ccache and\n"
            "   sccache hash; naming __TIME__ here makes ccache use that output, not its\n"
            "   direct mode, whose key would not see the fingerprint.\n\n";
      for (llvm::StringRef line : llvm::split(text, '\n'))
        if (!line.empty()) // a path with "*/" must not end the comment
          os << "   " << llvm::join(llvm::split(line, "*/"), "* /") << "\n";
      os << "*/\n#pragma crosshim fingerprint \"" << digest << "\"\n";
      os.close();
      ec = os.error();
      os.clear_error();
    }
    if (ec) {
      llvm::sys::fs::remove(tmp);
      return makeError(ExitCode::Failure, "cannot write " + tmp + ": " + ec.message());
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(tmp, path)) {
    llvm::sys::fs::remove(tmp);
    return makeError(ExitCode::Failure, "cannot create " + path + ": " + ec.message());
  }
  return llvm::Error::success();
}

} // namespace crosshim
