#pragma once
// The subscriptions finance has learned from contract.subscription.* (a deposit is paid against
// a subscription before its contract exists).
#include <cstdint>
#include <optional>
#include <string>

#include "adapters/schedule_store.hpp"
#include "sales/db.hpp"

namespace finance::adapters {

struct SubscriptionRef {
    std::string subscription_id;
    std::string project_id;
    std::optional<std::string> unit_id;
    std::optional<std::string> customer_id;
    std::optional<std::int64_t> price_fen;
    std::optional<std::int64_t> deposit_fen;
    std::optional<std::string> status;
    std::int64_t version = 0;
};
// Inserts the subscription or, when `version` is newer than the stored one, updates it (absent
// fields keep their stored values); older or repeated versions change nothing.
void upsert_subscription(sales::db::Tx& tx, const SubscriptionRef& subscription);

// The subscription's project, if finance knows it (Lock::for_update: deposit postings and
// contract.signed serialise on this row).
std::optional<std::string> subscription_project(sales::db::Tx& tx,
                                                const std::string& subscription_id, Lock lock);

}  // namespace finance::adapters
