#pragma once
// Contracts 合同 (CON-3 … CON-7, CON-9): numbering, the payment plan, signing rules, the audit
// chain, amendments, cancellation after review and handover eligibility; each change of a
// contract returns what it records (contract_changes.cpp). Pure: no I/O. Refusals are
// sales::Failure: rule (422) for a broken DOMAIN.md rule, conflict (409) for a state that does
// not allow the change.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/calendar.hpp"
#include "domain/event.hpp"
#include "domain/subscription.hpp"

namespace contract::domain {

// ---- CON-3 contract number: year-projectcode-serial, e.g. "2026-HX01-000123" ----
// The serial is zero-padded to 6 digits (wider when it outgrows them). Throws
// std::invalid_argument for a serial < 1 or a year outside 1000..9999.
std::string contract_number(int year, std::string_view project_code, std::int64_t serial);

// ---- The payment plan (INV-3; docs/events.md `plan`) ---- (plan.cpp)
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
// CON-3 invariant: the plan is of the subscription's kind and its amounts sum to the price.
// Failure rule "plan_kind_mismatch" / "plan_does_not_sum_to_price".
void check_plan(const Plan& plan, PaymentPlan expected_kind, std::int64_t price_fen);

// ---- Per-project contract settings (DOMAIN.md: defaults, configurable per project) ----
struct ContractSettings {
    std::int64_t max_standard_discount_bp = 300;   // CON-3: standard rules allow ≤ 3% off list
    std::int64_t signing_deadline_days = 30;       // CON-3: signing within 1 month
    std::int64_t penalty_bp_per_day = 5;           // FIN-5: 0.05% of the overdue amount per day
    std::int64_t audit_deadline_working_days = 2;  // CON-4
    // REG-1: yearly interest on the refund when the buyer cancels over an area difference
    // beyond 3% (basis points: 300 = 3%).
    std::int64_t refund_interest_bp_per_year = 300;
    std::int64_t registration_deadline_working_days = 2;  // CON-7
};

// ---- CON-3 signing rules ----
// True when the discount exceeds the project's standard rules (discount / list total >
// max_standard_discount_bp / 10000), exactly, in integers.
bool discount_needs_slip(std::int64_t discount_fen, std::int64_t list_total_fen,
                         std::int64_t max_standard_discount_bp);
// True when signing on `signing_day` is later than `signing_deadline_days` calendar days after
// the subscription day (both Asia/Shanghai).
bool signing_is_late(Date subscribed_on, Date signing_day, std::int64_t signing_deadline_days);

SALES_ENUM(ApprovalKind, discount_slip, late_signing, early_handover);
inline constexpr auto parse_approval_kind = &sales::parse_enum<ApprovalKind>;

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
// (discount slip) cover the discount. Failure rule otherwise ("approval_not_usable").
void check_approval(const Approval& approval, ApprovalKind kind, const std::string& subscription_id,
                    std::int64_t discount_fen);

// ---- Contract status ----
// in_audit → reviewed (4 approvals) → stamped → registered;
// in_audit → rejected (any step rejects) → in_audit (resubmitted: a new round);
// reviewed | stamped | registered → cancelling (CON-6: the refund request approved, finance pays
// it) → cancelled (the refund paid; a request refunding nothing cancels at once).
SALES_ENUM(ContractStatus, in_audit, rejected, reviewed, stamped, registered, cancelling,
           cancelled);
inline constexpr auto parse_contract_status = &sales::parse_enum<ContractStatus>;
// A fully reviewed contract (CON-4 done): reviewed, stamped or registered.
bool is_reviewed(ContractStatus status);

SALES_ENUM(ContractAction, approve_audit, complete_audit, reject_audit, resubmit, stamp, register_,
           approve_cancellation, cancel);

// Failure conflict "invalid_transition" (details: status, action) for an illegal pair.
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

// Decides the open step of `round` (steps in order; the last one open) as `actor` with `roles`.
// The steps go strictly in order: the caller must hold the open step's role (admin may act for
// any), must not have decided an earlier step of this round (four eyes), and a note is
// required. Failure conflict "no_open_step" (nothing to decide), rule "wrong_role",
// rule "same_person".
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

// CON-5 unit change after signing 换房: the unit the contract moves to, as inventory holds it for
// the amendment (its price terms: list total and areas, INV-1/INV-3).
struct NewUnit {
    std::string unit_id;
    std::string building_id;
    std::string unit_number;
    std::int64_t list_total_fen = 0;
    DealAreas areas;
};

struct AmendmentChange {
    std::optional<std::string> customer_id;
    std::optional<std::int64_t> discount_fen;
    std::optional<Plan> plan;
    std::optional<NewUnit> unit;  // 换房
    bool empty() const { return !customer_id && !discount_fen && !plan && !unit; }
};

// The terms an amendment would produce: price = list total − new discount; the plan must be
// given when the price changes and must sum to the new price; it may be of another kind (a
// one-off deal becomes a mortgage). Failure rule "no_change", "discount_exceeds_list_total",
// "plan_required", "plan_does_not_sum_to_price"; the deposit already paid may not exceed the new
// price ("price_below_deposit_paid") nor, when the price falls, `deposit_cap_percent` of it
// (REG-2, "deposit_exceeds_cap").
ContractTerms amended_terms(const ContractTerms& current, const AmendmentChange& change,
                            std::int64_t deposit_paid_fen, std::int64_t deposit_cap_percent = 20);

// CON-5 with CON-3: a discount beyond the project's standard rules (discount_needs_slip on the
// new list total) is refused ("discount_slip_required") when the amendment changes the discount,
// or when it changes the unit of a contract signed without a discount slip (the same discount is
// a larger share of a cheaper unit). An unchanged discount a signing-time slip approved stands.
void check_amended_discount(const ContractTerms& current, const ContractTerms& next,
                            bool unit_changed, bool discount_contract,
                            std::int64_t max_standard_discount_bp);

// The contract's unit price (fen per m²) on the pricing basis's area: price × 100 ÷ area in
// centi-m², rounded half up (as the contracts table computes it); nullopt without that area.
std::optional<std::int64_t> unit_price_fen_per_m2(std::int64_t price_fen, const DealAreas& areas,
                                                  PricingBasis basis);

// The amendment's new terms as stored and sent in contract.amendment.approved `terms`
// (docs/events.md): customer_id, list_total_fen, discount_fen, price_fen, payment_plan, plan;
// with a unit change also `unit` {unit_id, building_id, unit_number, gross_area_centi_m2,
// internal_area_centi_m2}, pricing_basis, contract_gross_area_centi_m2,
// contract_internal_area_centi_m2 and unit_price_fen_per_m2 (CON-5 换房: the new unit's terms).
nlohmann::json terms_json(const ContractTerms& terms, const std::optional<NewUnit>& unit,
                          PricingBasis basis);
// The unit change a stored `terms_json` carries, if any.
std::optional<NewUnit> unit_of_terms(const nlohmann::json& terms);

// ---- CON-9 handover eligibility ----
// not_eligible → eligible (finance cleared) → not_eligible (uncleared);
// early_eligible: an approved early handover (separate list);
// eligible | early_eligible → awaiting_confirmation (the handover clerk recorded the handover)
// → handed_over (a sales supervisor confirmed it: final), or back (the supervisor returned it,
// or finance withdrew the clearance).
SALES_ENUM(HandoverState, not_eligible, eligible, early_eligible, awaiting_confirmation,
           handed_over);
inline constexpr auto parse_handover_state = &sales::parse_enum<HandoverState>;

// What a finance event does: the new state, or nullopt when nothing changes (already eligible,
// already handed over, not eligible anyway) — duplicates therefore change nothing.
std::optional<HandoverState> on_cleared(HandoverState current);
std::optional<HandoverState> on_uncleared(HandoverState current, bool early_approved);
std::optional<HandoverState> on_early_approved(HandoverState current);
// A handover needs eligibility (normal or early) and a contract in force (stamped/registered).
// Failure rule "not_eligible_for_handover" / "contract_not_in_force".
void check_handover(HandoverState state, ContractStatus status);

// ---- The contract and its changes (contract_changes.cpp) ----
struct Contract {
    std::string id;
    std::string contract_no;
    std::string project_id;
    std::string subscription_id;
    std::string unit_id;
    std::string rep_id;
    ContractStatus status = ContractStatus::in_audit;
    HandoverState handover = HandoverState::not_eligible;
    std::int64_t version = 1;
    std::int64_t audit_round = 1;
    ContractTerms terms;
    // The areas the price was agreed on (from the subscription's unit) and which one prices it.
    DealAreas areas;
    PricingBasis pricing_basis = PricingBasis::gross;
    std::int64_t deposit_paid_fen = 0;
    std::int64_t penalty_bp_per_day = 0;
    std::string signed_at;                            // RFC 3339
    bool discount_contract = false;                   // signed with a discount slip
    bool early_approved = false;                      // an early handover was approved
    std::optional<std::string> handover_recorded_by;  // CON-9: who recorded the handover
    std::optional<std::string> referrer_customer_id;  // CON-11: the member who referred the buyer
};

// A handover-eligibility change (CON-9): the handover_eligibility_history row.
struct HandoverChange {
    HandoverState from = HandoverState::not_eligible;
    HandoverState to = HandoverState::not_eligible;
    std::string cause;
    std::optional<std::string> event_id;  // the finance event that caused it
    std::string at;                       // RFC 3339: eligible_at when eligible
};

// What one change records: the contract row (status, version), the contract_history row
// (SEC-2), the eligibility change if any, and the event if any. Written by one helper in the
// transaction of the change (adapters/contract_store).
struct ContractChange {
    std::string contract_id;
    std::optional<ContractStatus> from;  // nullopt: signed (created)
    ContractStatus to = ContractStatus::in_audit;
    std::int64_t from_version = 0;  // the version the change was made on (0: created)
    std::int64_t version = 1;
    std::string action;  // "sign", "approve_audit", "stamp", "handover_eligible", …
    std::string actor;
    std::optional<std::string> reason;
    nlohmann::json details = nlohmann::json::object();
    std::optional<HandoverChange> handover;
    std::optional<Event> event;
};

// The refund request a cancellation decides (CON-6).
struct RefundRequest {
    std::string id;
    std::int64_t refund_fen = 0;
    std::string reason;
};

// Each change below checks what it needs (Failure as documented), changes `c` (status,
// version, round, handover state) and returns what it records. `by.reason` is the note/reason.
// CON-3: the new contract (version 1, in_audit); contract.signed.
ContractChange signed_contract(const Contract& c, const By& by);
// CON-4: a decided audit step of the current round; contract.audit.approved / rejected.
ContractChange audit_decided(Contract& c, const AuditOutcome& outcome, const By& by);
// CON-4: rejected → in_audit, a new round (no event).
ContractChange resubmitted(Contract& c, const By& by);
// CON-4 stamping (reviewed only): contract.stamped.
ContractChange stamped(Contract& c, const std::string& stamped_on, const std::string& stamp_no,
                       const By& by);
// CON-7 registration (stamped only): contract.registered.
ContractChange registered(Contract& c, const std::string& filed_at,
                          const std::string& registration_date, const std::string& registration_no,
                          const By& by);
// CON-5: only a reviewed contract in force is amended (Failure conflict "invalid_transition").
void check_amendable(const Contract& c);
// CON-5: an amendment entered its audit: contract.amendment.requested; with a unit change
// (`changes.new_unit_id`) also `unit_change` {old_unit_id, new_unit_id, hold_id}: inventory keeps
// the new unit held for the amendment until it is decided.
ContractChange amendment_requested(Contract& c, const std::string& amendment_id,
                                   const nlohmann::json& changes, const By& by);
// CON-5: a decided step of an amendment's chain: contract.audit.approved (a step before the
// last), contract.amendment.approved (the last: `new_terms` apply now) or .rejected.
// A unit change (new_terms.unit, 换房): both final events carry `unit_change` {old_unit_id,
// new_unit_id, hold_id = the amendment id} and `subscription_id` (inventory sells the new unit
// and frees the old one, or releases the hold); on approval `c` moves to the new unit and areas.
// Approving a unit change of a contract whose handover is recorded or done: conflict
// "invalid_transition".
ContractChange amendment_decided(Contract& c, const std::string& amendment_id,
                                 const AuditOutcome& outcome, const nlohmann::json& new_terms,
                                 const By& by);
// CON-6: a cancellation is requested (checks that the contract could be cancelled; no event).
ContractChange cancellation_requested(Contract& c, const std::string& request_id,
                                      std::int64_t refund_fen, const By& by);
// CON-6: the finance director rejects it (no event) or approves it. Approved with a refund:
// → cancelling, contract.cancellation.approved (finance turns it into the refund's approval);
// approved refunding nothing: → cancelled at once, contract.cancelled.
ContractChange cancellation_rejected(Contract& c, const std::string& request_id, const By& by);
ContractChange cancellation_approved(Contract& c, const RefundRequest& request, const By& by);
// CON-6: finance paid the approved refund (finance.refund.paid): cancelling → cancelled,
// contract.cancelled (inventory releases the unit).
ContractChange cancelled_after_refund(Contract& c, const RefundRequest& request,
                                      const std::string& approval_id, const By& by);
// CON-9: eligibility changes to `to` (cause = by.reason): contract.handover.eligible /
// .withdrawn.
ContractChange handover_changed(Contract& c, HandoverState to,
                                const std::optional<std::string>& event_id, const By& by);
// CON-9: the handover clerk records the handover (check_handover) → awaiting_confirmation (no
// event yet).
ContractChange handover_recorded(Contract& c, const std::string& notice_date,
                                 const std::string& handed_over_on, const By& by);
// CON-9: a sales supervisor confirms it → handed_over, contract.handed_over (confirmed_by =
// by.actor). Failure conflict "invalid_transition" unless awaiting_confirmation; rule
// "same_person" when the confirmer recorded it.
ContractChange handover_confirmed(Contract& c, const std::string& notice_date,
                                  const std::string& handed_over_on, const By& by);
// CON-9: the supervisor returns the record (it was wrong) → eligible again (early_eligible for an
// approved early handover).
ContractChange handover_returned(Contract& c, const By& by);

}  // namespace contract::domain
