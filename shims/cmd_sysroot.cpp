// crosshim sysroot fix DIR [--dry-run] [--dev-links] [--json]: absolute
// symlinks in a sysroot rewritten as relative ones that stay inside it, and
// optionally the missing lib<name>.so links (the logic is
// diagnostics/symlink_fix.*). Other `sysroot` subcommands come later.
//
// Exit status: 0 when no finding of severity error remains -- every fixable
// link was rewritten (with --dry-run: nothing was changed, the plan was
// printed), and links that cannot be fixed (dangling, loops, `..` escapes)
// are warnings; 1 when a rewrite failed, or DIR is missing, not a directory
// or (when something must be rewritten) not writable; 2 for a bad command
// line (and for DIR being the build machine's `/`).
#include "commands.h"
#include "errors.h"

#include "report.h"
#include "symlink_fix.h"

#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/raw_ostream.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <sys/stat.h>

namespace crosshim {
namespace {

constexpr const char *kFixSynopsis = "sysroot fix DIR [--dry-run] [--dev-links] [--json]";

void printFixHelp(llvm::raw_ostream &os) {
  os << "usage: crosshim " << kFixSynopsis << "\n"
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
  return makeError(ExitCode::Usage, message + " (usage: crosshim " + kFixSynopsis +
                                        "; crosshim sysroot fix --help)");
}

llvm::Expected<int> runFix(CommandArgs args) {
  bool dryRun = false, json = false, devLinks = false, options = true;
  std::optional<std::string> dir;
  for (const std::string &a : args) {
    if (options && a == "--") {
      options = false;
    } else if (options && (a == "-h" || a == "--help")) {
      printFixHelp(llvm::outs());
      return 0;
    } else if (options && a == "--dry-run") {
      dryRun = true;
    } else if (options && a == "--dev-links") {
      devLinks = true;
    } else if (options && a == "--json") {
      json = true;
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

  struct stat st, slash;
  if (::stat(dir->c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT)
      return makeError(ExitCode::Failure, "sysroot fix: " + *dir + " does not exist");
    return makeError(ExitCode::Failure,
                     "sysroot fix: cannot access " + *dir + ": " + std::strerror(err));
  }
  if (!S_ISDIR(st.st_mode))
    return makeError(ExitCode::Failure, "sysroot fix: " + *dir + " is not a directory");
  if (::stat("/", &slash) == 0 && st.st_dev == slash.st_dev && st.st_ino == slash.st_ino)
    return makeError(ExitCode::Usage, "sysroot fix: " + *dir +
                                          " is the build machine's root directory; name a "
                                          "sysroot (a directory that stands for a target's /)");

  auto plan = diag::planSymlinkFixes(*dir);
  if (!plan)
    return makeError(ExitCode::Failure,
                     "sysroot fix: " + llvm::toString(plan.takeError()) + "; nothing was changed");

  diag::SymlinkFixResult result;
  if (!dryRun) {
    auto applied = diag::applySymlinkFixes(*plan);
    if (!applied)
      return makeError(ExitCode::Failure,
                       "sysroot fix: cannot rewrite " + std::to_string(plan->rewrites.size()) +
                           " absolute symlink(s): " + llvm::toString(applied.takeError()) +
                           " (--dry-run lists them)");
    result = std::move(*applied);
  }
  diag::Report report = diag::symlinkFixReport(*plan, dryRun ? nullptr : &result);

  // The dev links, planned inside the root (absolute links are followed
  // there, so the plan does not depend on the rewrites above).
  diag::DevLinkPlan devPlan;
  diag::DevLinkResult devResult;
  if (devLinks) {
    auto planned = diag::planDevLinks(*dir);
    if (!planned)
      return makeError(ExitCode::Failure, "sysroot fix: " + llvm::toString(planned.takeError()) +
                                              "; no dev link was created");
    devPlan = std::move(*planned);
    if (!dryRun) {
      auto created = diag::applyDevLinks(devPlan);
      if (!created)
        return makeError(ExitCode::Failure,
                         "sysroot fix: cannot create " + std::to_string(devPlan.links.size()) +
                             " dev link(s): " + llvm::toString(created.takeError()) +
                             " (--dry-run lists them)");
      devResult = std::move(*created);
    }
    diag::addDevLinkFindings(devPlan, dryRun ? nullptr : &devResult, report);
  }
  const int status = report.hasErrors() ? 1 : 0;

  llvm::raw_ostream &os = llvm::outs();
  if (json) {
    report.sortBySeverity();
    os << llvm::formatv("{0:2}", report.toJson()) << "\n";
    return status;
  }

  // One line per rewritten link, then what is left as it is.
  size_t done = 0;
  std::vector<bool> failed(plan->rewrites.size(), false);
  for (const diag::SymlinkFixFailure &f : result.failures)
    failed[f.rewrite] = true;
  for (size_t i = 0; i < plan->rewrites.size(); ++i) {
    if (failed[i])
      continue;
    const diag::SymlinkRewrite &rw = plan->rewrites[i];
    os << (dryRun ? "would rewrite " : "rewrote ") << plan->root << "/" << rw.link << ": "
       << rw.oldTarget << " -> " << rw.newTarget << "\n";
    ++done;
  }
  std::vector<bool> devFailed(devPlan.links.size(), false);
  for (const diag::SymlinkFixFailure &f : devResult.failures)
    devFailed[f.rewrite] = true;
  size_t created = 0;
  for (size_t i = 0; i < devPlan.links.size(); ++i) {
    if (devFailed[i])
      continue;
    const diag::DevLink &link = devPlan.links[i];
    os << (dryRun ? "would create " : "created ") << devPlan.root << "/" << link.link << " -> "
       << link.target << "\n";
    ++created;
  }
  diag::Report left;
  for (const diag::Finding &f : report.findings())
    if (f.severity != diag::Severity::Note)
      left.add(f);
  left.sortBySeverity();
  left.printText(os);

  os << "crosshim: ";
  if (plan->nothingToFix())
    os << "nothing to fix in " << plan->root << " (" << plan->linksChecked << " symlinks checked)";
  else if (done == 0 && result.failures.empty())
    os << "nothing to rewrite in " << plan->root;
  else
    os << (dryRun ? "would rewrite " : "rewrote ") << done << " absolute symlink(s) in "
       << plan->root;
  if (!result.failures.empty())
    os << "; " << result.failures.size() << " could not be rewritten";
  if (!plan->problems.empty())
    os << "; " << plan->problems.size() << " symlink(s) left as they are (see above)";
  if (devLinks)
    os << "; " << (dryRun ? "would create " : "created ") << created << " dev link(s)";
  if (!devResult.failures.empty())
    os << "; " << devResult.failures.size() << " dev link(s) could not be created";
  os << "\n";
  return status;
}

} // namespace

llvm::Expected<int> cmdSysroot(CommandArgs args) {
  if (args.empty())
    return makeError(ExitCode::Usage, std::string("sysroot needs a subcommand: fix (crosshim ") +
                                          kFixSynopsis + ")");
  if (args[0] == "fix")
    return runFix(args.drop_front());
  return makeError(ExitCode::Usage, "unknown sysroot subcommand '" + args[0] +
                                        "'; the sysroot subcommands are: fix (crosshim " +
                                        kFixSynopsis + ")");
}

} // namespace crosshim
