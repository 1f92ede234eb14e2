#include "app/holds.hpp"

#include <algorithm>
#include <stdexcept>

#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace inventory::app {
namespace {
using domain::UnitAction;
using sales::db::Tx;
using Result = DealOutcome::Result;

struct UnitState {
    ChangedUnit unit;
    std::string status;
    std::optional<std::int64_t> deal_price_fen;
};

const std::string kStateSelect =
    "SELECT id::text AS unit_id, project_id::text AS project_id, "
    "building_id::text AS building_id, unit_number, status, version, "
    "hold_subscription_id::text AS subscription_id, gross_area_centi_m2, "
    "list_unit_price_fen_per_m2, list_total_fen, price_list_id::text AS price_list_id, "
    "deal_price_fen FROM units ";

UnitState state_of(const sales::db::Row& r) {
    return {{r.text("unit_id"), r.text("project_id"), r.text("building_id"), r.text("unit_number"),
             r.text("status"), r.text("status"), r.int64("version"), r.opt_text("subscription_id"),
             r.int64("gross_area_centi_m2"), r.int64("list_unit_price_fen_per_m2"),
             r.int64("list_total_fen"), r.opt_text("price_list_id")},
            r.text("status"),
            r.opt_int64("deal_price_fen")};
}

std::optional<UnitState> read_state(Tx& tx, const std::string& unit_id) {
    auto row = tx.exec_maybe_one(kStateSelect + "WHERE id = $1::uuid", {unit_id});
    return row ? std::optional<UnitState>(state_of(*row)) : std::nullopt;
}

std::int64_t units_held_by(Tx& tx, const std::string& subscription_id) {
    return tx
        .exec_one("SELECT count(*) FROM units WHERE hold_subscription_id = $1::uuid",
                  {subscription_id})
        .int64(0);
}

bool has_deal(const UnitState& s, const std::string& subscription_id) {
    return s.unit.subscription_id == subscription_id &&
           (s.status == "held" || s.status == "subscribed");
}

DealOutcome outcome(Result result, std::optional<ChangedUnit> unit = std::nullopt,
                    std::string status = "", std::string message = "") {
    return {result, std::move(unit), std::move(status), std::move(message)};
}

bool in_scope(const UnitState& s, const std::optional<std::vector<std::string>>& project_ids) {
    return !project_ids || std::find(project_ids->begin(), project_ids->end(), s.unit.project_id) !=
                               project_ids->end();
}

// A contract event that matched no unit in the state it expects: logged with the unit's current
// status and ignored (out of order after a cancellation or swap, or a hold that expired).
void log_ignored(Tx& tx, const sales::bus::Event& event, const std::string& unit_id,
                 const std::string& subscription_id, const std::string& message) {
    const auto state = read_state(tx, unit_id);
    sales::log::warn(message, {{"event_id", event.id},
                               {"unit_id", unit_id},
                               {"subscription_id", subscription_id},
                               {"status", state ? state->status : "missing"}});
}

// A uuid[] literal ('{a,b}'), or NULL for "every project". The ids are validated UUIDs.
sales::db::Param scope_param(const std::optional<std::vector<std::string>>& project_ids) {
    if (!project_ids)
        return sales::db::Param(nullptr);
    std::string literal = "{";
    for (const auto& id : *project_ids)
        literal += (literal.size() > 1 ? "," : "") + id;
    return sales::db::Param(literal + "}");
}

// The unit matched nothing: absent or outside the caller's projects, already this
// subscription's (idempotent), or taken.
DealOutcome explain(Tx& tx, const std::string& unit_id, const std::string& subscription_id,
                    const std::optional<std::vector<std::string>>& project_ids) {
    const auto state = read_state(tx, unit_id);
    if (!state || !in_scope(*state, project_ids))
        return outcome(Result::not_found);
    if (has_deal(*state, subscription_id))
        return outcome(Result::held, state->unit);
    return outcome(Result::conflict, std::nullopt, state->status);
}

// The subscription's deal on `unit_id` ends: held | subscribed → available.
std::vector<ChangedUnit> end_deal(Tx& tx, const std::string& unit_id,
                                  const std::string& subscription_id, const std::string& actor,
                                  const std::string& reason) {
    return change_status(tx, {.actions = {UnitAction::release_deal},
                              .actor = actor,
                              .reason = reason,
                              .match = "id = $1::uuid AND hold_subscription_id = $2::uuid",
                              .params = {unit_id, subscription_id},
                              .set = kClearDeal});
}

// Event data fields as UUID strings, or PoisonMessage (the event can never be applied).
std::string uuid_field(const sales::bus::Event& event, const char* field) {
    const auto it = event.data.find(field);
    if (it == event.data.end() || !it->is_string() || !sales::is_uuid(it->get<std::string>())) {
        throw sales::bus::PoisonMessage(event.type + " " + event.id + ": data." + field +
                                        " must be a UUID");
    }
    return it->get<std::string>();
}

}  // namespace

