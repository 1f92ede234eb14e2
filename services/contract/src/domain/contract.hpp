#pragma once
// Contracts 合同 (CON-3 … CON-7, CON-9): numbering, the payment plan, signing rules, the audit
// chain, amendments, cancellation after review and handover eligibility. Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/calendar.hpp"
#include "domain/subscription.hpp"

namespace contract::domain {

// ---- CON-3 contract number: year-projectcode-serial, e.g. "2026-HX01-000123" ----
// The serial is zero-padded to 6 digits (wider when it outgrows them). Throws
// std::invalid_argument for a serial < 1 or a year outside 1000..9999.
std::string contract_number(int year, std::string_view project_code, std::int64_t serial);

// ---- The payment plan (INV-3, ISSUE4-SPEC `plan`) ----
struct Instalment {
    std::string due_date;  // YYYY-MM-DD
    std::int64_t amount_fen = 0;
};
struct Plan {
    PaymentPlan kind = PaymentPlan::one_off;
    std::string due_date;                 // one_off
    std::vector<Instalment> instalments;  // instalments: 2..60
    std::int64_t down_payment_fen = 0;    // mortgage
    std::string down_payment_due_date;    // mortgage
    std::int64_t loan_fen = 0;            // mortgage
    std::string loan_expected_date;       // mortgage
};
inline constexpr std::size_t kMinInstalments = 2;
inline constexpr std::size_t kMaxInstalments = 60;

// Reads a `plan` JSON object; problems (field path + problem) in order, empty when readable.
// Shape only: kinds, types, dates, positive amounts, 2..60 instalments in due-date order, no
// date before `today`. The sum is checked by check_plan against the price.
std::optional<Plan> parse_plan(const nlohmann::json& json, Date today,
                               std::vector<FieldProblem>& problems);
nlohmann::json to_json(const Plan& plan);
// The plan's amounts in total (one_off: `price_fen`, by definition).
std::int64_t plan_total(const Plan& plan, std::int64_t price_fen);
// CON-3 / ISSUE4-SPEC invariant: the plan is of the subscription's kind and its amounts sum to
// the price. RuleViolation "plan_kind_mismatch" / "plan_does_not_sum_to_price".
void check_plan(const Plan& plan, PaymentPlan expected_kind, std::int64_t price_fen);

// ---- Per-project contract settings (DOMAIN.md: defaults, configurable per project) ----
struct ContractSettings {
    std::int64_t max_standard_discount_bp = 300;   // CON-3: standard rules allow ≤ 3% off list
    std::int64_t signing_deadline_days = 30;       // CON-3: signing within 1 month
    std::int64_t penalty_bp_per_day = 5;           // FIN-5: 0.05% of the overdue amount per day
    std::int64_t audit_deadline_working_days = 2;  // CON-4
};

// ---- CON-3 signing rules ----
// True when the discount exceeds the project's standard rules (discount / list total >
// max_standard_discount_bp / 10000), exactly, in integers.
bool discount_needs_slip(std::int64_t discount_fen, std::int64_t list_total_fen,
                         std::int64_t max_standard_discount_bp);
// True when signing on `signing_day` is later than `signing_deadline_days` calendar days after
// the subscription day (both Asia/Shanghai).
bool signing_is_late(Date subscribed_on, Date signing_day, std::int64_t signing_deadline_days);

enum class ApprovalKind { discount_slip, late_signing, early_handover };
std::string_view to_string(ApprovalKind kind);
std::optional<ApprovalKind> parse_approval_kind(std::string_view text);

struct Approval {
    std::string id;
    ApprovalKind kind = ApprovalKind::discount_slip;
    std::string status;  // requested | approved | rejected
    std::optional<std::string> subscription_id;
    std::optional<std::string> contract_id;
    std::optional<std::int64_t> discount_fen;  // discount slip: the discount approved
    std::optional<std::string> used_by_contract_id;
};

// The approval a signing names must be of `kind`, approved, for this subscription, unused and
// (discount slip) cover the discount. RuleViolation otherwise ("approval_not_usable").
void check_approval(const Approval& approval, ApprovalKind kind, const std::string& subscription_id,
                    std::int64_t discount_fen);

// ---- Contract status ----
// in_audit → reviewed (4 approvals) → stamped → registered;
// in_audit → rejected (any step rejects) → in_audit (resubmitted: a new round);
// reviewed | stamped | registered → cancelled (CON-6, approved refund request).
enum class ContractStatus { in_audit, rejected, reviewed, stamped, registered, cancelled };
std::string_view to_string(ContractStatus status);
std::optional<ContractStatus> parse_contract_status(std::string_view text);
// A fully reviewed contract (CON-4 done): reviewed, stamped or registered.
bool is_reviewed(ContractStatus status);

enum class ContractAction {
    approve_audit,
    complete_audit,
    reject_audit,
    resubmit,
    stamp,
    register_,
    cancel
};
std::string_view to_string(ContractAction action);

class ContractTransitionError : public std::runtime_error {
  public:
    ContractTransitionError(ContractStatus from, ContractAction action);
    ContractStatus from() const { return from_; }
    ContractAction action() const { return action_; }

