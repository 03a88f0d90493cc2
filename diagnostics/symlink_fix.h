// `crosshim sysroot fix`: absolute symlinks in a sysroot made relative, so
// that they resolve inside the sysroot instead of on the build machine (what
// `symlinks -cr` does, done safely).
//
// A sysroot copied from a container or a board (a `docker export`, unpacked
// .debs) has links such as usr/lib/aarch64-linux-gnu/libm.so ->
// /lib/aarch64-linux-gnu/libm.so.6. The linker follows them on the build
// machine: the link dangles (lld quietly takes libm.a), or it reaches the
// build machine's own file. See docs/link-failures.md
// (`dangling-symlink`, `absolute-symlink`).
//
// Each link's target is resolved as if the sysroot were `/`: component by
// component, with lstat and readlink only (never realpath, which would follow
// into the build machine's /lib), following links met on the way inside the
// re-rooted tree, at most kMaxSymlinkHops of them (a loop ends there). An
// absolute target starts at the sysroot's root, and `..` at that root stays
// there, as in a chroot. A relative target's `..` that would climb above the
// root is an escape: the build machine's kernel would leave the sysroot
// there, so it is reported, never followed.
//
// planSymlinkFixes only looks; applySymlinkFixes (setup/sysroot_fix.h, the
// writing half) only writes what the plan says, inside the root. The single look outside the root
// is one stat() of an unresolvable link's target path as the build machine sees it, for the
// report's "the build machine has this file" note; it never decides anything.
#pragma once

#include "diagnostics/report.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include <cstddef>
#include <string>
#include <vector>

namespace crosshim::diag {

/// Links followed while resolving one target before it counts as a loop
/// (Linux's MAXSYMLINKS).
constexpr unsigned kMaxSymlinkHops = 40;

/// An absolute symlink whose target exists inside the root, and the relative
/// text that replaces it.
struct SymlinkRewrite {
  std::string link;      // relative to the root: "usr/lib/aarch64-linux-gnu/libm.so"
  std::string oldTarget; // what it says now: "/lib/aarch64-linux-gnu/libm.so.6"
  /// From the link's directory to the entry the old text names, through real
  /// directories only (no link before a `..`, never above the root); when
  /// that entry is itself a link, the chain is kept: "libm.so.6".
  std::string newTarget;
  std::string resolved; // where it ends, every link followed, relative to the root
};

enum class SymlinkProblemKind {
  Dangling, // an absolute link whose target does not resolve inside the root
  Loop,     // more than kMaxSymlinkHops links followed (a -> b -> a)
  Escape,   // a relative link that leaves the root through `..`
};

/// Where following a link stopped.
enum class SymlinkEnd {
  Missing,    // a path that does not exist (or is not a directory)
  Unreadable, // lstat or readlink failed otherwise (permissions, a name too long)
  Loop,       // the hop limit
  Escape,     // a relative target's `..` above the root
};

/// A link that is left as it is, and why.
struct SymlinkProblem {
  SymlinkProblemKind kind = SymlinkProblemKind::Dangling;
  SymlinkEnd end = SymlinkEnd::Missing;
  std::string link;   // relative to the root
  std::string target; // what it says
  /// Missing, Unreadable: the first path (relative to the root) that is
  /// missing or unreadable. Loop: the link where the limit was reached.
  /// Escape: the link whose own target climbs out (this link, or one on its
  /// chain).
  std::string where;
  /// Missing, Unreadable: "does not exist", "is not a directory" or an
  /// strerror text.
  std::string why;
  /// Missing: the path that was looked for, relative to the root (the whole
  /// re-rooted target: "lib/aarch64-linux-gnu/libfoo.so.1" when `where` is
  /// only its missing directory).
  std::string wanted;
  /// The build machine resolves the link (its absolute target as it is, or
  /// the escape) to an existing file of its own: the `absolute-symlink`
  /// danger, the linker would read the wrong file.
  bool onHost = false;
};

struct SymlinkFixPlan {
  std::string root;        // absolute, as given (links in it are not resolved), never "/"
  size_t linksChecked = 0; // every symlink under the root
  std::vector<SymlinkRewrite> rewrites;
  std::vector<SymlinkProblem> problems;

