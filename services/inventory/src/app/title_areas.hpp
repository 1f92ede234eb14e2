#pragma once
// CON-10 title areas 产权面积: survey batches per building. The handover clerk records a batch
// (draft); the sales manager checks it (four eyes) and approves it, which fixes the areas on the
// units and emits one kTitleAreaRecorded per unit (contract settles its deals on them by REG-1),
// or rejects it, which changes nothing.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/title_area.hpp"
#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace inventory::app {

inline constexpr const char* kTitleAreaRecorded = "inventory.unit.title_area_recorded";

// 400 validation_failed (items, areas, a unit not of the building, a figure more than half away
// from the unit's area), 404 building_not_found.
nlohmann::json record_title_areas(sales::db::Pool& db, const std::string& building_id,
                                  const sales::Principal& caller, const std::string& note,
                                  const std::vector<domain::TitleAreaItem>& items);
nlohmann::json get_title_area_survey(sales::db::Pool& db, const std::string& survey_id,
                                     const sales::Principal& caller);
nlohmann::json list_title_area_surveys(sales::db::Pool& db, const std::string& building_id,
                                       const sales::Principal& caller);
// 409 invalid_transition (decided already), 422 same_person (the recorder), 404.
nlohmann::json decide_title_area_survey(sales::db::Pool& db, const std::string& survey_id,
                                        const sales::Principal& caller,
                                        domain::SurveyDecision decision,
                                        const std::optional<std::string>& note);

}  // namespace inventory::app
