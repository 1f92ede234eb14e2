// CON-3 signing: a confirmed subscription becomes a contract with a gap-free number; a discount
// beyond the standard rules and a late signing each need an approval.
#include "adapters/approval_store.hpp"
#include "adapters/contract_store.hpp"
#include "adapters/subscription_store.hpp"
#include "app/contract_support.hpp"
#include "app/contracts.hpp"
#include "app/mortgages.hpp"
#include "app/unit_holds.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"

namespace contract::app {
namespace {
using sales::db::Tx;

// Locks and checks an approval named at signing (CON-3); marks it used by the contract.
std::string use_approval(Tx& tx, const std::string& field, const std::string& id,
                         domain::ApprovalKind kind, const domain::Subscription& s,
                         const std::string& contract_id) {
    const auto found = approval_store::find(tx, id, std::nullopt, /*for_update=*/true);
    if (!found) {
        sales::fail_rule("approval_not_usable", field + ": no approval " + id,
                         {{"approval_id", id}});
    }
    domain::check_approval(found->approval, kind, s.id, s.terms.discount_fen);
    approval_store::mark_used(tx, id, contract_id);
    return id;
}

// CON-11: the referrer is a member 会员 — an owner with a contract — and not the buyer.
void check_referrer(Tx& tx, const std::string& referrer_id, const std::string& buyer_id) {
    if (referrer_id == buyer_id) {
        sales::fail_rule("referrer_is_buyer", "the buyer cannot be their own referrer (CON-11)",
                         {{"referrer_customer_id", referrer_id}});
    }
    if (!contract_store::is_member(tx, referrer_id)) {
        sales::fail_rule("referrer_not_member",
                         "the referrer must be a member: an owner with a contract that is not "
                         "cancelled (CON-11)",
                         {{"referrer_customer_id", referrer_id}});
    }
}

}  // namespace

nlohmann::json sign_contract(const Context& ctx, const sales::Principal& caller,
                             const std::string& subscription_id, const SignInput& input) {
    const auto by = ctx.by(caller.user_id);
    const auto signing_day = sales::shanghai_date(by.at);
    return ctx.db.transaction([&](Tx& tx) {
        auto s = subscription_store::find(tx, subscription_id, /*for_update=*/true);
        if (!s || !caller.in_project(s->project_id))
            subscription_not_found(subscription_id);
        // CON-3: only a confirmed subscription (deposit paid) is signed.
        domain::next_status(s->status, domain::Action::sign);
        const auto project = require_contract_settings(tx, s->project_id);
        const auto& settings = project.settings;
        domain::check_plan(input.plan, s->payment_plan, s->terms.price_fen);

        domain::Contract c;
        c.id = sales::new_uuid();
        contract_store::Signing signing;
        // CON-3: a discount beyond the standard rules needs an approved discount slip.
        if (domain::discount_needs_slip(s->terms.discount_fen, s->terms.list_total_fen,
                                        settings.max_standard_discount_bp) &&
            !input.discount_slip_id) {
            sales::fail_rule("discount_slip_required",
                             "the discount is beyond the project's standard rules: an approved "
                             "discount slip is required (CON-3)",
                             {{"discount_fen", s->terms.discount_fen},
                              {"list_total_fen", s->terms.list_total_fen},
                              {"max_standard_discount_bp", settings.max_standard_discount_bp}});
        }
        if (input.discount_slip_id) {
            signing.discount_slip_id = use_approval(tx, "discount_slip_id", *input.discount_slip_id,
                                                    domain::ApprovalKind::discount_slip, *s, c.id);
        }
        // CON-3: signing later than the delay after subscription needs the GM's approval.
        const auto created = sales::parse_rfc3339(s->created_at);
        const auto subscribed_on = sales::shanghai_date(created ? *created : by.at);
        if (domain::signing_is_late(subscribed_on, signing_day, settings.signing_deadline_days)) {
            if (!input.late_signing_approval_id) {
                sales::fail_rule("late_signing_approval_required",
                                 "signing more than " +
                                     std::to_string(settings.signing_deadline_days) +
                                     " days after the subscription needs the GM's approval (CON-3)",
                                 {{"subscribed_on", sales::to_string(subscribed_on)},
                                  {"signing_deadline_days", settings.signing_deadline_days}});
            }
            signing.late_signing_approval_id =
                use_approval(tx, "late_signing_approval_id", *input.late_signing_approval_id,
                             domain::ApprovalKind::late_signing, *s, c.id);
        }

        // CON-3 numbering: gap-free per project and year.
        signing.year = static_cast<int>(signing_day.year());
        signing.serial = contract_store::next_serial(tx, s->project_id, signing.year);
        c.contract_no = domain::contract_number(signing.year, project.code, signing.serial);
        c.project_id = s->project_id;
        c.subscription_id = s->id;
        c.unit_id = s->unit_id;
        c.rep_id = s->rep_id;
        c.terms = {s->customer_id, s->terms.list_total_fen, s->terms.discount_fen,
                   s->terms.price_fen, input.plan};
        c.areas = s->areas;  // inventory prices units on the gross area
        c.deposit_paid_fen = s->deposit_paid_fen;
        c.penalty_bp_per_day = settings.penalty_bp_per_day;
        c.signed_at = sales::to_rfc3339(by.at);
        c.discount_contract = signing.discount_slip_id.has_value();
        if (input.referrer_customer_id) {
            check_referrer(tx, *input.referrer_customer_id, c.terms.customer_id);
            c.referrer_customer_id = input.referrer_customer_id;
        }
        contract_store::insert(tx, c, signing, caller.user_id);
        if (c.referrer_customer_id)
            contract_store::set_referrer(tx, c.id, *c.referrer_customer_id);
        contract_store::copy_unit_location(tx, c.id);  // contract search: 楼栋/房号
        open_step(tx, ctx, c, std::nullopt, 1, 1, settings.audit_deadline_working_days);
        const auto subscription_signed =
            domain::sign(*s, c.id, c.contract_no,
                         ctx.by(caller.user_id, "contract " + c.contract_no + " signed"));
        subscription_store::save(tx, *s, subscription_signed);
        auto contract = saved(tx, c, domain::signed_contract(c, by));
        // CON-8: a mortgage deal is on the mortgage desk's list at once.
        open_mortgage_file(tx, c, by);
        return contract;
    });
}

}  // namespace contract::app
