// The target table: every spelling of every row, normalisation through
// llvm::Triple, and the error for names it does not know.
#include "shims/targets.h"

#include "test_support.h"

#include <llvm/ADT/StringSet.h>
#include <llvm/ADT/Triple.h>
#include <llvm/Support/Host.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crosshim {
namespace {

using test::errorOf;
using ::testing::HasSubstr;

const Target *row(llvm::StringRef rust) {
  for (const Target &t : allTargets())
    if (t.rust == rust)
      return &t;
  return nullptr;
}

TEST(Targets, EveryNameOfEveryRowResolvesToThatRow) {
  for (const Target &t : allTargets()) {
    SCOPED_TRACE(t.rust.str());
    EXPECT_EQ(findTarget(t.rust), &t);
    EXPECT_EQ(findTarget(t.clang), &t);
    if (!t.gnu.empty()) {
      EXPECT_EQ(findTarget(t.gnu), &t);
    }
    auto looked = lookupTarget(t.rust);
    ASSERT_TRUE(static_cast<bool>(looked)) << llvm::toString(looked.takeError());
    EXPECT_EQ(&*looked, &t);
  }
}

TEST(Targets, TheIssuesTargetsAreInTheTable) {
  for (const char *rust :
       {"x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "i686-unknown-linux-gnu",
        "armv7-unknown-linux-gnueabihf", "arm-unknown-linux-gnueabihf", "arm-unknown-linux-gnueabi",
        "riscv64gc-unknown-linux-gnu", "powerpc64le-unknown-linux-gnu", "s390x-unknown-linux-gnu",
        "x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl", "i686-unknown-linux-musl",
        "armv7-unknown-linux-musleabihf"})
    EXPECT_NE(row(rust), nullptr) << rust;
}

TEST(Targets, AppleSpellings) {
  // osxcross's versioned names, rustc's and clang's arch names, macos/macosx.
  const Target *arm = findTarget("aarch64-apple-darwin");
  const Target *x86 = findTarget("x86_64-apple-darwin");
  ASSERT_NE(arm, nullptr);
  ASSERT_NE(x86, nullptr);
  EXPECT_NE(arm, x86);
  for (const char *name : {"arm64-apple-darwin", "arm64-apple-macos", "arm64-apple-macosx12.0",
                           "aarch64-apple-darwin20.4", "arm64-apple-darwin22"})
    EXPECT_EQ(findTarget(name), arm) << name;
  for (const char *name : {"x86_64-apple-darwin20.4", "x86_64-apple-macosx10.12.0",
                           "x86_64-apple-macos", "x86_64-apple-darwin19"})
    EXPECT_EQ(findTarget(name), x86) << name;
  // Not macOS: iOS and the other vendors' darwin spellings.
  for (const char *name : {"arm64-apple-ios", "aarch64-apple-ios14.0", "aarch64-unknown-darwin"})
    EXPECT_EQ(findTarget(name), nullptr) << name;
}

TEST(Targets, RowsAreUniqueAndConsistent) {
  llvm::StringSet<> rustNames, gnuNames;
  for (const Target &t : allTargets()) {
    SCOPED_TRACE(t.rust.str());
    EXPECT_TRUE(rustNames.insert(t.rust).second) << "duplicate Rust triple";
    if (!t.gnu.empty()) {
      EXPECT_TRUE(gnuNames.insert(t.gnu).second) << "duplicate GNU prefix";
    }
    llvm::Triple clang(t.clang);
    EXPECT_NE(clang.getArch(), llvm::Triple::UnknownArch);
    EXPECT_EQ(t.pointerBits, clang.isArch64Bit() ? 64u : 32u);
    EXPECT_EQ(t.isWindows(), clang.isOSWindows());
    EXPECT_EQ(t.isLinux(), clang.isOSLinux());
    if (t.isWindows()) {
      EXPECT_EQ(t.isMingw(), clang.isWindowsGNUEnvironment());
      EXPECT_EQ(t.isMsvc(), clang.isWindowsMSVCEnvironment());
      EXPECT_EQ(t.isMsvc(), t.gnu.empty()) << "MinGW rows have a GNU prefix, MSVC rows none";
      EXPECT_TRUE(t.loader.empty() && t.multiarch.empty() && t.debianArch.empty());
      EXPECT_TRUE(t.emulator.empty() || t.emulator == "wine") << t.emulator.str();
      continue;
    }
    EXPECT_EQ(t.isDarwin(), clang.isMacOSX());
    if (t.isDarwin()) {
      // Nothing runs a Mach-O here, and nothing of Debian's applies.
      EXPECT_TRUE(t.loader.empty() && t.multiarch.empty() && t.debianArch.empty() &&
                  t.emulator.empty() && t.gnu.empty());
      EXPECT_EQ(clang.getOSMajorVersion(), 0u) << "the minimum macOS comes from the shim";
      continue;
    }
    EXPECT_EQ(t.isMusl(), clang.isMusl());
    EXPECT_NE(t.isMusl(), t.isGlibc());
    EXPECT_TRUE(t.loader.startswith("/lib")) << t.loader.str();
    EXPECT_TRUE(t.emulator.startswith("qemu-")) << t.emulator.str();
    EXPECT_FALSE(t.multiarch.empty());
    EXPECT_FALSE(t.debianArch.empty());
    if (t.isMusl()) {
      EXPECT_TRUE(t.loader.contains("ld-musl-")) << t.loader.str();
    }
  }
}

TEST(Targets, TheWindowsTargetsAreInTheTable) {
  for (const char *rust : {"x86_64-pc-windows-gnu", "i686-pc-windows-gnu", "x86_64-pc-windows-msvc",
                           "aarch64-pc-windows-msvc", "i686-pc-windows-msvc"})
    EXPECT_NE(row(rust), nullptr) << rust;
  EXPECT_TRUE(row("x86_64-pc-windows-gnu")->isMingw());
  EXPECT_TRUE(row("aarch64-pc-windows-msvc")->isMsvc());
}

TEST(Targets, OtherSpellingsNormaliseToTheSameRow) {
  struct Case {
    const char *name, *rust;
  } cases[] = {
      {"aarch64-pc-linux-gnu", "aarch64-unknown-linux-gnu"},
      {"aarch64-linux-gnu", "aarch64-unknown-linux-gnu"},
      {"x86_64-pc-linux-gnu", "x86_64-unknown-linux-gnu"},
      {"x86_64-linux-gnu", "x86_64-unknown-linux-gnu"},
      {"x86_64-linux-musl", "x86_64-unknown-linux-musl"},
      {"x86_64-pc-linux-musl", "x86_64-unknown-linux-musl"},
      {"i686-linux-gnu", "i686-unknown-linux-gnu"},
      {"i686-pc-linux-gnu", "i686-unknown-linux-gnu"},
      {"armv7-linux-gnueabihf", "armv7-unknown-linux-gnueabihf"},
      {"armv7a-unknown-linux-gnueabihf", "armv7-unknown-linux-gnueabihf"},
      {"armv7-linux-musleabihf", "armv7-unknown-linux-musleabihf"},
      // Debian's armhf (and its arm-linux-gnueabihf-gcc) is ARMv7, not the
      // ARMv6 of Rust's arm-unknown-linux-gnueabihf.
      {"arm-linux-gnueabihf", "armv7-unknown-linux-gnueabihf"},
      {"arm-linux-gnueabi", "arm-unknown-linux-gnueabi"},
      {"armv6-unknown-linux-gnueabihf", "arm-unknown-linux-gnueabihf"},
      {"riscv64-linux-gnu", "riscv64gc-unknown-linux-gnu"},
      {"riscv64-unknown-linux-gnu", "riscv64gc-unknown-linux-gnu"},
      // mingw-w64's prefix and llvm-mingw's triple
      {"x86_64-w64-mingw32", "x86_64-pc-windows-gnu"},
      {"x86_64-w64-windows-gnu", "x86_64-pc-windows-gnu"},
      {"i686-w64-mingw32", "i686-pc-windows-gnu"},
      {"x86_64-windows-msvc", "x86_64-pc-windows-msvc"},
      {"x86_64-pc-win32", "x86_64-pc-windows-msvc"},
      {"aarch64-pc-windows-msvc", "aarch64-pc-windows-msvc"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_NE(row(c.rust), nullptr);
    EXPECT_EQ(findTarget(c.name), row(c.rust));
  }
}

TEST(Targets, DebianMultiarchTuplesNameTheirRow) {
  // Debian spells i686 as i386 in its multiarch paths; --target=i386-linux-gnu
  // and CROSSHIM_TARGET=i386-linux-gnu mean the i686 row.
  ASSERT_NE(findTarget("i386-linux-gnu"), nullptr);
  EXPECT_EQ(findTarget("i386-linux-gnu")->rust, "i686-unknown-linux-gnu");
  ASSERT_NE(findTarget("i386-linux-musl"), nullptr);
  EXPECT_EQ(findTarget("i386-linux-musl")->rust, "i686-unknown-linux-musl");
}

TEST(Targets, UnknownNamesAreNotFound) {
  for (const char *name :
       {"", "aarch64", "linux-gnu", "aarch64-unknown-linux", "sparc64-sun-solaris",
        "aarch64-unknown-linux-gnuu", "x86_64-unknown-linux-gnux"})
    EXPECT_EQ(findTarget(name), nullptr) << name;
}

TEST(Targets, UnknownNameErrorSuggestsCloseMatches) {
  auto err = errorOf(lookupTarget("aarch64-unknown-linux-gnuu"));
  EXPECT_TRUE(err.isShimError);
  EXPECT_EQ(err.code, ExitCode::Usage);
  EXPECT_THAT(err.message, HasSubstr("unknown target 'aarch64-unknown-linux-gnuu'"));
  EXPECT_THAT(err.message, HasSubstr("did you mean aarch64-unknown-linux-gnu"));
  EXPECT_THAT(err.message, HasSubstr("crosshim targets"));
}

TEST(Targets, ClosestNamesComeBestFirstAndAreBounded) {
  auto close = closestTargetNames("aarch64-linux-gn");
  ASSERT_FALSE(close.empty());
  EXPECT_EQ(close.front(), "aarch64-unknown-linux-gnu");
  EXPECT_LE(closestTargetNames("armv7-unknown-linux-gnueabhf", 2).size(), 2u);
  EXPECT_EQ(closestTargetNames("armv7-unknown-linux-gnueabhf").front(),
            "armv7-unknown-linux-gnueabihf");
  // Nothing is close to a name from another world.
  auto far = errorOf(lookupTarget("wasm32-wasi-preview1-threads-something"));
  EXPECT_THAT(far.message, ::testing::Not(HasSubstr("did you mean")));
}

TEST(Targets, EnvKeyForTriple) {
  EXPECT_EQ(envKeyForTriple("CROSSHIM_SYSROOT_", "x86_64-unknown-linux-gnu.2.17"),
            "CROSSHIM_SYSROOT_X86_64_UNKNOWN_LINUX_GNU_2_17");
  EXPECT_EQ(envKeyForTriple("CROSSHIM_SYSROOT_", "armv7-unknown-linux-gnueabihf"),
            "CROSSHIM_SYSROOT_ARMV7_UNKNOWN_LINUX_GNUEABIHF");
  EXPECT_EQ(envKeyForTriple("", "aarch64-unknown-linux-gnu"), "AARCH64_UNKNOWN_LINUX_GNU");
}

TEST(Targets, HostTargetMatchesTheProcessTriple) {
  llvm::Triple process(llvm::sys::getProcessTriple());
  if (!process.isOSLinux())
    GTEST_SKIP() << "not a Linux host";
  const Target *host = hostTarget();
  ASSERT_NE(host, nullptr) << llvm::sys::getProcessTriple();
  EXPECT_EQ(llvm::Triple(host->clang).getArch(), process.getArch());
  EXPECT_EQ(host, findTarget(llvm::sys::getProcessTriple()));
}

} // namespace
} // namespace crosshim
