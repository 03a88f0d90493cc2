// The rewriter is a pure function of RewriteInput: these tests build inputs
// for real table targets with hand-made Sysroot values and check the final
// argv. First whole commands for each sysroot layout, then one test per rule
// (named after it) that fails without that rule.
#include "shims/rewrite.h"

#include "rewrite_support.h"
#include "test_support.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/Support/FileSystem.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>

namespace crosshim {
namespace {

using test::errorOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::StartsWith;

using Args = std::vector<std::string>;

const char *const kClang = "/usr/lib/llvm-14/bin/clang";
const char *const kLld = "/usr/lib/llvm-14/bin/ld.lld";
const char *const kStart = "--start-no-unused-arguments";
const char *const kEnd = "--end-no-unused-arguments";
const char *const kRustupGccLd = "-B/home/u/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/lib/"
                                 "rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld";

const Target &target(llvm::StringRef rust) {
  const Target *t = findTarget(rust);
  EXPECT_NE(t, nullptr) << rust.str();
  return *t;
}

const ToolInfo &tool(llvm::StringRef name) {
  const ToolInfo *t = findTool(name);
  EXPECT_NE(t, nullptr) << name.str();
  return *t;
}

// Sysroots as findSysroot would describe them.
Sysroot hostSysroot() {
  Sysroot s;
  s.path = "/";
  s.layout = Layout::Host;
  return s;
}

Sysroot debianCross(const Target &t, bool withGccToolchain = true) {
  Sysroot s;
  s.path = "/usr/" + t.gnu.str();
  s.layout = Layout::DebianCross;
  if (withGccToolchain)
    s.gccToolchain = "/usr";
  return s;
}

Sysroot debianMusl(const Target &t) {
  Sysroot s;
  s.path = "/usr/lib/" + t.multiarch.str();
  s.layout = Layout::DebianMusl;
  s.gccToolchain = s.path;
  s.includeDir = "/usr/include/" + t.multiarch.str();
  s.libDir = s.path;
  return s;
}

Sysroot rooted(Layout layout, std::string path) {
  Sysroot s;
  s.path = std::move(path);
  s.layout = layout;
  s.mergedUsr = true;
  return s;
}

RewriteInput input(llvm::StringRef rust, llvm::StringRef toolName, Sysroot sysroot, Args args) {
  RewriteInput in;
  in.target = &target(rust);
  in.tool = &tool(toolName);
  in.sysroot = std::move(sysroot);
  in.program =
      in.tool->llvmName == "clang" ? kClang : "/usr/lib/llvm-14/bin/" + in.tool->llvmName.str();
  in.lld = kLld;
  in.crossTarget = in.target != hostTarget();
  in.args = std::move(args);
  return in;
}

RewriteResult rewrite(const RewriteInput &in) {
  return test::rewriteOrFail(in);
}

Args argvOf(const RewriteInput &in) {
  return rewrite(in).argv;
}

// The parts of a compiler driver argv: what crosshim added inside the
// no-unused block, and what follows it (the user's arguments).
Args addedPart(const Args &argv) {
  auto start = llvm::find(argv, kStart), end = llvm::find(argv, kEnd);
  EXPECT_NE(start, argv.end());
  EXPECT_NE(end, argv.end());
  if (start == argv.end() || end == argv.end() || end < start)
    return {};
  return Args(start + 1, end);
}

Args userPart(const Args &argv) {
  auto end = llvm::find(argv, kEnd);
  EXPECT_NE(end, argv.end());
  return end == argv.end() ? Args{} : Args(end + 1, argv.end());
}

bool applied(const RewriteResult &r, llvm::StringRef ruleName) {
  return llvm::any_of(r.rewrites, [&](const Rewrite &w) { return w.rule->name == ruleName; });
}

std::string changesOf(const RewriteResult &r, llvm::StringRef ruleName) {
  std::string out;
  for (const Rewrite &w : r.rewrites)
    if (w.rule->name == ruleName)
      out += w.change + "\n";
  return out;
}

size_t count(const Args &argv, llvm::StringRef arg) {
  return static_cast<size_t>(llvm::count(argv, arg.str()));
}

// Whole commands, one per sysroot layout.

TEST(RewriteCommand, DebianCrossCompileAndLink) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  RewriteResult compile =
      rewrite(input(t.rust, "cc", debianCross(t), {"-O2", "-c", "hello.c", "-o", "hello.o"}));
  EXPECT_EQ(compile.mode, Mode::Compile);
  EXPECT_THAT(compile.argv, ElementsAre(kClang, kStart, "--target=aarch64-unknown-linux-gnu",
                                        "--sysroot=/usr/aarch64-linux-gnu", "--gcc-toolchain=/usr",
                                        kEnd, "-O2", "-c", "hello.c", "-o", "hello.o"));

  RewriteResult link = rewrite(input(t.rust, "cc", debianCross(t), {"hello.o", "-o", "hello"}));
  EXPECT_EQ(link.mode, Mode::Link);
  EXPECT_THAT(link.argv, ElementsAre(kClang, kStart, "--target=aarch64-unknown-linux-gnu",
                                     "--sysroot=/usr/aarch64-linux-gnu", "--gcc-toolchain=/usr",
                                     "-Wl,--sysroot=/", std::string("--ld-path=") + kLld, kEnd,
                                     "hello.o", "-o", "hello"));
  EXPECT_THAT(link.unsetEnv, Contains("LIBRARY_PATH"));
}

TEST(RewriteCommand, DebianCrossArmv7CxxLink) {
  const Target &t = target("armv7-unknown-linux-gnueabihf");
  EXPECT_THAT(
      argvOf(input(t.rust, "g++", debianCross(t), {"main.o", "-o", "main"})),
      ElementsAre(kClang, "--driver-mode=g++", kStart, "--target=armv7-unknown-linux-gnueabihf",
                  "--sysroot=/usr/arm-linux-gnueabihf", "--gcc-toolchain=/usr", "-Wl,--sysroot=/",
                  "-march=armv7-a", "-mfpu=vfpv3-d16", "-mfloat-abi=hard",
                  std::string("--ld-path=") + kLld, kEnd, "main.o", "-o", "main"));
}

TEST(RewriteCommand, DebianMuslCompileAndLink) {
  const Target &t = target("x86_64-unknown-linux-musl");
  RewriteInput compileIn = input(t.rust, "cc", debianMusl(t), {"-c", "hello.c"});
  compileIn.compilerRtBuiltins = true;
  EXPECT_THAT(argvOf(compileIn),
              ElementsAre(kClang, kStart, "--target=x86_64-unknown-linux-musl",
                          "--sysroot=/usr/lib/x86_64-linux-musl",
                          "--gcc-toolchain=/usr/lib/x86_64-linux-musl", "-nostdlibinc", "-isystem",
                          "/usr/include/x86_64-linux-musl", kEnd, "-c", "hello.c"));

  RewriteInput linkIn = input(t.rust, "cc", debianMusl(t), {"-static", "hello.o", "-o", "hello"});
  linkIn.compilerRtBuiltins = true;
  RewriteResult link = rewrite(linkIn);
  EXPECT_EQ(link.mode, Mode::Link);
  EXPECT_THAT(link.argv,
              ElementsAre(kClang, kStart, "--target=x86_64-unknown-linux-musl",
                          "--sysroot=/usr/lib/x86_64-linux-musl",
                          "--gcc-toolchain=/usr/lib/x86_64-linux-musl", "-nostdlibinc", "-isystem",
                          "/usr/include/x86_64-linux-musl", "-B/usr/lib/x86_64-linux-musl",
                          "-L/usr/lib/x86_64-linux-musl", "--rtlib=compiler-rt", "--unwindlib=none",
                          std::string("--ld-path=") + kLld, kEnd, "-static", "hello.o", "-o",
                          "hello"));
}

TEST(RewriteCommand, MultiarchSysrootCompileAndLink) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  Sysroot s = rooted(Layout::Multiarch, "/opt/sysroots/arm64");
  EXPECT_THAT(argvOf(input(t.rust, "c++", s, {"-c", "a.cc", "-o", "a.o"})),
              ElementsAre(kClang, "--driver-mode=g++", kStart, "--target=aarch64-unknown-linux-gnu",
                          "--sysroot=/opt/sysroots/arm64", "-std=gnu++17", kEnd, "-c", "a.cc", "-o",
                          "a.o"));
  EXPECT_THAT(argvOf(input(t.rust, "c++", s, {"a.o", "-o", "a"})),
              ElementsAre(kClang, "--driver-mode=g++", kStart, "--target=aarch64-unknown-linux-gnu",
                          "--sysroot=/opt/sysroots/arm64", std::string("--ld-path=") + kLld, kEnd,
                          "a.o", "-o", "a"));
}

TEST(RewriteCommand, BuildMachineMultiarchLibraries) {
  // i686 against the build machine's own /usr/lib/i386-linux-gnu: no sysroot flags.
  const Target &t = target("i686-unknown-linux-gnu");
  EXPECT_THAT(argvOf(input(t.rust, "gcc", rooted(Layout::Multiarch, "/"), {"x.o", "-o", "x"})),
              ElementsAre(kClang, kStart, "--target=i686-unknown-linux-gnu", "-march=pentium4",
                          std::string("--ld-path=") + kLld, kEnd, "x.o", "-o", "x"));
}

TEST(RewriteCommand, HostCompileAndLink) {
  const Target &t = target("x86_64-unknown-linux-gnu");
  RewriteInput compileIn = input(t.rust, "cc", hostSysroot(), {"-c", "x.c"});
  compileIn.crossTarget = false;
  RewriteResult compile = rewrite(compileIn);
  EXPECT_THAT(compile.argv,
              ElementsAre(kClang, kStart, "--target=x86_64-unknown-linux-gnu", kEnd, "-c", "x.c"));
  EXPECT_THAT(compile.unsetEnv, IsEmpty());

  RewriteInput linkIn = input(t.rust, "cc", hostSysroot(), {"x.o", "-o", "x"});
  linkIn.crossTarget = false;
  EXPECT_THAT(argvOf(linkIn),
              ElementsAre(kClang, kStart, "--target=x86_64-unknown-linux-gnu",
                          std::string("--ld-path=") + kLld, kEnd, "x.o", "-o", "x"));
}

