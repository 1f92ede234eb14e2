// CON-2: reading, renaming, swapping and cancelling a subscription.
#include <algorithm>

#include "app/subscriptions.hpp"
#include "app/unit_holds.hpp"
#include "sales/failure.hpp"

namespace contract::app {
namespace {
using domain::Subscription;
using sales::db::Tx;

using Decide = std::function<domain::SubscriptionChange(Tx&, Subscription&)>;

// Load (locked, in the caller's projects) → decide → save, in one transaction.
Subscription change(const Context& ctx, const sales::Principal& caller, const std::string& id,
                    const Decide& decide) {
    return ctx.db.transaction([&](Tx& tx) {
        auto s = subscription_store::find(tx, id, /*for_update=*/true);
        if (!s || !caller.in_project(s->project_id))
            subscription_not_found(id);
        const auto change = decide(tx, *s);
        subscription_store::save(tx, *s, change);
        return *s;
    });
}

}  // namespace

Subscription find_subscription(const Context& ctx, const sales::Principal& caller,
                               const std::string& id) {
    auto found = ctx.db.transaction(
        [&](Tx& tx) { return subscription_store::find(tx, id, /*for_update=*/false); });
    if (!found || !caller.in_project(found->project_id))
        subscription_not_found(id);
    return *found;
}

std::vector<Subscription> list_subscriptions(const Context& ctx, const sales::Principal& caller,
                                             const ListFilter& filter) {
    return ctx.db.transaction(
        [&](Tx& tx) { return subscription_store::list(tx, filter, project_scope(caller)); });
}

Subscription rename_subscription(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, const std::string& customer_id,
                                 const std::string& reason) {
    return change(ctx, caller, id, [&](Tx&, Subscription& s) {
        return domain::rename(s, customer_id, ctx.by(caller.user_id, reason));  // CON-2
    });
}

Subscription swap_subscription(const Context& ctx, InventoryClient& inventory,
                               const sales::Principal& caller, const std::string& id,
                               const std::string& new_unit_id, const std::string& reason) {
    // Declared outside the transaction: if anything fails after inventory swapped (the price
    // rules, the commit), the swap is undone once the transaction has rolled back.
    Compensation swap_back;
    auto swapped = change(ctx, caller, id, [&](Tx& tx, Subscription& s) {
        domain::next_status(s.status, domain::Action::swap);  // refuse before asking inventory
        if (new_unit_id == s.unit_id)
            sales::fail_invalid("new_unit_id", "is already the subscription's unit");
        const auto hold_until =
            sales::to_rfc3339(std::max(s.deposit_deadline, ctx.clock.now()) + ctx.hold_grace);
        const auto old_unit_id = s.unit_id;
        swap_back.arm(
            [&inventory, sid = s.id, new_unit_id, old_unit_id, hold_until, actor = caller.user_id] {
                inventory.swap_back_quietly(sid, new_unit_id, old_unit_id, hold_until, actor);
            });
        // Scoped to the subscription's project: a unit elsewhere is never touched (CON-2).
        const auto reply = inventory.swap(s.id, old_unit_id, new_unit_id, hold_until,
                                          caller.user_id, std::vector<std::string>{s.project_id});
        if (reply && reply->result != HoldReply::Result::held)
            swap_back.dismiss();
        const auto unit = require_held(reply, new_unit_id);
        if (unit.project_id != s.project_id) {
            sales::fail_rule("unit_in_another_project",
                             "a swap stays within the subscription's project",
                             {{"unit_id", new_unit_id}, {"project_id", s.project_id}});
        }
        const auto settings = require_settings(tx, s.project_id);
        // CON-2 swap; the new price keeps the discount and must satisfy REG-2 again.
        s.areas = unit.areas;
        subscription_store::set_unit_location(tx, s.id, unit.building_id, unit.unit_number);
        return domain::swap(s, new_unit_id, unit.list_total_fen, settings.deposit_cap_percent,
                            ctx.by(caller.user_id, reason));
    });
    swap_back.dismiss();
    return swapped;
}

Subscription cancel_subscription(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, const std::string& reason) {
    return change(ctx, caller, id, [&](Tx&, Subscription& s) {
        return domain::cancel(s, ctx.by(caller.user_id, reason));  // CON-2
    });
}

Subscription decide_cancellation(const Context& ctx, const sales::Principal& caller,
                                 const std::string& id, bool approve, const std::string& note) {
    return change(ctx, caller, id, [&](Tx&, Subscription& s) {
        return domain::decide_cancellation(s, approve, ctx.by(caller.user_id, note));  // CON-2
    });
}

}  // namespace contract::app
