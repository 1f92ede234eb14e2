#include "domain/title_area.hpp"

#include <set>

namespace inventory::domain {

std::vector<FieldProblem> check_title_areas(const std::vector<TitleAreaItem>& items) {
    std::vector<FieldProblem> problems;
    if (items.empty() || items.size() > kMaxTitleAreaItems) {
        problems.push_back({"items", "must list 1 to " + std::to_string(kMaxTitleAreaItems) +
                                         " units of the building"});
        return problems;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& item = items[i];
        const auto at = "items[" + std::to_string(i) + "]";
        if (!seen.insert(item.unit_id).second)
            problems.push_back({at + ".unit_id", "names a unit listed before"});
        if (item.gross_area_centi_m2 <= 0)
            problems.push_back({at + ".gross_area_centi_m2", "must be positive"});
        if (item.internal_area_centi_m2 <= 0)
            problems.push_back({at + ".internal_area_centi_m2", "must be positive"});
        if (item.internal_area_centi_m2 > item.gross_area_centi_m2)
            problems.push_back(
                {at + ".internal_area_centi_m2", "must not be above the gross area"});
    }
    return problems;
}

std::optional<FieldProblem> implausible_title_area(const std::string& field,
                                                   std::int64_t title_area_centi_m2,
                                                   std::int64_t sold_area_centi_m2) {
    const auto difference = title_area_centi_m2 - sold_area_centi_m2;
    const auto magnitude = difference < 0 ? -difference : difference;
    if (magnitude <= sold_area_centi_m2 / 2)  // 2 × |Δ| ≤ sold, without overflowing
        return std::nullopt;
    return FieldProblem{field, "differs from the unit's area (" +
                                   std::to_string(sold_area_centi_m2) +
                                   " centi-m²) by more than half: check the survey figure"};
}

void check_survey_decision(SurveyStatus status, const std::string& recorded_by,
                           const std::string& decider) {
    if (status != SurveyStatus::draft) {
        sales::fail_conflict("invalid_transition",
                             "the survey batch was " + std::string(to_string(status)) + " already",
                             {{"status", to_string(status)}});
    }
    if (recorded_by == decider) {
        sales::fail_rule("same_person",
                         "you recorded this survey batch; another person checks it (CON-10)",
                         {{"recorded_by", recorded_by}});
    }
}

}  // namespace inventory::domain
