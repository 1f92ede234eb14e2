// CON-5 amendments: new terms go through the audit chain and apply only on its last approval.
#include "adapters/amendment_store.hpp"
#include "adapters/contract_store.hpp"
#include "app/contract_support.hpp"
#include "app/contracts.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"

namespace contract::app {
using nlohmann::json;
using sales::Failure;
using sales::db::Tx;

json request_amendment(const Context& ctx, const sales::Principal& caller,
                       const std::string& contract_id, const domain::AmendmentChange& change,
                       const std::string& reason) {
    return ctx.db.transaction([&](Tx& tx) {
        auto c = load_for(tx, caller, contract_id);
        domain::check_amendable(c);
        const auto project = require_contract_settings(tx, c.project_id);
        const auto held = project_store::find(tx, c.project_id, /*for_update=*/false);
        const auto next =
            domain::amended_terms(c.terms, change, c.deposit_paid_fen,
                                  held ? held->settings.deposit_cap_percent
                                       : domain::ProjectSettings{}.deposit_cap_percent);
        const auto& settings = project.settings;
        if (next.discount_fen != c.terms.discount_fen &&
            domain::discount_needs_slip(next.discount_fen, next.list_total_fen,
                                        settings.max_standard_discount_bp)) {
            sales::fail_rule("discount_slip_required",
                             "a discount beyond the standard rules is not amended without a "
                             "signing-time discount slip (CON-3)",
                             {{"discount_fen", next.discount_fen},
                              {"max_standard_discount_bp", settings.max_standard_discount_bp}});
        }
        json changes = json::object();
        if (change.customer_id)
            changes["customer_id"] = *change.customer_id;
        if (change.discount_fen)
            changes["discount_fen"] = *change.discount_fen;
        if (change.plan)
            changes["plan"] = domain::to_json(*change.plan);
        const json terms = {{"customer_id", next.customer_id},
                            {"list_total_fen", next.list_total_fen},
                            {"discount_fen", next.discount_fen},
                            {"price_fen", next.price_fen},
                            {"payment_plan", domain::to_string(next.plan.kind)},
                            {"plan", domain::to_json(next.plan)}};
        const amendment_store::NewAmendment amendment{
            sales::new_uuid(), c.id, changes, terms, reason, caller.user_id};
        if (!amendment_store::insert(tx, amendment)) {
            sales::fail_conflict("amendment_open", "the contract already has an amendment in audit",
                                 {{"contract_id", c.id}});
        }
        open_step(tx, ctx, c, amendment.id, 1, 1, settings.audit_deadline_working_days);
        contract_store::save(
            tx, c,
            domain::amendment_requested(c, amendment.id, changes, ctx.by(caller.user_id, reason)));
        return json{{"id", amendment.id},
                    {"contract_id", c.id},
                    {"status", "in_audit"},
                    {"changes", changes},
                    {"new_terms", terms},
                    {"reason", reason},
                    {"requested_by", caller.user_id}};
    });
}

json decide_amendment_audit(const Context& ctx, const sales::Principal& caller,
                            const std::string& amendment_id, bool approve,
                            const std::string& note) {
    const auto not_found = [&] {
        return Failure(Failure::Kind::not_found, "amendment_not_found",
                       "no amendment with id " + amendment_id, {{"amendment_id", amendment_id}});
    };
    if (!sales::is_uuid(amendment_id))
        throw not_found();
    return ctx.db.transaction([&](Tx& tx) {
        const auto amendment = amendment_store::find(tx, amendment_id);
        if (!amendment)
            throw not_found();
        auto c = contract_store::find(tx, amendment->contract_id, /*for_update=*/true);
        if (!c || !caller.in_project(c->project_id))
            throw not_found();
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
        }
        contract_store::save(tx, *c, change);
        return amendment_store::document(tx, amendment_id);
    });
}

}  // namespace contract::app
