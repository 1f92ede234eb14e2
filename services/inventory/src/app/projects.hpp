#pragma once
// Project use cases: validate (domain), store and emit inventory.project.created in one
// transaction (outbox), read back.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/support.hpp"
#include "domain/project.hpp"
#include "domain/settings.hpp"
#include "sales/db.hpp"

namespace inventory::app {

inline constexpr const char* kProjectCreated = "inventory.project.created";
// Settings changed, or the project opened (first release): data as in kProjectCreated.
inline constexpr const char* kProjectSettingsChanged = "inventory.project.settings_changed";

struct Project {
    std::string id;
    std::string code;
    std::string name;
    std::string city;
    std::int64_t version = 1;
    std::string created_by;
    std::string created_at;
    domain::ProjectSettings settings;
    std::optional<std::string> opened_at;              // first release (INV-4 opening week)
    std::optional<std::string> master_data_locked_at;  // INV-2
    std::optional<std::string> locked_price_list_id;
};
// Settings are top-level fields (contract reads them from the project events).
nlohmann::json to_json(const Project& p);

struct Phase {
    std::string id;
    std::string project_id;
    std::string name;
};
struct Building {
    std::string id;
    std::string project_id;
    std::optional<std::string> phase_id;
    std::string name;
    std::int64_t floors = 0;
};
nlohmann::json to_json(const Phase& p);
nlohmann::json to_json(const Building& b);

class InvalidProject : public std::runtime_error {
  public:
    explicit InvalidProject(std::vector<domain::FieldProblem> problems);
    const std::vector<domain::FieldProblem>& problems() const { return problems_; }

  private:
    std::vector<domain::FieldProblem> problems_;
};

class DuplicateProjectCode : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Throws InvalidProject or DuplicateProjectCode; nothing is written then.
Project create_project(sales::db::Pool& db, const domain::NewProject& input,
                       const std::string& actor);
std::optional<Project> find_project(sales::db::Pool& db, const std::string& id);
std::vector<Project> list_projects(sales::db::Pool& db, std::int64_t limit, std::int64_t offset);

// The project of `id` (locked FOR UPDATE when `for_update`); AppError 404 project_not_found when
// absent or outside the caller's projects.
Project load_project(sales::db::Tx& tx, const std::string& id, const Caller& caller,
                     bool for_update);

// Emits kProjectSettingsChanged for the project as it now is (after a version bump).
void emit_project_changed(sales::db::Tx& tx, const std::string& project_id);

// PATCH settings: validated (throws AppError 400), version + 1, settings_changed event.
Project update_settings(sales::db::Pool& db, const std::string& project_id, const Caller& caller,
                        const domain::SettingsPatch& patch);

// INV-1 hierarchy. Names are unique within a project (409 phase_name_taken / building_name_taken).
Phase create_phase(sales::db::Pool& db, const std::string& project_id, const Caller& caller,
                   const std::string& name);
Building create_building(sales::db::Pool& db, const std::string& project_id, const Caller& caller,
                         const std::optional<std::string>& phase_id, const std::string& name,
                         std::int64_t floors);

}  // namespace inventory::app
