#pragma once
// Reconciliation of holds (INV-4, CON-1): inventory's units in a deal against contract's live
// subscriptions. A unit held or subscribed for a subscription contract does not have, or has
// cancelled, is released; every other difference (a signed unit whose deal is over, a live
// subscription without its unit) is logged as an error for sales control to resolve. Only
// what did not change for `min_age` is judged: events still on their way are not differences.
#include <chrono>

#include "app/context.hpp"
#include "app/inventory_client.hpp"

namespace contract::app {

struct ReconciliationReport {
    bool complete = false;  // false: inventory did not answer; nothing was judged
    int deals = 0;          // units in a deal in inventory
    int released = 0;       // held or subscribed for no live subscription: released
    int unresolved = 0;     // differences left to sales control (error log)
};

ReconciliationReport reconcile_holds(const Context& ctx, InventoryClient& inventory,
                                     std::chrono::seconds min_age);

}  // namespace contract::app
