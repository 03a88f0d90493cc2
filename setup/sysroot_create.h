// `crosshim sysroot create`: a target sysroot from Debian packages, made with
// the host's apt-get and dpkg-deb but a private apt state (its own lists,
// cache, status and sources under the user's cache folder), so the host's
// package state never changes and no root, Docker or `dpkg
// --add-architecture` is needed. The steps (tests/fixtures/make-deb-sysroot.sh
// does the same in shell for the test fixtures):
//   1. apt-get update, only when there are no lists yet or the sources
//      changed (and once more when a download fails: stale lists);
//   2. the package closure: `apt-get -s install --no-install-recommends` of
//      the base set plus --with against an empty dpkg status, minus the
//      packages that only serve maintainer scripts (kExcludedPackages);
//   3. `apt-get download` of the .debs not yet in the cache;
//   4. `dpkg-deb -x` of each into a temp dir next to DIR;
//   5. a merged /usr (qemu-user needs it for armhf, and qemu-i386 for its
//      empty etc/ld.so.cache to be read), the symlink and dev-link fixes of
//      `sysroot fix --dev-links`, an empty etc/ld.so.cache and the stamp;
//   6. the temp dir swapped in for DIR atomically (renameat2 RENAME_EXCHANGE).
// The planning parts are pure functions, tested without apt.
#pragma once

#include "shims/targets.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crosshim {

struct Distro {
  llvm::StringRef name;     // "debian:bookworm", as --distro spells it
  llvm::StringRef codename; // "bookworm"
  llvm::StringRef gcc;      // the default GCC's major version: libgcc-12-dev
  llvm::StringRef glibc;    // "2.36", for messages
};

llvm::ArrayRef<Distro> supportedDistros();
/// An unknown or unsupported name is a usage error listing the supported ones.
llvm::Expected<const Distro &> lookupDistro(llvm::StringRef name);

/// The Debian architecture of `target` (for musl targets the architecture
/// whose musl package is used); an error for targets Debian has no
/// architecture or sysroot for (Windows ones).
llvm::Expected<std::string> debianArchFor(const Target &target);

/// glibc: libc6-dev, libgcc-<gcc>-dev, libstdc++-<gcc>-dev, linux-libc-dev,
/// libcrypt-dev (their run-time packages come as dependencies). musl:
/// libgcc-<gcc>-dev, musl, musl-dev, without dependencies (they are glibc's).
std::vector<std::string> basePackages(const Distro &distro, const Target &target);

/// base + with, sorted, without duplicates.
std::vector<std::string> requestedPackages(const Distro &distro, const Target &target,
                                           llvm::ArrayRef<std::string> with);

/// Whether a package of the resolved closure goes into the sysroot: not the
/// excluded ones, and for musl targets only the requested packages.
bool keepInClosure(const Target &target, llvm::ArrayRef<std::string> request, llvm::StringRef name);

/// A --with value: a Debian package name (apt syntax: NAME or NAME=VERSION),
/// never an option or something with spaces or an architecture qualifier.
llvm::Error checkPackageName(llvm::StringRef name);

/// Packages the closure leaves out: only maintainer scripts and dpkg itself
/// need them (dpkg, tar, debconf, perl-base...), nothing links against them.
bool isExcludedPackage(llvm::StringRef name);

constexpr llvm::StringRef kDefaultMirror = "http://deb.debian.org/debian";
constexpr llvm::StringRef kDebianKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
constexpr llvm::StringRef kStampName = ".crosshim-sysroot";
constexpr llvm::StringRef kPartialMarker = ".crosshim-sysroot-partial";

/// The distro's main suite and its -updates suite. No security suite: its
/// indexes for extra architectures have failed size checks (see
/// docs/debian-cross-environment.md).
std::string sourcesListText(const Distro &distro, llvm::StringRef mirror, llvm::StringRef keyring);

/// apt.conf for `apt-get -c`: state, lists, cache and sources under
/// `stateDir`, one architecture, no hooks. Read after the host's own
/// configuration, so proxies set there still apply.
std::string aptConfText(llvm::StringRef stateDir, llvm::StringRef arch);

/// ${XDG_CACHE_HOME:-$HOME/.cache}/crosshim/apt/<debian-codename>-<arch>;
/// empty when neither variable is set.
std::string aptStateDir(const Distro &distro, llvm::StringRef arch);

struct ResolvedPackage {
  std::string name, version, arch;
  std::string spec() const { return name + "=" + version; }
};

/// The "Inst NAME (VERSION ORIGIN [ARCH])" lines of `apt-get -s install`.
std::vector<ResolvedPackage> parseAptSimulation(llvm::StringRef output);

struct DebFile {
  std::string url, file; // file: the name apt-get download writes
  uint64_t size = 0;
};

/// The lines of `apt-get download --print-uris`: 'URL' FILE SIZE HASH.
std::vector<DebFile> parsePrintUris(llvm::StringRef output);

/// True when apt-get update's output says an index could not be fetched
/// (apt-get update exits 0 with only W: lines for that).
bool aptUpdateFailed(llvm::StringRef output);

/// One sentence on what went wrong for an apt failure: the network (with
/// apt's own words), a package apt does not know, or "apt-get failed".
std::string aptFailureSummary(llvm::StringRef output);

/// Where a path inside a root ends up in a merged-/usr layout: bin, sbin,
/// lib, lib32, lib64, libx32 and what is under them move into usr/.
std::string mergedUsrPath(llvm::StringRef relPath);

/// Moves bin, sbin, lib, lib32, lib64 and libx32 of `root` into usr/ and
/// leaves relative links in their place (lib -> usr/lib), as usrmerge does.
/// Entries present twice are kept once when they are the same (the same
/// file, links to the same place, or a link to the other); anything else is
/// an error naming both. Relative links that move and climb with `..` are
/// made absolute inside the root first (the symlink fix makes them relative
/// again).
llvm::Error mergeUsr(llvm::StringRef root);

/// What the stamp file (.crosshim-sysroot) in a made sysroot records.
struct SysrootStamp {
  std::string target, arch, distro, mirror;
  std::vector<std::string> with; // what --with asked for, over all runs
  std::vector<ResolvedPackage> packages;
};

std::string formatStamp(const SysrootStamp &stamp);
llvm::Expected<SysrootStamp> parseStamp(llvm::StringRef text);

/// The stamp of `dir`: nullopt when there is none (a regular file named
/// kStampName), an error when it is there but unreadable or malformed.
llvm::Expected<std::optional<SysrootStamp>> readStamp(llvm::StringRef dir);

struct CreateOptions {
  const Target *target = nullptr;
  const Distro *distro = nullptr;
  std::vector<std::string> with;
  std::string dir; // absolute
  std::string mirror = std::string(kDefaultMirror);
  bool refresh = false;  // update the lists and rebuild even when up to date
  bool progress = false; // one line per step on stderr (a terminal)
};

struct CreateResult {
  std::string dir;
  bool upToDate = false; // nothing to do: DIR already had these packages
  bool replaced = false; // an older sysroot at DIR was replaced
  size_t packages = 0, downloaded = 0;
  std::vector<std::string> with;
  std::string layout;
  std::optional<std::string> glibc;
  double seconds = 0;
};

/// Does the whole job. SIGINT, SIGTERM and SIGHUP are forwarded to the
/// running child and end the run with an error; DIR is then as it was and
/// the temp dir is gone (interruptedBy() says which signal it was).
llvm::Expected<CreateResult> createSysroot(const CreateOptions &options);

/// The signal that interrupted the last createSysroot, or 0.
int interruptedBy();

} // namespace crosshim
