// What the Windows diagnostics need from COFF files: the machine of an
// object, a PE image or an archive member (objects and the short import
// members of import libraries), an object's `.drectve` directives and its
// external symbols, and the names an import member brings in.
//
// Read from the headers by hand, like archive.h: llvm::object's COFF classes
// come with createBinary and the bitcode reader, which the shim must not
// link (it starts at every compile).
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crosshim::diag {

/// IMAGE_FILE_MACHINE_* values (llvm/BinaryFormat/COFF.h).
enum : uint16_t {
  kCoffMachineUnknown = 0,
  kCoffMachineI386 = 0x14c,
  kCoffMachineAmd64 = 0x8664,
  kCoffMachineArmNT = 0x1c4,
  kCoffMachineArm64 = 0xaa64,
};
/// The name lld-link and link.exe print: "x64", "x86", "arm64", "arm";
/// "0x1234" for others.
std::string coffMachineName(uint16_t machine);
/// The COFF machine of a clang or Rust triple's architecture ("x86_64-pc-windows-msvc"
/// -> x64); kCoffMachineUnknown when it has none.
uint16_t coffMachineForTriple(llvm::StringRef triple);

struct CoffFile {
  enum class Kind { Object, BigObject, Import, Image };
  Kind kind = Kind::Object;
  uint16_t machine = kCoffMachineUnknown;
  /// The `.drectve` section's text (objects only), as the compiler wrote it.
  std::string directives;
  /// External symbols the object defines (a section or common) and uses
  /// without defining. Import members: `defined` holds __imp_<name> and, for
  /// code, <name>.
  std::vector<std::string> defined, undefined;
  std::string importName; // an import member: the symbol it imports ("foo", "_foo" on x86)
  std::string dll;        // an import member: the DLL ("foo.dll")
  /// An object: the DLL name GNU dlltool's import members hold as the text of
  /// `.idata$7` (in the member that ends a DLL's import list; the others'
  /// `.idata$7` is a pointer, no name).
  std::string idataDll;
};

/// Reads a COFF object (plain or /bigobj), a short import member or a PE
/// image (MZ stub; machine only). Nullopt for anything else; never reads
/// outside `bytes`. Symbols of /bigobj objects are not read.
std::optional<CoffFile> readCoff(llvm::StringRef bytes);

/// One directive of a `.drectve` section: "/DEFAULTLIB:libcmt" ->
/// {"defaultlib", "libcmt"}; the option in lower case without its / or -,
/// the value with quotes removed
/// (`/FAILIFMISMATCH:"RuntimeLibrary=MT_StaticRelease"` ->
/// {"failifmismatch", "RuntimeLibrary=MT_StaticRelease"}).
using Directive = std::pair<std::string, std::string>;
std::vector<Directive> parseDirectives(llvm::StringRef text);

/// A COFF file on disk, or each COFF member of an archive (`member` is the
/// member's name, empty for a plain file). Non-COFF members are skipped;
/// unreadable files give nothing.
struct CoffInput {
  std::string member;
  CoffFile file;
};
void forEachCoffInput(llvm::StringRef path, llvm::function_ref<void(const CoffInput &)> visit);
/// The same for bytes already in memory.
void forEachCoffInBuffer(llvm::StringRef bytes, llvm::function_ref<void(const CoffInput &)> visit);

} // namespace crosshim::diag
