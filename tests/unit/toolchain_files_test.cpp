// The CMake toolchain file and Meson cross file texts (toolchain_files.h):
// what each sysroot layout gets, the machine names, and quoting. Running
// CMake and Meson with them is the e2e tests' job (toolchain-cmake.sh,
// toolchain-meson.sh).
#include "setup/toolchain_files.h"
#include "shims/sysroot.h"
#include "shims/targets.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crosshim {
namespace {

using test::target;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

Sysroot debianCross(const char *gnu) {
  Sysroot s;
  s.path = std::string("/usr/") + gnu;
  s.layout = Layout::DebianCross;
  s.gccToolchain = "/usr";
  s.source = std::string("Debian cross packages (/usr/") + gnu + ")";
  return s;
}

Sysroot multiarchDir(const std::string &path) {
  Sysroot s;
  s.path = path;
  s.layout = Layout::Multiarch;
  s.mergedUsr = true;
  s.source = "CROSSHIM_SYSROOT_ARMV7_UNKNOWN_LINUX_GNUEABIHF";
  return s;
}

ToolchainFileInputs inputs(const char *triple, Sysroot sysroot) {
  ToolchainFileInputs in;
  in.target = &target(triple);
  in.sysroot = std::move(sysroot);
  in.shimDir = "/opt/crosshim/lib/crosshim/bin";
  return in;
}

TEST(ToolchainFiles, DebianCrossGetsAFindRootButNoCMakeSysroot) {
  // CMake's own --sysroot would turn off the shim's --gcc-toolchain and the
  // empty linker --sysroot (user-sysroot rule), and the link would fail.
  SysrootPlan plan =
      planSysroot(target("aarch64-unknown-linux-gnu"), debianCross("aarch64-linux-gnu"));
  EXPECT_EQ(plan.sysroot, "");
  EXPECT_THAT(plan.findRoots, ElementsAre("/usr/aarch64-linux-gnu"));
  EXPECT_THAT(plan.ignoreDirs, IsEmpty());
}

TEST(ToolchainFiles, MultiarchDirectoryIsTheCMakeSysroot) {
  SysrootPlan plan =
      planSysroot(target("armv7-unknown-linux-gnueabihf"), multiarchDir("/srv/armhf"));
  EXPECT_EQ(plan.sysroot, "/srv/armhf");
  EXPECT_THAT(plan.findRoots, IsEmpty()); // CMAKE_SYSROOT is a find root already
}

TEST(ToolchainFiles, MultiarchOnTheBuildMachineIgnoresItsOwnArchitecture) {
  Sysroot s = multiarchDir("/");
  SysrootPlan plan = planSysroot(target("aarch64-unknown-linux-gnu"), s);
  EXPECT_EQ(plan.sysroot, "");
  EXPECT_THAT(plan.findRoots, IsEmpty());
  if (hostTarget() && hostTarget()->rust == "x86_64-unknown-linux-gnu") {
    EXPECT_THAT(plan.ignoreDirs, ElementsAre("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
                                             "/usr/include/x86_64-linux-gnu"));
  }
}

TEST(ToolchainFiles, DebianMuslSearchesItsTwoDirectories) {
  Sysroot s;
  s.path = s.libDir = s.gccToolchain = "/usr/lib/x86_64-linux-musl";
  s.includeDir = "/usr/include/x86_64-linux-musl";
  s.layout = Layout::DebianMusl;
  SysrootPlan plan = planSysroot(target("x86_64-unknown-linux-musl"), s);
  EXPECT_EQ(plan.sysroot, "");
  EXPECT_THAT(plan.findRoots,
              ElementsAre("/usr/lib/x86_64-linux-musl", "/usr/include/x86_64-linux-musl"));
  EXPECT_THAT(plan.libraryDirs, ElementsAre("/usr/lib/x86_64-linux-musl"));
  EXPECT_THAT(plan.includeDirs, ElementsAre("/usr/include/x86_64-linux-musl"));
}

TEST(ToolchainFiles, HostNeedsNothing) {
  Sysroot s;
  s.path = "/";
  s.layout = Layout::Host;
  SysrootPlan plan = planSysroot(target("x86_64-unknown-linux-gnu"), s);
  EXPECT_EQ(plan.sysroot, "");
  EXPECT_THAT(plan.findRoots, IsEmpty());
  EXPECT_THAT(plan.ignoreDirs, IsEmpty());
}

TEST(ToolchainFiles, MachineNames) {
  EXPECT_EQ(cmakeSystemProcessor(target("aarch64-unknown-linux-gnu")), "aarch64");
  EXPECT_EQ(cmakeSystemProcessor(target("armv7-unknown-linux-gnueabihf")), "armv7l");
  EXPECT_EQ(cmakeSystemProcessor(target("arm-unknown-linux-gnueabi")), "armv6l");
  EXPECT_EQ(cmakeSystemProcessor(target("i686-unknown-linux-gnu")), "i686");
  EXPECT_EQ(cmakeSystemProcessor(target("x86_64-unknown-linux-musl")), "x86_64");
  EXPECT_EQ(cmakeSystemProcessor(target("riscv64gc-unknown-linux-gnu")), "riscv64");
  EXPECT_EQ(cmakeSystemProcessor(target("powerpc64le-unknown-linux-gnu")), "ppc64le");
  EXPECT_EQ(cmakeSystemProcessor(target("s390x-unknown-linux-gnu")), "s390x");

  MesonMachine arm = mesonMachine(target("armv7-unknown-linux-gnueabihf"));
  EXPECT_EQ(arm.cpuFamily, "arm");
  EXPECT_EQ(arm.cpu, "armv7l");
  EXPECT_EQ(arm.endian, "little");
  MesonMachine x86 = mesonMachine(target("i686-unknown-linux-gnu"));
  EXPECT_EQ(x86.cpuFamily, "x86");
  EXPECT_EQ(x86.cpu, "i686");
  EXPECT_EQ(mesonMachine(target("aarch64-unknown-linux-gnu")).cpuFamily, "aarch64");
  EXPECT_EQ(mesonMachine(target("powerpc64le-unknown-linux-gnu")).cpuFamily, "ppc64");
  EXPECT_EQ(mesonMachine(target("s390x-unknown-linux-gnu")).endian, "big");
  // Every row has a Meson family from its reference table.
  for (const Target &t : allTargets())
    EXPECT_THAT(std::string(mesonMachine(t).cpuFamily),
                ::testing::AnyOf("x86_64", "x86", "aarch64", "arm", "riscv64", "ppc64", "s390x"))
        << t.rust.str();
}

TEST(ToolchainFiles, Quoting) {
  EXPECT_EQ(cmakeQuote("/a b/c"), "\"/a b/c\"");
  EXPECT_EQ(cmakeQuote(R"(/x"y\z$w;v)"), R"("/x\"y\\z\$w\;v")");
  EXPECT_EQ(mesonQuote("/a b/c"), "'/a b/c'");
  EXPECT_EQ(mesonQuote(R"(/it's\here)"), R"('/it\'s\\here')");
}

TEST(ToolchainFiles, CMakeFileForDebianCross) {
  std::string text =
      cmakeToolchainFile(inputs("aarch64-unknown-linux-gnu", debianCross("aarch64-linux-gnu")));
  const std::string bin = "/opt/crosshim/lib/crosshim/bin/aarch64-unknown-linux-gnu-";
  EXPECT_THAT(text, HasSubstr("set(CMAKE_SYSTEM_NAME Linux)\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_SYSTEM_PROCESSOR aarch64)\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_C_COMPILER \"" + bin + "cc\")\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_CXX_COMPILER \"" + bin + "c++\")\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_AR \"" + bin + "ar\")\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_RANLIB \"" + bin + "ranlib\")\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_CROSSCOMPILING_EMULATOR \"" + bin + "run\")\n"));
  EXPECT_THAT(text, Not(HasSubstr("set(CMAKE_SYSROOT")));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_BUILD_RPATH_USE_ORIGIN ON)\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_FIND_ROOT_PATH \"/usr/aarch64-linux-gnu\")\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)\n"));
  EXPECT_THAT(text,
              HasSubstr("if(EXISTS \"" + bin + "pkg-config\")\n  set(PKG_CONFIG_EXECUTABLE \"" +
                        bin + "pkg-config\" CACHE FILEPATH"));
  EXPECT_THAT(text, HasSubstr("# Sysroot: /usr/aarch64-linux-gnu (debian-cross), from Debian cross "
                              "packages (/usr/aarch64-linux-gnu).\n"));
}

