// The changes of a subscription (CON-1, CON-2, CON-3) and the events they produce.
#include <algorithm>
#include <utility>

#include "domain/subscription.hpp"
#include "sales/calendar.hpp"
#include "sales/money.hpp"

namespace contract::domain {
namespace {

const char* event_type(Action action, Status to) {
    switch (action) {
        case Action::confirm_deposit:
            return kSubscriptionConfirmed;
        case Action::record_partial_deposit:
            return kDepositRecorded;
        case Action::cancel:
            return to == Status::cancelled ? kSubscriptionCancelled : kCancellationRequested;
        case Action::expire:
        case Action::approve_cancellation:
            return kSubscriptionCancelled;
        case Action::reject_cancellation:
            return kCancellationRejected;
        case Action::rename:
            return kSubscriptionRenamed;
        case Action::swap:
            return kSubscriptionSwapped;
        case Action::record_orphaned_deposit:
            return kDepositOrphaned;
        case Action::sign:
            return kSubscriptionSigned;
        case Action::reinstate:
            return kSubscriptionConfirmed;
        case Action::reverse_deposit:
            return kDepositReversed;
    }
    return "unknown";
}

// The history row and the event of a change that left `s` as it is now.
SubscriptionChange recorded(const Subscription& s, std::optional<Status> from,
                            std::int64_t from_version, std::string action, const std::string& type,
                            nlohmann::json extra, const By& by) {
    if (type == kSubscriptionCancelled)
        extra["reason"] = nullable(s.cancellation_reason);
    auto data = to_json(s);
    data.erase("id");
    data["subscription_id"] = s.id;
    data.update(extra);
    return {from,
            from_version,
            std::move(action),
            by.actor,
            by.reason,
            std::move(extra),
            Event{type, s.id, std::move(data), s.version}};
}

// `s` was changed by `action` from (status, version): version + 1, updated now.
SubscriptionChange changed(Subscription& s, Status from, Action action, nlohmann::json extra,
                           const By& by) {
    const auto from_version = s.version;
    s.version = from_version + 1;
    s.updated_at = sales::to_rfc3339(by.at);
    return recorded(s, from, from_version, std::string(to_string(action)),
                    event_type(action, s.status), std::move(extra), by);
}

// The transition's new status (or Failure "invalid_transition"); `s` is not changed yet.
Status checked(const Subscription& s, Action action) {
    return next_status(s.status, action);
}

}  // namespace

SubscriptionChange create(Subscription& s, const By& by) {
    s.status = Status::pending_deposit;
    s.version = 1;
    s.created_by = by.actor;
    s.created_at = s.updated_at = sales::to_rfc3339(by.at);
    return recorded(s, std::nullopt, 0, "create", kSubscriptionCreated, nlohmann::json::object(),
                    by);
}

SubscriptionChange rename(Subscription& s, const std::string& customer_id, const By& by) {
    const auto from = s.status;
    s.status = checked(s, Action::rename);
    if (customer_id == s.customer_id) {
        sales::fail_rule("no_change", "the subscription already belongs to this customer",
                         {{"customer_id", customer_id}});
    }
    nlohmann::json extra = {{"previous_customer_id", s.customer_id}};
    s.customer_id = customer_id;
    return changed(s, from, Action::rename, std::move(extra), by);
}

SubscriptionChange swap(Subscription& s, const std::string& new_unit_id,
                        std::int64_t new_list_total_fen, std::int64_t cap_percent, const By& by) {
    const auto from = s.status;
    s.status = checked(s, Action::swap);
    s.terms =
        price_terms(new_list_total_fen, s.terms.discount_fen, s.terms.deposit_fen, cap_percent);
    nlohmann::json extra = {{"old_unit_id", s.unit_id}};
    s.unit_id = new_unit_id;
    return changed(s, from, Action::swap, std::move(extra), by);
}

SubscriptionChange sign(Subscription& s, const std::string& contract_id,
                        const std::string& contract_no, const By& by) {
    const auto from = s.status;
    s.status = checked(s, Action::sign);
    return changed(s, from, Action::sign,
                   {{"contract_id", contract_id}, {"contract_no", contract_no}}, by);
}

SubscriptionChange expire(Subscription& s, const By& by) {
    const auto from = s.status;
    s.status = checked(s, Action::expire);
    s.cancellation_reason = kReasonDeadlinePassed;
    s.refund_due_fen = s.deposit_paid_fen;
    return changed(s, from, Action::expire, nlohmann::json::object(), by);
}

SubscriptionChange cancel(Subscription& s, const By& by) {
    const auto from = s.status;
    s.status = checked(s, Action::cancel);
    s.cancellation_note = by.reason;
    s.cancellation_requested_by = by.actor;
    if (s.status == Status::cancelled) {
        s.cancellation_reason = kReasonCancelledBeforeDeposit;
        s.refund_due_fen = s.deposit_paid_fen;
    }
    return changed(s, from, Action::cancel, nlohmann::json::object(), by);
}

SubscriptionChange decide_cancellation(Subscription& s, bool approve, const By& by) {
    const auto from = s.status;
    const auto action = approve ? Action::approve_cancellation : Action::reject_cancellation;
    s.status = checked(s, action);
    s.cancellation_decided_by = by.actor;
    s.cancellation_decision_note = by.reason;
    if (approve) {
        s.cancellation_reason = kReasonCancellationApproved;
        s.refund_due_fen = s.deposit_paid_fen;  // CON-2: the paid deposit is refunded
    }
    return changed(s, from, action, nlohmann::json::object(), by);
}

DepositApplied receive_deposit(Subscription& s, const DepositReceipt& receipt, const By& by) {
    const auto from = s.status;
    const nlohmann::json extra = {{"amount_fen", receipt.amount_fen},
                                  {"receipt_no", receipt.receipt_no},
                                  {"paid_at", receipt.paid_at}};
    // Money received is never lost: what the deal cannot take is flagged for refund.
    if (s.status != Status::pending_deposit) {
        const bool cancelled = s.status == Status::cancelled;
        s.status = checked(s, Action::record_orphaned_deposit);
        s.refund_due_fen = sales::checked_add(s.refund_due_fen, receipt.amount_fen);
        return {cancelled ? DepositOutcome::orphaned : DepositOutcome::duplicate,
                changed(s, from, Action::record_orphaned_deposit, extra, by)};
    }
    if (!paid_on_time(receipt.paid_at, s.deposit_deadline)) {
        // CON-1: the money was taken after the deadline; it does not count, whenever it arrives.
        By late = by;
        late.reason = "deposit paid at " + receipt.paid_at + ", after the deadline " +
                      sales::to_rfc3339(s.deposit_deadline) + " (CON-1): flagged for refund";
        s.status = checked(s, Action::expire);
        s.cancellation_reason = kReasonDeadlinePassed;
        s.refund_due_fen = sales::checked_add(s.deposit_paid_fen, receipt.amount_fen);
        auto late_extra = extra;
        late_extra["late_deposit"] = true;
        return {DepositOutcome::late, changed(s, from, Action::expire, late_extra, late)};
    }
    const std::int64_t outstanding = s.terms.deposit_fen - s.deposit_paid_fen;
    if (receipt.amount_fen < outstanding) {
        s.status = checked(s, Action::record_partial_deposit);
        s.deposit_paid_fen = sales::checked_add(s.deposit_paid_fen, receipt.amount_fen);
        return {DepositOutcome::partial,
                changed(s, from, Action::record_partial_deposit, extra, by)};
    }
    s.status = checked(s, Action::confirm_deposit);
    s.deposit_paid_fen = s.terms.deposit_fen;  // REG-2: the deposit never exceeds the agreed one
    s.refund_due_fen = sales::checked_add(s.refund_due_fen, receipt.amount_fen - outstanding);
    return {DepositOutcome::confirmed, changed(s, from, Action::confirm_deposit, extra, by)};
}

bool paid_on_time(const std::string& paid_at, sales::TimePoint deadline) {
    const auto at = sales::parse_rfc3339(paid_at);
    return at && *at <= deadline;
}

bool awaits_reinstatement(const Subscription& s, const DepositReceipt& receipt) {
    // Only the sweeper's cancellation is undone; a cancellation by staff stands.
    return s.status == Status::cancelled && s.cancellation_reason == kReasonDeadlinePassed &&
           !s.cancellation_requested_by && paid_on_time(receipt.paid_at, s.deposit_deadline) &&
           sales::checked_add(s.deposit_paid_fen, receipt.amount_fen) >= s.terms.deposit_fen;
}

SubscriptionChange reinstate(Subscription& s, const DepositReceipt& receipt, const By& by) {
    const auto from = s.status;
    s.status = checked(s, Action::reinstate);
    const auto received = sales::checked_add(s.deposit_paid_fen, receipt.amount_fen);
    // What the expiry flagged for refund (earlier partial payments) counts again.
    s.refund_due_fen = std::max<std::int64_t>(0, s.refund_due_fen - s.deposit_paid_fen);
    s.deposit_paid_fen = std::min(received, s.terms.deposit_fen);  // REG-2
    s.refund_due_fen = sales::checked_add(s.refund_due_fen, received - s.deposit_paid_fen);
    s.cancellation_reason.reset();
    s.cancellation_note.reset();
    return changed(s, from, Action::reinstate,
                   {{"amount_fen", receipt.amount_fen},
                    {"receipt_no", receipt.receipt_no},
                    {"paid_at", receipt.paid_at},
                    {"deposit_deadline", sales::to_rfc3339(s.deposit_deadline)}},
                   by);
}

std::optional<std::string> reversal_problem(const Subscription& s, std::int64_t amount_fen) {
    switch (s.status) {
        case Status::confirmed:
        case Status::pending_deposit:
            break;
        case Status::signed_:
            return "the subscription is signed: the contract's ledger and clearance decide";
        case Status::cancelled:
            return "the subscription is cancelled: adjust the refund due";
        case Status::cancellation_requested:
            return "a cancellation awaits the finance director: decide it first";
    }
    const auto received = sales::checked_add(s.deposit_paid_fen, s.refund_due_fen);
    if (amount_fen > received)
        return "the reversal is more than the subscription received";
    if (s.status == Status::confirmed && received - amount_fen >= s.terms.deposit_fen)
        return "only an excess already flagged for refund was reversed: adjust the refund due";
    return std::nullopt;
}

SubscriptionChange reverse_deposit(Subscription& s, std::int64_t amount_fen,
                                   const std::string& entry_id, const By& by) {
    const auto from = s.status;
    s.status = checked(s, Action::reverse_deposit);
    // What remains received counts towards the deposit first; the rest stays due back.
    const auto remaining = std::max<std::int64_t>(
        0, sales::checked_add(s.deposit_paid_fen, s.refund_due_fen) - amount_fen);
    const auto previous_paid = s.deposit_paid_fen;
    s.deposit_paid_fen = std::min(remaining, s.terms.deposit_fen);
    s.refund_due_fen = remaining - s.deposit_paid_fen;
    return changed(s, from, Action::reverse_deposit,
                   {{"amount_fen", amount_fen},
                    {"entry_id", entry_id},
                    {"previous_deposit_paid_fen", previous_paid}},
                   by);
}

}  // namespace contract::domain
