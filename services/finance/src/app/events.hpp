#pragma once
// Events finance consumes from the CONTRACT stream (docs/events.md): DOMAIN.md FIN-1.
#include "sales/bus.hpp"
#include "sales/clock.hpp"

namespace finance::app {

inline constexpr const char* kSubscriptionEvents = "contract.subscription.>";
inline constexpr const char* kContractSigned = "contract.signed";

// contract.subscription.*: remembers the subscription (project, unit, customer, price, deposit,
// status) so that a deposit can be checked and later attributed to its contract. A newer
// data.version replaces an older one; older or repeated versions change nothing.
void apply_subscription_event(sales::db::Tx& tx, const sales::bus::Event& event);

// contract.signed (FIN-1): builds the receivable schedule once per contract (a second
// contract.signed for the same contract, under any event id, changes nothing), emits
// finance.schedule.created, and recomputes clearance. Invalid payload → dead letter.
void apply_contract_signed(sales::db::Tx& tx, const sales::Clock& clock,
                           const sales::bus::Event& event);

}  // namespace finance::app
