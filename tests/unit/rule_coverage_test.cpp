// Every rewrite rule fires in some unit test. Not a hand-kept list: while the
// tests run, an observer (setRuleObserver) records each rule that any
// rewriteCommand applies (the rewrite tests', the MSVC and Darwin ones', the
// rustc link lines', the plans'), and when the run ends, a rule of allRules()
// that never fired fails it.
//
// Only a run of every test can tell: a filtered run (ctest runs each test
// on its own, --gtest_filter) or a shard checks nothing. The ctest
// unit.every-rule-fires runs the whole binary, in any order.
#include "shims/rewrite.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>

namespace crosshim {
namespace {

std::set<const RuleInfo *> &firedRules() {
  static std::set<const RuleInfo *> fired;
  return fired;
}

void recordRule(const RuleInfo &rule) {
  firedRules().insert(&rule);
}

// Whether this run is every test of the binary: no filter, not a shard.
bool runsEveryTest() {
  const std::string filter = ::testing::GTEST_FLAG(filter);
  const char *shards = std::getenv("GTEST_TOTAL_SHARDS");
  return filter == "*" && (!shards || std::string(shards) == "1");
}

class RuleCoverage : public ::testing::Environment {
public:
  void SetUp() override { setRuleObserver(recordRule); }
  void TearDown() override {
    setRuleObserver(nullptr);
    if (!runsEveryTest())
      return;
    for (const RuleInfo &rule : allRules())
      if (!firedRules().count(&rule))
        ADD_FAILURE() << "the rewrite rule '" << rule.name.str()
                      << "' fired in no unit test: add a test that makes it apply";
  }
};

[[maybe_unused]] ::testing::Environment *const kRuleCoverage =
    ::testing::AddGlobalTestEnvironment(new RuleCoverage);

} // namespace
} // namespace crosshim
