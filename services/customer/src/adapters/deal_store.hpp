#pragma once
// deals: subscriptions and contracts learned from the contract service's events, with the
// CUS-7 exception note and the counts commission validity needs.
#include <cstdint>
#include <optional>
#include <string>

#include "sales/db.hpp"

namespace customer::adapters {

struct DealFacts {
    std::string subscription_id;
    std::string customer_id;
    std::string project_id;
    std::string rep_id;
};
void record_signed(sales::db::Tx& tx, const DealFacts& deal, const std::string& contract_id,
                   const std::string& signed_at);
// The deal's status FOR UPDATE, if known.
std::optional<std::string> lock_deal_status(sales::db::Tx& tx, const std::string& subscription_id);
// status: subscribed or cancelled.
void record_subscription(sales::db::Tx& tx, const DealFacts& deal, const std::string& status);
bool other_live_deals(sales::db::Tx& tx, const std::string& customer_id,
                      const std::string& subscription_id);

// A deal by subscription or contract id, with owner, minimum and the events counted (CUS-7:
// those recorded up to the signing).
std::optional<sales::db::Row> find_deal(sales::db::Tx& tx, const std::string& deal_id,
                                        bool for_update);
sales::db::Result signed_deals(sales::db::Tx& tx, const std::string& project_id);
void record_exception(sales::db::Tx& tx, const std::string& subscription_id,
                      const std::string& note, const std::string& by);

}  // namespace customer::adapters
