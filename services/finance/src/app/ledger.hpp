#pragma once
// The ledger's use cases (FIN-2..5, FIN-7): postings, reversals, refund approvals, queries,
// balances and reports. Each posting is ONE transaction: the ledger row, the contract's
// recomputed balance and clearance state, and the outbox events.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/ledger_store.hpp"
#include "app/support.hpp"
#include "domain/ledger.hpp"
#include "sales/principal.hpp"
#include "sales/sheet.hpp"

namespace finance::app {

struct PaymentInput {
    std::optional<std::string> contract_id;
    std::optional<std::string> subscription_id;
    domain::Category category = domain::Category::instalment;
    domain::Method method = domain::Method::cash;
    std::string payer;
    std::int64_t amount_fen = 0;
    std::string receipt_no;
    std::optional<sales::TimePoint> paid_at;  // default now; FIN-2: entered the same day
    std::optional<std::string> approval_ref;  // refunds (FIN-4)
    std::optional<std::string> note;
};

// 201 body: the entry. Failures: 404 subscription/contract/approval not found (or outside the
// caller's projects), 409 duplicate_receipt, 422 rule violations (FIN-2, FIN-4).
nlohmann::json post_payment(const Context& ctx, const sales::Principal& caller,
                            const PaymentInput& input);

// FIN-3 red-ink reversal of entry `entry_id`. Failures: 404 entry_not_found, 409
// already_reversed / cannot_reverse_reversal / duplicate_receipt.
nlohmann::json reverse_entry(const Context& ctx, const sales::Principal& caller,
                             const std::string& entry_id, const std::string& reason,
                             const std::optional<std::string>& receipt_no);

struct RefundApprovalInput {
    std::optional<std::string> contract_id;
    std::optional<std::string> subscription_id;
    std::int64_t amount_fen = 0;
    std::string reason;
    // CON-10: the refund pays (part of) the refund due of this area settlement of the contract.
    std::optional<std::string> area_settlement_id;
};
// FIN-4: a finance director's approval of a refund; the refund entry references its id.
// With area_settlement_id: 404 area_settlement_not_found (not booked for the contract), 409
// area_settlement_settled, 422 refund_exceeds_settlement (more than its refund due less what
// earlier approvals for it allow).
nlohmann::json approve_refund(const Context& ctx, const sales::Principal& caller,
                              const RefundApprovalInput& input);

// FIN-4: the project's refund approvals, newest first, with what their refunds paid so far
// (`refunded_fen`), what they pay for (`purpose`: contract_cancellation, area_settlement or
// null for a refund approved by hand) and when they were fully paid.
nlohmann::json list_refund_approvals(const Context& ctx, const sales::Principal& caller,
                                     const std::string& project_id, bool unpaid_only);

// CON-9: a fee charged at handover becomes a schedule item of kind `fee` that counts for
// clearance (the contract is no longer cleared until it is paid; finance.schedule.changed).
// 404 contract_not_found, 409 contract_cancelled.
struct FeeInput {
    domain::FeeKind kind = domain::FeeKind::maintenance_fund;
    std::int64_t amount_fen = 0;
    sales::Date due_date;
    std::optional<std::string> note;
};
nlohmann::json add_fee(const Context& ctx, const sales::Principal& caller,
                       const std::string& contract_id, const FeeInput& input);
// The fees charged on the contract, oldest first.
nlohmann::json list_fees(const Context& ctx, const sales::Principal& caller,
                         const std::string& contract_id);

nlohmann::json get_entry(const Context& ctx, const sales::Principal& caller,
                         const std::string& entry_id);

// The caller's projects limit the listing; `filter.all_projects` and `filter.projects` are set
// from the caller.
nlohmann::json list_entries(const Context& ctx, const sales::Principal& caller,
                            adapters::EntryFilter filter);

// FIN-5/FIN-7: due, paid, overdue, penalty and items as of `as_of` (default: today).
nlohmann::json contract_balance(const Context& ctx, const sales::Principal& caller,
                                const std::string& contract_id, std::optional<sales::Date> as_of);

// FIN-6: receipts/refunds detail by day and in total for [from, to] (booked days).
nlohmann::json receipts_report(const Context& ctx, const sales::Principal& caller,
                               const std::string& project_id, sales::Date from, sales::Date to);
// FIN-5: arrears with aging buckets as of `as_of` (default: today).
// 不合理欠款明细表 as a table (CSV/xlsx): one row per overdue item with the contract, its owning
// rep, the item, what is owed, days overdue and the aging bucket; a 合计 row.
sales::sheet::Sheet arrears_sheet(const nlohmann::json& report);
nlohmann::json arrears_report(const Context& ctx, const sales::Principal& caller,
                              const std::string& project_id, std::optional<sales::Date> as_of);

}  // namespace finance::app
