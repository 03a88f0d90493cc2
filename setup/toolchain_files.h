// The text of a CMake toolchain file and a Meson cross file for a target
// (`crosshim toolchain cmake|meson`). Pure functions: the command finds the
// target, its sysroot and the name farm; everything here only formats them,
// so the unit tests can check every layout without a file system.
//
// Not to be confused with toolchain.h, which finds the LLVM tools.
#pragma once

#include "shims/sysroot.h"
#include "shims/targets.h"

#include <llvm/ADT/StringRef.h>

#include <string>
#include <vector>

namespace crosshim {

struct ToolchainFileInputs {
  const Target *target = nullptr;
  Sysroot sysroot;            // the one the shims use for the target right now
  std::string shimDir;        // the name farm (absolute): <shimDir>/<rust-triple>-cc ...
  bool pkgConfigShim = false; // <shimDir>/<rust-triple>-pkg-config exists (Meson only:
                              // the CMake file tests for it itself)
  std::string launcher;       // CROSSHIM_LAUNCHER for the compilers ("" = none)
};

/// What a layout needs from the build system's side. The shims already pass
/// the sysroot to clang; this decides what CMake/Meson are told on top.
struct SysrootPlan {
  std::string sysroot;                  // CMAKE_SYSROOT and Meson's sys_root ("" = none)
  std::vector<std::string> findRoots;   // CMAKE_FIND_ROOT_PATH ("" list = search the machine)
  std::vector<std::string> libraryDirs; // CMAKE_SYSTEM_LIBRARY_PATH additions
  std::vector<std::string> includeDirs; // CMAKE_SYSTEM_INCLUDE_PATH additions
  std::vector<std::string> ignoreDirs;  // CMAKE_IGNORE_PATH (the build machine's own arch)
  std::string why;                      // a comment for the generated file
};

SysrootPlan planSysroot(const Target &target, const Sysroot &sysroot);

/// CMAKE_SYSTEM_PROCESSOR: what `uname -m` says on the target, i.e. what a
/// native build there sees (aarch64, armv7l, i686).
llvm::StringRef cmakeSystemProcessor(const Target &target);

struct MesonMachine {
  llvm::StringRef cpuFamily; // Meson's reference table: aarch64, arm, x86, ...
  llvm::StringRef cpu;
  llvm::StringRef endian;
};
MesonMachine mesonMachine(const Target &target);

/// A CMake quoted argument: "..." with \ " $ and ; escaped (a ; would split
/// the value into a list).
std::string cmakeQuote(llvm::StringRef value);
/// A Meson string literal: '...' with \ and ' escaped.
std::string mesonQuote(llvm::StringRef value);

std::string cmakeToolchainFile(const ToolchainFileInputs &in);
std::string mesonCrossFile(const ToolchainFileInputs &in);

} // namespace crosshim
