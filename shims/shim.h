// One shim invocation from start to end: target, configuration, tools,
// sysroot, rewriting, then running the real program.
#pragma once

#include "shims/config.h"
#include "shims/program_name.h"
#include "shims/rewrite.h"
#include "shims/sysroot.h"
#include "shims/toolchain.h"

#include "diagnostics/audit.h"
#include "diagnostics/doctor.h"
#include "diagnostics/explain.h"
#include "diagnostics/report.h"

#include "support/env.h"
#include "support/process.h"

#include <llvm/Support/Error.h>

#include <optional>
#include <string>
#include <vector>

namespace crosshim {

struct Plan {
  const Target *target = nullptr; // null: host pass-through of a masquerade name
  const ToolInfo *tool = nullptr;
  std::optional<GlibcVersion> glibcFloor;
  std::string configPath;
  std::vector<SkippedConfig> configSkipped; // crosshim.toml files not trusted
  ToolLocation program;
  std::optional<Sysroot> sysroot;
  RewriteResult command;
  std::vector<LinkToMake> links; // made by runShim before the tool starts
  // The configured launcher (launcher.h), and the same when it applies to
  // this command: runShim runs `<launcher> <clang> <args>`.
  std::vector<std::string> launcherSetting, launcher;
  // The fingerprint header a cache in front preprocesses with (launcher.h):
  // its path is on the command; runShim writes it before the tool starts.
  std::string fingerprintPath, fingerprint;
  // The environment the plan was made in; the tool runs in it, less
  // command.unsetEnv. Everything the plan read came from here.
  Env env;
};

struct PlanOptions {
  /// Use this sysroot instead of looking for one (`crosshim explain --sysroot`).
  std::optional<std::string> sysroot;
  /// A missing clang or ld.lld is named but not an error: explaining a saved
  /// link needs the target, the sysroot and the arguments, not the tools.
  bool toolsMayBeMissing = false;
};

/// Works out everything without running anything or writing any file (what
/// `which`, `explain-args` and CROSSHIM_DRY_RUN show). Every variable it
/// reads comes from `env` (the process's, Env::process(), in crosshim).
llvm::Expected<Plan> makePlan(const ProgramName &name, llvm::ArrayRef<std::string> args,
                              const Env &env, const PlanOptions &options = {});

/// Runs a shim name to the end in the environment `env`: execs the tool, or
/// spawns it and exits like it. Returns only on error.
llvm::Error runShim(const ProgramName &name, llvm::StringRef argv0,
                    llvm::ArrayRef<std::string> args, const Env &env);

/// What runLink did: how the tool ended and what the diagnostics found.
struct LinkRun {
  // The tool's end; for a link that succeeded, exitCode is finishReport's
  // verdict (1 for a finding that is an error): what crosshim exits with.
  ChildStatus status;
  std::optional<diag::Report> report; // when the diagnostics ran (a link of a known target)
};

/// The part of runShim that spawns the tool rather than exec it: a link
/// (mode Link, compiler driver or lld-link), or a command passed in a
/// response file. For a link: the checks before it, then the link (its
/// stderr passed through and kept), then the findings, printed and written
/// to CROSSHIM_REPORT (CROSSHIM_DIAGNOSE=0 in plan.env: none). `program` and
/// `argv` are what runs (the launcher applied, the response file in
/// `tmpDir`, which clang then gets as TMPDIR), `childEnv` the tool's
/// environment. An error when the tool cannot be started.
llvm::Expected<LinkRun> runLink(const Plan &plan, const std::string &program,
                                const std::vector<std::string> &argv,
                                std::vector<std::string> childEnv, const std::string &tmpDir = {});

// The pieces of a link's diagnostics, for the commands that run them outside
// a link (`crosshim explain`, `crosshim doctor`). All need plan.sysroot.

/// The directories the driver gives the linker for the target's C library.
std::vector<std::string> targetLibraryDirs(const Plan &plan);
/// Where the linker looks for -l: the link's own -L in order, then the target's.
std::vector<std::string> linkerSearchDirs(const Plan &plan);
/// What the output of a link for this target must look like.
diag::AuditExpectations auditExpectations(const Plan &plan);
/// What belongs to the target, for host-path-leak: its sysroot and the
/// target's own directories outside it (Debian cross packages, multiarch).
diag::HostPathContext hostPathContext(const Plan &plan);
/// The link's arguments, search directories, target and sysroot.
diag::LinkContext linkContext(const Plan &plan);
/// Reads what a failed link printed against the libraries it could see.
void explainFailedLink(const Plan &plan, llvm::StringRef linkerOutput, diag::Report &report);
/// Writes the report to `env`'s CROSSHIM_REPORT when it is set (safe_file.h
/// rules); the error names the file.
llvm::Error writeReportFile(const diag::Report &report, const Env &env);
/// Prints the findings (at most a screen) and writes CROSSHIM_REPORT. Returns
/// the exit status for a link that succeeded (`linked`): 1 when a finding is
/// an error (with CROSSHIM_STRICT=1: any finding) or CROSSHIM_REPORT cannot
/// be written, else 0.
int finishReport(diag::Report &report, bool linked, const Env &env);

} // namespace crosshim
