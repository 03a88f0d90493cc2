// crosshim explain-args NAME ARGS...: the whole rewrite, rule by rule.
#include "cli/commands.h"
#include "shims/program_name.h"
#include "shims/shim.h"
#include "support/errors.h"

#include <llvm/Support/raw_ostream.h>

namespace crosshim {

llvm::Expected<int> cmdExplainArgs(CommandArgs args, const Env &env) {
  if (args.empty())
    return makeError(ExitCode::Usage, "explain-args needs a shim name, e.g. "
                                      "crosshim explain-args aarch64-unknown-linux-gnu-cc -c x.c");
  auto name = parseProgramName(args[0]);
  if (!name)
    return name.takeError();
  if (name->kind == ProgramName::Kind::Main)
    return makeError(ExitCode::Usage, "explain-args needs a shim name, not 'crosshim'");
  auto plan = makePlan(*name, args.drop_front(), env);
  if (!plan)
    return plan.takeError();

  llvm::raw_ostream &os = llvm::outs();
  const RewriteResult &cmd = plan->command;
  if (plan->target)
    os << "target:  " << plan->target->rust << "\n";
  else
    os << "target:  none (host pass-through)\n";
  os << "program: " << plan->program.path << "  (" << plan->program.reason << ")\n";
  if (plan->sysroot)
    os << "sysroot: " << plan->sysroot->path << " [" << describeLayout(*plan->sysroot) << "] from "
       << plan->sysroot->source << "\n";
  if (plan->glibcFloor)
    os << "glibc floor: " << plan->glibcFloor->str() << " (checked after the link)\n";
  os << "config:  " << (plan->configPath.empty() ? "(none)" : plan->configPath) << "\n";
  for (const SkippedConfig &s : plan->configSkipped)
    os << "skipped: " << s.path << " (" << s.reason << ")\n";
  os << "mode:    " << modeName(cmd.mode)
     << (cmd.mode == Mode::Link ? " (spawn, wait, pass the status through)" : " (exec)") << "\n";
  os << "rewrites:\n";
  if (cmd.rewrites.empty())
    os << "  (none)\n";
  const RuleInfo *last = nullptr;
  for (const Rewrite &r : cmd.rewrites) {
    os << "  [" << r.rule->name << "] " << r.change << "\n";
    if (r.rule != last)
      os << "      why: " << r.rule->reason << "\n";
    last = r.rule;
  }
  if (!cmd.unsetEnv.empty()) {
    os << "  [host-env-paths] unset";
    for (const std::string &v : cmd.unsetEnv)
      os << " " << v;
    os << "\n      why: " << rule("host-env-paths").reason << "\n";
  }
  for (const LinkToMake &l : plan->links)
    os << "link:    " << l.link << " -> " << l.target << "  (made when it runs)\n";
  if (cmd.answer)
    os << "answer:  " << llvm::StringRef(*cmd.answer).rtrim('\n') << " (printed; nothing runs)\n";
  else
    os << "final:   " << shellJoin(cmd.argv) << "\n";
  if (cmd.stdinText && !cmd.answer) {
    os << "stdin:\n";
    for (llvm::StringRef line : llvm::split(llvm::StringRef(*cmd.stdinText).rtrim('\n'), '\n'))
      os << "  " << line << "\n";
  }
  return 0;
}

} // namespace crosshim
