// CON-6 cancellation after review: a refund request the finance director approves or rejects;
// an approved refund is paid by finance before the contract is cancelled (settlement_steps.cpp).
#include "adapters/amendment_store.hpp"
#include "adapters/area_settlement_store.hpp"
#include "adapters/contract_store.hpp"
#include "app/contract_support.hpp"
#include "app/contracts.hpp"
#include "domain/area_settlement.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"

namespace contract::app {
using sales::db::Tx;

nlohmann::json request_contract_cancellation(const Context& ctx, const sales::Principal& caller,
                                             const std::string& id, std::int64_t refund_fen,
                                             const std::string& reason) {
    return ctx.db.transaction([&](Tx& tx) {
        auto c = load_for(tx, caller, id);
        const domain::RefundRequest request{sales::new_uuid(), refund_fen, reason};
        const auto change = domain::cancellation_requested(c, request.id, refund_fen,
                                                           ctx.by(caller.user_id, reason));
        if (!refund_request_store::insert(tx, c.id, request, caller.user_id)) {
            sales::fail_conflict("refund_request_open",
                                 "the contract already has a refund request awaiting a decision",
                                 {{"contract_id", c.id}});
        }
        return saved(tx, c, change);
    });
}

nlohmann::json decide_contract_cancellation(const Context& ctx, InventoryClient& inventory,
                                            const sales::Principal& caller, const std::string& id,
                                            bool approve, const std::string& note) {
    std::optional<amendment_store::UnitHold> hold;
    auto decided = ctx.db.transaction([&](Tx& tx) {
        hold.reset();
        auto c = load_for(tx, caller, id);
        const auto request = refund_request_store::lock_open(tx, c.id);
        if (!request) {
            sales::fail_conflict("no_refund_request",
                                 "the contract has no refund request awaiting a decision",
                                 {{"contract_id", c.id}});
        }
        refund_request_store::decide(tx, request->id, approve, caller.user_id, note);
        const auto by = ctx.by(caller.user_id, note);
        if (!approve) {
            // A buyer's REG-1 cancellation refused: the buyer keeps the unit and settles.
            if (const auto s = area_settlement_store::lock_by_cancellation_request(tx, request->id);
                s && s->status == "buyer_cancelled") {
                area_settlement_store::set_status(
                    tx, s->id,
                    std::string(domain::to_string(
                        domain::next_settlement_status(domain::SettlementStatus::buyer_cancelled,
                                                       domain::SettlementAction::keep))));
            }
            return saved(tx, c, domain::cancellation_rejected(c, request->id, by));
        }
        // CON-6: with a refund the contract waits for finance to pay it (finance.refund.paid);
        // a request refunding nothing cancels at once.
        const auto change = domain::cancellation_approved(c, *request, by);
        if (c.status == domain::ContractStatus::cancelled)
            contract_store::set_cancelled(tx, c.id);
        hold = amendment_store::reject_open(tx, c.id);  // open amendments die with the contract
        return saved(tx, c, change);
    });
    if (hold) {
        // CON-5 换房: the rejected amendment's hold on its new unit ends (best effort; the hold
        // reconciliation frees it otherwise, the amendment being no longer in audit).
        inventory.release_quietly(hold->unit_id, hold->amendment_id, caller.user_id,
                                  "contract cancelled: its unit change was not approved");
    }
    return decided;
}

}  // namespace contract::app
