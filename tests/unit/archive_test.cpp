// ar archive members (archive.h): GNU short and long names, BSD #1/ names,
// odd sizes and their padding, symbol tables skipped, damage reported
// without reading past the end. The archives are made here, byte by byte.
#include "diagnostics/archive.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>

namespace crosshim::diag {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string member(const std::string &name, const std::string &body) {
  char header[61];
  snprintf(header, sizeof header, "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", name.c_str(), "0", "0", "0",
           "644", body.size());
  return header + body + (body.size() % 2 ? "\n" : "");
}

std::vector<std::string> members(llvm::StringRef bytes, std::string *error = nullptr) {
  std::vector<std::string> seen;
  llvm::Error err = forEachArchiveMember(
      bytes, [&](const ArchiveMember &m) { seen.push_back(m.name.str() + "=" + m.bytes.str()); });
  if (error)
    *error = err ? llvm::toString(std::move(err)) : "";
  else
    EXPECT_FALSE(static_cast<bool>(err)) << llvm::toString(std::move(err));
  return seen;
}

TEST(Archive, GnuMembersWithShortAndLongNames) {
  const std::string longNames = "a_rather_long_member_name.o/\nother_long_object_file.o/\n";
  const std::string bytes = "!<arch>\n" + member("/", "\0\0\0\0") + member("//", longNames) +
                            member("x.o/", "abc") + member("/0", "long1") +
                            member("/29", "long-two") + member("y.o/", "");
  EXPECT_THAT(members(bytes), ElementsAre("x.o=abc", "a_rather_long_member_name.o=long1",
                                          "other_long_object_file.o=long-two", "y.o="));
}

TEST(Archive, BsdLongNamesAndSymbolTable) {
  const std::string bytes = "!<arch>\n" + member("__.SYMDEF SORTED", "tbl") +
                            member("#1/20", std::string("a_long_bsd_name.o\0\0\0", 20) + "data") +
                            member("short.o", "s");
  EXPECT_THAT(members(bytes), ElementsAre("a_long_bsd_name.o=data", "short.o=s"));
}

TEST(Archive, DamageIsReportedAfterWhatCouldBeRead) {
  const std::string good = "!<arch>\n" + member("a.o/", "aa");
  std::string error;
  // Cut inside the second member's contents.
  std::string cut = good + member("b.o/", "bbbbbb");
  cut.resize(cut.size() - 3);
  EXPECT_THAT(members(cut, &error), ElementsAre("a.o=aa"));
  EXPECT_THAT(error, HasSubstr("a member runs past the end"));
  // A header that is not one.
  EXPECT_THAT(members(good + std::string(60, 'x'), &error), ElementsAre("a.o=aa"));
  EXPECT_THAT(error, HasSubstr("does not end in"));
  // Long-name offsets and BSD name lengths out of range.
  members("!<arch>\n" + member("//", "n/\n") + member("/99", "z"), &error);
  EXPECT_THAT(error, HasSubstr("long-name offset is out of range"));
  members("!<arch>\n" + member("#1/50", "short"), &error);
  EXPECT_THAT(error, HasSubstr("BSD long name does not fit"));
  members("!<thin>\n", &error);
  EXPECT_THAT(error, HasSubstr("thin archive"));
  members("not an archive", &error);
  EXPECT_THAT(error, HasSubstr("no !<arch> magic"));
  EXPECT_THAT(members("!<arch>\n"), ::testing::IsEmpty());
}

// Every prefix of a real-shaped archive: no crash, no read past the end
// (ASan in the fuzz build checks the reads; here the walk must end).
TEST(Archive, EveryPrefixEnds) {
  const std::string bytes = "!<arch>\n" + member("//", "long_name_here.o/\n") +
                            member("/0", "abc") + member("#1/4", "n.o\0xyz") + member("q/", "");
  for (size_t n = 0; n <= bytes.size(); ++n) {
    std::string error;
    members(llvm::StringRef(bytes).take_front(n), &error);
  }
}

} // namespace
} // namespace crosshim::diag
