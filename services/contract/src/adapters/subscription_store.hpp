#pragma once
// The subscriptions table and its history (CON-1, CON-2): reading, inserting, and the one way a
// subscription's change is saved — row, history row and outbox event in the caller's
// transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/subscription.hpp"
#include "sales/db.hpp"

namespace contract::subscription_store {

// The subscription, locked FOR UPDATE when `for_update`; nullopt when unknown (or not a UUID).
std::optional<domain::Subscription> find(sales::db::Tx& tx, const std::string& id, bool for_update);

// Writes a change made by the domain (domain::create / rename / …): the row (inserted when the
// change created it, else updated if still at change.from_version: Failure conflict
// "concurrent_change" otherwise), the subscription_history row and the event.
void save(sales::db::Tx& tx, const domain::Subscription& after,
          const domain::SubscriptionChange& change);

struct ListFilter {
    std::optional<std::string> project_id;
    std::optional<domain::Status> status;
    std::optional<std::string> rep_id;
    std::optional<domain::Date> from;  // created on or after this day (Asia/Shanghai)
    std::optional<domain::Date> to;    // created on or before this day (Asia/Shanghai)
    std::int64_t limit = 50;
    std::int64_t offset = 0;
};
// Newest first; `projects`: only these (nullopt: every project).
std::vector<domain::Subscription> list(sales::db::Tx& tx, const ListFilter& filter,
                                       const std::optional<std::vector<std::string>>& projects);

// The pending subscription whose deposit deadline passed longest ago, locked (SKIP LOCKED).
std::optional<domain::Subscription> lock_next_overdue(sales::db::Tx& tx, sales::TimePoint now);

// Records a deposit receipt once per project; false when the receipt was already applied.
bool record_deposit(sales::db::Tx& tx, const domain::Subscription& s,
                    const domain::DepositReceipt& receipt, domain::DepositOutcome outcome,
                    const std::string& event_id);

}  // namespace contract::subscription_store
