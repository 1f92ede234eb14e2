#include "app/title_areas.hpp"

#include <map>

#include "adapters/title_area_store.hpp"
#include "app/units.hpp"
#include "sales/bus.hpp"
#include "sales/ids.hpp"

namespace inventory::app {
namespace {
using sales::db::Tx;

adapters::SurveyRef load_survey(Tx& tx, const std::string& survey_id,
                                const sales::Principal& caller, bool for_update) {
    auto survey =
        sales::is_uuid(survey_id) ? adapters::find_survey(tx, survey_id, for_update) : std::nullopt;
    if (!survey || !caller.in_project(survey->project_id))
        sales::fail_not_found("title_area_survey", survey_id);
    return *survey;
}

// Every item names a unit of the building, and no figure is a typing error.
void check_against_units(Tx& tx, const std::string& building_id,
                         const std::vector<domain::TitleAreaItem>& items) {
    std::vector<std::string> ids;
    for (const auto& item : items)
        ids.push_back(item.unit_id);
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> sold;  // gross, internal
    for (const auto& r : adapters::building_units(tx, building_id, ids))
        sold[r.text("unit_id")] = {r.int64("gross_area_centi_m2"),
                                   r.int64("internal_area_centi_m2")};
    std::vector<domain::FieldProblem> problems;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto at = "items[" + std::to_string(i) + "]";
        const auto it = sold.find(items[i].unit_id);
        if (it == sold.end()) {
            problems.push_back({at + ".unit_id", "is not a unit of this building"});
            continue;
        }
        for (const auto& problem :
             {domain::implausible_title_area(at + ".gross_area_centi_m2",
                                             items[i].gross_area_centi_m2, it->second.first),
              domain::implausible_title_area(at + ".internal_area_centi_m2",
                                             items[i].internal_area_centi_m2, it->second.second)})
            if (problem)
                problems.push_back(*problem);
    }
    if (!problems.empty())
        domain::fail_invalid(problems);
}
}  // namespace

nlohmann::json record_title_areas(sales::db::Pool& db, const std::string& building_id,
                                  const sales::Principal& caller, const std::string& note,
                                  const std::vector<domain::TitleAreaItem>& items) {
    if (auto problems = domain::check_title_areas(items); !problems.empty())
        domain::fail_invalid(problems);
    return db.transaction([&](Tx& tx) {
        const auto building = load_building(tx, building_id, caller);
        check_against_units(tx, building_id, items);
        const auto id = sales::new_uuid();
        adapters::insert_survey(tx, id, building.project_id, building_id, note, caller.user_id,
                                items);
        return adapters::survey_view(tx, id);
    });
}

nlohmann::json get_title_area_survey(sales::db::Pool& db, const std::string& survey_id,
                                     const sales::Principal& caller) {
    return db.transaction([&](Tx& tx) {
        load_survey(tx, survey_id, caller, false);
        return adapters::survey_view(tx, survey_id);
    });
}

nlohmann::json list_title_area_surveys(sales::db::Pool& db, const std::string& building_id,
                                       const sales::Principal& caller) {
    return db.transaction([&](Tx& tx) {
        load_building(tx, building_id, caller);
        return adapters::building_surveys(tx, building_id);
    });
}

nlohmann::json decide_title_area_survey(sales::db::Pool& db, const std::string& survey_id,
                                        const sales::Principal& caller,
                                        domain::SurveyDecision decision,
                                        const std::optional<std::string>& note) {
    return db.transaction([&](Tx& tx) {
        const auto survey = load_survey(tx, survey_id, caller, true);
        const auto status = domain::parse_survey_status(survey.status);
        if (!status)
            throw std::logic_error("title area survey " + survey_id + " has status " +
                                   survey.status);
        domain::check_survey_decision(*status, survey.recorded_by, caller.user_id);
        const auto to = decision == domain::SurveyDecision::approve
                            ? domain::SurveyStatus::approved
                            : domain::SurveyStatus::rejected;
        adapters::decide_survey(tx, survey_id, to, caller.user_id, note);
        if (to == domain::SurveyStatus::approved) {
            for (const auto& r : adapters::apply_survey(tx, survey_id)) {
                const auto unit_id = r.text("unit_id");
                sales::bus::outbox_append(
                    tx,
                    sales::bus::make_event(
                        "inventory", kTitleAreaRecorded, unit_id, r.int64("version"),
                        {{"unit_id", unit_id},
                         {"project_id", r.text("project_id")},
                         {"building_id", r.text("building_id")},
                         {"unit_number", r.text("unit_number")},
                         {"survey_id", survey_id},
                         {"title_gross_area_centi_m2", r.int64("title_gross_area_centi_m2")},
                         {"title_internal_area_centi_m2", r.int64("title_internal_area_centi_m2")},
                         {"gross_area_centi_m2", r.int64("gross_area_centi_m2")},
                         {"internal_area_centi_m2", r.int64("internal_area_centi_m2")},
                         {"approved_by", caller.user_id},
                         {"version", r.int64("version")}}));
            }
        }
        return adapters::survey_view(tx, survey_id);
    });
}

}  // namespace inventory::app
