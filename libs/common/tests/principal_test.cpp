// A caller's project scope (sales/principal.hpp): "*" holds every project, later ones too.
#include <gtest/gtest.h>

#include "sales/principal.hpp"

namespace {

TEST(Principal, ScopeStarHoldsEveryProject) {
    sales::Principal all;
    all.project_ids = {"*"};
    EXPECT_TRUE(all.in_every_project());
    EXPECT_TRUE(all.in_project("p-made-tomorrow"));

    sales::Principal some;
    some.project_ids = {"p1", "p2"};
    EXPECT_FALSE(some.in_every_project());
    EXPECT_TRUE(some.in_project("p2"));
    EXPECT_FALSE(some.in_project("p3"));
    EXPECT_FALSE(sales::Principal{}.in_every_project());
}

}  // namespace
