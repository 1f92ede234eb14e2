#pragma once
// INV-4: the one way a unit's status changes. A conditional UPDATE moves the matching units
// whose status is a legal source of the action (domain::sources) to its target; in the same
// statement a unit_history row is written per unit, and an outbox event
// inventory.unit.status_changed per unit follows in the same transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/unit_status.hpp"
#include "sales/db.hpp"

namespace inventory::app {

inline constexpr const char* kUnitStatusChanged = "inventory.unit.status_changed";

struct ChangedUnit {
    std::string unit_id;
    std::string project_id;
    std::string building_id;
    std::string unit_number;
    std::string from;
    std::string to;
    std::int64_t version = 0;
    std::optional<std::string> subscription_id;  // the deal's subscription, before or after
    std::int64_t gross_area_centi_m2 = 0;
    std::int64_t list_unit_price_fen_per_m2 = 0;
    std::int64_t list_total_fen = 0;
    std::optional<std::string> price_list_id;
};

struct StatusChange {
    // Actions with one common target (e.g. hold and hold_reserved); a unit's recorded action is
    // the one whose source its status was.
    std::vector<domain::UnitAction> actions{};
    std::string actor{};
    std::string reason{};
    // SQL condition on table `units` selecting the candidates, with the caller's $1..$n params.
    std::string match{};
    sales::db::Params params{};
    // Extra assignments for the UPDATE (", hold_until = NULL"), using the same params.
    std::string set{};
    int limit = 0;             // 0: every match; sweepers take batches
    bool skip_locked = false;  // sweepers: rows another replica holds are left for it
};

// Applies `change`; returns the changed units (ordered by id). Units whose status is not a legal
// source are left untouched (the caller reports them).
std::vector<ChangedUnit> change_status(sales::db::Tx& tx, const StatusChange& change);

// SQL assignments that clear a unit's deal (hold/subscription) or its reservation.
inline constexpr const char* kClearDeal =
    ", hold_subscription_id = NULL, hold_until = NULL, deal_price_fen = NULL";
inline constexpr const char* kClearReservation =
    ", reservation_id = NULL, reserved_by = NULL, reserved_for = NULL, "
    "reservation_expires_at = NULL";

}  // namespace inventory::app
