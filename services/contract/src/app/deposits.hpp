#pragma once
// Deposits judged by the money (CON-1) and reversed deposits (FIN-3): finance's events, the
// deadline sweeper, and the operator list of the cases contract cannot settle by itself.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/deposit_case_store.hpp"
#include "app/context.hpp"
#include "app/inventory_client.hpp"
#include "sales/bus.hpp"
#include "sales/principal.hpp"

namespace contract::app {

inline constexpr const char* kDepositReceived = "finance.deposit.received";
inline constexpr const char* kEntryReversed = "finance.entry.reversed";

// Inbox handler for finance.deposit.received {subscription_id, amount_fen, receipt_no, paid_at,
// entry_id}. CON-1: the deposit counts when paid_at ≤ the deadline, whenever it arrives:
//  - pending_deposit: on time → confirmed (or partial); late → cancelled, flagged for refund;
//  - cancelled by the sweeper, paid on time: the unit is re-taken through `inventory` (hold) and
//    the subscription reinstated (confirmed); when the unit is taken or inventory does not
//    answer, the money is flagged for refund and a deposit case opened;
//  - otherwise as before: flagged for refund (orphaned / duplicate).
void apply_deposit_received(const Context& ctx, InventoryClient& inventory, sales::db::Tx& tx,
                            const sales::bus::Event& event);

// Inbox handler for finance.entry.reversed (FIN-3 红冲) {entry_id, reverses_entry_id,
// subscription_id, reversed_category, amount_fen}. Only reversed deposits of a subscription:
// confirmed → pending_deposit (deadline unchanged; the unit goes back to held); signed,
// cancelled or cancellation_requested → a deposit case, nothing else changes. RetryLater while
// the reversed receipt has not been applied (the two events have separate consumers). A reversed
// loan_disbursement goes to the mortgage desk (apply_disbursement_reversed, CON-8).
void apply_entry_reversed(const Context& ctx, sales::db::Tx& tx, const sales::bus::Event& event);

// CON-1 sweeper: cancels up to `batch` pending subscriptions whose deposit deadline passed, each
// in its own transaction (FOR UPDATE SKIP LOCKED: safe with several replicas). Returns how many.
int expire_overdue(const Context& ctx, int batch);

using DepositCaseFilter = deposit_case_store::Filter;
// GET /api/v1/deposit-cases: oldest first, only the caller's projects (SEC-1).
std::vector<nlohmann::json> list_deposit_cases(const Context& ctx, const sales::Principal& caller,
                                               const DepositCaseFilter& filter);
// POST /api/v1/deposit-cases/{id}/resolve: the operator records how the case was settled (the
// refund approved and paid, or the swap made). Failures: not_found "deposit_case_not_found",
// conflict "deposit_case_resolved".
nlohmann::json resolve_deposit_case(const Context& ctx, const sales::Principal& caller,
                                    const std::string& id, const std::string& resolution);

}  // namespace contract::app
