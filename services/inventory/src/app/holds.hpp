#pragma once
// Deals on units, driven by the contract service: hold, release and swap over NATS
// request/reply (CON-1, CON-2), and the hold-expiry sweeper that frees units whose hold_until
// passed (CON-1 safety net). Contract events: app/contract_events.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/status_changes.hpp"
#include "sales/db.hpp"

namespace inventory::app {

struct HoldRequest {
    std::string unit_id;
    std::string subscription_id;
    std::string hold_until;  // RFC 3339, validated (or chosen) by the caller
    std::string actor;
    std::optional<std::string> reservation_id;
    std::optional<std::int64_t> deal_price_fen;
    // The caller's projects: a unit outside them is answered not_found and never held (SEC-1).
    // nullopt = every project.
    std::optional<std::vector<std::string>> project_ids;
};

struct ReleaseRequest {
    std::string unit_id;
    std::string subscription_id;
    std::string actor;
    std::string reason;
};

struct SwapRequest {
    std::string subscription_id;
    std::string old_unit_id;
    std::string new_unit_id;
    std::string hold_until;
    std::string actor;
    std::optional<std::vector<std::string>> project_ids;  // as in HoldRequest, for the new unit
};

struct DealOutcome {
    enum class Result { held, conflict, not_found, invalid, released, not_held };
    Result result = Result::invalid;
    std::optional<ChangedUnit> unit;  // held: the unit now held by the subscription
    std::string status;               // conflict: the unit's current status
    std::string message;              // invalid
};

// One conditional UPDATE (available, or reserved under the named reservation → held);
// idempotent on the subscription id; invalid for a subscription already released.
DealOutcome hold(sales::db::Pool& db, const HoldRequest& request);
// held | subscribed by that subscription → available; otherwise not_held (idempotent). The
// subscription is remembered for a day: a hold for it that arrives later is refused (invalid).
DealOutcome release(sales::db::Pool& db, const ReleaseRequest& request);
// Forgets released subscriptions older than a day. Returns how many.
std::size_t purge_released(sales::db::Pool& db);
// CON-2 swap in one transaction: the new unit takes the old one's state (held or subscribed),
// the old one becomes available. Idempotent when already swapped.
DealOutcome swap(sales::db::Pool& db, const SwapRequest& request);

// Sweeper: held units whose hold_until passed → available. Returns how many.
std::size_t expire_holds(sales::db::Pool& db, int batch);

}  // namespace inventory::app
