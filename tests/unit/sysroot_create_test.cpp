// crosshim sysroot create: the planning (distros, architectures, package
// lists, apt configuration, apt's output read back, the stamp) and the
// merged-/usr move on small trees. The apt runs themselves are the e2e
// test's (tests/e2e/sysroot-create.sh).
#include "setup/sysroot_create.h"

#include "cli/commands.h"
#include "test_support.h"

#include <llvm/Support/FileSystem.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <unistd.h>

namespace crosshim {
namespace {

using test::errorOf;
using test::ScopedEnv;
using test::TestDir;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const Target &target(llvm::StringRef rust) {
  const Target *t = findTarget(rust);
  EXPECT_NE(t, nullptr) << rust.str();
  return *t;
}

std::string linkAt(const std::string &path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
  return n < 0 ? "" : std::string(buf, static_cast<size_t>(n));
}

TEST(SysrootCreatePlan, Distros) {
  ASSERT_OK_AND_ASSIGN(d, lookupDistro("debian:bookworm"));
  EXPECT_EQ(d->gcc, "12");
  EXPECT_EQ(&*lookupDistro("bookworm"), &*d);
  auto e = errorOf(lookupDistro("debian:trixie"));
  EXPECT_EQ(e.code, ExitCode::Usage);
  EXPECT_THAT(e.message, AllOf(HasSubstr("'debian:trixie'"), HasSubstr("debian:bookworm")));
  EXPECT_EQ(errorOf(lookupDistro("ubuntu:jammy")).code, ExitCode::Usage);
}

TEST(SysrootCreatePlan, DebianArchitectures) {
  EXPECT_EQ(*debianArchFor(target("aarch64-unknown-linux-gnu")), "arm64");
  EXPECT_EQ(*debianArchFor(target("armv7-unknown-linux-gnueabihf")), "armhf");
  EXPECT_EQ(*debianArchFor(target("i686-unknown-linux-gnu")), "i386");
  // musl: the architecture whose musl package is taken.
  EXPECT_EQ(*debianArchFor(target("aarch64-unknown-linux-musl")), "arm64");
  EXPECT_EQ(*debianArchFor(target("armv7-unknown-linux-musleabihf")), "armhf");
  EXPECT_EQ(*debianArchFor(target("i686-unknown-linux-musl")), "i386");
}

TEST(SysrootCreatePlan, MingwTargetsAreSentToTheMingwPackages) {
  auto e = errorOf(debianArchFor(target("i686-pc-windows-gnu")));
  EXPECT_EQ(e.code, ExitCode::Failure);
  EXPECT_THAT(e.message, AllOf(HasSubstr("apt-get install mingw-w64-i686-dev g++-mingw-w64-i686"),
                               HasSubstr("/usr/i686-w64-mingw32")));
}

TEST(SysrootCreatePlan, PackageLists) {
  const Distro &d = *lookupDistro("debian:bookworm");
  const Target &gnu = target("aarch64-unknown-linux-gnu");
  EXPECT_THAT(basePackages(d, gnu), ElementsAre("libc6-dev", "libgcc-12-dev", "libstdc++-12-dev",
                                                "linux-libc-dev", "libcrypt-dev"));
  EXPECT_THAT(
      requestedPackages(d, gnu, {"zlib1g-dev", "libc6-dev", "libsqlite3-dev", "zlib1g-dev"}),
      ElementsAre("libc6-dev", "libcrypt-dev", "libgcc-12-dev", "libsqlite3-dev",
                  "libstdc++-12-dev", "linux-libc-dev", "zlib1g-dev"));
  EXPECT_TRUE(isExcludedPackage("dpkg"));
  EXPECT_TRUE(isExcludedPackage("perl-base"));
  EXPECT_FALSE(isExcludedPackage("libc6"));
  EXPECT_FALSE(isExcludedPackage("libsqlite3-0"));
}

TEST(SysrootCreatePlan, MuslTakesTheRequestedPackagesWithoutTheirGlibcDependencies) {
  const Distro &d = *lookupDistro("debian:bookworm");
  const Target &musl = target("aarch64-unknown-linux-musl");
  EXPECT_THAT(basePackages(d, musl), ElementsAre("libgcc-12-dev", "musl", "musl-dev"));
  const auto request = requestedPackages(d, musl, {"zlib1g-dev=1:1.2.13"});
  EXPECT_THAT(request, ElementsAre("libgcc-12-dev", "musl", "musl-dev", "zlib1g-dev=1:1.2.13"));
  EXPECT_TRUE(keepInClosure(musl, request, "musl-dev"));
  EXPECT_TRUE(keepInClosure(musl, request, "zlib1g-dev"));
  // What musl-dev and libgcc-12-dev depend on in Debian: glibc and the native gcc.
  for (const char *glibcSide : {"libc6", "gcc-aarch64-linux-gnu", "libgcc-s1", "gcc-12-base"})
    EXPECT_FALSE(keepInClosure(musl, request, glibcSide)) << glibcSide;
  const Target &gnu = target("aarch64-unknown-linux-gnu");
  EXPECT_TRUE(keepInClosure(gnu, requestedPackages(d, gnu, {}), "libc6"));
  EXPECT_FALSE(keepInClosure(gnu, requestedPackages(d, gnu, {}), "dpkg"));
}

TEST(SysrootCreatePlan, PackageNames) {
  for (const char *good :
       {"libsqlite3-dev", "libstdc++-12-dev", "zlib1g-dev=1:1.2.13.dfsg-1", "libgtk-3-dev", "g++"})
    EXPECT_EQ(test::describe(checkPackageName(good)).message, "") << good;
  for (const char *bad :
       {"", "-x", "--dir", "Libfoo", "lib foo", "a", "libz:arm64", "zlib1g-dev="}) {
    auto e = test::describe(checkPackageName(bad));
    EXPECT_EQ(e.code, ExitCode::Usage) << bad;
  }
  EXPECT_THAT(test::describe(checkPackageName("libz-dev:arm64")).message,
              HasSubstr("architecture qualifier"));
}

TEST(SysrootCreatePlan, AptConfigurationStaysInTheStateDir) {
  const std::string conf = aptConfText("/c/apt/debian-bookworm-arm64", "arm64");
  EXPECT_THAT(conf, HasSubstr("APT::Architecture \"arm64\";"));
  EXPECT_THAT(conf, HasSubstr("APT::Architectures { \"arm64\"; };"));
  EXPECT_THAT(conf, HasSubstr("Dir::State::status \"/c/apt/debian-bookworm-arm64/status\";"));
  EXPECT_THAT(conf,
              HasSubstr("Dir::Etc::SourceList \"/c/apt/debian-bookworm-arm64/sources.list\";"));
  EXPECT_THAT(conf, HasSubstr("Dir::Etc::SourceParts \"/c/apt/debian-bookworm-arm64/empty.d\";"));
  EXPECT_THAT(conf, HasSubstr("#clear DPkg::Post-Invoke;"));
  // Every Dir:: setting that names a path names one inside the state dir.
  llvm::SmallVector<llvm::StringRef, 32> lines;
  llvm::StringRef(conf).split(lines, '\n');
  for (llvm::StringRef l : lines) {
    if (l.startswith("Dir::") && l.contains("\"/")) {
      EXPECT_THAT(l.str(), HasSubstr("\"/c/apt/debian-bookworm-arm64/")) << l.str();
    }
  }

  const Distro &d = *lookupDistro("debian:bookworm");
  EXPECT_EQ(sourcesListText(d, "http://deb.debian.org/debian/", kDebianKeyring),
            "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
            "http://deb.debian.org/debian bookworm main\n"
            "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
            "http://deb.debian.org/debian bookworm-updates main\n");
}

TEST(SysrootCreatePlan, StateDirFollowsXdgCacheHome) {
  const Distro &d = *lookupDistro("debian:bookworm");
  {
    ScopedEnv cache("XDG_CACHE_HOME", "/x/cache");
    ScopedEnv home("HOME", "/h");
    EXPECT_EQ(aptStateDir(d, "armhf"), "/x/cache/crosshim/apt/debian-bookworm-armhf");
  }
  {
    ScopedEnv cache("XDG_CACHE_HOME", std::nullopt);
    ScopedEnv home("HOME", "/h");
    EXPECT_EQ(aptStateDir(d, "i386"), "/h/.cache/crosshim/apt/debian-bookworm-i386");
  }
  ScopedEnv cache("XDG_CACHE_HOME", std::nullopt);
  ScopedEnv home("HOME", std::nullopt);
  EXPECT_EQ(aptStateDir(d, "i386"), "");
}

// Real output of apt-get -s install (bookworm, arm64, empty dpkg status).
TEST(SysrootCreateApt, ParsesTheSimulation) {
  const char *out = "NOTE: This is only a simulation!\n"
                    "Reading package lists...\n"
                    "The following NEW packages will be installed:\n"
                    "  gcc-12-base libc6 libgcc-s1\n"
                    "Inst gcc-12-base (12.2.0-14+deb12u1 Debian:12.15/oldstable [arm64])\n"
                    "Inst libgcc-s1 (12.2.0-14+deb12u1 Debian:12.15/oldstable [arm64]) []\n"
                    "Inst libcrypt1 (1:4.4.33-2 Debian:12.15/oldstable [arm64])\n"
                    "Inst libtirpc-common (1.3.3+ds-1 Debian:12.15/oldstable [all])\n"
                    "Conf gcc-12-base (12.2.0-14+deb12u1 Debian:12.15/oldstable [arm64])\n";
  auto p = parseAptSimulation(out);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].spec(), "gcc-12-base=12.2.0-14+deb12u1");
  EXPECT_EQ(p[1].name, "libgcc-s1");
  EXPECT_EQ(p[1].arch, "arm64");
  EXPECT_EQ(p[2].spec(), "libcrypt1=1:4.4.33-2");
  EXPECT_EQ(p[3].arch, "all");
}

