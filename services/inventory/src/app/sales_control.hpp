#pragma once
// INV-4 sales control: release and withdrawal batches, reservations (预留) and their expiry.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/unit_status.hpp"
#include "sales/clock.hpp"
#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace inventory::app {

// Release (not_for_sale → available) or withdraw (available → not_for_sale) a whole building or
// a list of units; units in another status are reported as skipped. The first release of a
// project sets its opened_at (start of the INV-4 opening week).
struct UnitSelection {
    std::optional<std::string> building_id;
    std::vector<std::string> unit_ids;
};
nlohmann::json release_or_withdraw(sales::db::Pool& db, const sales::Principal& caller,
                                   const UnitSelection& selection, domain::UnitAction action,
                                   const std::string& reason);

// INV-4 reservations: 403 reservation_manager_only in the opening week unless sales manager,
// 400 invalid_expiry, 409 invalid_transition from another status.
nlohmann::json reserve_unit(sales::db::Pool& db, const std::string& unit_id,
                            const sales::Principal& caller, const std::string& reason,
                            sales::TimePoint expires_at, sales::TimePoint now);
nlohmann::json cancel_reservation(sales::db::Pool& db, const std::string& unit_id,
                                  const sales::Principal& caller);
// Sweeper: reservations past their expiry → available. Returns how many.
std::size_t expire_reservations(sales::db::Pool& db, int batch);

}  // namespace inventory::app