  bool nothingToFix() const { return rewrites.empty() && problems.empty(); }
};

/// Looks at every symlink under `root` (directories are walked without
/// following links) and plans the rewrites; changes nothing. Relative links
/// that resolve inside the root are left alone, and so are those that end at
/// a missing file inside it (nothing to rewrite there; `crosshim doctor`
/// reports them). Errors: the root is missing, not a directory, is the
/// build machine's `/`, or a directory under it cannot be read.
llvm::Expected<SymlinkFixPlan> planSymlinkFixes(llvm::StringRef root);

struct SymlinkFixFailure {
  size_t rewrite = 0; // index into SymlinkFixPlan::rewrites
  std::string message;
};

/// What applySymlinkFixes (setup/sysroot_fix.h) did.
struct SymlinkFixResult {
  std::vector<size_t> applied; // indices into SymlinkFixPlan::rewrites
  std::vector<SymlinkFixFailure> failures;
};

/// The findings: each rewrite a note of kind `absolute-symlink` ("rewrote",
/// or "would rewrite" when `result` is null, for a dry run), each failed
/// rewrite an error of that kind, each problem a warning (`dangling-symlink`
/// for dangling links and loops, `absolute-symlink` for escapes).
Report symlinkFixReport(const SymlinkFixPlan &plan, const SymlinkFixResult *result);

// --dev-links: `-l<name>` needs lib<name>.so, which a runtime package does
// not ship (only lib<name>.so.<N>); its -dev package adds the link to the
// library's DT_SONAME. In the sysroot's library directories (lib, usr/lib,
// lib64, lib32 and their multiarch subdirectories, reached through real
// directories only), each lib<name>.so.<N> that is an ELF shared library
// with a DT_SONAME of that name and no lib<name>.so next to it gets one.
// glibc's own libraries are left out: their lib<name>.so is a linker script
// (libc.so, libm.so) or deliberately absent (libpthread, libdl since 2.34).

struct DevLink {
  std::string link;    // relative to the root: "usr/lib/aarch64-linux-gnu/libz.so"
  std::string target;  // the link text, the SONAME (or the file's name): "libz.so.1"
  std::string library; // the shared library it leads to, relative to the root
};

struct DevLinkPlan {
  std::string root;
  std::vector<DevLink> links;
  /// glibc libraries that have their run-time file but not the lib<name>.so
  /// of libc6-dev (which no link can replace): libc.so.6 without libc.so.
  std::vector<std::string> glibcWithoutDev; // relative to the root: "lib/x/libc.so.6"
};

/// Plans the dev links; changes nothing. Symlinks are resolved inside the
/// root (as planSymlinkFixes does), so the plan is the same before and after
/// a fix. Errors: as planSymlinkFixes.
llvm::Expected<DevLinkPlan> planDevLinks(llvm::StringRef root);

/// What applyDevLinks (setup/sysroot_fix.h) did.
struct DevLinkResult {
  std::vector<size_t> created; // indices into DevLinkPlan::links
  std::vector<SymlinkFixFailure> failures;
};

/// Findings of kind `missing-dev-symlink`: a note per created link ("would
/// create" when `result` is null), an error per failure, a warning per
/// glibc library without its libc6-dev file.
void addDevLinkFindings(const DevLinkPlan &plan, const DevLinkResult *result, Report &report);

/// The relative link text that leads from directory `fromDir` to `to`, both
/// physical paths relative to the same root, split into components ("." when
/// they are the same).
std::string relativeLinkText(llvm::ArrayRef<std::string> fromDir, llvm::ArrayRef<std::string> to);

} // namespace crosshim::diag
