// Finding the sysroot for a target and recognising its layout, which decides
// the flags clang needs. Only stat() and readlink() here: this runs on every
// compile.
#pragma once

#include "config.h"
#include "targets.h"

#include <llvm/Support/Error.h>

#include <string>
#include <vector>

namespace crosshim {

enum class Layout {
  Host,        // the build machine itself: no sysroot flags at all
  Multiarch,   // Debian/Ubuntu root: usr/lib/<multiarch>; split or merged /usr
  DebianCross, // Debian cross packages: /usr/<gnu-triple> + /usr/lib/gcc-cross
  DebianMusl,  // Debian musl-dev: /usr/lib/<musl-multiarch> + /usr/include/<musl-multiarch>
  Musl,        // a musl root (Alpine style): usr/include, usr/lib/crt1.o, lib/ld-musl-*
  Plain,       // a directory we do not recognise: passed as --sysroot only
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
};

/// "multiarch, merged /usr" and the like, for `which` and `explain-args`
/// (qemu-user needs a merged /usr for some targets).
std::string describeLayout(const Sysroot &sysroot);

/// Looks in order at: config `sysroot`, CROSSHIM_SYSROOT_<TRIPLE>,
/// ~/.local/share/crosshim/sysroots/<triple>, then the system layouts. An
/// explicitly named sysroot that does not exist is an error; finding none is
/// an error that says where crosshim looked and how to get one.
llvm::Expected<Sysroot> findSysroot(const Target &target, const TargetSettings &settings,
                                    llvm::StringRef configPath);

/// Recognises the layout of a directory named explicitly for `target`.
Sysroot classifySysroot(const Target &target, llvm::StringRef path);

/// ~/.local/share/crosshim/sysroots/<triple> (respects XDG_DATA_HOME); empty
/// when neither HOME nor XDG_DATA_HOME is set.
std::string userSysrootDir(const Target &target);

} // namespace crosshim
