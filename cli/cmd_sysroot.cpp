// crosshim sysroot fix DIR [--dry-run] [--dev-links] [--json]: absolute
// symlinks in a sysroot rewritten as relative ones that stay inside it, and
// optionally the missing lib<name>.so links (planned by
// diagnostics/symlink_fix.*, written by setup/sysroot_fix.*). `sysroot create` and `sysroot list`
// are at the end (the work of create is in sysroot_create.*).
//
// fix:
// Exit status: 0 when no finding of severity error remains -- every fixable
// link was rewritten (with --dry-run: nothing was changed, the plan was
// printed), and links that cannot be fixed (dangling, loops, `..` escapes)
// are warnings; 1 when a rewrite failed, or DIR is missing, not a directory
// or (when something must be rewritten) not writable; 2 for a bad command
// line (and for DIR being the build machine's `/`).
#include "cli/commands.h"
#include "support/errors.h"

#include "setup/sysroot_create.h"
#include "setup/sysroot_fix.h"
#include "shims/config.h"
#include "shims/shim.h"
#include "shims/sysroot.h"
#include "shims/targets.h"

#include "diagnostics/libc_info.h"
#include "diagnostics/report.h"
#include "diagnostics/symlink_fix.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace crosshim {
namespace {

void printFixHelp(llvm::raw_ostream &os) {
  os << "usage: crosshim " << synopsisOf("sysroot", "fix") << "\n"
     << "Rewrites every absolute symlink in DIR whose target exists inside DIR (read as if DIR\n"
        "were /) as a relative link that stays inside DIR, e.g.\n"
        "  usr/lib/aarch64-linux-gnu/libm.so -> /lib/aarch64-linux-gnu/libm.so.6   becomes\n"
        "  usr/lib/aarch64-linux-gnu/libm.so -> libm.so.6\n"
        "Nothing outside DIR is written or followed. Links whose target is not in DIR, loops\n"
        "and relative links that leave DIR through `..` are reported and left as they are.\n"
        "Running it again changes nothing.\n\n"
        "  --dry-run    change nothing; print what would be rewritten\n"
        "  --dev-links  also create the lib<name>.so links that -l<name> needs where only\n"
        "               lib<name>.so.<N> is there, pointing at its DT_SONAME (not for\n"
        "               glibc's own libraries: their lib<name>.so comes from libc6-dev)\n"
        "  --json       print the report as JSON (kinds absolute-symlink, dangling-symlink,\n"
        "               missing-dev-symlink)\n\n"
        "Exit status: 0 when no error remains (links left as they are are warnings), 1 when a\n"
        "rewrite failed or DIR is missing, not a directory or not writable, 2 for usage errors.\n";
}

llvm::Error usage(const std::string &message) {
  return makeError(ExitCode::Usage, message + " (usage: crosshim " + synopsisOf("sysroot", "fix") +
                                        "; crosshim sysroot fix --help)");
}

struct FixOptions {
  bool help = false, dryRun = false, json = false, devLinks = false;
  std::string dir;
};

llvm::Expected<FixOptions> parseFixArgs(CommandArgs args) {
  FixOptions o;
  bool options = true;
  std::optional<std::string> dir;
  for (const std::string &a : args) {
    if (options && a == "--") {
      options = false;
    } else if (options && (a == "-h" || a == "--help")) {
      o.help = true;
      return o;
    } else if (options && a == "--dry-run") {
      o.dryRun = true;
    } else if (options && a == "--dev-links") {
      o.devLinks = true;
    } else if (options && a == "--json") {
      o.json = true;
    } else if (options && a.size() > 1 && a[0] == '-') {
      return usage("sysroot fix: unknown option '" + a + "'");
    } else if (dir) {
      return usage("sysroot fix takes one directory, not '" + *dir + "' and '" + a + "'");
    } else {
      dir = a;
    }
  }
  if (!dir || dir->empty())
    return usage("sysroot fix needs the sysroot directory");
  o.dir = *dir;
  return o;
}

// DIR must be a directory, and not the build machine's `/`.
llvm::Error checkFixDir(const std::string &dir) {
  struct stat st, slash;
  if (::stat(dir.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT)
      return makeError(ExitCode::Failure, "sysroot fix: " + dir + " does not exist");
    return makeError(ExitCode::Failure,
                     "sysroot fix: cannot access " + dir + ": " + std::strerror(err));
  }
  if (!S_ISDIR(st.st_mode))
    return makeError(ExitCode::Failure, "sysroot fix: " + dir + " is not a directory");
  if (::stat("/", &slash) == 0 && st.st_dev == slash.st_dev && st.st_ino == slash.st_ino)
    return makeError(ExitCode::Usage, "sysroot fix: " + dir +
                                          " is the build machine's root directory; name a "
                                          "sysroot (a directory that stands for a target's /)");
  return llvm::Error::success();
}

// What a fix planned and did (a dry run: planned only), and its findings.
struct FixOutcome {
  diag::SymlinkFixPlan plan;
  diag::SymlinkFixResult result;
  diag::DevLinkPlan devPlan;
  diag::DevLinkResult devResult;
  diag::Report report;
};

llvm::Expected<FixOutcome> carryOutFix(const FixOptions &o) {
  FixOutcome out;
  auto plan = diag::planSymlinkFixes(o.dir);
  if (!plan)
    return makeError(ExitCode::Failure,
                     "sysroot fix: " + llvm::toString(plan.takeError()) + "; nothing was changed");
  out.plan = std::move(*plan);
  if (!o.dryRun) {
    auto applied = applySymlinkFixes(out.plan);
    if (!applied)
      return makeError(ExitCode::Failure,
                       "sysroot fix: cannot rewrite " + std::to_string(out.plan.rewrites.size()) +
                           " absolute symlink(s): " + llvm::toString(applied.takeError()) +
                           " (--dry-run lists them)");
    out.result = std::move(*applied);
  }
  out.report = diag::symlinkFixReport(out.plan, o.dryRun ? nullptr : &out.result);
  if (!o.devLinks)
    return out;

  // The dev links, planned inside the root (absolute links are followed
  // there, so the plan does not depend on the rewrites above).
  auto planned = diag::planDevLinks(o.dir);
  if (!planned)
    return makeError(ExitCode::Failure, "sysroot fix: " + llvm::toString(planned.takeError()) +
                                            "; no dev link was created");
  out.devPlan = std::move(*planned);
  if (!o.dryRun) {
    auto created = applyDevLinks(out.devPlan);
    if (!created)
      return makeError(ExitCode::Failure,
                       "sysroot fix: cannot create " + std::to_string(out.devPlan.links.size()) +
                           " dev link(s): " + llvm::toString(created.takeError()) +
                           " (--dry-run lists them)");
    out.devResult = std::move(*created);
  }
  diag::addDevLinkFindings(out.devPlan, o.dryRun ? nullptr : &out.devResult, out.report);
  return out;
}

// One line per rewritten link and per created dev link, then what is left
// as it is, then a summary.
void printFixText(llvm::raw_ostream &os, const FixOptions &o, const FixOutcome &out) {
  const diag::SymlinkFixPlan &plan = out.plan;
  size_t done = 0;
  std::vector<bool> failed(plan.rewrites.size(), false);
  for (const diag::SymlinkFixFailure &f : out.result.failures)
    failed[f.rewrite] = true;
  for (size_t i = 0; i < plan.rewrites.size(); ++i) {
    if (failed[i])
      continue;
    const diag::SymlinkRewrite &rw = plan.rewrites[i];
    os << (o.dryRun ? "would rewrite " : "rewrote ") << plan.root << "/" << rw.link << ": "
       << rw.oldTarget << " -> " << rw.newTarget << "\n";
    ++done;
  }
  std::vector<bool> devFailed(out.devPlan.links.size(), false);
  for (const diag::SymlinkFixFailure &f : out.devResult.failures)
    devFailed[f.rewrite] = true;
  size_t created = 0;
  for (size_t i = 0; i < out.devPlan.links.size(); ++i) {
    if (devFailed[i])
      continue;
    const diag::DevLink &link = out.devPlan.links[i];
    os << (o.dryRun ? "would create " : "created ") << out.devPlan.root << "/" << link.link
       << " -> " << link.target << "\n";
    ++created;
  }
  diag::Report left;
  for (const diag::Finding &f : out.report.findings())
    if (f.severity != diag::Severity::Note)
      left.add(f);
  left.sortBySeverity();
  left.printText(os);

  os << "crosshim: ";
  if (plan.nothingToFix())
    os << "nothing to fix in " << plan.root << " (" << plan.linksChecked << " symlinks checked)";
  else if (done == 0 && out.result.failures.empty())
    os << "nothing to rewrite in " << plan.root;
  else
    os << (o.dryRun ? "would rewrite " : "rewrote ") << done << " absolute symlink(s) in "
       << plan.root;
  if (!out.result.failures.empty())
    os << "; " << out.result.failures.size() << " could not be rewritten";
  if (!plan.problems.empty())
    os << "; " << plan.problems.size() << " symlink(s) left as they are (see above)";
  if (o.devLinks)
    os << "; " << (o.dryRun ? "would create " : "created ") << created << " dev link(s)";
  if (!out.devResult.failures.empty())
    os << "; " << out.devResult.failures.size() << " dev link(s) could not be created";
  os << "\n";
}

llvm::Expected<int> runFix(CommandArgs args) {
  auto options = parseFixArgs(args);
  if (!options)
    return options.takeError();
  if (options->help) {
    printFixHelp(llvm::outs());
    return 0;
  }
  if (auto err = checkFixDir(options->dir))
    return err;
  auto outcome = carryOutFix(*options);
  if (!outcome)
    return outcome.takeError();
  const int status = outcome->report.hasErrors() ? 1 : 0;
  if (options->json) {
    outcome->report.sortBySeverity();
    llvm::outs() << llvm::formatv("{0:2}", outcome->report.toJson()) << "\n";
  } else {
    printFixText(llvm::outs(), *options, *outcome);
  }
  return status;
}

// ---------------------------------------------------------------- create

void printCreateHelp(llvm::raw_ostream &os) {
  os << "usage: crosshim " << synopsisOf("sysroot", "create") << "\n"
     << "Builds a sysroot for target T from Debian packages: no Docker, no root, and the\n"
        "build machine's package state is not touched (apt-get runs with a private state in\n"
        "${XDG_CACHE_HOME:-~/.cache}/crosshim/apt/<distro>-<arch>, where the downloaded .debs\n"
        "stay for the next run). The packages: libc6-dev, libgcc-12-dev, libstdc++-12-dev,\n"
        "linux-libc-dev, libcrypt-dev, the --with packages, and everything they depend on.\n"
        "For musl targets: Debian's musl build for the architecture (musl-dev, musl) and\n"
        "libgcc-12-dev (libgcc.a, crtbegin*.o), with the --with packages but without what\n"
        "they depend on (glibc); Debian has no musl libstdc++, so such a sysroot is C only.\n"
        "They are unpacked with dpkg-deb into a temp dir next to DIR, given a merged /usr\n"
        "(lib -> usr/lib), relative symlinks and the lib<name>.so dev links (`sysroot fix\n"
        "--dev-links`), an empty etc/ld.so.cache (for qemu-user), and a stamp file\n"
        "(.crosshim-sysroot) listing the packages; then the temp dir takes DIR's place in one\n"
        "rename. An interrupted or failed run leaves DIR as it was.\n\n"
        "  --target T    a Rust, clang or GNU triple (`crosshim targets`); glibc and musl\n"
        "                targets with a Debian architecture\n"
        "  --distro D    debian:bookworm (the default, and the only one for now)\n"
        "  --with PKG    another Debian package (repeatable), e.g. libsqlite3-dev; running\n"
        "                create again with more --with adds them to the packages DIR has\n"
        "  --dir DIR     default: ${XDG_DATA_HOME:-~/.local/share}/crosshim/sysroots/<triple>,\n"
        "                where the shims find it without any configuration. A DIR that\n"
        "                exists must be empty or a sysroot made by this command\n"
        "  --mirror URL  the Debian archive (default "
     << kDefaultMirror << ")\n"
     << "  --refresh     update the package lists and rebuild even when DIR has the\n"
        "                packages already (newer versions, security fixes)\n\n"
        "Progress goes to stderr on a terminal; otherwise only a summary line is printed.\n"
        "Exit status: 0 done (or DIR already up to date), 1 failed (apt's message is shown),\n"
        "2 usage errors; interrupted runs end by the same signal.\n";
}

llvm::Error createUsage(const std::string &message) {
  return makeError(ExitCode::Usage, "sysroot create: " + message + " (usage: crosshim " +
                                        synopsisOf("sysroot", "create") +
                                        "; "
                                        "crosshim sysroot create --help)");
}

llvm::Expected<int> runCreate(CommandArgs args, const Env &env) {
  std::optional<std::string> targetName, dir, distroName, mirror;
  std::vector<std::string> with;
  bool refresh = false;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a == "-h" || a == "--help") {
      printCreateHelp(llvm::outs());
      return 0;
    }
    if (a == "--refresh") {
      refresh = true;
      continue;
    }
    auto [opt, inlineValue] = a.split('=');
    std::optional<std::string> *slot = nullptr;
    if (opt == "--target")
      slot = &targetName;
    else if (opt == "--dir")
      slot = &dir;
    else if (opt == "--distro")
      slot = &distroName;
    else if (opt == "--mirror")
      slot = &mirror;
    else if (opt != "--with")
      return createUsage(a.startswith("-") ? "unknown option '" + a.str() + "'"
                                           : "unexpected argument '" + a.str() + "'");
    std::string value;
    if (a.contains('=')) {
      value = inlineValue.str();
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return createUsage(opt.str() + " needs a value");
    }
    if (value.empty())
      return createUsage(opt.str() + " needs a value");
    if (slot) {
      if (*slot && **slot != value)
        return createUsage(opt.str() + " given twice ('" + **slot + "' and '" + value + "')");
      *slot = value;
    } else {
      if (auto err = checkPackageName(value))
        return err;
      with.push_back(value);
    }
  }
  if (!targetName)
    return createUsage("--target is required");
  auto target = lookupTarget(*targetName);
  if (!target)
    return target.takeError();
  auto distro = lookupDistro(distroName.value_or("debian:bookworm"));
  if (!distro)
    return distro.takeError();
  if (auto arch = debianArchFor(*target); !arch)
    return arch.takeError();
  if (mirror && !llvm::StringRef(*mirror).startswith("http://") &&
      !llvm::StringRef(*mirror).startswith("https://") &&
      !llvm::StringRef(*mirror).startswith("file:/"))
    return createUsage("--mirror must be an http://, https:// or file:/ URL, not '" + *mirror +
                       "'");

  llvm::SmallString<256> path;
  if (dir) {
    path = *dir;
  } else {
    path = userSysrootDir(*target, env);
    if (path.empty())
      return makeError(ExitCode::Failure, "sysroot create: neither XDG_DATA_HOME nor HOME is "
                                          "set; give the sysroot's place with --dir DIR");
  }
  if (std::error_code ec = llvm::sys::fs::make_absolute(path))
    return makeError(ExitCode::Failure,
                     "sysroot create: " + path.str().str() + ": " + ec.message());
  llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
  while (path.size() > 1 && path.back() == '/')
    path.pop_back();
  if (path == "/")
    return createUsage("--dir / is the build machine's root directory");

  CreateOptions options;
  options.target = &*target;
  options.distro = &*distro;
  options.with = with;
  options.dir = path.str().str();
  if (mirror)
    options.mirror = *mirror;
  options.refresh = refresh;
  options.progress = ::isatty(STDERR_FILENO) && ::isatty(STDOUT_FILENO);
  auto result = createSysroot(options);
  if (!result) {
    if (int sig = interruptedBy()) {
      llvm::consumeError(result.takeError());
      printError("sysroot create: interrupted; " + options.dir +
                 " is as it was and the temporary directory is removed");
      // End by the same signal, as the shell expects of an interrupted program.
      std::signal(sig, SIG_DFL);
      ::raise(sig);
      return 128 + sig;
    }
    return makeError(ExitCode::Failure, "sysroot create for " + target->rust.str() + ": " +
                                            llvm::toString(result.takeError()));
  }
  const CreateResult &r = *result;
  std::string what = target->rust.str() + ", " + distro->name.str() + " " +
                     target->debianArch.str() + ", " + std::to_string(r.packages) + " packages" +
                     (r.with.empty() ? "" : " with " + llvm::join(r.with, " ")) + "; " + r.layout +
                     (r.glibc ? "; glibc " + *r.glibc : "");
  llvm::raw_ostream &os = llvm::outs();
  if (r.upToDate)
    os << "crosshim: " << r.dir << " is up to date (" << what
       << "); --refresh rebuilds it with the newest package versions\n";
  else
    os << "crosshim: " << (r.replaced ? "rebuilt " : "created ") << r.dir << " (" << what << "; "
       << r.downloaded << " downloaded) in " << llvm::formatv("{0:f1}", r.seconds) << "s\n";
  return 0;
}

