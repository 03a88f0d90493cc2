// objdump for Windows targets with GNU's object format names: libtool reads
// `objdump -f` and expects pe-x86-64 / pe-i386 where llvm-objdump prints
// coff-x86-64 / coff-i386 (rule objdump-gnu-format-names).
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

#include <string>
#include <vector>

namespace crosshim {

/// One line of llvm-objdump output with GNU's name for the format: `pe-` for
/// objects and archive members, `pei-` when the line names a file that is a
/// PE image (starts with "MZ"). Other lines are returned unchanged.
std::string gnuCoffFormatLine(llvm::StringRef line);

/// Runs `program` with its stdout through gnuCoffFormatLine, stderr as is,
/// and exits like it.
[[noreturn]] void runWithGnuCoffFormatNames(const std::string &program,
                                            llvm::ArrayRef<std::string> argv,
                                            llvm::ArrayRef<std::string> env);

} // namespace crosshim
