// Caches and compile farms around crosshim.
//
// Behind crosshim (the way the README recommends): `launcher = "sccache"` in
// crosshim.toml or CROSSHIM_LAUNCHER=sccache. crosshim works out the whole
// clang command (absolute clang, --target, --sysroot, the target's and the
// configuration's flags) and runs an object compile as `<launcher> <clang>
// <args>`, like CMake's <LANG>_COMPILER_LAUNCHER. The cache or the farm sees
// a plain, explicit clang command: what decides the object is in its key or
// on the remote's command line, and the remote needs only the same clang.
//
// In front of crosshim (`ccache <shim>`, `CC="sccache <shim>"`, /usr/lib/ccache
// before the masquerade folder): those tools key on the shim's file and the
// arguments, which do not show the target of a masquerade name, the sysroot,
// crosshim.toml, CROSSHIM_* or the LLVM crosshim found. Two answers:
//  - `<shim> --crosshim-fingerprint` prints all of that, for ccache's
//    compiler_check;
//  - when ccache or sccache runs a shim to preprocess (-E), the output gets a
//    fingerprint header: its path and a `#pragma crosshim fingerprint` line
//    (kept by -P) change the preprocessed text, which both tools hash, and the
//    header names __TIME__, which makes ccache leave its direct mode (whose
//    key never sees the preprocessed text) for that compile.
//  The header cannot reach ccache's key where ccache never preprocesses or
//  keeps its direct mode anyway (depend mode, sloppiness = time_macros):
//  there a compile under ccache without the fingerprint as compiler_check
//  is refused, so no such entry is ever stored.
// distcc and icecream in front send the shim's name to a server that does not
// know what it means: crosshim refuses to preprocess for them.
#pragma once

#include "shims/config.h"
#include "shims/program_name.h"
#include "shims/rewrite.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Error.h>

#include <optional>
#include <string>
#include <vector>

namespace crosshim {

/// The launcher command: CROSSHIM_LAUNCHER (split like CFLAGS; set and empty
/// means none) over the configuration's `launcher`. Empty: none.
std::vector<std::string> launcherCommand(const TargetSettings &settings, const Env &env);

/// Whether a driver command goes through the launcher: a C or C++ compile
/// to an object or assembly (-c, -S), not a preprocessing-only run.
bool launcherApplies(const ToolInfo &tool, llvm::ArrayRef<std::string> userArgs);

/// Prepends the launcher to a rewritten clang command: finds its program on
/// `env`'s PATH (never crosshim itself) and names clang as launchers can pass it on
/// (/usr/bin/clang-N for the same file: distccd allows /usr/bin/<name> of
/// its allow-list folder, not /usr/lib/llvm-N/bin/clang). Returns the
/// program to execute.
llvm::Expected<std::string> applyLauncher(llvm::ArrayRef<std::string> launcher,
                                          std::vector<std::string> &argv, const Env &env);

/// Which cache or compile farm ran this process (its parent's executable).
enum class ToolInFront { None, Ccache, Sccache, Distcc, Icecc };
ToolInFront toolInFront();

/// What decides a compile's output besides the user's arguments: crosshim
/// itself, the real clang (path, size, mtime), the target and the flags
/// crosshim adds (sysroot, configuration), the variables it removes, the
/// launcher. Multi-line text whose first line is `crosshim-fingerprint <sha1>`.
std::string fingerprintText(const std::string &target, const RewriteResult &command,
                            llvm::ArrayRef<std::string> launcher);

/// Why ccache in front would key this compile without the fingerprint: its
/// depend mode (for a compile that writes dependencies: -MD, -MMD) or
/// sloppiness = time_macros keep a direct-mode key, which never sees the
/// fingerprint header, and compiler_check does not run
/// `--crosshim-fingerprint`. Asks the ccache that runs us (`ccache -p` in
/// `env`, the configuration it read); "" when the key is sound or ccache
/// cannot be asked.
std::string ccacheKeyGap(llvm::ArrayRef<std::string> userArgs, const Env &env);

/// The same for a masquerade name that runs the host's compiler `real`.
std::string hostFingerprintText(const std::string &real);

/// The fingerprint's hex digest (of fingerprintText's other lines).
std::string fingerprintDigest(llvm::StringRef text);

/// Where the fingerprint header for `text` goes: <cache>/fingerprints/<digest>.h
/// with `env`'s cache folder (an error when there is none). Makes nothing.
llvm::Expected<std::string> fingerprintHeaderPath(llvm::StringRef text, const Env &env);

/// Makes the header at `path` for `text` unless it is there already.
llvm::Error writeFingerprintHeader(llvm::StringRef path, llvm::StringRef text);

/// Both: makes (once) the header for `text` and returns its path.
llvm::Expected<std::string> fingerprintHeader(llvm::StringRef text, const Env &env);

/// The launcher `crosshim init`, `env` and `toolchain` write for `--cache
/// ccache|sccache` or `--launcher distcc|icecc`; "" when neither is given.
llvm::Expected<std::string> launcherFromOptions(const std::optional<std::string> &cache,
                                                const std::optional<std::string> &launcher);

/// True for a program that is a compiler wrapper (ccache, sccache, distcc,
/// icecc), by the name of the file it resolves to.
bool isCompilerWrapper(llvm::StringRef resolvedPath);

} // namespace crosshim
