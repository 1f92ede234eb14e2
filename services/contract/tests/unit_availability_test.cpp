// Issue 13 item 1: the view of units taken that lets contract refuse at once (INV-4 stays
// inventory's: the view never says yes).
#include <gtest/gtest.h>

#include "domain/unit_availability.hpp"

using contract::domain::refuse_at_once;
using contract::domain::UnitAvailability;

namespace {
const std::string kUnit = "u-1";
const std::string kProject = "p-1";
}  // namespace

TEST(UnitAvailability, AnUnknownOrAvailableUnitIsNeverRefused) {
    UnitAvailability view;
    EXPECT_FALSE(view.taken(kUnit));
    view.apply(kUnit, kProject, "available", 3, "", "sales_control-1");
    EXPECT_FALSE(view.taken(kUnit));
    view.apply("u-2", kProject, "reserved", 1, "", "rep-1");
    EXPECT_FALSE(view.taken("u-2"));  // the reservation's holder may still subscribe it
}

TEST(UnitAvailability, AHeldUnitIsTakenByItsSubscriptionAndUser) {
    UnitAvailability view;
    view.apply(kUnit, kProject, "held", 4, "s-1", "rep-1");
    const auto taken = view.taken(kUnit);
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->status, "held");
    EXPECT_EQ(taken->subscription_id, "s-1");
    EXPECT_EQ(taken->held_by, "rep-1");
    EXPECT_EQ(taken->project_id, kProject);
    // Confirmed by the service: the same deal, the same user.
    view.apply(kUnit, kProject, "subscribed", 5, "s-1", "contract");
    EXPECT_EQ(view.taken(kUnit)->status, "subscribed");
    EXPECT_EQ(view.taken(kUnit)->held_by, "rep-1");
}

TEST(UnitAvailability, OlderOrRepeatedVersionsChangeNothing) {
    UnitAvailability view;
    view.apply(kUnit, kProject, "held", 4, "s-1", "rep-1");
    view.apply(kUnit, kProject, "available", 5, "", "system:hold-expiry");
    view.apply(kUnit, kProject, "held", 4, "s-1", "rep-1");  // late copy of the hold
    EXPECT_FALSE(view.taken(kUnit));
    view.apply(kUnit, kProject, "held", 6, "s-2", "rep-2");
    view.apply(kUnit, kProject, "available", 6, "", "x");  // same version again
    EXPECT_EQ(view.taken(kUnit)->subscription_id, "s-2");
    EXPECT_EQ(view.taken(kUnit)->held_by, "rep-2");
}

TEST(UnitAvailability, AFirstSightOfASubscribedUnitDoesNotKnowItsUser) {
    UnitAvailability view;
    view.apply(kUnit, kProject, "subscribed", 9, "s-1", "contract");
    ASSERT_TRUE(view.taken(kUnit));
    EXPECT_EQ(view.taken(kUnit)->held_by, "");
}

TEST(UnitAvailability, ForgetAllAfterAGap) {
    UnitAvailability view;
    view.apply(kUnit, kProject, "signed", 7, "s-1", "contract");
    view.forget_all();
    EXPECT_FALSE(view.taken(kUnit));
    EXPECT_EQ(view.size(), 0U);
}

TEST(UnitAvailability, RefusedAtOnceUnlessItMayBeTheRetryOfTheRequestThatTookIt) {
    const contract::domain::UnitTaken by_rep1{kProject, "held", "s-1", "rep-1"};
    EXPECT_TRUE(refuse_at_once(by_rep1, "rep-2", /*has_idempotency_key=*/false));
    EXPECT_TRUE(refuse_at_once(by_rep1, "rep-2", true));
    // Without a key a request can never be a replay: a new subscription would be refused anyway.
    EXPECT_TRUE(refuse_at_once(by_rep1, "rep-1", false));
    EXPECT_FALSE(refuse_at_once(by_rep1, "rep-1", true));
    const contract::domain::UnitTaken unknown_user{kProject, "subscribed", "s-1", ""};
    EXPECT_FALSE(refuse_at_once(unknown_user, "rep-2", true));
    EXPECT_TRUE(refuse_at_once(unknown_user, "rep-2", false));
}