TEST(RewriteCommand, BinaryToolsGetTheUsersArgumentsOnly) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  RewriteResult r = rewrite(input(t.rust, "ar", debianCross(t), {"rcs", "libx.a", "a.o", "b.o"}));
  EXPECT_EQ(r.mode, Mode::Info);
  EXPECT_THAT(r.argv, ElementsAre("/usr/lib/llvm-14/bin/llvm-ar", "rcs", "libx.a", "a.o", "b.o"));
}

// `objcopy --target=<bfdname>` (also nm, strip, objdump, size) names an object
// format, not a triple; it must reach llvm-objcopy unchanged.
TEST(RewriteCommand, BinaryToolTargetOptionIsAnObjectFormat) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  Args args = {"--target=elf64-littleaarch64", "in.o", "out.o"};
  RewriteResult r = rewrite(input(t.rust, "objcopy", debianCross(t), args));
  Args expected = {"/usr/lib/llvm-14/bin/llvm-objcopy"};
  expected.insert(expected.end(), args.begin(), args.end());
  EXPECT_EQ(r.argv, expected);
}

TEST(RewriteCommand, AddedFlagsComeBeforeTheUsersSoTheUsersWin) {
  const Target &t = target("armv7-unknown-linux-gnueabihf");
  Args argv = argvOf(input(t.rust, "cc", debianCross(t), {"-march=armv7ve", "-c", "x.c"}));
  auto ours = llvm::find(argv, "-march=armv7-a"), theirs = llvm::find(argv, "-march=armv7ve");
  ASSERT_NE(ours, argv.end());
  ASSERT_NE(theirs, argv.end());
  EXPECT_LT(ours, theirs);
}

// One test per rule.

TEST(RewriteRule, TargetFromName) {
  for (const Target &t : allTargets()) {
    SCOPED_TRACE(t.rust.str());
    RewriteResult r =
        rewrite(input(t.rust, "cc", rooted(Layout::Plain, "/opt/sysroot"), {"-c", "x.c"}));
    EXPECT_THAT(addedPart(r.argv), Contains("--target=" + t.clang.str()));
    EXPECT_EQ(r.argv[1], kStart);
    EXPECT_TRUE(applied(r, "target-from-name"));
  }
}

TEST(RewriteRule, TargetFlagMatchingIsDropped) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  for (const Args &flag :
       {Args{"--target=aarch64-unknown-linux-gnu"}, Args{"--target=aarch64-linux-gnu"},
        Args{"-target", "aarch64-linux-gnu"}, Args{"--target", "aarch64-pc-linux-gnu"}}) {
    SCOPED_TRACE(shellJoin(flag));
    Args args = flag;
    args.insert(args.end(), {"-c", "x.c"});
    RewriteResult r = rewrite(input(t.rust, "cc", debianCross(t), args));
    EXPECT_THAT(userPart(r.argv), ElementsAre("-c", "x.c"));
    EXPECT_EQ(count(r.argv, "--target=aarch64-unknown-linux-gnu"), 1u);
    EXPECT_EQ(count(r.argv, "-target") + count(r.argv, "--target"), 0u);
    EXPECT_THAT(changesOf(r, "target-flag"), HasSubstr("dropped " + flag[0]));
  }
}

TEST(RewriteRule, TargetFlagContradictingIsAnError) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  for (const Args &flag :
       {Args{"--target=x86_64-unknown-linux-gnu"}, Args{"-target", "armv7-linux-gnueabihf"},
        Args{"--target", "aarch64-unknown-linux-musl"}, Args{"--target=wasm32-wasi"}}) {
    SCOPED_TRACE(shellJoin(flag));
    Args args = {"-c", "x.c"};
    args.insert(args.end(), flag.begin(), flag.end());
    auto err = errorOf(rewriteCommand(input(t.rust, "cc", debianCross(t), args)));
    EXPECT_TRUE(err.isShimError);
    EXPECT_EQ(err.code, ExitCode::Usage);
    EXPECT_THAT(err.message, HasSubstr("'" + flag.back().substr(flag.back().find('=') + 1) + "'"));
    EXPECT_THAT(err.message, HasSubstr("aarch64-unknown-linux-gnu"));
  }
}

TEST(RewriteRule, PointerWidthFlag) {
  struct Case {
    const char *rust, *flag;
  } dropped[] = {{"x86_64-unknown-linux-gnu", "-m64"},
                 {"x86_64-unknown-linux-musl", "-m64"},
                 {"i686-unknown-linux-gnu", "-m32"},
                 {"aarch64-unknown-linux-gnu", "-m64"}};
  for (const Case &c : dropped) {
    SCOPED_TRACE(std::string(c.rust) + " " + c.flag);
    RewriteResult r =
        rewrite(input(c.rust, "cc", rooted(Layout::Plain, "/s"), {c.flag, "x.o", "-o", "x"}));
    EXPECT_THAT(r.argv, Not(Contains(c.flag)));
    EXPECT_THAT(userPart(r.argv), ElementsAre("x.o", "-o", "x"));
    EXPECT_THAT(changesOf(r, "pointer-width-flag"), HasSubstr(std::string("dropped ") + c.flag));
  }
  Case contradicting[] = {{"x86_64-unknown-linux-gnu", "-m32"}, {"i686-unknown-linux-gnu", "-m64"}};
  for (const Case &c : contradicting) {
    SCOPED_TRACE(std::string(c.rust) + " " + c.flag);
    auto err =
        errorOf(rewriteCommand(input(c.rust, "cc", rooted(Layout::Plain, "/s"), {c.flag, "x.o"})));
    EXPECT_EQ(err.code, ExitCode::Usage);
    EXPECT_THAT(err.message, HasSubstr(std::string(c.flag) + " contradicts the target " + c.rust));
  }
}

// The rule's reason says a contradicting width is an error; for other
// architectures than x86 it is dropped instead, and clang would have
// honoured it (-m32 on powerpc64le gives powerpcle, -m64 on arm gives
// aarch64), so the build silently gets the other width.
TEST(RewriteRule, PointerWidthFlagContradictingOnOtherArchitectures) {
  struct Case {
    const char *rust, *flag;
  } cases[] = {{"aarch64-unknown-linux-gnu", "-m32"},
               {"powerpc64le-unknown-linux-gnu", "-m32"},
               {"armv7-unknown-linux-gnueabihf", "-m64"}};
  for (const Case &c : cases) {
    SCOPED_TRACE(std::string(c.rust) + " " + c.flag);
    auto err =
        errorOf(rewriteCommand(input(c.rust, "cc", rooted(Layout::Plain, "/s"), {c.flag, "x.o"})));
    EXPECT_EQ(err.code, ExitCode::Usage);
    EXPECT_THAT(err.message, HasSubstr(std::string(c.flag) + " contradicts the target " + c.rust));
  }
}

TEST(RewriteRule, DriverMode) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  for (const char *name : {"c++", "g++", "clang++"}) {
    SCOPED_TRACE(name);
    RewriteResult r = rewrite(input(t.rust, name, debianCross(t), {"-c", "x.cc"}));
    EXPECT_EQ(r.argv[1], "--driver-mode=g++");
    EXPECT_TRUE(applied(r, "driver-mode"));
  }
  RewriteResult cpp = rewrite(input(t.rust, "cpp", debianCross(t), {"x.h"}));
  EXPECT_EQ(cpp.argv[1], "--driver-mode=cpp");
  EXPECT_EQ(cpp.mode, Mode::Compile); // never a link, even without -E
  EXPECT_THAT(cpp.argv, Not(Contains("-Wl,--sysroot=/")));
  EXPECT_THAT(cpp.argv, Not(Contains(std::string("--ld-path=") + kLld)));
  for (const char *name : {"cc", "gcc", "clang"}) {
    SCOPED_TRACE(name);
    RewriteResult r = rewrite(input(t.rust, name, debianCross(t), {"-c", "x.c"}));
    EXPECT_EQ(r.argv[1], kStart);
    EXPECT_FALSE(applied(r, "driver-mode"));
  }
}

TEST(RewriteRule, QuietAddedFlags) {
  const Target &t = target("armv7-unknown-linux-gnueabihf");
  for (const Args &args :
       {Args{"-c", "x.c", "-o", "x.o"}, Args{"x.o", "-lm", "-o", "x"}, Args{"--version"}}) {
    SCOPED_TRACE(shellJoin(args));
    RewriteInput in = input(t.rust, "cc", debianCross(t), args);
    in.settings.cflags = {"-O2"};
    RewriteResult r = rewrite(in);
    ASSERT_EQ(count(r.argv, kStart), 1u);
    ASSERT_EQ(count(r.argv, kEnd), 1u);
    // Everything crosshim adds is inside the block; the user's arguments
    // follow it, unchanged and in order.
    EXPECT_EQ(r.argv[0], kClang);
    EXPECT_EQ(r.argv[1], kStart);
    EXPECT_THAT(addedPart(r.argv), Contains("--target=armv7-unknown-linux-gnueabihf"));
    EXPECT_THAT(addedPart(r.argv), Contains("-mfloat-abi=hard"));
    EXPECT_THAT(addedPart(r.argv), Contains("-O2"));
    EXPECT_EQ(userPart(r.argv), args);
    EXPECT_TRUE(applied(r, "quiet-added-flags"));
  }
}

TEST(RewriteRule, DebianCrossSysroot) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  RewriteResult r = rewrite(input(t.rust, "cc", debianCross(t), {"-c", "x.c"}));
  EXPECT_THAT(addedPart(r.argv),
              ElementsAre("--target=aarch64-unknown-linux-gnu", "--sysroot=/usr/aarch64-linux-gnu",
                          "--gcc-toolchain=/usr"));
  EXPECT_TRUE(applied(r, "debian-cross-sysroot"));
  // Without a gcc-cross directory there is no --gcc-toolchain.
  EXPECT_THAT(
      addedPart(argvOf(input(t.rust, "cc", debianCross(t, false), {"-c", "x.c"}))),
      ElementsAre("--target=aarch64-unknown-linux-gnu", "--sysroot=/usr/aarch64-linux-gnu"));
}

TEST(RewriteRule, DebianCrossLinkerScripts) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  RewriteResult link = rewrite(input(t.rust, "cc", debianCross(t), {"x.o", "-o", "x"}));
  EXPECT_THAT(addedPart(link.argv), Contains("-Wl,--sysroot=/"));
  EXPECT_TRUE(applied(link, "debian-cross-linker-scripts"));
  RewriteResult compile = rewrite(input(t.rust, "cc", debianCross(t), {"-c", "x.c"}));
  EXPECT_THAT(compile.argv, Not(Contains("-Wl,--sysroot=/")));
  EXPECT_FALSE(applied(compile, "debian-cross-linker-scripts"));
  // Other layouts keep the linker's sysroot.
  EXPECT_THAT(argvOf(input(t.rust, "cc", rooted(Layout::Multiarch, "/s"), {"x.o"})),
              Not(Contains("-Wl,--sysroot=/")));
}

