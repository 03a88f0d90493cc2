// `crosshim doctor`: a target's sysroot checked before anything is linked,
// and the host-path-leak check that also runs before every link.
//
// The checks work on a DoctorLayout, which says where the layout keeps its
// files (the command fills it in from the same plan a link through the shim
// makes), so that they can be tested on small trees:
//   dangling-symlink, absolute-symlink  symlinks in the library and include dirs
//   linker-script-path                  GROUP/INPUT paths of lib*.so scripts, resolved as lld does
//   missing-crt-object                  crt1.o, Scrt1.o, crti.o, crtn.o; crtbegin*/crtend* (glibc)
//   missing-dev-symlink                 lib<name>.so.N without lib<name>.so/.a, for libraries
//                                       that links ask for by name (see kLinkedByName in the .cpp)
//   wrong-architecture, float-abi-mismatch  every ELF file and archive member in the library dirs
//   host-path-leak                      LIBRARY_PATH, CPATH, ... and -L/-I naming build-machine
//   dirs
#pragma once

#include "diagnostics/elf.h"
#include "diagnostics/report.h"
#include "support/env.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crosshim::diag {

struct DoctorLayout {
  std::string target; // Rust triple, for messages
  uint16_t machine = 0;
  bool is64 = false;
  ArmFloatAbi armFloatAbi = ArmFloatAbi::None; // None: not ARM, or not checked
  bool musl = false;

  /// The sysroot as crosshim names it ("/" for the build machine).
  std::string root;
  /// True when absolute symlinks name build-machine paths as they are: the
  /// host itself, Debian's cross packages (/usr/<gnu-triple>) and Debian's
  /// musl-dev, which live at their final place on this machine. False when
  /// the root stands for the target's `/` (an unpacked or copied sysroot):
  /// links are then resolved inside it, as `crosshim sysroot fix` does.
  bool hostRooted = false;
  /// hostRooted: the trees the layout owns; an absolute link that leaves
  /// them for a build-machine ELF file of another architecture is reported.
  std::vector<std::string> ownedDirs;
  /// Where symlinks are looked for; `recurse`: with their subdirectories
  /// (never through linked directories).
  std::vector<std::string> symlinkDirs;
  bool recurse = true;

  /// The C library's directories, in the order the driver passes them.
  std::vector<std::string> libraryDirs;
  /// The GCC runtime (crtbegin*.o, libgcc); empty when there is none.
  std::string gccDir;
  /// The layout links with GCC's crtbegin*.o/crtend*.o (glibc layouts).
  bool needsGccRuntime = false;
  /// What ld.lld gets as --sysroot ("" when none): absolute paths in a
  /// linker script that lies under it are looked up under it.
  std::string linkerSysroot;
};

/// Counts for the header line.
struct DoctorStats {
  size_t symlinks = 0, files = 0, members = 0, scripts = 0;
};

void checkSymlinks(const DoctorLayout &layout, Report &report, DoctorStats &stats);
void checkLinkerScripts(const DoctorLayout &layout, Report &report, DoctorStats &stats);
void checkCrtObjects(const DoctorLayout &layout, Report &report);
void checkDevSymlinks(const DoctorLayout &layout, Report &report);
void checkArchitectures(const DoctorLayout &layout, Report &report, DoctorStats &stats);

/// Every check above, in that order.
Report runDoctorChecks(const DoctorLayout &layout, DoctorStats &stats);

/// The directories in which ld.lld looks for -l: libraryDirs, then gccDir
/// (the driver puts the GCC dir first; the order does not matter here).
std::vector<std::string> doctorSearchDirs(const DoctorLayout &layout);

// ---------------------------------------------------------------- host paths

/// What belongs to a cross target, for host-path-leak.
struct HostPathContext {
  std::string sysroot;                 // "/" or a directory
  std::vector<std::string> targetDirs; // dirs of the target outside the sysroot (/usr/<gnu>, ...)
  std::string hostMultiarch;           // x86_64-linux-gnu
};

/// The variables clang reads as search paths: LIBRARY_PATH, CPATH,
/// C_INCLUDE_PATH, CPLUS_INCLUDE_PATH, with their values (only those set
/// and not empty in `env`).
std::vector<std::pair<std::string, std::string>> hostPathVariables(const Env &env);

/// host-path-leak warnings for a cross target: a variable of `env` naming a
/// directory outside the sysroot and the target's dirs, and -L, -I,
/// -isystem, -idirafter (also inside -Wl,) naming one of the build
/// machine's system directories (/usr/lib, /usr/lib/<host-multiarch>, /lib,
/// /usr/local/lib, /usr/include, /usr/local/include, ...). Only the variables'
/// values and the arguments are read: no file-system access.
void checkHostPaths(llvm::ArrayRef<std::pair<std::string, std::string>> env,
                    llvm::ArrayRef<std::string> args, const HostPathContext &context,
                    Report &report);

} // namespace crosshim::diag
