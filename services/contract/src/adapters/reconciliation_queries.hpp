#pragma once
// What the reconciliation of holds reads from contract's side (app/reconciliation.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include "sales/db.hpp"

namespace contract::reconciliation_queries {

// For each of `subscription_ids` contract has: id, status, unit_id, contract_status (null
// without a contract). An id of an amendment with a unit change (CON-5 换房: its hold) comes as
// status `amendment_in_audit` (live) with its new unit, or `cancelled` once decided.
sales::db::Result deal_states(sales::db::Tx& tx, const std::vector<std::string>& subscription_ids);

// Subscriptions that should hold a unit in inventory (not cancelled, and their contract, if any,
// not cancelled), unchanged for `min_age_seconds`, by id after `after_id` ("" = from the
// start), at most `limit`: id, unit_id.
sales::db::Result live_page(sales::db::Tx& tx, const std::string& after_id, std::int64_t limit,
                            std::int64_t min_age_seconds);

}  // namespace contract::reconciliation_queries
