#pragma once
// CON-10 title areas 产权面积 (实测面积): the areas the survey office certifies per unit after
// completion. Recorded per building by the handover clerk in a survey batch, checked by the sales
// manager (four eyes), then fixed on the units; contract settles every signed deal on them by
// REG-1. Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/problems.hpp"
#include "sales/enum_names.hpp"

namespace inventory::domain {

inline constexpr std::size_t kMaxTitleAreaItems = 2'000;  // one building per survey batch

struct TitleAreaItem {
    std::string unit_id;
    std::int64_t gross_area_centi_m2 = 0;
    std::int64_t internal_area_centi_m2 = 0;
};

// Items: 1..kMaxTitleAreaItems, each unit once, both areas positive and the internal area not
// above the gross area.
std::vector<FieldProblem> check_title_areas(const std::vector<TitleAreaItem>& items);

// A surveyed area more than half away from the area sold is a typing error, not a survey: the
// settlement it would produce is absurd (REG-1 refunds double beyond 3%). `field` names it.
std::optional<FieldProblem> implausible_title_area(const std::string& field,
                                                   std::int64_t title_area_centi_m2,
                                                   std::int64_t sold_area_centi_m2);

SALES_ENUM(SurveyStatus, draft, approved, rejected);
inline constexpr auto parse_survey_status = &sales::parse_enum<SurveyStatus>;
SALES_ENUM(SurveyDecision, approve, reject);

// A survey batch is decided once, by someone other than its recorder (four eyes).
// Failure conflict "invalid_transition" (decided already), rule "same_person".
void check_survey_decision(SurveyStatus status, const std::string& recorded_by,
                           const std::string& decider);

}  // namespace inventory::domain
