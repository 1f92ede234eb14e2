#include "domain/subscription.hpp"

#include <array>
#include <utility>

#include "sales/ids.hpp"
#include "sales/money.hpp"
#include "sales/text.hpp"

namespace contract::domain {
namespace {

constexpr std::array<std::pair<Status, std::string_view>, 5> kStatuses{{
    {Status::pending_deposit, "pending_deposit"},
    {Status::confirmed, "confirmed"},
    {Status::cancellation_requested, "cancellation_requested"},
    {Status::cancelled, "cancelled"},
    {Status::signed_, "signed"},
}};

constexpr std::array<std::pair<PaymentPlan, std::string_view>, 3> kPlans{{
    {PaymentPlan::one_off, "one_off"},
    {PaymentPlan::instalments, "instalments"},
    {PaymentPlan::mortgage, "mortgage"},
}};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum e) {
    for (const auto& [value, name] : table) {
        if (value == e)
            return name;
    }
    return "unknown";
}

template <class Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view text) {
    for (const auto& [value, name] : table) {
        if (name == text)
            return value;
    }
    return std::nullopt;
}

// The whole state machine: (from, action) → to. Anything not listed is illegal.
struct Edge {
    Status from;
    Action action;
    Status to;
};
constexpr std::array<Edge, 16> kEdges{{
    {Status::pending_deposit, Action::confirm_deposit, Status::confirmed},
    {Status::pending_deposit, Action::record_partial_deposit, Status::pending_deposit},
    {Status::pending_deposit, Action::expire, Status::cancelled},
    {Status::pending_deposit, Action::cancel, Status::cancelled},
    {Status::confirmed, Action::cancel, Status::cancellation_requested},
    {Status::cancellation_requested, Action::approve_cancellation, Status::cancelled},
    {Status::cancellation_requested, Action::reject_cancellation, Status::confirmed},
    {Status::pending_deposit, Action::rename, Status::pending_deposit},
    {Status::confirmed, Action::rename, Status::confirmed},
    {Status::pending_deposit, Action::swap, Status::pending_deposit},
    {Status::confirmed, Action::swap, Status::confirmed},
    {Status::cancelled, Action::record_orphaned_deposit, Status::cancelled},
    {Status::confirmed, Action::record_orphaned_deposit, Status::confirmed},
    {Status::cancellation_requested, Action::record_orphaned_deposit,
     Status::cancellation_requested},
    // CON-3: a confirmed subscription (deposit paid) becomes a contract.
    {Status::confirmed, Action::sign, Status::signed_},
    // A deposit paid again after signing is flagged for refund like any duplicate.
    {Status::signed_, Action::record_orphaned_deposit, Status::signed_},
}};

void transition(Subscription& s, Action action) {
    s.status = next_status(s.status, action);
}

}  // namespace

std::string_view to_string(Status status) {
    return name_of(kStatuses, status);
}

std::optional<Status> parse_status(std::string_view text) {
    return value_of(kStatuses, text);
}

