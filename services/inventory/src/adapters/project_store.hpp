#pragma once
// Projects, phases and buildings in PostgreSQL (INV-1): the SQL of the project aggregate.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/project.hpp"
#include "domain/settings.hpp"
#include "sales/db.hpp"

namespace inventory::adapters {

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

// What bulk creation and release batches need about a building.
struct BuildingRef {
    std::string project_id;
    std::int64_t floors = 0;
    bool master_data_locked = false;  // INV-2
};

// False when the code is already used (nothing written then).
bool insert_project(sales::db::Tx& tx, const std::string& id, const domain::NewProject& project,
                    const std::string& actor);
// `for_update` locks the project row. `id` must be a UUID.
std::optional<Project> find_project(sales::db::Tx& tx, const std::string& id,
                                    bool for_update = false);
std::vector<Project> list_projects(sales::db::Tx& tx, std::int64_t limit, std::int64_t offset);
// Stores the settings and bumps the version.
void save_settings(sales::db::Tx& tx, const std::string& id,
                   const domain::ProjectSettings& settings);
// INV-4: sets opened_at of those not yet opened (version + 1); returns their ids.
std::vector<std::string> open_projects(sales::db::Tx& tx, const std::vector<std::string>& ids);
// INV-2: master data locked by the approved price list (version + 1).
void lock_master_data(sales::db::Tx& tx, const std::string& id, const std::string& price_list_id);

// Names are unique per project: sales::db::UniqueViolation when taken.
void insert_phase(sales::db::Tx& tx, const Phase& phase, const std::string& actor);
bool phase_exists(sales::db::Tx& tx, const std::string& phase_id, const std::string& project_id);
void insert_building(sales::db::Tx& tx, const Building& building, const std::string& actor);
// Shares the project's lock (an approval that locks master data waits, INV-2). `id` must be a
// UUID.
std::optional<BuildingRef> find_building(sales::db::Tx& tx, const std::string& id);

}  // namespace inventory::adapters
