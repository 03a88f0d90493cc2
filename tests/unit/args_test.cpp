// Response files (GNU tokenizer, quoting, expansion), mode classification and
// shell quoting for logs.
#include "args.h"

#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <random>

namespace crosshim {
namespace {

using test::TestDir;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

using Args = std::vector<std::string>;

// Arguments that are hard to carry through a response file.
const Args kTricky = {
    "plain",
    "with space",
    "  leading and trailing  ",
    "double\"quote",
    "\"fully quoted\"",
    "single'quote",
    "'single quoted'",
    "back\\slash",
    "trailing backslash\\",
    "\\\\double backslash",
    "\\\"escaped quote\\\"",
    "new\nline",
    "\n",
    "tab\there",
    "carriage\rreturn",
    "dollar $HOME ${PATH} $(id) `id`",
    "non-UTF-8 \xff\xfe \x80",
    "@not-a-file",
    "-Wl,-rpath,$ORIGIN/../lib",
    "-DNAME=\"a b\"",
    "C:\\Program Files\\x",
    "#hash",
    "*?[glob]",
};

std::string quoteAll(const Args &args, llvm::StringRef separator) {
  std::string text;
  for (const std::string &a : args)
    text += quoteForResponseFile(a) + separator.str();
  return text;
}

TEST(ResponseFile, QuotingRoundTripsEachTrickyArgument) {
  for (const std::string &arg : kTricky) {
    SCOPED_TRACE(arg);
    EXPECT_THAT(tokenizeGnu(quoteForResponseFile(arg)), ElementsAre(arg));
  }
}

TEST(ResponseFile, QuotingRoundTripsWholeArgumentLists) {
  EXPECT_EQ(tokenizeGnu(quoteAll(kTricky, "\n")), kTricky);
  EXPECT_EQ(tokenizeGnu(quoteAll(kTricky, " ")), kTricky);
  EXPECT_EQ(tokenizeGnu(quoteAll(kTricky, "\t\r\n")), kTricky);
}

// LLVM's GNU reader (what clang uses for @files) drops `""`: an empty
// argument cannot travel in a response file. shim.cpp therefore refuses to
// move a command with an empty argument into one, rather than lose it.
TEST(ResponseFile, EmptyArgumentsDoNotSurviveLlvmsReader) {
  EXPECT_THAT(tokenizeGnu(quoteForResponseFile("")), ElementsAre());
  EXPECT_EQ(tokenizeGnu(quoteAll({"a", "", "b"}, "\n")), (Args{"a", "b"}));
}

std::string randomArgument(std::mt19937 &rng) {
  static const std::string alphabet = std::string("abcXYZ019-_=./,:@%+") + " \t\n\r" + "\"'\\" +
                                      "$`!#*?[]{}()<>|&;~" + "\xff\xfe\x80\xc3\xa9";
  std::uniform_int_distribution<size_t> length(1, 12), pick(0, alphabet.size() - 1);
  std::string arg(length(rng), ' ');
  for (char &c : arg)
    c = alphabet[pick(rng)];
  return arg;
}

TEST(ResponseFile, QuotingRoundTripsRandomArgumentLists) {
  std::mt19937 rng(20240521);
  std::uniform_int_distribution<size_t> count(0, 8);
  for (int iteration = 0; iteration < 400; ++iteration) {
    Args args(count(rng));
    for (std::string &a : args)
      a = randomArgument(rng);
    SCOPED_TRACE("iteration " + std::to_string(iteration) + ": " + shellJoin(args));
    ASSERT_EQ(tokenizeGnu(quoteAll(args, iteration % 2 ? "\n" : " ")), args);
  }
}

TEST(ResponseFile, TokenizerFollowsGnuRules) {
  // What rustc writes for @linker-arguments: one argument per line, with `\ `
  // and `\\` escapes.
  EXPECT_THAT(tokenizeGnu("a\\ b\nc\\\\d\n"), ElementsAre("a b", "c\\d"));
  EXPECT_THAT(tokenizeGnu("  -c   'x y.c'\t-o\n\"out put.o\"  "),
              ElementsAre("-c", "x y.c", "-o", "out put.o"));
  EXPECT_THAT(tokenizeGnu("-DX='\"q\"'"), ElementsAre("-DX=\"q\""));
  EXPECT_THAT(tokenizeGnu(""), IsEmpty());
  EXPECT_THAT(tokenizeGnu(" \n\t "), IsEmpty());
}

TEST(ResponseFile, ExpandsAFileInPlace) {
  TestDir dir;
  std::string rsp = dir.writeFile("args.rsp", "-c \"x y.c\"\n-o out.o\n");
  EXPECT_THAT(expandResponseFiles({"-O2", "@" + rsp, "-g"}),
              ElementsAre("-O2", "-c", "x y.c", "-o", "out.o", "-g"));
}

TEST(ResponseFile, RustcStyleEscaping) {
  TestDir dir;
  std::string rsp = dir.writeFile("linker-arguments", "a\\ b\nc\\\\d\n-o\nout\\ dir/prog\n");
  EXPECT_THAT(expandResponseFiles({"@" + rsp}), ElementsAre("a b", "c\\d", "-o", "out dir/prog"));
}

TEST(ResponseFile, QuotedTrickyArgumentsSurviveARealFile) {
  TestDir dir;
  std::string rsp = dir.writeFile("tricky.rsp", quoteAll(kTricky, "\n"));
  Args expected = {"first"};
  expected.insert(expected.end(), kTricky.begin(), kTricky.end());
  expected.push_back("last");
  EXPECT_EQ(expandResponseFiles({"first", "@" + rsp, "last"}), expected);
}

TEST(ResponseFile, NestedFiles) {
  TestDir dir;
  std::string inner = dir.writeFile("inner.rsp", "-DB \"-DSPACE=a b\"\n");
  std::string outer = dir.writeFile("outer.rsp", "-DA @" + inner + " -DC\n");
  EXPECT_THAT(expandResponseFiles({"@" + outer, "x.c"}),
              ElementsAre("-DA", "-DB", "-DSPACE=a b", "-DC", "x.c"));
}

TEST(ResponseFile, MissingFileStaysAsWritten) {
  TestDir dir;
  Args args = {"-c", "@" + dir / "missing.rsp", "@", "x.c"};
  EXPECT_EQ(expandResponseFiles(args), args);
}

TEST(ResponseFile, ArgumentsWithoutAtSignAreUntouched) {
  Args args = {"-Wl,@foo", "x@y", "-o", "a b"};
  EXPECT_EQ(expandResponseFiles(args), args);
  EXPECT_THAT(expandResponseFiles({}), IsEmpty());
}

TEST(ResponseFile, EmptyFileExpandsToNothing) {
  TestDir dir;
  std::string rsp = dir.writeFile("empty.rsp", "");
  EXPECT_THAT(expandResponseFiles({"a", "@" + rsp, "b"}), ElementsAre("a", "b"));
}

// Runs expandResponseFiles on another thread; a test that would hang fails
// and ends the process instead of blocking the whole run.
Args expandWithTimeout(const Args &args) {
  auto result = std::async(std::launch::async, [args] { return expandResponseFiles(args); });
  if (result.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    ADD_FAILURE() << "expandResponseFiles did not return within 20 s";
    std::fflush(nullptr);
    std::_Exit(1);
  }
  return result.get();
}

TEST(ResponseFile, SelfIncludingFileTerminates) {
  TestDir dir;
  std::string rsp = dir / "self.rsp";
  dir.writeFile("self.rsp", "-DA @" + rsp + "\n");
  Args out = expandWithTimeout({"@" + rsp, "x.c"});
  EXPECT_THAT(out, Contains("-DA"));
  EXPECT_THAT(out, Contains("x.c"));
  EXPECT_LT(out.size(), 100u);
}

TEST(ResponseFile, MutuallyIncludingFilesTerminate) {
  TestDir dir;
  std::string a = dir / "a.rsp", b = dir / "b.rsp";
  dir.writeFile("a.rsp", "-DA @" + b + "\n");
  dir.writeFile("b.rsp", "-DB @" + a + "\n");
  Args out = expandWithTimeout({"@" + a});
  EXPECT_THAT(out, Contains("-DA"));
  EXPECT_THAT(out, Contains("-DB"));
  EXPECT_LT(out.size(), 100u);
}

struct ModeCase {
  Args args;
  Mode mode;
};

TEST(Mode, Classification) {
  const ModeCase cases[] = {
      {{"-c", "x.c"}, Mode::Compile},
      {{"-S", "x.c"}, Mode::Compile},
      {{"-E", "x.c"}, Mode::Compile},
      {{"-M", "x.c"}, Mode::Compile},
      {{"-MM", "x.c"}, Mode::Compile},
      {{"-fsyntax-only", "x.c"}, Mode::Compile},
      {{"-o", "out.o", "-c", "x.c"}, Mode::Compile},
      {{"-MD", "-MF", "x.d", "-c", "x.c"}, Mode::Compile},
      {{"-E", "-"}, Mode::Compile},
      {{}, Mode::Info},
      {{"--version"}, Mode::Info},
      {{"-dumpmachine"}, Mode::Info},
      {{"-v"}, Mode::Info},
      {{"-print-file-name=libc.so"}, Mode::Info},
      {{"-print-prog-name=ld"}, Mode::Info},
      {{"-o", "out", "-I", "include", "-D", "X", "--target", "aarch64-linux-gnu"}, Mode::Info},
      {{"x.o", "-o", "x"}, Mode::Link},
      {{"-lfoo"}, Mode::Link},
      {{"-l", "foo"}, Mode::Link},
      {{"-Wl,--version"}, Mode::Link},
      {{"x.c"}, Mode::Link},
      {{"-x", "c", "-"}, Mode::Link},
      {{"-shared", "-o", "libx.so", "a.o", "b.o"}, Mode::Link},
  };
  for (const ModeCase &c : cases) {
    SCOPED_TRACE(shellJoin(c.args));
    EXPECT_EQ(classifyMode(c.args), c.mode) << "got " << modeName(classifyMode(c.args)).str();
  }
}

TEST(Mode, Names) {
  EXPECT_EQ(modeName(Mode::Compile), "compile");
  EXPECT_EQ(modeName(Mode::Link), "link");
  EXPECT_EQ(modeName(Mode::Info), "info");
}

TEST(CommandLine, Bytes) {
  EXPECT_EQ(commandLineBytes({}), 0u);
  EXPECT_EQ(commandLineBytes({"ab", "c", ""}), 6u);
}

// What /bin/sh makes of `printf %s <word>`: the bytes of the word.
std::string shellOutput(const std::string &command) {
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe) {
    ADD_FAILURE() << "popen failed";
    return {};
  }
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
    out.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

TEST(ShellQuote, PlainWordsStayAsTheyAre) {
  EXPECT_EQ(shellQuote("-Wl,--sysroot=/usr/aarch64-linux-gnu"),
            "-Wl,--sysroot=/usr/aarch64-linux-gnu");
  EXPECT_EQ(shellQuote("@args.rsp"), "@args.rsp");
  EXPECT_EQ(shellQuote(""), "''");
  EXPECT_EQ(shellQuote("it's"), "'it'\\''s'");
}

TEST(ShellQuote, RoundTripsThroughSh) {
  Args values = kTricky;
  values.push_back("");
  values.push_back("it's");
  values.push_back("'");
  values.push_back("''");
  values.push_back("~");
  values.push_back("~/x");
  values.push_back("a=b");
  values.push_back("-n");
  for (const std::string &v : values) {
    SCOPED_TRACE(v);
    EXPECT_EQ(shellOutput("printf %s " + shellQuote(v)), v);
  }
}

TEST(ShellQuote, JoinRoundTripsRandomArgumentListsThroughSh) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> count(1, 6);
  for (int iteration = 0; iteration < 40; ++iteration) {
    Args args(count(rng));
    for (std::string &a : args)
      a = randomArgument(rng);
    SCOPED_TRACE(shellJoin(args));
    std::string out = shellOutput("printf '%s\\0' " + shellJoin(args));
    Args back;
    for (size_t start = 0, end; (end = out.find('\0', start)) != std::string::npos; start = end + 1)
      back.push_back(out.substr(start, end - start));
    ASSERT_EQ(back, args);
  }
}

} // namespace
} // namespace crosshim
