#pragma once
// Contract use cases (CON-3 … CON-7, CON-9): load, decide (domain/contract.hpp), save + history
// + outbox event in one transaction. Events follow ISSUE4-SPEC (docs/events.md).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/failure.hpp"
#include "app/subscriptions.hpp"
#include "domain/contract.hpp"
#include "sales/bus.hpp"
#include "sales/db.hpp"
#include "sales/principal.hpp"

namespace contract::app {

inline constexpr const char* kContractSigned = "contract.signed";
inline constexpr const char* kAuditApproved = "contract.audit.approved";
inline constexpr const char* kAuditRejected = "contract.audit.rejected";
inline constexpr const char* kContractStamped = "contract.stamped";
inline constexpr const char* kContractRegistered = "contract.registered";
inline constexpr const char* kAmendmentRequested = "contract.amendment.requested";
inline constexpr const char* kAmendmentApproved = "contract.amendment.approved";
inline constexpr const char* kAmendmentRejected = "contract.amendment.rejected";
inline constexpr const char* kContractCancelled = "contract.cancelled";
inline constexpr const char* kHandoverEligible = "contract.handover.eligible";
inline constexpr const char* kHandoverWithdrawn = "contract.handover.withdrawn";
inline constexpr const char* kHandedOver = "contract.handed_over";
inline constexpr const char* kFinanceCleared = "finance.contract.cleared";
inline constexpr const char* kFinanceUncleared = "finance.contract.uncleared";

// A request body's money, ids and texts after their JSON types were checked by the adapter.
struct SignInput {
    nlohmann::json plan;
    std::optional<std::string> discount_slip_id;
    std::optional<std::string> late_signing_approval_id;
};

// CON-3. The subscription must be confirmed; contract row + gap-free number + subscription
// `signed` + history + contract.signed in one transaction. Throws Failure / RuleViolation /
// TransitionError; nothing is written then.
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
std::optional<nlohmann::json> find_approval(const Context& ctx, const sales::Principal& caller,
                                            domain::ApprovalKind kind, const std::string& id);

// The contract with its audit steps, amendments and refund requests; nullopt when unknown or
// outside the caller's projects.
std::optional<nlohmann::json> find_contract(const Context& ctx, const sales::Principal& caller,
                                            const std::string& id);

// CON-4: decides the open step of the contract's current round.
nlohmann::json decide_contract_audit(const Context& ctx, const sales::Principal& caller,
                                     const std::string& id, bool approve, const std::string& note);
// CON-4: a rejected contract, corrected on paper, starts a new round at step 1.
nlohmann::json resubmit_contract(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, const std::string& note);
// CON-4 stamping (reviewed only) and CON-7 registration (stamped only).
nlohmann::json stamp_contract(const Context& ctx, const sales::Principal& caller,
                              const std::string& id, const std::string& stamped_on,
                              const std::string& stamp_no);
nlohmann::json register_contract(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, const std::string& filed_at,
                                 const std::string& registration_date,
                                 const std::string& registration_no);

// CON-5.
nlohmann::json request_amendment(const Context& ctx, const sales::Principal& caller,
                                 const std::string& contract_id,
                                 const domain::AmendmentChange& change, const std::string& reason);
nlohmann::json decide_amendment_audit(const Context& ctx, const sales::Principal& caller,
                                      const std::string& amendment_id, bool approve,
                                      const std::string& note);

// CON-6.
nlohmann::json request_contract_cancellation(const Context& ctx, const sales::Principal& caller,
                                             const std::string& id, std::int64_t refund_fen,
                                             const std::string& reason);
nlohmann::json decide_contract_cancellation(const Context& ctx, const sales::Principal& caller,
                                            const std::string& id, bool approve,
                                            const std::string& note);

// CON-9.
nlohmann::json hand_over(const Context& ctx, const sales::Principal& caller, const std::string& id,
                         const std::string& notice_date, const std::string& handed_over_on,
                         const std::string& confirmed_by);
// Inbox handler for finance.contract.cleared / uncleared (other finance.contract.* types change
// nothing). Idempotent by state: a repeated event changes nothing.
void apply_finance_contract_event(sales::db::Tx& tx, const sales::bus::Event& event);

// Lists (project scope applied): "handover-eligible", "early-handover", "handed-over",
// "awaiting-audit" (with due_on/overdue; overdue_only filters).
struct ContractListFilter {
    std::optional<std::string> project_id;
    bool overdue_only = false;
    std::int64_t limit = 100;
    std::int64_t offset = 0;
};
nlohmann::json list_contracts(const Context& ctx, const sales::Principal& caller,
                              const std::string& list, const ContractListFilter& filter);

// Per-project contract settings (CON-3/4, FIN-5).
struct ContractSettingsChange {
    std::optional<std::int64_t> max_standard_discount_bp;
    std::optional<std::int64_t> penalty_bp_per_day;
    std::optional<std::int64_t> audit_deadline_working_days;
};
nlohmann::json change_contract_settings(const Context& ctx, const sales::Principal& caller,
                                        const std::string& project_id,
                                        const ContractSettingsChange& change);

}  // namespace contract::app
