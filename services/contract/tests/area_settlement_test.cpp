// REG-1 / CON-10: the area settlement in exact fen, table-driven. Expected amounts were worked
// out independently with exact fractions (price × Δ ÷ A, rounded half up once per amount).
#include <algorithm>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "domain/area_settlement.hpp"
#include "sales/failure.hpp"

using contract::domain::next_settlement_status;
using contract::domain::refund_interest_fen;
using contract::domain::settle_area;
using contract::domain::settlement_replaceable;
using contract::domain::SettlementAction;
using contract::domain::SettlementStatus;
using contract::domain::to_string;

namespace {

struct Case {
    const char* what;
    std::int64_t price, contract_area, title_area;
    std::int64_t ratio_ppm;
    bool beyond;
    std::int64_t difference, within, beyond_part, pays, bears, refunds, settled;
};

// Most rows: 100 m² for ¥1,500,000 (¥15,000/m²).
const std::vector<Case> kCases = {
    {"no difference", 150'000'000, 10'000, 10'000, 0, false, 0, 0, 0, 0, 0, 0, 150'000'000},
    {"larger, exactly +3% (not beyond)", 150'000'000, 10'000, 10'300, 30'000, false, 4'500'000,
     4'500'000, 0, 4'500'000, 0, 0, 154'500'000},
    {"larger, just over +3%", 150'000'000, 10'000, 10'301, 30'100, true, 4'515'000, 4'500'000,
     15'000, 4'500'000, 15'000, 0, 154'500'000},
    {"smaller, exactly -3% (not beyond)", 150'000'000, 10'000, 9'700, -30'000, false, 4'500'000,
     4'500'000, 0, 0, 0, 4'500'000, 145'500'000},
    {"smaller, just over -3%: double beyond", 150'000'000, 10'000, 9'699, -30'100, true, 4'515'000,
     4'500'000, 15'000, 0, 0, 4'530'000, 145'470'000},
    {"larger by 10%", 150'000'000, 10'000, 11'000, 100'000, true, 15'000'000, 4'500'000, 10'500'000,
     4'500'000, 10'500'000, 0, 154'500'000},
    {"smaller by 10%", 150'000'000, 10'000, 9'000, -100'000, true, 15'000'000, 4'500'000,
     10'500'000, 0, 0, 25'500'000, 124'500'000},
    {"odd area and price, within", 123'456'789, 8'955, 8'990, 3'908, false, 482'522, 482'522, 0,
     482'522, 0, 0, 123'939'311},
    {"odd area and price, larger beyond", 123'456'789, 8'955, 9'300, 38'525, true, 4'756'292,
     3'703'704, 1'052'588, 3'703'704, 1'052'588, 0, 127'160'493},
    {"odd area and price, smaller beyond", 123'456'789, 8'955, 8'600, -39'642, true, 4'894'155,
     3'703'704, 1'190'451, 0, 0, 6'084'606, 117'372'183},
    {"half a fen rounds up (larger)", 150'000'050, 10'000, 10'100, 10'000, false, 1'500'001,
     1'500'001, 0, 1'500'001, 0, 0, 151'500'051},
    {"half a fen rounds up (smaller)", 150'000'050, 10'000, 9'900, -10'000, false, 1'500'001,
     1'500'001, 0, 0, 0, 1'500'001, 148'500'049},
    {"3% of an odd area is not whole: just over", 99'999'999, 7'777, 8'011, 30'088, true, 3'008'872,
     3'000'000, 8'872, 3'000'000, 8'872, 0, 102'999'999},
    {"3% of an odd area is not whole: just under", 99'999'999, 7'777, 8'010, 29'960, false,
     2'996'014, 2'996'014, 0, 2'996'014, 0, 0, 102'996'013},
};

TEST(AreaSettlement, Reg1TableBothDirectionsBoundariesAndRounding) {
    for (const auto& c : kCases) {
        SCOPED_TRACE(c.what);
        const auto s = settle_area(c.price, c.contract_area, c.title_area);
        EXPECT_EQ(s.difference_centi_m2, c.title_area - c.contract_area);
        EXPECT_EQ(s.ratio_ppm, c.ratio_ppm);
        EXPECT_EQ(s.beyond_three_percent, c.beyond);
        EXPECT_EQ(s.difference_price_fen, c.difference);
        EXPECT_EQ(s.within_price_fen, c.within);
        EXPECT_EQ(s.beyond_price_fen, c.beyond_part);
        EXPECT_EQ(s.buyer_pays_fen, c.pays);
        EXPECT_EQ(s.developer_bears_fen, c.bears);
        EXPECT_EQ(s.developer_refunds_fen, c.refunds);
        EXPECT_EQ(s.settled_price_fen, c.settled);
    }
}

// The sums hold for any input: the parts add up to the whole difference, the buyer never pays
// for the part beyond 3%, and within 3% nothing is beyond.
TEST(AreaSettlement, PartsAlwaysAddUpExactly) {
    std::mt19937_64 random(20261202);
    std::uniform_int_distribution<std::int64_t> prices(1, 5'000'000'000);  // up to ¥50 million
    std::uniform_int_distribution<std::int64_t> areas(1'000, 100'000);     // 10–1,000 m²
    std::uniform_int_distribution<std::int64_t> percent_changes(-2'000, 2'000);  // ±20.00%
    for (int i = 0; i < 20'000; ++i) {
        const auto price = prices(random);
        const auto area = areas(random);
        const auto title =
            std::max<std::int64_t>(1, area + area * percent_changes(random) / 10'000);
        const auto s = settle_area(price, area, title);
        ASSERT_EQ(s.within_price_fen + s.beyond_price_fen, s.difference_price_fen);
        ASSERT_GE(s.beyond_price_fen, 0);
        ASSERT_LE(s.within_price_fen, s.difference_price_fen);
        if (!s.beyond_three_percent) {
            ASSERT_EQ(s.beyond_price_fen, 0) << price << " " << area << " " << title;
        }
        if (title > area) {
            ASSERT_EQ(s.buyer_pays_fen + s.developer_bears_fen, s.difference_price_fen);
            ASSERT_EQ(s.developer_refunds_fen, 0);
        } else {
            ASSERT_EQ(s.buyer_pays_fen + s.developer_bears_fen, 0);
            ASSERT_EQ(s.developer_refunds_fen, s.difference_price_fen + s.beyond_price_fen);
        }
        ASSERT_EQ(s.settled_price_fen, price + s.buyer_pays_fen - s.developer_refunds_fen);
    }
}

TEST(AreaSettlement, LargestRealisticAmountsDoNotOverflow) {
    // ¥1 billion for 100,000 m², surveyed 20% larger.
    const auto s = settle_area(100'000'000'000, 10'000'000, 12'000'000);
    EXPECT_EQ(s.difference_price_fen, 20'000'000'000);
    EXPECT_EQ(s.buyer_pays_fen, 3'000'000'000);
    EXPECT_EQ(s.developer_bears_fen, 17'000'000'000);
}

TEST(AreaSettlement, RefusesNonPositiveInputs) {
    EXPECT_THROW(settle_area(0, 10'000, 10'000), std::invalid_argument);
    EXPECT_THROW(settle_area(1, 0, 10'000), std::invalid_argument);
    EXPECT_THROW(settle_area(1, 10'000, 0), std::invalid_argument);
    EXPECT_THROW(settle_area(-5, 10'000, 10'000), std::invalid_argument);
}

TEST(AreaSettlement, RefundInterestIsSimpleDailyInterestRoundedToTheFen) {
    EXPECT_EQ(refund_interest_fen(1'000'000, 435, 30), 3'575);  // 3,575.34
    EXPECT_EQ(refund_interest_fen(1'000'000, 435, 0), 0);
    EXPECT_EQ(refund_interest_fen(0, 435, 30), 0);
    EXPECT_EQ(refund_interest_fen(36'500, 10'000, 1), 100);  // 100% a year for one day
    EXPECT_THROW(refund_interest_fen(-1, 435, 30), std::invalid_argument);
    EXPECT_THROW(refund_interest_fen(1, -1, 30), std::invalid_argument);
}

}  // namespace

// ---- CON-10 steps after the computation -----------------------------------------------------

TEST(AreaSettlementSteps, TheBuyerChoosesOnlyBeyondThreePercentThenAgreesSettlesInvoices) {
    using S = SettlementStatus;
    using A = SettlementAction;
    EXPECT_EQ(next_settlement_status(S::awaiting_buyer_choice, A::keep), S::to_settle);
    EXPECT_EQ(next_settlement_status(S::awaiting_buyer_choice, A::cancel), S::buyer_cancelled);
    EXPECT_EQ(next_settlement_status(S::buyer_cancelled, A::keep), S::to_settle);
    EXPECT_EQ(next_settlement_status(S::to_settle, A::agree), S::agreed);
    EXPECT_EQ(next_settlement_status(S::agreed, A::settle), S::settled);
    EXPECT_EQ(next_settlement_status(S::settled, A::invoice), S::invoiced);
    const std::vector<std::pair<S, A>> refused = {
        {S::to_settle, A::keep},      {S::to_settle, A::cancel},
        {S::no_difference, A::agree}, {S::awaiting_buyer_choice, A::agree},
        {S::agreed, A::invoice},      {S::to_settle, A::settle},
        {S::invoiced, A::invoice},    {S::superseded, A::agree},
        {S::agreed, A::supersede},    {S::buyer_cancelled, A::agree}};
    for (const auto& [from, action] : refused) {
        try {
            next_settlement_status(from, action);
            ADD_FAILURE() << to_string(action) << " from " << to_string(from) << " was allowed";
        } catch (const sales::Failure& e) {
            EXPECT_EQ(e.code(), "invalid_transition");
        }
    }
}

TEST(AreaSettlementSteps, OnlyASettlementThatBindsNobodyIsReplacedByALaterSurvey) {
    using S = SettlementStatus;
    for (const auto s : {S::no_difference, S::to_settle, S::awaiting_buyer_choice})
        EXPECT_TRUE(settlement_replaceable(s)) << to_string(s);
    for (const auto s : {S::buyer_cancelled, S::agreed, S::settled, S::invoiced, S::superseded})
        EXPECT_FALSE(settlement_replaceable(s)) << to_string(s);
}
