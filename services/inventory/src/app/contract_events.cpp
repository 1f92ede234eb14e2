#include "app/contract_events.hpp"

#include <initializer_list>

#include "adapters/hold_store.hpp"
#include "app/status_changes.hpp"
#include "sales/calendar.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace inventory::app {
namespace {
using domain::UnitAction;
using sales::bus::Event;
using sales::db::Tx;
namespace updates = adapters::unit_updates;

// A data field as a UUID string, or PoisonMessage (the event can never be applied).
std::string uuid_field(const Event& event, const char* field) {
    const auto it = event.data.find(field);
    if (it == event.data.end() || !it->is_string() || !sales::is_uuid(it->get<std::string>())) {
        throw sales::bus::PoisonMessage(event.type + " " + event.id + ": data." + field +
                                        " must be a UUID");
    }
    return it->get<std::string>();
}

// data.price_fen as a non-negative integer; absent or malformed → nullopt.
std::optional<std::int64_t> opt_price(const Event& event) {
    const auto it = event.data.find("price_fen");
    if (it == event.data.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0)
        return std::nullopt;
    return it->get<std::int64_t>();
}

std::int64_t price(const Event& event) {
    const auto value = opt_price(event);
    if (!value) {
        throw sales::bus::PoisonMessage(event.type + " " + event.id +
                                        ": data.price_fen must be a non-negative integer (fen)");
    }
    return *value;
}

// The first of `fields` that is a string, or `fallback`.
std::string text_field(const Event& event, std::initializer_list<const char*> fields,
                       const std::string& fallback) {
    for (const char* field : fields) {
        const auto it = event.data.find(field);
        if (it != event.data.end() && it->is_string())
            return it->get<std::string>();
    }
    return fallback;
}

void log_ignored(Tx& tx, const Event& event, const std::string& unit_id,
                 const std::string& subscription_id, const std::string& message) {
    sales::log::warn(message, {{"event_id", event.id},
                               {"unit_id", unit_id},
                               {"subscription_id", subscription_id},
                               {"status", adapters::unit_status(tx, unit_id).value_or("missing")}});
}

// The contract moves the subscription's unit. `ignored` (when given) is logged if no unit was
// in the expected state.
std::vector<ChangedUnit> by_contract(Tx& tx, const Event& event, std::vector<UnitAction> actions,
                                     const std::string& reason, const adapters::UnitUpdate& which,
                                     const char* ignored = nullptr) {
    auto changed = change_status(
        tx, {.actions = std::move(actions), .actor = "contract", .reason = reason, .which = which});
    if (changed.empty() && ignored != nullptr) {
        log_ignored(tx, event, uuid_field(event, "unit_id"), uuid_field(event, "subscription_id"),
                    ignored);
    }
    return changed;
}

// The subscription holds no unit here (one event overtook another): `which` takes its unit
// again if it is free; when it is taken, `problem` is logged for sales control.
void take_back(Tx& tx, const Event& event, UnitAction action, const std::string& reason,
               const adapters::UnitUpdate& which, const char* problem) {
    if (!by_contract(tx, event, {action}, reason, which).empty())
        return;
    const auto unit_id = uuid_field(event, "unit_id");
    sales::log::error(problem,
                      {{"event_id", event.id},
                       {"unit_id", unit_id},
                       {"subscription_id", uuid_field(event, "subscription_id")},
                       {"status", adapters::unit_status(tx, unit_id).value_or("missing")}});
}

// The subscription's deal ends on whichever unit it holds (normally unit_id; after a swap
// that crossed the event, the new one).
void end_deal(Tx& tx, const Event& event, std::vector<UnitAction> actions,
              const std::string& reason) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    uuid_field(event, "unit_id");  // validated: an event without it is malformed
    by_contract(tx, event, std::move(actions), reason, updates::end_deal_of(subscription_id));
}
}  // namespace

void on_subscription_created(Tx& tx, const Event& event, const HoldSettings& settings) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    const auto unit_id = uuid_field(event, "unit_id");
    const auto deadline = sales::parse_rfc3339(text_field(event, {"deposit_deadline"}, ""));
    if (!deadline) {
        throw sales::bus::PoisonMessage(event.type + " " + event.id +
                                        ": data.deposit_deadline must be an RFC 3339 timestamp");
    }
    const auto hold_until = sales::to_rfc3339(*deadline + settings.grace);
    if (adapters::hold_store::extend_hold(tx, subscription_id, hold_until) > 0 ||
        adapters::units_held_by(tx, subscription_id) > 0)
        return;
    // The short hold expired before this event came (NATS was down): take the unit again.
    take_back(tx, event, UnitAction::hold, "subscription " + subscription_id + " created (CON-1)",
              updates::hold(unit_id, subscription_id, hold_until, std::nullopt, std::nullopt,
                            std::nullopt),
              "subscription created for a unit it does not hold; sales control must resolve it "
              "(swap or cancel)");
}

