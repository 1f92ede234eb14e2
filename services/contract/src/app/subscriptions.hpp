#pragma once
// Subscription use cases (CON-1, CON-2, REG-2): load, decide (domain), save + history + outbox
// event in one transaction; the unit is held, swapped and released through inventory's RPC.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/failure.hpp"
#include "app/inventory_client.hpp"
#include "domain/subscription.hpp"
#include "sales/bus.hpp"
#include "sales/clock.hpp"
#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace contract::app {

// Event types (CONTRACT stream); data: the subscription snapshot with subscription_id, plus the
// fields named in docs/events.md.
inline constexpr const char* kSubscriptionCreated = "contract.subscription.created";
inline constexpr const char* kSubscriptionConfirmed = "contract.subscription.confirmed";
inline constexpr const char* kSubscriptionCancelled = "contract.subscription.cancelled";
inline constexpr const char* kSubscriptionRenamed = "contract.subscription.renamed";
inline constexpr const char* kSubscriptionSwapped = "contract.subscription.swapped";
// CON-3: the subscription became a contract (the contract itself: contract.signed).
inline constexpr const char* kSubscriptionSigned = "contract.subscription.signed";
inline constexpr const char* kCancellationRequested =
    "contract.subscription.cancellation_requested";
inline constexpr const char* kCancellationRejected = "contract.subscription.cancellation_rejected";
inline constexpr const char* kDepositRecorded = "contract.subscription.deposit_recorded";
inline constexpr const char* kDepositOrphaned = "contract.subscription.deposit_orphaned";
inline constexpr const char* kDepositReceived = "finance.deposit.received";

nlohmann::json to_json(const domain::Subscription& s);

struct Context {
    sales::db::Pool& db;
    const sales::Clock& clock;
    // How long past the deposit deadline inventory keeps a hold if contract never cancels it.
    std::chrono::seconds hold_grace{600};
};

// Runs inside the creating transaction, after the subscription row is written (idempotency).
using BeforeCommit = std::function<void(sales::db::Tx&, const domain::Subscription&)>;

// CON-1 flow: validate → hold the unit (inventory) → price terms and REG-2 cap → insert the
// subscription, its history row and contract.subscription.created in one transaction. Any
// failure after the hold releases it. Throws Failure, domain::RuleViolation.
domain::Subscription create_subscription(const Context& ctx, InventoryClient& inventory,
                                         const sales::Principal& caller,
                                         const domain::NewSubscription& input,
                                         const std::string& subscription_id,
                                         const BeforeCommit& before_commit);

// nullopt when unknown or outside the caller's projects (not disclosed).
std::optional<domain::Subscription> find_subscription(const Context& ctx,
                                                      const sales::Principal& caller,
                                                      const std::string& id);

struct ListFilter {
    std::optional<std::string> project_id;
    std::optional<domain::Status> status;
    std::optional<std::string> rep_id;
    std::optional<domain::Date> from;  // created on or after this day (Asia/Shanghai)
    std::optional<domain::Date> to;    // created on or before this day (Asia/Shanghai)
    std::int64_t limit = 50;
    std::int64_t offset = 0;
};
// Newest first, only the caller's projects.
std::vector<domain::Subscription> list_subscriptions(const Context& ctx,
                                                     const sales::Principal& caller,
                                                     const ListFilter& filter);

// CON-2 changes. Each throws Failure (not_found), domain::TransitionError (409) or
// domain::RuleViolation (422) and then writes nothing.
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

// For the contract use cases (CON-3), inside the caller's transaction: the subscription locked
// FOR UPDATE (nullopt when unknown), and confirmed → signed with its history row and
// contract.subscription.signed (extra data: contract_id, contract_no).
std::optional<domain::Subscription> lock_subscription(sales::db::Tx& tx, const std::string& id);
domain::Subscription mark_signed(sales::db::Tx& tx, const domain::Subscription& before,
                                 const std::string& actor, const std::string& contract_id,
                                 const std::string& contract_no);

// Inbox handler for finance.deposit.received {subscription_id, amount_fen, receipt_no, paid_at}.
void apply_deposit_received(sales::db::Tx& tx, const sales::bus::Event& event);

// CON-1 sweeper: cancels up to `batch` pending subscriptions whose deposit deadline passed, each
// in its own transaction (FOR UPDATE SKIP LOCKED: safe with several replicas). Returns how many.
int expire_overdue(const Context& ctx, int batch);

}  // namespace contract::app
