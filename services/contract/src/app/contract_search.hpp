#pragma once
// Contract search 合同查询 and the CON-7 registration list: read-only use cases, the caller's
// project scope applied (SEC-1). Customer names and phones are not the contract service's: the
// results carry customer_id, and the console resolves names through the customer service's
// masked lookup (CUS-8).
#include <nlohmann/json.hpp>

#include "adapters/contract_search.hpp"
#include "app/context.hpp"
#include "sales/principal.hpp"

namespace contract::app {

using ContractSearch = contract_search::Filter;
nlohmann::json search_contracts(const Context& ctx, const sales::Principal& caller,
                                const ContractSearch& filter);

using AwaitingRegistrationFilter = contract_search::AwaitingFilter;
// CON-7: stamped, not yet registered, due first, with due_on and overdue.
nlohmann::json list_awaiting_registration(const Context& ctx, const sales::Principal& caller,
                                          const AwaitingRegistrationFilter& filter);

// CON-7: gives contracts stamped before the due day was recorded their registration due day
// (the project's working days after the stamping day). Run at start; idempotent.
void fill_registration_due(const Context& ctx);

}  // namespace contract::app
