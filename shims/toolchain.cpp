#include "shims/toolchain.h"

#include "support/env.h"
#include "support/errors.h"
#include "support/fs.h"
#include "support/process.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Program.h>

#include <climits>
#include <cstdlib>
#include <unistd.h>

namespace crosshim {
namespace {

bool isExecutableFile(llvm::StringRef path) {
  return llvm::sys::fs::can_execute(path) && !llvm::sys::fs::is_directory(path);
}

} // namespace

std::string realPath(llvm::StringRef path) {
  // ::realpath: one libc call, and no tilde handling we do not want.
  char buffer[PATH_MAX];
  if (!::realpath(path.str().c_str(), buffer))
    return path.str();
  return buffer;
}

const std::string &selfExecutable() {
  static const std::string self = realPath("/proc/self/exe");
  return self;
}

std::string installPrefix() {
  return llvm::sys::path::parent_path(llvm::sys::path::parent_path(selfExecutable())).str();
}

std::string installedNamesDir() {
  return installPrefix() + "/lib/crosshim/bin";
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

Toolchain::Toolchain(const TargetSettings &settings, std::string configPath, const Env &env)
    : configLlvm_(settings.llvm), configLine_(settings.llvmLine),
      configPath_(std::move(configPath)), envLlvm_(env.getOr("CROSSHIM_LLVM")),
      path_(env.getOr("PATH")) {}

llvm::Expected<ToolLocation> Toolchain::inPrefix(llvm::StringRef prefix, llvm::StringRef name,
                                                 const std::string &why) const {
  // Accept both an install prefix (<prefix>/bin/clang) and a bin directory.
  for (llvm::StringRef sub : {"bin", ""}) {
    llvm::SmallString<256> candidate(prefix);
    llvm::sys::path::append(candidate, sub, name);
    if (isExecutableFile(candidate) && !isSelf(candidate))
      return ToolLocation{std::string(candidate), why};
  }
  // "has no clang" would send the user looking for a file that is there.
  const std::string expected = prefix.str() + "/bin/" + name.str();
  if (llvm::sys::fs::exists(expected) && !isExecutableFile(expected))
    return makeError(ExitCode::Failure, why + ": " + expected + " is not executable");
  return makeError(ExitCode::Failure,
                   why + " has no " + name.str() + " (looked for " + expected + ")");
}

// Follows the links of the file itself (not of every directory on the way,
// as realpath does): /usr/bin/llvm-config -> ../lib/llvm-14/bin/llvm-config.
static std::string followFileLinks(std::string path) {
  for (int hops = 0; hops < 16; ++hops) {
    std::optional<std::string> target = readSymlink(path);
    if (!target || target->empty())
      break;
    llvm::StringRef link(*target);
    if (llvm::sys::path::is_absolute(link)) {
      path = link.str();
    } else {
      llvm::SmallString<256> joined(llvm::sys::path::parent_path(path));
      llvm::sys::path::append(joined, link);
      llvm::sys::path::remove_dots(joined, /*remove_dot_dot=*/true);
      path = std::string(joined);
    }
  }
  return path;
}

std::optional<ToolLocation> Toolchain::viaLlvmConfig(llvm::StringRef name) const {
  // `llvm-config --bindir` without running it: the real llvm-config lives in
  // its own bindir, and Debian's /usr/bin/llvm-config links to it.
  if (!llvmConfigBindir_) {
    auto config = findInPath("llvm-config", path_);
    llvmConfigBindir_ =
        config ? std::string(llvm::sys::path::parent_path(followFileLinks(*config))) : "";
  }
  if (llvmConfigBindir_->empty())
    return std::nullopt;
  llvm::SmallString<256> candidate(*llvmConfigBindir_);
  llvm::sys::path::append(candidate, name);
  if (isExecutableFile(candidate) && !isSelf(candidate))
    return ToolLocation{std::string(candidate), "llvm-config's bindir " + *llvmConfigBindir_};
  return std::nullopt;
}

std::optional<ToolLocation> Toolchain::onPath(llvm::StringRef name) const {
  if (!pathAnchorDir_.empty()) {
    llvm::SmallString<256> candidate(pathAnchorDir_);
    llvm::sys::path::append(candidate, name);
    if (isExecutableFile(candidate) && !isSelf(candidate))
      return ToolLocation{std::string(candidate),
                          "the LLVM of the tools found before (" + pathAnchorDir_ + ")"};
  }
  auto tryName = [&](const std::string &n) -> std::optional<ToolLocation> {
    auto found = findInPath(n, path_);
    if (!found || isSelf(*found))
      return std::nullopt;
    // /usr/bin/clang-14 -> /usr/lib/llvm-14/bin: where its ld.lld is too.
    pathAnchorDir_ = std::string(llvm::sys::path::parent_path(followFileLinks(*found)));
    return ToolLocation{*found, "PATH (" + n + ")"};
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
  if (!envLlvm_.empty())
    return inPrefix(envLlvm_, name, "CROSSHIM_LLVM=" + envLlvm_);
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