TEST(RewriteRule, DebianMuslHeaders) {
  const Target &t = target("x86_64-unknown-linux-musl");
  for (const Args &args : {Args{"-c", "x.c"}, Args{"x.o", "-o", "x"}}) {
    SCOPED_TRACE(shellJoin(args));
    RewriteResult r = rewrite(input(t.rust, "cc", debianMusl(t), args));
    Args added = addedPart(r.argv);
    auto at = llvm::find(added, "-nostdlibinc");
    ASSERT_NE(at, added.end());
    ASSERT_LT(at + 2, added.end());
    EXPECT_EQ(at[1], "-isystem");
    EXPECT_EQ(at[2], "/usr/include/x86_64-linux-musl");
    EXPECT_TRUE(applied(r, "debian-musl-headers"));
  }
  // Not for other layouts: a musl root has its own usr/include.
  EXPECT_THAT(argvOf(input(t.rust, "cc", rooted(Layout::Musl, "/opt/alpine"), {"-c", "x.c"})),
              Not(Contains("-nostdlibinc")));
}

TEST(RewriteRule, DebianMuslLibraries) {
  const Target &t = target("x86_64-unknown-linux-musl");
  RewriteResult compile = rewrite(input(t.rust, "cc", debianMusl(t), {"-c", "x.c"}));
  EXPECT_THAT(addedPart(compile.argv), Contains("--sysroot=/usr/lib/x86_64-linux-musl"));
  EXPECT_THAT(addedPart(compile.argv), Contains("--gcc-toolchain=/usr/lib/x86_64-linux-musl"));
  EXPECT_THAT(compile.argv, Not(Contains("-B/usr/lib/x86_64-linux-musl")));
  EXPECT_THAT(compile.argv, Not(Contains("-L/usr/lib/x86_64-linux-musl")));
  EXPECT_TRUE(applied(compile, "debian-musl-libraries"));

  RewriteResult link = rewrite(input(t.rust, "cc", debianMusl(t), {"x.o", "-o", "x"}));
  EXPECT_THAT(addedPart(link.argv), Contains("-B/usr/lib/x86_64-linux-musl"));
  EXPECT_THAT(addedPart(link.argv), Contains("-L/usr/lib/x86_64-linux-musl"));
  EXPECT_THAT(changesOf(link, "debian-musl-libraries"), HasSubstr("-B/usr/lib/x86_64-linux-musl"));
}

TEST(RewriteRule, Sysroot) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  for (Layout layout : {Layout::Multiarch, Layout::Plain}) {
    SCOPED_TRACE(layoutName(layout).str());
    RewriteResult r =
        rewrite(input(t.rust, "cc", rooted(layout, "/opt/sysroots/arm64"), {"-c", "x.c"}));
    EXPECT_THAT(addedPart(r.argv),
                ElementsAre("--target=aarch64-unknown-linux-gnu", "--sysroot=/opt/sysroots/arm64"));
    EXPECT_TRUE(applied(r, "sysroot"));
  }
  RewriteResult musl = rewrite(input("aarch64-unknown-linux-musl", "cc",
                                     rooted(Layout::Musl, "/opt/alpine"), {"-c", "x.c"}));
  EXPECT_THAT(addedPart(musl.argv), Contains("--sysroot=/opt/alpine"));

  Sysroot withGcc = rooted(Layout::Multiarch, "/opt/sysroots/arm64");
  withGcc.gccToolchain = "/opt/sysroots/arm64/usr";
  EXPECT_THAT(addedPart(argvOf(input(t.rust, "cc", withGcc, {"-c", "x.c"}))),
              ElementsAre("--target=aarch64-unknown-linux-gnu", "--sysroot=/opt/sysroots/arm64",
                          "--gcc-toolchain=/opt/sysroots/arm64/usr"));

  // "/" (the build machine's own multiarch libraries) and the host: no --sysroot.
  RewriteResult root = rewrite(input(t.rust, "cc", rooted(Layout::Multiarch, "/"), {"-c", "x.c"}));
  EXPECT_THAT(addedPart(root.argv), ElementsAre("--target=aarch64-unknown-linux-gnu"));
  EXPECT_FALSE(applied(root, "sysroot"));
  RewriteResult host =
      rewrite(input("x86_64-unknown-linux-gnu", "cc", hostSysroot(), {"-c", "x.c"}));
  EXPECT_THAT(addedPart(host.argv), ElementsAre("--target=x86_64-unknown-linux-gnu"));
}

