#pragma once
// Money and area as integers (DOMAIN.md: CNY in fen, area in 0.01 m²). No floating point.
// Every arithmetic helper checks for int64 overflow and throws std::overflow_error.
#include <cstdint>
#include <string>

namespace sales {

// a + b, a * b with overflow detection.
std::int64_t checked_add(std::int64_t a, std::int64_t b);
std::int64_t checked_sub(std::int64_t a, std::int64_t b);
std::int64_t checked_mul(std::int64_t a, std::int64_t b);

// numerator / denominator rounded half away from zero (the accounting "四舍五入").
// denominator must be > 0.
std::int64_t div_round_half_up(std::int64_t numerator, std::int64_t denominator);

// DOMAIN.md: total = round_half_up(area_centi_m2 * unit_price_fen_per_m2 / 100).
std::int64_t total_price_fen(std::int64_t area_centi_m2, std::int64_t unit_price_fen_per_m2);

// amount * numerator / denominator, rounded half up, with 128-bit intermediate
// (ratios such as a 20% deposit cap or a 3% area band: percent_of(x, 20, 100)).
std::int64_t mul_div_round_half_up(std::int64_t amount, std::int64_t numerator,
                                   std::int64_t denominator);

// "1580000.00" style rendering of fen for humans (never parsed back).
std::string format_yuan(std::int64_t fen);

}  // namespace sales
