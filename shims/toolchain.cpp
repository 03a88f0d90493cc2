#include "toolchain.h"

#include "env.h"
#include "errors.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Program.h>

namespace crosshim {
namespace {

std::string realPath(llvm::StringRef path) {
  llvm::SmallString<256> real;
  if (llvm::sys::fs::real_path(path, real))
    return path.str();
  return std::string(real);
}

bool isExecutableFile(llvm::StringRef path) {
  return llvm::sys::fs::can_execute(path) && !llvm::sys::fs::is_directory(path);
}

} // namespace

const std::string &selfExecutable() {
  static const std::string self = realPath("/proc/self/exe");
  return self;
}

bool isSelf(llvm::StringRef path) {
  // Same file as /proc/self/exe: one stat() each instead of resolving every
  // path component, and hard links to crosshim count too.
  static const std::optional<llvm::sys::fs::UniqueID> self =
      []() -> std::optional<llvm::sys::fs::UniqueID> {
    llvm::sys::fs::UniqueID id;
    if (llvm::sys::fs::getUniqueID("/proc/self/exe", id))
      return std::nullopt;
    return id;
  }();
  llvm::sys::fs::UniqueID id;
  if (!self || llvm::sys::fs::getUniqueID(path, id))
    return realPath(path) == selfExecutable();
  return id == *self;
}

llvm::ArrayRef<unsigned> llvmVersionsToTry() {
  static const unsigned versions[] = {22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11};
  return versions;
}

Toolchain::Toolchain(const TargetSettings &settings, std::string configPath)
    : configLlvm_(settings.llvm), configLine_(settings.llvmLine),
      configPath_(std::move(configPath)) {}

llvm::Expected<ToolLocation> Toolchain::inPrefix(llvm::StringRef prefix, llvm::StringRef name,
                                                 const std::string &why) const {
  // Accept both an install prefix (<prefix>/bin/clang) and a bin directory.
  for (llvm::StringRef sub : {"bin", ""}) {
    llvm::SmallString<256> candidate(prefix);
    llvm::sys::path::append(candidate, sub, name);
    if (isExecutableFile(candidate) && !isSelf(candidate))
      return ToolLocation{std::string(candidate), why};
  }
  return makeError(ExitCode::Failure, why + " has no " + name.str() + " (looked for " +
                                          prefix.str() + "/bin/" + name.str() + ")");
}

std::optional<ToolLocation> Toolchain::viaLlvmConfig(llvm::StringRef name) const {
  // `llvm-config --bindir` without running it: the real llvm-config lives in
  // its own bindir, and Debian's /usr/bin/llvm-config links to it.
  auto config = llvm::sys::findProgramByName("llvm-config");
  if (!config)
    return std::nullopt;
  std::string bindir(llvm::sys::path::parent_path(realPath(*config)));
  llvm::SmallString<256> candidate(bindir);
  llvm::sys::path::append(candidate, name);
  if (isExecutableFile(candidate) && !isSelf(candidate))
    return ToolLocation{std::string(candidate), "llvm-config (" + *config + ") --bindir " + bindir};
  return std::nullopt;
}

std::optional<ToolLocation> Toolchain::onPath(llvm::StringRef name) const {
  auto tryName = [&](const std::string &n) -> std::optional<ToolLocation> {
    auto found = llvm::sys::findProgramByName(n);
    if (found && !isSelf(*found))
      return ToolLocation{*found, "PATH (" + n + ")"};
    return std::nullopt;
  };
  if (auto loc = tryName(name.str()))
    return loc;
  for (unsigned v : llvmVersionsToTry())
    if (auto loc = tryName(name.str() + "-" + std::to_string(v)))
      return loc;
  return std::nullopt;
}

llvm::Expected<ToolLocation> Toolchain::find(llvm::StringRef name) const {
  if (configLlvm_) {
    return inPrefix(*configLlvm_, name,
                    "config " + configPath_ + ":" + std::to_string(configLine_) +
                        " llvm = " + *configLlvm_);
  }
  if (auto env = envVar("CROSSHIM_LLVM"); env && !env->empty()) {
    return inPrefix(*env, name, "CROSSHIM_LLVM=" + *env);
  }
  if (auto loc = viaLlvmConfig(name))
    return *loc;
  if (auto loc = onPath(name))
    return *loc;
  return makeError(ExitCode::Failure,
                   "cannot find " + name.str() + ": not in llvm-config's bindir nor on PATH as " +
                       name.str() + " or " + name.str() +
                       "-<version>; install it (Debian: apt-get install " +
                       (name == "ld.lld"  ? "lld"
                        : name == "clang" ? "clang"
                                          : "llvm") +
                       "), or set CROSSHIM_LLVM or `llvm` in crosshim.toml to an LLVM prefix");
}

} // namespace crosshim
