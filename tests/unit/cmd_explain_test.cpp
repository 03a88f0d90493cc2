// `crosshim explain` reads saved logs: the link command rustc printed when
// its linker failed (shims/link_log.h) and the target it was for. The
// samples are real cargo output (Debian's cargo 1.65 + rustc 1.63, rustup's
// 1.95, coloured), shortened to a few arguments.
#include "shims/link_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

namespace crosshim {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Debian's cargo 1.65 with rustc 1.63, linker = cc, GNU ld.
const char *const kCargo163 =
    "   Compiling undef v0.1.0 (/tmp/crate)\n"
    "error: linking with `cc` failed: exit status: 1\n"
    "  |\n"
    "  = note: \"cc\" \"-m64\" \"/tmp/rustcLCFSA9/symbols.o\" "
    "\"/tmp/crate/target/debug/deps/undef-02ec4a13bddb99f7.1xviamofpj1x75ah.rcgu.o\" "
    "\"-Wl,--as-needed\" \"-L\" \"/tmp/crate/target/debug/deps\" \"-L\" "
    "\"/usr/lib/rustlib/x86_64-unknown-linux-gnu/lib\" \"-Wl,-Bdynamic\" \"-lgcc_s\" \"-lm\" "
    "\"-lc\" \"-o\" \"/tmp/crate/target/debug/deps/undef-02ec4a13bddb99f7\" \"-nodefaultlibs\"\n"
    "  = note: /usr/bin/ld: /tmp/crate/target/debug/deps/undef-02ec4a13bddb99f7.wkwl6brb8xj76b2."
    "rcgu.o: in function `undef::main':\n"
    "          /tmp/crate/src/main.rs:2: undefined reference to `crosshim_missing_fn'\n"
    "          collect2: error: ld returned 1 exit status\n"
    "          \n"
    "  = help: some `extern` functions couldn't be found; some native libraries may need to be "
    "installed or have their path specified\n"
    "  = note: use the `-l` flag to specify native libraries to link\n"
    "\n"
    "error: could not compile `undef` due to previous error\n";

TEST(LinkLog, FindsRustc163Command) {
  auto link = findRustcLink(kCargo163);
  ASSERT_TRUE(link);
  EXPECT_EQ(link->linker, "cc");
  EXPECT_TRUE(link->hasCommand);
  ASSERT_EQ(link->arguments.size(), 15u);
  EXPECT_EQ(link->arguments.front(), "-m64");
  EXPECT_EQ(link->arguments[4], "-L");
  EXPECT_EQ(link->arguments[5], "/tmp/crate/target/debug/deps");
  EXPECT_EQ(link->arguments[10], "-lm");
  EXPECT_EQ(link->arguments.back(), "-nodefaultlibs");
}

TEST(LinkLog, FindsRustc195CommandWithOmissions) {
  // rustc 1.95: two spaces after note:, placeholders for what it left out.
  const char *log =
      "error: linking with `cc` failed: exit status: 1\n"
      "  |\n"
      "  = note:  \"cc\" \"-m64\" \"/tmp/crate/target/debug/deps/rustcDBvflY/symbols.o\" "
      "\"<8 object files omitted>\" \"-Wl,--as-needed\" "
      "\"<sysroot>/lib/rustlib/x86_64-unknown-linux-gnu/lib/{libstd-*,libcore-*}.rlib\" "
      "\"-lm\" \"-B<sysroot>/lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld\" "
      "\"-fuse-ld=lld\" \"-nodefaultlibs\"\n"
      "  = note: some arguments are omitted. use `--verbose` to show all linker arguments\n"
      "  = note: rust-lld: error: undefined symbol: crosshim_missing_fn\n"
      "          >>> referenced by main.rs:2 (src/main.rs:2)\n";
  auto link = findRustcLink(log);
  ASSERT_TRUE(link);
  EXPECT_EQ(link->linker, "cc");
  EXPECT_THAT(link->arguments,
              ElementsAre("-m64", "/tmp/crate/target/debug/deps/rustcDBvflY/symbols.o",
                          "<8 object files omitted>", "-Wl,--as-needed",
                          "<sysroot>/lib/rustlib/x86_64-unknown-linux-gnu/lib/"
                          "{libstd-*,libcore-*}.rlib",
                          "-lm", "-B<sysroot>/lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld",
                          "-fuse-ld=lld", "-nodefaultlibs"));
}

TEST(LinkLog, FindsTheCommandInColouredOutput) {
  // cargo --color=always, bytes as cargo wrote them.
  const char *log = "\x1b[0m\x1b[1m\x1b[38;5;9merror\x1b[0m\x1b[0m\x1b[1m: linking with `cc` "
                    "failed: exit status: 1\x1b[0m\n"
                    "\x1b[0m  \x1b[0m\x1b[0m\x1b[1m\x1b[38;5;12m|\x1b[0m\n"
                    "\x1b[0m  \x1b[0m\x1b[0m\x1b[1m\x1b[38;5;12m= \x1b[0m\x1b[0m\x1b[1mnote"
                    "\x1b[0m\x1b[0m: \"cc\" \"-m64\" \"/tmp/rustcx44ySo/symbols.o\" "
                    "\"-nodefaultlibs\"\x1b[0m\r\n";
  auto link = findRustcLink(log);
  ASSERT_TRUE(link);
  EXPECT_EQ(link->linker, "cc");
  EXPECT_THAT(link->arguments, ElementsAre("-m64", "/tmp/rustcx44ySo/symbols.o", "-nodefaultlibs"));
}

TEST(LinkLog, TheFirstFailedLinkAndOnlyItsBlock) {
  const char *log =
      "error: linking with `/opt/crosshim/lib/crosshim/bin/aarch64-unknown-linux-gnu-cc` "
      "failed: exit status: 1\n"
      "  |\n"
      "  = note: use the `-l` flag to specify native libraries to link\n"
      "\n"
      "error: linking with `cc` failed: exit status: 1\n"
      "  = note: \"cc\" \"-lfoo\"\n";
  auto link = findRustcLink(log);
  ASSERT_TRUE(link);
  // The first block has no command: the second block's must not be taken for it.
  EXPECT_EQ(link->linker, "/opt/crosshim/lib/crosshim/bin/aarch64-unknown-linux-gnu-cc");
  EXPECT_FALSE(link->hasCommand);
  EXPECT_THAT(link->arguments, IsEmpty());
}

TEST(LinkLog, NoRustcLinkInPlainLinkerOutput) {
  EXPECT_FALSE(findRustcLink("ld.lld: error: undefined symbol: cos\n"
                             ">>> referenced by cos.c\n"
                             ">>>               /tmp/cos-1a2b3c.o:(main)\n"
                             "clang: error: linker command failed with exit code 1 (use -v to "
                             "see invocation)\n"));
  EXPECT_FALSE(findRustcLink(""));
  EXPECT_FALSE(findRustcLink("error: linking with `cc"));
}

TEST(RustcCommand, RustEscapes) {
  auto words = parseRustcCommand(R"( "cc" "a\"b" "c\\d" "it\'s" "\u{e9}t\u{e9}" "\xff" )"
                                 R"("tab\there" "nl\n" "" "\q")");
  ASSERT_TRUE(words);
  EXPECT_THAT(*words, ElementsAre("cc", "a\"b", "c\\d", "it's", "\xc3\xa9t\xc3\xa9", "\xff",
                                  "tab\there", "nl\n", "", "q"));
}

