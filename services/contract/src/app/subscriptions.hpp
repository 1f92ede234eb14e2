#pragma once
// Subscription use cases (CON-1, CON-2, REG-2): load, decide (domain/subscription.hpp), save
// the change with its history row and event (adapters/subscription_store) in one transaction;
// the unit is held, swapped and released through inventory's RPC.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/subscription_store.hpp"
#include "app/context.hpp"
#include "app/inventory_client.hpp"
#include "app/unit_view.hpp"
#include "domain/subscription.hpp"
#include "sales/bus.hpp"
#include "sales/principal.hpp"

namespace contract::app {

// Runs inside the creating transaction, after the subscription row is written (idempotency).
using BeforeCommit = std::function<void(sales::db::Tx&, const domain::Subscription&)>;

// Refuses at once (Failure conflict "unit_not_available", nothing read or written) a new
// subscription for a unit the view knows to be in a deal, unless the caller may be retrying the
// request that took it (domain::refuse_at_once) or the unit is outside the caller's projects
// (inventory then answers not found, SEC-1).
void refuse_known_taken(UnitView& units, std::uint64_t reconnects, const sales::Principal& caller,
                        const std::string& unit_id, bool has_idempotency_key);

// CON-1 flow: validate → hold the unit (inventory) → price terms and REG-2 cap → insert the
// subscription, its history row and contract.subscription.created in one transaction. Any
// failure after the hold releases it. Throws sales::Failure.
domain::Subscription create_subscription(const Context& ctx, InventoryClient& inventory,
                                         const sales::Principal& caller,
                                         const domain::NewSubscription& input,
                                         const std::string& subscription_id,
                                         const BeforeCommit& before_commit);

// Failure not_found "subscription_not_found" when unknown or outside the caller's projects.
domain::Subscription find_subscription(const Context& ctx, const sales::Principal& caller,
                                       const std::string& id);

using ListFilter = subscription_store::ListFilter;
// Newest first, only the caller's projects.
std::vector<domain::Subscription> list_subscriptions(const Context& ctx,
                                                     const sales::Principal& caller,
                                                     const ListFilter& filter);

// CON-2 changes. Each throws sales::Failure (not_found, invalid_transition 409, rule 422) and
// then writes nothing.
domain::Subscription rename_subscription(const Context& ctx, const sales::Principal& caller,
                                         const std::string& id, const std::string& customer_id,
                                         const std::string& reason);
// Swap through inventory (one inventory transaction: old released, new held). The new unit's
// price and the REG-2 cap are known only from the swap reply: if they fail, the swap is undone
// (swapped back) and the caller gets the 422.
domain::Subscription swap_subscription(const Context& ctx, InventoryClient& inventory,
                                       const sales::Principal& caller, const std::string& id,
                                       const std::string& new_unit_id, const std::string& reason);
domain::Subscription cancel_subscription(const Context& ctx, const sales::Principal& caller,
                                         const std::string& id, const std::string& reason);
domain::Subscription decide_cancellation(const Context& ctx, const sales::Principal& caller,
                                         const std::string& id, bool approve,
                                         const std::string& note);

// Deposits (CON-1, FIN-3) and their operator list: app/deposits.hpp.

}  // namespace contract::app