TEST(SysrootCreateApt, ParsesPrintUris) {
  const char *out =
      "'http://deb.debian.org/debian/pool/main/g/glibc/libc6_2.36-9%2bdeb12u14_arm64.deb' "
      "libc6_2.36-9+deb12u14_arm64.deb 2324660 "
      "SHA256:01f4330719fd4f65580e16ea5a0527f372fca750e8f588d26deaf09f2d3b1cf4\n"
      "'http://deb.debian.org/debian/pool/main/libx/libxcrypt/libcrypt-dev_4.4.33-2_arm64.deb' "
      "libcrypt-dev_1%3a4.4.33-2_arm64.deb 120532 "
      "SHA256:8f40a050f6d54b47b0972f77ea29932573e0e6b4521b833c9d825f46a9db8b75\n"
      "W: something else\n";
  auto f = parsePrintUris(out);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].file, "libc6_2.36-9+deb12u14_arm64.deb");
  EXPECT_EQ(f[0].size, 2324660u);
  EXPECT_THAT(f[0].url, HasSubstr("pool/main/g/glibc/"));
  EXPECT_EQ(f[1].file, "libcrypt-dev_1%3a4.4.33-2_arm64.deb");
}

// apt-get update exits 0 when an index cannot be fetched; these are its
// real words for an unreachable mirror and an unknown host.
TEST(SysrootCreateApt, NetworkFailures) {
  const char *refused =
      "W: Failed to fetch http://127.0.0.1:1/debian/dists/bookworm/InRelease  Could not "
      "connect to 127.0.0.1:1 (127.0.0.1). - connect (111: Connection refused)\n"
      "W: Some index files failed to download. They have been ignored, or old ones used "
      "instead.\n";
  const char *unknownHost =
      "W: Failed to fetch http://nonexistent.invalid/debian/dists/bookworm/InRelease  Could "
      "not resolve 'nonexistent.invalid'\n"
      "W: Some index files failed to download. They have been ignored, or old ones used "
      "instead.\n";
  EXPECT_TRUE(aptUpdateFailed(refused));
  EXPECT_TRUE(aptUpdateFailed(unknownHost));
  EXPECT_FALSE(aptUpdateFailed("Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]\n"
                               "Reading package lists...\n"));
  EXPECT_THAT(aptFailureSummary(refused),
              AllOf(HasSubstr("network"), HasSubstr("Connection refused")));
  EXPECT_THAT(aptFailureSummary(unknownHost),
              AllOf(HasSubstr("network"), HasSubstr("Could not resolve 'nonexistent.invalid'")));
  EXPECT_EQ(aptFailureSummary("Reading package lists...\nBuilding dependency tree...\n"
                              "E: Unable to locate package libfoo-nonexist\n"),
            "no package 'libfoo-nonexist' in the archive for this architecture");
  EXPECT_EQ(aptFailureSummary("something\n"), "apt-get failed");
}

