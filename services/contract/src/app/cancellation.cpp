// CON-6 cancellation after review: a refund request the finance director approves or rejects.
#include "adapters/amendment_store.hpp"
#include "adapters/contract_store.hpp"
#include "app/contract_support.hpp"
#include "app/contracts.hpp"
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

nlohmann::json decide_contract_cancellation(const Context& ctx, const sales::Principal& caller,
                                            const std::string& id, bool approve,
                                            const std::string& note) {
    return ctx.db.transaction([&](Tx& tx) {
        auto c = load_for(tx, caller, id);
        const auto request = refund_request_store::lock_open(tx, c.id);
        if (!request) {
            sales::fail_conflict("no_refund_request",
                                 "the contract has no refund request awaiting a decision",
                                 {{"contract_id", c.id}});
        }
        refund_request_store::decide(tx, request->id, approve, caller.user_id, note);
        const auto by = ctx.by(caller.user_id, note);
        if (!approve)
            return saved(tx, c, domain::cancellation_rejected(c, request->id, by));
        const auto change = domain::cancelled(c, *request, by);
        contract_store::set_cancelled(tx, c.id);
        amendment_store::reject_open(tx, c.id);  // open amendments die with the contract
        return saved(tx, c, change);
    });
}

}  // namespace contract::app
