#include "adapters/title_area_store.hpp"

namespace inventory::adapters {
namespace {
using namespace sales::db;

const std::string kSurveyColumns =
    "id::text AS id, project_id::text AS project_id, building_id::text AS building_id, status, "
    "note, recorded_by, " +
    rfc3339("recorded_at", "recorded_at") + ", decided_by, " + rfc3339("decided_at", "decided_at") +
    ", decision_note";
const std::string kSurvey =
    "SELECT " + kSurveyColumns + " FROM title_area_surveys WHERE id = $1::uuid";
const std::string kBuildingSurveys =
    "SELECT " + kSurveyColumns +
    ", (SELECT count(*) FROM title_area_items i WHERE i.survey_id = s.id) AS item_count "
    "FROM title_area_surveys s WHERE building_id = $1::uuid ORDER BY recorded_at DESC, id "
    "LIMIT 200";
constexpr const char* kFindSurvey =
    "SELECT project_id::text AS project_id, building_id::text AS building_id, status, "
    "recorded_by FROM title_area_surveys WHERE id = $1::uuid";
constexpr const char* kFindSurveyForUpdate =
    "SELECT project_id::text AS project_id, building_id::text AS building_id, status, "
    "recorded_by FROM title_area_surveys WHERE id = $1::uuid FOR UPDATE";
constexpr const char* kBuildingUnits = R"sql(
    SELECT id::text AS unit_id, unit_number, gross_area_centi_m2, internal_area_centi_m2
    FROM units WHERE building_id = $1::uuid AND id::text = ANY ($2::text[]))sql";
constexpr const char* kInsertSurvey = R"sql(
    INSERT INTO title_area_surveys (id, project_id, building_id, note, recorded_by)
    VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5))sql";
constexpr const char* kInsertItems = R"sql(
    INSERT INTO title_area_items (survey_id, unit_id, gross_area_centi_m2, internal_area_centi_m2)
    SELECT $1::uuid, x.unit_id, x.gross, x.internal
    FROM jsonb_to_recordset($2::jsonb) AS x(unit_id uuid, gross bigint, internal bigint))sql";
constexpr const char* kDecide = R"sql(
    UPDATE title_area_surveys SET status = $2, decided_by = $3, decided_at = now(),
           decision_note = $4
    WHERE id = $1::uuid)sql";
constexpr const char* kApply = R"sql(
    UPDATE units u SET title_gross_area_centi_m2 = i.gross_area_centi_m2,
           title_internal_area_centi_m2 = i.internal_area_centi_m2, title_survey_id = i.survey_id,
           version = u.version + 1, updated_at = now()
    FROM title_area_items i
    WHERE i.survey_id = $1::uuid AND u.id = i.unit_id
    RETURNING u.id::text AS unit_id, u.project_id::text AS project_id,
              u.building_id::text AS building_id, u.unit_number, u.version,
              u.title_gross_area_centi_m2, u.title_internal_area_centi_m2,
              u.gross_area_centi_m2, u.internal_area_centi_m2)sql";
constexpr const char* kItems = R"sql(
    SELECT i.unit_id::text AS unit_id, u.unit_number, u.floor, u.position,
           i.gross_area_centi_m2, i.internal_area_centi_m2,
           u.gross_area_centi_m2 AS sold_gross_area_centi_m2,
           u.internal_area_centi_m2 AS sold_internal_area_centi_m2
    FROM title_area_items i JOIN units u ON u.id = i.unit_id
    WHERE i.survey_id = $1::uuid ORDER BY u.floor DESC, u.position)sql";

nlohmann::json survey_of(const Row& r) {
    return {{"id", r.text("id")},
            {"project_id", r.text("project_id")},
            {"building_id", r.text("building_id")},
            {"status", r.text("status")},
            {"note", r.text("note")},
            {"recorded_by", r.text("recorded_by")},
            {"recorded_at", r.text("recorded_at")},
            {"decided_by", nullable(r.opt_text("decided_by"))},
            {"decided_at", nullable(r.opt_text("decided_at"))},
            {"decision_note", nullable(r.opt_text("decision_note"))}};
}
}  // namespace

Result building_units(Tx& tx, const std::string& building_id,
                      const std::vector<std::string>& unit_ids) {
    return tx.exec(kBuildingUnits, {building_id, param(unit_ids)});
}

void insert_survey(Tx& tx, const std::string& id, const std::string& project_id,
                   const std::string& building_id, const std::string& note,
                   const std::string& actor, const std::vector<domain::TitleAreaItem>& items) {
    tx.exec(kInsertSurvey, {id, project_id, building_id, note, actor});
    auto rows = nlohmann::json::array();
    for (const auto& item : items) {
        rows.push_back({{"unit_id", item.unit_id},
                        {"gross", item.gross_area_centi_m2},
                        {"internal", item.internal_area_centi_m2}});
    }
    tx.exec(kInsertItems, {id, rows.dump()});
}

std::optional<SurveyRef> find_survey(Tx& tx, const std::string& id, bool for_update) {
    const auto r = tx.exec_maybe_one(for_update ? kFindSurveyForUpdate : kFindSurvey, {id});
    if (!r)
        return std::nullopt;
    return SurveyRef{r->text("project_id"), r->text("building_id"), r->text("status"),
                     r->text("recorded_by")};
}

void decide_survey(Tx& tx, const std::string& id, domain::SurveyStatus status,
                   const std::string& actor, const std::optional<std::string>& note) {
    tx.exec(kDecide, {id, std::string(to_string(status)), actor, param(note)});
}

Result apply_survey(Tx& tx, const std::string& id) {
    return tx.exec(kApply, {id});
}

nlohmann::json survey_view(Tx& tx, const std::string& id) {
    auto view = survey_of(tx.exec_one(kSurvey, {id}));
    auto items = nlohmann::json::array();
    for (const auto& r : tx.exec(kItems, {id})) {
        const auto gross = r.int64("gross_area_centi_m2");
        const auto internal = r.int64("internal_area_centi_m2");
        const auto sold_gross = r.int64("sold_gross_area_centi_m2");
        const auto sold_internal = r.int64("sold_internal_area_centi_m2");
        items.push_back({{"unit_id", r.text("unit_id")},
                         {"unit_number", r.text("unit_number")},
                         {"floor", r.int64("floor")},
                         {"position", r.int64("position")},
                         {"gross_area_centi_m2", gross},
                         {"internal_area_centi_m2", internal},
                         {"sold_gross_area_centi_m2", sold_gross},
                         {"sold_internal_area_centi_m2", sold_internal},
                         {"gross_difference_centi_m2", gross - sold_gross},
                         {"internal_difference_centi_m2", internal - sold_internal}});
    }
    view["items"] = std::move(items);
    return view;
}

nlohmann::json building_surveys(Tx& tx, const std::string& building_id) {
    auto list = nlohmann::json::array();
    for (const auto& r : tx.exec(kBuildingSurveys, {building_id})) {
        auto survey = survey_of(r);
        survey["item_count"] = r.int64("item_count");
        list.push_back(std::move(survey));
    }
    return {{"items", std::move(list)}};
}

}  // namespace inventory::adapters
