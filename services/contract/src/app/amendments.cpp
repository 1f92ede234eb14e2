// CON-5 amendments: new terms go through the audit chain and apply only on its last approval.
#include "adapters/amendment_store.hpp"
#include "adapters/contract_store.hpp"
#include "adapters/subscription_store.hpp"
#include "app/contract_support.hpp"
#include "app/contracts.hpp"
#include "app/unit_holds.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace contract::app {
using nlohmann::json;
using sales::Failure;
using sales::db::Tx;

namespace {

// CON-5 换房: the new unit is held in inventory for the amendment (hold id = the amendment id),
// as a subscription holds its unit (CON-1); the same project only. Failure as require_held
// (409 unit_not_available, 404 unit_not_found, 503 dependency_unavailable).
domain::NewUnit hold_new_unit(InventoryClient& inventory, Compensation& release,
                              const sales::Principal& caller, const domain::Contract& c,
                              const std::string& new_unit_id, const std::string& amendment_id) {
    if (new_unit_id == c.unit_id)
        sales::fail_invalid("new_unit_id", "is already the contract's unit");
    release.arm([&inventory, new_unit_id, amendment_id, actor = caller.user_id] {
        inventory.release_quietly(new_unit_id, amendment_id, actor, "amendment not requested");
    });
    // No hold_until: a short hold, kept until the amendment is decided once
    // contract.amendment.requested reaches inventory (a crash before the commit frees it soon).
    const auto reply = inventory.hold(new_unit_id, amendment_id, std::nullopt, caller.user_id,
                                      std::nullopt, std::vector<std::string>{c.project_id});
    if (reply && reply->result != HoldReply::Result::held)
        release.dismiss();  // nothing of ours to release
    const auto held = require_held(reply, new_unit_id);
    if (held.project_id != c.project_id) {
        // Scoped to the contract's project, inventory never holds a unit elsewhere.
        throw Failure(Failure::Kind::not_found, "unit_not_found",
                      "no unit with id " + new_unit_id + " in the contract's project",
                      {{"unit_id", new_unit_id}});
    }
    return {held.unit_id, held.building_id, held.unit_number, held.list_total_fen, held.areas};
}

}  // namespace

json request_amendment(const Context& ctx, InventoryClient& inventory,
                       const sales::Principal& caller, const std::string& contract_id,
                       const domain::AmendmentChange& requested,
                       const std::optional<std::string>& new_unit_id, const std::string& reason) {
    const auto amendment_id = sales::new_uuid();
    // Declared outside the transaction: a refusal or failed commit after the hold releases it
    // once the transaction has rolled back (nothing written, CON-5).
    Compensation release;
    auto result = ctx.db.transaction([&](Tx& tx) {
        auto c = load_for(tx, caller, contract_id);
        domain::check_amendable(c);
        const auto project = require_contract_settings(tx, c.project_id);
        const auto held = project_store::find(tx, c.project_id, /*for_update=*/false);
        auto change = requested;
        json changes = json::object();
        if (new_unit_id) {
            change.unit = hold_new_unit(inventory, release, caller, c, *new_unit_id, amendment_id);
            const auto old_location = contract_store::document(tx, c.id);
            changes["old_unit_id"] = c.unit_id;
            changes["old_unit_number"] = old_location.value("unit_number", json());
            changes["new_unit_id"] = change.unit->unit_id;
            changes["new_unit_number"] = change.unit->unit_number;
            changes["new_building_id"] = change.unit->building_id;
        }
        const auto next =
            domain::amended_terms(c.terms, change, c.deposit_paid_fen,
                                  held ? held->settings.deposit_cap_percent
                                       : domain::ProjectSettings{}.deposit_cap_percent);
        // CON-3 discount slip rule, again on the new terms.
        domain::check_amended_discount(c.terms, next, change.unit.has_value(), c.discount_contract,
                                       project.settings.max_standard_discount_bp);
        if (change.customer_id)
            changes["customer_id"] = *change.customer_id;
        if (change.discount_fen)
            changes["discount_fen"] = *change.discount_fen;
        if (change.plan)
            changes["plan"] = domain::to_json(*change.plan);
        const json terms = domain::terms_json(next, change.unit, c.pricing_basis);
        const amendment_store::NewAmendment amendment{
            amendment_id, c.id, changes, terms, reason, caller.user_id, new_unit_id};
        if (!amendment_store::insert(tx, amendment)) {
            sales::fail_conflict("amendment_open", "the contract already has an amendment in audit",
                                 {{"contract_id", c.id}});
        }
        open_step(tx, ctx, c, amendment.id, 1, 1, project.settings.audit_deadline_working_days);
        contract_store::save(
            tx, c,
            domain::amendment_requested(c, amendment.id, changes, ctx.by(caller.user_id, reason)));
        return json{{"id", amendment.id},   {"contract_id", c.id},
                    {"status", "in_audit"}, {"changes", changes},
                    {"new_terms", terms},   {"new_unit_id", sales::db::nullable(new_unit_id)},
                    {"reason", reason},     {"requested_by", caller.user_id}};
    });
    release.dismiss();
    return result;
}

