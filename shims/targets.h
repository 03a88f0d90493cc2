// The target table: one row per supported target, data rather than scattered
// conditionals. Every other part of crosshim asks this table about a target.
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <string>
#include <vector>

namespace crosshim {

enum class Libc { Glibc, Musl };

struct Target {
  llvm::StringRef rust;       // Rust target triple: armv7-unknown-linux-gnueabihf
  llvm::StringRef clang;      // triple passed to clang --target=
  llvm::StringRef gnu;        // GNU tool prefix (Debian cross gcc): arm-linux-gnueabihf
  llvm::StringRef multiarch;  // Debian multiarch tuple: arm-linux-gnueabihf
  llvm::StringRef debianArch; // Debian architecture name: armhf
  llvm::StringRef loader;     // PT_INTERP of a dynamically linked program
  llvm::StringRef qemu;       // qemu-user binary that runs it
  llvm::ArrayRef<llvm::StringRef> cpuFlags; // default CPU/float-ABI flags
  Libc libc;
  unsigned pointerBits;

  bool isMusl() const { return libc == Libc::Musl; }
  bool isGlibc() const { return libc == Libc::Glibc; }
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
