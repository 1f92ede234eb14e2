#include "domain/pricing.hpp"

#include <set>

#include "domain/unit.hpp"

namespace inventory::domain {
namespace {
sales::Failure invalid_transition(const std::string& message) {
    return sales::Failure(sales::Failure::Kind::conflict, "invalid_transition", message);
}
}  // namespace

std::optional<sales::Failure> check_master_data_editable(bool locked) {
    if (!locked)
        return std::nullopt;
    return sales::Failure(
        sales::Failure::Kind::conflict, "master_data_locked",
        "INV-2: the project's price list is approved, unit master data and prices are "
        "read-only; submit a change request instead");
}

std::optional<sales::Failure> check_price_list_approval(PriceListStatus status, bool locked) {
    if (status != PriceListStatus::draft) {
        return invalid_transition("INV-2: only a draft price list can be approved; this one is " +
                                  std::string(to_string(status)));
    }
    return check_master_data_editable(locked);
}

std::vector<FieldProblem> validate(const std::vector<PriceListItem>& items) {
    std::vector<FieldProblem> problems;
    if (items.empty() || items.size() > kMaxPriceListItems) {
        problems.push_back(
            {"items", "must list 1–" + std::to_string(kMaxPriceListItems) + " units"});
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string prefix = "items[" + std::to_string(i) + "].";
        if (!seen.insert(items[i].unit_id).second)
            problems.push_back({prefix + "unit_id", "lists the same unit twice"});
        const auto price = items[i].unit_price_fen_per_m2;
        if (price <= 0 || price > kMaxUnitPriceFenPerM2) {
            problems.push_back({prefix + "unit_price_fen_per_m2",
                                "must be between 1 and " + std::to_string(kMaxUnitPriceFenPerM2)});
        }
    }
    return problems;
}

ChangeRequestTransition decide(ChangeRequestStatus from, ChangeDecision decision) {
    if (from != ChangeRequestStatus::pending) {
        return {std::nullopt, invalid_transition("INV-2: the change request is already " +
                                                 std::string(to_string(from)))};
    }
    return {decision == ChangeDecision::approve ? ChangeRequestStatus::approved
                                                : ChangeRequestStatus::rejected,
            std::nullopt};
}

}  // namespace inventory::domain
