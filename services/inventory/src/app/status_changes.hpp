#pragma once
// INV-4: the one way a unit's status changes. One conditional UPDATE (adapters/unit_store
// update_status) moves the matching units whose status is a legal source of the action
// (domain::sources) to its target and writes a unit_history row per unit in the same
// statement; an outbox event inventory.unit.status_changed per unit follows in the same
// transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/unit_store.hpp"
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
    std::int64_t internal_area_centi_m2 = 0;
    std::int64_t list_unit_price_fen_per_m2 = 0;
    std::int64_t list_total_fen = 0;
    std::optional<std::string> price_list_id;
};

// A unit row (adapters::update_status, adapters::deal_state) as a ChangedUnit; `from_column` and
// `to_column` name the columns of its status before and after.
ChangedUnit changed_unit_of(const sales::db::Row& r, const char* from_column,
                            const char* to_column);
// The unit as events and deal replies name it: unit_id, project_id, building_id, unit_number.
nlohmann::json unit_ref(const ChangedUnit& u);

struct StatusChange {
    // Actions with one common target (e.g. hold and hold_reserved); a unit's recorded action is
    // the one whose source its status was.
    std::vector<domain::UnitAction> actions{};
    std::string actor{};
    std::string reason{};
    // The candidate units and what else the UPDATE writes (adapters::unit_updates).
    adapters::UnitUpdate which{};
    int limit = 0;             // 0: every match; sweepers take batches
    bool skip_locked = false;  // sweepers: rows another replica holds are left for it
};

// Applies `change`; returns the changed units (ordered by id). Units whose status is not a legal
// source are left untouched (the caller reports them).
std::vector<ChangedUnit> change_status(sales::db::Tx& tx, const StatusChange& change);

// Sweepers: `action` on up to `batch` units matching `which` in one transaction, leaving rows
// another replica holds for it. Returns how many changed.
std::size_t sweep(sales::db::Pool& db, domain::UnitAction action, const std::string& actor,
                  const std::string& reason, const adapters::UnitUpdate& which, int batch);

// Throws the 409 that explains why `action` matched nothing on the unit: its current status
// (INV-4), or a unit that changed while the request ran.
[[noreturn]] void refuse(sales::db::Tx& tx, const std::string& unit_id, domain::UnitAction action);

}  // namespace inventory::app
