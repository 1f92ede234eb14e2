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
};
// FIN-4: a finance director's approval of a refund; the refund entry references its id.
nlohmann::json approve_refund(const Context& ctx, const sales::Principal& caller,
                              const RefundApprovalInput& input);

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
nlohmann::json arrears_report(const Context& ctx, const sales::Principal& caller,
                              const std::string& project_id, std::optional<sales::Date> as_of);

}  // namespace finance::app
