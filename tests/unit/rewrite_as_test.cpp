// <prefix>-as (rewrite_as.cpp): GNU as's command lines, as GCC, kernel-style
// Makefiles and configure scripts pass them, become clang's integrated
// assembler's; the GNU names that map to another LLVM tool (c++filt, gcc-ar).
#include "shims/rewrite_as.h"

#include "rewrite_support.h"
#include "test_support.h"

#include <llvm/ADT/STLExtras.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace crosshim {
namespace {

using test::errorOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using Args = std::vector<std::string>;

const char *const kClang = "/usr/lib/llvm-14/bin/clang";

RewriteInput asInput(llvm::StringRef triple, Args args, llvm::StringRef toolName = "as") {
  RewriteInput in;
  in.target = findTarget(triple);
  in.tool = findTool(toolName);
  EXPECT_NE(in.target, nullptr) << triple.str();
  EXPECT_NE(in.tool, nullptr) << toolName.str();
  in.program = in.tool->llvmName == "clang" ? std::string(kClang)
                                            : "/usr/lib/llvm-14/bin/" + in.tool->llvmName.str();
  in.crossTarget = true;
  in.args = std::move(args);
  return in;
}

RewriteResult rewrite(const RewriteInput &in) {
  return test::rewriteOrFail(in);
}

// clang's part: what comes between the no-unused markers (flags), and after
// them (-c -x assembler -o OUT INPUT).
Args flagsOf(const RewriteResult &r) {
  auto start = llvm::find(r.argv, "--start-no-unused-arguments");
  auto end = llvm::find(r.argv, "--end-no-unused-arguments");
  if (start == r.argv.end() || end == r.argv.end())
    return {"(no markers)"};
  return Args(start + 1, end);
}

Args tailOf(const RewriteResult &r) {
  auto end = llvm::find(r.argv, "--end-no-unused-arguments");
  return end == r.argv.end() ? Args{"(no markers)"} : Args(end + 1, r.argv.end());
}

bool applied(const RewriteResult &r, llvm::StringRef ruleName) {
  return llvm::any_of(r.rewrites, [&](const Rewrite &w) { return w.rule->name == ruleName; });
}

// The line GCC 12 runs for aarch64-linux-gnu-gcc -v -c f.c: -EL and
// -mabi=lp64 are what the target is anyway.
TEST(RewriteAs, GccAarch64Line) {
  RewriteResult r =
      rewrite(asInput("aarch64-unknown-linux-gnu", {"-v", "-EL", "-mabi=lp64", "-o", "f.o", "f.s"}));
  EXPECT_EQ(r.mode, Mode::Compile);
  ASSERT_FALSE(r.argv.empty());
  EXPECT_EQ(r.argv[0], kClang);
  EXPECT_THAT(flagsOf(r), ElementsAre("--target=aarch64-unknown-linux-gnu", "-v"));
  EXPECT_THAT(tailOf(r), ElementsAre("-c", "-x", "assembler", "-o", "f.o", "f.s"));
  EXPECT_TRUE(applied(r, "gnu-as"));
  EXPECT_TRUE(applied(r, "target-from-name"));
  EXPECT_FALSE(r.stdinText);
}

// GCC 12's arm-linux-gnueabihf line: the target's CPU defaults first, the
// caller's machine options after them (clang takes the last), -meabi=5 dropped.
TEST(RewriteAs, GccArmhfLine) {
  RewriteResult r = rewrite(asInput("armv7-unknown-linux-gnueabihf",
                                    {"-march=armv7-a+fp", "-mfloat-abi=hard", "-meabi=5", "-mthumb",
                                     "-mfpu=neon", "-mimplicit-it=always", "-o", "f.o", "f.s"}));
  EXPECT_THAT(flagsOf(r),
              ElementsAre("--target=armv7-unknown-linux-gnueabihf", "-march=armv7-a",
                          "-mfpu=vfpv3-d16", "-mfloat-abi=hard", "-march=armv7-a+fp",
                          "-mfloat-abi=hard", "-mthumb", "-mfpu=neon",
                          "-Wa,-mimplicit-it=always"));
  EXPECT_TRUE(applied(r, "cpu-defaults"));
  auto err = errorOf(rewriteCommand(asInput("armv7-unknown-linux-gnueabihf", {"-meabi=4", "f.s"})));
  EXPECT_THAT(err.message, HasSubstr("-meabi=4"));
}

// GNU as writes a.out when no -o is given, and reads the standard input
// without files (or for - and --).
TEST(RewriteAs, DefaultOutputAndStandardInput) {
  EXPECT_THAT(tailOf(rewrite(asInput("aarch64-unknown-linux-gnu", {}))),
              ElementsAre("-c", "-x", "assembler", "-o", "a.out", "-"));
  EXPECT_THAT(tailOf(rewrite(asInput("aarch64-unknown-linux-gnu", {"--", "-ox.o"}))),
              ElementsAre("-c", "-x", "assembler", "-o", "x.o", "-"));
  EXPECT_THAT(tailOf(rewrite(asInput("x86_64-pc-windows-gnu", {"-", "-o", "y.o"}))),
              ElementsAre("-c", "-x", "assembler", "-o", "y.o", "-"));
}

TEST(RewriteAs, CommonOptions) {
  RewriteResult r = rewrite(asInput(
      "aarch64-unknown-linux-gnu",
      {"-I", "inc", "-Iinc2", "--defsym", "VAL=5", "--defsym=HEX=0x10", "--defsym", "NEG=-3", "-g",
       "--gdwarf-4", "-gdwarf-5", "--gdwarf2", "--gen-debug", "--noexecstack", "--fatal-warnings",
       "-W", "--no-warn", "--warn", "-Qy", "--compress-debug-sections=zlib", "a.s"}));
  EXPECT_THAT(flagsOf(r),
              ElementsAre("--target=aarch64-unknown-linux-gnu", "-Iinc", "-Iinc2",
                          "-Wa,-defsym,VAL=5", "-Wa,-defsym,HEX=0x10", "-Wa,-defsym,NEG=-3", "-g",
                          "-gdwarf-4", "-gdwarf-5", "-gdwarf-2", "-g", "-Wa,--noexecstack",
                          "-Wa,--fatal-warnings", "-Wa,--no-warn", "-Wa,--no-warn",
                          "-Wa,--compress-debug-sections=zlib"));
  EXPECT_THAT(tailOf(r), ElementsAre("-c", "-x", "assembler", "-o", "a.out", "a.s"));
}

// An option crosshim cannot honour is an error that names it, with GNU as's
// exit status 1; never dropped in silence.
TEST(RewriteAs, RefusedOptions) {
  struct Case {
    Args args;
    const char *says;
  } cases[] = {
      {{"--frobnicate", "a.s"}, "--frobnicate: unknown option"},
      {{"-al", "a.s"}, "listings are not supported"},
      {{"-ahls=x.lst", "a.s"}, "listings are not supported"},
      {{"--defsym", "X=y", "a.s"}, "SYMBOL=INTEGER"},
      {{"--defsym", "X", "a.s"}, "SYMBOL=INTEGER"},
      {{"--defsym"}, "needs a value"},
      {{"-o"}, "needs a value"},
      {{"--gstabs", "a.s"}, "STABS"},
      {{"--gdwarf-sections", "a.s"}, "--gdwarf-sections"},
      {{"--execstack", "a.s"}, "executable"},
      {{"-EB", "a.s"}, "little-endian"},
      {{"-mabi=ilp32", "a.s"}, "LP64"},
      {{"--32", "a.s"}, "--32: unknown option"}, // not an x86 target
      {{"-", "b.s", "a.s"}, "standard input"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.says);
    RewriteInput in = asInput("aarch64-unknown-linux-gnu", c.args);
    in.invokedAs = "/farm/aarch64-linux-gnu-as";
    auto err = errorOf(rewriteCommand(in));
    EXPECT_EQ(err.code, ExitCode::Failure);
    EXPECT_THAT(err.message, StartsWith("aarch64-linux-gnu-as: "));
    EXPECT_THAT(err.message, HasSubstr(c.says));
  }
}

// --32/--64 name the width the target has: the same is dropped, the other
// is an error (GNU's i686 as would write x86-64 code instead).
TEST(RewriteAs, X86Width) {
  EXPECT_THAT(flagsOf(rewrite(asInput("i686-unknown-linux-gnu", {"--32", "a.s"}))),
              ElementsAre("--target=i686-unknown-linux-gnu", "-march=pentium4"));
  EXPECT_THAT(flagsOf(rewrite(asInput("x86_64-pc-windows-gnu", {"--64", "-march=x86-64", "a.s"}))),
              ElementsAre("--target=x86_64-w64-windows-gnu", "-march=x86-64"));
  auto err = errorOf(rewriteCommand(asInput("i686-unknown-linux-gnu", {"--64", "a.s"})));
  EXPECT_THAT(err.message, HasSubstr("contradicts the target i686-unknown-linux-gnu"));
  err = errorOf(rewriteCommand(asInput("x86_64-unknown-linux-gnu", {"--x32", "a.s"})));
  EXPECT_THAT(err.message, HasSubstr("x32"));
}

// The machine options GCC passes to as for RISC-V, PowerPC and s390x.
TEST(RewriteAs, OtherMachines) {
  EXPECT_THAT(flagsOf(rewrite(asInput("riscv64gc-unknown-linux-gnu",
                                      {"-fpic", "-march=rv64imafdc", "-mabi=lp64d",
                                       "-misa-spec=20191213", "-mno-relax", "a.s"}))),
              ElementsAre("--target=riscv64-unknown-linux-gnu", "-march=rv64gc", "-mabi=lp64d",
                          "-fPIC", "-march=rv64imafdc", "-mabi=lp64d", "-mno-relax"));
  EXPECT_THAT(flagsOf(rewrite(asInput("powerpc64le-unknown-linux-gnu",
                                      {"-a64", "-mpower8", "-many", "-mlittle", "a.s"}))),
              ElementsAre("--target=powerpc64le-unknown-linux-gnu", "-mcpu=pwr8"));
  EXPECT_THAT(flagsOf(rewrite(asInput("s390x-unknown-linux-gnu",
                                      {"-m64", "-mzarch", "-march=z13", "a.s"}))),
              ElementsAre("--target=s390x-unknown-linux-gnu", "-march=z13"));
  auto err = errorOf(rewriteCommand(asInput("s390x-unknown-linux-gnu", {"-EL", "a.s"})));
  EXPECT_THAT(err.message, HasSubstr("big-endian"));
  err = errorOf(rewriteCommand(asInput("powerpc64le-unknown-linux-gnu", {"-a32", "a.s"})));
  EXPECT_THAT(err.message, HasSubstr("contradicts"));
}

// Several files are one source to GNU as: clang reads .include lines naming
// them (quoted for the assembler) from its standard input.
TEST(RewriteAs, SeveralInputs) {
  RewriteResult r = rewrite(
      asInput("x86_64-unknown-linux-gnu", {"m1.s", "-o", "m.o", "dir/we\"ird\\name.s"}));
  EXPECT_THAT(tailOf(r), ElementsAre("-c", "-x", "assembler", "-o", "m.o", "-"));
  ASSERT_TRUE(r.stdinText);
  EXPECT_EQ(*r.stdinText, ".include \"m1.s\"\n.include \"dir/we\\\"ird\\\\name.s\"\n");
  EXPECT_TRUE(applied(r, "gnu-as-several-inputs"));
}

// --version: the first line configure scripts read ("GNU assembler ... 2.40"),
// then what runs; --help lists the options. Nothing is run for either.
TEST(RewriteAs, VersionAndHelp) {
  RewriteResult r = rewrite(asInput("aarch64-unknown-linux-gnu", {"--version"}));
  EXPECT_EQ(r.mode, Mode::Info);
  ASSERT_TRUE(r.answer);
  llvm::StringRef first = llvm::StringRef(*r.answer).split('\n').first;
  EXPECT_THAT(first.str(), StartsWith("GNU assembler ("));
  EXPECT_EQ(first.rsplit(' ').second, kGnuAsVersion);
  EXPECT_THAT(*r.answer, HasSubstr(kClang));
  EXPECT_TRUE(applied(r, "gnu-as-version"));
  // Answered also after other options, as GNU as does.
  r = rewrite(asInput("x86_64-pc-windows-gnu", {"-o", "x.o", "--help"}));
  ASSERT_TRUE(r.answer);
  EXPECT_THAT(*r.answer, HasSubstr("--defsym"));
}

// c++filt for i686 Windows strips the underscore C symbols carry there, as
// GNU's i686-w64-mingw32-c++filt does; nowhere else. gcc-ar is llvm-ar as is.
TEST(RewriteAs, GnuNamesOfOtherLlvmTools) {
  RewriteResult r = rewrite(asInput("i686-pc-windows-gnu", {"__Z3foov"}, "c++filt"));
  EXPECT_THAT(r.argv,
              ElementsAre("/usr/lib/llvm-14/bin/llvm-cxxfilt", "--strip-underscore", "__Z3foov"));
  EXPECT_TRUE(applied(r, "cxxfilt-strip-underscore"));
  EXPECT_THAT(rewrite(asInput("x86_64-pc-windows-gnu", {"_Z3foov"}, "c++filt")).argv,
              ElementsAre("/usr/lib/llvm-14/bin/llvm-cxxfilt", "_Z3foov"));
  EXPECT_THAT(rewrite(asInput("aarch64-unknown-linux-gnu", {"rcs", "l.a", "x.o"}, "gcc-ar")).argv,
              ElementsAre("/usr/lib/llvm-14/bin/llvm-ar", "rcs", "l.a", "x.o"));
  EXPECT_THAT(rewrite(asInput("aarch64-unknown-linux-gnu", {"-e", "x.dwo"}, "dwp")).argv,
              ElementsAre("/usr/lib/llvm-14/bin/llvm-dwp", "-e", "x.dwo"));
}

} // namespace
} // namespace crosshim
