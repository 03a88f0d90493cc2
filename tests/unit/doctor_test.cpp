// `crosshim doctor`'s checks on small trees made by the tests (TestDir), and
// the host-path-leak check on real environment values and argument lists.
#include "diagnostics/doctor.h"

#include "test_support.h"

#include <llvm/BinaryFormat/ELF.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

namespace crosshim {
namespace {

using diag::DoctorLayout;
using diag::DoctorStats;
using diag::Finding;
using diag::Report;
using diag::Severity;
using test::TestDir;
using ::testing::HasSubstr;

constexpr const char *kMa = "aarch64-linux-gnu";

// A minimal ELF header (no sections, no program headers), enough for the
// machine, class and flags checks.
std::string elfHeader(bool is64, uint16_t machine, uint32_t flags = 0) {
  std::string h(is64 ? 64 : 52, '\0');
  h[0] = 0x7f, h[1] = 'E', h[2] = 'L', h[3] = 'F';
  h[4] = is64 ? 2 : 1; // class
  h[5] = 1;            // little endian
  h[6] = 1;            // version
  auto put16 = [&](size_t at, uint16_t v) { std::memcpy(&h[at], &v, 2); };
  auto put32 = [&](size_t at, uint32_t v) { std::memcpy(&h[at], &v, 4); };
  put16(16, llvm::ELF::ET_REL);
  put16(18, machine);
  put32(20, 1);
  put32(is64 ? 48 : 36, flags);          // e_flags
  put16(is64 ? 52 : 40, is64 ? 64 : 52); // e_ehsize
  return h;
}

// A GNU archive with the given members (no symbol table).
std::string archive(std::vector<std::pair<std::string, std::string>> members) {
  std::string out = "!<arch>\n";
  for (auto &[name, data] : members) {
    char header[61];
    std::snprintf(header, sizeof header, "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", (name + "/").c_str(),
                  "0", "0", "0", "644", data.size());
    out += std::string(header, 60) + data;
    if (data.size() % 2)
      out += '\n';
  }
  return out;
}

std::vector<const Finding *> ofKind(const Report &r, llvm::StringRef kind) {
  std::vector<const Finding *> out;
  for (const Finding &f : r.findings())
    if (f.kind == kind)
      out.push_back(&f);
  return out;
}

std::string allEvidence(const Finding &f) {
  std::string s;
  for (const auto &e : f.evidence)
    s += e.file + " | " + e.detail + "\n";
  return s;
}

// An aarch64 multiarch sysroot copied from elsewhere (the root stands for /).
DoctorLayout copiedLayout(const TestDir &dir) {
  DoctorLayout l;
  l.target = "aarch64-unknown-linux-gnu";
  l.machine = llvm::ELF::EM_AARCH64;
  l.is64 = true;
  l.root = dir.path();
  l.libraryDirs = {dir / "lib/aarch64-linux-gnu", dir / "usr/lib/aarch64-linux-gnu"};
  l.gccDir = dir / "usr/lib/gcc/aarch64-linux-gnu/12";
  l.needsGccRuntime = true;
  l.linkerSysroot = dir.path();
  for (const char *d : {"lib", "usr/lib", "usr/include"})
    l.symlinkDirs.push_back(dir / d);
  return l;
}

void makeHealthy(const TestDir &dir) {
  const std::string lib = std::string("usr/lib/") + kMa + "/";
  for (const char *crt : {"crt1.o", "Scrt1.o", "crti.o", "crtn.o"})
    dir.writeFile(lib + crt, elfHeader(true, llvm::ELF::EM_AARCH64));
  for (const char *crt : {"crtbegin.o", "crtbeginS.o", "crtend.o", "crtendS.o"})
    dir.writeFile(std::string("usr/lib/gcc/aarch64-linux-gnu/12/") + crt,
                  elfHeader(true, llvm::ELF::EM_AARCH64));
  dir.writeFile(lib + "libm.so.6", elfHeader(true, llvm::ELF::EM_AARCH64));
  dir.makeSymlink("libm.so.6", lib + "libm.so");
  dir.writeFile(lib + "libc.so.6", elfHeader(true, llvm::ELF::EM_AARCH64));
  dir.writeFile(lib + "libc_nonshared.a",
                archive({{"a.o", elfHeader(true, llvm::ELF::EM_AARCH64)}}));
  dir.writeFile(lib + "libc.so", std::string("/* GNU ld script */\nGROUP ( /usr/lib/") + kMa +
                                     "/libc.so.6 /usr/lib/" + kMa + "/libc_nonshared.a )\n");
  dir.writeFile("usr/lib/ld-linux-aarch64.so.1", elfHeader(true, llvm::ELF::EM_AARCH64));
  dir.makeSymlink("usr/lib", "lib");
  dir.writeFile("usr/include/stdio.h", "");
}

TEST(Doctor, HealthyCopiedSysrootHasNoFindings) {
  TestDir dir;
  makeHealthy(dir);
  DoctorStats stats;
  Report r = diag::runDoctorChecks(copiedLayout(dir), stats);
  std::string text;
  llvm::raw_string_ostream os(text);
  r.printText(os);
  EXPECT_TRUE(r.empty()) << os.str();
  EXPECT_EQ(stats.scripts, 1u);
  EXPECT_GE(stats.files, 8u);
}

TEST(Doctor, AbsoluteAndDanglingLinksInACopiedSysroot) {
  TestDir dir;
  makeHealthy(dir);
  const std::string lib = std::string("usr/lib/") + kMa + "/";
  // As unpacked .debs leave them: fixable inside the root, and not at all.
  std::remove((dir / (lib + "libm.so")).c_str());
  dir.makeSymlink(std::string("/lib/") + kMa + "/libm.so.6", lib + "libm.so");
  dir.makeSymlink(std::string("/lib/") + kMa + "/libthread_db.so.1", lib + "libthread_db.so");
  dir.makeSymlink("../../../aarch64-linux-gnu/libasan.so.8",
                  "usr/lib/gcc/aarch64-linux-gnu/12/libasan.so");
  // Outside the library and include dirs: not looked at.
  dir.makeSymlink("/nowhere/at/all", "usr/share/doc/broken");
  DoctorStats stats;
  Report r;
  diag::checkSymlinks(copiedLayout(dir), r, stats);
  auto absolute = ofKind(r, "absolute-symlink");
  ASSERT_EQ(absolute.size(), 1u) << allEvidence(*absolute[0]);
  EXPECT_THAT(absolute[0]->message, HasSubstr(lib + "libm.so -> /lib/aarch64-linux-gnu/libm.so.6"));
  EXPECT_THAT(allEvidence(*absolute[0]), HasSubstr("should be -> libm.so.6"));
  EXPECT_THAT(absolute[0]->fix, HasSubstr("crosshim sysroot fix " + dir.path()));
  EXPECT_EQ(absolute[0]->severity, Severity::Warning); // this machine has no arm64 libm
  auto dangling = ofKind(r, "dangling-symlink");
  ASSERT_EQ(dangling.size(), 2u);
  EXPECT_EQ(dangling[0]->severity, Severity::Warning);
  EXPECT_THAT(dangling[0]->message, HasSubstr("libthread_db.so"));
  EXPECT_EQ(dangling[1]->severity, Severity::Note);
  EXPECT_THAT(allEvidence(*dangling[1]), HasSubstr("libasan.so"));
  EXPECT_EQ(r.findings().size(), 3u);
}

TEST(Doctor, HostRootedLinkToAForeignMachineFileIsAnError) {
  TestDir dir;
  // Debian-cross style: the tree lives where it is; a link that leaves it
  // for a build-machine ELF file (this test program: x86-64) is an error.
  DoctorLayout l = copiedLayout(dir);
  l.hostRooted = true;
  l.ownedDirs = {dir / "cross"};
  l.symlinkDirs = {dir / "cross"};
  dir.makeSymlink(test::realPath("/proc/self/exe"), "cross/lib/libhost.so");
  dir.writeFile("cross/lib/libok.so.1", "x");
  dir.makeSymlink("libok.so.1", "cross/lib/libok.so");
  DoctorStats stats;
  Report r;
  diag::checkSymlinks(l, r, stats);
  ASSERT_EQ(r.findings().size(), 1u);
  EXPECT_EQ(r.findings()[0].kind, "absolute-symlink");
  EXPECT_EQ(r.findings()[0].severity, Severity::Error);
  EXPECT_THAT(allEvidence(r.findings()[0]), HasSubstr("x86-64 (64-bit); the target is AArch64"));
}

TEST(Doctor, LinkerScriptPathsResolvedAsLldDoes) {
  TestDir dir;
  makeHealthy(dir);
  DoctorLayout l = copiedLayout(dir);
  DoctorStats stats;
  {
    Report r;
    diag::checkLinkerScripts(l, r, stats);
    EXPECT_TRUE(r.empty());
  }
  // Debian-cross paths in a script under --sysroot: lld looks for them
  // inside the sysroot ("cannot find ... inside ...").
  dir.writeFile(std::string("usr/lib/") + kMa + "/libc.so",
                "/* GNU ld script */\nGROUP ( /usr/aarch64-linux-gnu/lib/libc.so.6 -lnothere "
                "AS_NEEDED ( libc.so.6 ) )\n");
  Report r;
  diag::checkLinkerScripts(l, r, stats);
  ASSERT_EQ(r.findings().size(), 1u);
  const Finding &f = r.findings()[0];
  EXPECT_EQ(f.kind, "linker-script-path");
  EXPECT_EQ(f.severity, Severity::Error);
  EXPECT_THAT(allEvidence(f),
              HasSubstr("cannot find /usr/aarch64-linux-gnu/lib/libc.so.6 inside " + dir.path()));
  EXPECT_THAT(allEvidence(f), HasSubstr("no libnothere.so or libnothere.a"));
  EXPECT_THAT(allEvidence(f), ::testing::Not(HasSubstr("libc.so.6: not next")));
  // Without a linker sysroot (how crosshim drives Debian's cross packages)
  // lld reads the path as it is.
  l.linkerSysroot.clear();
  dir.writeFile(std::string("usr/lib/") + kMa + "/libc.so",
                "GROUP ( /nonexistent-crosshim-test/lib/libc.so.6 )\n");
  Report plain;
  diag::checkLinkerScripts(l, plain, stats);
  ASSERT_EQ(plain.findings().size(), 1u);
  EXPECT_THAT(allEvidence(plain.findings()[0]),
              HasSubstr("/nonexistent-crosshim-test/lib/libc.so.6 does not exist"));
}

TEST(Doctor, MissingCrtObjects) {
  TestDir dir;
  makeHealthy(dir);
  std::remove((dir / (std::string("usr/lib/") + kMa + "/crt1.o")).c_str());
  std::remove((dir / "usr/lib/gcc/aarch64-linux-gnu/12/crtbeginS.o").c_str());
  Report r;
  diag::checkCrtObjects(copiedLayout(dir), r);
  ASSERT_EQ(r.findings().size(), 2u);
  EXPECT_EQ(r.findings()[0].kind, "missing-crt-object");
  EXPECT_EQ(r.findings()[0].evidence.size(), 1u);
  EXPECT_EQ(r.findings()[0].evidence[0].file, "crt1.o");
  EXPECT_THAT(r.findings()[1].message, HasSubstr("crtbeginS.o"));
  // musl links need no GCC runtime; a layout without any is an error for glibc.
  DoctorLayout l = copiedLayout(dir);
  l.gccDir.clear();
  Report none;
  diag::checkCrtObjects(l, none);
  ASSERT_EQ(none.findings().size(), 2u);
  EXPECT_THAT(none.findings()[1].message, HasSubstr("no GCC runtime directory"));
  l.musl = true;
  l.needsGccRuntime = false;
  Report musl;
  diag::checkCrtObjects(l, musl);
  EXPECT_EQ(musl.findings().size(), 1u);
}

TEST(Doctor, DevSymlinksOnlyForLibrariesLinksName) {
  TestDir dir;
  makeHealthy(dir);
  const std::string lib = std::string("usr/lib/") + kMa + "/";
  dir.writeFile(lib + "libz.so.1", "x");       // -lz is common: reported
  dir.writeFile(lib + "libnss_dns.so.2", "x"); // run-time only: not reported
  dir.writeFile(lib + "libpthread.so.0", "x"); // glibc 2.34+: libpthread.a serves -lpthread
  dir.writeFile(lib + "libpthread.a", "!<arch>\n");
  dir.writeFile(lib + "libpng16.so.16", "x"); // asked for by its pkg-config file
  dir.writeFile(lib + "pkgconfig/libpng.pc", "Name: libpng\nLibs: -L${libdir} -lpng16\n");
  Report r;
  diag::checkDevSymlinks(copiedLayout(dir), r);
  ASSERT_EQ(r.findings().size(), 1u);
  const Finding &f = r.findings()[0];
  EXPECT_EQ(f.kind, "missing-dev-symlink");
  EXPECT_EQ(f.severity, Severity::Warning);
  EXPECT_THAT(f.message, HasSubstr("-lpng16, -lz"));
  EXPECT_EQ(f.evidence.size(), 2u);
}

TEST(Doctor, ForeignObjectsArchiveMembersAndFloatAbi) {
  TestDir dir;
  makeHealthy(dir);
  const std::string lib = std::string("usr/lib/") + kMa + "/";
  dir.writeFile(lib + "libx86.so", elfHeader(true, llvm::ELF::EM_X86_64));
  dir.writeFile(lib + "libmixed.a", archive({{"good.o", elfHeader(true, llvm::ELF::EM_AARCH64)},
                                             {"bad.o", elfHeader(true, llvm::ELF::EM_X86_64)},
                                             {"i386.o", elfHeader(false, llvm::ELF::EM_386)}}));
  DoctorStats stats;
  Report r;
  diag::checkArchitectures(copiedLayout(dir), r, stats);
  auto wrong = ofKind(r, "wrong-architecture");
  ASSERT_EQ(wrong.size(), 2u);
  EXPECT_THAT(wrong[0]->message, HasSubstr("libmixed.a"));
  EXPECT_THAT(allEvidence(*wrong[0]), HasSubstr("member bad.o is x86-64 (64-bit)"));
  EXPECT_THAT(allEvidence(*wrong[0]), HasSubstr("member i386.o is i386 (32-bit)"));
  EXPECT_THAT(allEvidence(*wrong[0]), ::testing::Not(HasSubstr("good.o")));
  EXPECT_THAT(wrong[1]->message, HasSubstr("libx86.so"));

  // armhf: a soft-float object among hard-float ones.
  TestDir arm;
  DoctorLayout l;
  l.target = "armv7-unknown-linux-gnueabihf";
  l.machine = llvm::ELF::EM_ARM;
  l.is64 = false;
  l.armFloatAbi = diag::ArmFloatAbi::Hard;
  l.root = arm.path();
  l.libraryDirs = {arm / "usr/lib/arm-linux-gnueabihf"};
  arm.writeFile("usr/lib/arm-linux-gnueabihf/hard.o",
                elfHeader(false, llvm::ELF::EM_ARM, 0x05000000 | llvm::ELF::EF_ARM_ABI_FLOAT_HARD));
  arm.writeFile("usr/lib/arm-linux-gnueabihf/soft.o",
                elfHeader(false, llvm::ELF::EM_ARM, 0x05000000 | llvm::ELF::EF_ARM_ABI_FLOAT_SOFT));
  arm.writeFile("usr/lib/arm-linux-gnueabihf/neither.o",
                elfHeader(false, llvm::ELF::EM_ARM, 0x05000000));
  Report ra;
  diag::checkArchitectures(l, ra, stats);
  ASSERT_EQ(ra.findings().size(), 1u);
  EXPECT_EQ(ra.findings()[0].kind, "float-abi-mismatch");
  EXPECT_THAT(ra.findings()[0].message, HasSubstr("soft.o uses the soft-float ABI"));
}

TEST(Doctor, BrokenFilesNeverCrash) {
  TestDir dir;
  makeHealthy(dir);
  const std::string lib = std::string("usr/lib/") + kMa + "/";
  dir.writeFile(lib + "libtrunc.so", elfHeader(true, llvm::ELF::EM_AARCH64).substr(0, 20));
  dir.writeFile(lib + "libbad.a", "!<arch>\nthis is not a member header at all");
  dir.writeFile(lib + "libscript.so", "/* GNU ld script */ GROUP ( ( ( \"");
  dir.makeSymlink("libloop.so", lib + "libloop.so");
  DoctorStats stats;
  Report r = diag::runDoctorChecks(copiedLayout(dir), stats);
  EXPECT_FALSE(ofKind(r, "dangling-symlink").empty()); // the loop
}

// ---------------------------------------------------------------- host paths

diag::HostPathContext aarch64Context(std::string sysroot = "/usr/aarch64-linux-gnu") {
  diag::HostPathContext c;
  c.sysroot = std::move(sysroot);
  c.targetDirs = {"/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu",
                  "/usr/include/aarch64-linux-gnu", "/usr/aarch64-linux-gnu",
                  "/usr/lib/gcc-cross/aarch64-linux-gnu"};
  c.hostMultiarch = "x86_64-linux-gnu";
  return c;
}

TEST(HostPathLeak, EnvironmentOutsideTheSysroot) {
  Report r;
  diag::checkHostPaths({{"LIBRARY_PATH", "/usr/lib/x86_64-linux-gnu:relative/dir:"},
                        {"CPATH", "/usr/aarch64-linux-gnu/include:/opt/cuda/include/"}},
                       {}, aarch64Context(), r);
  // The build machine's system dirs: a warning; another dir (a CUDA
  // prefix) matters only to a link that asks for its libraries: a note.
  ASSERT_EQ(r.findings().size(), 2u);
  const Finding &f = r.findings()[0];
  EXPECT_EQ(f.kind, "host-path-leak");
  EXPECT_EQ(f.severity, Severity::Warning);
  EXPECT_THAT(f.message, HasSubstr("LIBRARY_PATH name(s) the build machine's system"));
  ASSERT_EQ(f.evidence.size(), 1u);
  EXPECT_EQ(f.evidence[0].file, "/usr/lib/x86_64-linux-gnu");
  EXPECT_THAT(f.evidence[0].detail, HasSubstr("in LIBRARY_PATH"));
  EXPECT_THAT(f.fix, HasSubstr("unset LIBRARY_PATH"));
  const Finding &n = r.findings()[1];
  EXPECT_EQ(n.kind, "host-path-leak");
  EXPECT_EQ(n.severity, Severity::Note);
  ASSERT_EQ(n.evidence.size(), 1u);
  EXPECT_EQ(n.evidence[0].file, "/opt/cuda/include");
  EXPECT_THAT(n.fix, HasSubstr("unset CPATH"));

  Report inside;
  diag::checkHostPaths({{"LIBRARY_PATH", "/sysroots/arm64/usr/lib/aarch64-linux-gnu"}}, {},
                       aarch64Context("/sysroots/arm64"), inside);
  EXPECT_TRUE(inside.empty());
}

TEST(HostPathLeak, ArgumentsNamingHostSystemDirs) {
  Report r;
  diag::checkHostPaths({},
                       {"--target=aarch64-linux-gnu", "-L/usr/lib", "-L", "/usr/local/lib/",
                        "-I/usr/include/glib-2.0", "-isystem", "/usr/include",
                        "-Wl,-L,/usr/lib/x86_64-linux-gnu", "-Wl,-L/lib", "-L/usr/lib/gcc-cross/x",
                        "-L/home/me/build/lib", "-Irelative", "-idirafter/usr/local/include",
                        "-L/usr/aarch64-linux-gnu/lib", "-isystem",
                        "/usr/include/aarch64-linux-gnu", "main.o", "-lm"},
                       aarch64Context(), r);
  ASSERT_EQ(r.findings().size(), 1u);
  std::vector<std::string> dirs;
  for (const auto &e : r.findings()[0].evidence)
    dirs.push_back(e.file);
  EXPECT_THAT(dirs, ::testing::ElementsAre("/usr/lib", "/usr/local/lib", "/usr/include/glib-2.0",
                                           "/usr/include", "/usr/lib/x86_64-linux-gnu", "/lib",
                                           "/usr/local/include"));
  EXPECT_THAT(r.findings()[0].evidence[1].detail,
              HasSubstr("-L /usr/local/lib/ on the command line"));

  Report clean;
  diag::checkHostPaths({}, {"-O2", "hello.c", "-o", "hello", "-lm"}, aarch64Context(), clean);
  EXPECT_TRUE(clean.empty());
}

} // namespace
} // namespace crosshim
