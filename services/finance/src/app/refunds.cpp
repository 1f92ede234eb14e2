// FIN-4: a finance director approves a refund; the cashier's refund entry references the
// approval (see payments.cpp).
#include "adapters/subscription_store.hpp"
#include "app/ledger.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"

namespace finance::app {

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
        const auto approved_at = adapters::insert_approval(tx, row);
        return nlohmann::json{{"id", row.id},
                              {"project_id", row.project_id},
                              {"contract_id", sales::db::nullable(in.contract_id)},
                              {"subscription_id", sales::db::nullable(in.subscription_id)},
                              {"amount_fen", in.amount_fen},
                              {"reason", in.reason},
                              {"approved_by", caller.user_id},
                              {"approved_at", approved_at}};
    });
}

}  // namespace finance::app
