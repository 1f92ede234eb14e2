// CON-11 referral points: points per price, the 80% threshold in exact integers, and the states
// a confirmation, a payment and a cancellation lead to. Pure domain: no database.
#include <gtest/gtest.h>

#include "domain/referral.hpp"
#include "sales/failure.hpp"

namespace {
using namespace finance::domain;

ItemBalance item(ItemKind kind, std::int64_t amount, std::int64_t paid) {
    ItemBalance i;
    i.kind = kind;
    i.amount_fen = amount;
    i.paid_fen = paid;
    return i;
}

TEST(ReferralCon11, PointsAreOnePerFullThousandYuan) {
    EXPECT_EQ(referral_points(0), 0);
    EXPECT_EQ(referral_points(99'999), 0);
    EXPECT_EQ(referral_points(100'000), 1);
    EXPECT_EQ(referral_points(150'000'000), 1'500);
    EXPECT_EQ(referral_points(150'099'999), 1'500);
}

TEST(ReferralCon11, ThresholdIsExactlyEightyPercentOfThePrice) {
    struct Case {
        std::int64_t price, paid;
        bool reached;
    };
    const Case cases[] = {
        {100'000'000, 80'000'000, true},   // exactly 80%
        {100'000'000, 79'999'999, false},  // one fen short
        {100'000'000, 100'000'000, true},
        {3, 2, false},  // 66.7%
        {5, 4, true},   // exactly 80% of an odd price
        {7, 5, false},  // 71.4%: 5 × 100 = 500 < 560
        {7, 6, true},
        {0, 0, false},                                       // no price, nothing to redeem
        {1'000'000'000'000'000, 800'000'000'000'000, true},  // no overflow at the largest price
    };
    for (const auto& c : cases) {
        EXPECT_EQ(referral_threshold_reached({c.price, c.paid}), c.reached)
            << c.paid << " of " << c.price;
    }
}

TEST(ReferralCon11, ProgressCountsThePriceItemsNotFeesNorAreaSettlement) {
    Balance b;
    b.items = {item(ItemKind::down_payment, 30'000'000, 30'000'000),
               item(ItemKind::loan, 70'000'000, 50'000'000), item(ItemKind::fee, 500'000, 500'000),
               item(ItemKind::area_settlement, 1'000'000, 1'000'000)};
    const auto p = price_progress(b);
    EXPECT_EQ(p.price_fen, 100'000'000);
    EXPECT_EQ(p.paid_fen, 80'000'000);
    EXPECT_TRUE(referral_threshold_reached(p));
}

TEST(ReferralCon11, ConfirmationCreditsAtOnceWhenTheBuyerHasPaidEnoughAlready) {
    const auto below = confirm_referral(ReferralStatus::requested, {100, 79});
    EXPECT_EQ(below.to, ReferralStatus::confirmed);
    EXPECT_FALSE(below.credit);
    const auto at = confirm_referral(ReferralStatus::requested, {100, 80});
    EXPECT_EQ(at.to, ReferralStatus::redeemable);
    EXPECT_TRUE(at.credit);
}

TEST(ReferralCon11, OnlyARequestedReferralIsConfirmed) {
    for (const auto from :
         {ReferralStatus::confirmed, ReferralStatus::redeemable, ReferralStatus::voided}) {
        try {
            confirm_referral(from, {100, 0});
            ADD_FAILURE() << "confirmed from " << to_string(from);
        } catch (const sales::Failure& e) {
            EXPECT_EQ(e.code(), "invalid_transition");
        }
    }
}

TEST(ReferralCon11, APaymentCreditsOnlyAConfirmedReferralReachingTheThreshold) {
    const auto credited = referral_after_payment(ReferralStatus::confirmed, {100, 80});
    EXPECT_EQ(credited.to, ReferralStatus::redeemable);
    EXPECT_TRUE(credited.credit);
    // Not confirmed yet: the cashier's confirmation credits it later.
    EXPECT_FALSE(referral_after_payment(ReferralStatus::requested, {100, 100}).credit);
    // Credited once: a later payment (or a reversal below 80%) changes nothing.
    EXPECT_FALSE(referral_after_payment(ReferralStatus::redeemable, {100, 100}).credit);
    EXPECT_EQ(referral_after_payment(ReferralStatus::redeemable, {100, 10}).to,
              ReferralStatus::redeemable);
    EXPECT_FALSE(referral_after_payment(ReferralStatus::voided, {100, 100}).credit);
    EXPECT_FALSE(referral_after_payment(ReferralStatus::confirmed, {100, 79}).credit);
}

TEST(ReferralCon11, CancellationVoidsWhatWasNotCredited) {
    EXPECT_EQ(referral_after_cancellation(ReferralStatus::requested), ReferralStatus::voided);
    EXPECT_EQ(referral_after_cancellation(ReferralStatus::confirmed), ReferralStatus::voided);
    EXPECT_EQ(referral_after_cancellation(ReferralStatus::redeemable), ReferralStatus::redeemable);
}

TEST(ReferralCon11, RedemptionIsPositiveAndWithinTheBalance) {
    EXPECT_NO_THROW(check_redemption(1'500, 1'500));
    const auto code_of = [](std::int64_t balance, std::int64_t points) {
        try {
            check_redemption(balance, points);
        } catch (const sales::Failure& e) {
            return e.code();
        }
        return std::string("none");
    };
    EXPECT_EQ(code_of(1'500, 1'501), "insufficient_points");
    EXPECT_EQ(code_of(1'500, 0), "invalid_points");
    EXPECT_EQ(code_of(1'500, -5), "invalid_points");
}

TEST(ReferralCon11, OnlyARedemptionIsReversed) {
    EXPECT_NO_THROW(check_reversible("redemption"));
    for (const char* kind : {"credit", "reversal"}) {
        try {
            check_reversible(kind);
            ADD_FAILURE() << "reversed a " << kind;
        } catch (const sales::Failure& e) {
            EXPECT_EQ(e.code(), "invalid_transition");
        }
    }
}

}  // namespace
