// The C library a target links against: one vocabulary for the target table
// (shims/targets.h) and the diagnostics that read a link against it.
#pragma once

namespace crosshim::diag {

/// For Windows also the ABI family (MinGW's GNU ABI, or MSVC's); Darwin: the
/// SDK's libSystem. Unknown: a diagnostic run without a target (every target
/// in the table has a known one).
enum class Libc { Unknown, Glibc, Musl, Mingw, Msvc, Darwin };

} // namespace crosshim::diag
