// Env (support/env.h): the environment snapshot every plan is given.
#include "support/env.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string_view>

namespace crosshim {
namespace {

using ::testing::ElementsAre;

TEST(Env, LookupsByNameWithGetenvsRules) {
  const Env env{"LIBRARY_PATHS=x", "LIBRARY_PATH=/opt/lib",
                "EMPTY=",          "A=1",
                "NOEQUALS",        "DUP=first",
                "DUP=second",      "EQ==v"};
  EXPECT_EQ(env.get("LIBRARY_PATH"), std::optional<std::string_view>("/opt/lib"));
  EXPECT_EQ(env.get("LIBRARY_PATHS"), std::optional<std::string_view>("x"));
  EXPECT_EQ(env.get("LIBRARY"), std::nullopt); // a prefix of a name is not the name
  EXPECT_EQ(env.get("A"), std::optional<std::string_view>("1"));
  EXPECT_EQ(env.get("DUP"), std::optional<std::string_view>("first"));
  EXPECT_EQ(env.get("EQ"), std::optional<std::string_view>("=v"));
  EXPECT_EQ(env.get("NOEQUALS"), std::nullopt);
  EXPECT_EQ(env.get(""), std::nullopt);
  // Set but empty: unset for get(), "" for lookup().
  EXPECT_EQ(env.get("EMPTY"), std::nullopt);
  EXPECT_EQ(env.lookup("EMPTY"), std::optional<std::string_view>(""));
  EXPECT_EQ(env.lookup("MISSING"), std::nullopt);
  EXPECT_EQ(env.getOr("EMPTY", "fallback"), "fallback");
  EXPECT_EQ(env.getOr("A", "fallback"), "1");
}

TEST(Env, Flags) {
  const Env env{"ON=1", "YES=yes", "OFF=0", "EMPTY="};
  EXPECT_TRUE(env.flag("ON"));
  EXPECT_TRUE(env.flag("YES"));
  EXPECT_FALSE(env.flag("OFF"));
  EXPECT_FALSE(env.flag("EMPTY"));
  EXPECT_FALSE(env.flag("UNSET"));
}

TEST(Env, WithSetsOrRemovesAndLeavesTheOriginal) {
  const Env env{"A=1", "B=2", "A=3"};
  const Env changed = env.with("A", "x").with("C", "");
  EXPECT_THAT(std::vector<std::string>(changed.entries().begin(), changed.entries().end()),
              ElementsAre("B=2", "A=x", "C="));
  const Env removed = env.with("B", std::nullopt);
  EXPECT_EQ(removed.get("B"), std::nullopt);
  EXPECT_EQ(env.get("A"), std::optional<std::string_view>("1"));
  EXPECT_EQ(env.get("B"), std::optional<std::string_view>("2"));
  // Copies share the strings: a copy outlives the original.
  Env copy = Env();
  {
    const Env scoped{"K=v"};
    copy = scoped;
  }
  EXPECT_EQ(copy.get("K"), std::optional<std::string_view>("v"));
}

TEST(Env, TheProcessSnapshotIsTakenWhenAsked) {
  test::ScopedEnv before("CROSSHIM_ENV_TEST", std::string("before"));
  const Env snapshot = Env::process();
  EXPECT_EQ(snapshot.get("CROSSHIM_ENV_TEST"), std::optional<std::string_view>("before"));
  EXPECT_EQ(Env().get("CROSSHIM_ENV_TEST"), std::nullopt);
}

TEST(Env, UserCacheDir) {
  EXPECT_EQ((Env{"XDG_CACHE_HOME=/x", "HOME=/h"}.userCacheDir()), "/x/crosshim");
  EXPECT_EQ((Env{"XDG_CACHE_HOME=", "HOME=/h"}.userCacheDir()), "/h/.cache/crosshim");
  EXPECT_EQ(Env().userCacheDir(), "");
}

} // namespace
} // namespace crosshim
