// Running a program built for a target: what cargo's `runner`, CMake's
// CMAKE_CROSSCOMPILING_EMULATOR and Meson's exe_wrapper call
// (`crosshim run --target T -- PROGRAM ARGS...`, or `<triple>-run PROGRAM ARGS...`).
//
// The build machine runs the program itself when it can (the host's own
// target, and x86_64 musl on an x86_64 host); other Linux targets run under
// qemu-user with the target's sysroot as its prefix (`qemu-<arch> -L
// SYSROOT`), with the pitfalls of docs/debian-cross-environment.md
// worked around: qemu-i386 would let the guest loader read the build
// machine's /etc/ld.so.cache (and load its /lib32 libraries), so for x86
// guests whose sysroot has no ld.so.cache of its own the sysroot's library
// directories go first through the guest's LD_LIBRARY_PATH.
#pragma once

#include "shims/sysroot.h"
#include "shims/targets.h"
#include "support/env.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/Support/Error.h>

#include <string>
#include <vector>

namespace crosshim {

struct RunPlan {
  std::string program; // what is executed: the program itself, or qemu
  std::vector<std::string> argv;
  std::vector<std::string> env; // NAME=value to set for it (on top of ours)
  std::string how;              // "natively", "under qemu-aarch64 -L /usr/aarch64-linux-gnu"
};

/// True when the build machine runs `target`'s programs without an emulator.
bool hostRunsNatively(const Target &target);

/// How to run `args` (the program, then its arguments) for `target` with
/// `sysroot` in the environment `env`: its PATH is searched for the program
/// and the emulator, its LD_LIBRARY_PATH, WINEPATH and WINEDEBUG are kept.
/// Errors: no program given; the emulator is not installed (exit 127,
/// naming the package); a target crosshim cannot run (no emulator known).
llvm::Expected<RunPlan> planRun(const Target &target, const Sysroot &sysroot,
                                llvm::ArrayRef<std::string> args, const Env &env);

/// Plans and execs; returns only on error. The program's exit status (or
/// signal) becomes ours: exec replaces this process.
llvm::Error runOnTarget(const Target &target, const Sysroot &sysroot,
                        llvm::ArrayRef<std::string> args, const Env &env);

} // namespace crosshim
