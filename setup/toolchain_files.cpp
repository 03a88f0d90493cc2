#include "setup/toolchain_files.h"

#include <llvm/ADT/Triple.h>

namespace crosshim {
namespace {

std::string shim(const ToolchainFileInputs &in, llvm::StringRef tool) {
  return in.shimDir + "/" + in.target->rust.str() + "-" + tool.str();
}

std::string cmakeList(const std::vector<std::string> &items) {
  // Each item is quoted on its own: the ; between them must stay a separator.
  std::string out;
  for (const std::string &item : items)
    out += (out.empty() ? "" : " ") + cmakeQuote(item);
  return out;
}

// Comment lines ("# ...") for a text that may hold newlines.
std::string comment(llvm::StringRef text) {
  std::string out;
  llvm::SmallVector<llvm::StringRef, 8> lines;
  text.split(lines, '\n');
  for (llvm::StringRef line : lines)
    out += line.empty() ? "#\n" : "# " + line.rtrim().str() + "\n";
  return out;
}

std::string describeSysroot(const ToolchainFileInputs &in) {
  const Sysroot &s = in.sysroot;
  std::string text = "Sysroot: " + s.path + " (" + describeLayout(s) + ")";
  if (!s.source.empty())
    text += ", from " + s.source;
  return text + ".";
}

} // namespace

SysrootPlan planSysroot(const Target &target, const Sysroot &sysroot) {
  SysrootPlan plan;
  const Target *host = hostTarget();
  switch (sysroot.layout) {
  case Layout::Host:
    plan.why = "The target is the build machine: CMake searches it as usual.";
    return plan;
  case Layout::DebianCross:
    // CMAKE_SYSROOT would make CMake pass --sysroot itself; a --sysroot in the
    // arguments turns off the shim's layout flags (--gcc-toolchain=/usr and the
    // empty linker --sysroot that Debian's libc.so script needs), and the link
    // fails. The find root alone re-roots find_*: /usr/<gnu>/{lib,include}.
    plan.findRoots = {sysroot.path};
    plan.why = "Debian cross packages: the shims pass --sysroot and --gcc-toolchain "
               "themselves, so\nno CMAKE_SYSROOT (CMake's --sysroot would turn their layout "
               "flags off); find_* look\nunder the find root only.";
    return plan;
  case Layout::DebianMusl:
    // The musl headers and libraries are two flat directories, not a root:
    // name them as search directories inside two find roots.
    plan.findRoots = {sysroot.libDir, sysroot.includeDir};
    plan.libraryDirs = {sysroot.libDir};
    plan.includeDirs = {sysroot.includeDir};
    plan.why = "Debian musl-dev: flat header and library directories; the shims pass the "
               "flags,\nfind_* look in those two directories only.";
    return plan;
  case Layout::Mingw:
    // As for Debian's cross packages: CMake's own --sysroot would turn off the
    // shims' -L<gcc runtime> and libstdc++ -isystem flags.
    plan.findRoots = {sysroot.path};
    plan.why = "mingw-w64: the shims pass --sysroot and the GCC runtime flags themselves, so no\n"
               "CMAKE_SYSROOT; find_* look under the find root only.";
    return plan;
  case Layout::MacSdk:
    plan.findRoots = {sysroot.path};
    plan.why = "macOS SDK: the shims pass -isysroot and the minimum macOS themselves; find_*\n"
               "look under the SDK only.";
    return plan;
  case Layout::MsvcXwin:
  case Layout::MsvcWinsysroot:
    plan.findRoots = {sysroot.path};
    plan.libraryDirs = sysroot.libDirs;
    plan.includeDirs = sysroot.includeDirs;
    plan.why = "Microsoft CRT + Windows SDK: the shims pass /imsvc and /libpath: themselves;\n"
               "find_* look under the SDK only.";
    return plan;
  case Layout::Multiarch:
  case Layout::Musl:
  case Layout::Plain:
    break;
  }
  if (sysroot.path == "/") {
    // Multiarch libraries installed on the build machine itself: the root is
    // shared, so keep the build machine's own architecture out instead.
    if (host && host->multiarch != target.multiarch)
      for (const char *dir : {"/usr/lib/", "/lib/", "/usr/include/"})
        plan.ignoreDirs.push_back(dir + host->multiarch.str());
    plan.why = "Multiarch libraries installed on the build machine: its own architecture's\n"
               "directories are ignored; CMAKE_LIBRARY_ARCHITECTURE picks the target's.";
    return plan;
  }
  // The shim's only layout flag here is --sysroot=<dir>; CMake passing the
  // same one makes the shim skip its own (no duplicate), and CMake then
  // re-roots find_* and hands the sysroot to pkg-config.
  if (sysroot.gccToolchain.empty()) {
    plan.sysroot = sysroot.path;
    plan.why = "A sysroot directory: CMAKE_SYSROOT is the --sysroot the shims would pass, and "
               "re-roots\nfind_* there.";
  } else {
    plan.findRoots = {sysroot.path};
    plan.why = "The shims pass --sysroot and --gcc-toolchain themselves; find_* look under the "
               "find\nroot only.";
  }
  return plan;
}

llvm::StringRef cmakeSystemProcessor(const Target &target) {
  llvm::Triple triple(target.clang);
  switch (triple.getArch()) {
  case llvm::Triple::x86_64:
    return "x86_64";
  case llvm::Triple::x86:
    return "i686";
  case llvm::Triple::aarch64:
    return "aarch64";
  case llvm::Triple::arm:
    return triple.getSubArch() == llvm::Triple::ARMSubArch_v7 ? "armv7l" : "armv6l";
  case llvm::Triple::riscv64:
    return "riscv64";
  case llvm::Triple::ppc64le:
    return "ppc64le";
  case llvm::Triple::systemz:
    return "s390x";
  default:
    return triple.getArchName();
  }
}

MesonMachine mesonMachine(const Target &target) {
  llvm::StringRef cpu = cmakeSystemProcessor(target);
  llvm::Triple triple(target.clang);
  llvm::StringRef endian = triple.isLittleEndian() ? "little" : "big";
  switch (triple.getArch()) {
  case llvm::Triple::x86:
    return {"x86", cpu, endian};
  case llvm::Triple::arm:
    return {"arm", cpu, endian};
  case llvm::Triple::ppc64le:
    return {"ppc64", cpu, endian};
  default:
    return {cpu, cpu, endian};
  }
}

std::string cmakeQuote(llvm::StringRef value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '\\' || c == '"' || c == '$' || c == ';')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string mesonQuote(llvm::StringRef value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "'";
}

std::string cmakeToolchainFile(const ToolchainFileInputs &in) {
  const Target &t = *in.target;
  const SysrootPlan plan = planSysroot(t, in.sysroot);
  const bool host = in.sysroot.layout == Layout::Host;
  std::string out;
  auto set = [&](llvm::StringRef var, const std::string &value) {
    out += "set(" + var.str() + " " + value + ")\n";
  };

  out += comment("CMake toolchain file for " + t.rust.str() +
                 ", written by `crosshim toolchain cmake`.\n"
                 "Use: cmake -DCMAKE_TOOLCHAIN_FILE=<this file> ...\n" +
                 describeSysroot(in) +
                 "\nThe compilers are crosshim's shims: they find the sysroot themselves "
                 "(crosshim.toml,\nCROSSHIM_SYSROOT_<TRIPLE>, ...) on every call, and so does "
                 "the emulator; write this\nfile again when that setting changes.");
  set("CMAKE_SYSTEM_NAME", t.isWindows() ? "Windows" : "Linux");
  set("CMAKE_SYSTEM_PROCESSOR", cmakeSystemProcessor(t).str());
  out += "\n";
  set("CMAKE_C_COMPILER", cmakeQuote(shim(in, "cc")));
  set("CMAKE_CXX_COMPILER", cmakeQuote(shim(in, "c++")));
  if (!in.launcher.empty()) {
    out += comment("The shims run their compiles through " + in.launcher +
                   " (CROSSHIM_LAUNCHER): it sees the whole\nclang command, target and "
                   "sysroot included.");
    for (llvm::StringRef lang : {"C", "CXX"})
      set("CMAKE_" + lang.str() + "_COMPILER_LAUNCHER",
          "/usr/bin/env " + cmakeQuote("CROSSHIM_LAUNCHER=" + in.launcher));
  }
  for (llvm::StringRef tool : {"ar", "ranlib", "strip", "nm", "objcopy", "objdump", "readelf"})
    set("CMAKE_" + tool.upper(), cmakeQuote(shim(in, tool)));
  if (t.isMingw()) // resource scripts (.rc) through llvm-windres
    set("CMAKE_RC_COMPILER", cmakeQuote(shim(in, "windres")));
  out += comment("ctest, try_run and add_custom_command run target programs through the runner "
                 "(" +
                 std::string(t.isWindows() ? "wine" : "qemu-user") + ").");
  set("CMAKE_CROSSCOMPILING_EMULATOR", cmakeQuote(shim(in, "run")));
  out += comment("Build-tree RUNPATHs relative to $ORIGIN: an absolute one names this machine's "
                 "build folder\n(crosshim's rpath-leak), and $ORIGIN works under qemu and when "
                 "the folder moves.");
  set("CMAKE_BUILD_RPATH_USE_ORIGIN", "ON");

  out += "\n" + comment(plan.why);
  if (!plan.sysroot.empty())
    set("CMAKE_SYSROOT", cmakeQuote(plan.sysroot));
  if (!plan.findRoots.empty())
    set("CMAKE_FIND_ROOT_PATH", cmakeList(plan.findRoots));
  if (!plan.libraryDirs.empty())
    out += "list(APPEND CMAKE_SYSTEM_LIBRARY_PATH " + cmakeList(plan.libraryDirs) + ")\n";
  if (!plan.includeDirs.empty())
    out += "list(APPEND CMAKE_SYSTEM_INCLUDE_PATH " + cmakeList(plan.includeDirs) + ")\n";
  if (!plan.ignoreDirs.empty())
    set("CMAKE_IGNORE_PATH", cmakeList(plan.ignoreDirs));
  if (!plan.sysroot.empty() || !plan.findRoots.empty()) {
    out += comment("Programs run on the build machine; libraries, headers and packages come from "
                   "the target\nonly, never from the build machine.");
    set("CMAKE_FIND_ROOT_PATH_MODE_PROGRAM", "NEVER");
    set("CMAKE_FIND_ROOT_PATH_MODE_LIBRARY", "ONLY");
    set("CMAKE_FIND_ROOT_PATH_MODE_INCLUDE", "ONLY");
    set("CMAKE_FIND_ROOT_PATH_MODE_PACKAGE", "ONLY");
  }
  if (!host && !t.multiarch.empty()) {
    out += comment("find_library and find_path also look in lib/<multiarch> and "
                   "include/<multiarch>.");
    set("CMAKE_LIBRARY_ARCHITECTURE", t.multiarch.str());
  }

  out += "\n" + comment("pkg-config for the target (reads only the sysroot's .pc files), once "
                        "installed.");
  const std::string pkgConfig = shim(in, "pkg-config");
  out += "if(EXISTS " + cmakeQuote(pkgConfig) + ")\n  set(PKG_CONFIG_EXECUTABLE " +
         cmakeQuote(pkgConfig) + " CACHE FILEPATH " + cmakeQuote("pkg-config for " + t.rust.str()) +
         ")\nendif()\n";
  return out;
}

std::string mesonCrossFile(const ToolchainFileInputs &in) {
  const Target &t = *in.target;
  const SysrootPlan plan = planSysroot(t, in.sysroot);
  const MesonMachine machine = mesonMachine(t);
  const bool host = in.sysroot.layout == Layout::Host;
  std::string out;
  auto entry = [&](llvm::StringRef key, const std::string &value) {
    out += key.str() + " = " + value + "\n";
  };

  out += comment("Meson cross file for " + t.rust.str() +
                 ", written by `crosshim toolchain meson`.\n"
                 "Use: meson setup --cross-file <this file> BUILDDIR\n" +
                 describeSysroot(in) +
                 "\nThe compilers are crosshim's shims: they find the sysroot themselves "
                 "(crosshim.toml,\nCROSSHIM_SYSROOT_<TRIPLE>, ...) on every call, and so does "
                 "the runner; write this\nfile again when that setting changes.");
  out += "\n[binaries]\n";
  if (in.launcher.empty()) {
    entry("c", mesonQuote(shim(in, "cc")));
    entry("cpp", mesonQuote(shim(in, "c++")));
  } else {
    out += comment("The shims run their compiles through " + in.launcher +
                   " (CROSSHIM_LAUNCHER): it sees the whole\nclang command, target and "
                   "sysroot included.");
    for (auto [key, tool] : {std::pair{"c", "cc"}, std::pair{"cpp", "c++"}})
      entry(key, "['/usr/bin/env', " + mesonQuote("CROSSHIM_LAUNCHER=" + in.launcher) + ", " +
                     mesonQuote(shim(in, tool)) + "]");
  }
  entry("ar", mesonQuote(shim(in, "ar")));
  entry("strip", mesonQuote(shim(in, "strip")));
  if (in.pkgConfigShim) {
    // Meson before 1.3 (Debian bookworm has 1.0) reads `pkgconfig`, later
    // ones `pkg-config`; [binaries] takes any name, so both are written.
    entry("pkgconfig", mesonQuote(shim(in, "pkg-config")));
    entry("pkg-config", mesonQuote(shim(in, "pkg-config")));
  }
  out += comment("meson test and run_command run target programs through the runner (" +
                 std::string(t.isWindows() ? "wine" : "qemu-user") + ").");
  entry("exe_wrapper", mesonQuote(shim(in, "run")));

  out += "\n[host_machine]\n";
  entry("system", t.isWindows() ? "'windows'" : "'linux'");
  entry("cpu_family", mesonQuote(machine.cpuFamily));
  entry("cpu", mesonQuote(machine.cpu));
  entry("endian", mesonQuote(machine.endian));

  out += "\n[properties]\n";
  if (!host) {
    // Meson would run i686 programs directly on x86_64, with the build
    // machine's libraries.
    out += comment("Always through exe_wrapper, also where the build machine could run the "
                   "program itself.");
    entry("needs_exe_wrapper", "true");
  }
  // Meson reads exe_wrapper from [binaries]; projects that start target
  // programs from their own test scripts (serd, sord, lilv: Python drivers)
  // read it with meson.get_external_property('exe_wrapper'), which looks only
  // here.
  out += comment("The runner again, for projects that read it with "
                 "meson.get_external_property('exe_wrapper').");
  entry("exe_wrapper", mesonQuote(shim(in, "run")));
  if (!plan.sysroot.empty()) {
    out += comment("The shims' --sysroot; Meson hands it to pkg-config (PKG_CONFIG_SYSROOT_DIR).");
    entry("sys_root", mesonQuote(plan.sysroot));
  }
  return out;
}

} // namespace crosshim
