// Response files (GNU tokenizer, quoting, expansion), mode classification and
// shell quoting for logs.
#include "shims/args.h"

#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/StringSaver.h>

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

// The shim uses the checked expansion: a cycle is a usage error naming the
// files, instead of the "@self.rsp" clang would then call a missing file.
TEST(ResponseFileChecked, SelfInclusionIsAUsageErrorNamingTheFile) {
  TestDir dir;
  std::string rsp = dir / "self.rsp";
  dir.writeFile("self.rsp", "-DA @" + rsp + "\n");
  test::ErrorDetails e = test::errorOf(expandResponseFilesChecked({"-c", "@" + rsp, "x.c"}));
  EXPECT_EQ(e.code, ExitCode::Usage);
  EXPECT_EQ(e.message, "response file cycle: @" + rsp + " -> @" + rsp +
                           " (the file includes itself); clang would report it as a missing file");
}

TEST(ResponseFileChecked, MutualInclusionNamesTheWholeChain) {
  TestDir dir;
  std::string a = dir / "a.rsp", b = dir / "b.rsp", c = dir / "c.rsp";
  dir.writeFile("top.rsp", "-DT @" + a + "\n");
  dir.writeFile("a.rsp", "-DA @" + b + "\n");
  dir.writeFile("b.rsp", "-DB @" + c + "\n");
  dir.writeFile("c.rsp", "-DC @" + a + "\n");
  test::ErrorDetails e = test::errorOf(expandResponseFilesChecked({"@" + dir / "top.rsp"}));
  EXPECT_EQ(e.code, ExitCode::Usage);
  // The cycle only, not the file that led into it.
  EXPECT_EQ(e.message, "response file cycle: @" + a + " -> @" + b + " -> @" + c + " -> @" + a +
                           " (the files include each other); clang would report it as a "
                           "missing file");
}

TEST(ResponseFileChecked, ACycleThroughASymlinkIsFound) {
  TestDir dir;
  std::string link = dir.makeSymlink("real.rsp", "alias.rsp");
  dir.writeFile("real.rsp", "-DR @" + link + "\n");
  test::ErrorDetails e = test::errorOf(expandResponseFilesChecked({"@" + dir / "real.rsp"}));
  EXPECT_EQ(e.code, ExitCode::Usage);
  EXPECT_THAT(e.message,
              ::testing::HasSubstr("response file cycle: @" + dir / "real.rsp" + " -> @" + link));
}

// The same file twice, side by side or in two branches, is not a cycle.
TEST(ResponseFileChecked, ARepeatedFileIsNotACycle) {
  TestDir dir;
  std::string leaf = dir.writeFile("leaf.rsp", "-DL\n");
  std::string mid = dir.writeFile("mid.rsp", "@" + leaf + " @" + leaf + "\n");
  ASSERT_OK_AND_ASSIGN(out, expandResponseFilesChecked({"@" + mid, "@" + leaf, "@" + mid}));
  EXPECT_EQ(*out, Args(5, "-DL"));
}

TEST(ResponseFileChecked, MissingFilesStayAsWritten) {
  TestDir dir;
  Args args = {"@" + dir / "missing.rsp", "@", "x@y"};
  ASSERT_OK_AND_ASSIGN(out, expandResponseFilesChecked(args));
  EXPECT_EQ(*out, args);
  // A directory is an error, as for gcc (safe_file_test.cpp has the rest).
  dir.makeDir("d");
  EXPECT_THAT(test::errorOf(expandResponseFilesChecked({"@" + dir / "d"})).message,
              ::testing::HasSubstr("it is a directory"));
}

// A chain `depth` files deep: level i adds -DLi; the last names x.c.
std::string writeChain(const TestDir &dir, size_t depth) {
  for (size_t i = depth; i >= 1; --i) {
    std::string next = i == depth ? "x.c" : "@" + dir / ("l" + std::to_string(i + 1) + ".rsp");
    dir.writeFile("l" + std::to_string(i) + ".rsp", "-DL" + std::to_string(i) + "\n" + next);
  }
  return "@" + dir / "l1.rsp";
}