std::string status_names() {
    std::string out;
    for (const auto& [value, name] : kStatuses)
        out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

bool is_live(Status status) {
    return status == Status::pending_deposit || status == Status::confirmed ||
           status == Status::cancellation_requested;
}

std::string_view to_string(Action action) {
    switch (action) {
        case Action::confirm_deposit:
            return "confirm_deposit";
        case Action::record_partial_deposit:
            return "record_partial_deposit";
        case Action::expire:
            return "expire";
        case Action::cancel:
            return "cancel";
        case Action::approve_cancellation:
            return "approve_cancellation";
        case Action::reject_cancellation:
            return "reject_cancellation";
        case Action::rename:
            return "rename";
        case Action::swap:
            return "swap";
        case Action::record_orphaned_deposit:
            return "record_orphaned_deposit";
        case Action::sign:
            return "sign";
    }
    return "unknown";
}

TransitionError::TransitionError(Status from, Action action)
    : std::runtime_error("cannot " + std::string(to_string(action)) + " a subscription that is " +
                         std::string(to_string(from))),
      from_(from),
      action_(action) {}

Status next_status(Status from, Action action) {
    for (const auto& edge : kEdges) {
        if (edge.from == from && edge.action == action)
            return edge.to;
    }
    throw TransitionError(from, action);
}

std::string_view to_string(PaymentPlan plan) {
    return name_of(kPlans, plan);
}

std::optional<PaymentPlan> parse_payment_plan(std::string_view text) {
    return value_of(kPlans, text);
}

std::vector<FieldProblem> validate(const NewSubscription& input, Date today) {
    std::vector<FieldProblem> problems;
    if (!sales::is_uuid(input.unit_id))
        problems.push_back({"unit_id", "must be a UUID"});
    if (!sales::is_uuid(input.customer_id))
        problems.push_back({"customer_id", "must be a UUID"});
    if (input.rep_id.empty() || sales::utf8_length(input.rep_id) > 64)
        problems.push_back({"rep_id", "must be 1–64 characters"});
    if (input.reservation_id && !sales::is_uuid(*input.reservation_id))
        problems.push_back({"reservation_id", "must be a UUID (the unit's reservation id)"});
    if (input.discount_fen < 0)
        problems.push_back({"discount_fen", "must not be negative"});
    if (!parse_payment_plan(input.payment_plan))
        problems.push_back({"payment_plan", "must be one of one_off, instalments, mortgage"});
    if (input.deposit_fen <= 0)
        problems.push_back({"deposit_fen", "must be positive"});
    const auto deadline = parse_date(input.signing_deadline);
    if (!deadline) {
        problems.push_back({"signing_deadline", "must be a calendar date YYYY-MM-DD"});
    } else if (*deadline < today) {
        problems.push_back({"signing_deadline", "must not be in the past (today is " +
                                                    to_string(today) + " in Asia/Shanghai)"});
    }
    return problems;
}

RuleViolation::RuleViolation(std::string code, const std::string& message, nlohmann::json details)
    : std::runtime_error(message), code_(std::move(code)), details_(std::move(details)) {}

bool deposit_within_cap(std::int64_t deposit_fen, std::int64_t price_fen,
                        std::int64_t cap_percent) {
    // 128-bit products: exact for every int64 amount, no rounding at the boundary.
    return static_cast<__int128>(deposit_fen) * 100 <=
           static_cast<__int128>(price_fen) * cap_percent;
}

std::int64_t max_deposit_fen(std::int64_t price_fen, std::int64_t cap_percent) {
    return static_cast<std::int64_t>(static_cast<__int128>(price_fen) * cap_percent / 100);
}

PriceTerms price_terms(std::int64_t list_total_fen, std::int64_t discount_fen,
                       std::int64_t deposit_fen, std::int64_t cap_percent) {
    if (discount_fen > list_total_fen) {
        throw RuleViolation("discount_exceeds_list_total",
                            "the discount is larger than the unit's list total",
                            {{"list_total_fen", list_total_fen}, {"discount_fen", discount_fen}});
    }
    const std::int64_t price_fen = list_total_fen - discount_fen;
    // REG-2: a deposit (定金) may not exceed cap_percent (20% by law) of the price.
    if (!deposit_within_cap(deposit_fen, price_fen, cap_percent)) {
        throw RuleViolation(
            "deposit_exceeds_cap",
            "the deposit exceeds " + std::to_string(cap_percent) + "% of the price (REG-2)",
            {{"cap_percent", cap_percent},
             {"max_deposit_fen", max_deposit_fen(price_fen, cap_percent)},
             {"price_fen", price_fen},
             {"deposit_fen", deposit_fen}});
    }
    return {list_total_fen, discount_fen, price_fen, deposit_fen};
}

sales::TimePoint deposit_deadline(sales::TimePoint created_at, const ProjectSettings& settings) {
    return created_at + std::chrono::seconds(settings.deposit_deadline_seconds);
}

void rename(Subscription& s, const std::string& customer_id) {
    transition(s, Action::rename);
    if (customer_id == s.customer_id) {
        throw RuleViolation("no_change", "the subscription already belongs to this customer",
                            {{"customer_id", customer_id}});
    }
    s.customer_id = customer_id;
}

void swap(Subscription& s, const std::string& new_unit_id, std::int64_t new_list_total_fen,
          std::int64_t cap_percent) {
    transition(s, Action::swap);
    s.terms =
        price_terms(new_list_total_fen, s.terms.discount_fen, s.terms.deposit_fen, cap_percent);
    s.unit_id = new_unit_id;
}

void sign(Subscription& s) {
    transition(s, Action::sign);
}

void expire(Subscription& s) {
    transition(s, Action::expire);
    s.cancellation_reason = kReasonDeadlinePassed;
    s.refund_due_fen = s.deposit_paid_fen;
}

void cancel(Subscription& s, const std::string& actor, const std::string& note) {
    transition(s, Action::cancel);
    s.cancellation_note = note;
    s.cancellation_requested_by = actor;
    if (s.status == Status::cancelled) {
        s.cancellation_reason = kReasonCancelledBeforeDeposit;
        s.refund_due_fen = s.deposit_paid_fen;
    }
}

void decide_cancellation(Subscription& s, bool approve, const std::string& actor,
                         const std::string& note) {
    transition(s, approve ? Action::approve_cancellation : Action::reject_cancellation);
    s.cancellation_decided_by = actor;
    s.cancellation_decision_note = note;
    if (approve) {
        s.cancellation_reason = kReasonCancellationApproved;
        s.refund_due_fen = s.deposit_paid_fen;  // CON-2: the paid deposit is refunded
    }
}

std::string_view to_string(DepositOutcome outcome) {
    switch (outcome) {
        case DepositOutcome::confirmed:
            return "confirmed";
        case DepositOutcome::partial:
            return "partial";
        case DepositOutcome::orphaned:
            return "orphaned";
        case DepositOutcome::duplicate:
            return "duplicate";
    }
    return "unknown";
}

DepositOutcome receive_deposit(Subscription& s, std::int64_t amount_fen) {
    // Money received is never lost: what the deal cannot take is flagged for refund.
    if (s.status != Status::pending_deposit) {
        const bool cancelled = s.status == Status::cancelled;
        transition(s, Action::record_orphaned_deposit);
        s.refund_due_fen = sales::checked_add(s.refund_due_fen, amount_fen);
        return cancelled ? DepositOutcome::orphaned : DepositOutcome::duplicate;
    }
    const std::int64_t outstanding = s.terms.deposit_fen - s.deposit_paid_fen;
    if (amount_fen < outstanding) {
        transition(s, Action::record_partial_deposit);
        s.deposit_paid_fen = sales::checked_add(s.deposit_paid_fen, amount_fen);
        return DepositOutcome::partial;
    }
    transition(s, Action::confirm_deposit);
    s.deposit_paid_fen = s.terms.deposit_fen;  // REG-2: the deposit never exceeds the agreed one
    s.refund_due_fen = sales::checked_add(s.refund_due_fen, amount_fen - outstanding);
    return DepositOutcome::confirmed;
}

}  // namespace contract::domain