void on_subscription_confirmed(Tx& tx, const Event& event) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    const auto unit_id = uuid_field(event, "unit_id");
    // Matched on the subscription alone: a swap that reached inventory before this event holds
    // the subscription's new unit, and that is the unit the deposit secures (CON-2).
    const auto changed = by_contract(tx, event, {UnitAction::confirm}, "deposit received (CON-1)",
                                     updates::confirm_deal(subscription_id, opt_price(event)));
    // A redelivered confirmation of a unit already subscribed is silent.
    if (!changed.empty() || adapters::units_held_by(tx, subscription_id) > 0)
        return;
    // CON-1 late deposit: contract re-took the unit while the sweeper's cancellation was still
    // on its way here, so that cancellation freed it; the confirmed deal takes it back if free.
    take_back(tx, event, UnitAction::take_subscribed, "deposit received (CON-1), unit taken back",
              updates::take_deal(unit_id, subscription_id, std::nullopt, opt_price(event)),
              "confirmed subscription holds no unit and its unit is taken; sales control must "
              "resolve it (swap or refund)");
}

void on_deposit_reversed(Tx& tx, const Event& event, const HoldSettings& settings) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    const auto unit_id = uuid_field(event, "unit_id");
    const auto deadline = sales::parse_rfc3339(text_field(event, {"deposit_deadline"}, ""));
    if (!deadline) {
        throw sales::bus::PoisonMessage(event.type + " " + event.id +
                                        ": data.deposit_deadline must be an RFC 3339 timestamp");
    }
    // FIN-3: held again until the deadline plus the grace, as a new subscription's hold; a unit
    // still held (a partial deposit reversed) stays as it is.
    by_contract(
        tx, event, {UnitAction::reopen}, "deposit reversed (FIN-3)",
        updates::reopen_deal(subscription_id, sales::to_rfc3339(*deadline + settings.grace)));
}

void on_subscription_cancelled(Tx& tx, const Event& event) {
    end_deal(tx, event, {UnitAction::release_deal},
             "subscription cancelled: " +
                 text_field(event, {"reason", "cancellation_reason"}, "no reason given"));
}

void on_subscription_swapped(Tx& tx, const Event& event) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    const auto unit_id = uuid_field(event, "unit_id");
    // The swap RPC carried the old unit's deal price over; the subscription was repriced for the
    // new unit (CON-2), and a sold unit shows that price on the board.
    adapters::reprice_deal(tx, unit_id, subscription_id, price(event));
}

void on_contract_signed(Tx& tx, const Event& event) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    uuid_field(event, "unit_id");
    const auto deal_price = price(event);
    // CON-3: the unit is sold (签约) at the contract's price.
    by_contract(tx, event, {UnitAction::sign},
                "contract " + text_field(event, {"contract_no"}, "?") + " signed (CON-3)",
                updates::sign_deal(subscription_id, deal_price),
                "contract signed for a unit the subscription does not have subscribed; ignored");
}

void on_contract_cancelled(Tx& tx, const Event& event) {
    // CON-6: the unit is released; a unit whose signing never reached us is released too.
    end_deal(tx, event, {UnitAction::release_contract, UnitAction::release_deal},
             "contract cancelled (CON-6): " + text_field(event, {"reason"}, "no reason given"));
}

void on_contract_handed_over(Tx& tx, const Event& event) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    uuid_field(event, "unit_id");
    by_contract(tx, event, {UnitAction::hand_over},
                "handed over on " + text_field(event, {"handed_over_on"}, "?") + " (CON-9)",
                updates::of_subscription(subscription_id),
                "handover for a unit that is not signed by the subscription; ignored");
}

namespace {
// data.unit_change of a CON-5 unit change, or nullopt for another amendment.
struct UnitChange {
    std::string old_unit_id;
    std::string new_unit_id;
    std::string hold_id;
};
std::optional<UnitChange> unit_change(const Event& event) {
    const auto it = event.data.find("unit_change");
    if (it == event.data.end() || it->is_null())
        return std::nullopt;
    const auto uuid = [&](const char* field) {
        const auto f = it->is_object() ? it->find(field) : it->end();
        if (f == it->end() || !f->is_string() || !sales::is_uuid(f->get<std::string>())) {
            throw sales::bus::PoisonMessage(event.type + " " + event.id + ": data.unit_change." +
                                            field + " must be a UUID");
        }
        return f->get<std::string>();
    };
    return UnitChange{uuid("old_unit_id"), uuid("new_unit_id"), uuid("hold_id")};
}
}  // namespace

