#pragma once
// Units in PostgreSQL: the SQL of the unit aggregate (master data, status with its history,
// price history, deals). A status changes only through update_status, driven by
// app/status_changes (INV-4).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/unit.hpp"
#include "domain/unit_status.hpp"
#include "sales/db.hpp"

namespace inventory::adapters {

// A unit as stored, with what the rules need about its building and project.
struct UnitRecord {
    std::string id;
    std::string project_id;
    std::string building_id;
    std::int64_t building_floors = 0;
    domain::UnitMaster master;
    domain::UnitStatus status = domain::UnitStatus::not_for_sale;
    bool master_data_locked = false;  // INV-2
    nlohmann::json view;              // the API representation
};

// `id` must be a UUID. `for_update` locks the unit and shares the project's lock (so an
// approval that locks master data waits, INV-2).
std::optional<UnitRecord> find_unit(sales::db::Tx& tx, const std::string& id, bool for_update);
std::optional<std::string> unit_status(sales::db::Tx& tx, const std::string& id);
// (id, project_id) of the units among `ids` that exist.
sales::db::Result unit_projects(sales::db::Tx& tx, const std::vector<std::string>& ids);
// The ids among `ids` that are units of `project_id`.
std::vector<std::string> units_of_project(sales::db::Tx& tx, const std::string& project_id,
                                          const std::vector<std::string>& ids);

// One statement: the units (`rows`: objects with id, unit_number, floor, position, master data
// and list_total_fen), their creation history and initial prices. UniqueViolation when a number
// or floor/position slot is taken.
void insert_units(sales::db::Tx& tx, const nlohmann::json& rows, const std::string& project_id,
                  const std::string& building_id, const std::string& actor);
// Stores edited master data with its computed list total (INV-1) and bumps the version.
void save_master(sales::db::Tx& tx, const std::string& id, const domain::UnitMaster& master);
// Applies list prices (`updates`: objects with id, price, total) of an approved price list.
void apply_list_prices(sales::db::Tx& tx, const nlohmann::json& updates,
                       const std::string& price_list_id);
// Appends the units' current price to unit_prices (effective now); returns per unit: unit_id,
// project_id, unit_number, version, areas, list price and total, effective_from.
sales::db::Result insert_current_prices(sales::db::Tx& tx, const std::vector<std::string>& ids,
                                        const std::string& source,
                                        const std::optional<std::string>& source_id,
                                        const std::string& actor);
// The API items of GET /units/{id}/history and /prices, oldest first.
nlohmann::json history_items(sales::db::Tx& tx, const std::string& id);
nlohmann::json price_items(sales::db::Tx& tx, const std::string& id);

// Which units a status change takes and what else it writes: a condition on `units` and extra
// assignments over `params` ($1..$n). Made only by the functions in unit_updates.
struct UnitUpdate {
    std::string match{};
    sales::db::Params params{};
    std::string set{};
};
namespace unit_updates {
UnitUpdate by_ids(const std::vector<std::string>& ids);
UnitUpdate in_building(const std::string& building_id);
// INV-4 reservations.
UnitUpdate reserve(const std::string& unit_id, const std::string& reservation_id,
                   const std::string& reserved_by, const std::string& reserved_for,
                   const std::string& expires_at);
UnitUpdate end_reservation(const std::string& unit_id);
UnitUpdate expired_reservations();
// A reserved unit is held only by the request naming its reservation; `project_ids` limits the
// units to the caller's projects (nullopt = every project).
UnitUpdate hold(const std::string& unit_id, const std::string& subscription_id,
                const std::string& hold_until, std::optional<std::int64_t> deal_price_fen,
                const std::optional<std::string>& reservation_id,
                const std::optional<std::vector<std::string>>& project_ids);
// CON-2 swap: the new unit takes the deal (hold_until null once subscribed).
UnitUpdate take_deal(const std::string& unit_id, const std::string& subscription_id,
                     const std::optional<std::string>& hold_until,
                     std::optional<std::int64_t> deal_price_fen);
// The deal of `subscription_id` on `unit_id` ends (cleared).
UnitUpdate end_deal(const std::string& unit_id, const std::string& subscription_id);
// The subscription's unit, whichever it is.
UnitUpdate of_subscription(const std::string& subscription_id);
UnitUpdate end_deal_of(const std::string& subscription_id);
UnitUpdate confirm_deal(const std::string& subscription_id,
                        std::optional<std::int64_t> deal_price_fen);
UnitUpdate sign_deal(const std::string& subscription_id, std::int64_t price_fen);
// CON-5 换房: the unit held under `hold_id` (an amendment) takes the subscription's signed deal
// at `price_fen` (no expiry).
UnitUpdate change_deal(const std::string& unit_id, const std::string& hold_id,
                       const std::string& subscription_id, std::int64_t price_fen);
// FIN-3: the subscription's subscribed unit is held again until `hold_until`.
UnitUpdate reopen_deal(const std::string& subscription_id, const std::string& hold_until);
UnitUpdate expired_holds();
}  // namespace unit_updates

// The one conditional UPDATE of unit status: units matching `which` whose status is one of
// `from` move to `to`, recording action actions[i] for from[i] in unit_history in the same
// statement. Rows are locked in id order (batches never deadlock); limit 0 = every match;
// skip_locked leaves rows another replica holds. Returns the changed units, ordered by id.
struct StatusUpdate {
    std::vector<std::string> from{};
    std::vector<std::string> actions{};
    std::string to{};
    std::string actor{};
    std::string reason{};
    int limit = 0;
    bool skip_locked = false;
};
sales::db::Result update_status(sales::db::Tx& tx, const UnitUpdate& which,
                                const StatusUpdate& update);
// id, unit_number and status of the units matching `which`, floor descending then position.
sales::db::Result units_matching(sales::db::Tx& tx, const UnitUpdate& which);

// Deals: the unit's deal state (unit_id, project_id, building_id, unit_number, status, version,
// subscription_id, gross area, list price and total, price_list_id, deal_price_fen).
std::optional<sales::db::Row> deal_state(sales::db::Tx& tx, const std::string& id);
// Both units locked in id order (CON-2 swap).
sales::db::Result lock_deal_states(sales::db::Tx& tx, const std::string& a, const std::string& b);
std::int64_t units_held_by(sales::db::Tx& tx, const std::string& subscription_id);
// A subscribed unit takes the repriced deal price (CON-2); no change when already so.
void reprice_deal(sales::db::Tx& tx, const std::string& unit_id, const std::string& subscription_id,
                  std::int64_t price_fen);

}  // namespace inventory::adapters
