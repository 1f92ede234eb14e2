// INV-4 unit status state machine: every (status, action) pair, legal or not.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <utility>

#include "domain/unit_status.hpp"

namespace {
using namespace inventory::domain;
using S = UnitStatus;
using A = UnitAction;

// The expected machine, written out independently of the implementation's table.
const std::map<std::pair<S, A>, S>& legal() {
    static const std::map<std::pair<S, A>, S> table = {
        {{S::not_for_sale, A::release}, S::available},
        {{S::available, A::withdraw}, S::not_for_sale},
        {{S::available, A::reserve}, S::reserved},
        {{S::reserved, A::end_reservation}, S::available},
        {{S::available, A::hold}, S::held},
        {{S::reserved, A::hold_reserved}, S::held},
        {{S::held, A::confirm}, S::subscribed},
        {{S::held, A::release_deal}, S::available},
        {{S::subscribed, A::release_deal}, S::available},
        {{S::held, A::expire_hold}, S::available},
        {{S::available, A::take_subscribed}, S::subscribed},
        {{S::subscribed, A::sign}, S::signed_},
        {{S::signed_, A::hand_over}, S::handed_over},
        {{S::signed_, A::release_contract}, S::available},  // CON-6
        {{S::subscribed, A::reopen}, S::held},              // FIN-3 deposit reversed
        {{S::held, A::change_signed}, S::signed_},          // CON-5 unit change after signing
    };
    return table;
}

TEST(UnitStatus, EveryActionAndStatusIsCovered) {
    EXPECT_EQ(all_statuses().size(), 7u);
    EXPECT_EQ(all_actions().size(), 15u);
}

TEST(UnitStatus, EveryLegalTransitionReachesItsTarget) {
    for (const auto& [key, to] : legal()) {
        const auto t = decide(key.first, key.second);
        ASSERT_TRUE(t.legal()) << to_string(key.first) << " " << to_string(key.second);
        EXPECT_EQ(*t.to, to) << to_string(key.first) << " " << to_string(key.second);
        EXPECT_FALSE(t.error.has_value());
        EXPECT_EQ(target(key.second), to);
    }
}

TEST(UnitStatus, EveryOtherPairIsRejectedWithAClearError) {
    int rejected = 0;
    for (auto from : all_statuses()) {
        for (auto action : all_actions()) {
            if (legal().count({from, action}))
                continue;
            const auto t = decide(from, action);
            ASSERT_FALSE(t.legal()) << to_string(from) << " " << to_string(action);
            ASSERT_TRUE(t.error.has_value());
            const bool takes =
                action == A::hold || action == A::hold_reserved || action == A::take_subscribed;
            EXPECT_EQ(t.error->code(), takes ? "unit_not_available" : "invalid_transition");
            EXPECT_EQ(t.error->kind(), sales::Failure::Kind::conflict);  // 409
            const std::string message = t.error->what();
            EXPECT_NE(message.find(std::string(to_string(from))), std::string::npos) << message;
            EXPECT_NE(message.find(std::string(to_string(action))), std::string::npos);
            EXPECT_NE(message.find("INV-4"), std::string::npos);
            ++rejected;
        }
    }
    EXPECT_EQ(rejected, 7 * 15 - static_cast<int>(legal().size()));
}

TEST(UnitStatus, SourcesMatchTheLegalTable) {
    for (auto action : all_actions()) {
        std::set<S> expected;
        for (const auto& [key, to] : legal()) {
            if (key.second == action)
                expected.insert(key.first);
        }
        const auto& got = sources(action);
        EXPECT_EQ(std::set<S>(got.begin(), got.end()), expected) << to_string(action);
    }
}

TEST(UnitStatus, NamesRoundTripAndUnknownNamesAreRejected) {
    for (auto s : all_statuses())
        EXPECT_EQ(parse_status(to_string(s)), s);
    EXPECT_EQ(to_string(S::signed_), "signed");
    EXPECT_FALSE(parse_status("sold").has_value());
    EXPECT_FALSE(parse_status("").has_value());
    EXPECT_FALSE(parse_status("AVAILABLE").has_value());
}

TEST(UnitStatus, OnlySubscribedAndLaterCountAsSold) {
    std::set<S> sold;
    for (auto s : all_statuses()) {
        if (is_sold(s))
            sold.insert(s);
    }
    EXPECT_EQ(sold, (std::set<S>{S::subscribed, S::signed_, S::handed_over}));
}

}  // namespace
