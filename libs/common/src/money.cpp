#include "sales/money.hpp"

#include <limits>
#include <stdexcept>

namespace sales {
namespace {
[[noreturn]] void overflow(const char* what) {
    throw std::overflow_error(std::string("money arithmetic overflow in ") + what);
}
}  // namespace

std::int64_t checked_add(std::int64_t a, std::int64_t b) {
    std::int64_t out;
    if (__builtin_add_overflow(a, b, &out))
        overflow("add");
    return out;
}

std::int64_t checked_sub(std::int64_t a, std::int64_t b) {
    std::int64_t out;
    if (__builtin_sub_overflow(a, b, &out))
        overflow("subtract");
    return out;
}

std::int64_t checked_mul(std::int64_t a, std::int64_t b) {
    std::int64_t out;
    if (__builtin_mul_overflow(a, b, &out))
        overflow("multiply");
    return out;
}

namespace {
std::int64_t round_half_up_128(__int128 numerator, __int128 denominator) {
    if (denominator <= 0)
        throw std::invalid_argument("denominator must be positive");
    const bool negative = numerator < 0;
    const __int128 magnitude = negative ? -numerator : numerator;
    __int128 q = magnitude / denominator;
    const __int128 r = magnitude % denominator;
    if (r * 2 >= denominator)
        ++q;
    const __int128 result = negative ? -q : q;
    if (result > std::numeric_limits<std::int64_t>::max() ||
        result < std::numeric_limits<std::int64_t>::min()) {
        overflow("rounding");
    }
    return static_cast<std::int64_t>(result);
}
}  // namespace

std::int64_t div_round_half_up(std::int64_t numerator, std::int64_t denominator) {
    return round_half_up_128(numerator, denominator);
}

std::int64_t mul_div_round_half_up(std::int64_t amount, std::int64_t numerator,
                                   std::int64_t denominator) {
    return round_half_up_128(static_cast<__int128>(amount) * numerator, denominator);
}

std::int64_t total_price_fen(std::int64_t area_centi_m2, std::int64_t unit_price_fen_per_m2) {
    if (area_centi_m2 < 0 || unit_price_fen_per_m2 < 0) {
        throw std::invalid_argument("area and unit price must not be negative");
    }
    return mul_div_round_half_up(area_centi_m2, unit_price_fen_per_m2, 100);
}

std::string format_yuan(std::int64_t fen) {
    const bool negative = fen < 0;
    // Work in unsigned to handle INT64_MIN.
    std::uint64_t magnitude =
        negative ? (~static_cast<std::uint64_t>(fen) + 1) : static_cast<std::uint64_t>(fen);
    std::string cents = std::to_string(magnitude % 100);
    if (cents.size() < 2)
        cents.insert(0, "0");
    return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + cents;
}

}  // namespace sales
