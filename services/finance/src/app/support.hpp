#pragma once
// What the finance use cases share: the context, the outbox helper, a contract's book and its
// FIN-7 clearance, and the JSON of a schedule item's balance.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/schedule_store.hpp"
#include "domain/schedule.hpp"
#include "sales/clock.hpp"
#include "sales/db.hpp"

namespace finance::app {

using adapters::ContractBook;

struct Context {
    sales::db::Pool& db;
    const sales::Clock& clock;
};

// Writes a finance.* event to the outbox in the caller's transaction.
void emit(sales::db::Tx& tx, const std::string& type, const std::string& aggregate_id,
          std::int64_t sequence, nlohmann::json data);

// The contract an entry counts for, locked: `contract_id` or else the contract the subscription
// became (none yet: nullopt).
std::optional<ContractBook> lock_book(sales::db::Tx& tx,
                                      const std::optional<std::string>& contract_id,
                                      const std::optional<std::string>& subscription_id);

// FIN-7: recomputes the balance as of today and, when the clearance state changed, stores it
// and emits finance.contract.cleared / finance.contract.uncleared (exactly once per change).
void recompute_clearance(sales::db::Tx& tx, const sales::Clock& clock, const ContractBook& book,
                         const std::string& reason);

// The schedule := the plan's schedule with the receivable adjustments (domain::adjusted_schedule),
// emits finance.schedule.changed (`cause`), recomputes clearance and runs follow_ups. Throws
// sales::Failure when the adjustments do not fit (reduction_exceeds_schedule).
void rebuild_schedule(sales::db::Tx& tx, const sales::Clock& clock, const std::string& contract_id,
                      const std::string& cause);
// After a posting, reversal or schedule change of the contract: area settlements whose money
// has moved are settled (finance.area_settlement.settled) and approved refunds that are fully
// paid are reported (finance.refund.paid), once each.
void follow_ups(sales::db::Tx& tx, const ContractBook& book);

// FIN-5 dunning: each overdue schedule item of the contract is announced once
// (finance.instalment.overdue, when `open_new`: the periodic sweep) and closed when it is paid,
// the contract cancelled or the item gone from a rebuilt schedule (finance.instalment.settled).
void dunning(sales::db::Tx& tx, const sales::Clock& clock, const ContractBook& book, bool open_new);
// The periodic sweep over contracts with items due before today (or open notices), `batch` per
// page; contracts another replica holds are skipped. Returns how many were examined.
std::size_t sweep_dunning(const Context& ctx, std::int64_t batch);
std::size_t sweep_contracts(const Context& ctx, const std::vector<std::string>& ids);

// One schedule item as finance.schedule.created carries it (FIN-1).
nlohmann::json schedule_item_json(const domain::ScheduleItem& item);
// One schedule item's balance as the API shows it (FIN-5): the item and what is paid and owed.
nlohmann::json item_json(const domain::ItemBalance& item);

inline constexpr const char* kDepositReceived = "finance.deposit.received";
inline constexpr const char* kScheduleCreated = "finance.schedule.created";
inline constexpr const char* kPaymentRecorded = "finance.payment.recorded";
inline constexpr const char* kEntryReversed = "finance.entry.reversed";
inline constexpr const char* kContractCleared = "finance.contract.cleared";
inline constexpr const char* kContractUncleared = "finance.contract.uncleared";
inline constexpr const char* kScheduleChanged = "finance.schedule.changed";
inline constexpr const char* kAreaSettlementSettled = "finance.area_settlement.settled";
inline constexpr const char* kRefundPaid = "finance.refund.paid";
inline constexpr const char* kInstalmentOverdue = "finance.instalment.overdue";
inline constexpr const char* kInstalmentSettled = "finance.instalment.settled";

}  // namespace finance::app