DealOutcome hold(sales::db::Pool& db, const HoldRequest& r) {
    return db.transaction([&](Tx& tx) {
        // INV-4: a reserved unit is held only by the request naming its reservation.
        const auto changed = change_status(
            tx, {.actions = {UnitAction::hold, UnitAction::hold_reserved},
                 .actor = r.actor,
                 .reason = "subscription " + r.subscription_id + " awaiting deposit (CON-1)",
                 .match = "id = $1::uuid AND (status <> 'reserved' OR reservation_id = $5::uuid) "
                          "AND ($6::uuid[] IS NULL OR project_id = ANY ($6::uuid[]))",
                 .params = {r.unit_id, r.subscription_id, r.hold_until,
                            sales::db::param(r.deal_price_fen), sales::db::param(r.reservation_id),
                            scope_param(r.project_ids)},
                 .set = std::string(", hold_subscription_id = $2::uuid, "
                                    "hold_until = $3::timestamptz, deal_price_fen = $4::bigint") +
                        kClearReservation});
        if (!changed.empty())
            return outcome(Result::held, changed.front());
        return explain(tx, r.unit_id, r.subscription_id, r.project_ids);
    });
}

DealOutcome release(sales::db::Pool& db, const ReleaseRequest& r) {
    return db.transaction([&](Tx& tx) {
        if (!end_deal(tx, r.unit_id, r.subscription_id, r.actor, r.reason).empty())
            return outcome(Result::released);
        return outcome(read_state(tx, r.unit_id) ? Result::not_held : Result::not_found);
    });
}

DealOutcome swap(sales::db::Pool& db, const SwapRequest& r) {
    if (r.old_unit_id == r.new_unit_id)
        return outcome(Result::invalid, std::nullopt, "", "old_unit_id equals new_unit_id");
    return db.transaction([&](Tx& tx) {
        // Both rows locked, in id order, for the whole swap (CON-2: never both or neither held).
        std::optional<UnitState> old_unit, new_unit;
        for (const auto& row :
             tx.exec(kStateSelect + "WHERE id IN ($1::uuid, $2::uuid) ORDER BY id FOR UPDATE",
                     {r.old_unit_id, r.new_unit_id})) {
            auto state = state_of(row);
            (state.unit.unit_id == r.old_unit_id ? old_unit : new_unit) = std::move(state);
        }
        if (!old_unit || !new_unit || !in_scope(*new_unit, r.project_ids))
            return outcome(Result::not_found);
        if (has_deal(*new_unit, r.subscription_id) && !has_deal(*old_unit, r.subscription_id))
            return outcome(Result::held, new_unit->unit);  // already swapped
        if (!has_deal(*old_unit, r.subscription_id)) {
            return outcome(Result::invalid, std::nullopt, "",
                           "old unit " + r.old_unit_id + " is not held by subscription " +
                               r.subscription_id + " (it is " + old_unit->status + ")");
        }
        const bool subscribed = old_unit->status == "subscribed";
        const auto action = subscribed ? UnitAction::take_subscribed : UnitAction::hold;
        if (!domain::decide(*domain::parse_status(new_unit->status), action).legal())
            return outcome(Result::conflict, std::nullopt, new_unit->status);
        const std::string reason = "swap (CON-2) of subscription " + r.subscription_id;
        const auto taken = change_status(
            tx, {.actions = {action},
                 .actor = r.actor,
                 .reason = reason + " from unit " + old_unit->unit.unit_number,
                 .match = "id = $1::uuid",
                 .params = {r.new_unit_id, r.subscription_id,
                            subscribed ? sales::db::Param{nullptr} : sales::db::Param{r.hold_until},
                            sales::db::param(old_unit->deal_price_fen)},
                 .set = ", hold_subscription_id = $2::uuid, hold_until = $3::timestamptz, "
                        "deal_price_fen = $4::bigint"});
        const auto freed = end_deal(tx, r.old_unit_id, r.subscription_id, r.actor,
                                    reason + " to unit " + new_unit->unit.unit_number);
        if (taken.size() != 1 || freed.size() != 1)
            throw std::logic_error("swap changed an unexpected number of units; rolled back");
        return outcome(Result::held, taken.front());
    });
}