TEST(RewriteRule, CpuDefaults) {
  struct Case {
    const char *rust;
    Args flags;
  } cases[] = {
      {"armv7-unknown-linux-gnueabihf", {"-march=armv7-a", "-mfpu=vfpv3-d16", "-mfloat-abi=hard"}},
      {"armv7-unknown-linux-musleabihf", {"-march=armv7-a", "-mfpu=vfpv3-d16", "-mfloat-abi=hard"}},
      {"arm-unknown-linux-gnueabihf", {"-march=armv6", "-mfpu=vfp", "-mfloat-abi=hard"}},
      {"arm-unknown-linux-gnueabi", {"-march=armv6", "-mfloat-abi=soft"}},
      {"i686-unknown-linux-gnu", {"-march=pentium4"}},
      {"i686-unknown-linux-musl", {"-march=pentium4"}},
      {"riscv64gc-unknown-linux-gnu", {"-march=rv64gc", "-mabi=lp64d"}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.rust);
    RewriteResult r = rewrite(input(c.rust, "cc", rooted(Layout::Plain, "/s"), {"-c", "x.c"}));
    Args expected = {"--target=" + target(c.rust).clang.str(), "--sysroot=/s"};
    expected.insert(expected.end(), c.flags.begin(), c.flags.end());
    EXPECT_EQ(addedPart(r.argv), expected);
    EXPECT_TRUE(applied(r, "cpu-defaults"));
  }
  for (const char *rust :
       {"x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "s390x-unknown-linux-gnu"}) {
    SCOPED_TRACE(rust);
    RewriteResult r = rewrite(input(rust, "cc", rooted(Layout::Plain, "/s"), {"-c", "x.c"}));
    EXPECT_EQ(addedPart(r.argv).size(), 2u);
    EXPECT_FALSE(applied(r, "cpu-defaults"));
  }
}

TEST(RewriteRule, MuslRuntime) {
  const Target &musl = target("x86_64-unknown-linux-musl");
  RewriteInput link = input(musl.rust, "cc", debianMusl(musl), {"x.o", "-o", "x"});
  link.compilerRtBuiltins = true;
  RewriteResult r = rewrite(link);
  EXPECT_THAT(addedPart(r.argv), Contains("--rtlib=compiler-rt"));
  EXPECT_THAT(addedPart(r.argv), Contains("--unwindlib=none"));
  EXPECT_TRUE(applied(r, "musl-runtime"));

  // Only with compiler-rt's builtins,
  link.compilerRtBuiltins = false;
  EXPECT_THAT(argvOf(link), Not(Contains("--rtlib=compiler-rt")));
  // only when linking,
  RewriteInput compile = input(musl.rust, "cc", debianMusl(musl), {"-c", "x.c"});
  compile.compilerRtBuiltins = true;
  EXPECT_THAT(argvOf(compile), Not(Contains("--rtlib=compiler-rt")));
  // and only for musl.
  const Target &gnu = target("aarch64-unknown-linux-gnu");
  RewriteInput glibc = input(gnu.rust, "cc", debianCross(gnu), {"x.o", "-o", "x"});
  glibc.compilerRtBuiltins = true;
  EXPECT_THAT(argvOf(glibc), Not(Contains("--rtlib=compiler-rt")));
}

TEST(RewriteRule, MuslGccRuntime) {
  // A musl sysroot made by `sysroot create`, for an architecture clang has
  // no compiler-rt builtins for: GCC's libgcc.a and crtbegin*.o from the root.
  const Target &musl = target("aarch64-unknown-linux-musl");
  Sysroot s = debianMusl(musl);
  s.gccRuntimeDir = "/r/usr/lib/gcc/aarch64-linux-gnu/12";
  RewriteInput link = input(musl.rust, "cc", s, {"x.o", "-o", "x"});
  RewriteResult r = rewrite(link);
  EXPECT_THAT(addedPart(r.argv), IsSupersetOf({"--rtlib=libgcc", "--unwindlib=none",
                                               "-B/r/usr/lib/gcc/aarch64-linux-gnu/12",
                                               "-L/r/usr/lib/gcc/aarch64-linux-gnu/12"}));
  EXPECT_TRUE(applied(r, "musl-gcc-runtime"));
  // compiler-rt, where clang has it, comes first;
  link.compilerRtBuiltins = true;
  EXPECT_THAT(argvOf(link), Not(Contains("--rtlib=libgcc")));
  // only when linking.
  EXPECT_THAT(argvOf(input(musl.rust, "cc", s, {"-c", "x.c"})), Not(Contains("--rtlib=libgcc")));
}

Sysroot macSdk() {
  Sysroot s;
  s.path = "/sdk/MacOSX13.3.sdk";
  s.layout = Layout::MacSdk;
  s.sdkVersion = "13.3";
  return s;
}

TEST(RewriteDarwin, CompileAndLink) {
  RewriteResult c = rewrite(input("aarch64-apple-darwin", "cc", macSdk(), {"-c", "x.c"}));
  EXPECT_EQ(addedPart(c.argv), (Args{"--target=arm64-apple-darwin", "-isysroot",
                                     "/sdk/MacOSX13.3.sdk", "-mmacosx-version-min=11.0"}));
  EXPECT_TRUE(applied(c, "darwin-sdk"));
  EXPECT_TRUE(applied(c, "darwin-min-version"));
  // LIBRARY_PATH and CPATH never reach a Darwin build.
  EXPECT_THAT(c.unsetEnv, IsSupersetOf({"LIBRARY_PATH", "CPATH"}));
  // The link: ld64.lld through -fuse-ld=lld, never --ld-path.
  RewriteResult l = rewrite(input("x86_64-apple-darwin", "cc", macSdk(), {"x.o", "-o", "x"}));
  EXPECT_THAT(addedPart(l.argv), IsSupersetOf({"-fuse-ld=lld", "-mmacosx-version-min=10.12"}));
  EXPECT_TRUE(applied(l, "darwin-ld64"));
  for (const std::string &a : l.argv)
    EXPECT_FALSE(llvm::StringRef(a).startswith("--ld-path")) << a;
  EXPECT_THAT(argvOf(input("x86_64-apple-darwin", "cc", macSdk(), {"-c", "x.c"})),
              Not(Contains("-fuse-ld=lld")));
  // A linker of the build's own choice stays.
  RewriteResult own =
      rewrite(input("x86_64-apple-darwin", "cc", macSdk(), {"x.o", "-fuse-ld=/opt/ld64"}));
  EXPECT_THAT(addedPart(own.argv), Not(Contains("-fuse-ld=lld")));
}

TEST(RewriteDarwin, MinimumVersion) {
  // MACOSX_DEPLOYMENT_TARGET, else rustc's defaults.
  RewriteInput env = input("aarch64-apple-darwin", "cc", macSdk(), {"-c", "x.c"});
  env.macosDeploymentTarget = "12.3";
  EXPECT_THAT(addedPart(argvOf(env)), Contains("-mmacosx-version-min=12.3"));
  // The caller's own minimum wins: as an option (rustc's) or inside --target.
  RewriteResult rustc = rewrite(input("aarch64-apple-darwin", "cc", macSdk(),
                                      {"-arch", "arm64", "-mmacosx-version-min=11.0.0", "x.o"}));
  for (const std::string &a : addedPart(rustc.argv))
    EXPECT_FALSE(llvm::StringRef(a).startswith("-mmacosx-version-min")) << a;
  EXPECT_THAT(userPart(rustc.argv), Contains("-mmacosx-version-min=11.0.0"));
  RewriteResult versioned = rewrite(input("aarch64-apple-darwin", "cc", macSdk(),
                                          {"--target=arm64-apple-macosx12.0", "-c", "x.c"}));
  EXPECT_TRUE(applied(versioned, "darwin-versioned-target"));
  EXPECT_THAT(userPart(versioned.argv), Contains("--target=arm64-apple-macosx12.0"));
  for (const std::string &a : addedPart(versioned.argv)) {
    EXPECT_FALSE(llvm::StringRef(a).startswith("-mmacosx-version-min")) << a;
    EXPECT_FALSE(llvm::StringRef(a).startswith("--target=")) << a;
  }
  // An unversioned --target of the same target is dropped as for every target.
  RewriteResult plain = rewrite(
      input("aarch64-apple-darwin", "cc", macSdk(), {"--target=arm64-apple-macos", "-c", "x.c"}));
  EXPECT_THAT(addedPart(plain.argv), Contains("-mmacosx-version-min=11.0"));
  EXPECT_THAT(userPart(plain.argv), Not(Contains("--target=arm64-apple-macos")));
  EXPECT_EQ(macosMinimumVersion(target("x86_64-apple-darwin"), " 10.15 "), "10.15");
}

TEST(RewriteDarwin, CxxUsesTheSdksLibcxx) {
  RewriteResult r = rewrite(input("aarch64-apple-darwin", "c++", macSdk(), {"-c", "x.cpp"}));
  EXPECT_THAT(addedPart(r.argv), IsSupersetOf({"-stdlib=libc++", "-nostdinc++", "-isystem",
                                               "/sdk/MacOSX13.3.sdk/usr/include/c++/v1"}));
  EXPECT_TRUE(applied(r, "darwin-libcxx"));
  EXPECT_THAT(argvOf(input("aarch64-apple-darwin", "cc", macSdk(), {"-c", "x.c"})),
              Not(Contains("-stdlib=libc++")));
  EXPECT_THAT(
      argvOf(input("aarch64-apple-darwin", "c++", macSdk(), {"-stdlib=libstdc++", "-c", "x.cpp"})),
      Not(Contains("-nostdinc++")));
}

TEST(RewriteDarwin, ContradictionsAreErrors) {
  auto arch =
      rewriteCommand(input("aarch64-apple-darwin", "cc", macSdk(), {"-arch", "x86_64", "x.o"}));
  ASSERT_FALSE(static_cast<bool>(arch));
  EXPECT_THAT(llvm::toString(arch.takeError()), HasSubstr("lipo -create"));
  auto other = rewriteCommand(
      input("aarch64-apple-darwin", "cc", macSdk(), {"--target=x86_64-apple-darwin", "x.o"}));
  EXPECT_FALSE(static_cast<bool>(other));
  llvm::consumeError(other.takeError());
}

TEST(RewriteDarwin, Ld) {
  RewriteInput in = input("aarch64-apple-darwin", "ld", macSdk(), {"x.o", "-lSystem"});
  in.program = "/usr/lib/llvm-14/bin/ld64.lld";
  RewriteResult r = rewrite(in);
  EXPECT_EQ(r.argv,
            (Args{"/usr/lib/llvm-14/bin/ld64.lld", "-arch", "arm64", "-platform_version", "macos",
                  "11.0", "13.3", "-syslibroot", "/sdk/MacOSX13.3.sdk", "x.o", "-lSystem"}));
  EXPECT_TRUE(applied(r, "darwin-ld"));
  in.args = {"-arch", "arm64", "-platform_version", "macos", "12.0", "13.0", "x.o"};
  EXPECT_EQ(argvOf(in),
            (Args{"/usr/lib/llvm-14/bin/ld64.lld", "-syslibroot", "/sdk/MacOSX13.3.sdk", "-arch",
                  "arm64", "-platform_version", "macos", "12.0", "13.0", "x.o"}));
}

TEST(RewriteRule, UseLld) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  const std::string ldPath = std::string("--ld-path=") + kLld;
  RewriteResult link = rewrite(input(t.rust, "cc", debianCross(t), {"x.o", "-o", "x"}));
  EXPECT_THAT(addedPart(link.argv), Contains(ldPath));
  EXPECT_TRUE(applied(link, "use-lld"));

  EXPECT_THAT(argvOf(input(t.rust, "cc", debianCross(t), {"-c", "x.c"})), Not(Contains(ldPath)));

  // The user's own choice of linker wins.
  for (const Args &args : {Args{"-fuse-ld=bfd", "x.o"}, Args{"--ld-path=/opt/mold/bin/ld", "x.o"},
                           Args{"-fuse-ld=/usr/bin/ld.gold", "x.o"}}) {
    SCOPED_TRACE(shellJoin(args));
    RewriteResult r = rewrite(input(t.rust, "cc", debianCross(t), args));
    EXPECT_THAT(r.argv, Not(Contains(ldPath)));
    EXPECT_EQ(userPart(r.argv), args);
    EXPECT_THAT(changesOf(r, "use-lld"), HasSubstr("skipped"));
  }
  // A plain -fuse-ld=lld (rustc 1.63 adds it) is not a choice of another linker.
  RewriteResult lld = rewrite(input(t.rust, "cc", debianCross(t), {"-fuse-ld=lld", "x.o"}));
  EXPECT_THAT(addedPart(lld.argv), Contains(ldPath));
  EXPECT_THAT(userPart(lld.argv), ElementsAre("-fuse-ld=lld", "x.o"));

  RewriteInput noLld = input(t.rust, "cc", debianCross(t), {"x.o"});
  noLld.lld.clear();
  EXPECT_THAT(argvOf(noLld), Not(Contains(::testing::StartsWith("--ld-path="))));
}

TEST(RewriteRule, RustupSelfContainedLld) {
  const Target &t = target("x86_64-unknown-linux-gnu");
  const std::string ldPath = std::string("--ld-path=") + kLld;
  const Args rustc = {"-m64", "x.o", kRustupGccLd, "-fuse-ld=lld", "-o", "x"};

  // keep (the default, and said explicitly): rustup's flags stay, no --ld-path.
  for (std::optional<RustLld> setting :
       {std::optional<RustLld>(), std::optional<RustLld>(RustLld::Keep)}) {
    RewriteInput in = input(t.rust, "cc", hostSysroot(), rustc);
    in.settings.rustLld = setting;
    RewriteResult r = rewrite(in);
    EXPECT_THAT(userPart(r.argv), ElementsAre("x.o", kRustupGccLd, "-fuse-ld=lld", "-o", "x"));
    EXPECT_THAT(r.argv, Not(Contains(ldPath)));
    EXPECT_THAT(changesOf(r, "rustup-self-contained-lld"), HasSubstr("kept"));
  }

  // replace: both dropped, crosshim's ld.lld instead.
  RewriteInput in = input(t.rust, "cc", hostSysroot(), rustc);
  in.settings.rustLld = RustLld::Replace;
  RewriteResult r = rewrite(in);
  EXPECT_THAT(userPart(r.argv), ElementsAre("x.o", "-o", "x"));
  EXPECT_THAT(addedPart(r.argv), Contains(ldPath));
  EXPECT_THAT(changesOf(r, "rustup-self-contained-lld"), HasSubstr("dropped -fuse-ld=lld"));

  // replace, with -fuse-ld=lld before the -B and a trailing slash on it.
  RewriteInput reversed =
      input(t.rust, "cc", hostSysroot(),
            {"-fuse-ld=lld", "x.o", std::string(kRustupGccLd) + "/", "-o", "x"});
  reversed.settings.rustLld = RustLld::Replace;
  RewriteResult rr = rewrite(reversed);
  EXPECT_THAT(userPart(rr.argv), ElementsAre("x.o", "-o", "x"));
  EXPECT_THAT(addedPart(rr.argv), Contains(ldPath));

  // Another -B is not rustup's.
  RewriteInput other = input(t.rust, "cc", hostSysroot(), {"-B/opt/tools", "-fuse-ld=lld", "x.o"});
  other.settings.rustLld = RustLld::Replace;
  EXPECT_THAT(userPart(argvOf(other)), ElementsAre("-B/opt/tools", "-fuse-ld=lld", "x.o"));
}

