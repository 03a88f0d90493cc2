// Version keys from directory and SDK names (support/version.h).
#include "support/version.h"

#include <gtest/gtest.h>

#include <vector>

namespace crosshim {
namespace {

using Key = std::vector<unsigned>;

TEST(VersionKey, NumbersCompareAsNumbersNotText) {
  for (NonNumeric policy : {NonNumeric::AsZero, NonNumeric::StopThere, NonNumeric::Reject}) {
    EXPECT_LT(versionKey("14.38.33130", policy), versionKey("14.40.1", policy));
    EXPECT_LT(versionKey("10.15", policy), versionKey("11.0", policy));
    EXPECT_LT(versionKey("9", policy), versionKey("12", policy));
    // A longer key with the same start is newer: 12 < 12.2.
    EXPECT_LT(versionKey("12", policy), versionKey("12.2", policy));
    EXPECT_EQ(versionKey("14.38.33130", policy), (Key{14, 38, 33130}));
  }
}

TEST(VersionKey, EachPolicySaysWhatANonNumberMeans) {
  EXPECT_EQ(versionKey("10.0.x.2", NonNumeric::AsZero), (Key{10, 0, 0, 2}));
  EXPECT_EQ(versionKey("13.3beta.1", NonNumeric::StopThere), (Key{13}));
  EXPECT_EQ(versionKey("14.0beta", NonNumeric::StopThere), (Key{14}));
  EXPECT_EQ(versionKey("12.2.0", NonNumeric::Reject), (Key{12, 2, 0}));
  EXPECT_EQ(versionKey("12-win32", NonNumeric::Reject), Key{});
  EXPECT_EQ(versionKey("x86_64-linux-gnu", NonNumeric::Reject), Key{});
  // Empty parts ("12..1", "12.") are no numbers either.
  EXPECT_EQ(versionKey("12..1", NonNumeric::AsZero), (Key{12, 0, 1}));
  EXPECT_EQ(versionKey("12.", NonNumeric::Reject), Key{});
  // Signs and radix prefixes are no decimal numbers.
  EXPECT_EQ(versionKey("+1", NonNumeric::Reject), Key{});
  EXPECT_EQ(versionKey("0x10", NonNumeric::Reject), Key{});
}

TEST(VersionKey, EmptyTextIsNoVersion) {
  for (NonNumeric policy : {NonNumeric::AsZero, NonNumeric::StopThere, NonNumeric::Reject})
    EXPECT_TRUE(versionKey("", policy).empty());
}

TEST(VersionKey, ANumberTooBigForUnsignedIsNoNumber) {
  EXPECT_EQ(versionKey("1.99999999999", NonNumeric::Reject), Key{});
  EXPECT_EQ(versionKey("1.99999999999", NonNumeric::StopThere), (Key{1}));
}

} // namespace
} // namespace crosshim