void on_subscription_confirmed(Tx& tx, const sales::bus::Event& event) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    const auto unit_id = uuid_field(event, "unit_id");
    const auto price = event.data.find("price_fen");
    std::optional<std::int64_t> deal_price;
    if (price != event.data.end() && price->is_number_integer() && price->get<std::int64_t>() >= 0)
        deal_price = price->get<std::int64_t>();
    // Matched on the subscription alone: a swap that reached inventory before this event holds
    // the subscription's new unit, and that is the unit the deposit secures (CON-2).
    const auto changed = change_status(
        tx, {.actions = {UnitAction::confirm},
             .actor = "contract",
             .reason = "deposit received (CON-1)",
             .match = "hold_subscription_id = $1::uuid",
             .params = {subscription_id, sales::db::param(deal_price)},
             .set = ", hold_until = NULL, deal_price_fen = coalesce($2::bigint, deal_price_fen)"});
    // A redelivered confirmation of a unit already subscribed is silent.
    if (changed.empty() && units_held_by(tx, subscription_id) == 0) {
        log_ignored(tx, event, unit_id, subscription_id,
                    "confirmation for a unit the subscription does not hold; ignored");
    }
}

void on_subscription_cancelled(Tx& tx, const sales::bus::Event& event) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    uuid_field(event, "unit_id");  // validated: an event without it is malformed
    std::string why = "no reason given";
    for (const char* field : {"reason", "cancellation_reason"}) {
        const auto it = event.data.find(field);
        if (it != event.data.end() && it->is_string()) {
            why = it->get<std::string>();
            break;
        }
    }
    // The subscription's deal ends on whichever unit it holds (normally unit_id; after a swap
    // that crossed this event, the new one).
    change_status(tx, {.actions = {UnitAction::release_deal},
                       .actor = "contract",
                       .reason = "subscription cancelled: " + why,
                       .match = "hold_subscription_id = $1::uuid",
                       .params = {subscription_id},
                       .set = kClearDeal});
}

void on_subscription_swapped(Tx& tx, const sales::bus::Event& event) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    const auto unit_id = uuid_field(event, "unit_id");
    const auto price = event.data.find("price_fen");
    if (price == event.data.end() || !price->is_number_integer() || price->get<std::int64_t>() < 0)
        throw sales::bus::PoisonMessage(event.type + " " + event.id +
                                        ": data.price_fen must be a non-negative integer (fen)");
    // The swap RPC carried the old unit's deal price over; the subscription was repriced for the
    // new unit (CON-2), and a sold unit shows that price on the board.
    tx.exec(
        "UPDATE units SET deal_price_fen = $3, version = version + 1, updated_at = now() "
        "WHERE id = $1::uuid AND hold_subscription_id = $2::uuid AND status = 'subscribed' "
        "AND deal_price_fen IS DISTINCT FROM $3",
        {unit_id, subscription_id, price->get<std::int64_t>()});
}

