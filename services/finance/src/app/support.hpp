#pragma once
// What the finance use cases share: the context, the caller, one error type the adapters map
// to HTTP statuses, SQL helpers and the outbox helper.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/schedule.hpp"
#include "sales/bus.hpp"
#include "sales/calendar.hpp"
#include "sales/clock.hpp"
#include "sales/db.hpp"
#include "sales/failure.hpp"
#include "sales/principal.hpp"

namespace finance::app {

struct Context {
    sales::db::Pool& db;
    const sales::Clock& clock;
};

// A request the use cases turn down (sales/failure.hpp).
using Failure = sales::Failure;

[[noreturn]] void invalid(const std::string& field, const std::string& problem);
[[noreturn]] void not_found(const std::string& what, const std::string& id);

// SQL: a timestamptz column as RFC 3339 UTC text with milliseconds ("... AS <alias>").
std::string iso(const std::string& column, const std::string& alias);
nlohmann::json nullable(const std::optional<std::string>& value);

// Writes a finance.* event to the outbox in the caller's transaction.
void emit(sales::db::Tx& tx, const std::string& type, const std::string& aggregate_id,
          std::int64_t sequence, nlohmann::json data);

sales::Date date_of(const std::string& yyyy_mm_dd);  // throws std::runtime_error

// The ledger entries that count for a contract: its own and the deposit entries of its
// subscription (attribution by subscription_id; the ledger rows are never rewritten).
inline constexpr const char* kAttributed =
    "(e.contract_id = c.contract_id OR (e.contract_id IS NULL AND e.subscription_id = "
    "c.subscription_id))";

// A contract's schedule and movements as the domain sees them.
struct ContractBook {
    std::string contract_id;
    std::string contract_no;
    std::string project_id;
    std::string subscription_id;
    std::string customer_id;
    std::int64_t penalty_bp_per_day = 0;
    bool cleared = false;
    std::int64_t clearance_version = 1;
    std::vector<domain::ScheduleItem> schedule;
    std::vector<domain::Movement> movements;
};
// Loads the contract (FOR UPDATE when asked: postings serialise per contract).
std::optional<ContractBook> load_book(sales::db::Tx& tx, const std::string& contract_id,
                                      bool for_update);

// FIN-7: recomputes the balance as of today and, when the clearance state changed, stores it
// and emits finance.contract.cleared / finance.contract.uncleared (exactly once per change).
void recompute_clearance(sales::db::Tx& tx, const sales::Clock& clock, const ContractBook& book,
                         const std::string& reason);

inline constexpr const char* kDepositReceived = "finance.deposit.received";
inline constexpr const char* kScheduleCreated = "finance.schedule.created";
inline constexpr const char* kPaymentRecorded = "finance.payment.recorded";
inline constexpr const char* kEntryReversed = "finance.entry.reversed";
inline constexpr const char* kContractCleared = "finance.contract.cleared";
inline constexpr const char* kContractUncleared = "finance.contract.uncleared";

}  // namespace finance::app
