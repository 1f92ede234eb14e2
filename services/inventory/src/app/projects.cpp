#include "app/projects.hpp"

#include "sales/bus.hpp"
#include "sales/ids.hpp"

namespace inventory::app {
namespace {
const std::string kSelect =
    "SELECT id::text, code, name, city, version, created_by, " + iso("created_at", "created_at") +
    ", deposit_deadline_seconds, signing_deadline_days, deposit_cap_percent, "
    "reservation_manager_only_days, " +
    iso("opened_at", "opened_at") + ", " + iso("master_data_locked_at", "master_data_locked_at") +
    ", locked_price_list_id::text FROM projects ";

Project from_row(const sales::db::Row& r) {
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

Project select_project(sales::db::Tx& tx, const std::string& id) {
    return from_row(tx.exec_one(kSelect + "WHERE id = $1::uuid", {id}));
}

// Translates a unique violation of a per-project name into a clear 409.
template <class F>
auto unique_name(const std::string& what, const std::string& name, F&& insert) {
    try {
        return insert();
    } catch (const sales::db::UniqueViolation&) {
        throw AppError(ErrorKind::conflict, what + "_name_taken",
                       "the project already has a " + what + " named " + name, {{"name", name}});
    }
}
}  // namespace

nlohmann::json to_json(const Project& p) {
    return {{"id", p.id},
            {"code", p.code},
            {"name", p.name},
            {"city", p.city},
            {"version", p.version},
            {"created_by", p.created_by},
            {"created_at", p.created_at},
            {"deposit_deadline_seconds", p.settings.deposit_deadline_seconds},
            {"signing_deadline_days", p.settings.signing_deadline_days},
            {"deposit_cap_percent", p.settings.deposit_cap_percent},
            {"reservation_manager_only_days", p.settings.reservation_manager_only_days},
            {"opened_at", nullable(p.opened_at)},
            {"master_data_locked_at", nullable(p.master_data_locked_at)},
            {"locked_price_list_id", nullable(p.locked_price_list_id)}};
}

nlohmann::json to_json(const Phase& p) {
    return {{"id", p.id}, {"project_id", p.project_id}, {"name", p.name}};
}

nlohmann::json to_json(const Building& b) {
    return {{"id", b.id},
            {"project_id", b.project_id},
            {"phase_id", nullable(b.phase_id)},
            {"name", b.name},
            {"floors", b.floors}};
}

InvalidProject::InvalidProject(std::vector<domain::FieldProblem> problems)
    : std::runtime_error("invalid project"), problems_(std::move(problems)) {}

Project create_project(sales::db::Pool& db, const domain::NewProject& input,
                       const std::string& actor) {
    if (auto problems = domain::validate(input); !problems.empty())
        throw InvalidProject(std::move(problems));
    const std::string id = sales::new_uuid();
    return db.transaction([&](sales::db::Tx& tx) {
        const auto inserted = tx.exec(
            "INSERT INTO projects (id, code, name, city, created_by) VALUES ($1::uuid, $2, $3, $4, "
            "$5) "
            "ON CONFLICT (code) DO NOTHING",
            {id, input.code, input.name, input.city, actor});
        if (inserted.affected_rows() == 0) {
            throw DuplicateProjectCode("project code " + input.code + " is already used");
        }
        Project project = select_project(tx, id);
        sales::bus::outbox_append(
            tx, sales::bus::make_event("inventory", kProjectCreated, project.id, project.version,
                                       to_json(project)));
        return project;
    });
}

std::optional<Project> find_project(sales::db::Pool& db, const std::string& id) {
    if (!sales::is_uuid(id))
        return std::nullopt;
    return db.transaction([&](sales::db::Tx& tx) -> std::optional<Project> {
        auto row = tx.exec_maybe_one(kSelect + "WHERE id = $1::uuid", {id});
        if (!row)
            return std::nullopt;
        return from_row(*row);
    });
}

std::vector<Project> list_projects(sales::db::Pool& db, std::int64_t limit, std::int64_t offset) {
    return db.transaction([&](sales::db::Tx& tx) {
        std::vector<Project> out;
        for (const auto& row :
             tx.exec(kSelect + "ORDER BY code LIMIT $1 OFFSET $2", {limit, offset})) {
            out.push_back(from_row(row));
        }
        return out;
    });
}

Project load_project(sales::db::Tx& tx, const std::string& id, const Caller& caller,
                     bool for_update) {
    if (!sales::is_uuid(id) || !caller.in_project(id))
        throw_not_found("project", id);
    auto row = tx.exec_maybe_one(
        kSelect + "WHERE id = $1::uuid" + (for_update ? " FOR UPDATE" : ""), {id});
    if (!row)
        throw_not_found("project", id);
    return from_row(*row);
}

void emit_project_changed(sales::db::Tx& tx, const std::string& project_id) {
    const Project project = select_project(tx, project_id);
    sales::bus::outbox_append(
        tx, sales::bus::make_event("inventory", kProjectSettingsChanged, project.id,
                                   project.version, to_json(project)));
}

Project update_settings(sales::db::Pool& db, const std::string& project_id, const Caller& caller,
                        const domain::SettingsPatch& patch) {
    if (patch.empty())
        throw_invalid({{"body", "name at least one setting to change"}});
    return db.transaction([&](sales::db::Tx& tx) {
        const Project current = load_project(tx, project_id, caller, true);
        const auto next = domain::apply(current.settings, patch);
        if (auto problems = domain::validate(next); !problems.empty())
            throw_invalid(problems);
        tx.exec(
            "UPDATE projects SET deposit_deadline_seconds = $2, signing_deadline_days = $3, "
            "deposit_cap_percent = $4, reservation_manager_only_days = $5, version = version + 1 "
            "WHERE id = $1::uuid",
            {project_id, next.deposit_deadline_seconds, next.signing_deadline_days,
             next.deposit_cap_percent, next.reservation_manager_only_days});
        emit_project_changed(tx, project_id);
        return select_project(tx, project_id);
    });
}

Phase create_phase(sales::db::Pool& db, const std::string& project_id, const Caller& caller,
                   const std::string& name) {
    return db.transaction([&](sales::db::Tx& tx) {
        load_project(tx, project_id, caller, false);
        Phase phase{sales::new_uuid(), project_id, name};
        unique_name("phase", name, [&] {
            return tx.exec(
                "INSERT INTO phases (id, project_id, name, created_by) "
                "VALUES ($1::uuid, $2::uuid, $3, $4)",
                {phase.id, project_id, name, caller.user_id});
        });
        return phase;
    });
}

Building create_building(sales::db::Pool& db, const std::string& project_id, const Caller& caller,
                         const std::optional<std::string>& phase_id, const std::string& name,
                         std::int64_t floors) {
    return db.transaction([&](sales::db::Tx& tx) {
        load_project(tx, project_id, caller, false);
        if (phase_id && (!sales::is_uuid(*phase_id) ||
                         !tx.exec_maybe_one("SELECT 1 FROM phases WHERE id = $1::uuid AND "
                                            "project_id = $2::uuid",
                                            {*phase_id, project_id}))) {
            throw_not_found("phase", *phase_id);
        }
        Building building{sales::new_uuid(), project_id, phase_id, name, floors};
        unique_name("building", name, [&] {
            return tx.exec(
                "INSERT INTO buildings (id, project_id, phase_id, name, floors, created_by) "
                "VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6)",
                {building.id, project_id, sales::db::param(phase_id), name, floors,
                 caller.user_id});
        });
        return building;
    });
}

}  // namespace inventory::app
