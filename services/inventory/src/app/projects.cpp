#include "app/projects.hpp"

#include "sales/bus.hpp"
#include "sales/ids.hpp"

namespace inventory::app {
namespace {
using namespace sales::db;

Project current(Tx& tx, const std::string& id) {
    auto project = adapters::find_project(tx, id);
    if (!project)
        sales::fail_not_found("project", id);
    return std::move(*project);
}

// Translates a unique violation of a per-project name into a clear 409.
template <class F>
void unique_name(const std::string& what, const std::string& name, F&& insert) {
    try {
        insert();
    } catch (const sales::db::UniqueViolation&) {
        sales::fail_conflict(what + "_name_taken",
                             "the project already has a " + what + " named " + name,
                             {{"name", name}});
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

Project create_project(sales::db::Pool& db, const domain::NewProject& input,
                       const std::string& actor) {
    if (auto problems = domain::validate(input); !problems.empty())
        domain::fail_invalid(problems);
    const std::string id = sales::new_uuid();
    return db.transaction([&](Tx& tx) {
        if (!adapters::insert_project(tx, id, input, actor)) {
            sales::fail_conflict("project_code_taken",
                                 "project code " + input.code + " is already used",
                                 {{"code", input.code}});
        }
        Project project = current(tx, id);
        sales::bus::outbox_append(
            tx, sales::bus::make_event("inventory", kProjectCreated, project.id, project.version,
                                       to_json(project)));
        return project;
    });
}

Project get_project(sales::db::Pool& db, const std::string& id, const sales::Principal& caller) {
    return db.transaction([&](Tx& tx) { return load_project(tx, id, caller, false); });
}

std::vector<Project> list_projects(sales::db::Pool& db, const sales::Principal& caller,
                                   std::int64_t limit, std::int64_t offset) {
    auto page = db.transaction([&](Tx& tx) { return adapters::list_projects(tx, limit, offset); });
    std::erase_if(page, [&](const Project& p) { return !caller.in_project(p.id); });
    return page;
}

Project load_project(Tx& tx, const std::string& id, const sales::Principal& caller,
                     bool for_update) {
    if (!sales::is_uuid(id) || !caller.in_project(id))
        sales::fail_not_found("project", id);
    auto project = adapters::find_project(tx, id, for_update);
    if (!project)
        sales::fail_not_found("project", id);
    return std::move(*project);
}

void emit_project_changed(Tx& tx, const std::string& project_id) {
    const Project project = current(tx, project_id);
    sales::bus::outbox_append(
        tx, sales::bus::make_event("inventory", kProjectSettingsChanged, project.id,
                                   project.version, to_json(project)));
}

Project update_settings(sales::db::Pool& db, const std::string& project_id,
                        const sales::Principal& caller, const domain::SettingsPatch& patch) {
    if (patch.empty())
        domain::fail_invalid({{"body", "name at least one setting to change"}});
    return db.transaction([&](Tx& tx) {
        const Project before = load_project(tx, project_id, caller, true);
        const auto next = domain::apply(before.settings, patch);
        if (auto problems = domain::validate(next); !problems.empty())
            domain::fail_invalid(problems);
        adapters::save_settings(tx, project_id, next);
        emit_project_changed(tx, project_id);
        return current(tx, project_id);
    });
}

Phase create_phase(sales::db::Pool& db, const std::string& project_id,
                   const sales::Principal& caller, const std::string& name) {
    return db.transaction([&](Tx& tx) {
        load_project(tx, project_id, caller, false);
        Phase phase{sales::new_uuid(), project_id, name};
        unique_name("phase", name, [&] { adapters::insert_phase(tx, phase, caller.user_id); });
        return phase;
    });
}

Building create_building(sales::db::Pool& db, const std::string& project_id,
                         const sales::Principal& caller, const std::optional<std::string>& phase_id,
                         const std::string& name, std::int64_t floors) {
    return db.transaction([&](Tx& tx) {
        load_project(tx, project_id, caller, false);
        if (phase_id && !adapters::phase_exists(tx, *phase_id, project_id))
            sales::fail_not_found("phase", *phase_id);
        Building building{sales::new_uuid(), project_id, phase_id, name, floors};
        unique_name("building", name,
                    [&] { adapters::insert_building(tx, building, caller.user_id); });
        return building;
    });
}

}  // namespace inventory::app
