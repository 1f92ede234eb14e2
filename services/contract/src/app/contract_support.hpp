#pragma once
// What the contract use cases share: loading a contract in the caller's projects, its project's
// settings, the audit steps (CON-4) and saving a change.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/project_store.hpp"
#include "app/context.hpp"
#include "domain/contract.hpp"
#include "sales/principal.hpp"

namespace contract::app {

// Failure not_found "contract_not_found" (details: contract_id).
[[noreturn]] void contract_not_found(const std::string& id);

// The contract locked FOR UPDATE, in the caller's projects (contract_not_found otherwise).
domain::Contract load_for(sales::db::Tx& tx, const sales::Principal& caller, const std::string& id);

// The project's contract settings; Failure unavailable "project_not_synchronised" until the
// project's inventory.project.created event has arrived.
project_store::ContractSettings require_contract_settings(sales::db::Tx& tx,
                                                          const std::string& project_id);

// Opens `step` of a round today, due per CON-4 (the project's working days; one for a discount
// contract's finance review).
void open_step(sales::db::Tx& tx, const Context& ctx, const domain::Contract& c,
               const std::optional<std::string>& amendment_id, std::int64_t round, int step,
               std::int64_t audit_deadline_working_days);

// Decides the open step of a round as the caller (CON-4 order and four eyes) and opens the
// next one.
domain::AuditOutcome decide_step(sales::db::Tx& tx, const Context& ctx,
                                 const sales::Principal& caller, const domain::Contract& c,
                                 const std::optional<std::string>& amendment_id, std::int64_t round,
                                 bool approve, const std::string& note);

// Saves the change (contract_store::save) and returns the contract as the API shows it.
nlohmann::json saved(sales::db::Tx& tx, const domain::Contract& after,
                     const domain::ContractChange& change);

}  // namespace contract::app