void on_amendment_requested(Tx& tx, const Event& event, const HoldSettings& settings) {
    const auto change = unit_change(event);
    if (!change)
        return;
    const auto at = sales::parse_rfc3339(event.time);
    const auto until =
        sales::to_rfc3339((at ? *at : std::chrono::system_clock::now()) + settings.amendment_hold);
    if (adapters::hold_store::extend_hold(tx, change->hold_id, until) > 0 ||
        adapters::units_held_by(tx, change->hold_id) > 0)
        return;
    // The short hold lapsed before this event came (NATS was down): the approval will find no
    // hold and change nothing; sales control must resolve it (reject the amendment).
    sales::log::error("unit change requested for a unit its amendment no longer holds",
                      {{"event_id", event.id},
                       {"unit_id", change->new_unit_id},
                       {"amendment_id", change->hold_id},
                       {"status", adapters::unit_status(tx, change->new_unit_id).value_or("")}});
}

void on_amendment_approved(Tx& tx, const Event& event) {
    const auto change = unit_change(event);
    if (!change)
        return;
    const auto subscription_id = uuid_field(event, "subscription_id");
    // data.terms.price_fen: the contract's new price, the sold unit's deal price.
    const auto& terms = event.data.contains("terms") ? event.data["terms"] : event.data;
    const auto price =
        terms.is_object() ? terms.value("price_fen", nlohmann::json()) : nlohmann::json();
    if (!price.is_number_integer() || price.get<std::int64_t>() < 0) {
        throw sales::bus::PoisonMessage(event.type + " " + event.id +
                                        ": data.terms.price_fen must be a non-negative integer");
    }
    const auto reason = "unit change (CON-5 换房) of contract " +
                        text_field(event, {"contract_id"}, "?") + ", amendment " + change->hold_id;
    // INV-4: the new unit is taken first; only then is the old one freed (never both sold, never
    // neither). Both in this transaction.
    const auto taken = change_status(
        tx, {.actions = {UnitAction::change_signed},
             .actor = "contract",
             .reason = reason,
             .which = updates::change_deal(change->new_unit_id, change->hold_id, subscription_id,
                                           price.get<std::int64_t>())});
    if (taken.empty()) {
        sales::log::error(
            "unit change approved but the new unit is not held for the amendment; the old unit "
            "stays sold; sales control must resolve it",
            {{"event_id", event.id},
             {"unit_id", change->new_unit_id},
             {"old_unit_id", change->old_unit_id},
             {"amendment_id", change->hold_id},
             {"status", adapters::unit_status(tx, change->new_unit_id).value_or("missing")}});
        return;
    }
    change_status(tx, {.actions = {UnitAction::release_contract},
                       .actor = "contract",
                       .reason = reason + ": the old unit is released",
                       .which = updates::end_deal(change->old_unit_id, subscription_id)});
}

void on_amendment_rejected(Tx& tx, const Event& event) {
    const auto change = unit_change(event);
    if (!change)
        return;
    // CON-5: a rejected amendment leaves everything as it was; its hold ends (and a hold request
    // for it still on its way is refused).
    adapters::hold_store::lock_subscription(tx, change->hold_id);
    adapters::hold_store::record_released(tx, change->hold_id);
    change_status(tx, {.actions = {UnitAction::release_deal},
                       .actor = "contract",
                       .reason = "unit change (CON-5 换房) rejected: amendment " + change->hold_id,
                       .which = updates::end_deal(change->new_unit_id, change->hold_id)});
}

void on_contract_event(Tx& tx, const Event& event, const HoldSettings& settings) {
    if (event.type == "contract.subscription.created")
        on_subscription_created(tx, event, settings);
    else if (event.type == "contract.subscription.confirmed")
        on_subscription_confirmed(tx, event);
    else if (event.type == "contract.subscription.deposit_reversed")
        on_deposit_reversed(tx, event, settings);
    else if (event.type == "contract.subscription.cancelled")
        on_subscription_cancelled(tx, event);
    else if (event.type == "contract.subscription.swapped")
        on_subscription_swapped(tx, event);
    else if (event.type == "contract.signed")
        on_contract_signed(tx, event);
    else if (event.type == "contract.cancelled")
        on_contract_cancelled(tx, event);
    else if (event.type == "contract.handed_over")
        on_contract_handed_over(tx, event);
    else if (event.type == "contract.amendment.requested")
        on_amendment_requested(tx, event, settings);
    else if (event.type == "contract.amendment.approved")
        on_amendment_approved(tx, event);
    else if (event.type == "contract.amendment.rejected")
        on_amendment_rejected(tx, event);
}

}  // namespace inventory::app
