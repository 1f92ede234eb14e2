#include "domain/contract.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include "domain/transitions.hpp"

namespace contract::domain {
namespace {

// CON-4/6/7: every legal contract transition.
constexpr std::array<Transition<ContractStatus, ContractAction>, 13> kContractEdges{{
    {ContractStatus::in_audit, ContractAction::approve_audit, ContractStatus::in_audit},
    {ContractStatus::in_audit, ContractAction::complete_audit, ContractStatus::reviewed},
    {ContractStatus::in_audit, ContractAction::reject_audit, ContractStatus::rejected},
    {ContractStatus::rejected, ContractAction::resubmit, ContractStatus::in_audit},
    {ContractStatus::reviewed, ContractAction::stamp, ContractStatus::stamped},
    {ContractStatus::stamped, ContractAction::register_, ContractStatus::registered},
    {ContractStatus::reviewed, ContractAction::cancel, ContractStatus::cancelled},
    {ContractStatus::stamped, ContractAction::cancel, ContractStatus::cancelled},
    {ContractStatus::registered, ContractAction::cancel, ContractStatus::cancelled},
    {ContractStatus::reviewed, ContractAction::approve_cancellation, ContractStatus::cancelling},
    {ContractStatus::stamped, ContractAction::approve_cancellation, ContractStatus::cancelling},
    {ContractStatus::registered, ContractAction::approve_cancellation, ContractStatus::cancelling},
    {ContractStatus::cancelling, ContractAction::cancel, ContractStatus::cancelled},
}};

constexpr std::array<std::string_view, kAuditSteps> kAuditRoles{
    "sales_supervisor", "sales_manager", "finance_supervisor", "finance_director"};

}  // namespace

std::string contract_number(int year, std::string_view project_code, std::int64_t serial) {
    if (serial < 1)
        throw std::invalid_argument("contract serial must be at least 1");
    if (year < 1000 || year > 9999)
        throw std::invalid_argument("contract year must have four digits");
    if (project_code.empty())
        throw std::invalid_argument("contract number needs a project code");
    char digits[32];
    std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(serial));
    return std::to_string(year) + "-" + std::string(project_code) + "-" + digits;
}

bool discount_needs_slip(std::int64_t discount_fen, std::int64_t list_total_fen,
                         std::int64_t max_standard_discount_bp) {
    return static_cast<__int128>(discount_fen) * 10'000 >
           static_cast<__int128>(list_total_fen) * max_standard_discount_bp;
}

bool signing_is_late(Date subscribed_on, Date signing_day, std::int64_t signing_deadline_days) {
    const auto limit =
        std::chrono::sys_days(subscribed_on) + std::chrono::days(signing_deadline_days);
    return std::chrono::sys_days(signing_day) > limit;
}

void check_approval(const Approval& approval, ApprovalKind kind, const std::string& subscription_id,
                    std::int64_t discount_fen) {
    const auto refuse = [&](const std::string& why) {
        sales::fail_rule("approval_not_usable",
                         std::string(to_string(kind)) + " " + approval.id + ": " + why,
                         {{"approval_id", approval.id}, {"kind", to_string(kind)}});
    };
    if (approval.kind != kind)
        refuse("is a " + std::string(to_string(approval.kind)));
    if (approval.subscription_id != subscription_id)
        refuse("was given for another subscription");
    if (approval.status != "approved")
        refuse("is " + approval.status + ", not approved");
    if (approval.used_by_contract_id)
        refuse("was already used by contract " + *approval.used_by_contract_id);
    if (kind == ApprovalKind::discount_slip && approval.discount_fen.value_or(-1) < discount_fen)
        refuse("approves a smaller discount than the subscription's");
}

bool is_reviewed(ContractStatus status) {
    return status == ContractStatus::reviewed || status == ContractStatus::stamped ||
           status == ContractStatus::registered;
}

ContractStatus next_status(ContractStatus from, ContractAction action) {
    return next_state(kContractEdges, from, action, "a contract");
}

std::string_view audit_role(int step) {
    if (step < 1 || step > kAuditSteps)
        throw std::out_of_range("audit step " + std::to_string(step) + " does not exist");
    return kAuditRoles[static_cast<std::size_t>(step - 1)];
}

AuditOutcome decide_audit(const std::vector<AuditStep>& round, const std::string& actor,
                          const std::vector<std::string>& roles, bool approve) {
    if (round.empty() || round.back().decision) {
        sales::fail_conflict("no_open_step", "no audit step is waiting for a decision");
    }
    const auto& open = round.back();
    // The chain is strictly ordered: every step before the open one was approved (CON-4).
    for (std::size_t i = 0; i + 1 < round.size(); ++i) {
        if (round[i].step != static_cast<int>(i) + 1 || round[i].decision != "approved")
            throw std::logic_error("audit round out of order");
    }
    if (open.step != static_cast<int>(round.size()))
        throw std::logic_error("audit round out of order");
    const bool admin = std::find(roles.begin(), roles.end(), "admin") != roles.end();
    if (!admin && std::find(roles.begin(), roles.end(), open.role) == roles.end()) {
        sales::fail_rule("wrong_role",
                         "step " + std::to_string(open.step) + " is decided by the " + open.role +
                             " (CON-4 order: sales supervisor, sales manager, finance supervisor, "
                             "finance director)",
                         {{"step", open.step}, {"role", open.role}});
    }
    for (std::size_t i = 0; i + 1 < round.size(); ++i) {
        if (round[i].actor == actor) {
            sales::fail_rule("same_person",
                             "you already decided step " + std::to_string(round[i].step) +
                                 " of this contract; another person decides step " +
                                 std::to_string(open.step),
                             {{"step", open.step}, {"role", open.role}});
        }
    }
    AuditOutcome out;
    out.step = open.step;
    out.approved = approve;
    if (approve) {
        if (open.step == kAuditSteps)
            out.complete = true;
        else
            out.next_step = open.step + 1;
    }
    return out;
}