TEST(SysrootCreateStamp, RoundTrip) {
  SysrootStamp s;
  s.target = "aarch64-unknown-linux-gnu";
  s.arch = "arm64";
  s.distro = "debian:bookworm";
  s.mirror = "http://deb.debian.org/debian";
  s.with = {"libsqlite3-dev", "zlib1g-dev"};
  s.packages = {{"libc6", "2.36-9+deb12u14", "arm64"}, {"libcrypt1", "1:4.4.33-2", ""}};
  ASSERT_OK_AND_ASSIGN(back, parseStamp(formatStamp(s)));
  EXPECT_EQ(back->target, s.target);
  EXPECT_EQ(back->distro, s.distro);
  EXPECT_EQ(back->mirror, s.mirror);
  EXPECT_EQ(back->with, s.with);
  ASSERT_EQ(back->packages.size(), 2u);
  EXPECT_EQ(back->packages[1].spec(), "libcrypt1=1:4.4.33-2");
  EXPECT_EQ(back->packages[1].arch, "");

  EXPECT_FALSE(static_cast<bool>(parseStamp("crosshim-fixture 1\nkind sysroot\n")));
  EXPECT_FALSE(static_cast<bool>(parseStamp("crosshim-sysroot 1\ntarget x\n")));
  EXPECT_FALSE(static_cast<bool>(
      parseStamp("crosshim-sysroot 1\ntarget t\narch a\ndistro d\npackage only-a-name\n")));
}

