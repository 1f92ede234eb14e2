#pragma once
// Subscription 认购 (CON-1, CON-2, REG-2): its states and transitions, the rules of a new
// subscription and of its price terms, and what a received deposit does. Pure: no I/O.
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/area_settlement.hpp"
#include "domain/calendar.hpp"
#include "domain/event.hpp"
#include "domain/project_ref.hpp"
#include "sales/clock.hpp"
#include "sales/enum_names.hpp"
#include "sales/failure.hpp"

namespace contract::domain {

// pending_deposit → confirmed (deposit paid) → signed (CON-3: the contract is signed);
// pending_deposit → cancelled (deadline passed, or cancelled by sales control);
// confirmed → cancellation_requested → cancelled (approved) | confirmed (rejected);
// cancelled for the deadline → confirmed (reinstate: the deposit was paid on time, CON-1);
// confirmed → pending_deposit (reverse_deposit: finance reversed the deposit, FIN-3).
SALES_ENUM(Status, pending_deposit, confirmed, cancellation_requested, cancelled, signed_);
inline constexpr auto parse_status = &sales::parse_enum<Status>;
// "pending_deposit, confirmed, cancellation_requested, cancelled, signed" (for error messages).
std::string status_names();
// A live subscription holds its unit: at most one per unit (INV-4 "never two live deals").
bool is_live(Status status);

SALES_ENUM(
    Action,
    confirm_deposit,          // pending_deposit → confirmed
    record_partial_deposit,   // pending_deposit → pending_deposit (paid less than the deposit)
    expire,                   // pending_deposit → cancelled (CON-1 deadline passed)
    cancel,                   // pending_deposit → cancelled; confirmed → cancellation_requested
    approve_cancellation,     // cancellation_requested → cancelled (CON-2, refund due)
    reject_cancellation,      // cancellation_requested → confirmed
    rename,                   // pending_deposit | confirmed, unchanged (CON-2)
    swap,                     // pending_deposit | confirmed, unchanged (CON-2)
    record_orphaned_deposit,  // cancelled → cancelled (the late deposit becomes a refund)
    sign,                     // confirmed → signed (CON-3)
    reinstate,       // cancelled (deadline passed) → confirmed: paid on time, delivered late
    reverse_deposit  // confirmed | pending_deposit → pending_deposit (FIN-3 红冲 of the deposit)
);

// The state `action` leads to from `from`; throws sales::Failure conflict "invalid_transition"
// (details: status, action) when it is not allowed.
Status next_status(Status from, Action action);

SALES_ENUM(PaymentPlan, one_off, instalments, mortgage);  // INV-3
inline constexpr auto parse_payment_plan = &sales::parse_enum<PaymentPlan>;

struct FieldProblem {
    std::string field;
    std::string problem;
};

// A POST /subscriptions body after its JSON types were checked.
struct NewSubscription {
    std::string unit_id;
    std::string customer_id;
    std::string rep_id;
    std::optional<std::string> reservation_id;  // names the unit's reservation (INV-4)
    std::int64_t discount_fen = 0;
    std::string payment_plan;
    std::int64_t deposit_fen = 0;
    std::string signing_deadline;  // YYYY-MM-DD
};

// CON-1 fields: ids, payment plan, money signs, signing deadline a real day not before
// `today` (Asia/Shanghai). Every problem found, in field order; empty when valid.
std::vector<FieldProblem> validate(const NewSubscription& input, Date today);

// Commission credit (issue 11): the roles that register deals for the office and may therefore
// credit another rep. 现场销控 records the 业务员 of every 认购 (seed 003, DOMAIN.md
// sales_control); the supervisor and the manager lead the rep team; admin is everything.
// Everyone else (sales_rep) may credit only themselves.
bool may_assign_rep(const std::vector<std::string>& caller_roles);
// Throws sales::Failure forbidden "rep_not_assignable" unless `rep_id` is the caller, or the
// caller may_assign_rep and `rep_id` is a user id as the gateway issues them (a UUID).
void check_rep_assignment(const std::string& caller_id,
                          const std::vector<std::string>& caller_roles, const std::string& rep_id);

struct PriceTerms {
    std::int64_t list_total_fen = 0;
    std::int64_t discount_fen = 0;
    std::int64_t price_fen = 0;
    std::int64_t deposit_fen = 0;
};

// REG-2 with exact integer arithmetic: deposit * 100 ≤ price * cap_percent.
bool deposit_within_cap(std::int64_t deposit_fen, std::int64_t price_fen, std::int64_t cap_percent);
// The largest deposit REG-2 allows: floor(price * cap_percent / 100).
std::int64_t max_deposit_fen(std::int64_t price_fen, std::int64_t cap_percent);

// price = list total − discount. Throws sales::Failure rule "discount_exceeds_list_total" when the
// discount is larger than the list total, "deposit_exceeds_cap" (REG-2, details: cap_percent,
// max_deposit_fen, price_fen, deposit_fen) when the deposit is over the cap.
PriceTerms price_terms(std::int64_t list_total_fen, std::int64_t discount_fen,
                       std::int64_t deposit_fen, std::int64_t cap_percent);

// CON-1: the deposit is due this long after the subscription is made.
sales::TimePoint deposit_deadline(sales::TimePoint created_at, const ProjectSettings& settings);

// Cancellation reason codes (the `reason` of contract.subscription.cancelled).
inline constexpr const char* kReasonDeadlinePassed = "deposit_deadline_passed";
inline constexpr const char* kReasonCancelledBeforeDeposit = "cancelled_before_deposit";
inline constexpr const char* kReasonCancellationApproved = "cancellation_approved";

struct Subscription {
    std::string id;
    std::string project_id;
    std::string unit_id;
    std::string customer_id;
    std::string rep_id;
    Status status = Status::pending_deposit;
    PaymentPlan payment_plan = PaymentPlan::one_off;
    PriceTerms terms;
    DealAreas areas;  // of the unit held
    std::int64_t deposit_paid_fen = 0;
    std::int64_t refund_due_fen = 0;
    sales::TimePoint deposit_deadline;
    std::string signing_deadline;                    // YYYY-MM-DD
    std::optional<std::string> cancellation_reason;  // one of the kReason* codes
    std::optional<std::string> cancellation_note;    // the requester's words
    std::optional<std::string> cancellation_requested_by;
    std::optional<std::string> cancellation_decided_by;
    std::optional<std::string> cancellation_decision_note;
    std::int64_t version = 1;
    std::string created_by;
    std::string created_at;
    std::string updated_at;
};

// The subscription as the API shows it (GET /api/v1/subscriptions/{id}).
nlohmann::json to_json(const Subscription& s);

// What one change records besides the new state: the history row (SEC-2) and the event, whose
// data is the subscription snapshot after the change (`id` named `subscription_id`) plus the
// change's extra fields (`details`, also the history row's details). Written by one helper, in
// the transaction of the change (adapters/subscription_store).
struct SubscriptionChange {
    std::optional<Status> from;     // nullopt: created
    std::int64_t from_version = 0;  // the version the change was made on (0: created)
    std::string action;             // "create", "rename", "confirm_deposit", …
    std::string actor;
    std::optional<std::string> reason;
    nlohmann::json details = nlohmann::json::object();
    Event event;
};

// A new subscription (version 1, pending_deposit, created and updated `by.at`).
SubscriptionChange create(Subscription& s, const By& by);

// The changes below check the transition first (Failure "invalid_transition"), then change `s`
// (version + 1, updated_at = by.at) and return what they record.
// CON-2 rename: a new customer. Same customer → Failure rule "no_change".
SubscriptionChange rename(Subscription& s, const std::string& customer_id, const By& by);
// CON-2 swap: the new unit, its list total, price re-computed with the same discount and the
// REG-2 cap re-checked (Failure rule as in price_terms; `s` is then unchanged).
SubscriptionChange swap(Subscription& s, const std::string& new_unit_id,
                        std::int64_t new_list_total_fen, std::int64_t cap_percent, const By& by);
// CON-3: the subscription became a contract (confirmed → signed).
SubscriptionChange sign(Subscription& s, const std::string& contract_id,
                        const std::string& contract_no, const By& by);
// CON-1: the deposit deadline passed; anything already paid is due back.
SubscriptionChange expire(Subscription& s, const By& by);
// pending_deposit: cancelled at once (anything paid is due back); confirmed: a cancellation
// request awaiting the finance director (CON-2). The note is `by.reason`.
SubscriptionChange cancel(Subscription& s, const By& by);
// CON-2: approved → cancelled with the paid deposit due back; rejected → confirmed again.
SubscriptionChange decide_cancellation(Subscription& s, bool approve, const By& by);

SALES_ENUM(DepositOutcome,
           confirmed,  // pending_deposit and now paid in full
           partial,    // pending_deposit, paid less than the deposit so far
           orphaned,   // cancelled: the money is flagged for refund, never lost
           duplicate,  // confirmed / cancellation_requested: already paid; flagged for refund
           late,       // pending_deposit but paid after the deadline: expired, flagged for refund
           reinstated  // cancelled for the deadline, paid on time: the unit re-taken, confirmed
);
// A finance.deposit.received as the subscription sees it.
struct DepositReceipt {
    std::int64_t amount_fen = 0;  // > 0
    std::string receipt_no;
    std::string paid_at;  // RFC 3339: finance's record of when the money was taken (one clock)
    std::optional<std::string> entry_id;  // finance's ledger entry (a FIN-3 reversal names it)
};

// CON-1: a deposit counts when finance took the money at or before the deadline, whenever its
// event arrives. A `paid_at` that is not RFC 3339 is never on time.
bool paid_on_time(const std::string& paid_at, sales::TimePoint deadline);

// CON-1 late delivery: `s` was cancelled by the sweeper for its deadline (not by staff), the
// receipt was paid on time and completes the deposit. The unit must then be re-taken
// (inventory) before `reinstate`; if it cannot be, the money is orphaned (receive_deposit) and
// the case goes to the operator list.
bool awaits_reinstatement(const Subscription& s, const DepositReceipt& receipt);
// cancelled → confirmed with the deposit paid (what exceeds it, and what was due back at the
// expiry, stays due back); cancellation fields cleared. Check awaits_reinstatement first:
// Failure "invalid_transition" when `s` is not cancelled.
SubscriptionChange reinstate(Subscription& s, const DepositReceipt& receipt, const By& by);

// FIN-3: a reversed deposit receipt of `amount_fen` (> 0) that counted for `s` (outcome
// confirmed, partial or reinstated). nullopt when reverse_deposit applies; otherwise why the
// reversal is left to an operator (signed, cancelled, cancellation requested, or the receipt
// was only an excess already flagged for refund) and nothing may change.
std::optional<std::string> reversal_problem(const Subscription& s, std::int64_t amount_fen);
// confirmed | pending_deposit → pending_deposit: the reversed amount no longer counts
// (deposit_paid_fen reduced; an excess flagged for refund is reduced first); the deadline is
// unchanged (if it passed, the sweeper cancels). Extra: amount_fen, entry_id,
// previous_deposit_paid_fen. Inventory holds the unit again until the deadline plus its grace.
SubscriptionChange reverse_deposit(Subscription& s, std::int64_t amount_fen,
                                   const std::string& entry_id, const By& by);
struct DepositApplied {
    DepositOutcome outcome = DepositOutcome::confirmed;
    SubscriptionChange change;
};
// Applies a received deposit to `s`. Whatever exceeds the agreed deposit (an overpayment, a
// second payment, a payment after cancellation) goes to refund_due_fen.
DepositApplied receive_deposit(Subscription& s, const DepositReceipt& receipt, const By& by);

}  // namespace contract::domain
