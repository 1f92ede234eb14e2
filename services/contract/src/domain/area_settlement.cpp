#include "domain/area_settlement.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "domain/transitions.hpp"

namespace contract::domain {
namespace {
using Wide = __int128;

// round(numerator ÷ denominator) half away from zero, for numerator ≥ 0 and denominator > 0.
std::int64_t round_half_up(Wide numerator, Wide denominator) {
    const Wide rounded = (2 * numerator + denominator) / (2 * denominator);
    if (rounded > std::numeric_limits<std::int64_t>::max())
        throw std::invalid_argument("area settlement: amount out of range");
    return static_cast<std::int64_t>(rounded);
}
}  // namespace

std::optional<PricingBasis> parse_pricing_basis(const std::string& text) {
    if (text == "gross")
        return PricingBasis::gross;
    if (text == "internal")
        return PricingBasis::internal;
    return std::nullopt;
}

nlohmann::json area_or_null(std::int64_t area_centi_m2) {
    return area_centi_m2 > 0 ? nlohmann::json(area_centi_m2) : nlohmann::json(nullptr);
}

std::string to_string(PricingBasis basis) {
    return basis == PricingBasis::gross ? "gross" : "internal";
}

AreaSettlement settle_area(std::int64_t contract_price_fen, std::int64_t contract_area_centi_m2,
                           std::int64_t title_area_centi_m2) {
    if (contract_price_fen <= 0 || contract_area_centi_m2 <= 0 || title_area_centi_m2 <= 0)
        throw std::invalid_argument("area settlement needs a positive price and positive areas");
    AreaSettlement s;
    s.contract_area_centi_m2 = contract_area_centi_m2;
    s.title_area_centi_m2 = title_area_centi_m2;
    s.difference_centi_m2 = title_area_centi_m2 - contract_area_centi_m2;
    const Wide area = contract_area_centi_m2;
    const Wide price = contract_price_fen;
    const Wide magnitude =
        s.difference_centi_m2 < 0 ? -Wide(s.difference_centi_m2) : Wide(s.difference_centi_m2);
    s.ratio_ppm = static_cast<std::int64_t>(Wide(s.difference_centi_m2) * 1'000'000 / area);
    // |Δ| ÷ A > 3 ÷ 100, exactly.
    s.beyond_three_percent = magnitude * 100 > area * 3;
    s.difference_price_fen = round_half_up(price * magnitude, area);
    // min(|Δ|, 3% × A) ÷ A = min(100 × |Δ|, 3 × A) ÷ (100 × A)
    s.within_price_fen = round_half_up(price * std::min(magnitude * 100, area * 3), area * 100);
    s.beyond_price_fen = s.difference_price_fen - s.within_price_fen;
    if (s.difference_centi_m2 > 0) {
        s.buyer_pays_fen = s.within_price_fen;
        s.developer_bears_fen = s.beyond_price_fen;
    } else if (s.difference_centi_m2 < 0) {
        s.developer_refunds_fen = s.within_price_fen + 2 * s.beyond_price_fen;
    }
    s.settled_price_fen = contract_price_fen + s.buyer_pays_fen - s.developer_refunds_fen;
    return s;
}

nlohmann::json to_json(const AreaSettlement& s) {
    return {{"contract_area_centi_m2", s.contract_area_centi_m2},
            {"title_area_centi_m2", s.title_area_centi_m2},
            {"difference_centi_m2", s.difference_centi_m2},
            {"ratio_ppm", s.ratio_ppm},
            {"beyond_three_percent", s.beyond_three_percent},
            {"buyer_may_cancel", s.beyond_three_percent},
            {"difference_price_fen", s.difference_price_fen},
            {"within_price_fen", s.within_price_fen},
            {"beyond_price_fen", s.beyond_price_fen},
            {"buyer_pays_fen", s.buyer_pays_fen},
            {"developer_bears_fen", s.developer_bears_fen},
            {"developer_refunds_fen", s.developer_refunds_fen},
            {"settled_price_fen", s.settled_price_fen}};
}

std::string initial_settlement_status(const AreaSettlement& applied) {
    if (applied.beyond_three_percent)
        return "awaiting_buyer_choice";
    return applied.difference_centi_m2 == 0 ? "no_difference" : "to_settle";
}

std::int64_t refund_interest_fen(std::int64_t paid_fen, std::int64_t annual_rate_basis_points,
                                 std::int64_t days) {
    if (paid_fen < 0 || annual_rate_basis_points < 0 || days < 0)
        throw std::invalid_argument("refund interest needs non-negative amount, rate and days");
    return round_half_up(Wide(paid_fen) * annual_rate_basis_points * days, Wide(10'000) * 365);
}

}  // namespace contract::domain

namespace contract::domain {
namespace {
using S = SettlementStatus;
using A = SettlementAction;
constexpr std::array<Transition<S, A>, 9> kSettlementEdges{{
    {S::awaiting_buyer_choice, A::keep, S::to_settle},
    {S::awaiting_buyer_choice, A::cancel, S::buyer_cancelled},
    {S::to_settle, A::agree, S::agreed},
    {S::agreed, A::settle, S::settled},
    {S::settled, A::invoice, S::invoiced},
    {S::no_difference, A::supersede, S::superseded},
    {S::to_settle, A::supersede, S::superseded},
    {S::awaiting_buyer_choice, A::supersede, S::superseded},
    // A cancellation the buyer chose but the finance director rejected: the buyer keeps.
    {S::buyer_cancelled, A::keep, S::to_settle},
}};
}  // namespace

SettlementStatus next_settlement_status(SettlementStatus from, SettlementAction action) {
    return next_state(kSettlementEdges, from, action, "an area settlement");
}

bool settlement_replaceable(SettlementStatus status) {
    return status == S::no_difference || status == S::to_settle ||
           status == S::awaiting_buyer_choice;
}

}  // namespace contract::domain