TEST(RustcCommand, SkipsWhatComesBeforeTheProgram) {
  EXPECT_THAT(*parseRustcCommand(R"(LC_ALL="C" PATH="/usr/bin:/bin" VSLANG="1033" "cc" "-m64")"),
              ElementsAre("cc", "-m64"));
  EXPECT_THAT(*parseRustcCommand(R"(cd "/tmp/x y" && env -u RUSTFLAGS "cc" "-m64")"),
              ElementsAre("cc", "-m64"));
}

TEST(RustcCommand, RejectsWhatIsNotACommand) {
  EXPECT_FALSE(parseRustcCommand("use the `-l` flag to specify native libraries to link"));
  EXPECT_FALSE(parseRustcCommand("/usr/bin/ld: x.o: in function `main':"));
  EXPECT_FALSE(parseRustcCommand("some arguments are omitted. use `--verbose`"));
  EXPECT_FALSE(parseRustcCommand(R"("cc" "-m64)"));       // unterminated
  EXPECT_FALSE(parseRustcCommand(R"("cc" -m64)"));        // a bare word after the program
  EXPECT_FALSE(parseRustcCommand(R"(note "cc" "-m64")")); // a bare word that is not env/cd
  EXPECT_FALSE(parseRustcCommand(R"(1X="a" "cc")"));
  EXPECT_FALSE(parseRustcCommand(""));
  EXPECT_FALSE(parseRustcCommand("   "));
}

TEST(RustcCommand, BadEscapesKeepTheirText) {
  auto words = parseRustcCommand(R"("\xZZ" "\u{zz}" "\u{110000}" "\u{d800}")");
  ASSERT_TRUE(words);
  EXPECT_THAT(*words, ElementsAre("\\xZZ", "\\u{zz}", "\xef\xbf\xbd", "\xef\xbf\xbd"));
}

TEST(LinkLog, HostileInputNeverCrashes) {
  std::mt19937 rng(7);
  const std::string pieces[] = {"error: linking with `",
                                "`",
                                "\n",
                                "  = note: ",
                                "\"",
                                "\\",
                                "\\u{",
                                "\\x",
                                "}",
                                " ",
                                "\x1b[",
                                "m",
                                "cc",
                                "A=",
                                "\0"};
  for (int round = 0; round < 2000; ++round) {
    std::string log;
    for (int i = 0; i < 40; ++i)
      log += pieces[rng() % std::size(pieces)];
    (void)findRustcLink(log);
    (void)parseRustcCommand(log);
  }
  std::string huge = "error: linking with `cc` failed\n  = note: \"cc\"";
  for (int i = 0; i < 100000; ++i)
    huge += " \"-lx\"";
  auto link = findRustcLink(huge);
  ASSERT_TRUE(link);
  EXPECT_EQ(link->arguments.size(), 100000u);
}

TEST(LinkTarget, FromTheArgumentsThenTheLinkerName) {
  LinkTarget t = targetOfLink("cc", {"--target=aarch64-linux-gnu", "-lm"});
  ASSERT_TRUE(t.target);
  EXPECT_EQ(t.target->rust, "aarch64-unknown-linux-gnu");
  t = targetOfLink("cc", {"-target", "armv7-unknown-linux-gnueabihf"});
  ASSERT_TRUE(t.target);
  EXPECT_EQ(t.target->rust, "armv7-unknown-linux-gnueabihf");

  t = targetOfLink("/opt/crosshim/lib/crosshim/bin/aarch64-unknown-linux-gnu-cc", {"-m64"});
  ASSERT_TRUE(t.target);
  EXPECT_EQ(t.target->rust, "aarch64-unknown-linux-gnu");
  EXPECT_EQ(t.source,
            "the linker name /opt/crosshim/lib/crosshim/bin/aarch64-unknown-linux-gnu-cc");
  t = targetOfLink("/usr/bin/i686-linux-gnu-gcc-12", {});
  ASSERT_TRUE(t.target);
  EXPECT_EQ(t.target->rust, "i686-unknown-linux-gnu");

  // An unknown --target falls through to the name.
  t = targetOfLink("arm-linux-gnueabihf-gcc", {"--target=sparc-sun-solaris"});
  ASSERT_TRUE(t.target);
  EXPECT_EQ(t.target->rust, "armv7-unknown-linux-gnueabihf");
}

TEST(LinkTarget, NothingSaysWhenTheLinkerIsPlain) {
  EXPECT_FALSE(targetOfLink("cc", {"-m64", "-lm"}).target);
  EXPECT_FALSE(targetOfLink("", {}).target);
  EXPECT_FALSE(targetOfLink("not a program name!", {}).target);
  EXPECT_FALSE(targetOfLink("/usr/bin/gcc", {}).target);
}

} // namespace
} // namespace crosshim
