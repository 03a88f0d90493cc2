// Pieces of explain_runtime.cpp that the unit tests reach directly: which
// runtime helper an undefined symbol is, which LLVM produced a bitcode file,
// and what an ARM object declares about its float arguments.
#pragma once

#include <llvm/ADT/StringRef.h>

#include <optional>
#include <string>

namespace crosshim::diag {

/// Where the definition of an undefined atomic operation lives.
enum class AtomicHelper {
  None,
  Libatomic, // __atomic_load_8, __atomic_compare_exchange (generic, any size)
  Sync,      // __sync_fetch_and_add_4: libgcc (ARM: kernel helpers) or compiler-rt
  Outline,   // __aarch64_ldadd4_acq_rel: -moutline-atomics, in libgcc.a or compiler-rt
};
AtomicHelper atomicHelperKind(llvm::StringRef symbol);

/// A symbol that every copy of the Rust standard library defines (the
/// personality, the allocator shims, std's own mangled items).
bool isRustRuntimeSymbol(llvm::StringRef symbol);

/// The producer string of an LLVM bitcode file ("LLVM16.0.6",
/// "LLVM22.1.2-rust-1.95.0-stable"), read from the IDENTIFICATION block that
/// LLVM writes first; the bitcode wrapper header is understood. Empty when
/// the bytes are not bitcode or carry no such block. Reads at most the first
/// few KiB and never fails on malformed input.
std::string bitcodeProducer(llvm::StringRef bytes);

/// The major version in an LLVM producer or reader string: "LLVM16.0.6" and
/// "LLVM 14.0.6" -> 16 and 14. nullopt when there is none.
std::optional<unsigned> llvmMajorVersion(llvm::StringRef producer);

/// Tag_ABI_VFP_args of an ARM ELF object (0 base AAPCS: soft-float arguments,
/// 1 VFP registers: hard-float, 2 toolchain-specific, 3 compatible with both).
/// nullopt when the file is not a 32-bit ARM ELF object or has no such tag.
std::optional<unsigned> armVfpArgs(llvm::StringRef path);

} // namespace crosshim::diag