TEST(SysrootCreateStamp, ReadsOnlyARegularFile) {
  TestDir dir;
  ASSERT_OK_AND_ASSIGN(none, readStamp(dir.path()));
  EXPECT_FALSE(none->has_value());
  dir.makeSymlink("/etc/hostname", "linked/.crosshim-sysroot");
  ASSERT_OK_AND_ASSIGN(linked, readStamp(dir / "linked"));
  EXPECT_FALSE(linked->has_value());
  dir.writeFile("bad/.crosshim-sysroot", "hello\n");
  EXPECT_FALSE(static_cast<bool>(readStamp(dir / "bad")));
  dir.writeFile("good/.crosshim-sysroot",
                "crosshim-sysroot 1\ntarget t\narch arm64\ndistro debian:bookworm\nwith\n");
  ASSERT_OK_AND_ASSIGN(good, readStamp(dir / "good"));
  ASSERT_TRUE(good->has_value());
  EXPECT_EQ((*good)->arch, "arm64");
}

// A sysroot may come from anywhere: its stamp is read with a size limit, and
// a device in its place is no stamp.
TEST(SysrootCreateStamp, AHugeStampIsAnErrorAndADeviceIsNoStamp) {
  TestDir dir;
  dir.writeFile("huge/.crosshim-sysroot",
                "crosshim-sysroot 1\n" + std::string(5 << 20, '#') + "\n");
  auto err = test::errorOf(readStamp(dir / "huge"));
  EXPECT_THAT(err.message, ::testing::HasSubstr("more than the limit of 4 MiB"));
  dir.makeDir("dev");
  ASSERT_EQ(::mknod((dir / "dev/.crosshim-sysroot").c_str(), S_IFCHR | 0644, makedev(1, 5)), 0);
  ASSERT_OK_AND_ASSIGN(none, readStamp(dir / "dev"));
  EXPECT_FALSE(none->has_value());
}

TEST(SysrootCreateMerge, Paths) {
  EXPECT_EQ(mergedUsrPath("lib"), "usr/lib");
  EXPECT_EQ(mergedUsrPath("lib/aarch64-linux-gnu/libc.so.6"),
            "usr/lib/aarch64-linux-gnu/libc.so.6");
  EXPECT_EQ(mergedUsrPath("lib64/ld-linux-x86-64.so.2"), "usr/lib64/ld-linux-x86-64.so.2");
  EXPECT_EQ(mergedUsrPath("libexec/x"), "libexec/x");
  EXPECT_EQ(mergedUsrPath("library"), "library");
  EXPECT_EQ(mergedUsrPath("usr/lib/x"), "usr/lib/x");
  EXPECT_EQ(mergedUsrPath("etc/ld.so.cache"), "etc/ld.so.cache");
}

// The shapes Debian's .debs have: /lib and /usr/lib with the same
// directories, the same file or link twice, usr/lib/x -> /lib/x, and a
// relative link in /lib that climbs with `..`.
TEST(SysrootCreateMerge, MergesLibIntoUsr) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.writeFile("root/lib/ma/libc.so.6", "libc");
  dir.writeFile("root/usr/lib/ma/libc.a", "archive");
  dir.makeSymlink("libc.so.6", "root/lib/ma/libc-alias.so");
  dir.makeSymlink("/lib/ma/libc.so.6", "root/usr/lib/ma/libc-alias.so"); // the same place
  dir.writeFile("root/lib/ma/same.txt", "same");
  dir.writeFile("root/usr/lib/ma/same.txt", "same");
  dir.makeSymlink("/lib/ma/libself.so.1", "root/usr/lib/ma/libself.so.1"); // -> itself later
  dir.writeFile("root/lib/ma/libself.so.1", "self");
  dir.makeSymlink("/usr/lib/ma/libc-static.a", "root/lib/ma/libc-static.a");
  dir.writeFile("root/usr/lib/ma/libc-static.a", "static");
  dir.makeSymlink("../../usr/share/zoneinfo", "root/lib/ma/zoneinfo"); // climbs
  dir.writeFile("root/usr/share/zoneinfo/UTC", "utc");
  dir.writeFile("root/lib64/ld.so", "loader");

  auto merged = test::describe(mergeUsr(root));
  ASSERT_EQ(merged.message, "");
  EXPECT_EQ(linkAt(root + "/lib"), "usr/lib");
  EXPECT_EQ(linkAt(root + "/lib64"), "usr/lib64");
  EXPECT_FALSE(llvm::sys::fs::exists(root + "/bin"));
  EXPECT_TRUE(llvm::sys::fs::is_regular_file(root + "/usr/lib/ma/libc.so.6"));
  EXPECT_TRUE(llvm::sys::fs::is_regular_file(root + "/usr/lib/ma/libself.so.1"));
  EXPECT_TRUE(llvm::sys::fs::is_regular_file(root + "/usr/lib64/ld.so"));
  EXPECT_EQ(linkAt(root + "/usr/lib/ma/libc-alias.so"), "/lib/ma/libc.so.6");
  EXPECT_EQ(linkAt(root + "/usr/lib/ma/zoneinfo"), "/usr/share/zoneinfo");
  EXPECT_TRUE(llvm::sys::fs::is_regular_file(root + "/usr/lib/ma/libc-static.a"));
  EXPECT_TRUE(llvm::sys::fs::is_regular_file(root + "/usr/lib/ma/same.txt"));
}

