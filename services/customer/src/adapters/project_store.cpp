#include "adapters/project_store.hpp"

namespace customer::adapters {
namespace {
using sales::db::Tx;

const std::string kSelectSettings = R"sql(
SELECT version, stale_days, follow_up_days, complaint_first_response_days, complaint_final_days,
       archive_after_days, commission_min_events
FROM project_refs WHERE project_id = $1::uuid)sql";

const std::string kLockProject = kSelectSettings + " FOR UPDATE";

constexpr const char* kInsertProject = R"sql(
INSERT INTO project_refs (project_id, code, name, version) VALUES ($1::uuid, $2, $3, $4))sql";

constexpr const char* kUpdateProject = R"sql(
UPDATE project_refs SET code = coalesce($2, code), name = coalesce($3, name), version = $4,
       updated_at = now()
WHERE project_id = $1::uuid)sql";

constexpr const char* kWriteSettings = R"sql(
UPDATE project_refs SET stale_days = $2, follow_up_days = $3, complaint_first_response_days = $4,
       complaint_final_days = $5, archive_after_days = $6, commission_min_events = $7,
       settings_changed_by = $8, updated_at = now()
WHERE project_id = $1::uuid)sql";

// The columns are named as the settings.
domain::Settings settings_from_row(const sales::db::Row& row) {
    domain::Settings s;
    for (const auto& range : domain::setting_ranges())
        s.*range.value = row.int64(range.name);
    return s;
}
}  // namespace

std::optional<domain::Settings> find_project_settings(Tx& tx, const std::string& project_id) {
    const auto row = tx.exec_maybe_one(kSelectSettings, {project_id});
    if (!row)
        return std::nullopt;
    return settings_from_row(*row);
}

std::optional<ProjectRef> lock_project(Tx& tx, const std::string& project_id) {
    const auto row = tx.exec_maybe_one(kLockProject, {project_id});
    if (!row)
        return std::nullopt;
    return ProjectRef{row->int64("version"), settings_from_row(*row)};
}

void insert_project(Tx& tx, const std::string& project_id, const std::string& code,
                    const std::string& name, std::int64_t version) {
    tx.exec(kInsertProject, {project_id, code, name, version});
}

void update_project(Tx& tx, const std::string& project_id, const std::optional<std::string>& code,
                    const std::optional<std::string>& name, std::int64_t version) {
    tx.exec(kUpdateProject, {project_id, sales::db::param(code), sales::db::param(name), version});
}

void write_settings(Tx& tx, const std::string& project_id, const domain::Settings& s,
                    const std::string& actor) {
    tx.exec(kWriteSettings,
            {project_id, s.stale_days, s.follow_up_days, s.complaint_first_response_days,
             s.complaint_final_days, s.archive_after_days, s.commission_min_events, actor});
}

}  // namespace customer::adapters
