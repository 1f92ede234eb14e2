// FIN-1 schedule building, FIN-5 penalty accrual, FIN-7 clearance arithmetic with reversals,
// aging buckets. Pure domain: no database.
#include <gtest/gtest.h>

#include "domain/schedule.hpp"

namespace {
using namespace finance::domain;
using sales::Date;

Date d(const char* text) {
    return sales::parse_date(text).value();
}

// ---- FIN-1 --------------------------------------------------------------------------------

TEST(ScheduleFin1, OneOffIsOneItemOfThePriceWithTheDepositCredited) {
    const auto s =
        build_schedule(one_off_plan(d("2026-06-30"), 150'000'000), 150'000'000, 5'000'000);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0].seq, 1);
    EXPECT_EQ(s[0].kind, ItemKind::one_off);
    EXPECT_EQ(s[0].due_date, d("2026-06-30"));
    EXPECT_EQ(s[0].amount_fen, 150'000'000);
    EXPECT_EQ(s[0].credited_fen, 5'000'000);
}

TEST(ScheduleFin1, InstalmentsAreSortedByDueDateAndTheDepositCreditSpillsOver) {
    // Given out of order; the deposit (250) is larger than the first instalment (100).
    const auto s = build_schedule(
        instalment_plan({{d("2026-09-01"), 300}, {d("2026-05-01"), 100}, {d("2026-07-01"), 200}}),
        600, 250);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s[0].due_date, d("2026-05-01"));
    EXPECT_EQ(s[0].amount_fen, 100);
    EXPECT_EQ(s[0].credited_fen, 100);
    EXPECT_EQ(s[1].due_date, d("2026-07-01"));
    EXPECT_EQ(s[1].credited_fen, 150);
    EXPECT_EQ(s[2].credited_fen, 0);
    EXPECT_EQ(s[2].seq, 3);
}

TEST(ScheduleFin1, MortgageIsDownPaymentThenLoan) {
    const auto s =
        build_schedule(mortgage_plan(45'000'000, d("2026-05-10"), 105'000'000, d("2026-08-01")),
                       150'000'000, 2'000'000);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].kind, ItemKind::down_payment);
    EXPECT_EQ(s[0].credited_fen, 2'000'000);
    EXPECT_EQ(s[1].kind, ItemKind::loan);
    EXPECT_EQ(s[1].amount_fen, 105'000'000);
    EXPECT_EQ(s[1].credited_fen, 0);
}

