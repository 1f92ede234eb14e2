#pragma once
// Project use cases (INV-1): validate (domain), store and emit the project's event in one
// transaction (outbox); settings, phases and buildings.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/project_store.hpp"
#include "domain/project.hpp"
#include "domain/settings.hpp"
#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace inventory::app {

using adapters::Building;
using adapters::Phase;
using adapters::Project;

inline constexpr const char* kProjectCreated = "inventory.project.created";
// Settings changed, or the project opened (first release): data as in kProjectCreated.
inline constexpr const char* kProjectSettingsChanged = "inventory.project.settings_changed";

// Settings are top-level fields (contract reads them from the project events).
nlohmann::json to_json(const Project& p);
nlohmann::json to_json(const Phase& p);
nlohmann::json to_json(const Building& b);

// 400 validation_failed (every problem), 409 project_code_taken; nothing is written then.
Project create_project(sales::db::Pool& db, const domain::NewProject& input,
                       const std::string& actor);
// 404 project_not_found when absent or outside the caller's projects (not disclosed).
Project get_project(sales::db::Pool& db, const std::string& id, const sales::Principal& caller);
// The caller's projects among one page of all projects, by code.
std::vector<Project> list_projects(sales::db::Pool& db, const sales::Principal& caller,
                                   std::int64_t limit, std::int64_t offset);

// The project of `id` (locked FOR UPDATE when `for_update`); 404 project_not_found when absent
// or outside the caller's projects.
Project load_project(sales::db::Tx& tx, const std::string& id, const sales::Principal& caller,
                     bool for_update);

// Emits kProjectSettingsChanged for the project as it now is (after a version bump).
void emit_project_changed(sales::db::Tx& tx, const std::string& project_id);

// PATCH settings: validated (400), version + 1, settings_changed event.
Project update_settings(sales::db::Pool& db, const std::string& project_id,
                        const sales::Principal& caller, const domain::SettingsPatch& patch);

// INV-1 hierarchy. Names are unique within a project (409 phase_name_taken / building_name_taken).
Phase create_phase(sales::db::Pool& db, const std::string& project_id,
                   const sales::Principal& caller, const std::string& name);
Building create_building(sales::db::Pool& db, const std::string& project_id,
                         const sales::Principal& caller, const std::optional<std::string>& phase_id,
                         const std::string& name, std::int64_t floors);

}  // namespace inventory::app
