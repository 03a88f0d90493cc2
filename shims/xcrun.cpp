#include "shims/xcrun.h"

#include "shims/config.h"
#include "shims/masquerade.h"
#include "shims/toolchain.h"
#include "support/env.h"
#include "support/errors.h"
#include "support/process.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <functional>

namespace crosshim {
namespace {

// xcrun -f clang answers the shim named after the target: a build script
// runs it without -isysroot or --target and still gets the target's build.
std::string findXcrunTool(const Target &target, llvm::StringRef tool, llvm::StringRef namesDir,
                          const std::function<std::string(llvm::StringRef)> &findLlvm) {
  llvm::StringRef name = tool;
  if (name == "ld64" || name == "ld64.lld")
    name = "ld";
  if (const ToolInfo *info = crosshim::findTool(name)) // clang, gcc -> cc; clang++ -> c++
    name = info->kind == ToolKind::CCompiler     ? llvm::StringRef("cc")
           : info->kind == ToolKind::CxxCompiler ? llvm::StringRef("c++")
                                                 : name;
  if (const ToolInfo *info = crosshim::findTool(name); info && info->supports(target) &&
                                                       info->kind != ToolKind::Runner &&
                                                       info->kind != ToolKind::Xcrun) {
    const std::string shim = namesDir.str() + "/" + target.rust.str() + "-" + name.str();
    if (llvm::sys::fs::exists(shim))
      return shim;
  }
  for (const std::string &candidate : {"llvm-" + tool.str(), tool.str()}) {
    std::string found = findLlvm(candidate);
    if (!found.empty())
      return found;
  }
  return {};
}

} // namespace

llvm::Expected<XcrunAnswer>
answerXcrun(const Target &target, const Sysroot &sdk, llvm::ArrayRef<std::string> args,
            llvm::StringRef namesDir, const std::function<std::string(llvm::StringRef)> &findLlvm) {
  XcrunAnswer answer;
  std::vector<std::string> shows;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a == "--sdk" || a == "-sdk") {
      if (i + 1 >= args.size())
        return makeError(ExitCode::Usage, "xcrun: " + a.str() + " needs an SDK name");
      llvm::StringRef asked = args[++i];
      // macosx, macosx13.3, or the SDK's own path.
      if (!asked.startswith_insensitive("macosx") && asked != sdk.path) {
        answer.exitCode = 1;
        answer.output = "xcrun: error: SDK \"" + asked.str() + "\" cannot be located (" +
                        target.rust.str() + " has the macOS SDK " + sdk.path + " only)\n";
        return answer;
      }
      continue;
    }
    if (a == "--show-sdk-path" || a == "--show-sdk-version" || a == "--show-sdk-platform-version" ||
        a == "--show-sdk-platform-path" || a == "--show-sdk-build-version") {
      shows.push_back(a.str());
      continue;
    }
    if (a == "-f" || a == "--find" || a == "-r" || a == "--run") {
      if (i + 1 >= args.size())
        return makeError(ExitCode::Usage, "xcrun: " + a.str() + " needs a tool name");
      const std::string &tool = args[++i];
      const std::string path = findXcrunTool(target, tool, namesDir, findLlvm);
      if (path.empty()) {
        answer.exitCode = 1;
        answer.output =
            "xcrun: error: unable to find utility \"" + tool + "\" for " + target.rust.str() + "\n";
        return answer;
      }
      if (a == "-f" || a == "--find") {
        answer.output += path + "\n";
        continue;
      }
      answer.argv = {path};
      answer.argv.insert(answer.argv.end(), args.begin() + i + 1, args.end());
      return answer;
    }
    if (a == "-l" || a == "--log" || a == "-v" || a == "--verbose" || a == "-n" ||
        a == "--no-cache" || a == "-k" || a == "--kill-cache")
      continue;
    if (a == "--version") {
      answer.output += "xcrun version 70 (crosshim, answering for " + target.rust.str() + ")\n";
      continue;
    }
    if (a.startswith("-"))
      return makeError(ExitCode::Usage, "xcrun: unknown option " + a.str());
    // xcrun TOOL ARGS...
    const std::string path = findXcrunTool(target, a, namesDir, findLlvm);
    if (path.empty()) {
      answer.exitCode = 1;
      answer.output = "xcrun: error: unable to find utility \"" + a.str() + "\" for " +
                      target.rust.str() + "\n";
      return answer;
    }
    answer.argv = {path};
    answer.argv.insert(answer.argv.end(), args.begin() + i + 1, args.end());
    return answer;
  }
  for (const std::string &show : shows) {
    if (show == "--show-sdk-path")
      answer.output += sdk.path + "\n";
    else if (show == "--show-sdk-platform-path")
      answer.output +=
          llvm::sys::path::parent_path(llvm::sys::path::parent_path(sdk.path)).str() + "\n";
    else if (show == "--show-sdk-build-version")
      answer.output += "\n";
    else if (sdk.sdkVersion.empty())
      return makeError(ExitCode::Failure, "xcrun: the SDK " + sdk.path +
                                              " says no version (SDKSettings.json has no "
                                              "\"Version\" and the folder is not MacOSX<v>.sdk)");
    else // the SDK and the platform version: the same for macOS
      answer.output += sdk.sdkVersion + "\n";
  }
  if (shows.empty() && answer.output.empty())
    return makeError(ExitCode::Usage, "xcrun: nothing asked (--show-sdk-path, "
                                      "--show-sdk-version, -f TOOL, TOOL ARGS...)");
  return answer;
}