TEST(ResponseFileChecked, DeepNestingUpToTheLimitWorks) {
  for (size_t depth : {size_t(100), kMaxResponseFileDepth}) {
    TestDir dir;
    ASSERT_OK_AND_ASSIGN(out, expandResponseFilesChecked({"-c", writeChain(dir, depth)}));
    ASSERT_EQ(out->size(), depth + 2);
    EXPECT_EQ(out->front(), "-c");
    EXPECT_EQ((*out)[depth], "-DL" + std::to_string(depth));
    EXPECT_EQ(out->back(), "x.c");
  }
}

TEST(ResponseFileChecked, NestingBeyondTheLimitIsAUsageError) {
  TestDir dir;
  std::string first = writeChain(dir, kMaxResponseFileDepth + 1);
  test::ErrorDetails e = test::errorOf(expandResponseFilesChecked({first}));
  EXPECT_EQ(e.code, ExitCode::Usage);
  EXPECT_THAT(e.message, ::testing::StartsWith("response files nested more than 256 deep (@" +
                                               dir / "l1.rsp" + " -> ... -> @" + dir / "l256.rsp" +
                                               " -> @" + dir / "l257.rsp"));
  // The lenient form stops there, leaving the 257th file as written.
  Args lenient = expandResponseFiles({first});
  EXPECT_EQ(lenient.back(), "@" + dir / "l257.rsp");
}

TEST(ResponseFileChecked, ByteOrderMarksAreSkipped) {
  TestDir dir;
  std::string utf8 = dir.writeFile("utf8.rsp", "\xef\xbb\xbf-DA \"b c\"");
  // "-DU" in UTF-16LE with its byte-order mark.
  std::string utf16 = dir.writeFile("utf16.rsp", llvm::StringRef("\xff\xfe-\0D\0U\0", 8));
  ASSERT_OK_AND_ASSIGN(out, expandResponseFilesChecked({"@" + utf8, "@" + utf16}));
  EXPECT_THAT(*out, ElementsAre("-DA", "b c", "-DU"));
}

// Property: random trees of nested response files (shared subtrees too),
// with hostile bytes in the arguments AND in the file names, expand to the
// argument list they were generated from. Empty arguments on the command
// line stay; a quoted "" inside a file is dropped (LLVM's reader, which clang
// uses, does the same).
class RspTreeGenerator {
public:
  RspTreeGenerator(const TestDir &dir, std::mt19937 &rng) : dir_(dir), rng_(rng) {}

  // Writes one file (and the files it includes); appends what it expands to.
  std::string writeFile(int depth, Args &expected) {
    std::string name = dir_ / ("f" + std::to_string(files_.size()) + randomNameTail());
    files_.push_back({name, {}});
    size_t self = files_.size() - 1;
    static const char *const kSeparators[] = {"\n", " ", "\t", "\r\n", "\n\n  "};
    std::string text;
    Args mine;
    std::uniform_int_distribution<int> items(0, 6), what(0, 9);
    for (int n = items(rng_); n > 0; --n) {
      int w = what(rng_);
      if (w < 2 && depth < 6) { // a new nested file
        Args sub;
        std::string path = writeFile(depth + 1, sub);
        text += quoteForResponseFile("@" + path);
        mine.insert(mine.end(), sub.begin(), sub.end());
      } else if (w == 2 && self > 0) { // a file written before (not an ancestor)
        std::uniform_int_distribution<size_t> pick(0, self - 1);
        const File &f = files_[pick(rng_)];
        if (f.done) {
          text += quoteForResponseFile("@" + f.path);
          mine.insert(mine.end(), f.expansion.begin(), f.expansion.end());
        }
      } else if (w == 3) {
        text += "\"\""; // an empty argument in a file: dropped
      } else {
        std::string arg = randomArgument(rng_);
        if (arg[0] == '@')
          arg.insert(0, "x"); // an argument that would name a file is not the point here
        text += quoteForResponseFile(arg);
        mine.push_back(arg);
      }
      text += kSeparators[what(rng_) % std::size(kSeparators)];
    }
    writeRaw(name, text);
    files_[self].expansion = mine;
    files_[self].done = true;
    expected.insert(expected.end(), mine.begin(), mine.end());
    ++written_;
    return name;
  }