TEST(ToolchainFiles, CMakeFileForAMultiarchSysrootWithAwkwardPath) {
  std::string text = cmakeToolchainFile(
      inputs("armv7-unknown-linux-gnueabihf", multiarchDir("/srv/my roots/arm\"hf")));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_SYSTEM_PROCESSOR armv7l)\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_SYSROOT \"/srv/my roots/arm\\\"hf\")\n"));
  EXPECT_THAT(text, Not(HasSubstr("set(CMAKE_FIND_ROOT_PATH ")));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_LIBRARY_ARCHITECTURE arm-linux-gnueabihf)\n"));
}

TEST(ToolchainFiles, CMakeFileForTheHost) {
  Sysroot s;
  s.path = "/";
  s.layout = Layout::Host;
  std::string text = cmakeToolchainFile(inputs("x86_64-unknown-linux-gnu", s));
  EXPECT_THAT(text, Not(HasSubstr("CMAKE_FIND_ROOT_PATH")));
  EXPECT_THAT(text, Not(HasSubstr("CMAKE_SYSROOT")));
  EXPECT_THAT(text, Not(HasSubstr("CMAKE_LIBRARY_ARCHITECTURE")));
}

TEST(ToolchainFiles, MesonFileForDebianCross) {
  ToolchainFileInputs in = inputs("i686-unknown-linux-gnu", debianCross("i686-linux-gnu"));
  std::string text = mesonCrossFile(in);
  const std::string bin = "/opt/crosshim/lib/crosshim/bin/i686-unknown-linux-gnu-";
  EXPECT_THAT(text, HasSubstr("[binaries]\nc = '" + bin + "cc'\ncpp = '" + bin + "c++'\nar = '" +
                              bin + "ar'\nstrip = '" + bin + "strip'\n"));
  EXPECT_THAT(text, HasSubstr("exe_wrapper = '" + bin + "run'\n"));
  EXPECT_THAT(text, Not(HasSubstr("pkg-config =")));
  EXPECT_THAT(text, HasSubstr("[host_machine]\nsystem = 'linux'\ncpu_family = 'x86'\ncpu = "
                              "'i686'\nendian = 'little'\n"));
  EXPECT_THAT(text, HasSubstr("[properties]\n"));
  EXPECT_THAT(text, HasSubstr("needs_exe_wrapper = true\n"));
  // The runner also as a property, for meson.get_external_property('exe_wrapper').
  EXPECT_THAT(text.substr(text.find("[properties]")),
              HasSubstr("\nexe_wrapper = '" + bin + "run'\n"));
  EXPECT_THAT(text, Not(HasSubstr("sys_root")));

  in.pkgConfigShim = true;
  // Meson 1.0 (bookworm) reads `pkgconfig`, Meson 1.3 and later `pkg-config`.
  EXPECT_THAT(mesonCrossFile(in), HasSubstr("\npkgconfig = '" + bin + "pkg-config'\n"));
  EXPECT_THAT(mesonCrossFile(in), HasSubstr("\npkg-config = '" + bin + "pkg-config'\n"));
}