// ---------------------------------------------------------------- list

void printListHelp(llvm::raw_ostream &os) {
  os << "usage: crosshim " << synopsisOf("sysroot", "list") << "\n"
     << "Shows, for each target (or only T), the sysroot the shims use, in the order they\n"
        "look: the config file's `sysroot`, CROSSHIM_SYSROOT_<TRIPLE>, crosshim's sysroot\n"
        "folder (${XDG_DATA_HOME:-~/.local/share}/crosshim/sysroots/<triple>, what `sysroot\n"
        "create` makes), then the system's layouts (Debian cross packages, multiarch, musl-dev);\n"
        "with its layout, its C library (glibc version) and, for sysroots made by `sysroot\n"
        "create`, the distribution and package count. A sysroot in crosshim's folder that a\n"
        "setting earlier in the order hides is shown too, as not used.\n";
}

std::string libcText(const Target &target, const Sysroot &sysroot) {
  if (target.isMusl())
    return "musl";
  Plan plan;
  plan.target = &target;
  plan.sysroot = sysroot;
  auto glibc = diag::findSysrootGlibc(targetLibraryDirs(plan));
  return glibc ? "glibc " + diag::glibcVersionText(glibc->version) : "glibc (version unknown)";
}

std::string stampText(llvm::StringRef dir) {
  auto stamp = readStamp(dir);
  if (!stamp) {
    llvm::consumeError(stamp.takeError());
    return "";
  }
  if (!*stamp)
    return "";
  const SysrootStamp &s = **stamp;
  return "made by crosshim sysroot create: " + s.distro + " " + s.arch + ", " +
         std::to_string(s.packages.size()) + " packages" +
         (s.with.empty() ? "" : ", with " + llvm::join(s.with, " "));
}

