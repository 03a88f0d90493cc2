// The target table: one row per supported target, data rather than scattered
// conditionals. Every other part of crosshim asks this table about a target.
#pragma once

#include "diagnostics/libc.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <string>
#include <vector>

namespace crosshim {

// The C runtime a target links against (diagnostics/libc.h).
using diag::Libc;

struct Target {
  llvm::StringRef rust;      // Rust target triple: armv7-unknown-linux-gnueabihf
  llvm::StringRef clang;     // triple passed to clang --target=
  llvm::StringRef gnu;       // GNU tool prefix (Debian cross gcc): arm-linux-gnueabihf; "" for MSVC
                             // and Darwin (osxcross's names carry a version: see findTarget)
  llvm::StringRef multiarch; // Debian multiarch tuple: arm-linux-gnueabihf; "" for Windows, Darwin
  llvm::StringRef debianArch; // Debian architecture name: armhf; "" for Windows, Darwin
  llvm::StringRef loader;     // PT_INTERP of a dynamically linked program; "" for Windows, Darwin
  llvm::StringRef emulator;   // what runs it elsewhere: qemu-<arch>, wine; "" for none
  llvm::ArrayRef<llvm::StringRef> cpuFlags; // default CPU/float-ABI flags
  Libc libc;
  unsigned pointerBits;

  bool isMusl() const { return libc == Libc::Musl; }
  bool isGlibc() const { return libc == Libc::Glibc; }
  bool isMingw() const { return libc == Libc::Mingw; }
  bool isMsvc() const { return libc == Libc::Msvc; }
  bool isWindows() const { return isMingw() || isMsvc(); }
  bool isDarwin() const { return libc == Libc::Darwin; }
  bool isLinux() const { return !isWindows() && !isDarwin(); }
};

/// All rows, in the order `crosshim targets` prints them.
llvm::ArrayRef<Target> allTargets();

/// Finds a target by Rust triple, clang triple, GNU tool prefix or Debian
/// multiarch tuple (exact
/// match first, then any spelling llvm::Triple normalises to the same
/// arch/sub-arch/OS/environment). Returns nullptr when nothing matches.
const Target *findTarget(llvm::StringRef name);

/// Like findTarget, but an unknown name is an error listing close matches.
llvm::Expected<const Target &> lookupTarget(llvm::StringRef name);

/// Up to `max` known names closest to `name` (edit distance).
std::vector<std::string> closestTargetNames(llvm::StringRef name, size_t max = 3);

/// The target of the machine crosshim runs on.
const Target *hostTarget();

/// CROSSHIM_SYSROOT_<TRIPLE>: the Rust triple upper-cased, '-' and '.' as '_'
/// (the spelling cargo uses for CARGO_TARGET_<TRIPLE>_LINKER).
std::string envKeyForTriple(llvm::StringRef prefix, llvm::StringRef rustTriple);

} // namespace crosshim
