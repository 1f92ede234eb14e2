#pragma once
// The subscriptions table and its history (CON-1, CON-2): reading, inserting, and the one way a
// subscription's change is saved — row, history row and outbox event in the caller's
// transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/contract.hpp"
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
// Whether the receipt was already applied (before an inventory call that must not repeat).
bool deposit_recorded(sales::db::Tx& tx, const std::string& project_id,
                      const std::string& receipt_no);

// A receipt as applied, found by finance's ledger entry (FIN-3 reversals), locked.
struct AppliedDeposit {
    std::string subscription_id;
    std::string receipt_no;
    std::int64_t amount_fen = 0;
    std::string paid_at;  // RFC 3339
    std::string outcome;  // domain::DepositOutcome
    std::optional<std::string> reversed_by_entry_id;
};
std::optional<AppliedDeposit> lock_deposit_of_entry(sales::db::Tx& tx, const std::string& entry_id);
// FIN-3: the receipt of `entry_id` was reversed by `reversal_entry_id`.
// The unit's building and number as inventory's hold or swap reply named them (contract search);
// a building id that is not a UUID, or an empty or over-long number, is stored as unknown.
void set_unit_location(sales::db::Tx& tx, const std::string& id, const std::string& building_id,
                       const std::string& unit_number);
// CON-5 换房 after signing: the signed subscription moves with its contract to the new unit
// (unit, areas, location), so that a unit has one live deal here (INV-4).
void set_unit(sales::db::Tx& tx, const std::string& id, const domain::NewUnit& unit);

void mark_deposit_reversed(sales::db::Tx& tx, const std::string& entry_id,
                           const std::string& reversal_entry_id);

}  // namespace contract::subscription_store
