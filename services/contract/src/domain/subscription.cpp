#include "domain/subscription.hpp"

#include <array>
#include <utility>

#include "domain/transitions.hpp"
#include "sales/enum_names.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/text.hpp"

namespace contract::domain {
namespace {

// The whole state machine: (from, action) → to. Anything not listed is illegal.
constexpr std::array<Transition<Status, Action>, 19> kEdges{{
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
    // CON-1: a deposit paid on time but delivered after the sweeper cancelled (unit re-taken).
    {Status::cancelled, Action::reinstate, Status::confirmed},
    // FIN-3: the deposit was reversed (红冲) before signing.
    {Status::confirmed, Action::reverse_deposit, Status::pending_deposit},
    {Status::pending_deposit, Action::reverse_deposit, Status::pending_deposit},
}};

}  // namespace

std::string status_names() {
    return sales::enum_names<Status>().list();
}

bool is_live(Status status) {
    return status == Status::pending_deposit || status == Status::confirmed ||
           status == Status::cancellation_requested;
}

Status next_status(Status from, Action action) {
    return next_state(kEdges, from, action, "a subscription");
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

bool deposit_within_cap(std::int64_t deposit_fen, std::int64_t price_fen,
                        std::int64_t cap_percent) {
    // 128-bit products: exact for every int64 amount, no rounding at the boundary.
    return static_cast<__int128>(deposit_fen) * 100 <=
           static_cast<__int128>(price_fen) * cap_percent;
}

std::int64_t max_deposit_fen(std::int64_t price_fen, std::int64_t cap_percent) {
    return static_cast<std::int64_t>(static_cast<__int128>(price_fen) * cap_percent / 100);
}

bool may_assign_rep(const std::vector<std::string>& caller_roles) {
    for (const auto& role : caller_roles) {
        if (role == "sales_control" || role == "sales_supervisor" || role == "sales_manager" ||
            role == "admin")
            return true;
    }
    return false;
}

void check_rep_assignment(const std::string& caller_id,
                          const std::vector<std::string>& caller_roles, const std::string& rep_id) {
    if (rep_id == caller_id)
        return;
    if (!may_assign_rep(caller_roles)) {
        sales::fail_forbidden("rep_not_assignable",
                              "rep_id credits the commission: you may name only yourself; sales "
                              "control, a sales supervisor or a sales manager names another rep",
                              {{"field", "rep_id"}, {"rep_id", rep_id}});
    }
    if (!sales::is_uuid(rep_id)) {
        sales::fail_forbidden("rep_not_assignable",
                              "rep_id must be a user id (a UUID as the gateway issues them)",
                              {{"field", "rep_id"}, {"rep_id", rep_id}});
    }
}

PriceTerms price_terms(std::int64_t list_total_fen, std::int64_t discount_fen,
                       std::int64_t deposit_fen, std::int64_t cap_percent) {
    if (discount_fen > list_total_fen) {
        sales::fail_rule("discount_exceeds_list_total",
                         "the discount is larger than the unit's list total",
                         {{"list_total_fen", list_total_fen}, {"discount_fen", discount_fen}});
    }
    const std::int64_t price_fen = list_total_fen - discount_fen;
    // REG-2: a deposit (定金) may not exceed cap_percent (20% by law) of the price.
    if (!deposit_within_cap(deposit_fen, price_fen, cap_percent)) {
        sales::fail_rule(
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

nlohmann::json to_json(const Subscription& s) {
    return {{"id", s.id},
            {"project_id", s.project_id},
            {"unit_id", s.unit_id},
            {"customer_id", s.customer_id},
            {"rep_id", s.rep_id},
            {"status", to_string(s.status)},
            {"payment_plan", to_string(s.payment_plan)},
            {"list_total_fen", s.terms.list_total_fen},
            {"discount_fen", s.terms.discount_fen},
            {"price_fen", s.terms.price_fen},
            {"deposit_fen", s.terms.deposit_fen},
            {"gross_area_centi_m2", area_or_null(s.areas.gross_area_centi_m2)},
            {"internal_area_centi_m2", area_or_null(s.areas.internal_area_centi_m2)},
            {"deposit_paid_fen", s.deposit_paid_fen},
            {"refund_due_fen", s.refund_due_fen},
            {"deposit_deadline", sales::to_rfc3339(s.deposit_deadline)},
            {"signing_deadline", s.signing_deadline},
            {"cancellation_reason", nullable(s.cancellation_reason)},
            {"cancellation_note", nullable(s.cancellation_note)},
            {"cancellation_requested_by", nullable(s.cancellation_requested_by)},
            {"cancellation_decided_by", nullable(s.cancellation_decided_by)},
            {"cancellation_decision_note", nullable(s.cancellation_decision_note)},
            {"version", s.version},
            {"created_by", s.created_by},
            {"created_at", s.created_at},
            {"updated_at", s.updated_at}};
}

}  // namespace contract::domain
