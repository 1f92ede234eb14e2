#pragma once
// The contracts finance has scheduled (contracts, schedule_items): FIN-1 schedules, the
// ledger movements attributed to each contract, and its FIN-7 clearance state.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/schedule.hpp"
#include "sales/db.hpp"

namespace finance::adapters {

// A contract's schedule and movements as the domain sees them.
struct ContractBook {
    std::string contract_id;
    std::string contract_no;
    std::string project_id;
    std::string subscription_id;
    std::string customer_id;
    std::string rep_id;  // the owning sales rep (contract.signed)
    std::int64_t penalty_bp_per_day = 0;
    bool cleared = false;
    std::int64_t clearance_version = 1;
    std::vector<domain::ScheduleItem> schedule;
    std::vector<domain::Movement> movements;
};

enum class Lock { none, for_update };

// The contract with its schedule and movements (Lock::for_update: postings serialise per
// contract).
std::optional<ContractBook> load_book(sales::db::Tx& tx, const std::string& contract_id, Lock lock);
// Every contract of a project with its schedule and movements, by contract id.
std::map<std::string, ContractBook> project_books(sales::db::Tx& tx, const std::string& project_id);

// The contract a subscription became, if any.
std::optional<std::string> contract_of_subscription(sales::db::Tx& tx,
                                                    const std::string& subscription_id);
// The contract `contract_id`, or the one `subscription_id` became, if either exists.
std::optional<std::string> contract_by_id_or_subscription(sales::db::Tx& tx,
                                                          const std::string& contract_id,
                                                          const std::string& subscription_id);
std::optional<std::string> contract_project(sales::db::Tx& tx, const std::string& contract_id);

// contract.signed as stored (FIN-1).
struct NewContract {
    std::string contract_id;
    std::string contract_no;
    std::string subscription_id;
    std::string project_id;
    std::string unit_id;
    std::string customer_id;
    std::string rep_id;
    std::int64_t price_fen = 0;
    std::int64_t reported_deposit_fen = 0;
    std::int64_t ledger_deposit_fen = 0;
    std::int64_t penalty_bp_per_day = 0;
    std::string payment_plan;
    std::string signed_at;  // RFC 3339
    std::string source_event_id;
};
// False when a contract with this id or subscription already exists (nothing written).
bool insert_contract(sales::db::Tx& tx, const NewContract& contract);
void insert_schedule_item(sales::db::Tx& tx, const std::string& contract_id,
                          const domain::ScheduleItem& item);

// FIN-7: stores the clearance state; `at` (RFC 3339) becomes cleared_at when cleared.
void set_clearance(sales::db::Tx& tx, const std::string& contract_id, bool cleared,
                   const std::string& at, std::int64_t version);

}  // namespace finance::adapters