llvm::Expected<int> runList(CommandArgs args, const Env &env) {
  std::optional<std::string> only;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a == "-h" || a == "--help") {
      printListHelp(llvm::outs());
      return 0;
    }
    if (a == "--target" && i + 1 < args.size())
      only = args[++i];
    else if (a.startswith("--target=") && a.size() > 9)
      only = a.drop_front(9).str();
    else
      return makeError(ExitCode::Usage,
                       "sysroot list: " +
                           (a == "--target" ? std::string("--target needs a value")
                                            : "unexpected argument '" + a.str() + "'") +
                           " (usage: crosshim " + synopsisOf("sysroot", "list") + ")");
  }
  std::vector<const Target *> targets;
  if (only) {
    auto t = lookupTarget(*only);
    if (!t)
      return t.takeError();
    targets.push_back(&*t);
  } else {
    for (const Target &t : allTargets())
      targets.push_back(&t);
  }
  auto config = loadConfig(env);
  if (!config)
    return config.takeError();

  llvm::raw_ostream &os = llvm::outs();
  for (const Target *t : targets) {
    os << t->rust << "\n";
    auto found = findSysroot(*t, config->forTarget(*t), config->path, env);
    std::string used;
    if (found) {
      used = found->path;
      os << "  " << found->path << "  [" << describeLayout(*found) << "]  " << libcText(*t, *found)
         << "\n    from: " << found->source << "\n";
      if (std::string made = stampText(found->path); !made.empty())
        os << "    " << made << "\n";
    } else {
      llvm::consumeError(found.takeError());
      os << "  none";
      if (t->isGlibc())
        os << " (crosshim sysroot create --target " << t->rust << " makes one)";
      os << "\n";
    }
    const std::string user = userSysrootDir(*t, env);
    if (!user.empty() && user != used && llvm::sys::fs::is_directory(user)) {
      Sysroot s = classifySysroot(*t, user);
      os << "  " << user << "  [" << describeLayout(s) << "]  " << libcText(*t, s)
         << "\n    not used: " << (found ? found->source : std::string("an error above"))
         << " comes first\n";
      if (std::string made = stampText(user); !made.empty())
        os << "    " << made << "\n";
    }
  }
  return 0;
}

} // namespace

