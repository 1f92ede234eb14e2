#include "adapters/project_store.hpp"

namespace inventory::adapters {
namespace {
using namespace sales::db;

const std::string kSelectProject =
    "SELECT id::text, code, name, city, version, created_by, " +
    rfc3339("created_at", "created_at") +
    ", deposit_deadline_seconds, signing_deadline_days, deposit_cap_percent, "
    "reservation_manager_only_days, " +
    rfc3339("opened_at", "opened_at") + ", " +
    rfc3339("master_data_locked_at", "master_data_locked_at") +
    ", locked_price_list_id::text FROM projects ";
const std::string kProjectById = kSelectProject + "WHERE id = $1::uuid";
const std::string kProjectByIdForUpdate = kProjectById + " FOR UPDATE";
const std::string kListProjects = kSelectProject + "ORDER BY code LIMIT $1 OFFSET $2";

constexpr const char* kInsertProject = R"sql(
    INSERT INTO projects (id, code, name, city, created_by)
    VALUES ($1::uuid, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING)sql";
constexpr const char* kSaveSettings = R"sql(
    UPDATE projects SET deposit_deadline_seconds = $2, signing_deadline_days = $3,
           deposit_cap_percent = $4, reservation_manager_only_days = $5, version = version + 1
    WHERE id = $1::uuid)sql";
constexpr const char* kOpenProjects = R"sql(
    UPDATE projects SET opened_at = now(), version = version + 1
    WHERE id = ANY($1::uuid[]) AND opened_at IS NULL RETURNING id::text)sql";
constexpr const char* kLockMasterData = R"sql(
    UPDATE projects SET master_data_locked_at = now(), locked_price_list_id = $2::uuid,
           version = version + 1
    WHERE id = $1::uuid)sql";
constexpr const char* kInsertPhase = R"sql(
    INSERT INTO phases (id, project_id, name, created_by) VALUES ($1::uuid, $2::uuid, $3, $4))sql";
constexpr const char* kPhaseExists = R"sql(
    SELECT 1 FROM phases WHERE id = $1::uuid AND project_id = $2::uuid)sql";
constexpr const char* kInsertBuilding = R"sql(
    INSERT INTO buildings (id, project_id, phase_id, name, floors, created_by)
    VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6))sql";
constexpr const char* kFindBuilding = R"sql(
    SELECT b.project_id::text AS project_id, b.floors,
           p.master_data_locked_at IS NOT NULL AS locked
    FROM buildings b JOIN projects p ON p.id = b.project_id
    WHERE b.id = $1::uuid FOR SHARE OF p)sql";

Project project_of(const sales::db::Row& r) {
    Project p;
    p.id = r.text("id");
    p.code = r.text("code");
    p.name = r.text("name");
    p.city = r.text("city");
    p.version = r.int64("version");
    p.created_by = r.text("created_by");
    p.created_at = r.text("created_at");
    p.settings = {r.int64("deposit_deadline_seconds"), r.int64("signing_deadline_days"),
                  r.int64("deposit_cap_percent"), r.int64("reservation_manager_only_days")};
    p.opened_at = r.opt_text("opened_at");
    p.master_data_locked_at = r.opt_text("master_data_locked_at");
    p.locked_price_list_id = r.opt_text("locked_price_list_id");
    return p;
}
}  // namespace

bool insert_project(Tx& tx, const std::string& id, const domain::NewProject& project,
                    const std::string& actor) {
    return tx.exec(kInsertProject, {id, project.code, project.name, project.city, actor})
               .affected_rows() > 0;
}

std::optional<Project> find_project(Tx& tx, const std::string& id, bool for_update) {
    const auto row = tx.exec_maybe_one(for_update ? kProjectByIdForUpdate : kProjectById, {id});
    return row ? std::optional<Project>(project_of(*row)) : std::nullopt;
}

std::vector<Project> list_projects(Tx& tx, std::int64_t limit, std::int64_t offset) {
    std::vector<Project> out;
    for (const auto& row : tx.exec(kListProjects, {limit, offset}))
        out.push_back(project_of(row));
    return out;
}

void save_settings(Tx& tx, const std::string& id, const domain::ProjectSettings& s) {
    tx.exec(kSaveSettings, {id, s.deposit_deadline_seconds, s.signing_deadline_days,
                            s.deposit_cap_percent, s.reservation_manager_only_days});
}

std::vector<std::string> open_projects(Tx& tx, const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    for (const auto& r : tx.exec(kOpenProjects, {sales::db::param(ids)}))
        out.push_back(r.text(0));
    return out;
}

void lock_master_data(Tx& tx, const std::string& id, const std::string& price_list_id) {
    tx.exec(kLockMasterData, {id, price_list_id});
}

void insert_phase(Tx& tx, const Phase& phase, const std::string& actor) {
    tx.exec(kInsertPhase, {phase.id, phase.project_id, phase.name, actor});
}

bool phase_exists(Tx& tx, const std::string& phase_id, const std::string& project_id) {
    return tx.exec_maybe_one(kPhaseExists, {phase_id, project_id}).has_value();
}

void insert_building(Tx& tx, const Building& b, const std::string& actor) {
    tx.exec(kInsertBuilding,
            {b.id, b.project_id, sales::db::param(b.phase_id), b.name, b.floors, actor});
}

std::optional<BuildingRef> find_building(Tx& tx, const std::string& id) {
    const auto row = tx.exec_maybe_one(kFindBuilding, {id});
    if (!row)
        return std::nullopt;
    return BuildingRef{row->text("project_id"), row->int64("floors"), row->boolean("locked")};
}

}  // namespace inventory::adapters
