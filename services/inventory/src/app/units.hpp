#pragma once
// Unit master data use cases: bulk creation (INV-1), reads, direct edits (until the INV-2
// lock) and the price history every price or area change appends to.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/project_store.hpp"
#include "adapters/unit_store.hpp"
#include "domain/unit.hpp"
#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace inventory::app {

using adapters::UnitRecord;

// Emitted when a unit's list price or areas change (direct edit, price list, change request).
inline constexpr const char* kUnitPriceChanged = "inventory.unit.price_changed";

// 404 unit_not_found when absent or outside the caller's projects. `for_update` locks the unit
// and shares the project's lock (so an approval that locks master data waits, INV-2).
UnitRecord load_unit(sales::db::Tx& tx, const std::string& unit_id, const sales::Principal& caller,
                     bool for_update);

// The building in the caller's projects (sharing its project's lock), or 404
// building_not_found.
adapters::BuildingRef load_building(sales::db::Tx& tx, const std::string& building_id,
                                    const sales::Principal& caller);

// Appends the units' current price to unit_prices (effective now) and emits kUnitPriceChanged.
void record_prices(sales::db::Tx& tx, const std::vector<std::string>& unit_ids,
                   const std::string& source, const std::optional<std::string>& source_id,
                   const std::string& actor);

// All or nothing: 400 with every template problem, 409 unit_exists when a number or slot is
// taken, 409 master_data_locked after the INV-2 lock.
nlohmann::json create_units(sales::db::Pool& db, const std::string& building_id,
                            const sales::Principal& caller,
                            const std::vector<domain::UnitTemplate>& templates);

nlohmann::json get_unit(sales::db::Pool& db, const std::string& unit_id,
                        const sales::Principal& caller);
nlohmann::json unit_history(sales::db::Pool& db, const std::string& unit_id,
                            const sales::Principal& caller);
nlohmann::json unit_prices(sales::db::Pool& db, const std::string& unit_id,
                           const sales::Principal& caller);

// INV-2: 409 master_data_locked once the price list is approved.
nlohmann::json edit_unit(sales::db::Pool& db, const std::string& unit_id,
                         const sales::Principal& caller, const domain::UnitEdit& edit);

}  // namespace inventory::app
