// crosshim init --target T... [--dir DIR] [--force] [--dry-run]: the
// project's .cargo/config.toml gets, for each target, the linker, the runner
// and the C toolchain and pkg-config variables of cc-rs and the pkg-config
// crate (cargo_config.h), all pointing at the installed shim names.
#include "cli/commands.h"
#include "support/errors.h"

#include "setup/cargo_config.h"
#include "shims/launcher.h"
#include "shims/toolchain.h"
#include "support/safe_file.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

namespace crosshim {
namespace {

constexpr uint64_t kMaxCargoConfigBytes = 16 << 20;

void printInitHelp(llvm::raw_ostream &os) {
  os << "usage: crosshim " << synopsisOf("init") << "\n"
     << "Writes into DIR/.cargo/config.toml (DIR: the current directory), for each target T:\n"
        "  [target.T] linker and runner (<triple>-cc, <triple>-run), and in [env]\n"
        "  CC_<t>, CXX_<t>, AR_<t>, RANLIB_<t> for cc-rs and PKG_CONFIG_<t>,\n"
        "  PKG_CONFIG_ALLOW_CROSS_<t> for the pkg-config crate (<t>: T with '_' for '-'),\n"
        "  for *-pc-windows-msvc: linker <triple>-link, CC_/CXX_ <triple>-cl, AR_ <triple>-lib,\n"
        "as absolute paths to the installed shim names. The rest of the file is kept as it\n"
        "is: crosshim's entries sit between marker comments (a second run replaces them), in\n"
        "the file's own [env] and [target.T] sections when it has them.\n\n"
        "  --target T  a target (repeat for several; crosshim targets lists them)\n"
        "  --dir DIR   the project directory (default: .)\n"
        "  --cache C   compile the C and C++ code through the cache C (ccache or sccache)\n"
        "              behind the shims: [env] CROSSHIM_LAUNCHER = \"C\"\n"
        "  --launcher L  the same for the compile farm L (distcc or icecc)\n"
        "  --force     replace keys the file already sets to other values (the old lines\n"
        "              are commented out), and a read-only config.toml (its mode is\n"
        "              kept); without it either is an error\n"
        "  --dry-run   write nothing; print the change as a diff (and where the file is\n"
        "              written when config.toml is a symlink)\n\n"
        "A symlinked config.toml is written through (the link stays); a FIFO or a device\n"
        "there is refused.\n\n"
        "Exit status: 0 when written (or nothing to change), 1 when the shim names are not\n"
        "installed or the file cannot be written, 2 for usage errors, invalid TOML and\n"
        "conflicting keys.\n";
}

llvm::Error usage(const std::string &message) {
  return makeError(ExitCode::Usage,
                   message + " (usage: crosshim " + synopsisOf("init") + "; crosshim init --help)");
}

struct InitOptions {
  bool help = false, force = false, dryRun = false;
  std::vector<const Target *> targets;
  std::string dir = ".";
  std::optional<std::string> cache, launcher;
};

llvm::Expected<InitOptions> parseInitArgs(CommandArgs args) {
  InitOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a == "-h" || a == "--help") {
      o.help = true;
      return o;
    }
    if (isOption(a, "--target")) {
      auto name = optionValue(args, i, "--target");
      if (!name)
        return usage("--target needs a value");
      auto target = lookupTarget(*name);
      if (!target)
        return target.takeError();
      if (!llvm::is_contained(o.targets, &*target))
        o.targets.push_back(&*target);
    } else if (isOption(a, "--dir")) {
      auto d = optionValue(args, i, "--dir");
      if (!d)
        return usage("--dir needs a value");
      o.dir = *d;
    } else if (isOption(a, "--cache") || isOption(a, "--launcher")) {
      const llvm::StringRef option = isOption(a, "--cache") ? "--cache" : "--launcher";
      auto v = optionValue(args, i, option);
      if (!v)
        return usage(option.str() + " needs a value");
      (option == "--cache" ? o.cache : o.launcher) = *v;
    } else if (a == "--force") {
      o.force = true;
    } else if (a == "--dry-run") {
      o.dryRun = true;
    } else {
      return usage("init: unexpected argument '" + a.str() + "'");
    }
  }
  return o;
}

