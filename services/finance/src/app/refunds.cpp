// FIN-4: a finance director approves a refund; the cashier's refund entry references the
// approval (see payments.cpp).
#include "adapters/receivable_store.hpp"
#include "adapters/subscription_store.hpp"
#include "app/ledger.hpp"
#include "sales/calendar.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"

namespace finance::app {
namespace {

// CON-10: a settlement's refund is approved up to its refund due, on its own contract.
void check_settlement_refund(sales::db::Tx& tx, const std::string& contract_id,
                             const std::string& settlement_id, std::int64_t amount_fen) {
    const auto s = adapters::settlement(tx, settlement_id);
    if (!s || s->contract_id != contract_id) {
        throw sales::Failure(sales::Failure::Kind::not_found, "area_settlement_not_found",
                             "area settlement " + settlement_id +
                                 " is not booked for this contract (finance books it when the "
                                 "supplementary agreement is recorded)",
                             {{"area_settlement_id", settlement_id}});
    }
    if (s->settled) {
        sales::fail_conflict("area_settlement_settled", "the area settlement is settled already",
                             {{"area_settlement_id", settlement_id}});
    }
    const auto remaining =
        s->refund_due_fen - adapters::approved_for(tx, "area_settlement", settlement_id);
    if (amount_fen > remaining) {
        sales::fail_rule("refund_exceeds_settlement",
                         "the refund is more than what remains of the settlement's refund due",
                         {{"refund_due_fen", s->refund_due_fen}, {"remaining_fen", remaining}});
    }
}

}  // namespace

nlohmann::json approve_refund(const Context& ctx, const sales::Principal& caller,
                              const RefundApprovalInput& in) {
    adapters::Approval approval{sales::new_uuid(), "",        in.contract_id, in.subscription_id,
                                in.amount_fen,     in.reason, caller.user_id};
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        const auto project = in.contract_id ? adapters::contract_project(tx, *in.contract_id)
                                            : adapters::subscription_project(
                                                  tx, *in.subscription_id, adapters::Lock::none);
        if (!project || !caller.in_project(*project)) {
            if (in.contract_id)
                sales::fail_not_found("contract", *in.contract_id);
            sales::fail_not_found("subscription", *in.subscription_id);
        }
        auto row = approval;
        row.project_id = *project;
        std::string approved_at;
        if (in.area_settlement_id) {
            check_settlement_refund(tx, *in.contract_id, *in.area_settlement_id, in.amount_fen);
            adapters::insert_purposed_approval(
                tx, {row.id, row.project_id, *in.contract_id, "area_settlement",
                     *in.area_settlement_id, in.amount_fen, in.reason, caller.user_id});
            approved_at = sales::to_rfc3339(adapters::database_now(tx));
        } else {
            approved_at = adapters::insert_approval(tx, row);
        }
        return nlohmann::json{{"id", row.id},
                              {"area_settlement_id", sales::db::nullable(in.area_settlement_id)},
                              {"project_id", row.project_id},
                              {"contract_id", sales::db::nullable(in.contract_id)},
                              {"subscription_id", sales::db::nullable(in.subscription_id)},
                              {"amount_fen", in.amount_fen},
                              {"reason", in.reason},
                              {"approved_by", caller.user_id},
                              {"approved_at", approved_at}};
    });
}

nlohmann::json list_refund_approvals(const Context& ctx, const sales::Principal& caller,
                                     const std::string& project_id, bool unpaid_only) {
    if (!caller.in_project(project_id))
        sales::fail_not_found("project", project_id);
    return ctx.db.transaction([&](sales::db::Tx& tx) {
        return nlohmann::json{{"items", adapters::list_approvals(tx, project_id, unpaid_only)}};
    });
}

}  // namespace finance::app
