// What crosshim reads from ELF files: machine and class, ARM float ABI, the
// program interpreter, the dynamic section (NEEDED, SONAME, RUNPATH/RPATH)
// and symbol versions. Built on llvm::object::ELFFile directly (not
// createBinary, which would pull every object format into the shim).
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crosshim::diag {

struct ElfVersionNeed {
  std::string file;                  // libc.so.6
  std::vector<std::string> versions; // GLIBC_2.17, GLIBC_2.34, ...
};

struct ElfSymbol {
  std::string name;
  std::string version; // empty when unversioned
  bool defined = false;
  bool weak = false;
};

enum class ArmFloatAbi { None, Soft, Hard };

struct ElfInfo {
  uint16_t machine = 0; // e_machine (EM_AARCH64 = 183, EM_X86_64 = 62, EM_ARM = 40, EM_386 = 3)
  bool is64 = false;
  bool littleEndian = true;
  uint16_t type = 0; // e_type: ET_REL, ET_EXEC, ET_DYN
  uint32_t flags = 0;
  ArmFloatAbi armFloatAbi = ArmFloatAbi::None;
  std::string interp; // PT_INTERP, empty when static
  std::string soname;
  std::vector<std::string> needed;
  std::vector<std::string> runpath, rpath; // split at ':'
  std::vector<ElfVersionNeed> versionNeeds;
  std::vector<std::string> versionDefs;
  std::vector<ElfSymbol> dynamicSymbols; // only with readSymbols
};

/// LLVM 14's ELFFile::getVersionDependencies/getVersionDefinitions (and
/// loadVersionMap, which calls them) trust a version section's counts: an
/// entry whose next offset is 0 is read again for every count, so a 3 KiB
/// hostile file made them build millions of strings (found by fuzz/). In a
/// real section each entry is stored once: this refuses counts that cannot
/// fit. `contents` is the SHT_GNU_verneed (or, with `verdef`, SHT_GNU_verdef)
/// section, `entries` its sh_info. Call it before those LLVM functions.
llvm::Error checkVersionSection(llvm::ArrayRef<uint8_t> contents, uint64_t entries, bool verdef,
                                bool littleEndian);

/// True when the bytes start with the ELF magic.
bool isElf(llvm::StringRef bytes);

/// Parses an ELF file. Malformed input is an error, never a crash.
llvm::Expected<ElfInfo> readElf(llvm::MemoryBufferRef buffer, bool readSymbols = false);
llvm::Expected<ElfInfo> readElfFile(llvm::StringRef path, bool readSymbols = false);

/// What the .ARM.attributes section of a 32-bit little-endian ARM ELF file
/// says about floating point (absent tags stay nullopt).
struct ArmAttributes {
  std::optional<unsigned> vfpArgs;       // Tag_ABI_VFP_args: 0 base AAPCS, 1 VFP registers, ...
  std::optional<unsigned> fpNumberModel; // Tag_ABI_FP_number_model: 0 no floating point
};

/// The ARM attributes of `bytes`; nullopt when it is not a 32-bit
/// little-endian ARM ELF file or has no readable .ARM.attributes section.
/// Malformed input gives nullopt, never a crash.
std::optional<ArmAttributes> readArmAttributes(llvm::StringRef bytes);

/// "AArch64", "x86-64", "ARM", "i386", ... ("machine 1234" when unknown).
std::string machineName(uint16_t machine);

} // namespace crosshim::diag
