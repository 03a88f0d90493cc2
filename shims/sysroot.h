// Finding the sysroot for a target and recognising its layout, which decides
// the flags clang needs. Only stat() and readlink() here: this runs on every
// compile.
#pragma once

#include "shims/config.h"
#include "shims/targets.h"

#include <llvm/Support/Error.h>

#include <string>
#include <vector>

namespace crosshim {

enum class Layout {
  Host,           // the build machine itself: no sysroot flags at all
  Multiarch,      // Debian/Ubuntu root: usr/lib/<multiarch>; split or merged /usr
  DebianCross,    // Debian cross packages: /usr/<gnu-triple> + /usr/lib/gcc-cross
  DebianMusl,     // Debian musl-dev: /usr/lib/<musl-multiarch> + /usr/include/<musl-multiarch>,
                  // on the build machine or unpacked into a root (`sysroot create`)
  Musl,           // a musl root (Alpine style): usr/include, usr/lib/crt1.o, lib/ld-musl-*
  Mingw,          // mingw-w64: Debian's /usr/<gnu> (+ /usr/lib/gcc/<gnu>/<ver>) or llvm-mingw
  MsvcXwin,       // Microsoft CRT + Windows SDK as xwin splat / cargo-xwin's cache lays it out
  MsvcWinsysroot, // the same as clang-cl /winsysroot: VC/Tools/MSVC/<v>, Windows Kits/10
  MacSdk,         // a macOS SDK (MacOSX<v>.sdk: SDKSettings.json, usr/lib/libSystem.tbd)
  Plain,          // a directory we do not recognise: passed as --sysroot only
};

llvm::StringRef layoutName(Layout layout);

struct Sysroot {
  std::string path; // what --sysroot gets ("/" for Host)
  Layout layout = Layout::Plain;
  bool mergedUsr = false;   // lib -> usr/lib
  std::string gccToolchain; // --gcc-toolchain=, when the layout needs it
  std::string includeDir;   // DebianMusl: the musl headers
  std::string libDir;       // DebianMusl: the musl crt files and libc
  std::string source;       // where it came from, for `crosshim which`
  // Mingw: libgcc, libstdc++ and their DLLs (/usr/lib/gcc/<gnu>/<ver>), which
  // clang does not find by itself; empty for llvm-mingw (compiler-rt, libc++).
  // DebianMusl in a root: GCC's libgcc.a and crtbegin*.o (libgcc-<v>-dev),
  // the runtime of musl links where clang has no compiler-rt builtins.
  std::string gccRuntimeDir;
  // Msvc*: the header and library directories for the target's architecture,
  // which clang-cl gets as /imsvc and lld-link as /libpath:.
  std::vector<std::string> includeDirs;
  std::vector<std::string> libDirs;
  // DebianCross: /lib/<multiarch> and /usr/lib/<multiarch> of the system,
  // where they exist (multiarch -dev:<arch> packages; Debian's cross gcc
  // searches them too).
  std::vector<std::string> multiarchLibDirs;
  // MacSdk: SDKSettings.json's Version (else the folder name's), e.g. "13.3".
  std::string sdkVersion;
};

/// "multiarch, merged /usr" and the like, for `which` and `explain-args`
/// (qemu-user needs a merged /usr for some targets).
std::string describeLayout(const Sysroot &sysroot);

/// Looks in order at: config `sysroot`, CROSSHIM_SYSROOT_<TRIPLE>,
/// The newest GCC runtime dir under `gccRoot` (/usr/lib/gcc/<gnu>): the
/// highest version, -win32 before -posix on a tie; empty when there is none.
std::string findMingwGccRuntime(llvm::StringRef gccRoot);

/// ~/.local/share/crosshim/sysroots/<triple>, then the system layouts. An
/// explicitly named sysroot that does not exist is an error; finding none is
/// an error that says where crosshim looked and how to get one.
/// `env` gives CROSSHIM_SYSROOT_<TRIPLE>, HOME and XDG_DATA_HOME (and the
/// MSVC and macOS searches' variables).
llvm::Expected<Sysroot> findSysroot(const Target &target, const TargetSettings &settings,
                                    llvm::StringRef configPath, const Env &env);

/// Recognises the layout of a directory named explicitly for `target`.
Sysroot classifySysroot(const Target &target, llvm::StringRef path);

// MSVC targets (sysroot_msvc.cpp).
/// The architecture directory name in `layout`: x86_64|x86|aarch64 (xwin),
/// x64|x86|arm64 (/winsysroot).
std::string msvcArchName(const Target &target, Layout layout);
/// Fills layout, includeDirs and libDirs when `path` is an xwin or
/// /winsysroot tree; false when it is neither.
bool classifyMsvcSysroot(const Target &target, llvm::StringRef path, Sysroot &s);
/// An error when `s` is not a usable CRT + SDK for the target's architecture.
llvm::Error checkMsvcSysroot(const Target &target, const Sysroot &s);
/// cargo-xwin's cache folders: $XWIN_CACHE_DIR[/xwin], else
/// ${XDG_CACHE_HOME:-~/.cache}/cargo-xwin/xwin.
std::vector<std::string> xwinCacheDirs(const Env &env);
/// The search after the named places (`looked` lists them) failed: cargo-xwin's
/// cache, else an error that says where crosshim looked and how to make an SDK.
llvm::Expected<Sysroot> findMsvcSysroot(const Target &target, std::vector<std::string> looked,
                                        llvm::StringRef envKey, const Env &env);

// Darwin targets (sysroot_darwin.cpp).
/// Fills layout, path and sdkVersion when `path` is a macOS SDK, or holds
/// one (MacOSX*.sdk in it, osxcross's target/SDK/MacOSX*.sdk, Xcode's
/// Platforms/MacOSX.platform/Developer/SDKs/MacOSX*.sdk, or any SDKs/ or
/// SDK/ folder): the newest there. False when there is none.
bool classifyMacSdk(llvm::StringRef path, Sysroot &s);
/// After the named places: SDKROOT, OSXCROSS_SDK, osxcross on PATH
/// (<dir>/target/bin -> <dir>/target/SDK), else an error saying where
/// crosshim looked and how to give it an SDK.
llvm::Expected<Sysroot> findMacSdk(const Target &target, std::vector<std::string> looked,
                                   llvm::StringRef envKey, const Env &env);
/// The SDK's version from SDKSettings.json ("Version"), else from the
/// folder name MacOSX<version>.sdk; empty when neither says.
std::string macSdkVersion(llvm::StringRef sdk);

/// ~/.local/share/crosshim/sysroots/<triple> (respects XDG_DATA_HOME); empty
/// when neither HOME nor XDG_DATA_HOME is set.
/// The error when no sysroot is found: "<what>; looked at:", one line per
/// place looked at, then the advice on a line of its own (exit status 1).
llvm::Error sysrootNotFound(llvm::StringRef what, llvm::ArrayRef<std::string> looked,
                            llvm::StringRef advice);

std::string userSysrootDir(const Target &target, const Env &env);

} // namespace crosshim
