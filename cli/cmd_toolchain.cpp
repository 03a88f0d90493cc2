// crosshim toolchain cmake|meson --target T [-o FILE]: a CMake toolchain file
// or a Meson cross file naming the installed shims, the runner and the
// target's sysroot (the text comes from toolchain_files.cpp).
#include "cli/commands.h"

#include "setup/toolchain_files.h"
#include "shims/config.h"
#include "shims/launcher.h"
#include "shims/sysroot.h"
#include "shims/toolchain.h"
#include "support/safe_file.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <optional>

namespace crosshim {
namespace {

void printToolchainHelp(llvm::raw_ostream &os) {
  os << "usage: crosshim " << synopsisOf("toolchain") << "\n"
     << "Prints a CMake toolchain file (cmake) or a Meson cross file (meson) for target T:\n"
        "the installed shim names as compilers and binutils, the runner <triple>-run as\n"
        "CMAKE_CROSSCOMPILING_EMULATOR / exe_wrapper (ctest and meson test run the tests\n"
        "under qemu-user), the <triple>-pkg-config shim when it is installed, and what the\n"
        "sysroot the shims use now needs (CMAKE_SYSROOT or a find root, multiarch dirs).\n\n"
        "  --target T     the target (crosshim targets lists them)\n"
        "  -o FILE        write FILE instead of printing: a regular file atomically (a\n"
        "                 temporary file renamed into place), a device or FIFO in place,\n"
        "                 a symlink's target through the link\n"
        "  --force        replace FILE even when it is read-only\n"
        "  --cache C      the compilers run their compiles through the cache C (ccache or\n"
        "                 sccache) behind the shims (CROSSHIM_LAUNCHER=C through env)\n"
        "  --launcher L   the same for the compile farm L (distcc or icecc)\n\n"
        "  cmake -DCMAKE_TOOLCHAIN_FILE=FILE ...     meson setup --cross-file FILE BUILDDIR\n\n"
        "Exit status: 0; 1 when the shim names are not installed, T has no sysroot or FILE\n"
        "cannot be written; 2 for usage errors.\n";
}

llvm::Error usage(const std::string &message) {
  return makeError(ExitCode::Usage, message + " (usage: crosshim " + synopsisOf("toolchain") +
                                        "; crosshim toolchain --help)");
}

// The names the generated file points at must be installed.
llvm::Error checkShims(const std::string &dir, const Target &target) {
  for (const char *tool : {"cc", "c++", "ar", "ranlib", "strip", "run"}) {
    std::string path = dir + "/" + target.rust.str() + "-" + tool;
    if (!llvm::sys::fs::exists(path) || !isSelf(path))
      return makeError(ExitCode::Failure,
                       path + " is not installed (a link to crosshim), and the file would name "
                              "it; run `crosshim install-links` (or cmake --install) first");
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<int> cmdToolchain(CommandArgs args, const Env &env) {
  std::optional<std::string> kind, targetName, output, cache, launcher;
  WriteOptions writeOptions;
  writeOptions.forceHint = "--force replaces it";
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a == "-h" || a == "--help") {
      printToolchainHelp(llvm::outs());
      return 0;
    }
    if (isOption(a, "--target")) {
      if (!(targetName = optionValue(args, i, "--target")))
        return usage("--target needs a value");
    } else if (isOption(a, "--cache")) {
      if (!(cache = optionValue(args, i, "--cache")))
        return usage("--cache needs a value");
    } else if (isOption(a, "--launcher")) {
      if (!(launcher = optionValue(args, i, "--launcher")))
        return usage("--launcher needs a value");
    } else if (a == "-o" || isOption(a, "--output")) {
      const llvm::StringRef option = a == "-o" ? "-o" : "--output";
      if (!(output = optionValue(args, i, option)))
        return usage(option.str() + " needs a file name");
    } else if (a == "--force") {
      writeOptions.force = true;
    } else if (a.startswith("-")) {
      return usage("toolchain: unknown option '" + a.str() + "'");
    } else if (kind) {
      return usage("toolchain: one kind of file at a time ('" + *kind + "' and '" + a.str() + "')");
    } else if (a == "cmake" || a == "meson") {
      kind = a.str();
    } else {
      return usage("toolchain: unknown file kind '" + a.str() + "' (cmake or meson)");
    }
  }
  auto chosenLauncher = launcherFromOptions(cache, launcher);
  if (!chosenLauncher)
    return chosenLauncher.takeError();
  if (!kind)
    return usage("toolchain needs the kind of file: cmake or meson");
  if (!targetName)
    return usage("toolchain needs --target (crosshim targets lists them)");
  auto target = lookupTarget(*targetName);
  if (!target)
    return target.takeError();

  ToolchainFileInputs in;
  in.target = &*target;
  in.shimDir = installedNamesDir();
  in.launcher = *chosenLauncher;
  if (auto err = checkShims(in.shimDir, *target))
    return err;
  in.pkgConfigShim = isSelf(in.shimDir + "/" + target->rust.str() + "-pkg-config");
  auto config = loadConfig(env);
  if (!config)
    return config.takeError();
  auto sysroot = findSysroot(*target, config->forTarget(*target), config->path, env);
  if (!sysroot)
    return sysroot.takeError();
  in.sysroot = std::move(*sysroot);

  const std::string text = *kind == "cmake" ? cmakeToolchainFile(in) : mesonCrossFile(in);
  if (!output) {
    llvm::outs() << text;
    return 0;
  }
  if (auto err = writeFileSafely(*output, text, writeOptions))
    return err;
  return 0;
}

} // namespace crosshim