TEST(RewriteRule, ConfigFlags) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  auto withFlags = [&](llvm::StringRef toolName, Args args) {
    RewriteInput in = input(t.rust, toolName, debianCross(t), std::move(args));
    in.settings.cflags = {"-DC_FLAG"};
    in.settings.cxxflags = {"-DCXX_FLAG"};
    in.settings.ldflags = {"-Wl,-z,now"};
    return rewrite(in);
  };
  RewriteResult cCompile = withFlags("cc", {"-c", "x.c"});
  EXPECT_THAT(addedPart(cCompile.argv), Contains("-DC_FLAG"));
  EXPECT_THAT(cCompile.argv, Not(Contains("-DCXX_FLAG")));
  EXPECT_THAT(cCompile.argv, Not(Contains("-Wl,-z,now")));
  EXPECT_TRUE(applied(cCompile, "config-flags"));

  RewriteResult cxxCompile = withFlags("c++", {"-c", "x.cc"});
  EXPECT_THAT(addedPart(cxxCompile.argv),
              ElementsAre("--target=aarch64-unknown-linux-gnu", "--sysroot=/usr/aarch64-linux-gnu",
                          "--gcc-toolchain=/usr", "-std=gnu++17", "-DC_FLAG", "-DCXX_FLAG"));
  EXPECT_THAT(cxxCompile.argv, Not(Contains("-Wl,-z,now")));

  RewriteResult cLink = withFlags("cc", {"x.o"});
  EXPECT_THAT(addedPart(cLink.argv), Contains("-Wl,-z,now"));
  EXPECT_THAT(cLink.argv, Not(Contains("-DCXX_FLAG")));

  RewriteResult cxxLink = withFlags("g++", {"x.o"});
  Args added = addedPart(cxxLink.argv);
  ASSERT_GE(added.size(), 3u);
  EXPECT_THAT(Args(added.end() - 3, added.end()),
              ElementsAre("-DC_FLAG", "-DCXX_FLAG", "-Wl,-z,now"));

  // After the CPU defaults, so the configuration can override them.
  const Target &arm = target("armv7-unknown-linux-gnueabihf");
  RewriteInput armIn = input(arm.rust, "cc", debianCross(arm), {"-c", "x.c"});
  armIn.settings.cflags = {"-march=armv7ve"};
  Args armAdded = addedPart(argvOf(armIn));
  EXPECT_LT(llvm::find(armAdded, "-march=armv7-a"), llvm::find(armAdded, "-march=armv7ve"));
}

TEST(RewriteRule, HostEnvPaths) {
  const Target &t = target("x86_64-unknown-linux-musl");
  RewriteInput cross = input(t.rust, "cc", debianMusl(t), {"x.o"});
  cross.crossTarget = true;
  EXPECT_THAT(rewrite(cross).unsetEnv, ElementsAre("LIBRARY_PATH", "CPATH", "C_INCLUDE_PATH",
                                                   "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH"));
  RewriteInput native = input("x86_64-unknown-linux-gnu", "cc", hostSysroot(), {"x.o"});
  native.crossTarget = false;
  EXPECT_THAT(rewrite(native).unsetEnv, IsEmpty());
}

TEST(RewriteRule, LdSysroot) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  RewriteResult r = rewrite(input(t.rust, "ld", rooted(Layout::Multiarch, "/opt/sysroots/arm64"),
                                  {"-o", "x", "crt1.o", "x.o", "-lc"}));
  EXPECT_EQ(r.mode, Mode::Link);
  EXPECT_THAT(r.argv, ElementsAre("/usr/lib/llvm-14/bin/ld.lld", "--sysroot=/opt/sysroots/arm64",
                                  "-o", "x", "crt1.o", "x.o", "-lc"));
  EXPECT_TRUE(applied(r, "ld-sysroot"));

  // Not for Debian's cross packages (their linker scripts), the host, or "/".
  for (const Sysroot &s : {debianCross(t), hostSysroot(), rooted(Layout::Multiarch, "/")}) {
    SCOPED_TRACE(layoutName(s.layout).str());
    EXPECT_THAT(argvOf(input(t.rust, "ld", s, {"x.o"})),
                ElementsAre("/usr/lib/llvm-14/bin/ld.lld", "x.o"));
  }
}

TEST(RewriteRule, UserSysroot) {
  const Target &t = target("armv7-unknown-linux-gnueabihf");
  for (const Args &args :
       {Args{"--sysroot=/my/root", "x.o", "-o", "x"}, Args{"--sysroot", "/my/root", "x.o"}}) {
    SCOPED_TRACE(shellJoin(args));
    RewriteResult r = rewrite(input(t.rust, "cc", debianCross(t), args));
    // No layout flags (--sysroot, --gcc-toolchain, -Wl,--sysroot=) of crosshim's own;
    // the target, CPU defaults and linker still come from crosshim.
    EXPECT_THAT(addedPart(r.argv),
                ElementsAre("--target=armv7-unknown-linux-gnueabihf", "-march=armv7-a",
                            "-mfpu=vfpv3-d16", "-mfloat-abi=hard",
                            std::string("--ld-path=") + kLld));
    EXPECT_EQ(userPart(r.argv), args);
    EXPECT_THAT(changesOf(r, "user-sysroot"), HasSubstr("debian-cross"));
  }
  const Target &musl = target("x86_64-unknown-linux-musl");
  RewriteResult m =
      rewrite(input(musl.rust, "cc", debianMusl(musl), {"--sysroot=/opt/alpine", "-c", "x.c"}));
  EXPECT_THAT(m.argv, Not(Contains("-nostdlibinc")));
  EXPECT_THAT(addedPart(m.argv), ElementsAre("--target=x86_64-unknown-linux-musl"));
  // -Wl,--sysroot= or -isysroot are not a --sysroot.
  RewriteResult w =
      rewrite(input(t.rust, "cc", debianCross(t), {"-Wl,--sysroot=/x", "-isysroot", "/y", "x.o"}));
  EXPECT_THAT(addedPart(w.argv), Contains("--sysroot=/usr/arm-linux-gnueabihf"));
  EXPECT_FALSE(applied(w, "user-sysroot"));
}

TEST(RewriteRule, TerminalColours) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  auto run = [&](Args args, bool terminal) {
    RewriteInput in = input(t.rust, "cc", debianCross(t), std::move(args));
    in.stderrIsTerminal = terminal;
    return rewrite(in);
  };
  RewriteResult link = run({"x.o", "-o", "x"}, true);
  Args added = addedPart(link.argv);
  ASSERT_GE(added.size(), 2u);
  EXPECT_THAT(Args(added.end() - 2, added.end()),
              ElementsAre("-fcolor-diagnostics", "-Wl,--color-diagnostics"));
  EXPECT_TRUE(applied(link, "terminal-colours"));

  // Not without a terminal, not for compiles (clang keeps its colours when
  // exec'd on the terminal itself) and not for information queries.
  for (const auto &[args, terminal] :
       {std::pair<Args, bool>{{"x.o", "-o", "x"}, false},
        std::pair<Args, bool>{{"-c", "x.c"}, true}, std::pair<Args, bool>{{"--version"}, true}}) {
    SCOPED_TRACE(shellJoin(args) + (terminal ? " (terminal)" : " (pipe)"));
    RewriteResult r = run(args, terminal);
    EXPECT_THAT(r.argv, Not(Contains("-fcolor-diagnostics")));
    EXPECT_THAT(r.argv, Not(Contains("-Wl,--color-diagnostics")));
  }
  // Another linker may not know lld's option.
  RewriteResult bfd = run({"-fuse-ld=bfd", "x.o"}, true);
  EXPECT_THAT(addedPart(bfd.argv), Contains("-fcolor-diagnostics"));
  EXPECT_THAT(bfd.argv, Not(Contains("-Wl,--color-diagnostics")));
}

// windows-gnu through Debian's mingw-w64 (as findSysroot describes it).
Sysroot debianMingw(const Target &t) {
  Sysroot s;
  s.path = "/usr/" + t.gnu.str();
  s.layout = Layout::Mingw;
  s.gccRuntimeDir = "/usr/lib/gcc/" + t.gnu.str() + "/12-win32";
  return s;
}

TEST(RewriteCommand, MingwCompileAndLink) {
  const Target &t = target("x86_64-pc-windows-gnu");
  RewriteResult compile = rewrite(input(t.rust, "cc", debianMingw(t), {"-c", "hello.c"}));
  EXPECT_EQ(compile.mode, Mode::Compile);
  const std::string cxx = "/usr/lib/gcc/x86_64-w64-mingw32/12-win32/include/c++";
  EXPECT_THAT(compile.argv, ElementsAre(kClang, kStart, "--target=x86_64-w64-windows-gnu",
                                        "--sysroot=/usr/x86_64-w64-mingw32", "-cxx-isystem", cxx,
                                        "-cxx-isystem", cxx + "/x86_64-w64-mingw32", "-cxx-isystem",
                                        cxx + "/backward", kEnd, "-c", "hello.c"));

  RewriteResult link = rewrite(input(t.rust, "cc", debianMingw(t), {"hello.o", "-o", "h.exe"}));
  EXPECT_THAT(link.argv, ElementsAreArray(Args{kClang, kStart, "--target=x86_64-w64-windows-gnu",
                                               "--sysroot=/usr/x86_64-w64-mingw32",
                                               "-L/usr/lib/gcc/x86_64-w64-mingw32/12-win32",
                                               "-cxx-isystem", cxx, "-cxx-isystem",
                                               cxx + "/x86_64-w64-mingw32", "-cxx-isystem",
                                               cxx + "/backward", std::string("--ld-path=") + kLld,
                                               "-fuse-ld=lld", kEnd, "hello.o", "-o", "h.exe"}));
  EXPECT_THAT(link.unsetEnv, Contains("LIBRARY_PATH"));
}

TEST(RewriteRule, MingwSysroot) {
  const Target &t = target("i686-pc-windows-gnu");
  EXPECT_THAT(addedPart(argvOf(input(t.rust, "cc", debianMingw(t), {"-c", "x.c"}))),
              Contains("--sysroot=/usr/i686-w64-mingw32"));
  // An llvm-mingw folder: only --sysroot (its clang brings compiler-rt and libc++).
  Sysroot llvmMingw = rooted(Layout::Mingw, "/opt/llvm-mingw");
  llvmMingw.mergedUsr = false;
  RewriteResult r = rewrite(input(t.rust, "c++", llvmMingw, {"x.o", "-o", "x.exe"}));
  EXPECT_THAT(addedPart(r.argv),
              ElementsAre("--target=i686-w64-windows-gnu", "--sysroot=/opt/llvm-mingw",
                          "-march=pentium4", std::string("--ld-path=") + kLld, "-fuse-ld=lld"));
  EXPECT_TRUE(applied(r, "mingw-sysroot"));
  EXPECT_FALSE(applied(r, "mingw-gcc-runtime"));
  EXPECT_FALSE(applied(r, "mingw-libstdcxx-headers"));
}

