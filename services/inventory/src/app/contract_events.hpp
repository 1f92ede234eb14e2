#pragma once
// The contract events inventory applies to its units, all matched on the deal's subscription
// (it holds at most one unit and stays on it as hold_subscription_id). Each is idempotent and
// throws PoisonMessage for unreadable data; an event that finds no unit in the state it expects
// (out of order after a cancellation or swap, or a hold that expired) is logged and ignored.
#include <chrono>

#include "sales/bus.hpp"
#include "sales/db.hpp"

namespace inventory::app {

struct HoldSettings {
    // How long past the deposit deadline a held unit stays held if contract never cancels it.
    std::chrono::seconds grace{600};
    // CON-5 换房: how long a unit held for an amendment in audit stays held from its request
    // (the amendment's decision ends the hold first; contract's hold reconciliation frees a hold
    // whose amendment is gone).
    std::chrono::seconds amendment_hold{std::chrono::hours(24 * 365)};
};

// contract.subscription.created: the subscription's short hold (taken over request/reply) is
// extended to its deposit deadline + grace. A subscription holding no unit (its hold expired
// before the event came) takes its unit again if it is still available; otherwise the
// difference is logged as an error for sales control.
void on_subscription_created(sales::db::Tx& tx, const sales::bus::Event& event,
                             const HoldSettings& settings);

// contract.subscription.confirmed: the subscription's held unit → subscribed (CON-1); a
// subscription holding no unit (a late deposit re-took it before the sweeper's cancellation
// freed it here) takes its unit back when available, else the difference is logged as an error.
// contract.subscription.cancelled: the subscription's unit → available.
// contract.subscription.swapped: a subscribed unit takes the repriced deal price (CON-2).
void on_subscription_confirmed(sales::db::Tx& tx, const sales::bus::Event& event);
void on_subscription_cancelled(sales::db::Tx& tx, const sales::bus::Event& event);
void on_subscription_swapped(sales::db::Tx& tx, const sales::bus::Event& event);

// contract.signed: subscribed → signed, deal price = data.price_fen (CON-3);
// contract.cancelled: signed (or still subscribed) → available, the deal cleared (CON-6);
// contract.handed_over: signed → handed_over (CON-9).
void on_contract_signed(sales::db::Tx& tx, const sales::bus::Event& event);
void on_contract_cancelled(sales::db::Tx& tx, const sales::bus::Event& event);
void on_contract_handed_over(sales::db::Tx& tx, const sales::bus::Event& event);
// contract.subscription.deposit_reversed (FIN-3): the subscription's subscribed unit → held until
// data.deposit_deadline + grace (the deadline may have passed: the hold expiry then frees it).
void on_deposit_reversed(sales::db::Tx& tx, const sales::bus::Event& event,
                         const HoldSettings& settings);

// CON-5 unit change after signing 换房 (events with data.unit_change {old_unit_id, new_unit_id,
// hold_id}; other amendments change nothing here):
// contract.amendment.requested: the new unit's short hold (rpc.inventory.hold under hold_id) is
// kept for `amendment_hold` from the event's time, until the amendment is decided.
// contract.amendment.approved: in one transaction the new unit held under hold_id → signed for
// data.subscription_id at data.terms.price_fen, and the old unit signed for the subscription →
// available. When the new unit is no longer held for the amendment nothing changes (the old unit
// stays sold; an error is logged for sales control): never two units or none for one contract.
// contract.amendment.rejected: the new unit's hold → available (the contract keeps its unit).
void on_amendment_requested(sales::db::Tx& tx, const sales::bus::Event& event,
                            const HoldSettings& settings);
void on_amendment_approved(sales::db::Tx& tx, const sales::bus::Event& event);
void on_amendment_rejected(sales::db::Tx& tx, const sales::bus::Event& event);

// The one consumer of contract.> (stream order between a subscription's and its contract's
// events): dispatches the eleven above by type; other types change nothing.
void on_contract_event(sales::db::Tx& tx, const sales::bus::Event& event,
                       const HoldSettings& settings);

}  // namespace inventory::app