TEST(SysrootCreateMerge, ConflictsAreErrors) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  dir.writeFile("root/lib/ma/libfoo.so.1", "one");
  dir.writeFile("root/usr/lib/ma/libfoo.so.1", "two");
  auto e = test::describe(mergeUsr(root));
  EXPECT_THAT(e.message,
              AllOf(HasSubstr("/lib/ma/libfoo.so.1"), HasSubstr("/usr/lib/ma/libfoo.so.1")));
}

TEST(SysrootCreateMerge, AnEmptyRootGetsTheLibLink) {
  TestDir dir;
  const std::string root = dir.makeDir("root");
  ASSERT_EQ(test::describe(mergeUsr(root)).message, "");
  EXPECT_EQ(linkAt(root + "/lib"), "usr/lib");
  EXPECT_TRUE(llvm::sys::fs::is_directory(root + "/usr/lib"));
}

// The command line, up to the point where apt would run.
TEST(SysrootCreateCommand, UsageErrors) {
  auto run = [](std::vector<std::string> args) {
    args.insert(args.begin(), "create");
    return test::describe(cmdSysroot(args, Env()).takeError());
  };
  EXPECT_EQ(run({}).code, ExitCode::Usage);
  EXPECT_THAT(run({}).message, HasSubstr("--target is required"));
  EXPECT_EQ(run({"--target"}).code, ExitCode::Usage);
  EXPECT_EQ(run({"--target", "aarch64-unknown-linux-gnu", "--frob"}).code, ExitCode::Usage);
  EXPECT_EQ(run({"--target", "aarch64-unknown-linux-gnu", "extra"}).code, ExitCode::Usage);
  EXPECT_EQ(run({"--target", "sparc-sun-solaris"}).code, ExitCode::Usage);
  auto distro = run({"--target", "aarch64-unknown-linux-gnu", "--distro", "debian:sid"});
  EXPECT_EQ(distro.code, ExitCode::Usage);
  EXPECT_THAT(distro.message, HasSubstr("supported: debian:bookworm"));
  EXPECT_EQ(run({"--target=aarch64-unknown-linux-gnu", "--with", "-x"}).code, ExitCode::Usage);
  EXPECT_EQ(run({"--target=aarch64-unknown-linux-gnu", "--mirror", "ftp://x"}).code,
            ExitCode::Usage);
  EXPECT_EQ(run({"--target=aarch64-unknown-linux-gnu", "--dir", "/"}).code, ExitCode::Usage);
  EXPECT_EQ(run({"--target=a", "--target=b"}).code, ExitCode::Usage);
  auto windows = run({"--target", "x86_64-pc-windows-gnu"});
  EXPECT_EQ(windows.code, ExitCode::Failure);
  EXPECT_THAT(windows.message, HasSubstr("needs no sysroot of its own"));

  std::vector<std::string> list{"list", "--frob"};
  EXPECT_EQ(test::describe(cmdSysroot(list, Env()).takeError()).code, ExitCode::Usage);
  std::vector<std::string> other{"frobnicate"};
  auto e = test::describe(cmdSysroot(other, Env()).takeError());
  EXPECT_EQ(e.code, ExitCode::Usage);
  EXPECT_THAT(e.message, AllOf(HasSubstr("create"), HasSubstr("list"), HasSubstr("fix")));
}

} // namespace
} // namespace crosshim
