#include "targets.h"
#include <gtest/gtest.h>
TEST(Targets, Placeholder) { EXPECT_NE(crosshim::findTarget("aarch64-linux-gnu"), nullptr); }
