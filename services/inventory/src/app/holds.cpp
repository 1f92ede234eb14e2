#include "app/holds.hpp"

#include "adapters/hold_store.hpp"

#include <algorithm>
#include <stdexcept>

namespace inventory::app {
namespace {
using domain::UnitAction;
using sales::db::Tx;
using Result = DealOutcome::Result;
namespace updates = adapters::unit_updates;

struct UnitState {
    ChangedUnit unit;
    std::string status;
    std::optional<std::int64_t> deal_price_fen;
};

UnitState state_of(const sales::db::Row& r) {
    return {changed_unit_of(r, "status", "status"), r.text("status"),
            r.opt_int64("deal_price_fen")};
}

std::optional<UnitState> read_state(Tx& tx, const std::string& unit_id) {
    auto row = adapters::deal_state(tx, unit_id);
    return row ? std::optional<UnitState>(state_of(*row)) : std::nullopt;
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
                              .which = updates::end_deal(unit_id, subscription_id)});
}

}  // namespace

DealOutcome hold(sales::db::Pool& db, const HoldRequest& r) {
    return db.transaction([&](Tx& tx) {
        // A hold that reaches us after contract gave up on it and released it (its request timed
        // out while we were stalled) would hold the unit for nobody.
        adapters::hold_store::lock_subscription(tx, r.subscription_id);
        if (adapters::hold_store::was_released(tx, r.subscription_id)) {
            return outcome(Result::invalid, std::nullopt, "",
                           "subscription " + r.subscription_id + " was released; not held again");
        }
        // INV-4: a reserved unit is held only by the request naming its reservation.
        const auto changed = change_status(
            tx, {.actions = {UnitAction::hold, UnitAction::hold_reserved},
                 .actor = r.actor,
                 .reason = "subscription " + r.subscription_id + " awaiting deposit (CON-1)",
                 .which = updates::hold(r.unit_id, r.subscription_id, r.hold_until,
                                        r.deal_price_fen, r.reservation_id, r.project_ids)});
        if (!changed.empty())
            return outcome(Result::held, changed.front());
        return explain(tx, r.unit_id, r.subscription_id, r.project_ids);
    });
}

DealOutcome release(sales::db::Pool& db, const ReleaseRequest& r) {
    return db.transaction([&](Tx& tx) {
        adapters::hold_store::lock_subscription(tx, r.subscription_id);
        adapters::hold_store::record_released(tx, r.subscription_id);
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
        for (const auto& row : adapters::lock_deal_states(tx, r.old_unit_id, r.new_unit_id)) {
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
                 .which = updates::take_deal(
                     r.new_unit_id, r.subscription_id,
                     subscribed ? std::nullopt : std::optional<std::string>(r.hold_until),
                     old_unit->deal_price_fen)});
        const auto freed = end_deal(tx, r.old_unit_id, r.subscription_id, r.actor,
                                    reason + " to unit " + new_unit->unit.unit_number);
        if (taken.size() != 1 || freed.size() != 1)
            throw std::logic_error("swap changed an unexpected number of units; rolled back");
        return outcome(Result::held, taken.front());
    });
}

std::size_t purge_released(sales::db::Pool& db) {
    return db.transaction(
        [](Tx& tx) { return adapters::hold_store::purge_released(tx, std::chrono::hours(24)); });
}

std::size_t expire_holds(sales::db::Pool& db, int batch) {
    return sweep(db, UnitAction::expire_hold, "system:hold-expiry",
                 "hold_until passed without confirmation (CON-1)", updates::expired_holds(), batch);
}

}  // namespace inventory::app
