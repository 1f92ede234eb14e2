#pragma once
// Events finance consumes from the CONTRACT stream (docs/events.md): DOMAIN.md FIN-1.
#include "sales/bus.hpp"
#include "sales/clock.hpp"

namespace finance::app {

inline constexpr const char* kSubscriptionEvents = "contract.subscription.>";
inline constexpr const char* kContractSigned = "contract.signed";
// The one consumer of the CONTRACT stream (filter "contract.>"); the types below are applied,
// the others change nothing.
inline constexpr const char* kContractEvents = "contract.>";
inline constexpr const char* kAmendmentApproved = "contract.amendment.approved";
inline constexpr const char* kAreaSettlementAgreed = "contract.area_settlement.agreed";
inline constexpr const char* kCancellationApproved = "contract.cancellation.approved";
inline constexpr const char* kContractCancelled = "contract.cancelled";

// contract.subscription.*: remembers the subscription (project, unit, customer, price, deposit,
// status) so that a deposit can be checked and later attributed to its contract. A newer
// data.version replaces an older one; older or repeated versions change nothing.
void apply_subscription_event(sales::db::Tx& tx, const sales::bus::Event& event);

// contract.signed (FIN-1): builds the receivable schedule once per contract (a second
// contract.signed for the same contract, under any event id, changes nothing), emits
// finance.schedule.created, and recomputes clearance. Invalid payload → dead letter.
void apply_contract_signed(sales::db::Tx& tx, const sales::Clock& clock,
                           const sales::bus::Event& event);

// Every contract.* event: subscriptions, contract.signed, then the changes after signing.
void apply_contract_event(sales::db::Tx& tx, const sales::Clock& clock,
                          const sales::bus::Event& event);

// The changes after signing (receivables.cpp). Each needs the contract's contract.signed
// applied first (RetryLater until then); malformed data → dead letter.
void apply_contract_change_event(sales::db::Tx& tx, const sales::Clock& clock,
                                 const sales::bus::Event& event);
// CON-5: a newer contract version's terms replace the plan's schedule (built as FIN-1 builds it,
// the deposit credited again); the adjustments stay; emits finance.schedule.changed.
void apply_amendment_approved(sales::db::Tx& tx, const sales::Clock& clock,
                              const sales::bus::Event& event);
// CON-10: the buyer's payment becomes an area_settlement item due on data.payment_due_date, or
// the developer's refund reduces the schedule; what the buyer had paid beyond the reduced price
// is the refund due (paid under a refund approval naming the settlement). Settled at once when
// nothing is to be paid either way.
void apply_area_settlement_agreed(sales::db::Tx& tx, const sales::Clock& clock,
                                  const sales::bus::Event& event);
// CON-6: the finance director's approval of a cancellation is the refund's approval (FIN-4);
// the cashier pays it against that approval.
void apply_cancellation_approved(sales::db::Tx& tx, const sales::bus::Event& event);
// CON-6: a cancelled contract is no longer owed (arrears leave it out).
void apply_contract_cancelled(sales::db::Tx& tx, const sales::Clock& clock,
                              const sales::bus::Event& event);

}  // namespace finance::app