TEST(RewriteRule, MingwGccRuntime) {
  const Target &t = target("x86_64-pc-windows-gnu");
  const std::string dir = "-L/usr/lib/gcc/x86_64-w64-mingw32/12-win32";
  RewriteResult link = rewrite(input(t.rust, "cc", debianMingw(t), {"x.o", "-lstdc++"}));
  EXPECT_THAT(addedPart(link.argv), Contains(dir));
  EXPECT_TRUE(applied(link, "mingw-gcc-runtime"));
  // A compile has no use for it.
  EXPECT_THAT(argvOf(input(t.rust, "cc", debianMingw(t), {"-c", "x.c"})), Not(Contains(dir)));
}

TEST(RewriteRule, MingwLibstdcxxHeaders) {
  const Target &t = target("x86_64-pc-windows-gnu");
  const std::string cxx = "/usr/lib/gcc/x86_64-w64-mingw32/12-win32/include/c++";
  RewriteResult r = rewrite(input(t.rust, "c++", debianMingw(t), {"-c", "x.cpp"}));
  Args added = addedPart(r.argv);
  auto first = llvm::find(added, cxx);
  ASSERT_NE(first, added.end());
  EXPECT_EQ(*(first - 1), "-cxx-isystem");
  EXPECT_THAT(added, Contains(cxx + "/x86_64-w64-mingw32"));
  EXPECT_TRUE(applied(r, "mingw-libstdcxx-headers"));
  // The gcc and cc names compile C++ too (gcc -c a.cpp, -x c++): they get the
  // same folders, which clang uses for C++ inputs only (-cxx-isystem).
  Args c = addedPart(argvOf(input(t.rust, "cc", debianMingw(t), {"-c", "a.cpp"})));
  first = llvm::find(c, cxx);
  ASSERT_NE(first, c.end());
  EXPECT_EQ(*(first - 1), "-cxx-isystem");
  EXPECT_THAT(c, Not(Contains("-isystem")));
}

TEST(RewriteRule, MingwNoPie) {
  const Target &t = target("x86_64-pc-windows-gnu");
  RewriteResult r = rewrite(input(t.rust, "cc", debianMingw(t), {"x.o", "-no-pie", "-o", "x"}));
  EXPECT_THAT(userPart(r.argv), ElementsAre("x.o", "-o", "x"));
  EXPECT_THAT(changesOf(r, "mingw-no-pie"), HasSubstr("dropped -no-pie"));
  // Linux targets keep it: there it chooses the kind of executable.
  const Target &linux = target("aarch64-unknown-linux-gnu");
  EXPECT_THAT(userPart(argvOf(input(linux.rust, "cc", debianCross(linux), {"x.o", "-no-pie"}))),
              ElementsAre("x.o", "-no-pie"));
}

TEST(RewriteRule, MingwLd) {
  const Target &t = target("x86_64-pc-windows-gnu");
  RewriteResult r = rewrite(input(t.rust, "ld", debianMingw(t), {"-o", "x.exe", "x.o"}));
  EXPECT_EQ(r.mode, Mode::Link);
  EXPECT_THAT(r.argv,
              ElementsAre("/usr/lib/llvm-14/bin/ld.lld", "--sysroot=/usr/x86_64-w64-mingw32", "-m",
                          "i386pep", "-L/usr/x86_64-w64-mingw32/lib", "-o", "x.exe", "x.o"));
  EXPECT_TRUE(applied(r, "mingw-ld"));
  const Target &i686 = target("i686-pc-windows-gnu");
  EXPECT_THAT(argvOf(input(i686.rust, "ld", debianMingw(i686), {"x.o"})), Contains("i386pe"));
  // The user's own emulation wins.
  EXPECT_THAT(argvOf(input(t.rust, "ld", debianMingw(t), {"-m", "i386pe", "x.o"})),
              Not(Contains("i386pep")));
}

TEST(RewriteRule, DlltoolMachine) {
  const Target &t = target("i686-pc-windows-gnu");
  RewriteResult r =
      rewrite(input(t.rust, "dlltool", debianMingw(t), {"-d", "foo.def", "-l", "libfoo.a"}));
  EXPECT_THAT(r.argv, ElementsAre("/usr/lib/llvm-14/bin/llvm-dlltool", "-m", "i386", "-d",
                                  "foo.def", "-l", "libfoo.a"));
  EXPECT_TRUE(applied(r, "dlltool-machine"));
  const Target &x64 = target("x86_64-pc-windows-gnu");
  EXPECT_THAT(argvOf(input(x64.rust, "dlltool", debianMingw(x64), {"-d", "foo.def"})),
              Contains("i386:x86-64"));
  EXPECT_THAT(argvOf(input(t.rust, "dlltool", debianMingw(t), {"-m", "arm64", "-d", "foo.def"})),
              ElementsAre("/usr/lib/llvm-14/bin/llvm-dlltool", "-m", "arm64", "-d", "foo.def"));
}

// gcc ignores linker options in a command that does not link, and -pie in a
// -static or -shared link, without a word; clang warns unless told not to.
TEST(RewriteRule, GnuUnusedLinkFlags) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  auto userPart = [&](Args args) {
    Args argv = argvOf(input(t.rust, "cc", debianCross(t), std::move(args)));
    return Args(llvm::find(argv, "--end-no-unused-arguments") + 1, argv.end());
  };
  EXPECT_THAT(userPart({"-c", "a.c", "-pie", "-Wl,-z,now", "-L", "/x", "-lm", "-O2"}),
              ElementsAre("-c", "a.c", "--start-no-unused-arguments", "-pie",
                          "--end-no-unused-arguments", "--start-no-unused-arguments", "-Wl,-z,now",
                          "--end-no-unused-arguments", "--start-no-unused-arguments", "-L", "/x",
                          "--end-no-unused-arguments", "--start-no-unused-arguments", "-lm",
                          "--end-no-unused-arguments", "-O2"));
  EXPECT_THAT(userPart({"-static", "-pie", "a.c", "-lm"}),
              ElementsAre("-static", "--start-no-unused-arguments", "-pie",
                          "--end-no-unused-arguments", "a.c", "-lm"));
  EXPECT_TRUE(applied(rewrite(input(t.rust, "cc", debianCross(t), {"-shared", "-pie", "a.c"})),
                      "gnu-unused-link-flags"));
  // A link that uses them, and compile options, are left alone: clang's
  // warning about -mfpu=neon on aarch64 is what gcc's error is to cc-rs.
  EXPECT_THAT(userPart({"-pie", "a.c", "-lm"}), ElementsAre("-pie", "a.c", "-lm"));
  EXPECT_THAT(userPart({"-c", "a.c", "-mfpu=neon"}), ElementsAre("-c", "a.c", "-mfpu=neon"));
}

TEST(RewriteRule, DlltoolIdentify) {
  const Target &t = target("x86_64-pc-windows-gnu");
  RewriteResult r = rewrite(
      input(t.rust, "dlltool", debianMingw(t), {"--identify-strict", "--identify", "libx.dll.a"}));
  ASSERT_TRUE(r.dlltoolIdentify);
  EXPECT_EQ(r.dlltoolIdentify->library, "libx.dll.a");
  EXPECT_TRUE(r.dlltoolIdentify->strict);
  EXPECT_TRUE(applied(r, "dlltool-identify"));
  EXPECT_TRUE(rewrite(input(t.rust, "dlltool", debianMingw(t), {"--help"})).dlltoolHelp);
  RewriteResult make = rewrite(input(t.rust, "dlltool", debianMingw(t), {"-d", "x.def"}));
  EXPECT_FALSE(make.dlltoolIdentify);
  EXPECT_FALSE(make.dlltoolHelp);
}

TEST(RewriteRule, WindresTarget) {
  const Target &t = target("i686-pc-windows-gnu");
  RewriteResult r = rewrite(input(t.rust, "windres", debianMingw(t), {"app.rc", "-o", "app.o"}));
  EXPECT_THAT(r.argv, ElementsAre("/usr/lib/llvm-14/bin/llvm-windres", "--target=i686-w64-mingw32",
                                  "--preprocessor-arg=--sysroot=/usr/i686-w64-mingw32", "app.rc",
                                  "-o", "app.o"));
  EXPECT_TRUE(applied(r, "windres-target"));
  // The user's own target and preprocessor win.
  EXPECT_THAT(argvOf(input(t.rust, "windres", debianMingw(t),
                           {"--target=pe-i386", "--preprocessor=cpp", "app.rc"})),
              ElementsAre("/usr/lib/llvm-14/bin/llvm-windres", "--target=pe-i386",
                          "--preprocessor=cpp", "app.rc"));
}

TEST(RewriteRule, GccQuery) {
  const Target &t = target("armv7-unknown-linux-gnueabihf");
  auto answer = [&](Args args, Sysroot s) {
    RewriteInput in = input(t.rust, "cc", std::move(s), std::move(args));
    in.invokedAs = "/nonexistent/bin/arm-linux-gnueabihf-gcc";
    RewriteResult r = rewrite(in);
    return r.answer.value_or("(clang runs)");
  };
  EXPECT_EQ(answer({"-print-sysroot"}, debianCross(t)), "/usr/arm-linux-gnueabihf\n");
  EXPECT_EQ(answer({"-print-sysroot", "--sysroot=/x"}, debianCross(t)), "/x\n");
  EXPECT_EQ(answer({"-print-multiarch"}, debianCross(t)), "arm-linux-gnueabihf\n");
  EXPECT_EQ(answer({"-dumpmachine"}, debianCross(t)), "arm-linux-gnueabihf\n");
  EXPECT_EQ(answer({"-print-multi-os-directory"}, debianCross(t)), ".\n");
  EXPECT_EQ(answer({"-print-multi-lib"}, debianCross(t)), ".;\n");
  // Not a query crosshim answers, or not alone: clang runs.
  EXPECT_EQ(answer({"--version"}, debianCross(t)), "(clang runs)");
  EXPECT_EQ(answer({"-dumpmachine", "x.c"}, debianCross(t)), "(clang runs)");
  // No sibling name and no GNU tool of that name: clang searches.
  EXPECT_EQ(answer({"-print-prog-name=no-such-tool"}, debianCross(t)), "(clang runs)");

  // musl's multiarch is its own; i686's is i386-linux-gnu (gcc's too).
  const Target &musl = target("x86_64-unknown-linux-musl");
  EXPECT_EQ(rewrite(input(musl.rust, "cc", debianMusl(musl), {"-print-multiarch"})).answer,
            std::optional<std::string>("x86_64-linux-musl\n"));
  const Target &i686 = target("i686-unknown-linux-gnu");
  EXPECT_EQ(rewrite(input(i686.rust, "cc", debianCross(i686), {"-print-multiarch"})).answer,
            std::optional<std::string>("i386-linux-gnu\n"));
  EXPECT_EQ(
      rewrite(input(i686.rust, "cc", debianCross(i686), {"-print-multi-os-directory"})).answer,
      std::optional<std::string>("../lib\n"));
  const Target &mingw = target("x86_64-pc-windows-gnu");
  RewriteResult m = rewrite(input(mingw.rust, "cc", debianMingw(mingw), {"-dumpmachine"}));
  EXPECT_EQ(m.answer, std::optional<std::string>("x86_64-w64-mingw32\n"));
  EXPECT_TRUE(applied(m, "gcc-query"));
}