std::int64_t step_deadline_days(int step, std::int64_t days, bool discount_contract) {
    // CON-4: discount contracts are reviewed by finance within 1 working day.
    if (discount_contract && step >= 3)
        return 1;
    return days;
}

Date step_due(Date opened, int step, std::int64_t days, bool discount_contract) {
    return sales::add_working_days(opened, step_deadline_days(step, days, discount_contract));
}

bool is_overdue(Date due_on, Date today) {
    return today > due_on;
}

ContractTerms amended_terms(const ContractTerms& current, const AmendmentChange& change,
                            std::int64_t deposit_paid_fen, std::int64_t deposit_cap_percent) {
    if (change.empty())
        sales::fail_rule("no_change", "the amendment changes nothing", nlohmann::json::object());
    ContractTerms next = current;
    if (change.customer_id)
        next.customer_id = *change.customer_id;
    // CON-5 换房: the new unit's list total; the contract's discount carries over unless changed.
    if (change.unit)
        next.list_total_fen = change.unit->list_total_fen;
    if (change.discount_fen)
        next.discount_fen = *change.discount_fen;
    if (change.discount_fen || change.unit) {
        if (next.discount_fen < 0 || next.discount_fen > next.list_total_fen) {
            sales::fail_rule(
                "discount_exceeds_list_total", "the discount must lie between 0 and the list total",
                {{"list_total_fen", next.list_total_fen}, {"discount_fen", next.discount_fen}});
        }
        next.price_fen = next.list_total_fen - next.discount_fen;
    }
    if (change.plan) {
        next.plan = *change.plan;
    } else if (next.price_fen != current.price_fen && next.plan.kind != PaymentPlan::one_off) {
        sales::fail_rule("plan_required", "a new price needs a new plan that adds up to it (CON-5)",
                         {{"price_fen", next.price_fen}});
    }
    // The plan may change kind (e.g. one-off → mortgage); it must add up to the price.
    check_plan(next.plan, next.plan.kind, next.price_fen);
    if (deposit_paid_fen > next.price_fen) {
        sales::fail_rule("price_below_deposit_paid",
                         "the new price is below the deposit already paid",
                         {{"price_fen", next.price_fen}, {"deposit_paid_fen", deposit_paid_fen}});
    }
    // REG-2 again: a lower price may make the deposit paid more than the cap allows.
    if (next.price_fen < current.price_fen &&
        !deposit_within_cap(deposit_paid_fen, next.price_fen, deposit_cap_percent)) {
        sales::fail_rule("deposit_exceeds_cap",
                         "the deposit paid would exceed " + std::to_string(deposit_cap_percent) +
                             "% of the new price (REG-2)",
                         {{"cap_percent", deposit_cap_percent},
                          {"max_deposit_fen", max_deposit_fen(next.price_fen, deposit_cap_percent)},
                          {"price_fen", next.price_fen},
                          {"deposit_paid_fen", deposit_paid_fen}});
    }
    if (!change.unit && next.customer_id == current.customer_id &&
        next.discount_fen == current.discount_fen && to_json(next.plan) == to_json(current.plan)) {
        sales::fail_rule("no_change", "the amendment changes nothing", nlohmann::json::object());
    }
    return next;
}

std::optional<HandoverState> on_cleared(HandoverState current) {
    // CON-9: cleared makes a contract eligible; an early-approved one moves to the normal list.
    if (current == HandoverState::not_eligible || current == HandoverState::early_eligible)
        return HandoverState::eligible;
    return std::nullopt;
}

std::optional<HandoverState> on_uncleared(HandoverState current, bool early_approved) {
    // FIN-7: a re-opened balance withdraws eligibility, unless the unit was handed over; an
    // approved early handover stands (it never depended on the balance).
    // A handover recorded but not yet confirmed is withdrawn too.
    if (current == HandoverState::eligible || current == HandoverState::awaiting_confirmation)
        return early_approved ? HandoverState::early_eligible : HandoverState::not_eligible;
    return std::nullopt;
}

std::optional<HandoverState> on_early_approved(HandoverState current) {
    if (current == HandoverState::not_eligible)
        return HandoverState::early_eligible;
    return std::nullopt;
}

void check_handover(HandoverState state, ContractStatus status) {
    if (state != HandoverState::eligible && state != HandoverState::early_eligible) {
        sales::fail_rule("not_eligible_for_handover",
                         "the contract is " + std::string(to_string(state)) +
                             ": handover needs finance's clearance or an approved early "
                             "handover (CON-9)",
                         {{"handover_state", to_string(state)}});
    }
    if (status != ContractStatus::stamped && status != ContractStatus::registered) {
        sales::fail_rule("contract_not_in_force",
                         "the contract is " + std::string(to_string(status)) +
                             ": only a stamped contract is handed over (CON-4, CON-9)",
                         {{"status", to_string(status)}});
    }
}

}  // namespace contract::domain