  private:
    ContractStatus from_;
    ContractAction action_;
};
ContractStatus next_status(ContractStatus from, ContractAction action);

// ---- CON-4 audit chain ----
// Step 1 sales_supervisor, 2 sales_manager (audit 审核), 3 finance_supervisor,
// 4 finance_director (review 复核).
inline constexpr int kAuditSteps = 4;
std::string_view audit_role(int step);  // throws std::out_of_range outside 1..4

struct AuditStep {
    int step = 1;
    std::string role;
    std::optional<std::string> decision;  // approved | rejected; nullopt while open
    std::optional<std::string> actor;
    std::string due_on;  // YYYY-MM-DD
};

// What one decision does to a round of steps (the steps decided so far plus the open one).
struct AuditOutcome {
    int step = 0;  // the step decided
    bool approved = false;
    bool complete = false;         // the 4th step approved: fully reviewed
    std::optional<int> next_step;  // opened by this approval
};

class AuditError : public std::runtime_error {
  public:
    AuditError(std::string code, const std::string& message, nlohmann::json details);
    const std::string& code() const { return code_; }
    const nlohmann::json& details() const { return details_; }

  private:
    std::string code_;
    nlohmann::json details_;
};

// Decides the open step of `round` (steps in order; the last one open) as `actor` with `roles`.
// The steps go strictly in order: the caller must hold the open step's role (admin may act for
// any), must not have decided an earlier step of this round (four eyes), and a note is
// required. AuditError "no_open_step" (nothing to decide), "wrong_role" (403-like),
// "same_person".
AuditOutcome decide_audit(const std::vector<AuditStep>& round, const std::string& actor,
                          const std::vector<std::string>& roles, bool approve);

// Working days allowed for a step: `days` (CON-4, per project); for a discount contract the
// finance review (steps 3–4) is due within 1 working day.
std::int64_t step_deadline_days(int step, std::int64_t days, bool discount_contract);
// The day a step opened on `opened` is due.
Date step_due(Date opened, int step, std::int64_t days, bool discount_contract);
// Overdue: still open after its due day.
bool is_overdue(Date due_on, Date today);

// ---- Contract terms and CON-5 amendments ----
struct ContractTerms {
    std::string customer_id;
    std::int64_t list_total_fen = 0;
    std::int64_t discount_fen = 0;
    std::int64_t price_fen = 0;
    Plan plan;
};

struct AmendmentChange {
    std::optional<std::string> customer_id;
    std::optional<std::int64_t> discount_fen;
    std::optional<Plan> plan;
    bool empty() const { return !customer_id && !discount_fen && !plan; }
};

// The terms an amendment would produce: price = list total − new discount; the plan must be
// given when the price changes and must sum to the new price (same kind as before).
// RuleViolation "no_change", "discount_exceeds_list_total", "plan_required",
// "plan_does_not_sum_to_price", "plan_kind_mismatch"; the deposit already paid may not exceed
// the new price ("price_below_deposit_paid").
ContractTerms amended_terms(const ContractTerms& current, const AmendmentChange& change,
                            std::int64_t deposit_paid_fen);

// ---- CON-9 handover eligibility ----
// not_eligible → eligible (finance cleared) → not_eligible (uncleared);
// early_eligible: an approved early handover (separate list); handed_over: final.
enum class HandoverState { not_eligible, eligible, early_eligible, handed_over };
std::string_view to_string(HandoverState state);
std::optional<HandoverState> parse_handover_state(std::string_view text);

// What a finance event does: the new state, or nullopt when nothing changes (already eligible,
// already handed over, not eligible anyway) — duplicates therefore change nothing.
std::optional<HandoverState> on_cleared(HandoverState current);
std::optional<HandoverState> on_uncleared(HandoverState current, bool early_approved);
std::optional<HandoverState> on_early_approved(HandoverState current);
// A handover needs eligibility (normal or early) and a contract in force (stamped/registered).
// RuleViolation "not_eligible_for_handover" / "contract_not_in_force".
void check_handover(HandoverState state, ContractStatus status);

}  // namespace contract::domain
