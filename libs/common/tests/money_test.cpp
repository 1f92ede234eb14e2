#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "sales/money.hpp"

namespace {
constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
}  // namespace

TEST(Money, TotalPriceRoundsHalfUp) {
    // 89.27 m² at 15,800.00 yuan/m² = 1,410,466.00 yuan exactly.
    EXPECT_EQ(sales::total_price_fen(8927, 1'580'000), 141'046'600);
    // 0.01 m² at 0.50 fen-rounding boundary: 1 * 50 / 100 = 0.5 fen → 1 fen.
    EXPECT_EQ(sales::total_price_fen(1, 50), 1);
    EXPECT_EQ(sales::total_price_fen(1, 49), 0);
    EXPECT_EQ(sales::total_price_fen(3, 50), 2);  // 1.5 → 2
}

TEST(Money, TotalPriceRejectsNegativeInputs) {
    EXPECT_THROW(sales::total_price_fen(-1, 100), std::invalid_argument);
    EXPECT_THROW(sales::total_price_fen(100, -1), std::invalid_argument);
}

TEST(Money, DivRoundHalfUpIsSymmetricForNegatives) {
    EXPECT_EQ(sales::div_round_half_up(5, 2), 3);
    EXPECT_EQ(sales::div_round_half_up(-5, 2), -3);
    EXPECT_EQ(sales::div_round_half_up(4, 3), 1);
    EXPECT_EQ(sales::div_round_half_up(-4, 3), -1);
    EXPECT_EQ(sales::div_round_half_up(0, 7), 0);
    EXPECT_THROW(sales::div_round_half_up(1, 0), std::invalid_argument);
    EXPECT_THROW(sales::div_round_half_up(1, -2), std::invalid_argument);
}

TEST(Money, MulDivUsesWideIntermediate) {
    // 20% of a price near the int64 limit does not overflow in the intermediate product.
    const std::int64_t big = kMax / 10;
    EXPECT_EQ(sales::mul_div_round_half_up(big, 20, 100), sales::div_round_half_up(big, 5));
    // 3% band of 1,000,000.00 yuan.
    EXPECT_EQ(sales::mul_div_round_half_up(100'000'000, 3, 100), 3'000'000);
    EXPECT_THROW(sales::mul_div_round_half_up(kMax, 2, 1), std::overflow_error);
}

TEST(Money, CheckedArithmeticDetectsOverflow) {
    EXPECT_EQ(sales::checked_add(1, 2), 3);
    EXPECT_THROW(sales::checked_add(kMax, 1), std::overflow_error);
    EXPECT_THROW(sales::checked_sub(kMin, 1), std::overflow_error);
    EXPECT_THROW(sales::checked_mul(kMax / 2 + 1, 2), std::overflow_error);
    EXPECT_EQ(sales::checked_mul(-3, 4), -12);
    EXPECT_THROW(sales::total_price_fen(kMax, kMax), std::overflow_error);
}

TEST(Money, FormatYuan) {
    EXPECT_EQ(sales::format_yuan(158'000'000), "1580000.00");
    EXPECT_EQ(sales::format_yuan(5), "0.05");
    EXPECT_EQ(sales::format_yuan(-105), "-1.05");
    EXPECT_EQ(sales::format_yuan(kMin), "-92233720368547758.08");
}
