#pragma once
// What a hold needs beyond the unit row: the subscriptions contract released (no late hold for
// them) and the extension of a hold once its subscription exists.
#include <chrono>
#include <cstdint>
#include <string>

#include "sales/db.hpp"

namespace inventory::adapters::hold_store {

// Serialises the hold and the release of one subscription (transaction-scoped advisory lock).
void lock_subscription(sales::db::Tx& tx, const std::string& subscription_id);
bool was_released(sales::db::Tx& tx, const std::string& subscription_id);
void record_released(sales::db::Tx& tx, const std::string& subscription_id);
std::size_t purge_released(sales::db::Tx& tx, std::chrono::seconds older_than);

// The unit `held` by the subscription keeps its hold until `hold_until` (never shortened).
// Returns how many units were extended (0 or 1).
std::size_t extend_hold(sales::db::Tx& tx, const std::string& subscription_id,
                        const std::string& hold_until);

// Units in a deal (held, subscribed, signed, handed_over), by unit id after `after_unit_id`
// ("" = from the start), at most `limit`: unit_id, project_id, status, subscription_id,
// changed_at (RFC 3339, the unit's last change). For contract's reconciliation.
sales::db::Result deals_page(sales::db::Tx& tx, const std::string& after_unit_id, int limit);

}  // namespace inventory::adapters::hold_store