void on_subscription_event(Tx& tx, const sales::bus::Event& event) {
    if (event.type == "contract.subscription.confirmed")
        on_subscription_confirmed(tx, event);
    else if (event.type == "contract.subscription.cancelled")
        on_subscription_cancelled(tx, event);
    else if (event.type == "contract.subscription.swapped")
        on_subscription_swapped(tx, event);
}

void on_contract_signed(Tx& tx, const sales::bus::Event& event) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    const auto unit_id = uuid_field(event, "unit_id");
    const auto price = event.data.find("price_fen");
    if (price == event.data.end() || !price->is_number_integer() || price->get<std::int64_t>() < 0)
        throw sales::bus::PoisonMessage(event.type + " " + event.id +
                                        ": data.price_fen must be a non-negative integer (fen)");
    std::string contract_no = "?";
    if (const auto it = event.data.find("contract_no"); it != event.data.end() && it->is_string())
        contract_no = it->get<std::string>();
    // CON-3: the unit is sold (签约) at the contract's price.
    const auto changed =
        change_status(tx, {.actions = {UnitAction::sign},
                           .actor = "contract",
                           .reason = "contract " + contract_no + " signed (CON-3)",
                           .match = "hold_subscription_id = $1::uuid",
                           .params = {subscription_id, price->get<std::int64_t>()},
                           .set = ", hold_until = NULL, deal_price_fen = $2::bigint"});
    if (changed.empty()) {
        log_ignored(tx, event, unit_id, subscription_id,
                    "contract signed for a unit the subscription does not have subscribed; "
                    "ignored");
    }
}

void on_contract_cancelled(Tx& tx, const sales::bus::Event& event) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    uuid_field(event, "unit_id");
    std::string why = "no reason given";
    if (const auto it = event.data.find("reason"); it != event.data.end() && it->is_string())
        why = it->get<std::string>();
    // CON-6: the unit is released; a unit whose signing never reached us is released too.
    change_status(tx, {.actions = {UnitAction::release_contract, UnitAction::release_deal},
                       .actor = "contract",
                       .reason = "contract cancelled (CON-6): " + why,
                       .match = "hold_subscription_id = $1::uuid",
                       .params = {subscription_id},
                       .set = kClearDeal});
}

void on_contract_handed_over(Tx& tx, const sales::bus::Event& event) {
    const auto subscription_id = uuid_field(event, "subscription_id");
    const auto unit_id = uuid_field(event, "unit_id");
    std::string on = "?";
    if (const auto it = event.data.find("handed_over_on");
        it != event.data.end() && it->is_string())
        on = it->get<std::string>();
    const auto changed = change_status(tx, {.actions = {UnitAction::hand_over},
                                            .actor = "contract",
                                            .reason = "handed over on " + on + " (CON-9)",
                                            .match = "hold_subscription_id = $1::uuid",
                                            .params = {subscription_id}});
    if (changed.empty()) {
        log_ignored(tx, event, unit_id, subscription_id,
                    "handover for a unit that is not signed by the subscription; ignored");
    }
}

void on_contract_event(Tx& tx, const sales::bus::Event& event) {
    if (event.type.starts_with("contract.subscription."))
        on_subscription_event(tx, event);
    else if (event.type == "contract.signed")
        on_contract_signed(tx, event);
    else if (event.type == "contract.cancelled")
        on_contract_cancelled(tx, event);
    else if (event.type == "contract.handed_over")
        on_contract_handed_over(tx, event);
}

std::size_t expire_holds(sales::db::Pool& db, int batch) {
    return db.transaction([&](Tx& tx) {
        return change_status(tx, {.actions = {UnitAction::expire_hold},
                                  .actor = "system:hold-expiry",
                                  .reason = "hold_until passed without confirmation (CON-1)",
                                  .match = "hold_until < now()",
                                  .set = kClearDeal,
                                  .limit = batch,
                                  .skip_locked = true})
            .size();
    });
}

}  // namespace inventory::app