TEST(RewriteRule, GccQueryProgName) {
  // The sibling of the name that ran, in the name farm.
  test::TestDir dir;
  for (const char *name : {"aarch64-linux-gnu-gcc", "aarch64-linux-gnu-ld", "aarch64-linux-gnu-as"})
    dir.makeExecutable(name);
  const Target &t = target("aarch64-unknown-linux-gnu");
  RewriteInput in = input(t.rust, "cc", debianCross(t), {"-print-prog-name=ld"});
  in.tool = &tool("gcc");
  in.invokedAs = dir.path() + "/aarch64-linux-gnu-gcc";
  EXPECT_EQ(rewrite(in).answer, std::optional<std::string>(dir.path() + "/aarch64-linux-gnu-ld\n"));
  // as has a crosshim name too: the one beside the compiler, not GNU's.
  in.args = {"-print-prog-name=as"};
  EXPECT_EQ(rewrite(in).answer, std::optional<std::string>(dir.path() + "/aarch64-linux-gnu-as\n"));
  // Its own name (icecc-create-env finding the compiler behind a wrapper):
  // the real clang, never Debian's aarch64-linux-gnu-gcc that clang would
  // find on PATH.
  in.args = {"-print-prog-name=aarch64-linux-gnu-gcc"};
  EXPECT_EQ(rewrite(in).answer, std::optional<std::string>(std::string(kClang) + "\n"));
}

// -fno-integrated-as: clang must run the target's assembler, the -as name
// beside the compiler, not the build machine's as.
TEST(RewriteRule, ExternalAssemblerIsTheTargetsAs) {
  test::TestDir dir;
  for (const char *name : {"x86_64-w64-mingw32-gcc", "x86_64-w64-mingw32-as"})
    dir.makeExecutable(name);
  const Target &t = target("x86_64-pc-windows-gnu");
  RewriteInput in = input(t.rust, "cc", debianMingw(t), {"-fno-integrated-as", "-c", "a.c"});
  in.tool = &tool("gcc");
  in.invokedAs = dir.path() + "/x86_64-w64-mingw32-gcc";
  RewriteResult r = rewrite(in);
  EXPECT_TRUE(applied(r, "external-as"));
  EXPECT_THAT(addedPart(r.argv), Contains("-B" + dir.path() + "/x86_64-w64-mingw32-"));
  // The last of -fno-integrated-as and -fintegrated-as decides, as in clang.
  in.args = {"-fno-integrated-as", "-fintegrated-as", "-c", "a.c"};
  EXPECT_FALSE(applied(rewrite(in), "external-as"));
  in.args = {"-c", "a.c"};
  EXPECT_FALSE(applied(rewrite(in), "external-as"));
}

TEST(RewriteRule, GccDumpfullversion) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  RewriteResult r = rewrite(input(t.rust, "cc", debianCross(t), {"-dumpfullversion"}));
  EXPECT_FALSE(r.answer);
  EXPECT_THAT(userPart(r.argv), ElementsAre("-dumpversion"));
  EXPECT_TRUE(applied(r, "gcc-dumpfullversion"));
}

TEST(RewriteRule, DebianCrossLinkerScriptsOnlyForLinks) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  // Queries without inputs: -Wl, would make clang link (a.out).
  for (Args args : {Args{"-v"}, Args{"-shared"}, Args{"-print-search-dirs"}})
    EXPECT_THAT(argvOf(input(t.rust, "cc", debianCross(t), args)),
                Not(Contains("-Wl,--sysroot=/")));
  // Another linker gets it too (gold refuses an empty --sysroot=).
  EXPECT_THAT(argvOf(input(t.rust, "cc", debianCross(t), {"-fuse-ld=gold", "x.o"})),
              Contains("-Wl,--sysroot=/"));
}

TEST(RewriteRule, MingwPrintFileNameInclude) {
  // clang's builtin header folder, the one it compiles with, not GCC's.
  const Target &t = target("x86_64-pc-windows-gnu");
  for (const char *q : {"-print-file-name=include", "-print-file-name=include-fixed"}) {
    RewriteResult r = rewrite(input(t.rust, "cc", debianMingw(t), {q}));
    EXPECT_FALSE(r.answer) << q;
    EXPECT_THAT(userPart(r.argv), ElementsAre(q));
  }
}

TEST(RewriteRule, PrintSearchDirs) {
  // The GCC runtime folder the links get (mingw-gcc-runtime) comes first in
  // the libraries: line, as in gcc's answer.
  const Target &t = target("x86_64-pc-windows-gnu");
  RewriteResult r = rewrite(input(t.rust, "cc", debianMingw(t), {"-print-search-dirs"}));
  ASSERT_TRUE(r.answer);
  EXPECT_THAT(*r.answer, HasSubstr("\nlibraries: =/usr/lib/gcc/x86_64-w64-mingw32/12-win32:"
                                   "/usr/x86_64-w64-mingw32/x86_64-w64-mingw32/lib:"
                                   "/usr/x86_64-w64-mingw32/lib\n"));
  EXPECT_THAT(*r.answer, StartsWith("install: /usr/lib/gcc/x86_64-w64-mingw32/12-win32/\n"));
  EXPECT_TRUE(applied(r, "gcc-query"));
  // A sysroot of the user's: clang answers.
  EXPECT_FALSE(
      rewrite(input(t.rust, "cc", debianMingw(t), {"--sysroot=/opt/mingw", "-print-search-dirs"}))
          .answer);
  // Debian's musl: its library folder (debian-musl-libraries).
  const Target &musl = target("x86_64-unknown-linux-musl");
  RewriteResult m = rewrite(input(musl.rust, "cc", debianMusl(musl), {"-print-search-dirs"}));
  ASSERT_TRUE(m.answer);
  EXPECT_THAT(*m.answer, HasSubstr("\nlibraries: =" + debianMusl(musl).libDir + "\n"));
  // Debian's cross packages: clang's answer has the sysroot's folders.
  const Target &linux = target("aarch64-unknown-linux-gnu");
  EXPECT_FALSE(rewrite(input(linux.rust, "cc", debianCross(linux), {"-print-search-dirs"})).answer);
}

TEST(RewriteRule, MingwStaticPie) {
  const Target &t = target("x86_64-pc-windows-gnu");
  RewriteResult r = rewrite(input(t.rust, "cc", debianMingw(t), {"-static-pie", "x.o"}));
  EXPECT_THAT(userPart(r.argv), ElementsAre("x.o"));
  EXPECT_TRUE(applied(r, "mingw-static-pie"));
}

TEST(RewriteRule, MingwVersionScript) {
  const Target &t = target("x86_64-pc-windows-gnu");
  RewriteResult r = rewrite(
      input(t.rust, "cc", debianMingw(t),
            {"-shared", "x.o", "-Wl,--version-script=x.map", "-Wl,-O1,--version-script,y.map,-s",
             "-Xlinker", "--version-script", "-Xlinker", "z.map", "-o", "x.dll"}));
  EXPECT_THAT(userPart(r.argv), ElementsAre("-shared", "x.o", "-Wl,-O1,-s", "-o", "x.dll"));
  EXPECT_TRUE(applied(r, "mingw-version-script"));
  // ELF targets keep it.
  const Target &linux = target("aarch64-unknown-linux-gnu");
  EXPECT_THAT(userPart(argvOf(input(linux.rust, "cc", debianCross(linux),
                                    {"x.o", "-Wl,--version-script=x.map"}))),
              ElementsAre("x.o", "-Wl,--version-script=x.map"));
}

TEST(RewriteRule, MingwSoname) {
  const Target &t = target("x86_64-pc-windows-gnu");
  RewriteResult r = rewrite(
      input(t.rust, "cc", debianMingw(t),
            {"-shared", "x.o", "-Wl,-soname,libx.so.1", "-Wl,-O1,--soname=libx.so.1,-s",
             "-Wl,-h,libx", "-Wl,-soname,libx.so.1,--version-script,x.map", "-o", "x.dll"}));
  EXPECT_THAT(userPart(r.argv), ElementsAre("-shared", "x.o", "-Wl,-O1,-s", "-o", "x.dll"));
  EXPECT_TRUE(applied(r, "mingw-soname"));
  EXPECT_TRUE(applied(r, "mingw-version-script"));
  const Target &linux = target("aarch64-unknown-linux-gnu");
  EXPECT_THAT(userPart(argvOf(
                  input(linux.rust, "cc", debianCross(linux), {"x.o", "-Wl,-soname,libx.so.1"}))),
              ElementsAre("x.o", "-Wl,-soname,libx.so.1"));
}

TEST(RewriteRule, MingwElfLinkerOptions) {
  const Target &t = target("x86_64-pc-windows-gnu");
  RewriteResult r = rewrite(input(t.rust, "cc", debianMingw(t),
                                  {"-shared", "x.o", "-Wl,-rpath,/opt/x", "-Wl,-rpath=/y",
                                   "-Wl,-O1,-Bsymbolic,--no-as-needed,--as-needed",
                                   "-Wl,--exclude-libs,ALL,-s", "-Wl,-E", "-o", "x.dll"}));
  EXPECT_THAT(userPart(r.argv),
              ElementsAre("-shared", "x.o", "-Wl,-O1,--as-needed", "-Wl,-s", "-o", "x.dll"));
  EXPECT_TRUE(applied(r, "mingw-elf-linker-options"));
  const Target &linux = target("aarch64-unknown-linux-gnu");
  EXPECT_THAT(userPart(argvOf(input(linux.rust, "cc", debianCross(linux),
                                    {"x.o", "-Wl,-rpath,/opt/x", "-Wl,-Bsymbolic"}))),
              ElementsAre("x.o", "-Wl,-rpath,/opt/x", "-Wl,-Bsymbolic"));
}

