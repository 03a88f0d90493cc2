// Argument lists: response files, and what a compiler
// command line asks for (compile only, link, or an information query).
#pragma once

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include "support/quote.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crosshim {

/// Response files nested deeper than this are an error (a chain that long is
/// a generator gone wrong; gcc stops at 2000 @files, LLVM only at cycles).
constexpr size_t kMaxResponseFileDepth = 256;

/// Response files read for one command line, nested ones and repeats
/// included, may hold this much in all (rustc's linker-arguments for a big
/// crate are a few MiB).
constexpr uint64_t kMaxResponseFileBytes = 256ull << 20;

/// Expands every `@file` argument with GNU quoting rules (what rustc writes
/// for `@.../linker-arguments`: one argument per line, `\ ` and `\\`
/// escapes), recursively; a nested relative name is taken from the current
/// directory, as clang 14 and gcc do. An `@file` that does not exist or
/// cannot be read stays as written, as gcc and clang do. A usage error
/// (exit 2): a file that includes itself, directly or through others;
/// nesting deeper than kMaxResponseFileDepth; an `@file` that is a
/// directory, a device or a FIFO; more than kMaxResponseFileBytes read.
llvm::Expected<std::vector<std::string>>
expandResponseFilesChecked(llvm::ArrayRef<std::string> args);

/// The same, for callers that cannot fail: a file in a cycle, too deep, not
/// a regular file or over the limit stays as written at that point, as
/// LLVM's cl::ExpandResponseFiles does for the first two.
std::vector<std::string> expandResponseFiles(llvm::ArrayRef<std::string> args);

/// Splits a response-file text into arguments (GNU rules).
std::vector<std::string> tokenizeGnu(llvm::StringRef text);

/// Quotes one argument so that tokenizeGnu (and clang, gcc, lld reading a
/// response file) gives back exactly the same bytes. The one exception is
/// the empty argument: LLVM's reader drops `""`, so callers must not rely on it.
std::string quoteForResponseFile(llvm::StringRef arg);

/// A target option of a compiler driver at args[i]: `--target=X`, or
/// `-target X` / `--target X` (two arguments: `width` 2).
struct TargetOption {
  llvm::StringRef value;
  size_t width;
};
std::optional<TargetOption> targetOptionAt(llvm::ArrayRef<std::string> args, size_t i);

enum class Mode {
  Compile, // -c, -S, -E, -fsyntax-only, -M/-MM: no link step
  Link,    // anything that may run the linker
  Info,    // no inputs at all: --version, -dumpmachine, -print-*
};

llvm::StringRef modeName(Mode mode);

/// What a gcc-style command line asks for.
Mode classifyMode(llvm::ArrayRef<std::string> args);

/// True when the command compiles at least one source and every source is
/// C++ (by -x, or by its name: .cpp, .cc, .ii, .mm, ...; .c and .h too when
/// `cxxDriver`, as the g++/c++ names compile them as C++).
bool onlyCxxSources(llvm::ArrayRef<std::string> args, bool cxxDriver);

/// True for an argument clang compiles or assembles before linking (a C,
/// C++, Objective-C or assembly source, a preprocessed file, or `-` for
/// stdin): the inputs for which it writes a temporary object.
bool isCompilerInput(llvm::StringRef arg);

/// Bytes an argv takes on the kernel's side (each string plus its NUL).
size_t commandLineBytes(llvm::ArrayRef<std::string> argv);

} // namespace crosshim
