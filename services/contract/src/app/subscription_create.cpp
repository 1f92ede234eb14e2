// CON-1: a new subscription holds its unit in inventory first, then is written with its history
// row and event; any failure after the hold releases it.
#include "adapters/project_store.hpp"
#include "app/subscriptions.hpp"
#include "app/unit_holds.hpp"
#include "sales/failure.hpp"
#include "sales/log.hpp"
#include "sales/metrics.hpp"

namespace contract::app {
using domain::Subscription;
using sales::Failure;
using sales::db::Tx;

void refuse_known_taken(UnitView& units, std::uint64_t reconnects, const sales::Principal& caller,
                        const std::string& unit_id, bool has_idempotency_key) {
    const auto taken = units.taken(unit_id, reconnects);
    if (!taken || taken->project_id.empty() || !caller.in_project(taken->project_id))
        return;
    if (!domain::refuse_at_once(*taken, caller.user_id, has_idempotency_key))
        return;
    static auto& refused = sales::metrics::registry().counter(
        "subscriptions_refused_at_once_total",
        "new subscriptions refused from the view of units taken, without inventory or database");
    refused.inc();
    sales::fail_conflict("unit_not_available", "unit " + unit_id + " is " + taken->status,
                         {{"unit_id", unit_id}, {"status", taken->status}});
}

Subscription create_subscription(const Context& ctx, InventoryClient& inventory,
                                 const sales::Principal& caller,
                                 const domain::NewSubscription& input,
                                 const std::string& subscription_id,
                                 const BeforeCommit& before_commit) {
    const auto by = ctx.by(caller.user_id);
    const auto problems = domain::validate(input, domain::shanghai_date(by.at));
    if (!problems.empty()) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& p : problems)
            list.push_back({{"field", p.field}, {"problem", p.problem}});
        throw Failure(Failure::Kind::invalid, "validation_failed",
                      problems.front().field + ": " + problems.front().problem,
                      {{"problems", list}});
    }

    // Commission credit: a rep names only themself; sales control and above name another rep.
    domain::check_rep_assignment(caller.user_id, caller.roles, input.rep_id);

    // No hold_until: inventory holds the unit briefly and extends the hold to the deposit
    // deadline when contract.subscription.created reaches it, so a hold whose subscription never
    // committed (contract crashed, the request timed out) does not outlive its request for long.
    Compensation release;
    release.arm([&] {
        inventory.release_quietly(input.unit_id, subscription_id, caller.user_id,
                                  "subscription not created");
    });
    const auto scope = inventory_scope(caller, input.unit_id);
    const auto reply = inventory.hold(input.unit_id, subscription_id, std::nullopt, caller.user_id,
                                      input.reservation_id, scope);
    if (reply && reply->result != HoldReply::Result::held)
        release.dismiss();  // nothing of ours to release
    const auto unit = require_held(reply, input.unit_id);
    if (!caller.in_project(unit.project_id)) {
        throw Failure(Failure::Kind::not_found, "unit_not_found",
                      "no unit with id " + input.unit_id, {{"unit_id", input.unit_id}});
    }

    try {
        auto created = ctx.db.transaction([&](Tx& tx) {
            const auto settings = require_settings(tx, unit.project_id);
            Subscription s;
            s.id = subscription_id;
            s.project_id = unit.project_id;
            s.unit_id = input.unit_id;
            s.areas = unit.areas;
            s.customer_id = input.customer_id;
            s.rep_id = input.rep_id;
            s.payment_plan = *domain::parse_payment_plan(input.payment_plan);
            // REG-2 (deposit cap) and the discount bound, against the unit's list total.
            s.terms = domain::price_terms(unit.list_total_fen, input.discount_fen,
                                          input.deposit_fen, settings.deposit_cap_percent);
            s.deposit_deadline = domain::deposit_deadline(by.at, settings);  // CON-1
            s.signing_deadline = input.signing_deadline;
            const auto change = domain::create(s, by);
            subscription_store::save(tx, s, change);
            subscription_store::set_unit_location(tx, s.id, unit.building_id, unit.unit_number);
            if (before_commit)
                before_commit(tx, s);
            return s;
        });
        release.dismiss();
        return created;
    } catch (const sales::db::UniqueViolation& e) {
        if (e.constraint() != "subscriptions_one_live_per_unit")
            throw;
        // INV-4 second line of defence: inventory held a unit that already has a live deal here.
        sales::log::error("inventory held a unit that has a live subscription",
                          {{"unit_id", input.unit_id}, {"subscription_id", subscription_id}});
        throw Failure(Failure::Kind::conflict, "unit_not_available",
                      "unit " + input.unit_id + " already has a live subscription",
                      {{"unit_id", input.unit_id}, {"status", "subscribed"}});
    }
}

}  // namespace contract::app
