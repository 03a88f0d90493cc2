// GNU ld text scripts as Debian and GCC ship them (real files, copied from
// bookworm's libc6-dev and libgcc-12-dev), and inputs that must neither
// crash nor hang the parser.
#include "diagnostics/linker_script.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

namespace crosshim {
namespace {

using diag::looksLikeLinkerScript;
using diag::parseLinkerScript;

std::vector<std::string> paths(const diag::LinkerScript &script) {
  std::vector<std::string> out;
  for (const auto &in : script.inputs)
    out.push_back(in.path + (in.asNeeded ? " [as-needed]" : ""));
  return out;
}

// /usr/aarch64-linux-gnu/lib/libc.so (libc6-dev-arm64-cross 2.36).
constexpr const char *kDebianCrossLibc = R"(/* GNU ld script
   Use the shared library, but some functions are only in
   the static library, so try that secondarily.  */
OUTPUT_FORMAT(elf64-littleaarch64)
GROUP ( /usr/aarch64-linux-gnu/lib/libc.so.6 /usr/aarch64-linux-gnu/lib/libc_nonshared.a  AS_NEEDED ( /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ) )
)";

// usr/lib/aarch64-linux-gnu/libc.so of libc6-dev:arm64 (a multiarch sysroot).
constexpr const char *kMultiarchLibc = R"(/* GNU ld script
   Use the shared library, but some functions are only in
   the static library, so try that secondarily.  */
OUTPUT_FORMAT(elf64-littleaarch64)
GROUP ( /lib/aarch64-linux-gnu/libc.so.6 /usr/lib/aarch64-linux-gnu/libc_nonshared.a  AS_NEEDED ( /lib/ld-linux-aarch64.so.1 ) )
)";

// /usr/lib/gcc-cross/aarch64-linux-gnu/12/libgcc_s.so.
constexpr const char *kLibgccS = R"(/* GNU ld script
   Use the shared library, but some functions are only in
   the static library.  */
GROUP ( libgcc_s.so.1 -lgcc )
)";

TEST(LinkerScript, DebianLibcScripts) {
  EXPECT_TRUE(looksLikeLinkerScript(kDebianCrossLibc));
  auto script = parseLinkerScript(kDebianCrossLibc);
  EXPECT_EQ(script.outputFormat, "elf64-littleaarch64");
  EXPECT_THAT(paths(script), ::testing::ElementsAre(
                                 "/usr/aarch64-linux-gnu/lib/libc.so.6",
                                 "/usr/aarch64-linux-gnu/lib/libc_nonshared.a",
                                 "/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 [as-needed]"));
  EXPECT_THAT(paths(parseLinkerScript(kMultiarchLibc)),
              ::testing::ElementsAre("/lib/aarch64-linux-gnu/libc.so.6",
                                     "/usr/lib/aarch64-linux-gnu/libc_nonshared.a",
                                     "/lib/ld-linux-aarch64.so.1 [as-needed]"));
}

TEST(LinkerScript, RelativeNamesAndLibraries) {
  auto script = parseLinkerScript(kLibgccS);
  EXPECT_THAT(paths(script), ::testing::ElementsAre("libgcc_s.so.1", "-lgcc"));
  EXPECT_TRUE(script.outputFormat.empty());
}

TEST(LinkerScript, QuotesCommasInputAndOtherCommands) {
  auto script = parseLinkerScript(
      "SEARCH_DIR(\"=/usr/lib\") OUTPUT_ARCH(aarch64)\n"
      "INPUT(\"/opt/my lib/libfoo.so.1\", -l:libbar.so.2, =/usr/lib/libbaz.a)\n"
      "/* a comment with GROUP(/not/a/file) */ GROUP(AS_NEEDED(a.so AS_NEEDED(b.so)) c.a)");
  EXPECT_THAT(paths(script), ::testing::ElementsAre("/opt/my lib/libfoo.so.1", "-l:libbar.so.2",
                                                    "=/usr/lib/libbaz.a", "a.so [as-needed]",
                                                    "b.so [as-needed]", "c.a"));
}

TEST(LinkerScript, WhatIsNotAScript) {
  EXPECT_FALSE(looksLikeLinkerScript(llvm::StringRef("\x7f"
                                                     "ELF\x02\x01\x01\0\0",
                                                     9)));
  EXPECT_FALSE(looksLikeLinkerScript("!<arch>\n"));
  EXPECT_FALSE(looksLikeLinkerScript("hello world"));
  EXPECT_FALSE(looksLikeLinkerScript(""));
  EXPECT_TRUE(looksLikeLinkerScript("  /* no banner */ INPUT(libfoo.so.1)"));
  EXPECT_TRUE(looksLikeLinkerScript("GROUP ( libc.so.6 )"));
}

TEST(LinkerScript, TruncatedAndHostileInputEndsQuietly) {
  for (const char *text : {"GROUP(", "GROUP( /lib/libc.so.6", "GROUP(\"unterminated", "/* open",
                           "OUTPUT_FORMAT(", "OUTPUT_FORMAT((((", ")))GROUP)))(", "AS_NEEDED(x)",
                           "GROUP(AS_NEEDED(", "INPUT(a /* b", "GROUP(((((a)))))", "\"", "(", ""}) {
    auto script = parseLinkerScript(text);
    EXPECT_LE(script.inputs.size(), llvm::StringRef(text).size()) << text;
  }
  EXPECT_THAT(paths(parseLinkerScript("GROUP( /lib/libc.so.6")),
              ::testing::ElementsAre("/lib/libc.so.6"));
  // Deep nesting is counted, not recursed into.
  std::string deep = "GROUP(" + std::string(200000, '(') + "x.so";
  EXPECT_THAT(paths(parseLinkerScript(deep)), ::testing::ElementsAre("x.so"));
  // Random bytes, seeded: no crash, output bounded by the input.
  std::mt19937 rng(12345);
  const std::string alphabet = "GROUPINTAS_NED(),;\"/* \n\t\0abc-l=";
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (int i = rng() % 200; i > 0; --i)
      text += alphabet[rng() % alphabet.size()];
    auto script = parseLinkerScript(text);
    EXPECT_LE(script.inputs.size(), text.size());
    (void)looksLikeLinkerScript(text);
  }
}

} // namespace
} // namespace crosshim
