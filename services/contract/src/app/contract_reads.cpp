// Reading contracts: one contract with its audit steps, amendments and refund requests; the
// lists; and the per-project contract settings (CON-3/4, FIN-5).
#include "adapters/amendment_store.hpp"
#include "adapters/area_settlement_store.hpp"
#include "adapters/audit_store.hpp"
#include "adapters/contract_store.hpp"
#include "app/contract_support.hpp"
#include "app/contracts.hpp"
#include "app/mortgages.hpp"
#include "sales/failure.hpp"
#include "sales/ids.hpp"
#include "sales/log.hpp"

namespace contract::app {
using nlohmann::json;
using sales::Failure;
using sales::db::Tx;

json find_contract(const Context& ctx, const sales::Principal& caller, const std::string& id) {
    return ctx.db.transaction([&](Tx& tx) {
        const auto c = contract_store::find(tx, id, /*for_update=*/false);
        if (!c || !caller.in_project(c->project_id))
            contract_not_found(id);
        auto doc = contract_store::document(tx, c->id);
        doc["audits"] = audit_store::for_contract(tx, c->id, ctx.today());
        doc["amendments"] = amendment_store::for_contract(tx, c->id);
        doc["refund_requests"] = refund_request_store::for_contract(tx, c->id);
        doc["area_settlements"] = area_settlement_store::list(tx, c->id)["items"];  // CON-10
        doc["mortgage"] = mortgage_of_contract(tx, c->id, ctx.today());             // CON-8
        return doc;
    });
}

json list_contracts(const Context& ctx, const sales::Principal& caller, const std::string& list,
                    const ContractListFilter& filter) {
    return ctx.db.transaction([&](Tx& tx) {
        if (list == "awaiting-audit")
            return contract_queries::awaiting_audit(tx, ctx.today(), filter, project_scope(caller));
        const auto state = list == "handover-eligible" ? domain::HandoverState::eligible
                           : list == "early-handover"  ? domain::HandoverState::early_eligible
                           : list == "handover-to-confirm"
                               ? domain::HandoverState::awaiting_confirmation
                               : domain::HandoverState::handed_over;
        return contract_queries::by_handover_state(tx, state, filter, project_scope(caller));
    });
}

json change_contract_settings(const Context& ctx, const sales::Principal& caller,
                              const std::string& project_id, const ContractSettingsChange& change) {
    const auto not_found = [&] {
        return Failure(Failure::Kind::not_found, "project_not_found",
                       "no project with id " + project_id, {{"project_id", project_id}});
    };
    if (!sales::is_uuid(project_id) || !caller.in_project(project_id))
        throw not_found();
    return ctx.db.transaction([&](Tx& tx) {
        auto settings = project_store::change_contract_settings(tx, project_id, change);
        if (!settings)
            throw not_found();
        sales::log::info("contract settings changed",
                         {{"project_id", project_id}, {"by", caller.user_id}});
        return std::move(*settings);
    });
}

}  // namespace contract::app