llvm::Error runXcrun(const ProgramName &name, llvm::StringRef argv0,
                     llvm::ArrayRef<std::string> args, const Env &env) {
  const Target *target = name.target;
  if (!target) {
    auto asked = env.get("CROSSHIM_TARGET");
    if (!asked) {
      // No target asked for: Apple's own xcrun, if this machine has one.
      auto real = findRealTool("xcrun", env.getOr("PATH"), selfExecutable());
      if (!real)
        return makeError(ExitCode::Failure,
                         "xcrun: crosshim answers xcrun for a target only: set CROSSHIM_TARGET "
                         "(x86_64-apple-darwin, aarch64-apple-darwin) or run <target>-xcrun");
      std::vector<std::string> argv{*real};
      argv.insert(argv.end(), args.begin(), args.end());
      return execProgram(*real, argv, childEnvironment(env, {}, {}));
    }
    auto found = lookupTarget(std::string(*asked));
    if (!found)
      return found.takeError();
    target = &*found;
  }
  if (!target->isDarwin())
    return makeError(ExitCode::Usage,
                     "xcrun answers for the Apple targets only, not " + target->rust.str());
  auto config = loadConfig(env);
  if (!config)
    return config.takeError();
  const TargetSettings settings = config->forTarget(*target);
  auto sdk = findSysroot(*target, settings, config->path, env);
  if (!sdk)
    return sdk.takeError();
  Toolchain toolchain(settings, config->path, env);
  // The <triple>-<tool> names next to this one, else where install-links puts them.
  std::string namesDir = llvm::sys::path::parent_path(argv0).str();
  if (namesDir.empty() || name.kind != ProgramName::Kind::Shim)
    namesDir = installedNamesDir();
  auto answer = answerXcrun(*target, *sdk, args, namesDir, [&](llvm::StringRef tool) {
    auto loc = toolchain.find(tool);
    if (loc)
      return loc->path;
    llvm::consumeError(loc.takeError());
    return std::string();
  });
  if (!answer)
    return answer.takeError();
  if (!answer->argv.empty())
    return execProgram(answer->argv.front(), answer->argv, childEnvironment(env, {}, {}));
  llvm::raw_ostream &os = answer->exitCode ? llvm::errs() : llvm::outs();
  os << answer->output;
  os.flush();
  std::exit(answer->exitCode);
}

} // namespace crosshim
