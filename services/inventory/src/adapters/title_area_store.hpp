#pragma once
// CON-10 title-area survey batches in PostgreSQL.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/title_area.hpp"
#include "sales/db.hpp"

namespace inventory::adapters {

struct SurveyRef {
    std::string project_id;
    std::string building_id;
    std::string status;
    std::string recorded_by;
};

// The units of `building_id` among the items' unit ids, with their gross and internal areas:
// (unit_id, unit_number, gross_area_centi_m2, internal_area_centi_m2).
sales::db::Result building_units(sales::db::Tx& tx, const std::string& building_id,
                                 const std::vector<std::string>& unit_ids);
void insert_survey(sales::db::Tx& tx, const std::string& id, const std::string& project_id,
                   const std::string& building_id, const std::string& note,
                   const std::string& actor, const std::vector<domain::TitleAreaItem>& items);
// `id` must be a UUID; `for_update` locks the batch.
std::optional<SurveyRef> find_survey(sales::db::Tx& tx, const std::string& id, bool for_update);
void decide_survey(sales::db::Tx& tx, const std::string& id, domain::SurveyStatus status,
                   const std::string& actor, const std::optional<std::string>& note);
// The batch's areas fixed on its units (version + 1 each); returns per unit: unit_id,
// project_id, building_id, unit_number, version, title and sold areas.
sales::db::Result apply_survey(sales::db::Tx& tx, const std::string& id);
nlohmann::json survey_view(sales::db::Tx& tx, const std::string& id);
// A building's batches, newest first, without items.
nlohmann::json building_surveys(sales::db::Tx& tx, const std::string& building_id);

}  // namespace inventory::adapters