llvm::Expected<int> cmdSysroot(CommandArgs args, const Env &env) {
  const llvm::ArrayRef<SubcommandInfo> subs = commandInfo("sysroot").subcommands;
  std::string subcommands = "the sysroot subcommands are:";
  for (const SubcommandInfo &sub : subs)
    subcommands += std::string(&sub == subs.begin() ? " " : ", ") + sub.name + " (crosshim " +
                   sub.synopsis + ")";
  if (args.empty())
    return makeError(ExitCode::Usage, "sysroot needs a subcommand; " + subcommands);
  if (args[0] == "-h" || args[0] == "--help") {
    llvm::outs() << "usage: crosshim " << synopsisOf("sysroot") << "\n";
    for (const SubcommandInfo &sub : subs)
      llvm::outs() << "  crosshim " << sub.synopsis << "\n";
    llvm::outs() << "crosshim sysroot <subcommand> --help describes each.\n";
    return 0;
  }
  if (args[0] == "fix")
    return runFix(args.drop_front());
  if (args[0] == "create")
    return runCreate(args.drop_front(), env);
  if (args[0] == "list")
    return runList(args.drop_front(), env);
  return makeError(ExitCode::Usage, "unknown sysroot subcommand '" + args[0] + "'; " + subcommands);
}

} // namespace crosshim
