#include "shims/program_name.h"

#include "support/errors.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/Triple.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

namespace crosshim {
namespace {

constexpr ToolInfo kTools[] = {
    {"cc", "clang", ToolKind::CCompiler},
    {"gcc", "clang", ToolKind::CCompiler},
    {"clang", "clang", ToolKind::CCompiler},
    {"c++", "clang", ToolKind::CxxCompiler},
    {"g++", "clang", ToolKind::CxxCompiler},
    {"clang++", "clang", ToolKind::CxxCompiler},
    {"cpp", "clang", ToolKind::Preprocessor},
    {"ld", "ld.lld", ToolKind::Linker, ToolFor::NotMsvc},
    {"ar", "llvm-ar", ToolKind::BinaryTool},
    {"ranlib", "llvm-ranlib", ToolKind::BinaryTool},
    // What CMake looks for next to a Clang compiler (<prefix>llvm-ar) for
    // CMAKE_<LANG>_COMPILER_AR/RANLIB, which -flto (check_ipo_supported) needs.
    {"llvm-ar", "llvm-ar", ToolKind::BinaryTool},
    {"llvm-ranlib", "llvm-ranlib", ToolKind::BinaryTool},
    {"nm", "llvm-nm", ToolKind::BinaryTool},
    {"objcopy", "llvm-objcopy", ToolKind::BinaryTool},
    {"objdump", "llvm-objdump", ToolKind::BinaryTool},
    {"readelf", "llvm-readelf", ToolKind::BinaryTool},
    {"strip", "llvm-strip", ToolKind::BinaryTool},
    {"size", "llvm-size", ToolKind::BinaryTool},
    {"strings", "llvm-strings", ToolKind::BinaryTool},
    {"addr2line", "llvm-addr2line", ToolKind::BinaryTool},
    // What GNU binutils and GCC install besides: GNU as's options for clang's
    // integrated assembler; GCC's LTO-plugin wrappers of ar, nm and ranlib
    // (the LLVM tools read bitcode themselves); the demangler; the DWARF
    // package tool. Not ld.bfd or ld.gold: ld.lld is neither.
    {"as", "clang", ToolKind::Assembler, ToolFor::Gnu},
    {"c++filt", "llvm-cxxfilt", ToolKind::BinaryTool, ToolFor::Gnu},
    {"gcc-ar", "llvm-ar", ToolKind::BinaryTool, ToolFor::Gnu},
    {"gcc-nm", "llvm-nm", ToolKind::BinaryTool, ToolFor::Gnu},
    {"gcc-ranlib", "llvm-ranlib", ToolKind::BinaryTool, ToolFor::Gnu},
    {"dwp", "llvm-dwp", ToolKind::BinaryTool, ToolFor::Elf},
    {"cl", "clang-cl", ToolKind::ClCompiler, ToolFor::Msvc},
    {"link", "lld-link", ToolKind::CoffLinker, ToolFor::Msvc},
    {"lib", "llvm-lib", ToolKind::BinaryTool, ToolFor::Msvc},
    {"dlltool", "llvm-dlltool", ToolKind::BinaryTool, ToolFor::Windows},
    {"windres", "llvm-windres", ToolKind::BinaryTool, ToolFor::Windows},
    // No LLVM program: Wine's IDL compiler as mingw-w64-tools installs it
    // (<gnu>-widl, which knows its target and the mingw-w64 .idl files);
    // llvm-mingw has the same name.
    {"widl", "", ToolKind::BinaryTool, ToolFor::Mingw},
    {"xcrun", "", ToolKind::Xcrun, ToolFor::Darwin},
    {"lipo", "llvm-lipo", ToolKind::BinaryTool, ToolFor::Darwin},
    {"run", "", ToolKind::Runner},
    {"pkg-config", "", ToolKind::PkgConfig},
};

bool isVersion(llvm::StringRef s) {
  if (s.empty() || !llvm::isDigit(s.front()) || !llvm::isDigit(s.back()))
    return false;
  return llvm::all_of(s, [](char c) { return llvm::isDigit(c) || c == '.'; });
}

// "gcc-12" -> "gcc", "clang-14.0" -> "clang"; "aarch64-linux-gnu-gcc" stays.
llvm::StringRef stripVersionSuffix(llvm::StringRef name) {
  size_t dash = name.rfind('-');
  if (dash != llvm::StringRef::npos && isVersion(name.substr(dash + 1)))
    return name.substr(0, dash);
  return name;
}

} // namespace

std::string invokedPath(llvm::StringRef argv0, llvm::StringRef pathVar) {
  if (argv0.empty())
    return "";
  if (argv0.contains('/')) {
    llvm::SmallString<256> path(argv0);
    llvm::sys::fs::make_absolute(path);
    llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
    return std::string(path);
  }
  llvm::SmallVector<llvm::StringRef, 16> dirs;
  pathVar.split(dirs, ':');
  for (llvm::StringRef dir : dirs) {
    llvm::SmallString<256> candidate(dir.empty() ? "." : dir);
    llvm::sys::path::append(candidate, argv0);
    if (llvm::sys::fs::can_execute(candidate)) {
      llvm::sys::fs::make_absolute(candidate);
      return std::string(candidate);
    }
  }
  return "";
}

llvm::ArrayRef<ToolInfo> allTools() {
  return kTools;
}

const ToolInfo *findTool(llvm::StringRef name) {
  for (const ToolInfo &t : kTools)
    if (t.name == name)
      return &t;
  return nullptr;
}

llvm::Expected<GlibcVersion> parseGlibcVersion(llvm::StringRef text) {
  llvm::StringRef major, minor;
  std::tie(major, minor) = text.split('.');
  GlibcVersion v;
  if (major.empty() || minor.empty() || !llvm::all_of(major, llvm::isDigit) ||
      !llvm::all_of(minor, llvm::isDigit) || major.getAsInteger(10, v.major) ||
      minor.getAsInteger(10, v.minor) || v.major != 2)
    return makeError(ExitCode::Usage,
                     "malformed glibc version '" + text.str() + "': expected 2.N, as in 2.17");
  return v;
}

llvm::Expected<ProgramName> parseProgramName(llvm::StringRef argv0) {
  llvm::StringRef base = llvm::sys::path::filename(argv0);
  if (base.endswith_insensitive(".exe"))
    base = base.drop_back(4);
  base = stripVersionSuffix(base);

  ProgramName result;
  result.argv0 = argv0.str();
  if (base == "crosshim")
    return result; // Kind::Main

  if (const ToolInfo *tool = findTool(base); tool && !tool->needsTarget()) {
    result.kind = ProgramName::Kind::Masquerade;
    result.tool = tool;
    return result;
  }

  if (const ToolInfo *tool = findTool(base); tool && tool->needsTarget()) {
    const std::string n = base.str();
    return makeError(ExitCode::Usage, "'" + n + "' is a crosshim name only with a target in " +
                                          "front: <target>-" + n + " (aarch64-unknown-linux-gnu-" +
                                          n + ")");
  }

  // The tool is what follows the last dash, unless a tool whose own name has
  // a dash (pkg-config) ends the name.
  size_t dash = base.rfind('-');
  for (const ToolInfo &t : kTools)
    if (t.name.contains('-') && base.size() > t.name.size() + 1 &&
        base.endswith(("-" + t.name).str()))
      dash = base.size() - t.name.size() - 1;
  if (dash == llvm::StringRef::npos || dash == 0)
    return makeError(ExitCode::Usage, "crosshim does not know the program name '" + base.str() +
                                          "': expected crosshim, a tool name (cc, c++, ar, ...) or "
                                          "<target>-<tool> (aarch64-unknown-linux-gnu-cc)");
  llvm::StringRef spec = base.substr(0, dash), toolName = base.substr(dash + 1);
  const ToolInfo *tool = findTool(toolName);
  if (!tool) {
    std::string known;
    for (const ToolInfo &t : kTools)
      known += (known.empty() ? "" : " ") + t.name.str();
    return makeError(ExitCode::Usage, "unknown tool '" + toolName.str() + "' in program name '" +
                                          base.str() + "'; known tools: " + known);
  }

  // A glibc floor rides on the target: x86_64-unknown-linux-gnu.2.17; a dot
  // in osxcross's x86_64-apple-darwin20.4 is the Darwin version.
  llvm::StringRef triple = spec, floor;
  size_t dot = spec.find('.');
  if (dot != llvm::StringRef::npos && llvm::Triple(spec).isOSDarwin())
    dot = llvm::StringRef::npos;
  if (dot != llvm::StringRef::npos) {
    triple = spec.substr(0, dot);
    floor = spec.substr(dot + 1);
  }
  auto target = lookupTarget(triple);
  if (!target)
    return target.takeError();
  if (dot != llvm::StringRef::npos) {
    auto version = parseGlibcVersion(floor);
    if (!version)
      return makeError(ExitCode::Usage, "in program name '" + base.str() +
                                            "': " + llvm::toString(version.takeError()));
    if (!target->isGlibc())
      return makeError(ExitCode::Usage, "in program name '" + base.str() + "': a glibc floor (." +
                                            floor.str() + ") needs a glibc target, and " +
                                            target->rust.str() + " is not one");
    result.glibcFloor = *version;
  }
  if (!tool->supports(*target)) {
    std::string why = tool->only == ToolFor::Msvc      ? "an MSVC tool (for *-pc-windows-msvc)"
                      : tool->only == ToolFor::Windows ? "a Windows tool"
                      : tool->only == ToolFor::Mingw   ? "a MinGW tool (for *-windows-gnu)"
                      : tool->only == ToolFor::Darwin  ? "an Apple tool (for *-apple-darwin)"
                      : tool->only == ToolFor::Gnu
                          ? "a GNU binutils/GCC tool (for Linux and *-windows-gnu targets)"
                      : tool->only == ToolFor::Elf ? "an ELF tool (for Linux targets)"
                                                       : "not an MSVC tool";
    std::string instead = tool->only == ToolFor::NotMsvc
                              ? " (the MSVC linker is " + target->rust.str() + "-link)"
                              : "";
    return makeError(ExitCode::Usage, "'" + toolName.str() + "' is " + why + ", and " +
                                          target->rust.str() + " has no " + toolName.str() +
                                          instead + ": program name '" + base.str() + "'");
  }
  result.kind = ProgramName::Kind::Shim;
  result.tool = tool;
  result.target = &*target;
  return result;
}

} // namespace crosshim
