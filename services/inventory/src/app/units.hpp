#pragma once
// Unit use cases: bulk creation (INV-1), reads, direct edits (until the INV-2 lock), release
// and withdrawal batches, reservations (INV-4) and the sales-control board (INV-5).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/support.hpp"
#include "domain/unit.hpp"
#include "domain/unit_status.hpp"
#include "sales/clock.hpp"
#include "sales/db.hpp"

namespace inventory::app {

// Emitted when a unit's list price or areas change (direct edit, price list, change request).
inline constexpr const char* kUnitPriceChanged = "inventory.unit.price_changed";

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

// 404 unit_not_found when absent or outside the caller's projects. `for_update` locks the unit
// and shares the project's lock (so an approval that locks master data waits, INV-2).
UnitRecord load_unit(sales::db::Tx& tx, const std::string& unit_id, const Caller& caller,
                     bool for_update);

// Appends the units' current price to unit_prices (effective now) and emits kUnitPriceChanged.
void record_prices(sales::db::Tx& tx, const std::vector<std::string>& unit_ids,
                   const std::string& source, const std::optional<std::string>& source_id,
                   const std::string& actor);

// Stores edited master data with its computed list total (INV-1) and bumps the version.
void save_master(sales::db::Tx& tx, const std::string& unit_id, const domain::UnitMaster& master);

// A PostgreSQL array literal of validated UUIDs, for `$n::uuid[]`.
std::string uuid_array(const std::vector<std::string>& ids);

// All or nothing: 400 with every template problem, 409 unit_exists when a number or slot is
// taken, 409 master_data_locked after INV-2 lock.
nlohmann::json create_units(sales::db::Pool& db, const std::string& building_id,
                            const Caller& caller,
                            const std::vector<domain::UnitTemplate>& templates);

nlohmann::json get_unit(sales::db::Pool& db, const std::string& unit_id, const Caller& caller);
nlohmann::json unit_history(sales::db::Pool& db, const std::string& unit_id, const Caller& caller);
nlohmann::json unit_prices(sales::db::Pool& db, const std::string& unit_id, const Caller& caller);

// INV-2: 409 master_data_locked once the price list is approved.
nlohmann::json edit_unit(sales::db::Pool& db, const std::string& unit_id, const Caller& caller,
                         const domain::UnitEdit& edit);

// Release (not_for_sale → available) or withdraw (available → not_for_sale) a whole building or
// a list of units; units in another status are reported as skipped. The first release of a
// project sets its opened_at (start of the INV-4 opening week).
struct UnitSelection {
    std::optional<std::string> building_id;
    std::vector<std::string> unit_ids;
};
nlohmann::json release_or_withdraw(sales::db::Pool& db, const Caller& caller,
                                   const UnitSelection& selection, domain::UnitAction action,
                                   const std::string& reason);

// INV-4 reservations.
nlohmann::json reserve_unit(sales::db::Pool& db, const std::string& unit_id, const Caller& caller,
                            const std::string& reason, sales::TimePoint expires_at,
                            sales::TimePoint now);
nlohmann::json cancel_reservation(sales::db::Pool& db, const std::string& unit_id,
                                  const Caller& caller);
// Sweeper: reservations past their expiry → available. Returns how many.
std::size_t expire_reservations(sales::db::Pool& db, int batch);

// INV-5 board: one query; floors descending × units by position.
nlohmann::json building_board(sales::db::Pool& db, const std::string& building_id,
                              const Caller& caller);
nlohmann::json project_board(sales::db::Pool& db, const std::string& project_id,
                             const Caller& caller);

}  // namespace inventory::app
