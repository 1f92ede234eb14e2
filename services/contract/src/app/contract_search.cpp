// Contract search 合同查询 and the CON-7 list of contracts awaiting registration.
#include "app/contract_search.hpp"

namespace contract::app {
using sales::db::Tx;

nlohmann::json search_contracts(const Context& ctx, const sales::Principal& caller,
                                const ContractSearch& filter) {
    return ctx.db.transaction(
        [&](Tx& tx) { return contract_search::search(tx, filter, project_scope(caller)); });
}

nlohmann::json list_awaiting_registration(const Context& ctx, const sales::Principal& caller,
                                          const AwaitingRegistrationFilter& filter) {
    return ctx.db.transaction([&](Tx& tx) {
        return contract_search::awaiting_registration(tx, ctx.today(), filter,
                                                      project_scope(caller));
    });
}

}  // namespace contract::app
