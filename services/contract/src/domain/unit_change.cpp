// CON-5 unit change after signing 换房: the new unit's price terms (INV-1/INV-3) with the
// contract's discount re-checked (CON-3), as the amendment stores and sends them.
#include "domain/contract.hpp"

namespace contract::domain {

void check_amended_discount(const ContractTerms& current, const ContractTerms& next,
                            bool unit_changed, bool discount_contract,
                            std::int64_t max_standard_discount_bp) {
    if (!discount_needs_slip(next.discount_fen, next.list_total_fen, max_standard_discount_bp))
        return;
    const bool discount_changed = next.discount_fen != current.discount_fen;
    if (!discount_changed && !(unit_changed && !discount_contract))
        return;  // the discount a signing-time slip approved, on a unit it was approved for
    sales::fail_rule("discount_slip_required",
                     unit_changed && !discount_changed
                         ? "the contract's discount is beyond the standard rules on the new "
                           "unit's list total: a discount slip is required (CON-3)"
                         : "a discount beyond the standard rules is not amended without a "
                           "signing-time discount slip (CON-3)",
                     {{"discount_fen", next.discount_fen},
                      {"list_total_fen", next.list_total_fen},
                      {"max_standard_discount_bp", max_standard_discount_bp}});
}

std::optional<std::int64_t> unit_price_fen_per_m2(std::int64_t price_fen, const DealAreas& areas,
                                                  PricingBasis basis) {
    const auto area =
        basis == PricingBasis::gross ? areas.gross_area_centi_m2 : areas.internal_area_centi_m2;
    if (area <= 0 || price_fen < 0)
        return std::nullopt;
    // round_half_up(price × 100 ÷ area): (2 × price × 100 + area) ÷ (2 × area), in integers.
    return (price_fen * 200 + area) / (2 * area);
}

nlohmann::json terms_json(const ContractTerms& terms, const std::optional<NewUnit>& unit,
                          PricingBasis basis) {
    nlohmann::json out = {
        {"customer_id", terms.customer_id},           {"list_total_fen", terms.list_total_fen},
        {"discount_fen", terms.discount_fen},         {"price_fen", terms.price_fen},
        {"payment_plan", to_string(terms.plan.kind)}, {"plan", to_json(terms.plan)}};
    if (!unit)
        return out;
    const auto unit_price = unit_price_fen_per_m2(terms.price_fen, unit->areas, basis);
    out["unit"] = {{"unit_id", unit->unit_id},
                   {"building_id", unit->building_id},
                   {"unit_number", unit->unit_number},
                   {"gross_area_centi_m2", area_or_null(unit->areas.gross_area_centi_m2)},
                   {"internal_area_centi_m2", area_or_null(unit->areas.internal_area_centi_m2)}};
    out["pricing_basis"] = to_string(basis);
    out["contract_gross_area_centi_m2"] = area_or_null(unit->areas.gross_area_centi_m2);
    out["contract_internal_area_centi_m2"] = area_or_null(unit->areas.internal_area_centi_m2);
    out["unit_price_fen_per_m2"] = unit_price ? nlohmann::json(*unit_price) : nlohmann::json();
    return out;
}

std::optional<NewUnit> unit_of_terms(const nlohmann::json& terms) {
    const auto it = terms.find("unit");
    if (it == terms.end() || !it->is_object())
        return std::nullopt;
    const auto area = [&](const char* name) {
        const auto a = it->find(name);
        return a != it->end() && a->is_number_integer() ? a->get<std::int64_t>() : 0;
    };
    NewUnit unit;
    unit.unit_id = it->value("unit_id", "");
    unit.building_id = it->value("building_id", "");
    unit.unit_number = it->value("unit_number", "");
    unit.list_total_fen = terms.value("list_total_fen", std::int64_t{0});
    unit.areas = {area("gross_area_centi_m2"), area("internal_area_centi_m2")};
    return unit;
}

}  // namespace contract::domain