TEST(RewriteRule, MingwMdll) {
  const Target &t = target("x86_64-pc-windows-gnu");
  RewriteResult r = rewrite(input(t.rust, "cc", debianMingw(t), {"-mdll", "x.o", "-o", "x.dll"}));
  EXPECT_THAT(userPart(r.argv), ElementsAre("-shared", "x.o", "-o", "x.dll"));
  EXPECT_TRUE(applied(r, "mingw-mdll"));
}

TEST(RewriteRule, MingwRelocatable) {
  // GNU's x86_64-w64-mingw32-ld (binutils-mingw-w64) on PATH.
  const Target &t = target("x86_64-pc-windows-gnu");
  if (!llvm::sys::fs::can_execute("/usr/bin/x86_64-w64-mingw32-ld"))
    GTEST_SKIP() << "no x86_64-w64-mingw32-ld (apt-get install binutils-mingw-w64-x86-64)";
  RewriteInput in = input(t.rust, "cc", debianMingw(t), {"-r", "a.o", "b.o", "-o", "c.o"});
  in.pathVar = "/usr/bin";
  RewriteResult r = rewrite(in);
  Args added = addedPart(r.argv);
  EXPECT_THAT(added, Contains(::testing::HasSubstr("x86_64-w64-mingw32-ld")));
  EXPECT_THAT(added, Contains("-nostdlib"));
  EXPECT_THAT(added, Not(Contains(std::string("--ld-path=") + kLld)));
  EXPECT_TRUE(applied(r, "mingw-relocatable"));
  RewriteInput ld = input(t.rust, "ld", debianMingw(t), {"-r", "a.o", "-o", "c.o"});
  ld.pathVar = "/usr/bin";
  RewriteResult l = rewrite(ld);
  EXPECT_THAT(l.argv.front(), HasSubstr("x86_64-w64-mingw32-ld"));
}

TEST(RewriteRule, MingwLto) {
  const Target &t = target("x86_64-pc-windows-gnu");
  EXPECT_THAT(addedPart(argvOf(input(t.rust, "cc", debianMingw(t), {"-flto", "a.c"}))),
              Contains("-fuse-ld=lld"));
  const Target &linux = target("aarch64-unknown-linux-gnu");
  EXPECT_THAT(argvOf(input(linux.rust, "cc", debianCross(linux), {"-flto", "a.c"})),
              Not(Contains("-fuse-ld=lld")));
}

TEST(RewriteRule, ObjdumpGnuFormatNames) {
  const Target &t = target("x86_64-pc-windows-gnu");
  EXPECT_TRUE(
      rewrite(input(t.rust, "objdump", debianMingw(t), {"-f", "x.o"})).gnuObjectFormatNames);
  EXPECT_TRUE(applied(rewrite(input(t.rust, "objdump", debianMingw(t), {"--file-headers", "x.o"})),
                      "objdump-gnu-format-names"));
  EXPECT_FALSE(
      rewrite(input(t.rust, "objdump", debianMingw(t), {"-d", "x.o"})).gnuObjectFormatNames);
  const Target &linux = target("aarch64-unknown-linux-gnu");
  EXPECT_FALSE(rewrite(input(linux.rust, "objdump", debianCross(linux), {"-f", "x.o"}))
                   .gnuObjectFormatNames);
}

TEST(RewriteRule, OpenmpRuntime) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  // A sysroot with the target's libomp (libomp-dev): -L it.
  test::TestDir root;
  const std::string lib = root.makeDir("usr/lib/llvm-14/lib");
  root.writeFile("usr/lib/llvm-14/lib/libomp.so", "");
  RewriteResult r = rewrite(
      input(t.rust, "cc", rooted(Layout::Multiarch, root.path()), {"-fopenmp", "a.c", "-o", "a"}));
  EXPECT_THAT(addedPart(r.argv), Contains("-L" + lib));
  EXPECT_TRUE(applied(r, "openmp-runtime"));
  // None, another architecture (Debian's cross packages have only GCC's
  // libgomp): the linker refuses the build machine's libomp.so, and the
  // failure is explained after the link.
  EXPECT_FALSE(
      applied(rewrite(input(t.rust, "cc", debianCross(t), {"-fopenmp", "a.c"})), "openmp-runtime"));
  // None, the build machine's architecture (x86_64 musl): an error, since the
  // glibc-built libomp.so would link without a word.
  const Target &musl = target("x86_64-unknown-linux-musl");
  auto failed = rewriteCommand(input(musl.rust, "cc", debianMusl(musl), {"-fopenmp", "a.c"}));
  ASSERT_FALSE(failed);
  EXPECT_THAT(llvm::toString(failed.takeError()), HasSubstr("libomp"));
  // Compiling needs no runtime.
  auto compile = rewriteCommand(input(t.rust, "cc", debianCross(t), {"-fopenmp", "-c", "a.c"}));
  EXPECT_TRUE(bool(compile));
  if (!compile)
    llvm::consumeError(compile.takeError());
}

TEST(RewriteRule, GnuCxx17) {
  // C++ without -std= is compiled as GCC 11 and later compile it.
  const Target &t = target("aarch64-unknown-linux-gnu");
  RewriteResult r = rewrite(input(t.rust, "c++", debianCross(t), {"-c", "a.cpp"}));
  EXPECT_THAT(addedPart(r.argv), Contains("-std=gnu++17"));
  EXPECT_TRUE(applied(r, "gnu-cxx17"));
  // Through the C driver, by name or by -x; the C++ driver's .c is C++.
  EXPECT_THAT(argvOf(input(t.rust, "cc", debianCross(t), {"-c", "a.cc", "b.cxx"})),
              Contains("-std=gnu++17"));
  EXPECT_THAT(argvOf(input(t.rust, "cc", debianCross(t), {"-x", "c++", "-E", "-"})),
              Contains("-std=gnu++17"));
  EXPECT_THAT(argvOf(input(t.rust, "c++", debianCross(t), {"-c", "a.c"})),
              Contains("-std=gnu++17"));
  const Target &w = target("x86_64-pc-windows-gnu");
  EXPECT_THAT(argvOf(input(w.rust, "c++", debianMingw(w), {"a.cpp", "b.o", "-o", "a.exe"})),
              Contains("-std=gnu++17"));
  // Not when the arguments choose, for C, mixed or assembly inputs, or a link only.
  for (Args args : {Args{"-std=c++11", "-c", "a.cpp"}, Args{"-c", "a.cpp", "--std=gnu++20"},
                    Args{"-ansi", "-c", "a.cpp"}, Args{"-c", "a.c"}, Args{"-c", "a.cpp", "b.c"},
                    Args{"-c", "a.S"}, Args{"-x", "c++", "a.c", "-x", "none", "b.c"},
                    Args{"a.o", "-o", "a"}, Args{"-dumpversion"}})
    EXPECT_THAT(argvOf(input(t.rust, "cc", debianCross(t), args)), Not(Contains("-std=gnu++17")))
        << args.front();
  EXPECT_THAT(argvOf(input(t.rust, "c++", debianCross(t), {"a.o", "-o", "a"})),
              Not(Contains("-std=gnu++17")));
  RewriteInput fromConfig = input(t.rust, "c++", debianCross(t), {"-c", "a.cpp"});
  fromConfig.settings.cxxflags = {"-std=c++14"};
  EXPECT_THAT(argvOf(fromConfig), Not(Contains("-std=gnu++17")));
}

TEST(RewriteRule, DebianCrossMultiarch) {
  const Target &t = target("aarch64-unknown-linux-gnu");
  Sysroot s = debianCross(t);
  s.multiarchLibDirs = {"/usr/lib/aarch64-linux-gnu"};
  RewriteResult r = rewrite(input(t.rust, "cc", s, {"x.o", "-o", "x"}));
  EXPECT_THAT(addedPart(r.argv), Contains("-Wl,-L/usr/lib/aarch64-linux-gnu"));
  EXPECT_TRUE(applied(r, "debian-cross-multiarch"));
  // Not for compiles or queries (-Wl, would make clang link).
  EXPECT_THAT(argvOf(input(t.rust, "cc", s, {"-c", "x.c"})),
              Not(Contains("-Wl,-L/usr/lib/aarch64-linux-gnu")));
  EXPECT_THAT(argvOf(input(t.rust, "cc", s, {"-v"})),
              Not(Contains("-Wl,-L/usr/lib/aarch64-linux-gnu")));
}

// That every rule fires in some test is observed, not listed: see
// rule_coverage_test.cpp.
TEST(RewriteRules, NamesAreUniqueWithAReason) {
  std::set<std::string> names;
  for (const RuleInfo &r : allRules()) {
    EXPECT_TRUE(names.insert(r.name.str()).second) << "duplicate rule " << r.name.str();
    EXPECT_FALSE(r.reason.empty()) << r.name.str();
    EXPECT_EQ(&rule(r.name), &r);
  }
}

TEST(RewriteRules, EveryChangeNamesARuleFromTheTable) {
  const Target &t = target("x86_64-unknown-linux-musl");
  RewriteInput in =
      input(t.rust, "c++", debianMusl(t), {"-m64", "--target=x86_64-linux-musl", "x.o"});
  in.compilerRtBuiltins = true;
  in.settings.cflags = {"-O2"};
  RewriteResult r = rewrite(in);
  EXPECT_FALSE(r.rewrites.empty());
  for (const Rewrite &w : r.rewrites) {
    ASSERT_NE(w.rule, nullptr);
    EXPECT_TRUE(llvm::any_of(allRules(), [&](const RuleInfo &info) { return &info == w.rule; }));
    EXPECT_FALSE(w.change.empty());
  }
}

TEST(CompilerRt, BuiltinsArchiveNames) {
  EXPECT_EQ(compilerRtBuiltinsName(target("x86_64-unknown-linux-musl")),
            "libclang_rt.builtins-x86_64.a");
  EXPECT_EQ(compilerRtBuiltinsName(target("aarch64-unknown-linux-musl")),
            "libclang_rt.builtins-aarch64.a");
  EXPECT_EQ(compilerRtBuiltinsName(target("i686-unknown-linux-musl")),
            "libclang_rt.builtins-i386.a");
  EXPECT_EQ(compilerRtBuiltinsName(target("armv7-unknown-linux-musleabihf")),
            "libclang_rt.builtins-armhf.a");
  EXPECT_EQ(compilerRtBuiltinsName(target("arm-unknown-linux-gnueabi")),
            "libclang_rt.builtins-arm.a");
}

} // namespace
} // namespace crosshim