// The installed names the configuration points at:
// <prefix>/bin/crosshim -> <prefix>/lib/crosshim/bin.
llvm::Error checkInstalledNames(llvm::ArrayRef<const Target *> targets,
                                const std::string &namesDir) {
  for (const Target *t : targets) {
    const CargoTools tools = cargoToolsFor(*t);
    for (llvm::StringRef tool :
         {tools.linker, tools.cc, tools.cxx, tools.ar, llvm::StringRef("ranlib"),
          llvm::StringRef("run"), llvm::StringRef("pkg-config")}) {
      const std::string name = namesDir + "/" + t->rust.str() + "-" + tool.str();
      if (!llvm::sys::fs::exists(name))
        return makeError(ExitCode::Failure, "init: " + name +
                                                " is not installed (crosshim install-links "
                                                "--target " +
                                                t->rust.str() + " makes it)");
    }
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<int> cmdInit(CommandArgs args, const Env & /*env*/) {
  auto options = parseInitArgs(args);
  if (!options)
    return options.takeError();
  if (options->help) {
    printInitHelp(llvm::outs());
    return 0;
  }
  const std::vector<const Target *> &targets = options->targets;
  const std::string &dir = options->dir;
  const bool force = options->force, dryRun = options->dryRun;
  auto chosenLauncher = launcherFromOptions(options->cache, options->launcher);
  if (!chosenLauncher)
    return chosenLauncher.takeError();
  if (targets.empty())
    return usage("init needs at least one --target (crosshim targets lists them)");
  if (!llvm::sys::fs::is_directory(dir))
    return makeError(ExitCode::Failure, "init: " + dir + " is not a directory");
  const std::string namesDir = installedNamesDir();
  if (auto err = checkInstalledNames(targets, namesDir))
    return err;

  // cargo reads .cargo/config.toml, or the older .cargo/config.
  llvm::SmallString<256> cargoDir(dir);
  llvm::sys::path::append(cargoDir, ".cargo");
  std::string file = (cargoDir + "/config.toml").str();
  if (!llvm::sys::fs::exists(file) && llvm::sys::fs::exists(cargoDir + "/config"))
    file = (cargoDir + "/config").str();

  std::string before;
  if (llvm::sys::fs::exists(file)) {
    // A regular file of sane size: a FIFO there would make init wait for
    // ever, a device would never end.
    auto text = readFileBounded(file, "cargo configuration", {kMaxCargoConfigBytes});
    if (!text)
      return makeError(ExitCode::Failure, "init: " + llvm::toString(text.takeError()));
    before = std::move(*text);
  }
  WriteOptions writeOptions;
  writeOptions.force = force;
  writeOptions.forceHint = "--force replaces it (keeping the mode)";
  std::vector<CargoEntry> entries = cargoEntriesFor(targets, namesDir);
  // cargo gives [env] to build scripts, and cc-rs's compiles through the
  // shims then run behind the launcher.
  if (!chosenLauncher->empty())
    entries.push_back({{"env"}, "CROSSHIM_LAUNCHER", *chosenLauncher});
  auto edit = editCargoConfig(before, file, entries, force);
  if (!edit)
    return edit.takeError();

  llvm::raw_ostream &os = llvm::outs();
  if (dryRun) {
    std::string diff = unifiedDiff(before, edit->text, before.empty() ? "/dev/null" : file, file);
    if (diff.empty()) {
      os << "crosshim: " << file << " already has everything; nothing to change\n";
      return 0;
    }
    // What the write would do to the file itself (through a symlink, a
    // read-only file refused), before the change.
    if (llvm::sys::fs::is_directory(cargoDir)) {
      auto plan = planWrite(file, writeOptions);
      if (!plan)
        return makeError(ExitCode::Failure, "init: " + llvm::toString(plan.takeError()));
      if (plan->throughSymlink || plan->kind == WritePlan::Kind::Direct)
        os << "crosshim: " << plan->describe() << "\n";
    }
    os << diff;
    return 0;
  }
  if (edit->text == before) {
    os << "crosshim: " << file << " already has everything; nothing changed\n";
    return 0;
  }
  if (std::error_code ec = llvm::sys::fs::create_directories(cargoDir))
    return makeError(ExitCode::Failure,
                     "init: cannot create " + cargoDir.str().str() + ": " + ec.message());
  if (auto err = writeFileSafely(file, edit->text, writeOptions))
    return makeError(ExitCode::Failure, "init: " + llvm::toString(std::move(err)));
  for (const std::string &r : edit->replaced)
    os << "crosshim: replaced " << r << "\n";
  os << "crosshim: wrote linker, runner and the C toolchain for ";
  for (size_t i = 0; i < targets.size(); ++i)
    os << (i ? ", " : "") << targets[i]->rust;
  os << " into " << file << "\n";
  return 0;
}

} // namespace crosshim
