// GNU ld text scripts as found in library directories: libc.so, libm.so,
// libpthread.so and libgcc_s.so are not ELF files but a few lines such as
//
//   /* GNU ld script */
//   OUTPUT_FORMAT(elf64-littleaarch64)
//   GROUP ( /lib/aarch64-linux-gnu/libc.so.6 /usr/lib/aarch64-linux-gnu/libc_nonshared.a
//           AS_NEEDED ( /lib/ld-linux-aarch64.so.1 ) )
//
// The parser reads only what names files (GROUP, INPUT, AS_NEEDED and
// OUTPUT_FORMAT) and skips every other command. It reads any bytes
// (hostile or truncated files from a sysroot, a fuzzer's input) in one pass
// without recursion: it never crashes, never loops, and its output is at
// most as long as its input.
#pragma once

#include <llvm/ADT/StringRef.h>

#include <string>
#include <vector>

namespace crosshim::diag {

struct LinkerScriptInput {
  /// As written, quotes removed: "/lib/x/libc.so.6", "libgcc_s.so.1",
  /// "-lgcc", "=/usr/lib/libfoo.so".
  std::string path;
  bool asNeeded = false; // inside AS_NEEDED(...)
};

struct LinkerScript {
  std::vector<LinkerScriptInput> inputs; // from GROUP and INPUT, in order
  std::string outputFormat;              // the first argument of OUTPUT_FORMAT, if any
};

/// True when `bytes` look like a text linker script rather than a binary
/// (ELF, archive): Debian's "/* GNU ld script" banner, or text that starts
/// (after blanks and comments) with GROUP, INPUT or OUTPUT_FORMAT.
bool looksLikeLinkerScript(llvm::StringRef bytes);

/// The files a script names. Never fails: what it cannot read it skips.
LinkerScript parseLinkerScript(llvm::StringRef text);

} // namespace crosshim::diag