Sysroot debianMingw() {
  Sysroot s;
  s.path = "/usr/x86_64-w64-mingw32";
  s.layout = Layout::Mingw;
  s.gccRuntimeDir = "/usr/lib/gcc/x86_64-w64-mingw32/12-win32";
  s.source = "Debian mingw-w64 packages (/usr/x86_64-w64-mingw32)";
  return s;
}

TEST(ToolchainFiles, CMakeFileForMingw) {
  const std::string text = cmakeToolchainFile(inputs("x86_64-pc-windows-gnu", debianMingw()));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_SYSTEM_NAME Windows)\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_SYSTEM_PROCESSOR x86_64)\n"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_RC_COMPILER "
                              "\"/opt/crosshim/lib/crosshim/bin/x86_64-pc-windows-gnu-windres\")"));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_CROSSCOMPILING_EMULATOR "
                              "\"/opt/crosshim/lib/crosshim/bin/x86_64-pc-windows-gnu-run\")"));
  // CMake's --sysroot would turn the shims' GCC runtime flags off; Windows
  // has no multiarch directories.
  EXPECT_THAT(text, Not(HasSubstr("set(CMAKE_SYSROOT")));
  EXPECT_THAT(text, HasSubstr("set(CMAKE_FIND_ROOT_PATH \"/usr/x86_64-w64-mingw32\")"));
  EXPECT_THAT(text, Not(HasSubstr("CMAKE_LIBRARY_ARCHITECTURE")));
  // Linux targets have no resource compiler.
  EXPECT_THAT(
      cmakeToolchainFile(inputs("aarch64-unknown-linux-gnu", debianCross("aarch64-linux-gnu"))),
      Not(HasSubstr("CMAKE_RC_COMPILER")));
}

TEST(ToolchainFiles, MesonFileForMingw) {
  const std::string text = mesonCrossFile(inputs("i686-pc-windows-gnu", debianMingw()));
  EXPECT_THAT(text, HasSubstr("system = 'windows'\n"));
  EXPECT_THAT(text, HasSubstr("cpu_family = 'x86'\n"));
  EXPECT_THAT(text, Not(HasSubstr("sys_root")));
}

TEST(ToolchainFiles, MesonFileForAMultiarchSysroot) {
  std::string text =
      mesonCrossFile(inputs("armv7-unknown-linux-gnueabihf", multiarchDir("/srv/it's")));
  EXPECT_THAT(text, HasSubstr("cpu_family = 'arm'\ncpu = 'armv7l'\n"));
  EXPECT_THAT(text, HasSubstr("sys_root = '/srv/it\\'s'\n"));
  // Comments never carry a value onto a line of its own: a sysroot path with a
  // newline stays inside the comment.
  Sysroot odd = multiarchDir("/srv/a\nc = 'x'");
  std::string oddText = mesonCrossFile(inputs("armv7-unknown-linux-gnueabihf", odd));
  EXPECT_THAT(oddText, Not(HasSubstr("\nc = 'x'")));
}

} // namespace
} // namespace crosshim