namespace {
Failure amendment_not_found(const std::string& amendment_id) {
    return Failure(Failure::Kind::not_found, "amendment_not_found",
                   "no amendment with id " + amendment_id, {{"amendment_id", amendment_id}});
}

// Decides the open step of the amendment in one transaction (CON-4 chain, CON-5 effects).
json decide_amendment_step(const Context& ctx, const sales::Principal& caller,
                           const std::string& amendment_id, bool approve, const std::string& note) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto amendment = amendment_store::find(tx, amendment_id);
        if (!amendment)
            throw amendment_not_found(amendment_id);
        auto c = contract_store::find(tx, amendment->contract_id, /*for_update=*/true);
        if (!c || !caller.in_project(c->project_id))
            throw amendment_not_found(amendment_id);
        if (amendment->status != "in_audit") {
            sales::fail_conflict("invalid_transition",
                                 "the amendment is already " + amendment->status,
                                 {{"status", amendment->status}});
        }
        const auto outcome = decide_step(tx, ctx, caller, *c, amendment_id, 1, approve, note);
        const auto change = domain::amendment_decided(
            *c, amendment_id, outcome, amendment->new_terms, ctx.by(caller.user_id, note));
        if (!approve) {
            // CON-5: a rejected amendment leaves the original untouched.
            amendment_store::set_status(tx, amendment_id, "rejected");
        } else if (outcome.complete) {
            // CON-5: the contract's terms change only now; the original was in force until here.
            amendment_store::set_status(tx, amendment_id, "approved");
            contract_store::set_terms(tx, c->id, amendment->new_terms);
            if (const auto unit = domain::unit_of_terms(amendment->new_terms)) {
                // CON-5 换房: the contract and its subscription move to the new unit (one live
                // deal per unit, INV-4); inventory follows contract.amendment.approved.
                contract_store::set_unit(tx, c->id, *unit);
                subscription_store::set_unit(tx, c->subscription_id, *unit);
            }
        }
        contract_store::save(tx, *c, change);
        return amendment_store::document(tx, amendment_id);
    });
}
}  // namespace

json decide_amendment_audit(const Context& ctx, const sales::Principal& caller,
                            const std::string& amendment_id, bool approve,
                            const std::string& note) {
    if (!sales::is_uuid(amendment_id))
        throw amendment_not_found(amendment_id);
    try {
        return decide_amendment_step(ctx, caller, amendment_id, approve, note);
    } catch (const sales::db::UniqueViolation& e) {
        // INV-4 second line of defence: the new unit has another live deal here (inventory's
        // hold should have made that impossible). Nothing was written.
        if (e.constraint() != "contracts_one_live_per_unit" &&
            e.constraint() != "subscriptions_one_live_per_unit")
            throw;
        sales::log::error("amendment's new unit has another live deal",
                          {{"amendment_id", amendment_id}});
        throw Failure(Failure::Kind::conflict, "unit_not_available",
                      "the new unit already has a live deal", {{"amendment_id", amendment_id}});
    }
}

}  // namespace contract::app