  size_t written() const { return written_; }

private:
  struct File {
    std::string path;
    Args expansion;
    bool done = false;
  };

  // File names with spaces, quotes, backslashes and non-UTF-8 bytes.
  std::string randomNameTail() {
    static const std::string kNameBytes = std::string("ab -'\"\\$") + "\xff\xc3\xa9";
    std::uniform_int_distribution<size_t> length(0, 4), pick(0, kNameBytes.size() - 1);
    std::string tail = ".";
    for (size_t n = length(rng_); n > 0; --n)
      tail += kNameBytes[pick(rng_)];
    return tail;
  }

  static void writeRaw(const std::string &path, const std::string &text) {
    FILE *f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr) << path;
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }

  const TestDir &dir_;
  std::mt19937 &rng_;
  std::vector<File> files_;
  size_t written_ = 0;
};

// LLVM 14's own expansion (clang's driver calls it the same way).
Args llvmExpansion(const Args &args) {
  llvm::BumpPtrAllocator alloc;
  llvm::StringSaver saver(alloc);
  llvm::SmallVector<const char *, 64> argv;
  for (const std::string &a : args)
    argv.push_back(a.c_str());
  llvm::cl::ExpandResponseFiles(saver, llvm::cl::TokenizeGNUCommandLine, argv);
  return Args(argv.begin(), argv.end());
}

TEST(ResponseFileChecked, RandomNestedTreesExpandToTheirArguments) {
  std::mt19937 rng(20261121);
  size_t files = 0;
  for (int iteration = 0; iteration < 300; ++iteration) {
    TestDir dir;
    RspTreeGenerator gen(dir, rng);
    Args argv, expected;
    std::uniform_int_distribution<int> items(1, 5), what(0, 3);
    for (int n = items(rng); n > 0; --n) {
      switch (what(rng)) {
      case 0:
      case 1:
        argv.push_back("@" + gen.writeFile(0, expected));
        break;
      case 2:
        argv.emplace_back(); // an empty argument on the command line stays
        expected.emplace_back();
        break;
      default:
        argv.push_back(randomArgument(rng));
        if (argv.back()[0] == '@')
          argv.back().insert(0, "x");
        expected.push_back(argv.back());
      }
    }
    files += gen.written();
    SCOPED_TRACE("iteration " + std::to_string(iteration) + ": " + shellJoin(argv));
    ASSERT_OK_AND_ASSIGN(out, expandResponseFilesChecked(argv));
    ASSERT_EQ(*out, expected);
    ASSERT_EQ(expandResponseFiles(argv), expected);
    ASSERT_EQ(llvmExpansion(argv), expected); // what clang 14 itself reads
  }
  // The figure docs/reliability.md quotes; a generator that wrote few files
  // would prove little.
  std::printf("[ figures ] 300 trees, %zu response files\n", files);
  EXPECT_GT(files, 600u);
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

// A link gets a private TMPDIR only when clang will write a temporary object:
// sources (and stdin) are compiler inputs; objects, archives, libraries and
// options are not.
TEST(Args, CompilerInputsAreTheOnesClangCompilesFirst) {
  for (const char *in : {"a.c", "dir/b.cc", "c.cpp", "d.S", "e.s", "f.i", "g.ii", "h.m", "-"})
    EXPECT_TRUE(isCompilerInput(in)) << in;
  for (const char *not_in : {"a.o", "b.rcgu.o", "libc.a", "libm.so.6", "x.rlib", "-lc", "-o",
                             "-Wl,a.c", "main", "/tmp/dir.c/obj.o"})
    EXPECT_FALSE(isCompilerInput(not_in)) << not_in;
}

} // namespace
} // namespace crosshim