TEST(ScheduleFin1, TiesKeepPlanOrderAndCreditNeverExceedsThePrice) {
    const auto s =
        build_schedule(instalment_plan({{d("2026-05-01"), 70}, {d("2026-05-01"), 30}}), 100, 1'000);
    EXPECT_EQ(s[0].amount_fen, 70);
    EXPECT_EQ(s[0].credited_fen, 70);
    EXPECT_EQ(s[1].credited_fen, 30);
    // A negative deposit (net refunds) credits nothing.
    EXPECT_EQ(build_schedule(one_off_plan(d("2026-05-01"), 100), 100, -5)[0].credited_fen, 0);
}

// ---- Receivables after signing (CON-9 fees, CON-10 area settlement) -------------------------

TEST(ScheduleAdjusted, AReceivableIsAnItemOfItsOwnInDueDateOrder) {
    const auto base = build_schedule(
        instalment_plan({{d("2026-05-01"), 400}, {d("2026-09-01"), 600}}), 1'000, 100);
    const auto s = adjusted_schedule(base, {{ItemKind::area_settlement, d("2026-07-01"), 55},
                                            {ItemKind::fee, d("2026-09-01"), 20}});
    ASSERT_EQ(s.size(), 4u);
    EXPECT_EQ(s[1].kind, ItemKind::area_settlement);
    EXPECT_EQ(s[1].amount_fen, 55);
    EXPECT_EQ(s[1].credited_fen, 0);
    EXPECT_EQ(s[2].kind, ItemKind::instalment);  // same day: the plan's item first
    EXPECT_EQ(s[3].kind, ItemKind::fee);
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(s[static_cast<std::size_t>(i)].seq, i + 1);
}

TEST(ScheduleAdjusted, AReductionCutsTheLatestItemsFirstAndDropsEmptiedOnes) {
    const auto base = build_schedule(
        instalment_plan({{d("2026-05-01"), 400}, {d("2026-07-01"), 300}, {d("2026-09-01"), 300}}),
        1'000, 450);
    // 350 off: the last instalment (300) goes, the second loses 50.
    const auto s = adjusted_schedule(base, {{ItemKind::area_settlement, d("2026-06-01"), -350}});
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].amount_fen, 400);
    EXPECT_EQ(s[1].amount_fen, 250);
    EXPECT_EQ(s[1].credited_fen, 50);  // the deposit's credit never exceeds what remains
    EXPECT_EQ(s[1].seq, 2);
    std::int64_t total = 0;
    for (const auto& item : s)
        total += item.amount_fen;
    EXPECT_EQ(total, 650);
}

TEST(ScheduleAdjusted, ReductionsBeyondTheScheduleAreRefused) {
    const auto base = build_schedule(one_off_plan(d("2026-05-01"), 100), 100, 0);
    EXPECT_NO_THROW(adjusted_schedule(base, {{ItemKind::area_settlement, d("2026-05-01"), -100}}));
    try {
        adjusted_schedule(base, {{ItemKind::area_settlement, d("2026-05-01"), -101}});
        FAIL() << "expected reduction_exceeds_schedule";
    } catch (const sales::Failure& e) {
        EXPECT_EQ(e.code(), "reduction_exceeds_schedule");
    }
}

TEST(ScheduleAdjusted, NoAdjustmentsLeaveTheScheduleAsBuilt) {
    const auto base =
        build_schedule(mortgage_plan(300, d("2026-05-10"), 700, d("2026-08-01")), 1'000, 50);
    const auto s = adjusted_schedule(base, {});
    ASSERT_EQ(s.size(), base.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        EXPECT_EQ(s[i].amount_fen, base[i].amount_fen);
        EXPECT_EQ(s[i].credited_fen, base[i].credited_fen);
        EXPECT_EQ(s[i].kind, base[i].kind);
    }
}

TEST(ScheduleFin1, RejectsPlansThatDoNotAddUpOrAreMalformed) {
    auto code = [](auto&& f) {
        try {
            f();
        } catch (const sales::Failure& e) {
            EXPECT_EQ(e.kind(), sales::Failure::Kind::rule);
            return e.code();
        }
        return std::string("none");
    };
    EXPECT_EQ(code([] {
                  build_schedule(instalment_plan({{d("2026-05-01"), 100}, {d("2026-06-01"), 99}}),
                                 200, 0);
              }),
              "invalid_plan");
    EXPECT_EQ(code([] {
                  build_schedule(instalment_plan({{d("2026-05-01"), 100}}), 100, 0);
              }),
              "invalid_plan");  // fewer than 2 instalments
    std::vector<std::pair<Date, std::int64_t>> many(61, {d("2026-05-01"), 1});
    EXPECT_EQ(code([&] { build_schedule(instalment_plan(many), 61, 0); }), "invalid_plan");
    EXPECT_EQ(
        code([] {
            build_schedule(instalment_plan({{d("2026-05-01"), 0}, {d("2026-06-01"), 100}}), 100, 0);
        }),
        "invalid_plan");
    EXPECT_EQ(code([] { build_schedule(one_off_plan(d("2026-05-01"), 0), 0, 0); }), "invalid_plan");
    std::vector<std::pair<Date, std::int64_t>> sixty(60, {d("2026-05-01"), 1});
    EXPECT_EQ(build_schedule(instalment_plan(sixty), 60, 0).size(), 60u);
}

// ---- FIN-5 penalty ------------------------------------------------------------------------

TEST(PenaltyFin5, NothingOnTheDueDateOneDayAfterIsLate) {
    const auto s = build_schedule(one_off_plan(d("2026-05-10"), 1'000'000), 1'000'000, 0);
    // 5 bp/day of 1,000,000 fen = 500 fen per day.
    EXPECT_EQ(compute_balance(s, {}, 5, d("2026-05-10")).penalty_fen, 0);
    EXPECT_EQ(compute_balance(s, {}, 5, d("2026-05-11")).penalty_fen, 500);
    EXPECT_EQ(compute_balance(s, {}, 5, d("2026-05-20")).penalty_fen, 5'000);
    EXPECT_EQ(compute_balance(s, {}, 5, d("2026-05-09")).penalty_fen, 0);
    EXPECT_EQ(compute_balance(s, {}, 0, d("2026-06-20")).penalty_fen, 0);
}

TEST(PenaltyFin5, DailyAmountIsRoundedHalfUpPerDay) {
    // 1,001 fen × 5 / 10000 = 0.5005 → 1 fen a day; 999 × 5 / 10000 = 0.4995 → 0.
    auto one = [](std::int64_t amount, const char* as_of) {
        const auto s = build_schedule(one_off_plan(d("2026-05-10"), amount), amount, 0);
        return compute_balance(s, {}, 5, d(as_of)).penalty_fen;
    };
    EXPECT_EQ(one(1'001, "2026-05-13"), 3);
    EXPECT_EQ(one(999, "2026-05-13"), 0);
    EXPECT_EQ(one(1'000, "2026-05-13"), 3);  // exactly 0.5 rounds up
}

TEST(PenaltyFin5, PaymentOnDayDStopsThatDaysAccrualAndPartialPaymentsReduceIt) {
    const auto s = build_schedule(one_off_plan(d("2026-05-10"), 1'000'000), 1'000'000, 0);
    // Half paid on 05-13: days 11, 12 on 1,000,000 (500/day); from 13 on 500,000 (250/day).
    const std::vector<Movement> half{{d("2026-05-13"), 500'000}};
    EXPECT_EQ(compute_balance(s, half, 5, d("2026-05-15")).penalty_fen, 500 * 2 + 250 * 3);
    // Fully paid on 05-13: accrual stops for good.
    const std::vector<Movement> full{{d("2026-05-13"), 1'000'000}};
    EXPECT_EQ(compute_balance(s, full, 5, d("2026-05-13")).penalty_fen, 1'000);
    EXPECT_EQ(compute_balance(s, full, 5, d("2026-07-01")).penalty_fen, 1'000);
    // Paid on the due date: no penalty.
    const std::vector<Movement> on_time{{d("2026-05-10"), 1'000'000}};
    EXPECT_EQ(compute_balance(s, on_time, 5, d("2026-07-01")).penalty_fen, 0);
}

TEST(PenaltyFin5, EachItemAccruesFromItsOwnDueDateAndPaymentsFillOldestFirst) {
    const auto s = build_schedule(
        instalment_plan({{d("2026-05-01"), 100'000}, {d("2026-05-05"), 200'000}}), 300'000, 0);
    // 10 bp: item 1 → 100/day while unpaid. A payment of 150,000 on 05-03 pays item 1 and
    // 50,000 of item 2 (150,000 outstanding → 150/day).
    const std::vector<Movement> m{{d("2026-05-03"), 150'000}};
    const auto b = compute_balance(s, m, 10, d("2026-05-07"));
    EXPECT_EQ(b.items[0].penalty_fen, 100 * 1);  // day 05-02 only
    EXPECT_EQ(b.items[1].penalty_fen, 150 * 2);  // 05-06, 05-07 on 150,000 outstanding
    EXPECT_EQ(b.penalty_fen, 400);
    EXPECT_EQ(b.overdue_fen, 150'000);
    EXPECT_EQ(b.items[1].overdue_days, 2);
    EXPECT_EQ(b.due_fen, 300'000);
}

TEST(PenaltyFin5, ARefundReopensAndAccrualRestarts) {
    const auto s = build_schedule(one_off_plan(d("2026-05-10"), 1'000'000), 1'000'000, 0);
    const std::vector<Movement> m{{d("2026-05-08"), 1'000'000}, {d("2026-05-20"), -400'000}};
    // From 05-20 on 400,000 outstanding (200/day): 05-20..05-22 = 3 days.
    EXPECT_EQ(compute_balance(s, m, 5, d("2026-05-22")).penalty_fen, 600);
    // Movements after as_of do not count.
    EXPECT_EQ(compute_balance(s, m, 5, d("2026-05-19")).paid_fen, 1'000'000);
}

// ---- FIN-7 clearance with reversals -------------------------------------------------------

TEST(ClearanceFin7, PaidInFullWithPenaltyClearsAndAReversalReopens) {
    const auto s = build_schedule(one_off_plan(d("2026-05-10"), 1'000'000), 1'000'000, 0);
    // Paid on 05-13: late on 05-11 and 05-12 → 2 × 500 penalty.
    std::vector<Movement> m{{d("2026-05-13"), 1'000'000}};
    auto b = compute_balance(s, m, 5, d("2026-05-13"));
    EXPECT_EQ(b.penalty_fen, 1'000);
    EXPECT_FALSE(b.cleared);  // CON-9: penalties too
    EXPECT_EQ(b.balance_fen, 1'000);
    m.push_back({d("2026-05-13"), 1'000});  // the penalty receipt
    b = compute_balance(s, m, 5, d("2026-05-20"));
    EXPECT_TRUE(b.cleared);
    EXPECT_EQ(b.balance_fen, 0);
    EXPECT_EQ(b.paid_fen, 1'001'000);
    // 红冲 of the penalty receipt (effective on the original's day) → open again.
    m.push_back({d("2026-05-13"), -1'000});
    b = compute_balance(s, m, 5, d("2026-05-20"));
    EXPECT_FALSE(b.cleared);
    EXPECT_EQ(b.balance_fen, 1'000);
    EXPECT_EQ(b.paid_fen, 1'000'000);
}

TEST(ClearanceFin7, AReversedPaymentCountsAsNeverMadeForPenalty) {
    const auto s = build_schedule(one_off_plan(d("2026-05-10"), 1'000'000), 1'000'000, 0);
    // A payment on the due date reversed later (effective on the same day) → the item was late
    // from 05-11 on.
    const std::vector<Movement> m{{d("2026-05-10"), 1'000'000}, {d("2026-05-10"), -1'000'000}};
    const auto b = compute_balance(s, m, 5, d("2026-05-15"));
    EXPECT_EQ(b.penalty_fen, 5 * 500);
    EXPECT_EQ(b.paid_fen, 0);
    EXPECT_EQ(b.overdue_fen, 1'000'000);
    EXPECT_FALSE(b.cleared);
}

TEST(ClearanceFin7, DepositCoversPartAndOverpaymentIsACredit) {
    const auto s =
        build_schedule(mortgage_plan(300, d("2026-05-10"), 700, d("2026-06-10")), 1'000, 100);
    std::vector<Movement> m{{d("2026-05-01"), 100}};  // deposit before signing
    auto b = compute_balance(s, m, 5, d("2026-05-10"));
    EXPECT_EQ(b.items[0].paid_fen, 100);
    EXPECT_EQ(b.items[0].outstanding_fen, 200);
    EXPECT_FALSE(b.cleared);
    m.push_back({d("2026-05-10"), 950});
    b = compute_balance(s, m, 5, d("2026-05-10"));
    EXPECT_TRUE(b.cleared);
    EXPECT_EQ(b.balance_fen, -50);
    EXPECT_EQ(b.paid_fen, 1'050);
}

TEST(ClearanceFin7, ChangesAreReportedOnlyOnAStateChange) {
    EXPECT_EQ(clearance_change(false, false), ClearanceChange::none);
    EXPECT_EQ(clearance_change(true, true), ClearanceChange::none);
    EXPECT_EQ(clearance_change(false, true), ClearanceChange::cleared);
    EXPECT_EQ(clearance_change(true, false), ClearanceChange::uncleared);
    EXPECT_FALSE(compute_balance({}, {{d("2026-05-01"), 10}}, 5, d("2026-05-01")).cleared);
}

// ---- FIN-5 aging ---------------------------------------------------------------------------

TEST(AgingFin5, BucketBoundaries) {
    EXPECT_EQ(aging_bucket(1), "d1_7");
    EXPECT_EQ(aging_bucket(7), "d1_7");
    EXPECT_EQ(aging_bucket(8), "d8_14");
    EXPECT_EQ(aging_bucket(14), "d8_14");
    EXPECT_EQ(aging_bucket(15), "d15_30");
    EXPECT_EQ(aging_bucket(30), "d15_30");
    EXPECT_EQ(aging_bucket(31), "d31_60");
    EXPECT_EQ(aging_bucket(60), "d31_60");
    EXPECT_EQ(aging_bucket(61), "over_60");
    EXPECT_EQ(days_between(d("2026-02-27"), d("2026-03-01")), 2);
}

}  // namespace
