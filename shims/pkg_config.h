// `<triple>-pkg-config` (and the GNU spelling `aarch64-linux-gnu-pkg-config`
// that autoconf's PKG_CHECK_MODULES looks for with --host): the system
// pkg-config or pkgconf, made to read only the target sysroot's .pc files.
//
// The child gets PKG_CONFIG_LIBDIR = the sysroot's .pc directories (which
// replaces pkg-config's built-in host directories), PKG_CONFIG_SYSROOT_DIR =
// the sysroot when the .pc files inside it name paths as the target sees them
// (/usr/lib/<multiarch>), and no PKG_CONFIG_PATH: a user's PKG_CONFIG_PATH
// almost always names host directories, which is exactly the leak this shim
// exists to stop. The host target runs pkg-config untouched.
#pragma once

#include "shims/sysroot.h"
#include "shims/targets.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/raw_ostream.h>

#include <string>
#include <vector>

namespace crosshim {

/// Where pkg-config looks for a target, decided by the sysroot's layout alone
/// (no file system access: directories that do not exist are harmless).
struct PkgConfigSearch {
  bool passThrough = false;         // the host target: pkg-config as it is
  std::vector<std::string> libdirs; // PKG_CONFIG_LIBDIR, in search order
  std::string sysrootDir;           // PKG_CONFIG_SYSROOT_DIR; empty: unset it
};

PkgConfigSearch pkgConfigSearch(const Target &target, const Sysroot &sysroot);

/// The child's environment changes for a search.
struct PkgConfigEnv {
  std::vector<std::string> set;   // NAME=value
  std::vector<std::string> unset; // NAME
};

PkgConfigEnv pkgConfigEnvironment(const PkgConfigSearch &search);

struct PkgConfigPlan {
  std::string program; // the system pkg-config (or pkgconf)
  std::vector<std::string> argv;
  Sysroot sysroot;
  PkgConfigSearch search;
  PkgConfigEnv env;
};

/// The system pkg-config, then pkgconf, on `pathEnv`, skipping crosshim
/// (`self`). Not found: exit 127 naming the Debian package.
llvm::Expected<std::string> findSystemPkgConfig(llvm::StringRef pathEnv, llvm::StringRef self);

/// Everything but running it.
llvm::Expected<PkgConfigPlan> planPkgConfig(const Target &target, const Sysroot &sysroot,
                                            llvm::ArrayRef<std::string> args,
                                            llvm::StringRef pathEnv, llvm::StringRef self);

/// The plan with the target's sysroot found as the compiler shims find it
/// (configuration, CROSSHIM_SYSROOT_<TRIPLE>, crosshim's folder, the system).
llvm::Expected<PkgConfigPlan>
planPkgConfigForTarget(const Target &target, llvm::ArrayRef<std::string> args, const Env &env);

/// `env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR=... /usr/bin/pkg-config ARGS`:
/// what CROSSHIM_DRY_RUN=1 prints.
std::string pkgConfigCommandLine(const PkgConfigPlan &plan);

/// What `crosshim which <triple>-pkg-config` prints below the name.
void describePkgConfig(const PkgConfigPlan &plan, llvm::raw_ostream &os);

/// `<triple>-pkg-config ARGS...`: execs pkg-config, whose exit status and
/// output become ours. Returns only on error.
llvm::Error runPkgConfig(const Target &target, llvm::ArrayRef<std::string> args, const Env &env);

} // namespace crosshim
