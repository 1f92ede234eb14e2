#pragma once
// Contract use cases (CON-3 … CON-7, CON-9): load, decide (domain/contract.hpp), save the change
// with its history rows and event (adapters/contract_store) in one transaction. Events:
// docs/events.md. Refusals are sales::Failure; nothing is written then.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/contract_queries.hpp"
#include "adapters/project_store.hpp"
#include "app/context.hpp"
#include "app/inventory_client.hpp"
#include "domain/contract.hpp"
#include "sales/bus.hpp"
#include "sales/principal.hpp"

namespace contract::app {

inline constexpr const char* kFinanceCleared = "finance.contract.cleared";
inline constexpr const char* kFinanceUncleared = "finance.contract.uncleared";
inline constexpr const char* kTitleAreaRecorded = "inventory.unit.title_area_recorded";
inline constexpr const char* kAreaSettlementComputed = "contract.area_settlement.computed";
inline constexpr const char* kAreaSettlementChosen = "contract.area_settlement.buyer_chose";
inline constexpr const char* kAreaSettlementAgreed = "contract.area_settlement.agreed";
inline constexpr const char* kAreaSettlementSettledByFinance = "contract.area_settlement.settled";
inline constexpr const char* kAreaSettlementInvoiced = "contract.area_settlement.invoiced";
inline constexpr const char* kFinanceAreaSettlementSettled = "finance.area_settlement.settled";
inline constexpr const char* kFinanceRefundPaid = "finance.refund.paid";

struct SignInput {
    domain::Plan plan;  // read against today (no date in the past)
    std::optional<std::string> discount_slip_id;
    std::optional<std::string> late_signing_approval_id;
    // CON-11: the member who referred the buyer (会员积分申请书); finance confirms the points.
    std::optional<std::string> referrer_customer_id;
};

// CON-3. With a referrer (CON-11): 422 referrer_is_buyer, 422 referrer_not_member (no contract
// of theirs that is not cancelled). The subscription must be confirmed; contract row + gap-free
// number + subscription `signed` + history + contract.signed in one transaction. Returns the
// contract.
nlohmann::json sign_contract(const Context& ctx, const sales::Principal& caller,
                             const std::string& subscription_id, const SignInput& input);

// Approvals (discount slip, late signing: subject = subscription; early handover: subject =
// contract). Request → requested; the GM decides.
nlohmann::json request_approval(const Context& ctx, const sales::Principal& caller,
                                domain::ApprovalKind kind, const std::string& subject_id,
                                std::optional<std::int64_t> discount_fen,
                                const std::string& reason);
nlohmann::json decide_approval(const Context& ctx, const sales::Principal& caller,
                               domain::ApprovalKind kind, const std::string& id, bool approve,
                               const std::string& note);
// Failure not_found "approval_not_found" when unknown or outside the caller's projects.
nlohmann::json find_approval(const Context& ctx, const sales::Principal& caller,
                             domain::ApprovalKind kind, const std::string& id);

// The contract with its audit steps, amendments and refund requests; Failure not_found
// "contract_not_found" when unknown or outside the caller's projects.
nlohmann::json find_contract(const Context& ctx, const sales::Principal& caller,
                             const std::string& id);

// CON-4: decides the open step of the contract's current round.
nlohmann::json decide_contract_audit(const Context& ctx, const sales::Principal& caller,
                                     const std::string& id, bool approve, const std::string& note);
// CON-4: a rejected contract, corrected on paper, starts a new round at step 1.
nlohmann::json resubmit_contract(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, const std::string& note);
// CON-4 stamping (reviewed only) and CON-7 registration (stamped only).
nlohmann::json stamp_contract(const Context& ctx, const sales::Principal& caller,
                              const std::string& id, sales::Date stamped_on,
                              const std::string& stamp_no);
nlohmann::json register_contract(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, sales::TimePoint filed_at,
                                 sales::Date registration_date, const std::string& registration_no);

// CON-5.
// `new_unit_id` (换房): the unit is held in inventory for the amendment first (409
// unit_not_available when it cannot be); its price terms become the new terms, the contract's
// discount re-checked (CON-3, REG-2). On the final approval the contract and its subscription
// move to it (contract.amendment.approved: inventory sells it and frees the old unit); on a
// rejection the hold is released (contract.amendment.rejected).
nlohmann::json request_amendment(const Context& ctx, InventoryClient& inventory,
                                 const sales::Principal& caller, const std::string& contract_id,
                                 const domain::AmendmentChange& change,
                                 const std::optional<std::string>& new_unit_id,
                                 const std::string& reason);
nlohmann::json decide_amendment_audit(const Context& ctx, const sales::Principal& caller,
                                      const std::string& amendment_id, bool approve,
                                      const std::string& note);

// CON-6.
nlohmann::json request_contract_cancellation(const Context& ctx, const sales::Principal& caller,
                                             const std::string& id, std::int64_t refund_fen,
                                             const std::string& reason);
// An approval rejects the contract's amendment in audit; its hold on a new unit is released.
nlohmann::json decide_contract_cancellation(const Context& ctx, InventoryClient& inventory,
                                            const sales::Principal& caller, const std::string& id,
                                            bool approve, const std::string& note);

// CON-9.
// The handover clerk records the handover → awaiting_confirmation.
nlohmann::json hand_over(const Context& ctx, const sales::Principal& caller, const std::string& id,
                         sales::Date notice_date, sales::Date handed_over_on);
// A sales supervisor confirms it (→ handed_over, contract.handed_over) or returns it.
nlohmann::json decide_handover(const Context& ctx, const sales::Principal& caller,
                               const std::string& id, bool confirm, const std::string& note);
// Inbox handler for finance.contract.cleared / uncleared (other finance.contract.* types change
// nothing). Idempotent by state: a repeated event changes nothing.
// CON-10 / REG-1: inventory.unit.title_area_recorded settles the unit's live contract (gross and
// internal area; the pricing basis names the one that applies) and emits
// kAreaSettlementComputed; earlier settlements of the contract are superseded. A unit without
// a live contract: nothing. A contract without recorded areas, or a malformed event: dead letter.
void apply_title_area_recorded(sales::db::Tx& tx, const sales::bus::Event& event);

void apply_finance_contract_event(const Context& ctx, sales::db::Tx& tx,
                                  const sales::bus::Event& event);

// CON-10 steps (settlement_steps.cpp); Failure not_found "area_settlement_not_found" when the
// settlement is unknown or its contract outside the caller's projects, conflict
// "invalid_transition" when its status does not allow the step.
struct BuyerChoice {
    bool cancel = false;
    std::int64_t paid_fen = 0;  // cancel: what the buyer paid (finance's balance), refunded
    std::string note;
};
// REG-1 beyond 3%: keep → to_settle; cancel → buyer_cancelled and a CON-6 refund request of
// paid_fen plus interest at the project's refund_interest_bp_per_year from the signing day to
// today (409 refund_request_open when one is waiting already). Emits
// contract.area_settlement.buyer_chose.
nlohmann::json record_buyer_choice(const Context& ctx, const sales::Principal& caller,
                                   const std::string& id, const BuyerChoice& choice);
struct Agreement {
    std::string agreement_no;
    sales::Date signed_on;
    std::optional<sales::Date> payment_due_date;  // required when the buyer pays
};
// The supplementary agreement 补充协议: to_settle → agreed; emits contract.area_settlement.agreed
// (finance books it). 409 agreement_no_taken, contract_not_in_force.
nlohmann::json record_agreement(const Context& ctx, const sales::Principal& caller,
                                const std::string& id, const Agreement& agreement);
// settled → invoiced; emits contract.area_settlement.invoiced.
nlohmann::json record_invoice(const Context& ctx, const sales::Principal& caller,
                              const std::string& id, const std::string& invoice_no,
                              sales::Date invoice_date);
// finance.area_settlement.settled: agreed → settled (emits contract.area_settlement.settled);
// any other status: nothing. Unknown settlement → dead letter.
void apply_area_settlement_settled(sales::db::Tx& tx, const sales::bus::Event& event);
// finance.refund.paid of a cancellation's refund: cancelling → cancelled, contract.cancelled
// (inventory releases the unit). Other purposes, or a request already closed: nothing.
void apply_refund_paid(const Context& ctx, sales::db::Tx& tx, const sales::bus::Event& event);

// Lists (project scope applied): "handover-eligible", "early-handover", "handover-to-confirm"
// (recorded, awaiting the supervisor), "handed-over",
// "awaiting-audit" (with due_on/overdue; overdue_only filters).
using ContractListFilter = contract_queries::ListFilter;
nlohmann::json list_contracts(const Context& ctx, const sales::Principal& caller,
                              const std::string& list, const ContractListFilter& filter);

// Per-project contract settings (CON-3/4, FIN-5).
using ContractSettingsChange = project_store::ContractSettingsChange;
nlohmann::json change_contract_settings(const Context& ctx, const sales::Principal& caller,
                                        const std::string& project_id,
                                        const ContractSettingsChange& change);

}  // namespace contract::app
